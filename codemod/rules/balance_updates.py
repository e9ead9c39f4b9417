"""Read-modify-writes of a Stripe Customer's balance, and the Balance Transaction call for each.

Three shapes are increments (docs/stripe-facts.md §5), written here with ``old`` for the
old name of SB001's field: ``modify(cid, old=c.old ± d)``, ``c.old += d`` (or ``= c.old ±
d``) later saved with ``c.save()``, and ``client[.v1].customers.update(cid, {"old": c.old ±
d})``. Each becomes one ``create_balance_transaction`` call in the SDK
style the code already uses. Anything else that writes the field (an absolute value, an
opening balance, a change never saved, another customer) is only renamed, and says why.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node

from ..catalog import BY_CODE
from ..findings import Edit
from ..provenance import StripeData, StripeSymbol, sdk
from ..provenance.walk import descendants
from ..sites import renamed
from ..literal import value_of

if TYPE_CHECKING:
    from ..analysis import Analysis, CheckedSite
    from ..options import Options

_RENAME = BY_CODE["SB001"]
assert _RENAME.new is not None  # SB001 is a rename
TOKEN, NEW = _RENAME.old, _RENAME.new

_REQUEST_OPTIONS = ("api_key", "stripe_account", "stripe_version")
_RETRY_NOTE = "a retried balance transaction applies the amount twice: pass an idempotency_key"


@dataclass(frozen=True)
class Conversion:
    edits: tuple[Edit, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Refusal:
    reason: str


Outcome = Union[Conversion, Refusal, None]


def examine(analysis: Analysis, checked: CheckedSite, options: Options) -> Outcome:
    """A conversion for this write of the balance, why there is none, or None for a read."""
    site = checked.site
    if site.kind == "keyword" and isinstance(site.access, cst.Call):
        return _call_form(analysis, checked, site.access, options)
    if site.kind == "dict-key" and site.call is not None:
        return _call_form(analysis, checked, site.call, options)
    if site.kind == "dict-key" and checked.verdict.stripe and isinstance(site.access, cst.Dict):
        value = next((e.value for e in site.access.elements if isinstance(e, cst.DictElement) and e.key is site.token), None)
        if value is not None and _increment(analysis, value, None) is not None:
            return Refusal("the new balance is put in a params dict before the call that sends it; "
                           "a balance transaction needs the amount at that call: move the dict into the call, or convert by hand")
    if site.kind in ("attribute", "subscript-key"):
        location = analysis.statements.of(site.access)
        if location is not None and _target(location.small) is site.access:
            return _saved_form(analysis, checked, location, options)
    return None


# -- modify(cid, old=c.old + d) and client.customers.update(...) ------------------------------------
def _call_form(analysis: Analysis, checked: CheckedSite, call: cst.Call, options: Options) -> Outcome:
    callee = analysis.provenance.resolve(checked.site.callee) if checked.site.callee is not None else None
    path = callee.path if isinstance(callee, StripeSymbol) else None
    if path is None or not sdk.is_customer_write(path):
        return None
    method = path[-1]
    if method.startswith("create"):
        return Refusal("create() sets an opening balance; there is nothing to add to")
    value = _written_value(checked, call)
    if value is None:
        return Refusal("the new value is not written out here")
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    cid = analysis.code(positional[0].value) if positional else None
    increment = _increment(analysis, value, None, cid)
    if increment is None:
        other = _increment(analysis, value, None)
        if other is not None and cid is not None:
            return Refusal(f"nothing proves that {analysis.code(other[0])} is the customer {cid}")
        return Refusal("an absolute value, not an increment of the same balance")
    customer, amount, read = increment
    if cid is None:
        return Refusal("the customer id is not given positionally")
    location = analysis.statements.of(call)
    stale = _stale(analysis, location, call, analysis.code(customer), loop_check=True)
    if stale is not None:
        return Refusal(stale)
    if location is None or not isinstance(location.small, cst.Expr):
        return Refusal("the value returned by the update is used; a balance transaction returns something else")
    currency = _currency(analysis, checked, customer, options)
    if currency is None:
        return Refusal("no currency is known here: pass --currency")
    func = call.func
    assert isinstance(func, cst.Attribute)
    asynchronous = method.endswith("_async")
    if path[:1] == sdk.CLIENT:
        new_call, rest = _client_calls(analysis, call, func, cid, amount, currency, asynchronous, checked)
    else:
        new_call, rest = _resource_calls(analysis, call, func, cid, amount, currency, asynchronous)
        if rest is _UNSPLITTABLE:
            return Refusal("an idempotency_key covers the other fields too; convert by hand")
    awaited = isinstance(location.small.value, cst.Await)
    if rest is None:
        return Conversion((analysis.edit(call, new_call),), (_RETRY_NOTE,))
    prefix = "await " if awaited else ""
    joined = f"{prefix}{new_call}{analysis.separator(location)}{prefix}{rest}"
    edit = analysis.edit(location.small, joined)
    note = "the other fields stay in an update of their own: two requests, not one atomic update"
    return Conversion((edit,), (note, _RETRY_NOTE))


_UNSPLITTABLE = "<unsplittable>"


def _resource_calls(
    analysis: Analysis, call: cst.Call, func: cst.Attribute, cid: str, amount: str, currency: str, asynchronous: bool
) -> tuple[str, str | None]:
    owner = analysis.code(func.value)
    options = [a for a in call.args if a.keyword is not None and a.keyword.value in _REQUEST_OPTIONS]
    others = [a for a in call.args if a.keyword is not None and a.keyword.value not in (*_REQUEST_OPTIONS, TOKEN)]
    idempotency = [a for a in others if a.keyword is not None and a.keyword.value == "idempotency_key"]
    extra = "".join(f", {a.keyword.value}={analysis.code(a.value)}" for a in options if a.keyword)
    name = "create_balance_transaction" + ("_async" if asynchronous else "")
    new_call = f"{owner}.{name}({cid}, amount={amount}, currency={currency}{extra})"
    if not others:
        return new_call, None
    if idempotency:
        return new_call, _UNSPLITTABLE
    kept = ", ".join(analysis.code(a).strip().rstrip(",") for a in call.args if not _is_token_keyword(a))
    return new_call, f"{analysis.code(func)}({kept})"


def _client_calls(
    analysis: Analysis, call: cst.Call, func: cst.Attribute, cid: str, amount: str, currency: str,
    asynchronous: bool, checked: CheckedSite,
) -> tuple[str, str | None]:
    service = analysis.code(func.value)
    params = checked.site.access
    assert isinstance(params, cst.Dict)
    options = [a for a in call.args if a is not call.args[0] and a.value is not params]
    extra = "".join(f", {analysis.code(a).strip().rstrip(',')}" for a in options)
    name = "create_async" if asynchronous else "create"
    new_call = f'{service}.balance_transactions.{name}({cid}, {{"amount": {amount}, "currency": {currency}}}{extra})'
    rest = [e for e in params.elements if not (isinstance(e, cst.DictElement) and e.key is checked.site.token)]
    if not rest:
        return new_call, None
    kept = ", ".join(analysis.code(e).strip().rstrip(",") for e in rest)
    return new_call, f"{analysis.code(func)}({cid}, {{{kept}}}{extra})"


# -- c.old += d ... c.save() ----------------------------------------------------------------
def _saved_form(analysis: Analysis, checked: CheckedSite, location, options: Options) -> Outcome:  # type: ignore[no-untyped-def]
    small = location.small
    receiver = checked.site.receiver
    if isinstance(small, cst.AugAssign):
        if not isinstance(small.operator, (cst.AddAssign, cst.SubtractAssign)):
            return Refusal("not an increment")
        negative = isinstance(small.operator, cst.SubtractAssign)
        delta = _delta(analysis, small.value, receiver)
        if delta is None:
            return Refusal("the amount reads this balance again, or a balance not proven a Stripe Customer's")
        amount = _signed(analysis, delta, negative)
    elif isinstance(small, cst.Assign) and len(small.targets) == 1:
        increment = _increment(analysis, small.value, receiver)
        if increment is None:
            return Refusal("an absolute value, not an increment of the same balance")
        amount = increment[1]
    else:
        return Refusal("not a plain assignment")
    name = analysis.code(receiver)
    stale = _stale(analysis, location, small, name, loop_check=False)
    if stale is not None:
        return Refusal(stale)
    save = _find_save(analysis, location, name)
    if isinstance(save, str):
        return Refusal(save)
    currency = _currency(analysis, checked, receiver, options)
    if currency is None:
        return Refusal("no currency is known here: pass --currency")
    entry = _entry(analysis, checked)
    if entry is None:
        return Refusal("this module does not import stripe; no import is added")
    prefix, client, asynchronous = entry
    cid = f"{name}.id"
    if client:
        call = f'{prefix}.balance_transactions.{"create_async" if asynchronous else "create"}({cid}, {{"amount": {amount}, "currency": {currency}}})'
    else:
        call = f"{prefix}.create_balance_transaction{'_async' if asynchronous else ''}({cid}, amount={amount}, currency={currency})"
    if asynchronous:
        call = f"await {call}"
    edits = [analysis.edit(small, call)]
    save_location, removable, other = save
    notes = [_RETRY_NOTE]
    saved_at, changed_at = analysis.line(save_location.small), analysis.line(small)
    if saved_at > changed_at + 1:
        notes.append(f"the amount now applies at line {changed_at}, not when {name} is saved at line {saved_at}")
    if removable:
        edits.append(analysis.remove_line(save_location))
        notes.append(f"{name}.save() goes: it has nothing else to save")
    elif other is not None:
        notes.append(f"{name}.save() at line {analysis.line(save_location.small)} is kept: it also saves what {other} changes")
    else:
        notes.append(f"{name}.save() at line {analysis.line(save_location.small)} is kept for the other changes")
    if _read_later(analysis, location, name):
        notes.append(f"{name}.balance is stale after the transaction: call {name}.refresh() before reading it")
    return Conversion(tuple(edits), tuple(notes))


def _find_save(analysis: Analysis, location, name: str):  # type: ignore[no-untyped-def]
    """The ``name.save()`` that sends this change, and whether it can go."""
    for statement, depth in location.following():
        if _rebinds(statement, name):
            return f"{name} is bound again before it is saved"
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Expr) and _is_save(analysis, small.value, name):
                    save = analysis.statements.of(small)
                    other = _other_change(analysis, location, small.value, name)
                    removable = depth == 0 and save is not None and save.alone and other is None and len(save.chain[0][0]) > 1
                    return save, removable, other
    return f"{name} is never saved after this change (display only?)"


def _is_save(analysis: Analysis, value: cst.BaseExpression, name: str) -> bool:
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute) or value.func.attr.value != "save":
        return False
    owner = value.func.value
    if analysis.code(owner) == name and not [a for a in value.args if a.keyword is None]:
        return True
    positional = [a for a in value.args if a.keyword is None]
    owner_fact = analysis.provenance.fact(owner, analysis.provenance.globals)
    return (
        isinstance(owner_fact, StripeSymbol) and owner_fact.path == ("stripe", "Customer")
        and len(positional) == 1 and analysis.code(positional[0].value) == name
    )


def _other_change(analysis: Analysis, location, save: cst.CSTNode, name: str) -> str | None:  # type: ignore[no-untyped-def]
    """What else may change ``name`` before it is saved, anywhere in the code around the balance
    change (its outermost block): a write of another field or key, a nested write
    (``name.metadata[...] = ...``, ``name.metadata.update(...)``), ``setattr``/``del``, a method
    call, or a call that receives ``name``. Any of them keeps the save."""
    block, _ = location.chain[-1]
    for statement in block:
        for node in descendants(statement):
            if node is location.small or node is save:
                continue
            found = _changes(analysis, node, name)
            if found is not None:
                return f"{found} (line {analysis.line(node) or analysis.line(statement)})"
    return None


def _changes(analysis: Analysis, node: cst.CSTNode, name: str) -> str | None:
    for target in _assigned(node):
        if isinstance(target, (cst.Attribute, cst.Subscript)) and _root(target) == name:
            return f"the write of {analysis.code(target)}"
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Attribute) and _root(func.value) == name:
            return f"the call {analysis.code(func)}()"
        if any(isinstance(arg.value, cst.Name) and arg.value.value == name for arg in node.args):
            return f"{name} passed to {analysis.code(func)}()"
    return None


def _stale(analysis: Analysis, location, write: cst.CSTNode, name: str, loop_check: bool) -> str | None:  # type: ignore[no-untyped-def]
    """Why ``name``'s balance, as read here, may not be the one Stripe holds: another write of a
    balance in the same function (each later write reads a stale or unsaved value), or, for a
    call, a loop around it that does not read the customer again. None: it is the one."""
    if location is None:
        return "the write is not a statement of its own"
    nodes = [node for statement in location.chain[-1][0] for node in descendants(statement)]  # the function's
    ids = {f"{name}.id", f'{name}["id"]', *_retrieved_with(analysis, nodes, name)}
    writes = [node for node in nodes if type(node) in _WRITERS and _writes_balance(analysis, node, name, ids)]
    if len(writes) > 1:
        lines = ", ".join(str(analysis.line(w) or "?") for w in writes[:4])
        return f"the balance is written more than once in this function (lines {lines}): a later write would read a stale value"
    if loop_check:
        for node in nodes:
            if (type(node) is cst.For or type(node) is cst.While) and any(inner is write for inner in descendants(node)):
                binds = isinstance(node, cst.For) and isinstance(node.target, cst.Name) and node.target.value == name
                if not binds and not any(_binds(inner, name) for inner in descendants(node)):
                    return f"the call repeats in a loop that does not read {name} again: each turn would add the amount"
    return None


def _writes_balance(analysis: Analysis, node: cst.CSTNode, name: str, ids: set[str]) -> bool:
    """A write of ``name``'s balance: ``name.old = ...``, ``name["old"] += ...``, or a call that
    sets the balance (``old=``, an ``"old"`` key) of the customer ``name`` or of one the code
    does not name plainly."""
    if any(_balance_read(target) is not None and _root(target) == name for target in _assigned(node)):
        return True
    if type(node) is not cst.Call:
        return False
    if isinstance(node.func, cst.Attribute) and node.func.attr.value.startswith("create"):
        return False  # an opening balance, set before any read of it
    sets = any(arg.keyword is not None and arg.keyword.value in (TOKEN, NEW) for arg in node.args) or any(
        isinstance(arg.value, cst.Dict) and any(
            isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) and value_of(e.key) in (TOKEN, NEW)
            for e in arg.value.elements) for arg in node.args)
    if not sets:
        return False
    positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
    if not positional or not isinstance(positional[0], (cst.Name, cst.Attribute, cst.Subscript)):
        return True  # whose balance is not plain: count it
    return analysis.code(positional[0]) in ids


def _retrieved_with(analysis: Analysis, nodes: list[cst.CSTNode], name: str) -> set[str]:
    """The ids ``name = ...retrieve(<id>)`` binds it with among ``nodes`` (a function's)."""
    found = set()
    for node in nodes:
        if type(node) is cst.Assign and _binds(node, name):
            call = node.value.expression if isinstance(node.value, cst.Await) else node.value
            if isinstance(call, cst.Call) and call.args and call.args[0].keyword is None:
                found.add(analysis.code(call.args[0].value))
    return found


_ONE_TARGET = frozenset({cst.AugAssign, cst.AnnAssign, cst.Del})
_WRITERS = frozenset({cst.Assign, cst.Call, *_ONE_TARGET})  # what ``_writes_balance`` may hold


def _assigned(node: cst.CSTNode) -> list[cst.BaseExpression]:
    """What an assignment (plain, augmented, annotated) or a ``del`` writes to."""
    kind = type(node)  # ``type() is``: ``isinstance`` on LibCST's classes is slow, and this sees every node
    if kind is cst.Assign:
        return [t.target for t in node.targets]  # type: ignore[attr-defined]
    if kind in _ONE_TARGET:
        return [node.target]  # type: ignore[attr-defined]
    return []


def _binds(node: cst.CSTNode, name: str) -> bool:
    """``name = ...`` (a plain assignment of the name itself)."""
    return type(node) is cst.Assign and any(type(t) is cst.Name and t.value == name for t in _assigned(node))


def _root(node: cst.BaseExpression) -> str | None:
    """``customer`` of ``customer.metadata["k"]``."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _rebinds(statement: cst.BaseStatement, name: str) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(_binds(small, name) for small in statement.body)


def _read_later(analysis: Analysis, location, name: str) -> bool:  # type: ignore[no-untyped-def]
    reads = (f"{name}.{NEW}", f"{name}.{TOKEN}", f'{name}["{NEW}"]', f'{name}["{TOKEN}"]')
    for statement, _ in location.following():
        text = analysis.code(statement)
        if any(read in text for read in reads):
            return True
    return False


def _entry(analysis: Analysis, checked: CheckedSite) -> tuple[str, bool, bool] | None:
    """How to reach the Customer API here: (prefix, is it a StripeClient service, async)."""
    fact = analysis.provenance.resolve(checked.site.fact)
    origin = fact.origin if isinstance(fact, StripeData) else None
    if origin is not None and isinstance(origin.func, cst.Attribute) and analysis.line(origin):
        owner = origin.func.value
        root = (get_full_name_for_node(owner) or "").split(".")[0]
        if root and root in checked.site.scope:
            method = origin.func.attr.value
            client = "customers" in (get_full_name_for_node(owner) or "").split(".")
            return analysis.code(owner), client, method.endswith("_async")
    for name, bound in analysis.provenance.globals.bound():
        if isinstance(bound, StripeSymbol) and bound.path == ("stripe", "Customer"):
            return name, False, False
    for name, bound in analysis.provenance.globals.bound():
        if isinstance(bound, StripeSymbol) and bound.path == ("stripe",):
            return f"{name}.Customer", False, False
    return None


# -- helpers -------------------------------------------------------------------------------
def _target(small: cst.CSTNode) -> cst.CSTNode | None:
    if isinstance(small, cst.AugAssign):
        return small.target
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.targets[0].target
    return None


def _written_value(checked: CheckedSite, call: cst.Call) -> cst.BaseExpression | None:
    site = checked.site
    if site.kind == "keyword":
        for arg in call.args:
            if arg.keyword is site.token:
                return arg.value
        return None
    assert isinstance(site.access, cst.Dict)
    for element in site.access.elements:
        if isinstance(element, cst.DictElement) and element.key is site.token:
            return element.value
    return None


def _is_token_keyword(arg: cst.Arg) -> bool:
    return arg.keyword is not None and arg.keyword.value == TOKEN


def _balance_read(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``X`` of ``X.old`` or ``X["old"]``."""
    if isinstance(node, cst.Attribute) and node.attr.value == TOKEN:
        return node.value
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        key = node.slice[0].slice.value
        if isinstance(key, cst.SimpleString) and value_of(key) == TOKEN:
            return node.value
    return None


def _increment(
    analysis: Analysis, value: cst.BaseExpression, receiver: cst.CSTNode | None, cid: str | None = None
) -> tuple[cst.BaseExpression, str, CheckedSite] | None:
    """``(customer, signed amount)`` when ``value`` is ``customer.old ± d`` (of ``receiver``, or
    of the customer ``cid`` when given). The delta may read another customer's balance
    (``target.old + source.old``): the amount then reads it under its new name."""
    if not isinstance(value, cst.BinaryOperation) or not isinstance(value.operator, (cst.Add, cst.Subtract)):
        return None
    negative = isinstance(value.operator, cst.Subtract)
    for read, delta, reversed_ in ((value.left, value.right, False), (value.right, value.left, True)):
        customer = _balance_read(read)
        if customer is None or (reversed_ and negative):
            continue
        if receiver is not None and analysis.code(customer) != analysis.code(receiver):
            continue
        checked = analysis.site_at(read)
        if checked is None or not checked.verdict.stripe:
            continue
        if cid is not None and not _same_customer(analysis, customer, cid, checked):
            continue
        amount = _delta(analysis, delta, customer)
        if amount is not None:
            return customer, _signed(analysis, amount, negative), checked
    return None


def _delta(analysis: Analysis, delta: cst.BaseExpression, customer: cst.CSTNode) -> cst.BaseExpression | None:
    """The delta, with the balance reads of other customers in it renamed; None when it reads
    this customer's balance again or a balance not proven Stripe."""
    reads = [node for node in descendants(delta) if isinstance(node, (cst.Attribute, cst.Subscript)) and _balance_read(node) is not None]
    for node in reads:
        other = _balance_read(node)
        checked = analysis.site_at(node)
        if other is None or analysis.code(other) == analysis.code(customer) or checked is None or not checked.verdict.stripe:
            return None
    if not reads:
        return delta
    renamed = delta.visit(_Rename())
    return renamed if isinstance(renamed, cst.BaseExpression) else None


class _Rename(cst.CSTTransformer):
    """``source.old`` -> ``source.new``, ``source["old"]`` -> ``source["new"]``."""

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=NEW) if original.value == TOKEN else updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        return updated.with_changes(value=renamed(original, NEW)) if value_of(original) == TOKEN else updated


