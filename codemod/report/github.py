"""GitHub Actions workflow commands: one annotation per finding, on its lines.

GitHub shows only a few annotations of each level per step and 50 per job, so the ones that
ask for a decision come first: files that could not be processed (``error``), then review
items and pins (``warning``), then fixes and offers (``notice``). At most ``LIMIT`` are
emitted; the last one says how many more the report holds.
"""
from __future__ import annotations

from ..findings import FIXABLE, FIXED
from ..registry import INFO
from . import escape
from .model import Report

LIMIT = 50


def render(report: Report, limit: int = LIMIT) -> str:
    report = report.redacted()
    ranked: list[tuple[int, str]] = [(3, f"::notice title=stripe-codemod::{escape.github_data(note)}") for note in report.notes]
    for file in report.files:
        path = escape.github_property(file.path)
        if file.error is not None:
            ranked.append((0, f"::error file={path},title=stripe-codemod::{escape.github_data(file.error)}"))
        for f in report.shown(file):
            notice = f.status in (FIXABLE, FIXED) or INFO[f.code].level == "note"
            where = f"file={path},line={f.line},col={f.col},endLine={f.end_line},endColumn={f.end_col}"
            title = escape.github_property(f"{f.code} [{f.status}]")
            line = f"::{'notice' if notice else 'warning'} {where},title={title}::{escape.github_data(f'{f.message} ({f.why})')}"
            ranked.append((2 if notice else 1, line))
    ranked.sort(key=lambda item: item[0])  # stable: in file order within a level
    lines = [line for _, line in ranked]
    if len(lines) > limit:
        more = len(lines) - (limit - 1)
        lines = lines[:limit - 1] + [f"::notice title=stripe-codemod::{more} more findings are in the report"
                                     " (the job summary and the stripe-codemod-report artifact)"]
    return "".join(line + "\n" for line in lines)
