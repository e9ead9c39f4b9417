"""The cheap tests that keep most files from ever being parsed, built from the catalog.

A file is a candidate when it holds a catalog word as a whole word (``billing_reason`` is
not ``billing``), and, for a word as common as ``start``, also one of the words of its
context (``subscription``, ``Subscription`` or ``SUBSCRIPTION``). Plain substring searches
come first: they reject almost every file, at a fraction of the cost of a regular expression.
"""
from __future__ import annotations

import re

from typing import Iterable

from .catalog import CHANGES, SdkChange

_WORD_CHARS = rb"A-Za-z0-9_"


def _whole(word: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![" + _WORD_CHARS + rb"])" + re.escape(word.encode()) + rb"(?![" + _WORD_CHARS + rb"])")


def _spellings(word: str) -> tuple[bytes, ...]:
    """A context word as code writes it: ``subscription``, ``Subscription``, ``SUBSCRIPTION``."""
    return tuple(dict.fromkeys(w.encode() for w in (word, word.capitalize(), word.upper())))


# (word, its whole-word pattern, the spellings of the context words of which one must appear,
# and those words lower-cased: one search of the lower-cased file rules out all three spellings)
_WORDS = tuple(
    (change.old.encode(), _whole(change.old), tuple(s for word in change.context for s in _spellings(word)),
     tuple(word.lower().encode() for word in change.context))
    for change in CHANGES
)
# a keyword, an attribute or an options key; a header in any common case (``Stripe-version`` too)
_PIN_WORDS = (b"api_version", b"stripe_version", b"STRIPE_VERSION", b"-version", b"-Version", b"-VERSION")
# A pin word counts only next to a date literal (`stripe.api_version = "2019-08-14"`), or set
# from a name that may be a constant of another module (`stripe_version=settings.STRIPE_VERSION`).
_PIN = re.compile(rb"(?:api_version|stripe_version|Stripe-Version)[\"']?\s*[:=,]\s*(?:[\"']\d{4}-\d\d-\d\d|[A-Za-z_])", re.I)


def worth_parsing(data: bytes, pins: bool = True, sdk: Iterable[SdkChange] = (), stripe: bool | None = None) -> bool:
    """Only a file with a catalog word, or a Stripe-using file with a pin (SB100) or a marker of
    an SDK-surface change, can hold a finding. ``stripe``: ``mentions_stripe(data)``, when the
    caller knows it already."""
    if words_in(data):
        return True
    if not (mentions_stripe(data) if stripe is None else stripe):
        return False
    if any(marker in data for change in sdk for marker in change.markers):
        return True
    return pins and any(word in data for word in _PIN_WORDS) and _PIN.search(data) is not None


def words_in(data: bytes) -> frozenset[str]:
    """The catalog words this file holds as whole words, each within its context."""
    found = []
    folded = None
    for word, pattern, context, lowered in _WORDS:
        if word not in data:
            continue
        if context:
            folded = data.lower() if folded is None else folded
            if not any(c in folded for c in lowered) or not any(c in data for c in context):
                continue
        if pattern.search(data) is not None:
            found.append(word.decode())
    return frozenset(found)


# A JSON document holds Stripe payloads when something in it is Stripe-shaped.
_STRIPE_SHAPE = re.compile(rb'"object"\s*:|"(?:cus|in|sub|evt)_[A-Za-z0-9]')


def json_worth_parsing(data: bytes) -> bool:
    """A catalog word in a JSON file, and something Stripe-shaped: an ``"object"`` key or a Stripe id."""
    return bool(words_in(data)) and _STRIPE_SHAPE.search(data) is not None


def mentions_stripe(data: bytes) -> bool:
    """Whether a module can say anything about Stripe at all (else it is never analysed)."""
    return b"stripe" in data or b"Stripe" in data
