"""SB900 unresolved-stripe-field.

## What it does
Reports every field access, key or keyword of a catalog change (`account_balance`,
`billing`, ...) in a module that uses Stripe when the codemod could prove neither that it
is data of the change's Stripe objects nor that it is not: a parameter without a Stripe
annotation, a value returned by a function it cannot see, a plain dict that never reaches a
Stripe call. Very common names (`start`, `due_date`) are reviewed only in modules that
mention the objects they belong to (a subscription, an invoice).

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
No fix: it is a review item. Modules without any Stripe evidence produce no findings, and a
change whose rule is not selected has no review items either.
"""
from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..catalog import Change
from ..findings import LIKELY, Finding
from ..options import Options
from .base import Rule

CODE = "SB900"


def message(change: Change) -> str:
    return f"could not prove whether this `{change.old}` is a Stripe {change.kinds_text} field; review it"


def check(analysis: Analysis, options: Options) -> Iterable[Finding]:
    evidence = analysis.stripe_evidence
    if evidence is None:
        return
    for checked in analysis.sites:
        if checked.verdict.stripe is not None or checked.verdict.confidence == LIKELY:
            continue
        change = checked.site.change
        if not options.rule_enabled(change.code, analysis.path):
            continue
        yield Finding(
            CODE,
            *analysis.span(checked.site.token),
            message=message(change),
            why=checked.verdict.why,
            confidence=checked.verdict.confidence,
            safe=False,
        )


RULE = Rule(CODE, __doc__ or "", check)
