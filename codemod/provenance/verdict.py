"""The answer for one ``account_balance`` site: Stripe Customer data, not, or undecided."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from ..findings import CERTAIN, LIKELY, UNKNOWN
from . import stripe_sdk as sdk
from .describe import describe
from .facts import DictLiteral, Fact, Parameter, StripeData, StripeSymbol, Unknown
from .module import Provenance



@dataclass(frozen=True)
class Verdict:
    """``stripe`` is True (Stripe Customer data), False (not Stripe's) or None (undecided).

    A ``likely`` verdict is undecided by proof but Stripe by name: it is fixed only when
    the user asks for it.
    """

    stripe: Optional[bool]
    why: str
    confidence: str = CERTAIN


def of_receiver(prov: Provenance, fact: Fact, receiver: cst.CSTNode) -> Verdict:
    """Whether the value an ``account_balance`` is read from or written to is a Stripe Customer."""
    fact = prov.resolve(fact)
    if isinstance(fact, Parameter):
        fact = _parameter(prov, fact)
    if isinstance(fact, StripeData):
        if fact.may_be_customer:
            return Verdict(True, fact.why)
        if fact.many:
            return Verdict(None, f"a list of Stripe objects, not one Customer: {fact.why}")
        if "." in fact.kind:
            return Verdict(None, f"Stripe data, but not proven a Customer: {fact.why}")
        return Verdict(False, f"a stripe.{fact.kind}, not a Customer: {fact.why}")
    if isinstance(fact, DictLiteral):
        use = prov.stand_ins.of(fact.literal)
        if use is not None:
            return Verdict(True, f"{fact.why.split(' has ')[0]} {use}")
        return Verdict(None, f"{fact.why}, and is not passed to a Stripe Customer call", UNKNOWN)
    if isinstance(fact, Unknown):
        return _undecided(fact.why, receiver)
    if isinstance(fact, StripeSymbol):
        return Verdict(None, f"{fact.dotted} is part of the SDK, not Customer data")
    return Verdict(False, fact.why)


def _parameter(prov: Provenance, param: Parameter) -> Fact:
    """A parameter is what its function's callers pass, or the customer a double receives."""
    fn = param.function
    first = [*fn.params.posonly_params, *fn.params.params][:1]
    use = prov.stand_ins.of(fn)
    if use is not None and first and first[0].name.value == param.name:
        return StripeData("Customer", f"{param.name} {use}")
    passed = prov.arguments(fn, param.name)
    return passed if passed is not None and not isinstance(passed, Unknown) else param


def of_keyword(prov: Provenance, callee: Fact, call: cst.Call) -> Verdict:
    """Whether ``account_balance=`` in a call is a Stripe Customer parameter."""
    call_text = f"{describe(call)} ({prov.at(call)})"
    use = prov.stand_ins.of(call)
    if use is not None:
        return Verdict(True, f"keyword of {call_text}, which {use}")
    callee = prov.resolve(callee)
    if isinstance(callee, StripeSymbol):
        if sdk.is_customer_write(callee.path) or _customer_raw_request(callee.path, call):
            return Verdict(True, f"keyword of {call_text}; {callee.why}")
        return Verdict(None, f"{callee.dotted}() takes no account_balance parameter")
    if isinstance(callee, Unknown):
        return _undecided(f"the callee of {call_text} is not known: {callee.why}", call.func)
    return Verdict(False, f"keyword of {call_text}, not a Stripe call: {callee.why}")


def _customer_raw_request(path: tuple[str, ...], call: cst.Call) -> bool:
    """``client.raw_request("post", "/v1/customers/...", ...)``."""
    if path[:1] != sdk.CLIENT or path[-1] not in ("raw_request", "raw_request_async"):
        return False
    positional = [arg.value for arg in call.args if arg.keyword is None]
    return len(positional) >= 2 and _literal_prefix(positional[1]).startswith("/v1/customers")


def _literal_prefix(node: cst.CSTNode) -> str:
    """The text a string literal (plain, f-string or concatenated) starts with."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else ""
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else ""
    if isinstance(node, cst.ConcatenatedString):
        return _literal_prefix(node.left)
    return ""


def _undecided(why: str, receiver: cst.CSTNode) -> Verdict:
    """Undecided; ``likely`` when the receiver's own name says Stripe (``stripe_customer``)."""
    text = describe(receiver)
    if "stripe" in text.lower():
        return Verdict(None, f"only the name {text} suggests Stripe data ({why})", LIKELY)
    return Verdict(None, why, UNKNOWN)
