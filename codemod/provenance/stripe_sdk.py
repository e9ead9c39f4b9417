"""What the stripe SDK is: import paths, and what its calls return (docs/stripe-facts.md §2)."""
from __future__ import annotations

import functools
import json
import pkgutil
import re

from ..catalog import CREATE, LIST, MODIFY  # noqa: F401 (re-exported for the verdicts)

# Class methods that return one object (every SDK era; ``_async`` since 8.10).
_ONE = ("create", "retrieve", "modify", "update", "delete", "construct_from", "upcoming", "finalize_invoice",
        "pay", "void_invoice", "cancel", "release", "send_invoice", "mark_uncollectible")
# Class methods that return a list or an iterator of objects.
_MANY = ("list", "search", "search_auto_paging_iter", "auto_paging_iter")


def _with_async(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names) | frozenset(f"{name}_async" for name in names)


ONE = _with_async(_ONE)
MANY = _with_async(_MANY)
# The parameter family of each create/update/list method, in both SDK styles.
_FAMILIES = {"create": CREATE, "modify": MODIFY, "update": MODIFY, "list": LIST, "search": LIST}
FAMILIES = {**_FAMILIES, **{f"{name}_async": family for name, family in _FAMILIES.items()}}

# Methods of nested resources: ``Customer.create_balance_transaction`` returns no Customer.
_NESTED = re.compile(r"(?:create|retrieve|modify|update|list|delete)_[a-z_]+$")
# StripeClient services (``client.customers``, ``client.v1.subscription_schedules``), which are
# also the first part of the API's ``/v1/...`` paths -> class.
SERVICES = {
    "customers": "Customer", "invoices": "Invoice", "subscriptions": "Subscription",
    "subscription_schedules": "SubscriptionSchedule", "events": "Event", "invoice_items": "InvoiceItem",
}
# The "object" values of Stripe payloads -> class.
OBJECT_KINDS = {
    "customer": "Customer", "invoice": "Invoice", "subscription": "Subscription",
    "subscription_schedule": "SubscriptionSchedule", "event": "Event", "invoiceitem": "InvoiceItem",
    "discount": "Discount", "balance": "Balance", "customer_balance_transaction": "CustomerBalanceTransaction",
}

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
# Of those, the ones that give a plain dict.
TO_DICT = frozenset({"to_dict", "to_dict_recursive"})
# Methods of a list object that iterate the same items.
SAME_LIST_METHODS = frozenset({"auto_paging_iter", "auto_paging_iter_async"})
# Builtins that return their argument's items or fields unchanged.
PASS_THROUGH_BUILTINS = frozenset({"dict", "list", "sorted", "reversed", "tuple", "iter"})
# Modules whose helpers keep the stripe.util/convert_to_dict meaning.
CONVERT_TO_DICT = frozenset({("stripe", "util", "convert_to_dict")})
# A field of any Stripe object that holds (the id of, or once expanded) an object of a class.
EXPANDABLE = {
    "customer": "Customer", "subscription": "Subscription", "latest_invoice": "Invoice",
    "invoice": "Invoice", "schedule": "SubscriptionSchedule", "discount": "Discount",
}
# A field that holds a list of objects of a class: ``customer.subscriptions``.
LISTS = {("Customer", "subscriptions"): "Subscription", ("Invoice", "lines"): "InvoiceLineItem",
         ("Subscription", "items"): "SubscriptionItem"}


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


def resource_call(path: tuple[str, ...]) -> tuple[str, str] | None:
    """``(class, method)`` of ``stripe.Invoice.list`` (also ``stripe.billing.Meter.create``)."""
    if len(path) >= 3 and path[0] == "stripe" and path[-2][:1].isupper() and not path[-1][:1].isupper():
        if all(not part[:1].isupper() for part in path[1:-2]):
            return path[-2], path[-1]
    return None


# Assertions of a test double: ``mock_create.assert_called_once_with(billing=...)`` checks the
# parameters of the call the double stands for.
MOCK_ASSERTIONS = frozenset({"assert_called_with", "assert_called_once_with", "assert_any_call", "call"})


def endpoint(path: tuple[str, ...]) -> tuple[str, str] | None:
    """``(class, parameter family)`` of a create/update/list call in either SDK style."""
    if path and path[-1] in MOCK_ASSERTIONS:
        path = path[:-1]
    call = client_call(path)
    if call is not None:
        service, method = call
        kind = SERVICES.get(service)
    else:
        found = resource_call(path)
        if found is None:
            return None
        kind, method = found
    family = FAMILIES.get(method)
    return (kind, family) if kind is not None and family is not None else None


