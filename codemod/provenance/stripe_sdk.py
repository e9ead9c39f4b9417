"""What the stripe SDK is: import paths, and what its calls return (docs/stripe-facts.md §2)."""
from __future__ import annotations

# Customer class methods that return one Customer (every SDK era; ``_async`` since 8.10).
_ONE = ("create", "retrieve", "modify", "update", "delete", "construct_from")
# Customer class methods that return a list or an iterator of Customers.
_MANY = ("list", "search", "search_auto_paging_iter")


def _with_async(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names) | frozenset(f"{name}_async" for name in names)


CUSTOMER_ONE = _with_async(_ONE)
CUSTOMER_MANY = _with_async(_MANY)
# Customer calls whose keyword arguments and params dict are Customer parameters.
CUSTOMER_WRITES = _with_async(("create", "modify", "update"))
# Turn a payload dict into a Stripe object of the type its "object" key names.
CONVERTERS = frozenset(
    {
        ("stripe", "util", "convert_to_stripe_object"),
        ("stripe", "convert_to_stripe_object"),
    }
)
# Methods of a Stripe object that return the same object (or a dict of its fields).
SAME_OBJECT_METHODS = frozenset(
    {"to_dict", "to_dict_recursive", "refresh", "refresh_async", "save", "copy"}
)
# Methods of a list object that iterate the same items.
SAME_LIST_METHODS = frozenset({"auto_paging_iter", "auto_paging_iter_async"})
# Builtins that return their argument's items or fields unchanged.
PASS_THROUGH_BUILTINS = frozenset({"dict", "list", "sorted", "reversed", "tuple", "iter"})
# Modules whose helpers keep the stripe.util/convert_to_dict meaning.
CONVERT_TO_DICT = frozenset({("stripe", "util", "convert_to_dict")})

# The "object" values of Stripe payloads, mapped to SDK class names.
OBJECT_KINDS = {"customer": "Customer"}


def canonical(module: str, name: str | None = None) -> tuple[str, ...] | None:
    """The SDK path an import binds, or None when the import is not from stripe.

    ``from stripe.api_resources.customer import Customer`` and ``from stripe._customer
    import Customer`` both bind ``stripe.Customer``: classes are exported from the top.
    """
    parts = tuple(module.split("."))
    if parts[0] != "stripe":
        return None
    if name is None:
        return parts
    if name[:1].isupper():
        return ("stripe", name)
    return (*parts, name)


def takes_customer_payload(path: tuple[str, ...]) -> bool:
    """Whether a dict given to the call at ``path`` is a Customer payload or Customer params."""
    if path in CONVERTERS or is_customer_write(path):
        return True
    return len(path) == 3 and path[1] == "Customer" and path[2] == "construct_from"


def is_customer_write(path: tuple[str, ...]) -> bool:
    """Customer create/update in the resource style or through a StripeClient service."""
    client = client_call(path)
    if client is not None:
        return client[0] == "customers" and client[1] in CUSTOMER_WRITES
    return len(path) == 3 and path[1] == "Customer" and path[2] in CUSTOMER_WRITES

# A StripeClient instance: its services are reached through attributes of this path.
CLIENT = ("<StripeClient>",)
# Event constructors and readers: (class, method) -> returns one event or many.
EVENT_ONE = frozenset(
    {("Webhook", "construct_event"), ("Webhook", "construct_event_without_verification"),
     ("Event", "construct_from"), ("Event", "retrieve"), ("Event", "retrieve_async")}
)
EVENT_MANY = frozenset({("Event", "list"), ("Event", "list_async")})
# Event types whose data.object is a Customer (stripe-facts §4).
CUSTOMER_EVENT_TYPES = frozenset({"customer.created", "customer.updated", "customer.deleted"})
# Instance methods of a Customer: a test double's side effect receives the customer first.
CUSTOMER_INSTANCE_METHODS = frozenset({"save", "refresh", "delete", "refresh_async", "delete_async"})
# Mock classes whose keyword arguments become attributes of the double.
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "NonCallableMock", "AsyncMock", "create_autospec"})


def client_call(path: tuple[str, ...]) -> tuple[str, str] | None:
    """``(service, method)`` of a StripeClient call, ``client.v1.customers.update`` included."""
    if path[:1] != CLIENT:
        return None
    rest = [part for part in path[1:] if part != "v1"]
    if len(rest) == 2:
        return rest[0], rest[1]
    return None


def returns(path: tuple[str, ...]) -> tuple[str, bool] | None:
    """What a call of the SDK callable at ``path`` returns: ``(kind, many)``, or None."""
    client = client_call(path)
    if client is not None:
        service, method = client
        if service == "customers":
            if method in CUSTOMER_ONE:
                return "Customer", False
            if method in CUSTOMER_MANY:
                return "Customer", True
        if service == "events":
            return "Event", method.startswith("list")
        return None
    if path[:1] == CLIENT and path[-1] == "construct_event":
        return "Event", False
    classes = [i for i, part in enumerate(path) if part[:1].isupper()]
    if not classes or classes[0] != len(path) - 2:
        return None
    cls, method = path[-2], path[-1]
    if (cls, method) in EVENT_ONE:
        return "Event", False
    if (cls, method) in EVENT_MANY:
        return "Event", True
    if cls == "Customer" and method in CUSTOMER_ONE:
        return "Customer", False
    return cls, method.startswith(("list", "search"))
