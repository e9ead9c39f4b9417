"""A pull-request comment: headline, files, each diff in a collapsible block, what to review."""
from __future__ import annotations

from ..catalog import CHANGES
from ..findings import FIXABLE, FIXED, REVIEW, Finding
from ..registry import INFO
from . import escape
from .model import Report, ReportFile
from .text import count


def render(report: Report) -> str:
    report = report.redacted()
    s = report.summary
    out = [f"## stripe-codemod: {_headline(report)}", ""]
    out.append(_background())
    out.append("")
    out.append(f"**{s.fixes}** {'fixed' if report.written else 'to fix'} · **{s.review}** to review · "
               f"**{s.errors}** {'error' if s.errors == 1 else 'errors'} · {count(s.files_scanned, 'file')} scanned")
    for note in report.notes:
        out += ["", escape.markdown(note)]
    files = [f for f in report.files if f.changed or report.shown(f) or f.error]
    if not files:
        out += ["", "Nothing to do: no use of the old Stripe API is left."]
        return "\n".join(out) + "\n"
    out += ["", "### Files", "", "| File | Fixes | To review | Changed |", "|---|---:|---:|:---:|"]
    for file in files:
        shown = report.shown(file)
        fixes = sum(1 for f in shown if f.status in (FIXABLE, FIXED))
        to_review = sum(1 for f in shown if f.status == REVIEW)
        changed = "error" if file.error else ("yes" if file.changed else "")
        out.append(f"| {escape.markdown_code(file.path)} | {fixes} | {to_review} | {changed} |")
    diffs = [f for f in files if f.diff]
    if diffs:
        out += ["", "### Changes"]
        for file in diffs:
            out += ["", _details(file)]
    review = [(file, f) for file in files for f in report.shown(file) if f.status == REVIEW and INFO[f.code].section == "review"]
    if review:
        out += ["", "### To review", ""]
        out += [f"- {_where(file, f)} **{f.code}** {escape.markdown(f.message)}  \n  _{escape.markdown(f.why)}_"
                for file, f in review]
    pins = [(file, f) for file in files for f in report.shown(file) if INFO[f.code].section == "pins"]
    if pins:
        out += ["", "### API version pins", ""]
        out += [f"- {_where(file, f)} {escape.markdown(f.message)}  \n  _{escape.markdown(f.why)}_" for file, f in pins]
    errors = [file for file in files if file.error]
    if errors:
        out += ["", "### Files that could not be processed", ""]
        out += [f"- {escape.markdown_code(file.path)}: {escape.markdown(file.error or '')}" for file in errors]
    out += ["", "### Next steps", ""] + _next_steps(report, bool(review), bool(pins), bool(errors))
    return "\n".join(out) + "\n"


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


def _where(file: ReportFile, f: Finding) -> str:
    return escape.markdown_code(f"{file.path}:{f.line}:{f.col}")


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
