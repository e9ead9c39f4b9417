"""SARIF 2.1.0 for code scanning: the rules, a result per finding, and its fix where it has one."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..findings import KEPT, SUPPRESSED, Finding
from ..registry import INFO, RuleInfo
from . import escape
from .model import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report) -> str:
    report = report.redacted()
    index = {code: n for n, code in enumerate(INFO)}
    results = [_result(file.path, f, index) for file in report.files for f in file.findings if f.status != KEPT]
    notifications = [
        {"level": "error", "message": {"text": file.error},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(file.path)}}}]}
        for file in report.files if file.error is not None
    ]
    notes = [{"level": "note", "message": {"text": note}} for note in report.notes]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "stripe-codemod",
            "version": __version__,
            "rules": [_rule(info) for info in INFO.values()],
        }},
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications + notes}],
        "columnKind": "unicodeCodePoints",  # columns count characters, as every other output does
        "results": results,
    }
    return escape.json_text(json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False)) + "\n"


def _uri(path: str) -> str:
    """A relative URI reference: ``%20`` for a space, ``%23`` for ``#``, UTF-8 for the rest."""
    return quote(path, safe="/")


def _rule(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "help": {"text": info.doc.strip(), "markdown": info.doc.strip()},
        "properties": {"fix": info.fix},
    }


def _result(path: str, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    region = {"startLine": f.line, "startColumn": f.col, "endLine": f.end_line, "endColumn": f.end_col}
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": INFO[f.code].level,
        "message": {"text": f"{f.message} ({f.why})"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": region}}],
        "properties": {"status": f.status, "confidence": f.confidence, "why": f.why},
    }
    if f.status == SUPPRESSED:
        result["suppressions"] = [{"kind": "inSource"}]
    if f.edits:
        result["fixes"] = [{
            "description": {"text": "safe fix" if f.safe else "unsafe fix (--unsafe-fixes)"},
            "artifactChanges": [{
                "artifactLocation": {"uri": _uri(path)},
                "replacements": [
                    {"deletedRegion": {"startLine": e.start[0], "startColumn": e.start[1] + 1,
                                       "endLine": e.end[0], "endColumn": e.end[1] + 1},
                     "insertedContent": {"text": e.new}}
                    for e in f.edits
                ],
            }],
        }]
    return result
