"""Unified diffs that ``git apply`` accepts: ``a/`` and ``b/`` paths, exact line endings.

With the edits that made ``after``, only the lines they touch are compared (a diff costs the
size of the file once, not difflib's search over every line: a module of 6,000 alike lines
spent 9 s there); without them, or should they not give ``after``, difflib compares the texts.
"""
from __future__ import annotations

import difflib
from bisect import bisect_right
from typing import Iterable, Iterator, Sequence

from .findings import Edit
from .lines import line_starts

_NO_NEWLINE = "\\ No newline at end of file\n"
_CONTEXT = 3
Opcode = tuple[str, int, int, int, int]


def unified(path: str, before: str, after: str, edits: Iterable[Edit] = ()) -> str:
    """The diff of two texts; lines end only at ``\\n``, as git counts them."""
    if before == after:
        return ""
    old, new = _lines(before), _lines(after)
    opcodes = _from_edits(before, after, old, new, sorted(edits, key=lambda e: e.start))
    if opcodes is None:
        opcodes = list(difflib.SequenceMatcher(None, old, new).get_opcodes())
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    for group in _grouped(opcodes):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_marked(" ", old[i1:i2]))
                continue
            out.extend(_marked("-", old[i1:i2]))
            out.extend(_marked("+", new[j1:j2]))
    return "".join(out)


def _marked(mark: str, lines: Sequence[str]) -> Iterator[str]:
    for line in lines:
        yield mark + line
        if not line.endswith("\n"):
            yield "\n" + _NO_NEWLINE


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (1-based; an empty range names the line before)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def _grouped(opcodes: list[Opcode]) -> Iterator[list[Opcode]]:
    """The changes with ``_CONTEXT`` lines around them, one list per hunk."""
    codes = list(opcodes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - _CONTEXT), i2, max(j1, j2 - _CONTEXT), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + _CONTEXT), j1, min(j2, j1 + _CONTEXT)
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * _CONTEXT:
            group.append((tag, i1, i1 + _CONTEXT, j1, j1 + _CONTEXT))
            yield group
            group = []
            i1, j1 = i2 - _CONTEXT, j2 - _CONTEXT
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _from_edits(before: str, after: str, old: list[str], new: list[str], edits: list[Edit]) -> list[Opcode] | None:
    """The opcodes of the diff, from the lines each edit touches; None when the edits do not
    turn ``before`` into ``after``."""
    if not edits:
        return None
    starts = line_starts(before)  # the edits' numbering (a lone CR ends a line too)
    git_starts = [0]  # the diff's numbering (only \n ends a line)
    for line in old:
        git_starts.append(git_starts[-1] + len(line))
    regions: list[list[int]] = []  # [first old line, last old line + 1, first edit, last edit + 1]
    spans: list[tuple[int, int]] = []
    for index, edit in enumerate(edits):
        begin, end = starts[edit.start[0] - 1] + edit.start[1], starts[edit.end[0] - 1] + edit.end[1]
        if before[begin:end] != edit.old or (spans and begin < spans[-1][1]):
            return None
        spans.append((begin, end))
        first = bisect_right(git_starts, begin) - 1
        last = max(first + 1, bisect_right(git_starts, max(begin, end - 1)))
        if regions and first <= regions[-1][1]:  # touching lines: one region, as difflib groups them
            regions[-1][1], regions[-1][3] = max(regions[-1][1], last), index + 1
        else:
            regions.append([first, last, index, index + 1])
    opcodes: list[Opcode] = []
    done_old = done_new = 0
    pieces = []
    for first, last, low, high in regions:
        first, last = min(first, len(old)), min(last, len(old))
        opcodes.append(("equal", done_old, first, done_new, done_new + first - done_old))
        chunk_start = git_starts[first]
        chunk = before[chunk_start:git_starts[last]]
        text, cut = [], 0
        for (begin, end), edit in zip(spans[low:high], edits[low:high]):
            text += [chunk[cut:begin - chunk_start], edit.new]
            cut = end - chunk_start
        text.append(chunk[cut:])
        replaced = "".join(text)
        pieces.append(before[git_starts[done_old]:chunk_start] + replaced)
        new_lines = _lines(replaced)
        start_new = done_new + first - done_old
        matcher = difflib.SequenceMatcher(None, old[first:last], new_lines)
        opcodes += [(tag, i1 + first, i2 + first, j1 + start_new, j2 + start_new) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
        done_old, done_new = last, start_new + len(new_lines)
    pieces.append(before[git_starts[done_old]:])
    opcodes.append(("equal", done_old, len(old), done_new, len(new)))
    if "".join(pieces) != after or len(new) - done_new != len(old) - done_old:
        return None
    return _joined(opcodes)


def _joined(opcodes: list[Opcode]) -> list[Opcode]:
    """Without empty opcodes, and with neighbouring equal ones as one."""
    out: list[Opcode] = []
    for code in opcodes:
        tag, i1, i2, j1, j2 = code
        if i1 == i2 and j1 == j2:
            continue
        if out and tag == "equal" and out[-1][0] == "equal":
            out[-1] = ("equal", out[-1][1], i2, out[-1][3], j2)
        else:
            out.append(code)
    return out


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines
