"""SB900 unresolved-account-balance.

## What it does
Reports every `account_balance` field access, key or keyword in a module that uses Stripe
when the codemod could prove neither that it is Stripe Customer data nor that it is not:
a parameter without a Stripe annotation, a value returned by a function it cannot see, a
plain dict that never reaches a Stripe call.

## Why is this bad?
A missed site breaks at run time after the SDK upgrade, exactly like an unrenamed one.
The codemod never guesses, so every undecided site is listed with the reason the proof
stopped, for a person to decide.

## Example
```python
import stripe

def show(customer):          # nothing says where `customer` comes from
    return customer.account_balance
```
Annotate the parameter (`customer: stripe.Customer`) and the codemod renames it; if it is
not Stripe data, add `# stripe-codemod: ignore[SB900]`.

## Fix safety
No fix: it is a review item. Modules without any Stripe evidence produce no findings.
"""
from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..findings import LIKELY, Finding
from ..options import Options
from .base import Rule

CODE = "SB900"


def check(analysis: Analysis, options: Options) -> Iterable[Finding]:
    evidence = analysis.stripe_evidence
    if evidence is None:
        return
    for checked in analysis.sites:
        if checked.verdict.stripe is not None or checked.verdict.confidence == LIKELY:
            continue
        yield Finding(
            CODE,
            *analysis.span(checked.site.token),
            message="could not prove whether this `account_balance` is a Stripe Customer field; review it",
            why=checked.verdict.why,
            confidence=checked.verdict.confidence,
            safe=False,
        )


RULE = Rule(
    code=CODE,
    name="unresolved-account-balance",
    fix="review",
    summary="an `account_balance` access in Stripe-using code that could not be proven either way",
    doc=__doc__ or "",
    check=check,
)
