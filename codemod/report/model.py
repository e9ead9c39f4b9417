"""A run's findings per file, with the diffs, as every format renders them.

A report is built from a run, or read back from JSON reports (several of them merge into
one), so that any format can be produced from either.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from .. import records
from ..engine import FileResult, Run
from ..findings import FIXABLE, FIXED, KEPT, REVIEW, SUPPRESSED, Edit, Finding
from ..options import WRITE
from ..registry import INFO
from .escape import unicode_path
from .redact import may_hold_key, redact


@dataclass(frozen=True)
class ReportFile:
    path: str
    changed: bool
    diff: str
    findings: tuple[Finding, ...]
    error: str | None = None
    encoding: str = "utf-8"  # the file's, which its diff's lines are written in


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
    # what the run says beside the files: the project's stripe requirement and the SDK aimed at,
    # the nested repositories it did not look into
    notes: tuple[str, ...] = ()

    @classmethod
    def from_run(cls, run: Run, mode: str, diffs: bool = True) -> Report:
        """``diffs``: whether the outputs show them (``--check`` does not: a diff costs a pass over the file)."""
        return cls(tuple(_file(result, diffs) for result in run.results), run.scanned, mode == WRITE)

    @classmethod
    def merge(cls, documents: Iterable[dict[str, Any]]) -> Report:
        """One report from several JSON reports (shards of one run). A report that does not
        follow the schema raises ``ValueError``, saying where."""
        import json

        files: dict[str, ReportFile] = {}
        scanned = 0
        written = False
        notes: dict[str, None] = {}
        merged: set[str] = set()
        for document in documents:
            same = json.dumps(document, sort_keys=True)
            if same in merged:  # the same report given twice counts once
                continue
            merged.add(same)
            for note in _items(document, "notes", "the report") if "notes" in document else ():  # optional
                notes[_field({"note": note}, "note", str, "the report's notes")] = None
            summary = _field(document, "summary", dict, "the report")
            scanned += _field(summary, "files_scanned", int, "summary")
            errors = {_field(e, "path", str, "an error"): _field(e, "message", str, "an error")
                      for e in _items(document, "errors", "the report")}
            for entry in _items(document, "files", "the report"):
                path = _field(entry, "path", str, "a file")
                findings = tuple(_finding(item) for item in _items(entry, "findings", path))
                written = written or any(f.status == FIXED for f in findings)
                files[path] = ReportFile(path, _field(entry, "changed", bool, path), _field(entry, "diff", str, path),
                                         findings, errors.pop(path, None))
            for path, message in errors.items():
                files[path] = ReportFile(path, False, "", (), message)
        return cls(tuple(files[path] for path in sorted(files)), scanned, written, tuple(notes))

    @property
    def summary(self) -> Summary:
        statuses = Counter(f.status for file in self.files for f in file.findings)
        return Summary(
            files_scanned=self.files_scanned,
            files_changed=sum(1 for f in self.files if f.changed and f.error is None),
            fixes=statuses[FIXABLE] + statuses[FIXED],
            review=statuses[REVIEW],
            errors=sum(1 for f in self.files if f.error is not None),
        )

    def shown(self, file: ReportFile) -> list[Finding]:
        """The findings a person is shown: all but the suppressed and the kept ones."""
        return [f for f in file.findings if f.status not in (SUPPRESSED, KEPT)]

    def to_review(self) -> list[tuple[str, Finding]]:
        """The open review items, by path: decisions, not the pins or the offers of unsafe fixes."""
        return [(file.path, f) for file in self.files for f in self.shown(file)
                if f.status == REVIEW and INFO[f.code].section == "review"]

    def kept(self, file: ReportFile) -> list[Finding]:
        """The sites proven not to be the change's data, with the proof (``--show-kept``)."""
        return [f for f in file.findings if f.status == KEPT]

    def redacted(self) -> Report:
        """The same report with secret keys masked in every string, for everything that gets shared."""
        return records.replace(self, notes=tuple(redact(note) for note in self.notes),
                               files=tuple(map(_redacted_file, self.files)))


def _redacted_file(file: ReportFile) -> ReportFile:
    """``file`` itself when none of its strings may hold a key (most do not: a copy costs more than the checks)."""
    if not (may_hold_key(file.path) or may_hold_key(file.diff) or (file.error and may_hold_key(file.error))
            or any(map(_may_hold_key, file.findings))):
        return file
    return records.replace(file, path=redact(file.path), diff=redact(file.diff),
                           error=redact(file.error) if file.error else None, findings=tuple(map(_redacted, file.findings)))


def _may_hold_key(f: Finding) -> bool:
    return may_hold_key(f.message) or may_hold_key(f.why) or (bool(f.edits) and any(may_hold_key(e.new) for e in f.edits))


def _redacted(f: Finding) -> Finding:
    """``f`` itself when it holds no secret."""
    if not _may_hold_key(f):
        return f
    message, why, edits = redact(f.message), redact(f.why), tuple(_redacted_edit(e) for e in f.edits)
    if message == f.message and why == f.why and all(a is b for a, b in zip(edits, f.edits)):
        return f
    return records.replace(f, message=message, why=why, edits=edits)


def _redacted_edit(e: Edit) -> Edit:
    new = redact(e.new)
    return e if new == e.new else records.replace(e, new=new)


def _file(result: FileResult, diffs: bool) -> ReportFile:
    diff = ""
    if result.changed and diffs:  # (difflib is loaded only then: a --check run shows no diff)
        from ..diff import unified

        edits = (e for f in result.findings if f.status in (FIXABLE, FIXED) for e in f.edits)
        diff = unified(unicode_path(result.path), result.source.decode(result.encoding),
                       result.output.decode(result.encoding), edits)
    return ReportFile(unicode_path(result.path), result.changed and result.error is None, diff, result.findings, result.error,
                      result.encoding)


_FINDING_FIELDS = {"code": str, "line": int, "col": int, "end_line": int, "end_col": int, "message": str, "why": str,
                   "confidence": str, "safe": bool, "status": str}
_STATUSES = frozenset({FIXED, FIXABLE, REVIEW, SUPPRESSED, KEPT})


def _finding(item: Any) -> Finding:
    fields = {name: _field(item, name, kind, "a finding") for name, kind in _FINDING_FIELDS.items()}
    if fields["code"] not in INFO:
        raise ValueError(f"unknown rule code {fields['code']!r}")
    if fields["status"] not in _STATUSES:
        raise ValueError(f"unknown status {fields['status']!r}")
    fix = item.get("fix", {})
    replacements = _items(fix, "replacements", "a fix") if fix else []
    edits = tuple(
        Edit((_field(r, "line", int, "a fix"), _field(r, "col", int, "a fix") - 1),
             (_field(r, "end_line", int, "a fix"), _field(r, "end_col", int, "a fix") - 1), "", _field(r, "text", str, "a fix"))
        for r in replacements
    )
    return Finding(**fields, edits=edits)


def _field(holder: Any, name: str, kind: type, where: str) -> Any:
    """``holder[name]``, which must be of ``kind`` (and, for text, valid Unicode)."""
    if not isinstance(holder, dict):
        raise ValueError(f"{where} is not an object")
    value = holder.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{name} of {unicode_path(where)} is missing or not a {kind.__name__}")
    if isinstance(value, str) and value != unicode_path(value):
        raise ValueError(f"{name} of {unicode_path(where)} holds a lone surrogate")
    return value


def _items(holder: Any, name: str, where: str) -> list[Any]:
    return list(_field(holder, name, list, where))
