"""What a rule is: a stable code, its documentation, and the findings it yields."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..analysis import Analysis
from ..findings import Finding
from ..options import Options


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    fix: str  # "safe", "unsafe", "report" or "review"
    summary: str
    doc: str  # ruff-style: What it does / Why is this bad? / Example / Fix safety
    check: Callable[[Analysis, Options], Iterable[Finding]]
