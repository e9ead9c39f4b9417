"""The one list every output is derived from: findings, with their optional edits."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

FIXED, FIXABLE, REVIEW, SUPPRESSED = "fixed", "fixable", "review", "suppressed"


@dataclass(frozen=True)
class Edit:
    """Replace ``node`` (found by identity in the parsed module) with ``replacement``."""

    node: cst.CSTNode
    replacement: cst.CSTNode


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

    @property
    def is_fix(self) -> bool:
        return bool(self.edits)
