"""The catalog's SDK-surface changes as rules (SB2xx): what a newer stripe-python removed.

Each applies when ``--target-sdk`` is at or past the release that removed the old form. A
fix must run on the project's current SDK and on the target, and on the plain dicts its
tests pass in place of an object; where no one form does, the use is a review item that
says so.
"""
from __future__ import annotations

import os
from typing import Iterable

import libcst as cst

from ..analysis import Analysis
from ..catalog import AS_DICT, BY_WORD, ERROR_CLASSES, GET, MODULES, RENAME, SDK_CHANGES, UTIL_EXPORTS, SdkChange, version_text
from ..findings import CERTAIN, Finding
from ..options import Options
from ..provenance import StripeData
from ..provenance.facts import OBJECT, OBJECT_OR_DICT, Metadata
from ..provenance.stripe_sdk import sdk_objects
from ..requirements import project_requirement
from ..sdk_uses import METHOD, ModuleUse, ObjectUse
from .base import Rule
from ..sites import renamed
from ..literal import value_of

_NOT_A_DICT = "Stripe objects are no dicts from stripe-python 15.0"
_VIEWS = frozenset({".keys()", ".items()", ".values()"})
# Methods only a mapping has: called on a list of Stripe objects, the list is a ListObject.
_MAPPING_ONLY = _VIEWS | {".get()"}
# Positions where a conditional expression needs no parentheses of its own.
_BARE = (cst.Assign, cst.AnnAssign, cst.Return, cst.Arg, cst.Element, cst.Expr)


def check(change: SdkChange, analysis: Analysis, options: Options) -> Iterable[Finding]:
    if change not in options.sdk_changes():
        return
    if change.what == GET:
        for use in analysis.object_uses:
            data = _object(analysis, use)
            if data is not None and use.how == METHOD and use.what == ".get()":
                yield _get(change, analysis, options, use, data)
    elif change.what == AS_DICT:
        for use in analysis.object_uses:
            data = _object(analysis, use)
            if data is not None and use.what != ".get()":
                yield _as_dict(change, analysis, use, data)
    elif change.what == MODULES:
        for module_use in analysis.module_uses:
            yield _module(change, analysis, options, module_use)


def _object(analysis: Analysis, use: ObjectUse) -> StripeData | Metadata | None:
    """The Stripe data of a use, when it is (or may be, beside a test's dict) an SDK object: a
    list only as a ``ListObject`` (``invoice.lines.get("data")``), and a nested field only where
    the SDK nests an object (``customer.address``, ``customer.metadata``; ``balance.available``
    is a list, ``customer.email`` a string)."""
    fact = analysis.provenance.resolve(use.fact)
    if isinstance(fact, Metadata) and fact.form in (OBJECT, OBJECT_OR_DICT):
        return fact
    if not isinstance(fact, StripeData) or fact.form not in (OBJECT, OBJECT_OR_DICT):
        return None
    if fact.many and not (use.how == METHOD and use.what in _MAPPING_ONLY):
        return None  # a list or an iterator, which counts, iterates, pops and copies on every SDK
    if "." in fact.kind and fact.kind not in sdk_objects():
        return None
    return fact


def _finding(change: SdkChange, analysis: Analysis, node: cst.CSTNode, message: str, why: str,
             new: str | None = None, absorbs: tuple[str, ...] = ()) -> Finding:
    edits = (analysis.edit(node, new),) if new is not None else ()
    return Finding(change.code, *analysis.span(node), message=message, why=why, confidence=CERTAIN,
                   safe=change.fix == "safe", edits=edits, absorbs=absorbs)


# -- SB201: .get() -------------------------------------------------------------------------------
def _get(change: SdkChange, analysis: Analysis, options: Options, use: ObjectUse, data: StripeData | Metadata) -> Finding:
    call = use.node
    assert isinstance(call, cst.Call)
    message = f"`.get()` is a dict method, and {_NOT_A_DICT} (AttributeError)"
    if data.form == OBJECT_OR_DICT:
        message += "; the new form also reads the dict a test passes here"
    args = call.args
    if not 1 <= len(args) <= 2 or any(arg.keyword is not None or arg.star for arg in args):
        return _finding(change, analysis, call, message + ": review it (unusual arguments)", data.why)
    key, default = args[0].value, (args[1].value if len(args) == 2 else None)
    if not (_readable(use.value) and _readable(key)):
        return _finding(change, analysis, call, message + ": review it (the new form reads the object and the key twice:"
                        " bind them to names first)", data.why)
    if default is not None and not (_readable(default) or _literal(default)):
        return _finding(change, analysis, call, message + ": review it (the new form computes the default only when the"
                        " key is missing)", data.why)
    key_text = analysis.code(key).strip()
    absorbs: tuple[str, ...] = ()
    renaming = _renamed_key(analysis, options, key)
    if renaming is not None:
        key_text, code = renaming
        absorbs = (code,)
        message += f"; the key is renamed in the same edit ({code})"
    value = analysis.code(use.value).strip()
    default_text = analysis.code(default).strip() if default is not None else "None"
    new = f"{value}[{key_text}] if {key_text} in {value} else {default_text}"
    if call.lpar or not isinstance(analysis.parent(call), _BARE):
        new = f"({new})"
    return _finding(change, analysis, call, message, data.why, new, absorbs)