def payload_kind(path: tuple[str, ...]) -> str | None:
    """The class whose payload or params a dict given to the call at ``path`` is, or None.

    ``object``: a converter, whose dict's own "object" key names the class.
    """
    if path in CONVERTERS:
        return "object"
    target = endpoint(path)
    if target is not None:
        return target[0]
    found = resource_call(path)
    if found is not None and found[1] == "construct_from":
        return found[0]
    return None


def is_customer_write(path: tuple[str, ...]) -> bool:
    """Customer create/update in the resource style or through a StripeClient service."""
    return endpoint(path) in (("Customer", CREATE), ("Customer", MODIFY))


# A StripeClient instance: its services are reached through attributes of this path.
CLIENT = ("<StripeClient>",)
# Event constructors and readers: (class, method) -> returns one event or many.
EVENT_ONE = frozenset(
    {("Webhook", "construct_event"), ("Webhook", "construct_event_without_verification"),
     ("Event", "construct_from"), ("Event", "retrieve"), ("Event", "retrieve_async")}
)
EVENT_MANY = frozenset({("Event", "list"), ("Event", "list_async")})
# Instance methods of an object: a test double's side effect receives the object first.
INSTANCE_METHODS = frozenset({"save", "refresh", "delete", "refresh_async", "delete_async"})
# Mock classes whose keyword arguments become attributes of the double.
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "NonCallableMock", "AsyncMock", "create_autospec"})


_NAMESPACES = frozenset({"issuing", "treasury", "billing", "checkout", "terminal", "radar", "identity", "tax",
                         "climate", "entitlements", "financial", "reporting", "sigma", "forwarding"})


def event_object(event_type: str) -> str | None:
    """The class of ``data.object`` of an event of this type (stripe-facts §4), or None when
    the type names no class of the SDK (``ledger.updated`` is not a Stripe event).

    ``customer.updated`` holds a Customer, ``customer.subscription.updated`` a Subscription,
    ``checkout.session.completed`` a Session, ``issuing_cardholder.updated`` a Cardholder.
    """
    parts = event_type.split(".")
    if len(parts) < 2 or not all(parts):
        return None
    name = parts[0] if len(parts) == 2 else parts[-2]  # charge.dispute.created: a Dispute
    kind = OBJECT_KINDS.get(name)
    if kind is None:
        words = name.split("_")
        kind = "".join(word.title() for word in words)
        if kind not in sdk_objects() and words[0] in _NAMESPACES:  # issuing_cardholder: an issuing.Cardholder
            kind = "".join(word.title() for word in words[1:])
    return kind if kind in sdk_objects() else None


@functools.lru_cache(maxsize=64)
def document_object(text: str) -> str | None:
    """The ``"object"`` that a JSON document names at its top, when it is a Stripe class's
    (``'{"object": "customer", ...}'``: ``"customer"``)."""
    try:
        document = json.loads(text) if text.lstrip().startswith("{") else None
    except ValueError:
        return None
    found = document.get("object") if isinstance(document, dict) else None
    return found if isinstance(found, str) and found in OBJECT_KINDS else None


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
        kind = SERVICES.get(service)
        if kind == "Event":
            return "Event", method.startswith("list")
        if kind is not None and method in ONE:
            return kind, False
        if kind is not None and method in MANY:
            return kind, True
        return None
    if path[:1] == CLIENT and path[-1] == "construct_event":
        return "Event", False
    found = resource_call(path)
    if found is None:
        return None
    if found in EVENT_ONE:
        return "Event", False
    if found in EVENT_MANY:
        return "Event", True
    cls, method = found
    if method in ONE or method in MANY or not _NESTED.match(method):
        return cls, method in MANY or method.startswith(("list", "search"))
    return None  # ``create_balance_transaction``, ``list_sources``: another class


@functools.lru_cache(maxsize=1)
def sdk_objects() -> frozenset[str]:
    """The SDK's API classes (``Customer``; not ``StripeContext``) and the chains of nested
    fields that hold an object, not a list or a scalar (``Customer.address``, ``Event.data``),
    from ``stripe_objects.txt``."""
    return listed("stripe_objects.txt") | {"StripeObject"}


def listed(name: str) -> frozenset[str]:
    """The lines of a list generated from SDK releases (``scripts/``), without its comments."""
    data = pkgutil.get_data(__package__, name)  # (``importlib.resources`` takes longer to import than this to run)
    assert data is not None, name
    text = data.decode("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
