"""Parsing bytes into a module and turning edits back into bytes, byte-exactly."""
from __future__ import annotations

import ast
from typing import Iterable

import libcst as cst

from .findings import Edit


class FileError(Exception):
    """This file cannot be processed; the message says why, in one line."""


def parse(data: bytes) -> cst.Module:
    """Parse bytes as Python honours them: BOM, coding cookie, line endings kept."""
    try:
        return cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        raise FileError(_syntax_error(data, error)) from None
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        raise FileError(f"cannot decode: {_first_line(str(error))}") from None
    except RecursionError:
        raise FileError("too deeply nested to parse") from None
    except Exception as error:  # the parser may fail in ways it does not document
        raise FileError(f"cannot parse: {type(error).__name__}: {_first_line(str(error))}") from None


def apply(module: cst.Module, edits: Iterable[Edit]) -> bytes:
    """The module's bytes with every edited node replaced; untouched bytes stay as they were."""
    table = {id(edit.node): edit.replacement for edit in edits}
    if not table:
        return module.bytes
    output = module.visit(_Replace(table)).bytes
    try:
        cst.parse_module(output)
    except Exception:
        raise FileError("internal error: the fixed code would not parse; file left as it is") from None
    return output


class _Replace(cst.CSTTransformer):
    def __init__(self, table: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.table = table

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.table.get(id(original_node), updated_node)


def _syntax_error(data: bytes, error: cst.ParserSyntaxError) -> str:
    """Python's own words for the error (they name Python 2 prints), else LibCST's."""
    try:
        compile(data, "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as python:
        where = f"line {python.lineno}" + (f", column {python.offset}" if python.offset else "")
        return f"syntax error at {where}: {python.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    return (
        f"cannot parse at line {error.raw_line}, column {error.raw_column + 1}"
        f" (syntax LibCST does not support?): {_first_line(error.message)}"
    )


def _first_line(text: str) -> str:
    return text.strip().split("\n")[0]
