"""What a rule is: its entry in the registry, its documentation, and the findings it yields."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Union

from ..analysis import Analysis
from ..findings import Finding, Note
from ..options import Options
from ..registry import INFO, RuleInfo

Yield = Iterable[Union[Finding, Note]]


@dataclass(frozen=True)
class Rule:
    code: str
    doc: str  # ruff-style: What it does / Why is this bad? / Example / Fix safety
    check: Callable[[Analysis, Options], Yield]

    @property
    def info(self) -> RuleInfo:
        return INFO[self.code]