def _signed(analysis: Analysis, delta: cst.BaseExpression, negative: bool) -> str:
    text = analysis.code(delta).strip()
    if not negative:
        return text
    simple = isinstance(delta, (cst.Name, cst.Attribute, cst.Integer, cst.Float, cst.Call, cst.Subscript))
    if (simple or delta.lpar) and not text.startswith("-"):
        return f"-{text}"
    return f"-({text})"


def _same_customer(analysis: Analysis, customer: cst.BaseExpression, cid: str, read: CheckedSite) -> bool:
    """``cid`` is ``customer.id``, or the id ``customer`` was retrieved with."""
    name = analysis.code(customer)
    if cid in (f"{name}.id", f'{name}["id"]', f"{name}['id']"):
        return True
    fact = analysis.provenance.resolve(read.site.fact)
    origin = fact.origin if isinstance(fact, StripeData) else None
    if origin is None:
        return False
    positional = [arg for arg in origin.args if arg.keyword is None]
    return bool(positional) and analysis.code(positional[0].value) == cid


def _currency(analysis: Analysis, checked: CheckedSite, customer: cst.CSTNode, options: Options) -> str | None:
    """A ``currency`` in scope, else the customer's own (when reading it costs no request), else --currency."""
    if "currency" in checked.site.scope:
        return "currency"
    if isinstance(customer, (cst.Name, cst.Attribute)) and get_full_name_for_node(customer):
        return f"{analysis.code(customer)}.currency"
    return f'"{options.currency}"' if options.currency else None
