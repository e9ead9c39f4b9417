"""One file at a time: pre-filter, parse once, analyse, apply the accepted edits."""
from __future__ import annotations

import functools
import gc
import io
import re
import tokenize
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from . import files, records
from .files import display_path
from .lines import split_lines
from .catalog import BY_WORD
from .findings import CERTAIN, FIXABLE, KEPT, REVIEW, SUPPRESSED, UNKNOWN, Edit, Finding, Note
from .options import Options
from .prefilter import json_worth_parsing, mentions_stripe, words_in, worth_parsing
from .requirements import is_requirement_file

if TYPE_CHECKING:
    from .provenance import Project
    from .dependencies import Trail

_SUPPRESS = re.compile(r"#\s*stripe-codemod:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?")


@records.fast_init
@dataclass(frozen=True)
class FileResult:
    path: str
    source: bytes = b""
    output: bytes = b""
    encoding: str = "utf-8"
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    snapshot: files.Snapshot | None = None
    trail: Trail | None = None  # what its analysis consulted (a candidate's only), for the results cache

    @property
    def changed(self) -> bool:
        return self.output != self.source


@dataclass(frozen=True)
class Run:
    results: tuple[FileResult, ...]  # files with something to say, in path order
    scanned: int
    consulted: frozenset[str] = frozenset()  # the files the analyses read (absolute paths), with the results cache


def check_snapshot(path: str, snapshot: files.Snapshot, options: Options, project: Project | None = None) -> FileResult:
    """Check a candidate the runner has read and pre-filtered (``worth_checking``) already."""
    shown, data = display_path(path), snapshot.data
    if is_requirement_file(path):
        return FileResult(shown, data, data, findings=tuple(_requirements(shown, data)))
    if path.endswith(".json"):
        return records.replace(_json(shown, data, options), snapshot=snapshot)
    return records.replace(_check_parsed(shown, data, options, path, project), snapshot=snapshot)


def read_error(path: str, error: OSError) -> FileResult:
    return FileResult(display_path(path), error=f"cannot read: {error.strerror or error}")


def worth_checking(path: str, data: bytes, options: Options, stripe: bool | None = None) -> bool:
    """Whether a file can have a finding at all: the cheap test before any parse (``stripe``:
    whether it mentions Stripe, when the caller knows)."""
    if is_requirement_file(path):
        return options.rule_enabled("SB100", path) and b"stripe" in data
    if path.endswith(".json"):
        return json_worth_parsing(data)
    return worth_parsing(data, pins=options.rule_enabled("SB100", path), sdk=options.sdk_changes(path), stripe=stripe)


def _json(shown: str, data: bytes, options: Options) -> FileResult:
    """A JSON data file: its Stripe payloads' keys, renamed in place byte for byte."""
    from . import json_payloads, source

    try:
        findings = json_payloads.check(shown, data, options)
        findings = _with_status(findings, [], options)
        output = source.apply(data, json_payloads.encoding(data), (e for f in findings if f.status == FIXABLE for e in f.edits))
    except (ValueError, RecursionError) as error:
        return FileResult(shown, data, data, error=f"not valid JSON: {str(error).splitlines()[0]}")
    except source.FileError as error:
        return FileResult(shown, data, data, error=str(error))
    return FileResult(shown, data, output, json_payloads.encoding(data), tuple(sorted(findings, key=lambda f: (f.line, f.col, f.code))))


def _requirements(shown: str, data: bytes) -> list[Finding]:
    from .rules.sb100_api_version import requirement_findings

    lines = [line for line, _ in split_lines(data.decode("utf-8", "replace"))]
    return [records.replace(f, status=SUPPRESSED) if _suppressed(f, lines) else f
            for f in requirement_findings(shown, data)]


def check_source(
    shown: str, data: bytes, options: Options, path: str | None = None, project: Project | None = None
) -> FileResult:
    """Check one module's bytes; ``path`` and ``project`` let it follow imports."""
    if not worth_parsing(data, pins=options.rule_enabled("SB100", path), sdk=options.sdk_changes(path)):
        return FileResult(shown, data, data)
    return _check_parsed(shown, data, options, path, project)


_T = TypeVar("_T")


def _collector_paused(check: Callable[..., _T]) -> Callable[..., _T]:
    """Run ``check`` with Python's cycle collector paused. Parsing and analysing a module
    allocates hundreds of thousands of objects that live until the module is done and form
    no garbage cycles; each full collection meanwhile scans them all (a 10,000-line module
    spent a third of its time there). Whatever cycles one module leaves are collected after."""
    @functools.wraps(check)
    def paused(*args: object) -> _T:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return check(*args)
        finally:
            if enabled:
                gc.enable()
    return paused


@_collector_paused
def _check_parsed(shown: str, data: bytes, options: Options, path: str | None, project: Project | None) -> FileResult:
    quiet = _without_sites(shown, data, options, path)
    if quiet is not None:
        return quiet
    # LibCST is imported only once some file mentions the token: most runs never need it.
    from . import source
    from .analysis import Analysis
    from .rules import RULES

    try:
        tree = source.parse(data, path, project, quick=not options.shows_edits)
    except source.FileError as error:
        return FileResult(shown, data, data, findings=_unparsed(data, str(error), options, path), error=str(error))
    module = tree.module
    analysis = None
    try:
        analysis = Analysis(tree, path, project, data.decode(module.encoding), words_in(data))
        found: list[Finding | Note] = []
        for rule in RULES:
            if options.rule_enabled(rule.code, path):
                found.extend(rule.check(analysis, options))
        findings = _with_status(_with_notes(found), analysis.lines(), options)
        output = source.apply(data, module.encoding, (e for f in findings if f.status == FIXABLE for e in f.edits))
    except source.FileError as error:
        return FileResult(shown, data, data, error=str(error))
    except RecursionError:
        return FileResult(shown, data, data, error="too deeply nested to analyse")
    except Exception as error:  # a bug of ours must cost one file, never the run
        return FileResult(shown, data, data, error=f"internal error, file left as it is: {type(error).__name__}: {error}")
    finally:
        if project is not None and path is not None:
            project.release(path, analysis.provenance if analysis is not None else None)
        if analysis is not None:
            analysis.provenance.close()
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return FileResult(shown, data, output, module.encoding, tuple(findings))


