"""The answer for one ``account_balance`` site: Stripe Customer data, not, or undecided."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import stripe_sdk as sdk
from .facts import DictLiteral, Fact, StripeData, StripeSymbol, Unknown
from .flow import Provenance


@dataclass(frozen=True)
class Verdict:
    """``stripe`` is True (Stripe Customer data), False (not Stripe's) or None (undecided)."""

    stripe: Optional[bool]
    why: str
    confidence: str = "certain"


def of_receiver(prov: Provenance, fact: Fact) -> Verdict:
    """Whether the value an ``account_balance`` is read from or written to is a Stripe Customer."""
    if isinstance(fact, StripeData):
        if fact.may_be_customer:
            return Verdict(True, fact.why)
        if fact.many:
            return Verdict(None, f"a list of Stripe objects, not one Customer: {fact.why}")
        if "." in fact.kind or "[" in fact.kind:
            return Verdict(None, f"Stripe data, but not proven a Customer: {fact.why}")
        return Verdict(False, f"a stripe.{fact.kind}, not a Customer: {fact.why}")
    if isinstance(fact, DictLiteral):
        flow = prov.flows_into_stripe(fact.literal)
        if flow is not None:
            return Verdict(True, f"{fact.why.split(' has ')[0]} is {flow}")
        return Verdict(None, f"{fact.why}, and is not passed to a Stripe Customer call")
    if isinstance(fact, Unknown):
        return Verdict(None, fact.why)
    if isinstance(fact, StripeSymbol):
        return Verdict(None, f"{fact.dotted} is part of the SDK, not Customer data")
    return Verdict(False, fact.why)


def of_keyword(callee: Fact, call_text: str) -> Verdict:
    """Whether ``account_balance=`` in a call is a Stripe Customer parameter."""
    if isinstance(callee, StripeSymbol):
        if sdk.is_customer_write(callee.path):
            return Verdict(True, f"keyword of {call_text}; {callee.why}")
        return Verdict(None, f"{callee.dotted}() takes no account_balance parameter")
    if isinstance(callee, Unknown):
        return Verdict(None, f"the callee of {call_text} is not known: {callee.why}")
    return Verdict(False, f"keyword of {call_text}, not a Stripe call: {callee.why}")
