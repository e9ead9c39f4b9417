"""The human report: ``path:line:col: CODE message (why)`` lines and a one-line summary."""
from __future__ import annotations

from ..engine import Run
from ..findings import SUPPRESSED
from ..options import WRITE
from . import Summary


def findings(run: Run) -> str:
    lines = []
    for result in run.results:
        if result.error is not None:
            lines.append(f"{result.path}: error: {result.error}")
        for f in result.findings:
            if f.status != SUPPRESSED:
                lines.append(f"{result.path}:{f.line}:{f.col}: {f.code} [{f.status}] {f.message} ({f.why})")
    return "".join(line + "\n" for line in lines)


def summary(run: Run, mode: str) -> str:
    s = Summary.of(run)
    scanned = f"{s.files_scanned} file{'s' if s.files_scanned != 1 else ''} scanned"
    parts = []
    if s.fixes:
        verb = "Fixed" if mode == WRITE else "Would fix"
        parts.append(f"{verb} {_count(s.fixes, 'site')} in {_count(s.files_changed, 'file')}")
    if s.review:
        parts.append(f"{_count(s.review, 'site')} to review")
    if s.errors:
        parts.append(f"{_count(s.errors, 'file')} could not be processed")
    if not parts:
        return f"Nothing to do: no Stripe Customer `account_balance` found ({scanned}).\n"
    return "; ".join(parts) + f" ({scanned}).\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
