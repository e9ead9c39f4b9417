"""The cheap tests that keep most files from ever being parsed: plain substring searches.

(A case-insensitive regular expression costs three times more than two searches.)
"""
from __future__ import annotations

TOKEN = "account_balance"
_TOKEN_BYTES = TOKEN.encode("ascii")
_PIN_BYTES = (b"api_version", b"stripe_version", b"Stripe-Version")


def worth_parsing(data: bytes, pins: bool = True) -> bool:
    """Only a file with the exact token, or (for SB100) a Stripe-using file with a pin, can hold a finding.

    A pin needs Stripe (``stripe.api_version``, ``StripeClient(stripe_version=...)``, a
    ``Stripe-Version`` header), so the pin words are only looked for in files that say so.
    """
    if _TOKEN_BYTES in data:
        return True
    return pins and mentions_stripe(data) and any(word in data for word in _PIN_BYTES)


def mentions_stripe(data: bytes) -> bool:
    """Whether a module can say anything about Stripe at all (else it is never analysed)."""
    return b"stripe" in data or b"Stripe" in data
