"""Every output format, derived from the one list of findings of a run."""
from __future__ import annotations

from dataclasses import dataclass

from ..diff import unified
from ..engine import FileResult, Run
from ..findings import FIXABLE, FIXED, REVIEW


def file_diff(result: FileResult) -> str:
    if not result.changed:
        return ""
    return unified(result.path, result.source.decode(result.encoding), result.output.decode(result.encoding))


@dataclass(frozen=True)
class Summary:
    files_scanned: int
    files_changed: int
    fixes: int
    review: int
    errors: int

    @classmethod
    def of(cls, run: Run) -> Summary:
        findings = [f for result in run.results for f in result.findings]
        return cls(
            files_scanned=run.scanned,
            files_changed=sum(1 for r in run.results if r.changed and r.error is None),
            fixes=sum(1 for f in findings if f.status in (FIXABLE, FIXED)),
            review=sum(1 for f in findings if f.status == REVIEW),
            errors=sum(1 for r in run.results if r.error is not None),
        )
