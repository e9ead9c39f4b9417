"""Short, readable renderings of expressions for the ``why`` of a finding."""
from __future__ import annotations

import libcst as cst

_EMPTY = cst.Module(body=[])
_LIMIT = 60


def describe(node: cst.CSTNode) -> str:
    """``stripe.Customer.retrieve(...)``: names and calls without their arguments."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{describe(node.value)}.{node.attr.value}"
    if isinstance(node, cst.Call):
        return f"{describe(node.func)}(...)"
    if isinstance(node, cst.Await):
        return f"await {describe(node.expression)}"
    if isinstance(node, cst.Subscript):
        return f"{describe(node.value)}[...]"
    if isinstance(node, cst.Dict):
        return "{...}"
    try:
        text = " ".join(_EMPTY.code_for_node(node).split())
    except Exception:  # a fragment that is only code inside its parent (CSTCodegenError)
        return type(node).__name__

    return text if len(text) <= _LIMIT else text[: _LIMIT - 3] + "..."
