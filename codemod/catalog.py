"""The catalog: every change of a Stripe API version the codemod migrates, as data.

One entry per change. The pre-filter, the sites, the messages, the rule documentation
(``--list-rules``, ``--explain``, SARIF), the review items and the LibCST command are all
derived from these entries; a rule module only says how a *kind* of change is applied
(rename, value-mapped rename, review only). This module imports nothing heavy: the command
line reads it before deciding whether LibCST is needed at all.

Adding a rename is one ``Change`` below plus a fixture folder ``fixtures/<code>/``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

RENAME, REVIEW_ONLY = "rename", "review"

# Parameter families of an endpoint, as the SDK styles spell them (``modify`` is
# ``update`` on a StripeClient service); every one also exists as ``<name>_async``.
CREATE, MODIFY, LIST = "create", "modify", "list"


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    api_version: str
    kinds: tuple[str, ...]  # the SDK classes whose field or parameter ``old`` is
    old: str
    new: str | None  # None: removed without a name to move to
    action: str  # RENAME (safe fix) or REVIEW_ONLY
    summary: str
    message: str  # a proven site: ``{kind}`` is the proven object, ``{noun}`` field/key/parameter
    doc_what: str
    doc_why: str
    example: str  # code that a test migrates ...
    use_instead: str  # ... into exactly this (the same code for a review-only change)
    fix_safety: str
    # (kind, family): the endpoints that took ``old`` as a parameter at the old version
    params: tuple[tuple[str, str], ...] = ()
    # old value -> new value; None: no equivalent value (a review item)
    values: Mapping[str, str | None] = field(default_factory=dict)
    # other Stripe objects with a field of the same name: Stripe data of an unknown type
    # is not enough to rename, and on these objects the name is left alone
    also_on: tuple[str, ...] = ()
    # words a module must mention (any case) for an undecided site of a very common name
    # (``start``) to be a review item; empty: every Stripe-using module
    context: tuple[str, ...] = ()
    # the type of the field's value: where the code reads an attribute that this type does not
    # have (``x.billing.address``), ``x.billing`` is some other object's field
    holds: type | None = None

    @property
    def kinds_text(self) -> str:
        """``Customer``; ``Invoice, Subscription or SubscriptionSchedule``."""
        if len(self.kinds) == 1:
            return self.kinds[0]
        return f"{', '.join(self.kinds[:-1])} or {self.kinds[-1]}"

    @property
    def review_message(self) -> str:
        """What an undecided site of this change says (SB900)."""
        return f"could not prove whether this `{self.old}` is a Stripe {self.kinds_text} field; review it"

    @property
    def kept_message(self) -> str:
        """What a site proven not to be this change's data says."""
        return f"not a Stripe {self.kinds_text} `{self.old}`: left as it is"

    @property
    def fix(self) -> str:
        return "safe" if self.action == RENAME else "review"

    @property
    def doc(self) -> str:
        return _doc(self.doc_what, self.doc_why, self.example, self.use_instead, self.fix_safety)


def _doc(what: str, why: str, example: str, use_instead: str, safety: str) -> str:
    """ruff-style documentation: What it does / Why is this bad? / Example / Fix safety."""
    return (
        f"## What it does\n{what}\n\n## Why is this bad?\n{why}\n\n"
        f"## Example\n```python\n{example}```\n"
        + (f"Use instead:\n```python\n{use_instead}```\n" if use_instead != example else "")
        + f"\n## Fix safety\n{safety}\n"
    )


_VERSION = "2019-10-17"

