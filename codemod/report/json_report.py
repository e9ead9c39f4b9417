"""The machine report: JSON schema version 1 (stable; documented in the README)."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from .. import __version__
from ..findings import Finding
from . import escape
from .model import Report

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    report = report.redacted()
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "stripe-codemod", "version": __version__},
        "summary": dataclasses.asdict(report.summary),
        "files": [
            {"path": file.path, "changed": file.changed, "diff": file.diff,
             "findings": [finding(f) for f in file.findings]}
            for file in report.files
            if file.error is None or file.findings
        ],
        "errors": [{"path": file.path, "message": file.error} for file in report.files if file.error is not None],
    }
    if report.notes:
        document["notes"] = list(report.notes)
    return escape.json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def finding(f: Finding) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": f.code, "line": f.line, "col": f.col, "end_line": f.end_line, "end_col": f.end_col,
        "status": f.status, "confidence": f.confidence, "safe": f.safe, "message": f.message, "why": f.why,
    }
    if f.edits:
        item["fix"] = {"replacements": [
            {"line": e.start[0], "col": e.start[1] + 1, "end_line": e.end[0], "end_col": e.end[1] + 1, "text": e.new}
            for e in f.edits
        ]}
    return item
