"""The human report: ``path:line:col: CODE [status] message`` lines, each with its why, and a summary.

Colour when asked for (``cli.use_colour``: on a terminal, and never when ``NO_COLOR`` is set).
"""
from __future__ import annotations

import functools
import textwrap
from collections import Counter

from ..findings import FIXABLE, FIXED, REVIEW, Finding
from ..registry import INFO
from . import escape
from .causes import grouped
from .model import Report
from .redact import redact

_WIDTH, _INDENT = 100, "    "  # what follows a finding's line: the rest of a long message, the why
_HEAD = 140  # a finding's line, at most (unless its path alone is longer)
# by what a rule's findings ask of the reader: a safe fix, an unsafe one, a report, a decision
_COLOURS = {"safe": "32", "unsafe": "36", "report": "35", "review": "33", "error": "31", "path": "1"}


def findings(report: Report, colour: bool = False, kept: bool = False, show_fixes: bool = True,
             fixes_only: bool = False) -> str:
    """Each finding as ``path:line:col: CODE [status] message``, its why on the lines below (wrapped).

    Without ``show_fixes``, the sites a --write run fixed are one line per file; ``fixes_only``
    leaves out everything but the fixes (``--fix-only``)."""
    paint = _paint if colour else _plain
    lines = []
    for file in report.redacted().files:
        path = escape.text_path(file.path)
        if file.error is not None:
            lines.append(f"{paint('path', path)}: {paint('error', 'error')}: {escape.text(file.error)}")
        shown = report.shown(file) + (report.kept(file) if kept and not fixes_only else [])
        if not show_fixes:
            fixed = [f for f in shown if f.status == FIXED]
            if fixed:
                lines.append(f"{paint('path', path)}: fixed {count(len(fixed), 'site')} ({by_rule(fixed)})")
                shown = [f for f in shown if f.status != FIXED]
        if fixes_only:
            shown = [f for f in shown if f.status in (FIXED, FIXABLE)]
        for f in sorted(shown, key=_position):
            where, code, status = f"{path}:{f.line}:{f.col}", f.code, f.status
            # the line without its message: "<where>: <code> [<status>] "
            message, rest = _split(escape.text(f.message), _HEAD - len(where) - len(code) - len(status) - 6)
            if colour:
                lines.append(f"{paint('path', where)}: {paint(INFO[code].fix, code)} [{status}] {message}")
            else:
                lines.append(f"{where}: {code} [{status}] {message}")
            if rest:
                lines.append(_wrapped(rest))
            if f.why:
                lines.append(_wrapped(escape.text(f.why)))
    lines.append("")
    return "\n".join(lines)


def _position(f: Finding) -> tuple[int, int, str]:
    return f.line, f.col, f.code


@functools.lru_cache(maxsize=1024)  # a rule's message, at the room a path of the same length leaves: again and again
def _split(message: str, room: int) -> tuple[str, str]:
    """A message too long for its line: the part up to a ``; ``, ``: `` or `` (`` that fits (or the
    first there is), and the rest."""
    if len(message) <= room:
        return message, ""
    cut = -1
    for marks in (("; ", ": "), (" (",)):  # a clause break first; an aside only without one
        cut = max(message.rfind(mark, 0, room) for mark in marks)
        if cut <= 0:  # none that fits: the first there is
            cut = min((c for c in (message.find(mark) for mark in marks) if c > 0), default=-1)
        if cut > 0:
            break
    if cut <= 0:
        return message, ""
    keep = message[cut] in ";:"  # a "(" opens the rest
    return message[:cut + keep], message[cut + 1:].lstrip()


