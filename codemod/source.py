"""Parsing bytes into a module and turning edits back into bytes, byte-exactly."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import libcst as cst

from .findings import Edit
from .lines import line_starts
from .syntax import FileError, first_line, python_accepts

__all__ = ["FileError", "apply", "parse", "parse_module"]

if TYPE_CHECKING:
    from .provenance import Project


def parse(data: bytes, path: str | None = None, project: Project | None = None) -> cst.Module:
    """Parse bytes as Python honours them: BOM, coding cookie, line endings kept.

    With a project, a module that an earlier file imported is not parsed again.
    """
    if project is not None and path is not None:
        return project.parse(path, data)
    return parse_module(data)


def parse_module(data: bytes) -> cst.Module:
    """LibCST's parse, for code that CPython accepts and that cannot exhaust its stack.

    LibCST's native parser crashes the whole process on a deep enough nesting (twenty
    thousand attributes in a chain), so CPython parses first (``syntax.python_accepts``).
    """
    python_accepts(data)
    try:
        return cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        raise FileError(
            f"cannot parse at line {error.raw_line}, column {error.raw_column + 1}"
            f" (syntax LibCST does not support?): {first_line(error.message)}"
        ) from None
    except (UnicodeDecodeError, LookupError) as error:
        raise FileError(f"cannot decode: {first_line(str(error))}") from None
    except RecursionError:
        raise FileError("too deeply nested to parse") from None
    except Exception as error:  # the parser may fail in ways it does not document
        raise FileError(f"cannot parse: {type(error).__name__}: {first_line(str(error))}") from None


def apply(data: bytes, encoding: str, edits: Iterable[Edit]) -> bytes:
    """``data`` with every edit spliced into its text; every other byte stays as it was.

    Each edit must find its ``old`` text where it says; a file where one does not is left
    alone.
    """
    ordered = sorted(edits, key=lambda edit: edit.start)
    if not ordered:
        return data
    text = data.decode(encoding)
    starts = line_starts(text)
    pieces: list[str] = []
    done = 0
    for edit in ordered:
        begin = starts[edit.start[0] - 1] + edit.start[1]
        if text[begin : begin + len(edit.old)] != edit.old:
            raise FileError("internal error: an edit did not find its text; file left as it is")
        if begin < done:
            raise FileError("internal error: two edits overlap; file left as it is")
        pieces.append(text[done:begin])
        pieces.append(edit.new)
        done = begin + len(edit.old)
    pieces.append(text[done:])
    return "".join(pieces).encode(encoding)
