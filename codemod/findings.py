"""The one list every output is derived from: findings, with their optional edits."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import records

FIXED, FIXABLE, REVIEW, SUPPRESSED = "fixed", "fixable", "review", "suppressed"
KEPT = "kept"  # proven not the change's data; the why is the proof
CERTAIN, LIKELY, UNKNOWN = "certain", "likely", "unknown"  # confidence


@records.fast_init
@dataclass(frozen=True)
class Edit:
    """Replace the source text ``old`` between two positions with ``new``.

    Positions are (1-based line, 0-based column) in the decoded text, as LibCST counts them.
    """

    start: tuple[int, int]
    end: tuple[int, int]
    old: str
    new: str


@records.fast_init
@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    why: str
    confidence: str
    safe: bool
    edits: tuple[Edit, ...] = field(default=(), compare=False, repr=False)
    status: str = ""
    # codes of the safe fixes inside this fix's edits that it replaces when it is applied
    supersedes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # codes of the fixes inside this fix's edits that it makes too: they stay listed, without edits
    absorbs: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def is_fix(self) -> bool:
        return bool(self.edits)


@dataclass(frozen=True)
class Note:
    """Evidence a rule adds to another rule's finding at the same place (``code`` at ``line:col``)."""

    code: str
    line: int
    col: int
    text: str
