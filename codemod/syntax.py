"""CPython's verdict on a file before LibCST sees it: too large, not decodable, a syntax error,
or nested too deeply to parse safely. Each is a ``FileError`` with a one-line message."""
from __future__ import annotations

import ast
import sys


class FileError(Exception):
    """This file cannot be processed; the message says why, in one line."""


MAX_BYTES = 5_000_000  # a candidate larger than this is reported, not parsed
_DEPTH = 250  # Python frames of AST nesting (about three levels each) that CPython may build here


def python_accepts(data: bytes) -> ast.Module:
    """CPython's tree of ``data``, parsed with a low recursion limit; ``FileError`` with its own
    clear error for a syntax error, a clean refusal for a nesting too deep."""
    if len(data) > MAX_BYTES:
        raise FileError(f"too large to analyse safely ({len(data) / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB); not changed")
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back  # type: ignore[assignment]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + _DEPTH)
    try:
        tree: ast.Module = compile(data, "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:  # IndentationError, TabError too
        message = str(error.msg)
        if "decode" in message or "encoding" in message or not error.lineno:
            raise FileError(f"cannot decode: {first_line(message.replace('(unicode error) ', ''))}") from None
        where = f"line {error.lineno}" + (f", column {error.offset}" if error.offset else "")
        raise FileError(f"syntax error at {where}: {error.msg}") from None
    except (RecursionError, MemoryError):
        raise FileError("too deeply nested to parse safely; not changed") from None
    except (UnicodeDecodeError, LookupError, ValueError) as error:
        raise FileError(f"cannot decode: {first_line(str(error))}") from None
    finally:
        sys.setrecursionlimit(limit)
    return tree


def first_line(text: str) -> str:
    return text.strip().split("\n")[0]
