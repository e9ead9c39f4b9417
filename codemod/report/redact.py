"""Secret keys never leave the machine in a shared report.

A key is masked wherever it starts: after a letter, a digit, ``_``, an escape sequence of the
source (``"Bearer\\nsk_live_..."``) or a URL encoding (``key%3Dsk_live_...``), and across the
adjacent string literals (``"sk_live_abc" "def"``), on one line or continued on the next, that
Python joins into one key.
"""
from __future__ import annotations

import re

_PREFIX = r"(?:sk|rk)_(?:live|test)_|whsec_"
_BODY = r"[A-Za-z0-9+/=_-]*"
# A closing quote, what may stand between two literals (spaces, ``\\`` or a line end, and the
# marker a diff puts before a continued line), then the next literal's opening quote.
_JOIN = r"(?:[\"'][ \t]*\\?(?:\r?\n[+ -]?)?[ \t]*[bBrRuUfF]{0,2}[\"'])"
_SECRET = re.compile(rf"({_PREFIX})(?!\[redacted\]){_BODY}(?:{_JOIN}[A-Za-z0-9+/=_-]+)*")


def redact(text: str) -> str:
    """``sk_live_abc123`` -> ``sk_live_[redacted]``; likewise ``sk_test_``, ``rk_*``, ``whsec_``."""
    if not may_hold_key(text):  # most texts end here
        return text
    return _SECRET.sub(lambda match: _mask(match, text), text)


def may_hold_key(text: str) -> bool:
    """Whether ``text`` holds what every key's prefix holds."""
    return "_live_" in text or "_test_" in text or "whsec_" in text


def _mask(match: re.Match[str], text: str) -> str:
    """A key is long; a short match inside a word (``task_test_runner``) is a name."""
    body = re.sub(r"[^A-Za-z0-9]", "", match.group()[len(match.group(1)):])
    inside_word = match.start() > 0 and text[match.start() - 1].isalnum()
    if len(body) < 8 and inside_word:
        return match.group()
    return f"{match.group(1)}[redacted]"
