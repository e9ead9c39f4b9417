"""The value of a string literal, read once however often it is asked for."""
from __future__ import annotations

import functools
from ast import literal_eval

import libcst as cst


def value_of(string: cst.SimpleString) -> str | bytes:
    """The value of a string literal (LibCST's ``evaluated_value``, which compiles the literal
    each time it is read: the same strings are read again and again)."""
    return _evaluated(string.value)


def text_of(node: cst.CSTNode | None) -> str | None:
    """The text of a plain (not bytes) string literal; None for any other node."""
    if type(node) is not cst.SimpleString:
        return None
    value = value_of(node)
    return value if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)
def _evaluated(literal: str) -> str | bytes:
    value: str | bytes = literal_eval(literal)
    return value
