"""The human report: ``path:line:col: CODE [status] message (why)`` lines and a summary.

Colour only on a terminal, and never when ``NO_COLOR`` is set.
"""
from __future__ import annotations

import os
from typing import TextIO

from ..registry import INFO
from . import escape
from .model import Report
from .redact import redact

# by what a rule's findings ask of the reader: a safe fix, an unsafe one, a report, a decision
_COLOURS = {"safe": "32", "unsafe": "36", "report": "35", "review": "33", "error": "31", "path": "1"}


def use_colour(stream: TextIO) -> bool:
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def findings(report: Report, colour: bool = False, kept: bool = False) -> str:
    paint = _paint if colour else _plain
    lines = []
    for file in report.redacted().files:
        path = escape.text_path(file.path)
        if file.error is not None:
            lines.append(f"{paint('path', path)}: {paint('error', 'error')}: {escape.text(file.error)}")
        shown = report.shown(file) + (report.kept(file) if kept else [])
        for f in sorted(shown, key=lambda f: (f.line, f.col, f.code)):
            where = paint("path", f"{path}:{f.line}:{f.col}")
            lines.append(f"{where}: {paint(INFO[f.code].fix, f.code)} [{f.status}] {escape.text(f'{f.message} ({f.why})')}")
    return "".join(line + "\n" for line in lines)


def summary(report: Report) -> str:
    s = report.summary
    scanned = f"{s.files_scanned} file{'s' if s.files_scanned != 1 else ''} scanned"
    parts = []
    if s.fixes:
        verb = "Fixed" if report.written else "Would fix"
        parts.append(f"{verb} {count(s.fixes, 'site')} in {count(s.files_changed, 'file')}")
    if s.review:
        parts.append(f"{count(s.review, 'site')} to review")
    if s.errors:
        parts.append(f"{count(s.errors, 'file')} could not be processed")
    notes = "".join(f"{escape.text(redact(note))}\n" for note in report.notes)
    if not parts:
        return f"Nothing to do: no use of the old Stripe API found ({scanned}).\n{notes}"
    return "; ".join(parts) + f" ({scanned}).\n{notes}"


def count(n: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith(("s", "x")) else "s")
    return f"{n} {noun if n == 1 else plural}"


def _paint(kind: str, text: str) -> str:
    return f"\033[{_COLOURS.get(kind, '0')}m{text}\033[0m"


def _plain(kind: str, text: str) -> str:
    return text