def _without_sites(shown: str, data: bytes, options: Options, path: str | None) -> FileResult | None:
    """The result of a module that never mentions Stripe (nor an API version) and whose tokens
    leave no room for a site of its catalog words (``occurrences.tokens_without_sites``): no
    finding but the record of each occurrence, found without LibCST. None for any other module
    (and for one that CPython does not accept, or that is not plain UTF-8: the analysis reports it)."""
    from . import occurrences
    from .catalog import CHANGES
    from .syntax import FileError, python_accepts

    if mentions_stripe(data) or b"api_version" in data:
        return None
    try:
        encoding, head = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode("utf-8")
    except (SyntaxError, UnicodeDecodeError):
        return None
    if encoding != "utf-8" or any(b"coding" in line for line in head):  # a BOM, or a cookie: as LibCST reads it
        return None
    tokens = occurrences.tokens_without_sites(text, words_in(data))
    if tokens is None:
        return None
    try:
        python_accepts(data)
    except FileError:
        return None
    findings = [occurrences.kept(change, line, col, what) for change in CHANGES if options.rule_enabled(change.code, path)
                for word, line, col, what in tokens if word == change.old]
    return FileResult(shown, data, data, findings=tuple(sorted(findings, key=lambda f: (f.line, f.col, f.code))))


def _unparsed(data: bytes, error: str, options: Options, path: str | None) -> tuple[Finding, ...]:
    """Review findings for the sites of a Stripe-using file that does not parse."""
    from .unparsed import token_sites

    if not mentions_stripe(data) or not options.rule_enabled("SB900", path):
        return ()
    words = {word for word in words_in(data) if options.rule_enabled(BY_WORD[word].code, path)}
    return tuple(
        Finding(
            "SB900", line, col, line, end_col,
            message=f"this file does not parse, so this `{word}` was not analysed; review it",
            why=f"{error}; nothing in this file is changed", confidence=UNKNOWN, safe=False, status=REVIEW,
        )
        for word, line, col, end_col in token_sites(data, frozenset(words))
    )


def _with_notes(found: Iterable[Finding | Note]) -> list[Finding]:
    """Each finding, with the evidence other rules noted on it appended to its why."""
    notes: dict[tuple[str, int, int], list[str]] = {}
    findings = []
    for item in found:
        if isinstance(item, Note):
            notes.setdefault((item.code, item.line, item.col), []).append(item.text)
        else:
            findings.append(item)
    return [
        records.replace(f, why="; ".join((f.why, *notes[f.code, f.line, f.col]))) if (f.code, f.line, f.col) in notes else f
        for f in findings
    ]


def _with_status(findings: Iterable[Finding], lines: list[str], options: Options) -> list[Finding]:
    """Decide what each finding's fix does; a conversion replaces the fixes it supersedes."""
    out = []
    for finding in findings:
        if finding.status == KEPT:
            out.append(finding)
            continue
        accepted = (finding.confidence == CERTAIN or options.include_likely) and (finding.safe or options.unsafe_fixes)
        status = FIXABLE if finding.is_fix and accepted else REVIEW
        if _suppressed(finding, lines):
            status = SUPPRESSED
        out.append(records.replace(finding, status=status))
    converted = [(edit, f.supersedes) for f in out if f.status == FIXABLE and f.supersedes for edit in f.edits]
    out = [f for f in out if not (f.is_fix and any(f.code in codes and _inside(f, edit) for edit, codes in converted))]
    return _absorbed(out)


def _absorbed(findings: list[Finding]) -> list[Finding]:
    """A fix that makes another rule's fix in the same edit (``.get("account_balance")``): the
    other stays listed without an edit of its own; when that one is not to be applied
    (suppressed, or only for review), neither is the fix that would make it."""
    out = list(findings)
    for index, finding in enumerate(findings):
        if finding.status != FIXABLE or not finding.absorbs:
            continue
        inner = [i for i, f in enumerate(out) if f.code in finding.absorbs and f.is_fix and any(_inside(f, e) for e in finding.edits)]
        if all(out[i].status == FIXABLE for i in inner):
            for i in inner:
                out[i] = records.replace(out[i], edits=())
        else:
            out[index] = records.replace(finding, status=REVIEW)
    return out


def _inside(finding: Finding, edit: Edit) -> bool:
    return edit.start <= (finding.line, finding.col - 1) and (finding.end_line, finding.end_col - 1) <= edit.end


def _suppressed(finding: Finding, lines: list[str]) -> bool:
    for number in (finding.line, finding.line - 1):
        if 1 <= number <= len(lines):
            match = _SUPPRESS.search(lines[number - 1])
            if match is not None:
                codes = match.group(1)
                if codes is None or finding.code in {c.strip() for c in codes.split(",")}:
                    return True
    return False
