"""What provenance can know about a value: the answer to "is this Stripe data, and why?"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Union

import libcst as cst

from .. import records

if TYPE_CHECKING:
    from .module import Provenance


@records.fast_init
@dataclass(frozen=True)
class StripeSymbol:
    """A module, class or function of the stripe SDK (not data): ``stripe.Customer.retrieve``."""

    path: tuple[str, ...]
    why: str

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


OBJECT, OBJECT_OR_DICT = "object", "object or dict"  # forms of Stripe data


@records.fast_init
@dataclass(frozen=True)
class StripeData:
    """A value that provably comes from Stripe.

    ``kind`` is the SDK class name (``"Customer"``, ``"Balance"``, ``"Event"``), or
    ``"object"`` when the value is Stripe data of a type the code does not reveal; a field
    of unknown meaning is ``"<kind>.<field>"``. ``among`` narrows ``"object"`` to the classes
    the value may be; for an event (and its ``data``), it is the classes its ``data.object``
    may be, by the event types the code checks. ``many`` marks a list or an iterator of such
    values. ``literal`` is the dict literal the value was written as, if any. ``form`` says
    whether it is an object of the SDK (whose dict methods stripe-python 15 removed) rather than
    a plain dict (a JSON payload, a written-out fake).
    """

    kind: str
    why: str
    many: bool = False
    literal: cst.Dict | None = None
    origin: cst.Call | None = None  # the SDK call that returned it, for identity checks
    among: frozenset[str] | None = None
    form: str = ""  # OBJECT: an SDK object; OBJECT_OR_DICT: one, or a test's dict standing in; "": a dict or not shown

    def possible(self) -> frozenset[str] | None:
        """The classes this one value may be an instance of; None: any Stripe object."""
        if self.kind == "object":
            return self.among
        return frozenset({self.kind})


@records.fast_init
@dataclass(frozen=True)
class DictLiteral:
    """A dict literal with no Stripe "object" key: Stripe data only if it flows into a Stripe call."""

    literal: cst.Dict
    why: str


@records.fast_init
@dataclass(frozen=True)
class Foreign:
    """A value that provably is not Stripe data (a literal, a project class, a Django model)."""

    why: str


@records.fast_init
@dataclass(frozen=True)
class Scalar(Foreign):
    """``None``, ``0``, ``""``, ``False``: a sentinel where Stripe data is missing (``cu = None``)."""


@records.fast_init
@dataclass(frozen=True)
class Metadata(Foreign):
    """The ``metadata`` of Stripe data: keyed by the project, yet (``form``) an object of the SDK
    when its parent is one."""

    form: str = ""


@records.fast_init
@dataclass(frozen=True)
class DictCall(Foreign):
    """``dict(key=value, ...)``: a dict written as a call, the project's own unless it is sent to
    a Stripe call (``modify(cid, **changes)``)."""

    call: cst.Call | None = None


@records.fast_init
@dataclass(frozen=True)
class Rows(Foreign):
    """A Django manager or queryset of a model of the project (``Customer.objects.filter(...)``):
    what it gives are rows of ``model``, which ``owner`` analyses."""

    model: cst.ClassDef | None = None  # with ``owner``, None for a manager of a model the code does not show
    owner: Provenance | None = None


@records.fast_init
@dataclass(frozen=True)
class Unset(Scalar):
    """``stripe_class = None`` in a class body: a placeholder that subclasses (or methods) set."""


@records.fast_init
@dataclass(frozen=True)
class FieldNames(Foreign):
    """A literal list of strings (``["id", "balance"]``), or, as ``item``, one of them in a loop:
    field names as data. ``owner`` is the module whose tree holds the strings."""

    strings: tuple[cst.SimpleString, ...] = ()
    owner: object = None
    item: bool = False


@records.fast_init
@dataclass(frozen=True)
class Unknown:
    """Neither proven Stripe nor proven foreign; ``why`` says what stopped the proof."""

    why: str


@records.fast_init
@dataclass(frozen=True)
class Mixed(Unknown):
    """Undecided, but Stripe data on one of the paths it may come from (``stripe``): the code
    that reads it uses Stripe, even in a module that never imports it."""

    stripe: StripeData


@records.fast_init
@dataclass(frozen=True)
class Imported(Unknown):
    """A name imported from a module of the project, resolved only when it is used."""

    module: str
    name: str | None
    level: int


@records.fast_init
@dataclass(frozen=True)
class MockDouble(Unknown):
    """A ``Mock(...)`` test double: Stripe data only if it stands in for a Stripe call's result."""

    origin: cst.Call


