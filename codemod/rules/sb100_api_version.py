"""SB100 api-version-pin.

## What it does
Reports the places that pin a Stripe API version older than 2019-10-17:
`stripe.api_version = "..."`, `StripeClient(..., stripe_version=...)`, a per-request
`stripe_version=` or `{"stripe_version": ...}` options, `Stripe-Version` headers, and
`WebhookEndpoint.create(api_version=...)`. It also reports a stripe SDK requirement in
`pyproject.toml` or `requirements*.txt` that keeps stripe-python below 6.0, the release
from which the SDK pins an API version of its own.

## Why is this bad?
The rename of `account_balance` to `balance` belongs to API version 2019-10-17. Code
migrated to `balance` should be released with a pin at or after that version; a pin before
2019-05-31 may not return `balance` at all. Webhook payloads follow the endpoint's version,
not the SDK's, so stored and replayed events of an old endpoint still say `account_balance`.

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
from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..findings import CERTAIN, REVIEW, Finding
from ..options import Options
from ..requirements import old_stripe_requirements
from .base import Rule

CODE = "SB100"
RENAMED_IN = "2019-10-17"


def check(analysis: Analysis, options: Options) -> Iterable[Finding]:
    for pin in analysis.pins:
        if pin.version[:10] >= RENAMED_IN:
            continue
        what = "webhook endpoint API version" if pin.endpoint else "API version pin"
        yield Finding(
            CODE,
            *analysis.span(pin.literal),
            message=f"{what} {pin.version} is older than {RENAMED_IN}: raise it with the renamed code",
            why=f"{pin.how} (line {analysis.line(pin.literal)})",
            confidence=CERTAIN,
            safe=False,
        )


def requirement_findings(path: str, data: bytes) -> list[Finding]:
    """SB100 for a ``pyproject.toml`` or ``requirements*.txt`` (they are not Python)."""
    return [
        Finding(
            CODE, req.line, req.col, req.line, req.col + len(req.text),
            message=(f"`{req.text}` keeps stripe-python below {req.below}.0: it sends no API version, so the "
                     f"account's default applies; from 6.0 on every release pins one after {RENAMED_IN}"),
            why=f"stripe requirement in {path} (line {req.line})",
            confidence=CERTAIN, safe=False, status=REVIEW,
        )
        for req in old_stripe_requirements(path, data)
    ]


RULE = Rule(CODE, __doc__ or "", check)
