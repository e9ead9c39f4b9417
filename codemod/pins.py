"""API version pins in a module: where the code asks Stripe for one API version.

``stripe.api_version = "..."``, ``stripe_version=`` of any SDK call (``StripeClient(...)``,
a resource call, ``raw_request``), ``api_version=`` of ``WebhookEndpoint.create/modify``,
and in Stripe-using code ``{"stripe_version": ...}`` options or ``{"Stripe-Version": ...}``
headers. Only pins are collected here; the rule decides which are too old.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node

from .provenance import Env, Imported, Provenance, StripeSymbol, Visits, describe
from .literal import text_of, value_of


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HEADERS = frozenset({"stripe_version", "stripe-version"})


@dataclass(frozen=True)
class Pin:
    node: cst.CSTNode  # the literal, or the name of a constant another module defines
    version: str
    how: str  # "stripe.api_version = ...", "stripe_version= of StripeClient(...)", ...
    endpoint: bool = False  # pins the webhook payloads, not the requests
    where: str = ""  # the other module's constant, ``proj/settings.py line 3``


def collector(prov: Provenance) -> tuple[list[Pin], Visits]:
    pins: list[Pin] = []
    if prov.text is not None and "version" not in prov.text.lower():  # each pin's name says it (Stripe-Version too)
        return pins, {}
    constants = _constants(prov.module)
    seen: set[int] = set()  # a constant used by several pins is one finding
    seen_elsewhere: set[str] = set()

    def visit(node: cst.CSTNode, env: Env) -> None:
        if type(node) is cst.Assign:  # ``type() is``: ``isinstance`` on LibCST's classes is slow
            for target in node.targets:
                owner = target.target
                if isinstance(owner, cst.Attribute) and owner.attr.value == "api_version":
                    if _is_stripe_module(prov, owner.value, env):
                        _add(node.value, "set as stripe.api_version", env=env)
        elif type(node) is cst.Call:
            callee = None
            for arg in node.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword not in ("stripe_version", "api_version"):
                    continue
                callee = callee or prov.resolve(prov.fact(node.func, env))
                if not isinstance(callee, StripeSymbol):
                    continue
                endpoint = keyword == "api_version"
                if endpoint and "WebhookEndpoint" not in callee.path:
                    continue
                _add(arg.value, f"{keyword}= of {callee.dotted.replace('<StripeClient>', 'client')}(...)", endpoint, env)
        elif type(node) is cst.Dict:
            for element in node.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    key = value_of(element.key)
                    if isinstance(key, str) and key.lower() in _HEADERS and prov.stripe_evidence:
                        _add(element.value, f'the "{key}" of a dict')

    def _add(value: cst.BaseExpression, how: str, endpoint: bool = False, env: Env | None = None) -> None:
        literal = _literal(value, constants)
        if literal is None:
            found = _elsewhere(prov, value, env) if env is not None else None
            if found is not None and found[1] not in seen_elsewhere:
                seen_elsewhere.add(found[1])
                pins.append(Pin(value, found[0], f"{how}, through {describe(value)}", endpoint, found[1]))
            return
        text = text_of(literal)
        if text is not None and id(literal) not in seen:
            if _DATE.match(text):
                seen.add(id(literal))
                through = "" if literal is value else f", through {describe(value)}"
                pins.append(Pin(literal, text, how + through, endpoint))

    return pins, dict.fromkeys(VISITED, visit)


VISITED = (cst.Assign, cst.Call, cst.Dict)  # the classes ``visit`` looks at (``tests/test_dispatch.py`` holds it to its branches)


def _constants(module: cst.Module) -> dict[str, cst.SimpleString]:
    """Module-level ``NAME = "..."`` string constants (bound once)."""
    found: dict[str, list[cst.SimpleString]] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else (
                    [small.target] if isinstance(small, cst.AnnAssign) else [])
                for target in targets:
                    if isinstance(target, cst.Name):
                        found.setdefault(target.value, []).append(value)  # type: ignore[arg-type]
    return {name: values[0] for name, values in found.items() if len(values) == 1 and isinstance(values[0], cst.SimpleString)}


def _literal(value: cst.BaseExpression, constants: dict[str, cst.SimpleString]) -> cst.SimpleString | None:
    """The string a pin is written as: a literal, a module constant, or the default of
    ``os.environ.get("STRIPE_API_VERSION", "2019-08-14")`` / ``os.getenv(...)``."""
    if isinstance(value, cst.SimpleString):
        return value
    if isinstance(value, cst.Name):
        return constants.get(value.value)
    if isinstance(value, cst.Call) and (get_full_name_for_node(value.func) or "").endswith(("environ.get", "getenv")):
        defaults = [arg.value for arg in value.args if arg.keyword is None][1:2] or [
            arg.value for arg in value.args if arg.keyword is not None and arg.keyword.value == "default"]
        return _literal(defaults[0], constants) if defaults else None
    return None


def _is_stripe_module(prov: Provenance, node: cst.BaseExpression, env: Env) -> bool:
    fact = prov.fact(node, env)
    return isinstance(fact, StripeSymbol) and fact.path == ("stripe",)


def _elsewhere(prov: Provenance, value: cst.BaseExpression, env: Env) -> tuple[str, str] | None:
    """The date string and the place of a constant of another module of the project that a pin is
    set from: ``from .config import API_VERSION``, ``config.API_VERSION``, or Django's
    ``settings.STRIPE_API_VERSION`` (from the project's settings modules)."""
    project, path = prov.project, prov.path
    if project is None or path is None:
        return None
    name: str | None = None
    module: tuple[str, int] | None = None  # (dotted, level) of the module defining it
    if isinstance(value, cst.Name):
        bound = env.lookup(value.value)
        if isinstance(bound, Imported) and bound.name is not None:
            name, module = bound.name, (bound.module, bound.level)
    elif isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name):
        bound = env.lookup(value.value.value)
        name = value.attr.value
        if isinstance(bound, Imported) and bound.module == "django.conf" and bound.name == "settings":
            return project.settings_constant(name)
        if isinstance(bound, Imported):
            dotted = f"{bound.module}.{bound.name}" if bound.name and bound.module else (bound.name or bound.module)
            module = (dotted, bound.level)
    if name is None or module is None:
        return None
    found = project.find(path, *module)
    return project.date_constant(found, name) if found else None
