"""GitHub Actions workflow commands: one annotation per finding, on its lines."""
from __future__ import annotations

from ..registry import INFO
from . import escape
from .model import Report


def render(report: Report) -> str:
    report = report.redacted()
    lines = [f"::notice title=stripe-codemod::{escape.github_data(note)}" for note in report.notes]
    for file in report.files:
        if file.error is not None:
            lines.append(f"::error file={escape.github_property(file.path)},title=stripe-codemod::{escape.github_data(file.error)}")
        for f in report.shown(file):
            level = "notice" if INFO[f.code].level == "note" else "warning"
            where = f"file={escape.github_property(file.path)},line={f.line},col={f.col},endLine={f.end_line},endColumn={f.end_col}"
            title = escape.github_property(f"{f.code} [{f.status}]")
            lines.append(f"::{level} {where},title={title}::{escape.github_data(f'{f.message} ({f.why})')}")
    return "".join(line + "\n" for line in lines)


