"""Stripe payloads in JSON data files: test fixtures, recorded responses, stored webhook events.

A project that renames ``customer.account_balance`` in its code must rename the key in the
JSON its tests load too, or its suite breaks. An object is Stripe data of a class when its
``"object"`` key says so (``"customer"``), when its ``"id"`` has the class's prefix
(``cus_``), or by where it stands: an event's ``data.object`` and ``previous_attributes``
(by the event's ``type``), an expanded field (``"customer": {...}``). Catalog keys of such
an object are fixed or reviewed as in code, the keys of other Stripe objects are kept with
that proof, and keys of objects of no known class are review items. Every other byte of the
file stays as it is.
"""
from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass
from typing import Iterator, Union

from .catalog import BY_WORD, RENAME, REVIEW_ONLY, WORDS, Change
from .findings import CERTAIN, KEPT, UNKNOWN, Edit, Finding
from .lines import split_lines
from .options import Options
from .provenance import sdk

# Id prefixes of the classes the catalog changes (the longest first: sub_sched_ before sub_).
_ID_PREFIXES = (("sub_sched_", "SubscriptionSchedule"), ("cus_", "Customer"), ("in_", "Invoice"),
                ("sub_", "Subscription"), ("evt_", "Event"))
def encoding(data: bytes) -> str:
    """UTF-8; with a BOM, one that keeps it and counts columns from after it."""
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


@dataclass(frozen=True)
class _String:
    value: str
    start: int  # offsets of the text between the quotes
    end: int


@dataclass(frozen=True)
class _Object:
    items: tuple[tuple[_String, _Node], ...]

    def get(self, key: str) -> _Node | None:
        return next((value for name, value in self.items if name.value == key), None)


@dataclass(frozen=True)
class _Array:
    items: tuple[_Node, ...]


_Node = Union[_Object, _Array, _String, None]  # None: a number, true, false or null
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_SPACE = re.compile(r"[ \t\r\n]*")


