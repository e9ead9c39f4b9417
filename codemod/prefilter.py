"""The cheap tests that keep most files from ever being parsed, built from the catalog.

A file is a candidate when it holds a catalog word as a whole word (``billing_reason`` is
not ``billing``), and, for a word as common as ``start``, also one
of the words of its context (``subscription``). A plain substring search comes first: it
is what rejects almost every file, and it costs a fraction of a regular expression.
"""
from __future__ import annotations

import re

from .catalog import CHANGES

_WORD_CHARS = rb"A-Za-z0-9_"


def _whole(word: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![" + _WORD_CHARS + rb"])" + re.escape(word.encode()) + rb"(?![" + _WORD_CHARS + rb"])")


# (word, its whole-word pattern, the context words of which one must appear, lowercase)
_WORDS = tuple(
    (change.old.encode(), _whole(change.old), tuple(word.encode() for word in change.context))
    for change in CHANGES
)
_PIN_WORDS = (b"api_version", b"stripe_version", b"Stripe-Version")
# A pin word counts only next to a date literal: `stripe.api_version = "2019-08-14"`.
_PIN = re.compile(rb"(?:api_version|stripe_version|Stripe-Version)[\"']?\s*[:=,]\s*[\"']\d{4}-\d\d-\d\d", re.I)


def worth_parsing(data: bytes, pins: bool = True) -> bool:
    """Only a file with a catalog word, or (for SB100) a Stripe-using file with a pin, can hold a finding."""
    if words_in(data):
        return True
    return pins and mentions_stripe(data) and any(word in data for word in _PIN_WORDS) and _PIN.search(data) is not None


def words_in(data: bytes) -> frozenset[str]:
    """The catalog words this file holds as whole words, each within its context."""
    found = []
    lowered: bytes | None = None
    for word, pattern, context in _WORDS:
        if word not in data or pattern.search(data) is None:
            continue
        if context:
            lowered = data.lower() if lowered is None else lowered
            if not any(c in lowered for c in context):
                continue
        found.append(word.decode())
    return frozenset(found)


def mentions_stripe(data: bytes) -> bool:
    """Whether a module can say anything about Stripe at all (else it is never analysed)."""
    return b"stripe" in data or b"Stripe" in data
