"""The settings of one run, after the command line (and configuration) have been read."""
from __future__ import annotations

from dataclasses import dataclass, field

WRITE, CHECK, DIFF = "write", "check", "diff"


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...] = (".",)
    mode: str = DIFF
    output_format: str = "text"
    output: str | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] = field(default_factory=frozenset)
    exclude: tuple[str, ...] = ()
    exit_zero_even_if_changed: bool = False
    include_likely: bool = False

    def rule_enabled(self, code: str) -> bool:
        return (self.select is None or code in self.select) and code not in self.ignore