class _Parser:
    """JSON that ``json.loads`` accepted, read again with the position of every string."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def value(self) -> _Node:
        self._space()
        char = self.text[self.at]
        if char == "{":
            return self._object()
        if char == "[":
            return self._array()
        if char == '"':
            return self._string()
        match = _SCALAR.match(self.text, self.at)
        assert match is not None
        self.at = match.end()
        return None

    def _space(self) -> None:
        match = _SPACE.match(self.text, self.at)
        self.at = match.end() if match else self.at

    def _object(self) -> _Object:
        self.at += 1
        items = []
        self._space()
        while self.text[self.at] != "}":
            key = self._string()
            self._space()
            self.at += 1  # :
            items.append((key, self.value()))
            self._space()
            if self.text[self.at] == ",":
                self.at += 1
                self._space()
        self.at += 1
        return _Object(tuple(items))

    def _array(self) -> _Array:
        self.at += 1
        items = []
        self._space()
        while self.text[self.at] != "]":
            items.append(self.value())
            self._space()
            if self.text[self.at] == ",":
                self.at += 1
                self._space()
        self.at += 1
        return _Array(tuple(items))

    def _string(self) -> _String:
        start = self.at + 1
        end = start
        while self.text[end] != '"':
            end += 2 if self.text[end] == "\\" else 1
        self.at = end + 1
        return _String(json.loads(self.text[start - 1 : end + 1]), start, end)


def check(path: str, data: bytes, options: Options) -> list[Finding]:
    """The findings of a JSON file (with their edits); ``ValueError`` when it is not JSON."""
    text = data.decode(encoding(data))
    json.loads(text)
    starts = [0]
    for line, ending in split_lines(text):
        starts.append(starts[-1] + len(line) + len(ending))
    out: list[Finding] = []
    _visit(_Parser(text).value(), None, path, options, starts, text, out)
    decided = {(f.line, f.col) for f in out}
    for match in _WORD.finditer(text):
        row, col = _position(starts, match.start())
        change = BY_WORD[match.group()]
        if (row, col + 1) not in decided and options.rule_enabled(change.code, path):
            out.append(Finding(change.code, row, col + 1, row, col + 1 + len(change.old), message=change.kept_message,
                               why="not a field of a Stripe object of this file: a metadata key (the project's own) or a value",
                               confidence=CERTAIN, safe=True, status=KEPT))
    return sorted(out, key=lambda f: (f.line, f.col))


_WORD = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(word) for word in WORDS) + r")(?![\w])")


def _kind(node: _Object) -> str | None:
    obj = node.get("object")
    if isinstance(obj, _String) and obj.value in sdk.OBJECT_KINDS:
        return sdk.OBJECT_KINDS[obj.value]
    ident = node.get("id")
    if isinstance(ident, _String):
        return next((kind for prefix, kind in _ID_PREFIXES if ident.value.startswith(prefix)), None)
    return None


def _visit(node: _Node, context: str | None, path: str, options: Options, starts: list[int], text: str,
           out: list[Finding]) -> None:
    for key, value, kind in _keys(node, context):
        if key.value in WORDS and options.rule_enabled(BY_WORD[key.value].code, path):
            found = _site(BY_WORD[key.value], key, value, kind, starts, text, options, path)
            if found is not None:
                out.append(found)


def _keys(node: _Node, context: str | None) -> Iterator[tuple[_String, _Node, str | None]]:
    """Every key of every object below ``node`` (metadata's keys aside), with its value and the
    class of its object: ``context`` is the class the place of the node implies
    (``data-of:Customer`` inside an event)."""
    if isinstance(node, _Array):
        for item in node.items:
            yield from _keys(item, context)
        return
    if not isinstance(node, _Object):
        return
    kind = _kind(node) or (context if context is None or not context.startswith("data-of:") else None)
    subject = None
    if kind == "Event":
        event_type = node.get("type")
        subject = sdk.event_object(event_type.value) if isinstance(event_type, _String) else None
    for key, value in node.items:
        if key.value == "metadata":
            continue  # its keys are the project's own
        yield key, value, kind
        inner: str | None = None
        if kind == "Event" and key.value == "data":
            inner = f"data-of:{subject}" if subject else None
        elif context is not None and context.startswith("data-of:") and key.value in ("object", "previous_attributes"):
            inner = context.split(":", 1)[1]
        elif key.value in sdk.EXPANDABLE:
            inner = sdk.EXPANDABLE[key.value]
        yield from _keys(value, inner)


@functools.lru_cache(maxsize=64)  # the sites of one string (or of one concatenation) ask in turn
def classes_of_keys(text: str) -> dict[int, str | None] | None:
    """For a JSON document, the offset of each key (after its quote) -> the Stripe class of the
    object holding it, None where no class is shown; None when ``text`` is not a JSON object."""
    try:
        if not isinstance(json.loads(text), dict):
            return None
    except ValueError:
        return None
    return {key.start: kind for key, _, kind in _keys(_Parser(text).value(), None)}


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    """(1-based line, 0-based column) of a text offset, given where each line starts."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1]


def _site(change: Change, key: _String, value: _Node, kind: str | None, starts: list[int], text: str,
          options: Options, path: str) -> Finding | None:
    line, col = _position(starts, key.start)
    span = (line, col + 1, line, col + 1 + len(key.value))
    where = f"a JSON object of {'a Stripe ' + kind if kind else 'no class the file shows'} ({path} line {line})"
    if kind is None:
        if not options.rule_enabled("SB900", path):
            return None
        return Finding("SB900", *span, message=change.review_message, why=where, confidence=UNKNOWN, safe=False)
    if kind not in change.kinds:
        return Finding(change.code, *span, message=change.kept_message, why=where, confidence=CERTAIN, safe=True,
                       status=KEPT)
    message = change.message.format(kind=kind, noun="key")
    if change.action == REVIEW_ONLY or change.new is None:
        return Finding(change.code, *span, message=message, why=where, confidence=CERTAIN, safe=True)
    assert change.action == RENAME
    edits = [Edit((line, col), (line, col + len(key.value)), text[key.start:key.end], change.new)]
    if change.values:
        literal = value.value if isinstance(value, _String) else None
        mapped = change.values.get(literal) if literal is not None else None
        if mapped is None:
            return Finding(change.code, *span, message=f"{message}; not renamed: its value cannot be mapped",
                           why=where, confidence=CERTAIN, safe=True)
        if isinstance(value, _String) and mapped != literal:
            value_line, value_col = _position(starts, value.start)
            edits.append(Edit((value_line, value_col), (value_line, value_col + value.end - value.start),
                              text[value.start:value.end], mapped))
    return Finding(change.code, *span, message=message, why=where, confidence=CERTAIN, safe=True, edits=tuple(edits))
