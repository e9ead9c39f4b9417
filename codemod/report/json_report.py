"""The machine report: JSON schema version 1 (stable; see README)."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from .. import __version__
from ..engine import Run
from . import Summary, file_diff

SCHEMA_VERSION = 1


def render(run: Run) -> str:
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "stripe-codemod", "version": __version__},
        "summary": dataclasses.asdict(Summary.of(run)),
        "files": [
            {
                "path": result.path,
                "changed": result.changed,
                "diff": file_diff(result),
                "findings": [
                    {
                        "code": f.code, "line": f.line, "col": f.col,
                        "end_line": f.end_line, "end_col": f.end_col,
                        "status": f.status, "confidence": f.confidence, "safe": f.safe,
                        "message": f.message, "why": f.why,
                    }
                    for f in result.findings
                ],
            }
            for result in run.results
            if result.error is None or result.findings
        ],
        "errors": [
            {"path": result.path, "message": result.error}
            for result in run.results
            if result.error is not None
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