CHANGES: tuple[Change, ...] = (
    Change(
        code="SB001",
        name="customer-balance-rename",
        api_version=_VERSION,
        kinds=("Customer",),
        old="account_balance",
        new="balance",
        action=RENAME,
        summary="`account_balance` -> `balance` on Stripe Customer data and parameters",
        message="Stripe {kind} {noun} `account_balance` is `balance` since API 2019-10-17",
        doc_what=(
            "Renames `account_balance` to `balance` wherever it is a field or a parameter of a Stripe\n"
            "Customer that the codemod can prove: attributes, subscript and `.get()` keys,\n"
            "`getattr`/`hasattr`/`setattr` strings, `\"account_balance\" in c` tests, `account_balance=`\n"
            "keywords and params-dict keys of `Customer.create`/`modify` (and `_async`, and the\n"
            "`StripeClient` services), and keys of Customer payloads (`\"object\": \"customer\"` dicts,\n"
            "dicts given to `construct_from`, webhook `data.object` of `customer.*` events)."
        ),
        doc_why=(
            "Stripe API version 2019-10-17 renamed the Customer field. Every stripe-python release since\n"
            "6.0 pins a newer API version, so `c.account_balance` raises `AttributeError`,\n"
            "`c[\"account_balance\"]` raises `KeyError` and `account_balance=` is rejected with\n"
            "\"Received unknown parameter\" as soon as the SDK is upgraded."
        ),
        example=(
            "customer = stripe.Customer.retrieve(\"cus_123\")\n"
            "owed = customer.account_balance\n"
            "stripe.Customer.modify(\"cus_123\", account_balance=0)\n"
        ),
        use_instead=(
            "customer = stripe.Customer.retrieve(\"cus_123\")\n"
            "owed = customer.balance\n"
            "stripe.Customer.modify(\"cus_123\", balance=0)\n"
        ),
        fix_safety=(
            "Safe. `balance` has existed next to `account_balance`, with the same value, since\n"
            "2019-05-31, so the renamed code also works against API versions pinned before 2019-10-17.\n"
            "Only sites whose receiver is proven Stripe data (confidence `certain`) are rewritten.\n"
            "Sites where only a name suggests Stripe (`stripe_customer` of unknown origin) have\n"
            "confidence `likely`: they are listed for review and rewritten only with\n"
            "`--include-likely`. Everything else undecided is an SB900 review finding."
        ),
        params=(("Customer", CREATE), ("Customer", MODIFY)),
        holds=int,
    ),
    Change(
        code="SB003",
        name="billing-to-collection-method",
        api_version=_VERSION,
        kinds=("Invoice", "Subscription", "SubscriptionSchedule"),
        old="billing",
        new="collection_method",
        action=RENAME,
        summary="`billing` -> `collection_method` on Stripe Invoices, Subscriptions and Subscription Schedules",
        message="Stripe {kind} {noun} `billing` is `collection_method` since API 2019-10-17",
        doc_what=(
            "Renames `billing` to `collection_method` on proven Stripe Invoice, Subscription and\n"
            "SubscriptionSchedule data, and in the parameters of their create, update and list calls\n"
            "(every SDK style, params dicts, payload dicts, `invoice.*`, `customer.subscription.*` and\n"
            "`subscription_schedule.*` webhook objects). `billing_reason`, `billing_details`,\n"
            "`billing_thresholds`, `billing_cycle_anchor`, `stripe.billing` (an SDK namespace), an\n"
            "Issuing Cardholder's `billing` and the project's own `billing` are never touched."
        ),
        doc_why=(
            "API version 2019-10-17 removed `billing` from these objects and their endpoints: the field\n"
            "is gone (`AttributeError`, `KeyError`) and the parameter is rejected as unknown."
        ),
        example=(
            "sub = stripe.Subscription.retrieve(\"sub_123\")\n"
            "if sub.billing == \"send_invoice\":\n"
            "    stripe.Subscription.modify(\"sub_123\", billing=\"charge_automatically\")\n"
        ),
        use_instead=(
            "sub = stripe.Subscription.retrieve(\"sub_123\")\n"
            "if sub.collection_method == \"send_invoice\":\n"
            "    stripe.Subscription.modify(\"sub_123\", collection_method=\"charge_automatically\")\n"
        ),
        fix_safety=(
            "Safe. `collection_method` was accepted and returned next to `billing` from 2019-06-24 on,\n"
            "with the same values (`charge_automatically`, `send_invoice`), so the renamed code also works\n"
            "against API versions pinned before 2019-10-17. Stripe data of a type the code does not\n"
            "reveal is only reported, because an Issuing Cardholder has a `billing` field of its own."
        ),
        params=(
            ("Invoice", CREATE), ("Invoice", LIST),
            ("Subscription", CREATE), ("Subscription", MODIFY), ("Subscription", LIST),
            ("SubscriptionSchedule", CREATE), ("SubscriptionSchedule", MODIFY),
        ),
        also_on=("Cardholder",),
        context=("invoice", "subscription", "schedule"),
        holds=str,
    ),
    Change(
        code="SB004",
        name="subscription-start-review",
        api_version=_VERSION,
        kinds=("Subscription",),
        old="start",
        new="start_date",
        action=REVIEW_ONLY,
        summary="Subscription `start` is gone; `start_date` means something else: review each read",
        message=(
            "Stripe {kind} {noun} `start` is gone since API 2019-10-17; `start_date` is the start of the"
            " whole subscription, not of the current period: review this use"
        ),
        doc_what=(
            "Reports every read of `start` on a proven Stripe Subscription (attributes, keys,\n"
            "`customer.subscription.*` webhook objects, payload dicts)."
        ),
        doc_why=(
            "API version 2019-10-17 replaced `start` with `start_date`. The names look alike but the\n"
            "meaning differs: `start` was the start of the current plan (it moved on a plan change);\n"
            "`start_date` is the start of the whole subscription. Where the code meant the current\n"
            "period, `current_period_start` is the field to read."
        ),
        example=(
            "sub = stripe.Subscription.retrieve(\"sub_123\")\n"
            "began = sub.start\n"
        ),
        use_instead=(
            "sub = stripe.Subscription.retrieve(\"sub_123\")\n"
            "began = sub.start\n"
        ),
        fix_safety=(
            "No fix: a person decides between `start_date` and `current_period_start`. A Discount's or\n"
            "a line item period's `start` is another field and is never reported."
        ),
        also_on=("Discount", "Period", "InvoiceLineItem"),
        context=("subscription",),
    ),
    Change(
        code="SB005",
        name="schedule-renewal-behavior",
        api_version=_VERSION,
        kinds=("SubscriptionSchedule",),
        old="renewal_behavior",
        new="end_behavior",
        action=RENAME,
        summary="SubscriptionSchedule `renewal_behavior` -> `end_behavior`, with its values mapped",
        message="Stripe {kind} {noun} `renewal_behavior` is `end_behavior` since API 2019-10-17",
        doc_what=(
            "Renames `renewal_behavior` to `end_behavior` on proven Stripe SubscriptionSchedule data and\n"
            "in the parameters of its create and update calls, and maps the literal values that go with\n"
            "it: `release` stays `release`, `none` becomes `cancel`."
        ),
        doc_why=(
            "API version 2019-10-17 removed `renewal_behavior`. `end_behavior` says what happens when the\n"
            "schedule ends; the old `none` (the subscription ends with the schedule) is `cancel` there."
        ),
        example=(
            "stripe.SubscriptionSchedule.modify(\"sub_sched_123\", renewal_behavior=\"none\")\n"
        ),
        use_instead=(
            "stripe.SubscriptionSchedule.modify(\"sub_sched_123\", end_behavior=\"cancel\")\n"
        ),
        fix_safety=(
            "Safe where every value is a literal with an equivalent: `end_behavior` was accepted before\n"
            "2019-10-17 too. `renew` has no equivalent (it renewed the last phase forever), and a value\n"
            "the code computes cannot be mapped: those sites are review items, never renamed."
        ),
        params=(("SubscriptionSchedule", CREATE), ("SubscriptionSchedule", MODIFY)),
        values={"release": "release", "none": "cancel", "renew": None},
        holds=str,
    ),
    Change(
        code="SB006",
        name="schedule-renewal-interval-removed",
        api_version=_VERSION,
        kinds=("SubscriptionSchedule",),
        old="renewal_interval",
        new=None,
        action=REVIEW_ONLY,
        summary="SubscriptionSchedule `renewal_interval` is gone: review each use",
        message=(
            "Stripe {kind} {noun} `renewal_interval` is gone since API 2019-10-17, with no replacement:"
            " review this use"
        ),
        doc_what="Reports every use of `renewal_interval` on proven Stripe SubscriptionSchedule data or parameters.",
        doc_why=(
            "Renewing schedules were removed: there is no field to move to. A schedule that should go on\n"
            "needs its phases extended, or `end_behavior: release`."
        ),
        example=(
            "schedule = stripe.SubscriptionSchedule.retrieve(\"sub_sched_123\")\n"
            "every = schedule.renewal_interval\n"
        ),
        use_instead=(
            "schedule = stripe.SubscriptionSchedule.retrieve(\"sub_sched_123\")\n"
            "every = schedule.renewal_interval\n"
        ),
        fix_safety="No fix: the code around it has to change by hand.",
        params=(("SubscriptionSchedule", CREATE), ("SubscriptionSchedule", MODIFY)),
    ),
    Change(
        code="SB007",
        name="invoice-due-date-null",
        api_version=_VERSION,
        kinds=("Invoice",),
        old="due_date",
        new=None,
        action=REVIEW_ONLY,
        summary="Invoice `due_date` is always null under `charge_automatically`: review each read",
        message=(
            "Stripe {kind} {noun} `due_date` is always null for `charge_automatically` invoices since"
            " API 2019-10-17: review this use"
        ),
        doc_what="Reports every read of `due_date` on a proven Stripe Invoice.",
        doc_why=(
            "From API version 2019-10-17 on, `due_date` is null whenever the invoice's collection method\n"
            "is `charge_automatically`. Code that computes with it (overdue checks, reminders) gets\n"
            "`None` for those invoices."
        ),
        example=(
            "invoice = stripe.Invoice.retrieve(\"in_123\")\n"
            "late = invoice.due_date < now\n"
        ),
        use_instead=(
            "invoice = stripe.Invoice.retrieve(\"in_123\")\n"
            "late = invoice.due_date < now\n"
        ),
        fix_safety=(
            "No fix: the field keeps its name. Check `collection_method` first, or handle `None`;\n"
            "`due_date` of `send_invoice` invoices is unchanged."
        ),
        context=("invoice",),
    ),
)

