"""SB001 customer-balance-rename.

## What it does
Renames `account_balance` to `balance` wherever it is a field or a parameter of a Stripe
Customer that the codemod can prove: attributes, subscript and `.get()` keys,
`getattr`/`hasattr`/`setattr` strings, `"account_balance" in c` tests, `account_balance=`
keywords and params-dict keys of `Customer.create`/`modify` (and `_async`), and keys of
Customer payloads (`"object": "customer"` dicts, dicts given to `construct_from`).

## Why is this bad?
Stripe API version 2019-10-17 renamed the Customer field. Every stripe-python release since
6.0 pins a newer API version, so `c.account_balance` raises `AttributeError`,
`c["account_balance"]` raises `KeyError` and `account_balance=` is rejected with
"Received unknown parameter" as soon as the SDK is upgraded.

## Example
```python
customer = stripe.Customer.retrieve("cus_123")
owed = customer.account_balance
stripe.Customer.modify("cus_123", account_balance=0)
```
Use instead:
```python
customer = stripe.Customer.retrieve("cus_123")
owed = customer.balance
stripe.Customer.modify("cus_123", balance=0)
```

## Fix safety
Safe. `balance` has existed next to `account_balance`, with the same value, since
2019-05-31, so the renamed code also works against API versions pinned before 2019-10-17.
Only sites whose receiver is proven Stripe data (confidence `certain`) are rewritten.
Sites where only a name suggests Stripe (`stripe_customer` of unknown origin) have
confidence `likely`: they are listed for review and rewritten only with
`--include-likely`. Everything else undecided is an SB900 review finding.
"""
from __future__ import annotations

from typing import Iterable

import libcst as cst

from ..analysis import Analysis
from ..balance_updates import Refusal, outcome
from ..findings import LIKELY, Finding
from ..options import Options
from ..sites import Token
from .base import Rule

CODE = "SB001"
NEW = "balance"

_MESSAGES = {
    "attribute": "Stripe Customer field `account_balance` is `balance` since API 2019-10-17",
    "subscript-key": "Stripe Customer key `account_balance` is `balance` since API 2019-10-17",
    "get-key": (
        "Stripe Customer key `account_balance` is `balance` since API 2019-10-17"
        " (also: `.get()` is gone from Stripe objects in stripe-python 15; prefer getattr)"
    ),
    "getattr-string": "Stripe Customer field `account_balance` is `balance` since API 2019-10-17",
    "in-test": "Stripe Customer key `account_balance` is `balance` since API 2019-10-17",
    "keyword": "Stripe Customer parameter `account_balance` is `balance` since API 2019-10-17",
    "dict-key": "Stripe Customer key `account_balance` is `balance` since API 2019-10-17",
}


_LIKELY = "; only likely Stripe data: fixed with --include-likely"


def renamed(token: Token) -> str:
    """The token's new source: ``balance`` or the same string literal with ``balance`` in it."""
    if isinstance(token, cst.Name):
        return NEW
    return f"{token.prefix}{token.quote}{NEW}{token.quote}"


def check(analysis: Analysis, options: Options) -> Iterable[Finding]:
    for checked in analysis.sites:
        verdict = checked.verdict
        if not (verdict.stripe or verdict.confidence == LIKELY):
            continue
        token = checked.site.token
        why = verdict.why
        if verdict.stripe:
            found = outcome(analysis, checked, options)
            if isinstance(found, Refusal):
                why = f"{why}; not converted to a balance transaction: {found.reason}"
        yield Finding(
            CODE,
            *analysis.span(token),
            message=_MESSAGES[checked.site.kind] + (_LIKELY if verdict.confidence == LIKELY else ""),
            why=why,
            confidence=verdict.confidence,
            safe=True,
            edits=(analysis.edit(token, renamed(token)),),
        )


RULE = Rule(
    code=CODE,
    name="customer-balance-rename",
    fix="safe",
    summary="`account_balance` -> `balance` on Stripe Customer data and parameters",
    doc=__doc__ or "",
    check=check,
)
