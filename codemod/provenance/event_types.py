"""Which Stripe events a module handles, from the event types its code names.

One scan of the module finds three kinds of evidence that a ``["data"]["object"]`` read is
the object of a Stripe event, and of which types:

- a raw JSON payload whose ``["type"]`` is compared with event types (``payload["type"] ==
  "customer.updated"``): the ``data.object`` of that payload;
- an event *record*, the project's own object that stores a webhook (a Django model, say),
  whose ``.type`` or ``.kind`` is compared with event types: the ``data.object`` of the
  payload kept in any of its attributes (``record.message["data"]["object"]``);
- a handler class that names the event type it handles in a class attribute (``name =
  "customer.updated"``): the ``data.object`` that its methods read.

The types may be named through a constant: ``if record.kind in CUSTOMER_EVENTS``.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import stripe_sdk as sdk
from .literals import key_read, string_key
from ..literal import text_of, value_of
from .walk import children

EVENT_TYPE = re.compile(r"^[a-z_]+(\.[a-z_]+)*\.[a-z_]*(ed|paid|sent|due|upcoming|will_end|required|expiring)$")
PAYLOAD_KEYS = ("object", "previous_attributes")
_RECORD_TYPE_FIELDS = frozenset({"type", "kind", "event_type"})


def event_kinds(node: cst.CSTNode, constants: dict[str, cst.BaseExpression] | None = None) -> set[str]:
    """The classes of ``data.object`` of the event types a literal (or a tuple of them, or a
    constant bound to one) names."""
    if isinstance(node, cst.Name) and constants:
        node = constants.get(node.value, node)
    text = text_of(node)
    if text is not None:
        kind = sdk.event_object(text)
        return {kind} if kind is not None else set()
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return {kind for element in node.elements for kind in event_kinds(element.value)}
    return set()


def event_type_of(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``event`` of ``event.type``, ``event["type"]`` or ``event.get("type")``."""
    if isinstance(node, cst.Attribute) and node.attr.value == "type":
        return node.value
    return key_read(node, "type")


def payload_root(node: cst.CSTNode) -> cst.BaseExpression | None:
    """``payload`` of ``payload["data"]["object"]`` or ``payload.get("data", {}).get("object")``
    (and ``previous_attributes``)."""
    if isinstance(node, cst.Subscript) and string_key(node) in PAYLOAD_KEYS:
        return key_read(node.value, "data")
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get":
        for key in PAYLOAD_KEYS:
            if key_read(node, key) is not None:
                return key_read(node.func.value, "data")
    return None


class EventChecks:
    """The event types one module checks, and where.

    A check holds in the function that makes it (and the functions nested in it): the same
    name in two functions is two values.
    """

    def __init__(self, module: cst.Module, constants: dict[str, cst.BaseExpression], at: Callable[[cst.CSTNode], str]) -> None:
        self._at = at
        self._constants = constants
        # (scope, payload name) -> classes; (scope, record) -> classes and the check's why
        self._raw: dict[tuple[int, str], set[str]] = {}
        self._records: dict[tuple[int, str], tuple[set[str], str]] = {}
        # id of a payload read -> its payload, its scopes (innermost first), the handler class it is in
        self._reads: dict[int, tuple[cst.BaseExpression, tuple[int, ...], tuple[frozenset[str], str] | None]] = {}
        stack: list[tuple[cst.CSTNode, tuple[int, ...], tuple[frozenset[str], str] | None]] = [(module, (id(module),), None)]
        while stack:
            node, scopes, handler = stack.pop()
            if isinstance(node, cst.Comparison):
                self._comparison(node, scopes[0])
            elif isinstance(node, cst.ClassDef):
                handler = self._handler(node) or handler  # an inner handler class wins
            elif isinstance(node, (cst.FunctionDef, cst.Lambda)):
                scopes = (id(node), *scopes)
            else:
                root = payload_root(node)
                if root is not None:
                    self._reads[id(node)] = (root, scopes, handler)
            stack.extend((child, scopes, handler) for child in children(node))

    def payload(self, node: cst.CSTNode) -> tuple[frozenset[str], str] | None:
        """The classes that ``node``, a ``["data"]["object"]`` read, may hold, and why."""
        if id(node) not in self._reads:
            return None
        root, scopes, handler = self._reads[id(node)]
        if handler is not None:
            return handler
        record = _dotted(root.value) if isinstance(root, cst.Attribute) else None
        for scope in scopes:
            if isinstance(root, cst.Name) and (scope, root.value) in self._raw:
                kinds = self._raw[scope, root.value]
                why = f"{root.value} is a webhook payload whose type is checked as an event of a {_types(kinds)}"
                return frozenset(kinds), why
            if isinstance(root, cst.Attribute) and record is not None and (scope, record) in self._records:
                kinds, why = self._records[scope, record]
                return frozenset(kinds), f"{record}.{root.attr.value} holds the payload of an event record: {why}"
        return None

    def _comparison(self, node: cst.Comparison, scope: int) -> None:
        strings = [t.comparator for t in node.comparisons] + [node.left]
        kinds = {kind for string in strings for kind in event_kinds(string, self._constants)}
        if not kinds:
            return
        left = node.left
        subject = None if isinstance(left, cst.Attribute) else event_type_of(left)
        if isinstance(subject, cst.Name):
            self._raw.setdefault((scope, subject.value), set()).update(kinds)
        elif isinstance(left, cst.Attribute) and left.attr.value in _RECORD_TYPE_FIELDS:
            record = _dotted(left.value)
            if record is not None:
                why = f"its {left.attr.value} is checked as an event of a {_types(kinds)} ({self._at(node)})"
                self._records.setdefault((scope, record), (set(), why))[0].update(kinds)

    def _handler(self, cls: cst.ClassDef) -> tuple[frozenset[str], str] | None:
        named = [(target, value) for target, value in _class_constants(cls) if EVENT_TYPE.match(str(value_of(value)))]
        kinds = frozenset(kind for _, value in named for kind in event_kinds(value))
        if not kinds:
            return None
        types = ", ".join(value.value for _, value in named)
        return kinds, f"{cls.name.value} handles {types} events ({named[0][0]}, {self._at(named[0][1])})"


def _class_constants(cls: cst.ClassDef) -> Iterable[tuple[str, cst.SimpleString]]:
    """``name = "customer.updated"`` in a class body."""
    for line in cls.body.body:
        for small in line.body if isinstance(line, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.SimpleString):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        yield target.target.value, small.value


def _dotted(node: cst.BaseExpression) -> str | None:
    return get_full_name_for_node(node) if isinstance(node, (cst.Name, cst.Attribute)) else None


def _types(kinds: Iterable[str]) -> str:
    return " or ".join(sorted(kinds))
