"""SB002 balance-update-to-transaction.

## What it does
Turns a read-modify-write of a Stripe Customer's balance into one Customer Balance
Transaction call, in the SDK style the code already uses:
`stripe.Customer.modify(cid, account_balance=c.account_balance - credit)`,
`c.account_balance += fee` followed by `c.save()` (or `stripe.Customer.save(c)`), and
`client[.v1].customers.update(cid, {"account_balance": c.account_balance + fee})`, sync or
async, become `create_balance_transaction(cid, amount=..., currency=...)` (resource style)
or `client[.v1].customers.balance_transactions.create(cid, {"amount": ..., "currency": ...})`.

## Why is this bad?
Reading the balance and writing it back races with every other writer (an invoice, a
credit note, another worker) and leaves no trace of why the balance changed. A balance
transaction adds the amount atomically on Stripe's side and is recorded (`cbtxn_...`).

## Example
```python
customer = stripe.Customer.retrieve(cid)
stripe.Customer.modify(cid, account_balance=customer.account_balance - credit)
```
Use instead:
```python
customer = stripe.Customer.retrieve(cid)
stripe.Customer.create_balance_transaction(cid, amount=-credit, currency=customer.currency)
```

## Fix safety
Unsafe: shown and applied only with `--unsafe-fixes`. Setting becomes adding, so the
behaviour changes: the amount is applied where the increment was (not where the customer
was saved), a retried call applies it twice (pass an `idempotency_key`), the call returns a
balance transaction instead of the customer, and a customer object read afterwards holds a
stale `balance`. The customer id is always passed positionally. The currency is a
`currency` already in scope, else the customer's own `currency`, else `--currency`;
without one there is no fix. Absolute values (`account_balance=0`), opening balances
(`create(account_balance=...)`), changes that are never saved and updates of a customer
whose identity is not proven are only renamed (SB001), with the reason in the finding.
"""
from __future__ import annotations

from ..analysis import Analysis
from ..findings import Finding, Note
from ..options import Options
from .balance_updates import TOKEN, Conversion, Refusal, examine
from .base import Rule, Yield

CODE = "SB002"
RENAME = "SB001"  # the rename whose sites it converts
MESSAGE = (
    "direct update of a Stripe Customer balance: a Customer Balance Transaction adds the amount"
    " atomically and is recorded"
)


def check(analysis: Analysis, options: Options) -> Yield:
    """A conversion of each increment; for every other write, the reason, on its rename."""
    for checked in analysis.sites_of(TOKEN):
        if not checked.verdict.stripe:
            continue
        found = examine(analysis, checked, options)
        span = analysis.span(checked.site.token)
        if isinstance(found, Refusal):
            yield Note(RENAME, span[0], span[1], f"not converted to a balance transaction: {found.reason}")
        if not isinstance(found, Conversion):
            continue
        hint = "" if options.unsafe_fixes else " (unsafe fix: rerun with --unsafe-fixes)"
        yield Finding(
            CODE,
            *span,
            message=MESSAGE + hint,
            why="; ".join((checked.verdict.why, *found.notes)),
            confidence=checked.verdict.confidence,
            safe=False,
            edits=found.edits,
            supersedes=(RENAME,),
        )


RULE = Rule(CODE, __doc__ or "", check)
