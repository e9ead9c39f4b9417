"""Parsing bytes into a module and turning edits back into bytes, byte-exactly."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import libcst as cst

from .catalog import WORDS
from .findings import Edit
from .lines import line_starts
from .positions import Tree
from .syntax import FileError, first_line, python_accepts

__all__ = ["FileError", "Tree", "apply", "parse", "parse_tree"]

if TYPE_CHECKING:
    from .provenance import Project


def parse(data: bytes, path: str | None = None, project: Project | None = None, *, quick: bool = False) -> Tree:
    """Parse bytes as Python honours them: BOM, coding cookie, line endings kept.

    ``quick`` (a project's own setting when there is one): nothing will be written or shown as
    a diff, so the tree may come from CPython's (``ast_tree``); else, and for what that builder
    declines, LibCST parses. With a project, a module that an earlier file imported is not
    parsed again.
    """
    if project is not None and path is not None:
        return project.parse(path, data)
    return parse_tree(data, quick)


def parse_tree(data: bytes, quick: bool) -> Tree:
    """The tree of code that CPython accepts and that cannot exhaust a stack: LibCST's native
    parser crashes the whole process on a deep enough nesting (twenty thousand attributes in a
    chain), so CPython parses first (``syntax.python_accepts``), and its tree is the one a
    quick tree is built from."""
    checked = python_accepts(data)
    text = _plain_utf8(data) if quick else None
    if text is not None:
        from . import ast_tree

        try:
            return ast_tree.build(text, checked, WORDS)
        except ast_tree.Declined:
            pass
    return Tree(_libcst_parse(data), WORDS)


def _plain_utf8(data: bytes) -> str | None:
    """The text of UTF-8 bytes without a BOM or a coding cookie (where CPython's columns are
    UTF-8 offsets of the text's own lines), else None."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None
    head = data[:400].split(b"\n", 2)[:2]
    if any(b"coding" in line for line in head):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _libcst_parse(data: bytes) -> cst.Module:
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
