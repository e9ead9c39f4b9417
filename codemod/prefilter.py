"""The cheap test that keeps most files from ever being parsed."""
from __future__ import annotations

import re

TOKEN = "account_balance"
_TOKEN_BYTES = TOKEN.encode("ascii")


_PIN_BYTES = (b"api_version", b"stripe_version", b"Stripe-Version")
_STRIPE = re.compile(rb"stripe", re.IGNORECASE)


def worth_parsing(data: bytes, pins: bool = True) -> bool:
    """Only a file whose bytes contain the exact token (or, for SB100, a pin) can hold a finding."""
    return _TOKEN_BYTES in data or (pins and any(word in data for word in _PIN_BYTES))


def mentions_stripe(data: bytes) -> bool:
    """Whether a module can say anything about Stripe at all (else it is never analysed)."""
    return _STRIPE.search(data) is not None
