"""Reading dict literals: their string keys and the values under them."""
from __future__ import annotations

import libcst as cst


def string_items(literal: cst.Dict) -> list[tuple[str, cst.BaseExpression]]:
    """``(key, value)`` of each element with a plain string key, in source order."""
    return [
        (element.key.evaluated_value, element.value)
        for element in literal.elements
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
        and isinstance(element.key.evaluated_value, str)
    ]
