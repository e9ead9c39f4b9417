"""The documentation of the rules that are not catalog entries (those document themselves).

ruff-style: What it does / Why is this bad? / Example / Fix safety. ``--explain``, SARIF
and the README read it from here.
"""
from __future__ import annotations

CONVERSION = """\
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

PINS = """\
## What it does
Reports the places that pin a Stripe API version older than 2019-10-17:
`stripe.api_version = "..."`, `StripeClient(..., stripe_version=...)`, a per-request
`stripe_version=` or `{"stripe_version": ...}` options, `Stripe-Version` headers (in any case), and
`WebhookEndpoint.create(api_version=...)`. The date may be written there, in a module
constant, in an `os.environ.get(..., "...")` default, or in another module: a constant
imported from the project, a module's attribute, or Django's `settings.X` (from the
project's settings modules); the finding is where the pin is set and names the file and
line of the date. It also reports a stripe SDK requirement in
`pyproject.toml` or `requirements*.txt` that keeps stripe-python below 6.0, the release
from which the SDK pins an API version of its own.

## Why is this bad?
The changes the codemod makes belong to API version 2019-10-17. Migrated code should be
released with a pin at or after that version; a pin before mid-2019 may not return the new
names (`balance`, `collection_method`) at all. Webhook payloads follow the endpoint's
version, not the SDK's, so stored and replayed events of an old endpoint still hold the old
names.

## Example
```python
stripe.api_version = "2019-08-14"
```
Use instead (with the renamed code):
```python
stripe.api_version = "2019-10-17"
```

## Fix safety
No fix: a pin is never edited, because later API versions carry other breaking changes
(`billing` became `collection_method` in the same version, for instance).
"""

REVIEW = """\
## What it does
Reports every field access, key or keyword of a catalog change (`billing`, `start`, ...)
in a module that uses Stripe when the codemod could prove neither that it is data of the
change's Stripe objects nor that it is not: a parameter without a Stripe
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

def show(subscription):      # nothing says where `subscription` comes from
    return subscription.billing
```
Annotate the parameter (`subscription: stripe.Subscription`) and the codemod renames it; if it is
not Stripe data, add `# stripe-codemod: ignore[SB900]`.

## Fix safety
No fix: it is a review item. Modules without any Stripe evidence produce no findings, and a
change whose rule is not selected has no review items either.
"""
