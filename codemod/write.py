"""Writing the fixes of a run: each changed file atomically, and the findings it fixed marked FIXED."""
from __future__ import annotations

from . import files, records
from .engine import FileResult, Run
from .findings import FIXABLE, FIXED


def write_fixes(run: Run, hard_links: bool = False) -> Run:
    written = []
    for result in run.results:
        if result.changed and result.error is None and result.snapshot is not None:
            try:
                files.write_atomic(result.path, result.output, result.snapshot, hard_links)
            except files.NotWritten as refused:
                result = _failed(result, str(refused))
            except OSError as error:
                result = _failed(result, f"cannot write: {error.strerror or error}")
            else:
                result = records.replace(result, findings=tuple(
                    records.replace(f, status=FIXED) if f.status == FIXABLE else f
                    for f in result.findings
                ))
        written.append(result)
    return Run(tuple(written), run.scanned)


def _failed(result: FileResult, message: str) -> FileResult:
    return records.replace(result, output=result.source, error=message)