@records.fast_init
@dataclass(frozen=True)
class Dispatch(Unknown):
    """One of the functions of a dispatch table, ``HANDLERS[event.type]``: the key picks it."""

    table: cst.Dict


@records.fast_init
@dataclass(frozen=True)
class Parts(Unknown):
    """A tuple whose items are known one by one (``return customer, True``; ``-> tuple[Customer, bool]``):
    unpacking it binds each name to its own item."""

    items: tuple[Fact, ...] = ()


@records.fast_init
@dataclass(frozen=True)
class Params(Unknown):
    """The keyword arguments a test double of a Stripe call received (``double.call_args.kwargs``):
    the parameters of ``endpoint`` (class, parameter family), when the call is one."""

    endpoint: tuple[str, str] | None = None
    dotted: str = ""


@records.fast_init
@dataclass(frozen=True)
class CallArgs(Parts):
    """``double.call_args``: ``(args, kwargs)``, also read as ``.args`` and ``.kwargs``; with
    ``many``, ``double.call_args_list``, whose items are such pairs."""

    many: bool = False


@records.fast_init
@dataclass(frozen=True)
class Parameter(Unknown):
    """An unannotated parameter: what the calls of its function pass decides (``stripe``: Stripe
    data that some of them pass, when they do not agree)."""

    function: cst.FunctionDef
    name: str
    stripe: StripeData | None = None


@records.fast_init
@dataclass(frozen=True)
class LocalDef:
    """A function or class defined in a module of the project (``owner`` analyses it)."""

    node: cst.FunctionDef | cst.ClassDef
    why: str
    owner: Provenance


@records.fast_init
@dataclass(frozen=True)
class Instance:
    """An instance of a class of the project (``self`` inside its methods)."""

    cls: cst.ClassDef
    why: str
    owner: Provenance


@records.fast_init
@dataclass(frozen=True)
class ProjectModule:
    """A module of the project, imported as a whole."""

    owner: Provenance
    why: str


Fact = Union[
    StripeSymbol, StripeData, DictLiteral, Foreign, Unknown, LocalDef, Instance, ProjectModule
]


# What a summary still being computed stands for: it adds nothing to a join.
PENDING = Unknown("still being worked out")


def join(facts: list[Fact], why: str) -> Fact:
    """One fact for a value that may come from any of ``facts`` (branches, several returns)."""
    facts = [fact for fact in facts if fact is not PENDING] or facts
    if any(isinstance(fact, (StripeData, Parts)) for fact in facts):
        # Stripe data or a sentinel (`cu = None` until retrieved): wherever a field is read, it is the Stripe data
        facts = [fact for fact in facts if not isinstance(fact, Scalar)]
    if not facts:
        return Unknown(why)
    first = facts[0]
    if all(same(first, other) for other in facts[1:]):
        return first
    if isinstance(first, StripeData) and all(
        isinstance(f, StripeData) and (f.kind, f.many) == (first.kind, first.many) for f in facts
    ):
        return _join_data([f for f in facts if isinstance(f, StripeData)])
    if all(isinstance(f, StripeData) and not f.many and "." not in f.kind for f in facts):
        return _join_kinds([f for f in facts if isinstance(f, StripeData)])
    if isinstance(first, Parts) and all(isinstance(f, Parts) and len(f.items) == len(first.items) for f in facts):
        columns = zip(*(f.items for f in facts if isinstance(f, Parts)))
        return Parts(why, tuple(join(list(column), why) for column in columns))
    if all(isinstance(fact, (Foreign, Instance)) for fact in facts):
        return Foreign(f"{why}, none of them Stripe data")
    stripe = next((found for found in map(stripe_path, facts) if found is not None), None)
    if stripe is not None:
        return Mixed(_undecided(why, facts, stripe), stripe)
    return Unknown(_undecided(why, facts))


