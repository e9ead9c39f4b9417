"""Secret keys never leave the machine in a shared report."""
from __future__ import annotations

import re

_SECRET = re.compile(r"\b((?:sk|rk)_(?:live|test)_|whsec_)[A-Za-z0-9+/=_-]+")


def redact(text: str) -> str:
    """``sk_live_abc123`` -> ``sk_live_[redacted]``; likewise ``sk_test_``, ``rk_*``, ``whsec_``."""
    return _SECRET.sub(r"\1[redacted]", text)
