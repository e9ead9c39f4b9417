"""A pull-request comment: headline, files, each diff in a collapsible block, what to review (by
cause), version pins, unsafe fixes on offer, errors, next steps; within a size a comment can hold."""
from __future__ import annotations

from ..catalog import CHANGES
from ..findings import FIXABLE, FIXED, REVIEW, Finding
from ..registry import INFO
from . import escape
from .causes import grouped
from .model import Report, ReportFile
from .text import count, rules_line


DEFAULT_LIMIT = 60_000  # characters: a pull-request comment holds 65,536, a job summary 1 MiB


def render(report: Report, limit: int = DEFAULT_LIMIT) -> str:
    """The comment, at most ``limit`` characters: the headline, every review item, the pins, the
    errors and the table of files come first; the diffs fill what is left, and the files whose
    diff does not fit are named as being in the full report (the artifact)."""
    report = report.redacted()
    s = report.summary
    head = [f"## stripe-codemod: {_headline(report)}", "", _background(), "",
            f"**{s.fixes}** {'fixed' if report.written else 'to fix'} · **{s.review}** to review · "
            f"**{s.errors}** {'error' if s.errors == 1 else 'errors'} · {count(s.files_scanned, 'file')} scanned"]
    by_rule = rules_line([f for file in report.files for f in report.shown(file)]).strip()
    if by_rule:
        head += ["", by_rule]
    for note in report.notes:
        head += ["", escape.markdown(note)]
    files = [f for f in report.files if f.changed or report.shown(f) or f.error]
    if not files:
        return "\n".join([*head, "", "Nothing to do: no use of the old Stripe API is left."]) + "\n"
    items = {section: [(file.path, f) for file in files for f in report.shown(file) if INFO[f.code].section == section]
             for section in ("pins", "notices")}
    review = report.to_review()
    errors = [file for file in files if file.error]
    tail = ["", "### Next steps", "", *_next_steps(report, bool(review), bool(items["pins"]), bool(errors))]
    body = _review(review) + _listed("API version pins", items["pins"]) + _listed(
        "Unsafe fixes available (`--unsafe-fixes`)", items["notices"])
    if errors:
        body += ["", "### Files that could not be processed", ""]
        body += [f"- {escape.markdown_code(file.path)}: {escape.markdown(file.error or '')}" for file in errors]
    table = ["", "### Files", "", "| File | Fixes | To review | Changed |", "|---|---:|---:|:---:|", *(_row(report, file) for file in files)]
    budget = limit - _size(head) - _size(tail) - 200
    body = _fit(body, budget - min(_size(table), budget // 2))  # the review items first, then the table
    table = _fit(table, budget - _size(body))
    changes = _changes([f for f in files if f.diff], budget - _size(body) - _size(table))
    return "\n".join([*head, *table, *changes, *body, *tail]) + "\n"


def _row(report: Report, file: ReportFile) -> str:
    shown = report.shown(file)
    fixes = sum(1 for f in shown if f.status in (FIXABLE, FIXED))
    to_review = sum(1 for f in shown if f.status == REVIEW)
    changed = "error" if file.error else ("yes" if file.changed else "")
    return f"| {escape.markdown_code(file.path)} | {fixes} | {to_review} | {changed} |"


def _review(review: list[tuple[str, Finding]]) -> list[str]:
    """The review items by cause: each group says once what would settle it."""
    if not review:
        return []
    out = ["", "### To review", ""]
    for found, members in grouped(review):
        out.append(f"**{count(len(members), 'site')}**: {escape.markdown(found.what)}. "
                   f"What would settle {'it' if len(members) == 1 else 'them'}: {escape.markdown(found.settle)}.")
        out += [f"- {_where(path, f)} **{f.code}** {escape.markdown(f.message)}" for path, f in members]
        out.append("")
    return out[:-1]


def _listed(title: str, found: list[tuple[str, Finding]]) -> list[str]:
    if not found:
        return []
    return ["", f"### {title}", ""] + [f"- {_where(path, f)} {escape.markdown(f.message)}  \n  _{escape.markdown(f.why)}_"
                                       for path, f in found]


def _changes(diffs: list[ReportFile], budget: int) -> list[str]:
    if not diffs:
        return []
    out, used = ["", "### Changes"], 20
    for n, file in enumerate(diffs):
        block = _details(file)
        if used + len(block) + 2 > budget:
            out += ["", f"{count(len(diffs) - n, 'more file')} changed: the diffs are in the full report (the artifact)."]
            break
        out += ["", block]
        used += len(block) + 2
    return out


def _fit(lines: list[str], budget: int) -> list[str]:
    """``lines`` if they fit in ``budget`` characters; else as many as fit, and how many are left out."""
    if _size(lines) <= budget:
        return lines
    kept: list[str] = []
    used = 0
    for n, line in enumerate(lines):
        if used + len(line) + 1 > budget - 100:
            return [*kept, "", f"... {len(lines) - n} more lines: see the full report (the artifact)."]
        kept.append(line)
        used += len(line) + 1
    return kept


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _headline(report: Report) -> str:
    s = report.summary
    parts = []
    if s.fixes:
        parts.append(f"{count(s.fixes, 'fix')}{'' if report.written else ' pending'}")
    if s.review:
        parts.append(f"{s.review} to review")
    if s.errors:
        parts.append(count(s.errors, "error"))
    return ", ".join(parts) or "nothing to do"


def _details(file: ReportFile) -> str:
    diff = escape.markdown_block(file.diff.rstrip())
    fence = "```"
    while fence in diff:
        fence += "`"
    return (f"<details><summary>{escape.markdown_code(file.path)}</summary>\n\n"
            f"{fence}diff\n{diff}\n{fence}\n\n</details>")


def _where(path: str, f: Finding) -> str:
    return escape.markdown_code(f"{path}:{f.line}:{f.col}")


def _next_steps(report: Report, review: bool, pins: bool, errors: bool) -> list[str]:
    steps = []
    if report.summary.fixes and not report.written:
        steps.append("Apply the fixes: `stripe-codemod --write .` (or accept the diffs above).")
    if review:
        steps.append("Decide each item to review. Annotate a value with its Stripe type (`stripe.Customer`, "
                     "`stripe.Subscription`) to have it fixed, or add `# stripe-codemod: ignore[SB900]` where it "
                     "is not Stripe data.")
    codes = {f.code for file in report.files for f in report.shown(file)}
    steps += [INFO[code].next_step for code in sorted(codes) if INFO[code].next_step]
    if errors:
        steps.append("Fix the files that could not be processed, then run again.")
    return [f"{n}. {step}" for n, step in enumerate(steps or ["Nothing left to do."], 1)]


def _background() -> str:
    """What changed, from the catalog: the versions, the objects and their old names."""
    versions = sorted({change.api_version for change in CHANGES})
    objects = ", ".join(f"{kind} (`{'`, `'.join(words)}`)" for kind, words in _words_by_kind().items())
    return (f"Stripe API version {' and '.join(versions)} changed fields of {objects}; "
            "every stripe-python release since 6.0 pins a newer version.")


def _words_by_kind() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for change in CHANGES:
        for kind in change.kinds:
            grouped.setdefault(kind, []).append(change.old)
    return grouped
