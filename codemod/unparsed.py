"""Sites in a file that does not parse: found by tokens, so none of them is missed silently.

Such a file is never changed. Its ``account_balance`` attributes, keywords and string keys
are listed for review, so that fixing the syntax error and running again is all it takes.
"""
from __future__ import annotations

import ast
import io
import tokenize
from typing import Iterator

from .prefilter import TOKEN


def token_sites(data: bytes) -> Iterator[tuple[int, int, int]]:
    """``(line, col, end_col)``, 1-based, of each attribute, keyword or string key."""
    previous: tokenize.TokenInfo | None = None
    pending: tokenize.TokenInfo | None = None  # a name that is a keyword if "=" follows
    depth = 0
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if pending is not None:
                if token.type == tokenize.OP and token.string == "=":
                    yield _span(pending, 0)
                pending = None
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(0, depth - 1)
            elif token.type == tokenize.NAME and token.string == TOKEN:
                if previous is not None and previous.type == tokenize.OP and previous.string == ".":
                    yield _span(token, 0)
                elif depth:
                    pending = token
            elif token.type == tokenize.STRING and _string_value(token.string) == TOKEN:
                quote = token.string.find(token.string[-1])
                yield _span(token, quote + 1)
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                previous = token
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return


def _span(token: tokenize.TokenInfo, inset: int) -> tuple[int, int, int]:
    line, col = token.start
    return line, col + 1 + inset, col + 1 + inset + len(TOKEN)


def _string_value(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
