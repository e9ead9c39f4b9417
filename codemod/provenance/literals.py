"""Reading literals: the string keys of dicts and subscripts and the values under them."""
from __future__ import annotations

from typing import Iterable

import libcst as cst

from ..literal import text_of


def string_items(literal: cst.Dict) -> list[tuple[str, cst.BaseExpression]]:
    """``(key, value)`` of each element with a plain string key, in source order."""
    return [
        (key, element.value)
        for element in literal.elements
        if isinstance(element, cst.DictElement) and (key := text_of(element.key)) is not None
    ]


def string_key(node: cst.Subscript) -> str | None:
    """``"data"`` of ``x["data"]``."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return text_of(node.slice[0].slice.value)


def first_string(call: cst.Call) -> str | None:
    """The string literal a call is given first: ``"data"`` of ``x.get("data", {})``."""
    if call.args and call.args[0].keyword is None:
        return text_of(call.args[0].value)
    return None


def key_read(node: cst.BaseExpression, key: str) -> cst.BaseExpression | None:
    """``x`` of ``x[key]`` or ``x.get(key, ...)``."""
    if isinstance(node, cst.Subscript) and string_key(node) == key:
        return node.value
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" \
            and first_string(node) == key:
        return node.func.value
    return None


_LITERALS = (cst.SimpleString, cst.Tuple, cst.List, cst.Set)


def constants(nodes: Iterable[cst.CSTNode]) -> dict[str, cst.BaseExpression]:
    """Names bound once (in any scope of a module), to a string literal or a literal collection:
    ``CUSTOMER_EVENTS = ("customer.created", ...)``, ``CUSTOMER_JSON = '{"object": "customer"}'``."""
    bound: dict[str, cst.BaseExpression | None] = {}
    for node in nodes:
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            name = node.targets[0].target.value
            bound[name] = node.value if name not in bound and isinstance(node.value, _LITERALS) else None
    return {name: value for name, value in bound.items() if value is not None}
