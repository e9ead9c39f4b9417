"""Short, readable renderings of expressions for the ``why`` of a finding."""
from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable

import libcst as cst

_EMPTY = cst.Module(body=[])
_LIMIT = 60


def describe(node: cst.CSTNode) -> str:
    """``stripe.Customer.retrieve(...)``: names and calls without their arguments, at most 60
    characters. The cost is that of the text shown (and of the chain of left operands it
    starts with), never of the whole expression."""
    text = _render(node, _LIMIT + 1)
    return text if len(text) <= _LIMIT else text[: _LIMIT - 3] + "..."


def _render(node: cst.CSTNode, budget: int) -> str:
    """At least the first ``budget`` characters of the rendering (more are cut by the caller)."""
    if budget <= 0:
        return "..."
    # ``a.b(...)[...] + c``: walk down the chain of left operands without recursion (a chain
    # can be thousands long), then write it back up from its first operand
    spine: list[cst.CSTNode] = []
    down = _DOWN.get(type(node))
    while down is not None:
        spine.append(node)
        node = down(node)
        down = _DOWN.get(type(node))
    text = "".join("(" * len(getattr(link, "lpar", ())) for link in spine) + _leaf(node, budget)
    for link in reversed(spine):
        if len(text) > budget:
            break
        text += _suffix(link, budget - len(text)) + ")" * len(getattr(link, "lpar", ()))
    return text


def _suffix(link: cst.CSTNode, budget: int) -> str:
    if type(link) is cst.Attribute:
        return f".{link.attr.value}"
    if type(link) is cst.Call:
        return "(...)"
    if type(link) is cst.Subscript:
        return "[...]"
    assert isinstance(link, (cst.BinaryOperation, cst.BooleanOperation))
    operator = f" {_operator(link.operator)} "
    return operator + _render(link.right, budget - len(operator))


def _leaf(node: cst.CSTNode, budget: int) -> str:
    parens = len(getattr(node, "lpar", ()))
    if parens:
        return "(" * parens + _bare(node, budget - 2 * parens) + ")" * parens
    return _bare(node, budget)


def _bare(node: cst.CSTNode, budget: int) -> str:
    if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.Imaginary)):
        return node.value
    if isinstance(node, cst.SimpleString):
        return node.value[: max(budget, 0) + 1]
    if isinstance(node, cst.Await):
        return "await " + _render(node.expression, budget - 6)
    if isinstance(node, cst.UnaryOperation):
        operator = _operator(node.operator)
        operator += " " if operator == "not" else ""
        return operator + _render(node.expression, budget - len(operator) - 1)
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        left, (target,) = _render(node.left, budget), node.comparisons
        operator = f" {_operator(target.operator)} "
        return left + operator + _render(target.comparator, budget - len(left) - len(operator))
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)) and all(isinstance(e, cst.Element) for e in node.elements):
        opening, closing = {cst.List: ("[", "]"), cst.Tuple: ("", ""), cst.Set: ("{", "}")}[type(node)]  # a tuple's are its lpar
        items: list[str] = []
        for element in node.elements:
            room = budget - 2 - sum(len(item) + 2 for item in items)
            if room <= 0:
                items.append("...")
                break
            items.append(_render(element.value, room))
        return opening + ", ".join(items) + ("," if len(items) == 1 and isinstance(node, cst.Tuple) else "") + closing
    if isinstance(node, cst.IfExp):
        body = _render(node.body, budget)
        test = _render(node.test, budget - len(body) - 4)
        return f"{body} if {test} else {_render(node.orelse, budget - len(body) - len(test) - 10)}"
    for kind, text in _SHAPES:
        if isinstance(node, kind):
            return text
    return _code(node)


# the left operand of each link of a chain (``isinstance`` on LibCST's classes is slow: a table by class)
_DOWN: dict[type, Callable[[Any], cst.CSTNode]] = {
    cst.Attribute: attrgetter("value"), cst.Subscript: attrgetter("value"), cst.Call: attrgetter("func"),
    cst.BinaryOperation: attrgetter("left"), cst.BooleanOperation: attrgetter("left"),
}
_SHAPES: tuple[tuple[type[cst.CSTNode], str], ...] = (
    (cst.Dict, "{...}"), (cst.List, "[...]"), (cst.Tuple, "(...)"), (cst.Set, "{...}"),
    (cst.ListComp, "[... for ...]"), (cst.SetComp, "{... for ...}"), (cst.DictComp, "{... for ...}"),
    (cst.GeneratorExp, "(... for ...)"), (cst.Lambda, "lambda ..."), (cst.FormattedString, 'f"..."'),
    (cst.ConcatenatedString, '"..." "..."'),
)


def _operator(node: cst.CSTNode) -> str:
    """``+``, ``not in``: an operator's own tokens, without generating its code."""
    tokens = getattr(node, "_get_tokens", None)
    if tokens is not None:
        return " ".join(tokens())
    token = getattr(node, "_get_token", None)
    return token() if token is not None else _code(node).strip()


def _code(node: cst.CSTNode) -> str:
    try:
        return " ".join(_EMPTY.code_for_node(node).split())
    except Exception:  # a fragment that is only code inside its parent (CSTCodegenError)
        return type(node).__name__
