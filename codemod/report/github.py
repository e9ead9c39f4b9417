"""GitHub Actions workflow commands: one annotation per finding, on its lines."""
from __future__ import annotations

from ..registry import INFO
from .model import Report


def render(report: Report) -> str:
    report = report.redacted()
    lines = []
    for file in report.files:
        if file.error is not None:
            lines.append(f"::error file={_property(file.path)},title=stripe-codemod::{_data(file.error)}")
        for f in report.shown(file):
            level = "notice" if INFO[f.code].level == "note" else "warning"
            where = f"file={_property(file.path)},line={f.line},col={f.col},endLine={f.end_line},endColumn={f.end_col}"
            title = _property(f"{f.code} [{f.status}]")
            lines.append(f"::{level} {where},title={title}::{_data(f'{f.message} ({f.why})')}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