def stripe_path(fact: Fact | None) -> StripeData | None:
    """The Stripe data a value is, or may be on one of the paths it comes from."""
    if isinstance(fact, StripeData):
        return fact
    return fact.stripe if isinstance(fact, (Mixed, Parameter)) else None


def _undecided(why: str, facts: list[Fact], stripe: StripeData | None = None) -> str:
    """What settles a join that is not decided: the path that is not proven, next to the Stripe one."""
    if stripe is not None:
        plain = [f for f in facts if stripe_path(f) is None]
        other = next((f for f in plain if isinstance(f, Unknown)), plain[0] if plain else stripe)
        return f"{why}: a Stripe {stripe.kind} on one, but on another {other.why}"
    unproven = next((f for f in facts if isinstance(f, Unknown)), None)
    if unproven is None:
        return why
    return f"{why}: on one, {unproven.why}"


def _join_data(facts: list[StripeData]) -> StripeData:
    """Stripe data of one kind on every path: what the paths do not agree on is dropped."""
    first = facts[0]
    literal = first.literal if all(f.literal is first.literal for f in facts) else None
    origin = first.origin if all(f.origin is first.origin for f in facts) else None
    among = None if any(f.among is None for f in facts) else frozenset().union(*(f.among or () for f in facts))
    return StripeData(first.kind, first.why, first.many, literal, origin, among, joined_form(f.form for f in facts))


def _join_kinds(facts: list[StripeData]) -> StripeData:
    """One Stripe object of a different class on different paths: an object of one of them."""
    possible = [f.possible() for f in facts]
    among = None if any(p is None for p in possible) else frozenset().union(*(p or () for p in possible))
    why = f"{facts[0].why}; Stripe data on every other path too"
    return StripeData("object", why, among=among, form=joined_form(f.form for f in facts))


def joined_form(forms: Iterable[str]) -> str:
    """The form of a value that is Stripe data of each of these forms on some path."""
    found = set(forms)
    if found == {OBJECT}:
        return OBJECT
    return OBJECT_OR_DICT if found & {OBJECT, OBJECT_OR_DICT} else ""


def same(a: Fact, b: Fact) -> bool:
    """Whether two facts say the same thing about a value (their evidence may differ)."""
    if a is b:
        return True
    if isinstance(a, StripeData) and isinstance(b, StripeData):
        return (a.kind, a.many, a.literal, a.among, a.form) == (b.kind, b.many, b.literal, b.among, b.form)
    if isinstance(a, StripeSymbol) and isinstance(b, StripeSymbol):
        return a.path == b.path
    if isinstance(a, DictLiteral) and isinstance(b, DictLiteral):
        return a.literal is b.literal
    if isinstance(a, LocalDef) and isinstance(b, LocalDef):
        return a.node is b.node
    if isinstance(a, Instance) and isinstance(b, Instance):
        return a.cls is b.cls
    if isinstance(a, ProjectModule) and isinstance(b, ProjectModule):
        return a.owner is b.owner
    if isinstance(a, Parts) and isinstance(b, Parts):
        return len(a.items) == len(b.items) and all(same(x, y) for x, y in zip(a.items, b.items))
    return isinstance(a, Foreign) and isinstance(b, Foreign)


def rewhy(fact: Fact, why: str) -> Fact:
    """The same fact with other evidence."""
    if isinstance(fact, (StripeData, Foreign, Instance, Mixed)):
        return records.replace(fact, why=why)
    if type(fact) is Unknown:
        return Unknown(why)
    return fact