BY_WORD: dict[str, Change] = {change.old: change for change in CHANGES}
BY_CODE: dict[str, Change] = {change.code: change for change in CHANGES}
WORDS = frozenset(BY_WORD)


# -- the SDK surface: changes of stripe-python itself, keyed by the release that made them ----------

GET, AS_DICT, MODULES = "get", "as-dict", "modules"  # the kinds of SDK change


@dataclass(frozen=True)
class SdkChange:
    code: str
    name: str
    sdk_version: tuple[int, int]  # the first stripe-python release where the old code fails
    what: str  # GET, AS_DICT or MODULES: how the rule finds and fixes it
    fix: str  # "safe" or "review"
    summary: str
    doc_what: str
    doc_why: str
    example: str
    use_instead: str
    fix_safety: str
    # bytes one of which a file must hold for the change to have a use in it (the pre-filter)
    markers: tuple[bytes, ...] = ()
    # the release from which the fixed code works (the old one keeps working up to sdk_version)
    fixed_from: tuple[int, int] = (0, 0)

    @property
    def doc(self) -> str:
        return _doc(self.doc_what, self.doc_why, self.example, self.use_instead, self.fix_safety)


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


NEWEST_SDK = (16, 1)  # the newest stripe-python the catalog knows: the default --target-sdk
# The dict methods stripe-python 15 took from Stripe objects (``update`` stays: it stages fields for ``save()``).
DICT_METHODS = frozenset({"get", "keys", "items", "values", "pop", "popitem", "setdefault", "clear", "copy"})
ERROR_CLASSES = frozenset({
    "APIConnectionError", "APIError", "AuthenticationError", "CardError", "IdempotencyError", "InvalidRequestError",
    "PermissionError", "RateLimitError", "SignatureVerificationError", "StripeError", "StripeErrorWithParamCode",
})
# What of ``stripe.util`` the top-level ``stripe`` module exports (from 7.8 on).
UTIL_EXPORTS = frozenset({"convert_to_stripe_object"})