def _renamed_key(analysis: Analysis, options: Options, key: cst.BaseExpression) -> tuple[str, str] | None:
    """The new key and the code of its rename, when the key is a proven site of a catalog
    rename (``"account_balance"``): both changes are then one edit."""
    if not isinstance(key, cst.SimpleString) or value_of(key) not in BY_WORD:
        return None
    change = BY_WORD[str(value_of(key))]
    checked = next((c for c in analysis.sites if c.site.token is key), None)
    if (checked is None or checked.verdict.stripe is not True or checked.verdict.confidence != CERTAIN or change.action != RENAME
            or change.new is None or change.values or not options.rule_enabled(change.code, analysis.path)):
        return None
    return renamed(key, change.new), change.code


def _readable(node: cst.BaseExpression) -> bool:
    """An expression that can be read twice with the same result and no effect: ``cu``,
    ``self.customer``, ``event["data"]``, ``"balance"``."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer)):
        return True
    if isinstance(node, cst.Attribute):
        return _readable(node.value)
    if isinstance(node, cst.Subscript):
        index = node.slice[0].slice if len(node.slice) == 1 else None
        return isinstance(index, cst.Index) and isinstance(index.value, (cst.SimpleString, cst.Integer)) and _readable(node.value)
    return False


def _literal(node: cst.BaseExpression) -> bool:
    """A default with no effect: a number, a string, ``None``, an empty or literal container."""
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.Name)):
        return True
    if isinstance(node, cst.UnaryOperation):
        return _literal(node.expression)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(_literal(element.value) for element in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _literal(e.key) and _literal(e.value) for e in node.elements)
    return False


# -- SB202: dict conversions and the other dict methods --------------------------------------------
def _as_dict(change: SdkChange, analysis: Analysis, use: ObjectUse, data: StripeData | Metadata) -> Finding:
    if use.how == METHOD and use.what not in _VIEWS:
        if use.what == ".to_dict_recursive()":
            message = ("`to_dict_recursive()` is gone from stripe-python 15.0, where `to_dict()` is recursive; before 15.0 "
                       "`to_dict()` is shallow: review it")
        else:
            message = (f"`{use.what}` is a dict method, and {_NOT_A_DICT}; no one form does it on both sides of"
                       " 15.0 (write fields one by one, `obj.field = value`): review it")
        return _finding(change, analysis, use.node, message, data.why)
    if use.how == METHOD:
        message = f"`{use.what}` is a dict method, and {_NOT_A_DICT} (AttributeError)"
    else:
        message = f"`{use.what}` needs a dict here, and {_NOT_A_DICT} (TypeError)"
    if data.form == OBJECT_OR_DICT:
        return _finding(change, analysis, use.node, message + ": a test passes a plain dict here, which has no `to_dict()`, so"
                        " no one form fits both; review it", data.why)
    value = analysis.code(use.value).strip()
    if not isinstance(use.value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        value = f"({value})"
    converted = f"{value}.to_dict()"
    if use.how == METHOD:
        return _finding(change, analysis, use.value, message + "; read it from `to_dict()`", data.why, converted)
    return _finding(change, analysis, use.node, message + "; use `to_dict()`", data.why, converted)


# -- SB210: stripe.error and stripe.util -----------------------------------------------------------
def _module(change: SdkChange, analysis: Analysis, options: Options, use: ModuleUse) -> Finding:
    gone = f"`stripe.{use.module}` is no module from stripe-python {version_text(change.sdk_version)} on"
    exported = ERROR_CLASSES if use.module == "error" else UTIL_EXPORTS
    why = f"stripe.{use.module} (line {analysis.line(use.node)})"
    if not use.names and not use.import_from and isinstance(use.node, cst.Import) and _plain(use.node):
        new: str | None = "import stripe"
    elif not use.names:
        return _finding(change, analysis, use.node, f"{gone}: import what it names from `stripe`; review it", why)
    elif not set(use.names) <= exported:
        unknown = ", ".join(sorted(set(use.names) - exported))
        return _finding(change, analysis, use.node, f"{gone}, and `stripe` does not export {unknown}: review it", why)
    elif use.import_from:
        new = "stripe"
    else:
        assert isinstance(use.node, cst.Attribute) and isinstance(use.node.value, cst.Attribute)
        new = f"{analysis.code(use.node.value.value).strip()}.{use.names[0]}"
    requirement = project_requirement(os.path.dirname(os.path.abspath(analysis.path or ".")), options.config_folder)
    since = version_text(change.fixed_from)
    if requirement is not None and not requirement.allows_from((*change.fixed_from, 0)):
        return _finding(change, analysis, use.node, f"{gone}; `{requirement.text}` ({requirement.where}) keeps stripe-python"
                        f" below {since}, where the top-level names do not exist yet: raise the requirement, then rerun", why)
    return _finding(change, analysis, use.node, f"{gone}: the top-level `stripe` exports the same names from {since} on", why, new)


def _plain(node: cst.Import) -> bool:
    """``import stripe.error`` alone, without ``as``."""
    return len(node.names) == 1 and node.names[0].asname is None


def rule(change: SdkChange) -> Rule:
    return Rule(change.code, lambda analysis, options: check(change, analysis, options))


RULES = tuple(rule(change) for change in SDK_CHANGES)
