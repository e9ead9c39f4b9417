"""The cheap test that keeps most files from ever being parsed."""
from __future__ import annotations

TOKEN = "account_balance"
_TOKEN_BYTES = TOKEN.encode("ascii")


def worth_parsing(data: bytes) -> bool:
    """Only a file whose bytes contain the exact token can hold a site."""
    return _TOKEN_BYTES in data
