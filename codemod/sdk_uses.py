"""Uses of the stripe SDK's own surface that a newer stripe-python removed.

A Stripe object used as a dict (``cu.get("balance")``, ``dict(cu)``, ``{**cu}``,
``json.dumps(cu)``, ``cu.items()``, ``len(cu)``, ``for key in cu``), imports of the modules
``stripe.error`` and ``stripe.util``, and ``stripe.util.X`` (from 13.0 the attribute
``stripe.error`` is an alias the SDK keeps, but no module to import). Only the uses are collected here, with the facts of
their receivers; the rules (``rules/sdk_surface.py``) decide what each proven one becomes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import records
from .catalog import DICT_METHODS
from .provenance import Env, Fact, Imported, Provenance, StripeSymbol, Visits
from .statements import bodies

# What a use is: a dict method called on the object, or the object handed to something that
# treats it as a dict (``dict(cu)``, ``{**cu}``, ``json.dumps(cu)``, ``len(cu)``, iteration).
METHOD, CONVERSION = "method", "conversion"
_CONVERTING_BUILTINS = frozenset({"dict", "len"})
_MODULES = ("error", "util")


@records.fast_init
@dataclass(frozen=True)
class ObjectUse:
    how: str  # METHOD or CONVERSION
    node: cst.CSTNode  # what a fix replaces: the call of a method or of dict(), else the object's expression
    value: cst.BaseExpression  # the object's expression
    fact: Fact  # what the walk knew of it there (resolved by the rule)
    what: str  # ``.get()``, ``dict()``, ``{**...}``, ``json.dumps()``, ``for ... in``


@dataclass(frozen=True)
class ModuleUse:
    node: cst.CSTNode  # what to replace: an attribute ``stripe.error.CardError``, a module name of an import
    module: str  # "error" or "util"
    names: tuple[str, ...]  # the names taken from it; empty: the module itself
    import_from: bool  # ``from stripe.error import ...``


def collector(prov: Provenance) -> tuple[list[ObjectUse], list[ModuleUse], Visits]:
    objects: list[ObjectUse] = []
    text = prov.text  # an import of stripe.error or stripe.util names it: else no statement is looked at
    modules = list(_module_imports(prov.module)) if text is None or "error" in text or "util" in text else []
    loops = list(_loops(prov.module.body))
    iterated = {id(loop.iter) for loop in loops}
    dumps = text is None or "dumps" in text  # json.dumps(cu) names it

    def conversion(value: cst.BaseExpression, env: Env, what: str, whole: cst.CSTNode | None = None) -> None:
        objects.append(ObjectUse(CONVERSION, whole or value, value, prov.fact(value, env), what))

    def visit(node: cst.CSTNode, env: Env) -> None:
        if id(node) in iterated:
            conversion(node, env, "for ... in")  # type: ignore[arg-type]
        if type(node) is cst.Call:  # ``type() is``: ``isinstance`` on LibCST's classes is slow
            func = node.func
            first = node.args[0].value if node.args and node.args[0].keyword is None and not node.args[0].star else None
            if isinstance(func, cst.Attribute) and (func.attr.value in DICT_METHODS or func.attr.value == "to_dict_recursive"):
                objects.append(ObjectUse(METHOD, node, func.value, prov.fact(func.value, env), f".{func.attr.value}()"))
            elif first is not None and isinstance(func, cst.Name) and func.value in _CONVERTING_BUILTINS and len(node.args) == 1:
                if env.lookup(func.value) is None:  # the builtin; dict(cu) is replaced whole
                    conversion(first, env, f"{func.value}()", node if func.value == "dict" else None)
            elif dumps and first is not None and _is_json_dumps(func, env):
                conversion(first, env, "json.dumps()")
        elif type(node) is cst.Dict:
            for element in node.elements:
                if isinstance(element, cst.StarredDictElement):
                    conversion(element.value, env, "{**...}")
        elif type(node) is cst.Attribute and type(node.value) is cst.Attribute and node.value.attr.value == "util":
            owner = node.value  # stripe.util of stripe.util.convert_to_stripe_object; stripe.error.X still resolves
            module = prov.resolve(prov.fact(owner, env))
            if isinstance(module, StripeSymbol) and module.path == ("stripe", owner.attr.value):
                modules.append(ModuleUse(node, owner.attr.value, (node.attr.value,), False))

    # the classes ``visit`` looks at (``tests/test_dispatch.py`` holds it to its branches), and those
    # of what the module's loops iterate over
    return objects, modules, dict.fromkeys((*VISITED, *(type(loop.iter) for loop in loops)), visit)


VISITED = (cst.Call, cst.Dict, cst.Attribute)


def _is_json_dumps(func: cst.BaseExpression, env: Env) -> bool:
    dotted = get_full_name_for_node(func) or ""
    root = dotted.split(".")[0]
    bound = env.lookup(root)
    if dotted == "json.dumps":
        return isinstance(bound, Imported) and bound.module == "json" and bound.name is None
    return dotted == "dumps" and isinstance(bound, Imported) and bound.module == "json" and bound.name == "dumps"


def _module_imports(module: cst.Module) -> Iterator[ModuleUse]:
    """``from stripe.error import CardError``, ``from stripe import error``, ``import stripe.error``."""
    for node in _imports(module.body):
        if isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
            dotted = get_full_name_for_node(node.module) or ""
            names = () if isinstance(node.names, cst.ImportStar) else tuple(
                get_full_name_for_node(alias.name) or "" for alias in node.names)
            if dotted in ("stripe.error", "stripe.util"):
                yield ModuleUse(node.module, dotted.split(".")[1], names, True)
            elif dotted == "stripe":
                for name in names:
                    if name in _MODULES:
                        yield ModuleUse(node, name, (), True)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                dotted = get_full_name_for_node(alias.name) or ""
                if dotted in ("stripe.error", "stripe.util"):
                    yield ModuleUse(node, dotted.split(".")[1], (), False)


_IMPORTS = frozenset({cst.Import, cst.ImportFrom})
_LINES = frozenset({cst.SimpleStatementLine, cst.SimpleStatementSuite})  # small statements, no block inside


def _imports(stmts: Sequence[cst.BaseStatement]) -> Iterator[cst.Import | cst.ImportFrom]:
    """Every import statement, at any depth of the statements (functions, ``try``, ``if``)."""
    for stmt in stmts:
        # ``type() is``, not ``isinstance``: on LibCST's classes it is slow, and these see every statement
        if type(stmt) in _LINES:
            yield from (small for small in stmt.body if type(small) in _IMPORTS)  # type: ignore[attr-defined]
        else:
            for block in bodies(stmt):
                yield from _imports(block)


def _loops(stmts: Sequence[cst.BaseStatement]) -> Iterator[cst.For]:
    """Every ``for`` statement, at any depth of the statements."""
    for stmt in stmts:
        if type(stmt) is cst.For:
            yield stmt
        if type(stmt) not in _LINES:
            for block in bodies(stmt):
                yield from _loops(block)