def _wrapped(text: str) -> str:
    """``textwrap.fill`` with the indent, long words kept whole; words separated by single spaces
    (every why) are wrapped here directly, a line at a time, at a fraction of its cost."""
    plain = text.isprintable() and text.strip(" ") == text
    if plain and len(text) + len(_INDENT) <= _WIDTH:
        return _INDENT + text
    if not plain or "  " in text:
        return textwrap.fill(text, _WIDTH, initial_indent=_INDENT, subsequent_indent=_INDENT, break_long_words=False,
                             break_on_hyphens=False)
    room, lines, start = _WIDTH - len(_INDENT), [], 0
    while len(text) - start > room:
        cut = text.rfind(" ", start, start + room + 1)  # the last word that fits ends there
        if cut < 0:  # a word longer than a line: whole, on a line of its own
            cut = text.find(" ", start + room)
            if cut < 0:
                break
        lines.append(_INDENT + text[start:cut])
        start = cut + 1
    lines.append(_INDENT + text[start:])
    return "\n".join(lines)


def statistics(report: Report) -> str:
    """ruff's ``--statistics``: how many findings of each rule, ``[*]`` where they are fixes."""
    counts = Counter((f.code, f.status in (FIXED, FIXABLE)) for file in report.files for f in report.shown(file))
    return "".join(f"{n:>6}  {code}  {'[*] ' if fix else ''}{INFO[code].name}\n"
                   for (code, fix), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def by_rule(found: list[Finding]) -> str:
    """``SB001 3, SB003 1``."""
    return ", ".join(f"{code} {n}" for code, n in sorted(Counter(f.code for f in found).items()))


def summary(report: Report) -> str:
    s = report.summary
    scanned = f"{s.files_scanned} file{'s' if s.files_scanned != 1 else ''} scanned"
    shown = [f for file in report.files for f in report.shown(file)]
    statuses = Counter(f.status for f in shown)
    fixed, pending = statuses[FIXED], statuses[FIXABLE]
    parts = []
    if fixed:
        parts.append(f"Fixed {count(fixed, 'site')} in {count(s.files_changed, 'file')}")
    if pending and report.written:  # their files could not be written
        parts.append(f"{count(pending, 'fix', 'fixes')} not written")
    elif pending:
        parts.append(f"Would fix {count(pending, 'site')} in {count(s.files_changed, 'file')}")
    if s.review:
        parts.append(f"{count(s.review, 'site')} to review")
    if s.errors:
        parts.append(f"{count(s.errors, 'file')} could not be processed")
    notes = "".join(f"{escape.text(redact(note))}\n" for note in report.notes)
    causes = "".join(
        f"{len(members)} sites to review: {escape.text(redact(found.what))}; to settle them, {escape.text(redact(found.settle))}\n"
        for found, members in grouped(report.to_review())
        if len(members) > 1  # one cause behind several items: said once
    )
    if not parts:
        return f"Nothing to do: no use of the old Stripe API found ({scanned}).\n{notes}"
    return causes + "; ".join(parts) + f" ({scanned}).\n" + rules_line(shown) + notes


def rules_line(shown: list[Finding]) -> str:
    """``By rule: SB001 3 fixed, SB003 1 to fix, SB900 2 to review.`` (empty without findings)"""
    counts = Counter((f.code, f.status) for f in shown if f.status in _DOING)
    if not counts:
        return ""
    items = sorted(counts.items(), key=lambda item: (item[0][0], _DOING.index(item[0][1])))
    return "By rule: " + ", ".join(f"{code} {n} {_DOING_TEXT[status]}" for (code, status), n in items) + ".\n"


_DOING = (FIXED, FIXABLE, REVIEW)
_DOING_TEXT = {FIXED: "fixed", FIXABLE: "to fix", REVIEW: "to review"}


def count(n: int, noun: str, plural: str = "") -> str:
    plural = plural or noun + ("es" if noun.endswith(("s", "x")) else "s")
    return f"{n} {noun if n == 1 else plural}"


def _paint(kind: str, text: str) -> str:
    return f"\033[{_COLOURS.get(kind, '0')}m{text}\033[0m"


def _plain(kind: str, text: str) -> str:
    return text
