"""Lines of a text, split where Python splits them: ``\\n``, ``\\r\\n`` and a lone ``\\r``."""
from __future__ import annotations

import re

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[tuple[str, str]]:
    """``(content, ending)`` of each line; ``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line, as in Python."""
    lines = []
    done = 0
    for match in _NEWLINE.finditer(text):
        lines.append((text[done : match.start()], match.group()))
        done = match.end()
    lines.append((text[done:], ""))
    return lines


def line_starts(text: str) -> list[int]:
    """Where each line of ``split_lines`` starts in ``text``, and its end: an edit's ``(line,
    column)`` is at ``line_starts(text)[line - 1] + column``."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text)), len(text)]
