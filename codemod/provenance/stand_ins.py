"""Values that are Stripe data by where they go, not by where they come from.

A dict literal passed to a create/update call or to ``construct_from``; the
``return_value`` of a test double of ``stripe.Customer.retrieve`` (a dict or a
``Mock(balance=...)``); the object a patched ``save`` hands to its ``side_effect``; the
mocks that ``mock.patch`` injects. The walk tells this module about each call and
assignment; the verdicts ask it afterwards, once every use is known.
"""
from __future__ import annotations

import builtins
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.helpers import get_full_name_for_node

from .. import records
from . import stripe_sdk as sdk
from .env import Env
from .literals import string_items
from ..literal import text_of, value_of
from .facts import DictCall, DictLiteral, Fact, Foreign, Imported, Instance, LocalDef, MockDouble, StripeData, StripeSymbol, Unknown

if TYPE_CHECKING:
    from .module import Provenance


@records.fast_init
@dataclass(frozen=True)
class StandIn:
    kind: str  # the SDK class it stands for; "object": a converter's, named by its "object" key
    why: str
    params: bool = False  # the parameters of a create/update call, not a payload of the object


class StandIns:
    def __init__(self, prov: Provenance) -> None:
        self.prov = weakref.proxy(prov)  # the provenance holds this: no cycle to wait for the collector
        self._why: dict[int, StandIn] = {}
        self._foreign: dict[int, str] = {}  # dicts given to the project's own calls
        self.items: dict[int, Fact] = {}  # key functions (a lambda, itemgetter(...)) -> the items they get

    def forget(self) -> None:
        """Drop what was learnt (``Provenance.close``)."""
        self._why, self._foreign, self.items = {}, {}, {}

    def of(self, node: cst.CSTNode) -> StandIn | None:
        """What a dict literal, ``Mock(...)`` call or function stands in for by its use, or None."""
        return self._why.get(id(node))

    def foreign_use(self, literal: cst.Dict | cst.Call) -> str | None:
        """Why a dict literal is the project's own data: it goes to the project's storage, not to Stripe."""
        return self._foreign.get(id(literal))

    def own(self, literal: cst.Dict, why: str) -> None:
        """A dict literal the code declares as one of its own types (a ``TypedDict``)."""
        self._foreign.setdefault(id(literal), why)

    def note_call(self, node: cst.Call, env: Env) -> None:
        """Remember what a call makes Stripe data: params dicts, test doubles' payloads."""
        callee = self.prov.fact(node.func, env)
        path = callee.path if isinstance(callee, StripeSymbol) else None
        kind = sdk.payload_kind(path) if path is not None else None
        if path is not None and kind is not None:
            params = sdk.endpoint(path) is not None
            passed = [arg for arg in node.args if arg.keyword is None or arg.keyword.value == "params"]
            why = f"passed to {self.prov.described(node)}" if passed else ""
            for arg in passed:
                self._mark(arg.value, env, StandIn(kind, why, params))
            return
        if isinstance(callee, (LocalDef, Imported)):
            self._passed_to_project(node, self.prov.resolve(callee), env)
        if isinstance(callee, (Foreign, Instance)) or isinstance(callee, LocalDef) and isinstance(callee.node, cst.ClassDef):
            self._given_to_project(node, callee, env)
        patched = self.patched(node, env)
        if patched is None:
            return
        here = self.prov.described(node)
        why = f"stands in for {'.'.join(patched)} in {here}"
        returned = sdk.returns(patched)
        replacement = [a.value for a in node.args if a.keyword is None][2:3]
        if replacement and isinstance(replacement[0], cst.Lambda) and returned is not None and not returned[1]:
            self._mark(replacement[0].body, env, StandIn(returned[0], why))  # monkeypatch.setattr(C, "retrieve", lambda *a: {...})
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "return_value" and returned is not None and not returned[1]:
                self._mark(arg.value, env, StandIn(returned[0], why))
            elif keyword == "side_effect" and patched[-1] in sdk.INSTANCE_METHODS and len(patched) >= 3:
                fn = self.prov.fact(arg.value, env)
                target = fn.node if isinstance(fn, LocalDef) else arg.value
                cls = patched[-2]
                self._why[id(target)] = StandIn(cls, f"receives the {cls.lower()}: side effect of {'.'.join(patched)} in {here}")

    def note_assignment(self, target: cst.BaseExpression, value: cst.BaseExpression, env: Env) -> None:
        """``mock.return_value = {...}`` on a double of a Customer call makes the dict a Customer."""
        if isinstance(target, cst.Attribute) and target.attr.value == "return_value":
            double = self.prov.fact(target.value, env)
            returned = sdk.returns(double.path) if isinstance(double, StripeSymbol) else None
            if isinstance(double, StripeSymbol) and returned is not None and not returned[1]:
                why = f"return value of a double of {double.dotted} ({self.prov.at(target)})"
                self._mark(value, env, StandIn(returned[0], why))

    def _mark(self, value: cst.BaseExpression, env: Env, why: StandIn) -> None:
        if isinstance(value, (cst.Dict, cst.Call)):
            self._why.setdefault(id(value), why)
            if isinstance(value, cst.Dict) and not why.params:
                self.payload(value, why.kind, why.why)
            return
        fact = self.prov.fact(value, env)
        if isinstance(fact, (DictLiteral, StripeData)) and fact.literal is not None:
            self._why.setdefault(id(fact.literal), why)
            if not why.params:
                self.payload(fact.literal, why.kind, why.why)
        elif isinstance(fact, MockDouble):
            self._why.setdefault(id(fact.origin), why)
        elif isinstance(fact, DictCall) and fact.call is not None:
            self._why.setdefault(id(fact.call), why)

    def _passed_to_project(self, node: cst.Call, callee: Fact, env: Env) -> None:
        """A dict, ``dict(...)``, ``SimpleNamespace(...)`` or ``Mock(...)`` (written out in the call or
        bound to a name before) given to a function of the project where it expects Stripe data
        stands in for that data (a test's fake customer)."""
        if not (isinstance(callee, LocalDef) and isinstance(callee.node, cst.FunctionDef)):
            return
        index = 0
        for arg in node.args:
            if arg.star:
                return
            position = index if arg.keyword is None else None
            index += arg.keyword is None
            if not (fake(arg.value) or self._written_out(arg.value, env)):
                continue
            found = callee.owner.parameter(callee.node, position, arg.keyword.value if arg.keyword else None)
            if found is None:
                continue
            name, fact = found
            if isinstance(fact, StripeData) and not fact.many:
                why = f"is passed as {name} of {callee.node.name.value}(), which takes a Stripe {fact.kind}: {fact.why}"
                self._mark(arg.value, env, StandIn(fact.kind, why))

    def _written_out(self, value: cst.BaseExpression, env: Env) -> bool:
        """A name bound to a fake: ``cu = dict(balance=0)`` before ``sync(cu=cu)``."""
        return type(value) is cst.Name and isinstance(self.prov.fact(value, env), (DictLiteral, DictCall, MockDouble))

    def _given_to_project(self, node: cst.Call, callee: Fact, env: Env) -> None:
        """``Wallet.objects.update_or_create(defaults={...})``, ``Wallet(**row)``: the dicts are the project's."""
        if isinstance(node.func, cst.Name) and node.func.value in _BUILTINS and env.lookup(node.func.value) is None:
            return  # print(row), dict(row): says nothing of where the data goes
        dicts: list[cst.CSTNode] = []
        for arg in node.args:
            if isinstance(arg.value, cst.Call) and isinstance(arg.value.func, cst.Name) and arg.value.func.value == "dict":
                dicts.append(arg.value)
                continue
            fact = self.prov.fact(arg.value, env)
            if isinstance(fact, DictLiteral):
                dicts.append(fact.literal)
            elif isinstance(fact, DictCall) and fact.call is not None:
                dicts.append(fact.call)
        why = f"given to {self.prov.described(node)}, a call of the project's own ({callee.why})" if dicts else ""
        for made in dicts:
            self._foreign.setdefault(id(made), why)

    def payload(self, literal: cst.Dict, kind: str, why: str) -> None:
        """The dicts nested in a payload of ``kind``: an event's ``data.object`` and
        ``previous_attributes`` (of the class its ``type`` names), expanded objects."""
        for key, value in string_items(literal):
            if not isinstance(value, cst.Dict):
                continue
            if kind == "Event" and key == "data":
                event_type = dict(string_items(literal)).get("type")
                found = value_of(event_type) if isinstance(event_type, cst.SimpleString) else None
                text = found if isinstance(found, str) else ""
                inner = sdk.event_object(text) if text else None
                for part, held in string_items(value):
                    if inner is not None and part in ("object", "previous_attributes") and isinstance(held, cst.Dict):
                        self._nest(held, inner, f"the {part} of a {text} event payload: {why}")
            elif key in sdk.EXPANDABLE:
                self._nest(value, sdk.EXPANDABLE[key], f"the {key} of a {kind} payload: {why}")

    def _nest(self, literal: cst.Dict, kind: str, why: str) -> None:
        if id(literal) not in self._why:
            self._why[id(literal)] = StandIn(kind, why)
            self.payload(literal, kind, why)

    def patched(self, call: cst.Call, env: Env) -> tuple[str, ...] | None:
        """The SDK callable a ``mock.patch(...)``/``patch.object(...)`` call replaces."""
        name = get_full_name_for_node(call.func) or ""
        args = [arg.value for arg in call.args if arg.keyword is None]
        if name.endswith(("patch.object", "monkeypatch.setattr")) and len(args) >= 2 and (attr := text_of(args[1])) is not None:
            owner = self.prov.fact(args[0], env)
            if isinstance(owner, StripeSymbol):
                return (*owner.path, attr)
        elif (name == "patch" or name.endswith(".patch")) and args and (target := text_of(args[0])) is not None:
            if target.startswith("stripe."):
                parts = target.split(".")
                classes = [i for i, part in enumerate(parts) if part[:1].isupper()]
                return ("stripe", *parts[classes[0]:]) if classes else tuple(parts)
        return None

    def entered(self, item: cst.BaseExpression, env: Env) -> Fact:
        """What ``with item as name`` binds: a double of a Stripe callable, or nothing known."""
        if isinstance(item, cst.Call):
            patched = self.patched(item, env)
            if patched is not None:
                return StripeSymbol(patched, f"a double of {'.'.join(patched)} ({self.prov.at(item)})")
        return Unknown(f"bound by a with statement ({self.prov.at(item)})")

    def decorated(self, fn: cst.FunctionDef, env: Env) -> dict[int, Fact]:
        """Parameters injected by ``@mock.patch(...)`` decorators, by position after ``self``."""
        doubles: dict[int, Fact] = {}
        index = 0
        for decorator in reversed(fn.decorators):
            call = decorator.decorator
            if not isinstance(call, cst.Call):
                continue
            name = get_full_name_for_node(call.func) or ""
            if not (name == "patch" or name.endswith((".patch", "patch.object"))):
                continue
            if any(arg.keyword is not None and arg.keyword.value == "new" for arg in call.args):
                continue
            patched = self.patched(call, env)
            if patched is not None:
                doubles[index] = StripeSymbol(patched, f"a double of {'.'.join(patched)} ({self.prov.at(call)})")
            index += 1
        return doubles

    def lambda_parameter(self, node: cst.Lambda, param: cst.Param) -> Fact:
        use = self.of(node)
        first = [*node.params.posonly_params, *node.params.params][:1]
        if use is not None and first and first[0] is param:
            return StripeData(use.kind, f"{param.name.value} {use.why}")
        item = self.items.get(id(node))
        if item is not None and first and first[0] is param:
            return item
        return Unknown(f"{param.name.value} is a lambda parameter")

    def note_key_function(self, node: cst.Call, env: Env) -> None:
        """``sorted(customers, key=lambda c: c["balance"])``, ``map(attrgetter("balance"), customers)``:
        the key function gets the items of the iterable."""
        found = applied(node, env)
        if found is not None:
            function, iterable = found
            self.items[id(function)] = self.prov.element(self.prov.fact(iterable, env), iterable)


def applied(call: cst.Call, env: Env | None) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """The function and the items of ``map(f, items)``, ``filter(f, items)``, ``sorted(items, key=f)``,
    ``min``/``max`` alike, and ``items.sort(key=f)``: ``f`` is called on each item (not when ``env``
    says the code defines a ``map`` of its own; without one, where it may be)."""
    func = call.func
    if isinstance(func, cst.Name):
        if func.value not in _KEYED or (env is not None and env.lookup(func.value) is not None):
            return None
    elif not (isinstance(func, cst.Attribute) and func.attr.value == "sort"):
        return None
    if any(arg.star for arg in call.args):
        return None
    positional = [arg.value for arg in call.args if arg.keyword is None]
    if isinstance(func, cst.Name) and func.value in ("map", "filter"):
        return (positional[0], positional[1]) if len(positional) >= 2 else None
    key = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "key"), None)
    iterable = func.value if isinstance(func, cst.Attribute) else positional[0] if positional else None
    return (key, iterable) if key is not None and iterable is not None else None


_BUILTINS = frozenset(dir(builtins))
_KEYED = frozenset({"sorted", "min", "max", "map", "filter"})
_FAKES = frozenset({"dict", "SimpleNamespace", *sdk.MOCK_CLASSES})


def fake(value: cst.BaseExpression) -> bool:
    """A value a test writes out to stand for Stripe data."""
    if isinstance(value, cst.Dict):
        return True
    return isinstance(value, cst.Call) and (get_full_name_for_node(value.func) or "").rpartition(".")[2] in _FAKES
