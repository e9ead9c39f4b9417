"""The answer for one site of a catalog change: that change's Stripe data, not, or undecided."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from .. import records
from ..catalog import CREATE, LIST, MODIFY, Change
from ..findings import CERTAIN, LIKELY, UNKNOWN
from . import stripe_sdk as sdk
from .describe import describe
from .facts import DictLiteral, Fact, Foreign, Parameter, Params, StripeData, StripeSymbol, Unknown, stripe_path
from .module import Provenance
from ..literal import text_of


@records.fast_init
@dataclass(frozen=True)
class Verdict:
    """``stripe`` is True (data of one of the change's objects), False (not) or None (undecided).

    ``kind`` names the proven object for messages. A ``likely`` verdict is undecided by
    proof but Stripe by name: it is fixed only when the user asks for it.
    """

    stripe: Optional[bool]
    why: str
    confidence: str = CERTAIN
    kind: str = ""
    evidence: str = ""  # undecided, yet Stripe data on some path: the code uses Stripe (why)


def of_receiver(prov: Provenance, fact: Fact, receiver: cst.CSTNode, change: Change) -> Verdict:
    """Whether the value a field is read from or written to is one of the change's objects."""
    fact = prov.resolve(fact)
    if isinstance(fact, Parameter):
        fact = _parameter(prov, fact)
    if isinstance(fact, StripeData):
        return _of_data(fact, change)
    if isinstance(fact, DictLiteral):
        use = prov.stand_ins.of(fact.literal)
        if use is not None and use.params and not change.params:
            return Verdict(False, f"a parameter, and `{change.old}` parameters are unchanged: {fact.why} {use.why}")
        if use is not None:
            data = StripeData(use.kind, f"{fact.why.split(' has ')[0]} {use.why}")
            return _of_data(data, change)
        mine = prov.stand_ins.foreign_use(fact.literal)
        if mine is not None:
            return Verdict(False, f"{fact.why}, {mine}")
        return Verdict(None, f"{fact.why}, and is not passed to a Stripe {change.kinds_text} call", UNKNOWN)
    if isinstance(fact, Params):
        return _of_params(fact, change)
    if isinstance(fact, Unknown):
        stripe = stripe_path(fact)  # on one of its paths: the code that reads it is Stripe code
        return _undecided(fact.why, receiver, stripe.why if stripe is not None else "")
    if isinstance(fact, StripeSymbol):
        return Verdict(False, f"{fact.dotted.replace('<StripeClient>', 'client')} is part of the SDK, not data")
    return Verdict(False, fact.why)


def _of_data(fact: StripeData, change: Change) -> Verdict:
    """Stripe data: the change's object, another one, or one whose class is not shown (undecided,
    but Stripe data all the same: the code that reads it is Stripe code)."""
    def undecided(what: str) -> Verdict:
        return Verdict(None, f"{what}: {fact.why}", evidence=fact.why)

    if fact.many:
        return undecided(f"a list of Stripe objects, not one {change.kinds_text}")
    if "." in fact.kind:
        return undecided(f"Stripe data, but not proven {_a(change.kinds_text)}")
    possible = fact.possible()
    if possible is None:
        if change.also_on:
            also = " or ".join(change.also_on)
            return undecided(f"Stripe data of a type the code does not show (a {also} has `{change.old}` too)")
        return Verdict(True, fact.why, kind=change.kinds_text)
    hits = sorted(possible & set(change.kinds))
    if not hits and fact.kind == "object":
        return undecided(f"Stripe data that may be a {' or '.join(sorted(possible))}, not shown {_a(change.kinds_text)}")
    if not hits:
        return Verdict(False, f"a stripe.{' or stripe.'.join(sorted(possible))}, not {_a(change.kinds_text)}: {fact.why}")
    others = possible - set(change.kinds)
    if others & set(change.also_on):
        return undecided(f"may be a {' or '.join(sorted(others))}, whose `{change.old}` is another field")
    return Verdict(True, fact.why, kind=hits[0] if len(hits) == 1 else change.kinds_text)


def _parameter(prov: Provenance, param: Parameter) -> Fact:
    """A parameter is what its function's callers pass, or the object a double receives."""
    fn = param.function
    first = [*fn.params.posonly_params, *fn.params.params][:1]
    use = prov.stand_ins.of(fn)
    if use is not None and first and first[0].name.value == param.name:
        return StripeData(use.kind, f"{param.name} {use.why}")
    passed = prov.arguments(fn, param.name)
    return passed if passed is not None and not isinstance(passed, Unknown) else param


def of_keyword(prov: Provenance, callee: Fact, call: cst.Call, change: Change) -> Verdict:
    """Whether ``<old>=`` in a call is a parameter of one of the change's endpoints."""
    call_text = prov.described(call)
    use = prov.stand_ins.of(call)
    if use is not None:
        return _of_data(StripeData(use.kind, f"keyword of {call_text}, which {use.why}"), change)
    callee = prov.resolve(callee)
    if isinstance(call.func, cst.Name) and call.func.value == "dict" and isinstance(callee, Foreign):
        mine = prov.stand_ins.foreign_use(call)  # dict(balance=...): a key, as in a dict literal
        if mine is not None:
            return Verdict(False, f"a key of {call_text}, {mine}")
        return Verdict(None, f"a key of {call_text}, which is not passed to a Stripe {change.kinds_text} call", UNKNOWN)
    if not change.params:
        return Verdict(False, f"`{change.old}=` parameters are unchanged by this change")
    if isinstance(callee, StripeSymbol):
        dotted = callee.dotted.replace("<StripeClient>", "client")
        target = sdk.endpoint(callee.path) or _raw_request(callee.path, call)
        if target is not None and target in change.params:
            # the call names the SDK itself (``stripe.Customer.modify``): its import adds nothing
            said = "" if callee.why.startswith(("import ", "from ")) else f"; {callee.why}"
            return Verdict(True, f"keyword of {call_text}{said}", kind=target[0])
        if target is not None and target[0] not in change.kinds or _other_class(callee.path, change):
            return Verdict(False, f"a parameter of {dotted}(), not of {_a(change.kinds_text)}")
        return Verdict(None, f"{dotted}() takes no {change.old} parameter")
    if isinstance(callee, Unknown):
        return _undecided(f"the callee of {call_text} is not known: {callee.why}", call.func)
    return Verdict(False, f"keyword of {call_text}, not a Stripe call: {callee.why}")


def _of_params(fact: Params, change: Change) -> Verdict:
    """A key of the keyword arguments a double of a Stripe call received."""
    target = fact.endpoint
    if target is not None and target in change.params:
        return Verdict(True, fact.why, kind=target[0])
    if target is not None and target[0] not in change.kinds:
        return Verdict(False, f"a parameter of {fact.dotted}(), not of {_a(change.kinds_text)}: {fact.why}")
    if not change.params:
        return Verdict(False, f"`{change.old}=` parameters are unchanged by this change: {fact.why}")
    return Verdict(None, f"{fact.dotted}() takes no {change.old} parameter: {fact.why}")


def _other_class(path: tuple[str, ...], change: Change) -> bool:
    found = sdk.resource_call(path)
    return found is not None and found[0] not in change.kinds


def _raw_request(path: tuple[str, ...], call: cst.Call) -> tuple[str, str] | None:
    """``client.raw_request("post", "/v1/customers/...", ...)``: the endpoint it calls."""
    if path[:1] != sdk.CLIENT or path[-1] not in ("raw_request", "raw_request_async"):
        return None
    positional = [arg.value for arg in call.args if arg.keyword is None]
    if len(positional) < 2:
        return None
    method, url = _literal_prefix(positional[0]).lower(), _literal_prefix(positional[1])
    parts = url.split("?")[0].split("/")
    if len(parts) < 3 or parts[1] != "v1" or parts[2] not in sdk.SERVICES:
        return None
    family = LIST if method == "get" else CREATE if len(parts) == 3 else MODIFY
    return sdk.SERVICES[parts[2]], family


def _literal_prefix(node: cst.CSTNode) -> str:
    """The text a string literal (plain, f-string or concatenated) starts with."""
    if isinstance(node, cst.SimpleString):
        return text_of(node) or ""
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else ""
    if isinstance(node, cst.ConcatenatedString):
        return _literal_prefix(node.left)
    return ""


def _undecided(why: str, receiver: cst.CSTNode, evidence: str = "") -> Verdict:
    """Undecided; ``likely`` when the receiver's own name says Stripe (``stripe_customer``)."""
    text = describe(receiver)
    if "stripe" in text.lower():
        return Verdict(None, f"only the name {text} suggests Stripe data ({why})", LIKELY, evidence=evidence)
    return Verdict(None, why, UNKNOWN, evidence=evidence)


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'AEIOU' else 'a'} {noun}"
