"""A run's findings per file, with the diffs, as every format renders them.

A report is built from a run, or read back from JSON reports (several of them merge into
one), so that any format can be produced from either.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable

from ..diff import unified
from ..engine import FileResult, Run
from ..findings import FIXABLE, FIXED, KEPT, REVIEW, SUPPRESSED, Edit, Finding
from ..options import WRITE
from .escape import unicode_path
from .redact import redact


@dataclass(frozen=True)
class ReportFile:
    path: str
    changed: bool
    diff: str
    findings: tuple[Finding, ...]
    error: str | None = None


@dataclass(frozen=True)
class Summary:
    files_scanned: int
    files_changed: int
    fixes: int
    review: int
    errors: int


@dataclass(frozen=True)
class Report:
    files: tuple[ReportFile, ...]
    files_scanned: int
    written: bool = False  # the fixes were applied (--write), not only shown
    sdk: str = ""  # the project's stripe requirement and the SDK the run aims at, when there is something to say

    @classmethod
    def from_run(cls, run: Run, mode: str) -> Report:
        return cls(tuple(_file(result) for result in run.results), run.scanned, mode == WRITE)

    @classmethod
    def merge(cls, documents: Iterable[dict[str, Any]]) -> Report:
        """One report from several JSON reports (shards of one run)."""
        files: list[ReportFile] = []
        scanned = 0
        written = False
        for document in documents:
            scanned += document["summary"]["files_scanned"]
            errors = {e["path"]: e["message"] for e in document["errors"]}
            for entry in document["files"]:
                findings = tuple(_finding(item) for item in entry["findings"])
                written = written or any(f.status == FIXED for f in findings)
                files.append(ReportFile(entry["path"], entry["changed"], entry["diff"], findings, errors.pop(entry["path"], None)))
            files.extend(ReportFile(path, False, "", (), message) for path, message in errors.items())
        return cls(tuple(sorted(files, key=lambda f: f.path)), scanned, written)

    @property
    def summary(self) -> Summary:
        findings = [f for file in self.files for f in file.findings]
        return Summary(
            files_scanned=self.files_scanned,
            files_changed=sum(1 for f in self.files if f.changed and f.error is None),
            fixes=sum(1 for f in findings if f.status in (FIXABLE, FIXED)),
            review=sum(1 for f in findings if f.status == REVIEW),
            errors=sum(1 for f in self.files if f.error is not None),
        )

    def shown(self, file: ReportFile) -> list[Finding]:
        """The findings a person is shown: all but the suppressed and the kept ones."""
        return [f for f in file.findings if f.status not in (SUPPRESSED, KEPT)]

    def kept(self, file: ReportFile) -> list[Finding]:
        """The sites proven not to be the change's data, with the proof (``--show-kept``)."""
        return [f for f in file.findings if f.status == KEPT]

    def redacted(self) -> Report:
        """The same report with secret keys masked in every string, for everything that gets shared."""
        return dataclasses.replace(self, sdk=redact(self.sdk), files=tuple(
            dataclasses.replace(
                file,
                path=redact(file.path),
                diff=redact(file.diff),
                error=redact(file.error) if file.error else None,
                findings=tuple(_redacted(f) for f in file.findings),
            )
            for file in self.files
        ))


def _redacted(f: Finding) -> Finding:
    edits = tuple(dataclasses.replace(e, new=redact(e.new)) for e in f.edits)
    return dataclasses.replace(f, message=redact(f.message), why=redact(f.why), edits=edits)


def _file(result: FileResult) -> ReportFile:
    diff = ""
    if result.changed:
        diff = unified(unicode_path(result.path), result.source.decode(result.encoding), result.output.decode(result.encoding))
    return ReportFile(unicode_path(result.path), result.changed and result.error is None, diff, result.findings, result.error)


def _finding(item: dict[str, Any]) -> Finding:
    edits = tuple(
        Edit((r["line"], r["col"] - 1), (r["end_line"], r["end_col"] - 1), "", r["text"])
        for r in item.get("fix", {}).get("replacements", ())
    )
    fields = {name: item[name] for name in ("code", "line", "col", "end_line", "end_col", "message", "why",
                                            "confidence", "safe", "status")}
    return Finding(**fields, edits=edits)