SDK_CHANGES: tuple[SdkChange, ...] = (
    SdkChange(
        code="SB201",
        name="stripe-object-get",
        sdk_version=(15, 0),
        what=GET,
        markers=(b".get(",),
        fix="safe",
        summary="`obj.get(key, default)` on a Stripe object -> `obj[key] if key in obj else default`",
        doc_what=(
            "Rewrites `.get(key)` and `.get(key, default)` on a value proven to be an object of the\n"
            "stripe SDK (a call's result, `construct_from`, an annotated `stripe.Customer`) into\n"
            "`obj[key] if key in obj else default`. An `account_balance` key is renamed in the same\n"
            "edit. Plain dicts (`json.loads` payloads, written-out fakes, webhook bodies) are left alone."
        ),
        doc_why=(
            "From stripe-python 15.0 on, `StripeObject` is no longer a dict: `.get()` raises\n"
            "`AttributeError` (16.x: \"'get' is a dict method, but a Customer is not a dict\")."
        ),
        example="customer = stripe.Customer.retrieve(\"cus_123\")\nowed = customer.get(\"balance\", 0)\n",
        use_instead=(
            "customer = stripe.Customer.retrieve(\"cus_123\")\n"
            "owed = customer[\"balance\"] if \"balance\" in customer else 0\n"
        ),
        fix_safety=(
            "Safe. Subscript and `in` behave the same on every stripe-python release and on a plain\n"
            "dict, so the rewritten line also runs where a test passes a dict in place of the object\n"
            "(`getattr(obj, key, default)`, the SDK's own advice, does not). Only a receiver that can be\n"
            "read twice (a name, an attribute, a subscript by a literal) and a default without a call\n"
            "are rewritten; anything else is a review item."
        ),
    ),
    SdkChange(
        code="SB202",
        name="stripe-object-as-dict",
        sdk_version=(15, 0),
        what=AS_DICT,
        markers=(b"dict(", b"**", b"dumps(", b"len(", b"for ", *(f".{m}(".encode() for m in sorted(DICT_METHODS - {"get"})),
                 b"to_dict_recursive"),
        fix="safe",
        summary="a Stripe object used as a dict (`dict(obj)`, `{**obj}`, `json.dumps(obj)`, `.items()`) -> `obj.to_dict()`",
        doc_what=(
            "Finds a proven object of the stripe SDK used as a dict: `dict(obj)`, `{**obj}`,\n"
            "`json.dumps(obj)`, `obj.keys()`/`.items()`/`.values()`, `len(obj)` and `for key in obj`\n"
            "become the same on `obj.to_dict()`. Its dict mutators (`.pop`, `.setdefault`, `.clear`,\n"
            "`.popitem`), `.copy()` and `to_dict_recursive()` are review items; `.update()` still works."
        ),
        doc_why=(
            "From stripe-python 15.0 on, `StripeObject` is no longer a dict: these calls raise\n"
            "`TypeError` or `AttributeError`. `to_dict()` exists on every release."
        ),
        example="customer = stripe.Customer.retrieve(\"cus_123\")\nprint(json.dumps(customer))\n",
        use_instead="customer = stripe.Customer.retrieve(\"cus_123\")\nprint(json.dumps(customer.to_dict()))\n",
        fix_safety=(
            "Safe for the object itself: `to_dict()` gives the fields that `dict(obj)` gave. From 15.0 it\n"
            "is recursive, so nested objects come back as dicts too (read them by key); from 7.9 to\n"
            "14.x it emits a `DeprecationWarning`, withdrawn in 15.0. Where a test passes a plain dict\n"
            "in place of the object, no one form fits both (a dict has no `to_dict()`): a review item.\n"
            "Mutators have no one-line equivalent: set fields one by one (`obj.field = value`)."
        ),
    ),
    SdkChange(
        code="SB210",
        name="stripe-error-and-util-modules",
        sdk_version=(13, 0),
        fixed_from=(7, 8),
        what=MODULES,
        markers=(b"stripe.error", b"stripe.util", b"import error", b"import util"),
        fix="safe",
        summary="imports of `stripe.error` and `stripe.util`, and `stripe.util.X` -> the top-level `stripe` (removed in 13.0)",
        doc_what=(
            "Rewrites `from stripe.error import CardError` to `from stripe import CardError`,\n"
            "`import stripe.error` to `import stripe`, and `stripe.util.convert_to_stripe_object` (in an\n"
            "import or an attribute) to `stripe.convert_to_stripe_object`. What the top-level module does\n"
            "not export (`stripe.util.convert_to_dict`, `from stripe import error`, `import stripe.error as\n"
            "errors`) is a review item. `stripe.error.CardError` read as an attribute is left alone: the\n"
            "SDK keeps `stripe.error` as an alias of its private errors module."
        ),
        doc_why=(
            "stripe-python 7.8 exported everything from the top-level `stripe` module and deprecated\n"
            "`stripe.error` and `stripe.util`; 13.0 removed both modules, so importing them fails with\n"
            "`ModuleNotFoundError` (and `stripe.util` is no attribute any more)."
        ),
        example="from stripe.error import CardError\n\ncustomer = stripe.util.convert_to_stripe_object(payload)\n",
        use_instead="from stripe import CardError\n\ncustomer = stripe.convert_to_stripe_object(payload)\n",
        fix_safety=(
            "Safe when the project's stripe requirement (pyproject.toml, requirements*.txt) allows 7.8 or\n"
            "later, or names none: the new names exist from 7.8 on. A requirement that keeps the SDK\n"
            "below 7.8 turns each site into a review item: raise the requirement first."
        ),
    ),
)
SDK_BY_CODE: dict[str, SdkChange] = {change.code: change for change in SDK_CHANGES}
