"""Sites in a file that does not parse: found by tokens, so none of them is missed silently.

Such a file is never changed. The attributes, keywords and string keys of catalog words
are listed for review, so that fixing the syntax error and running again is all it takes.
"""
from __future__ import annotations

import io
import tokenize
from typing import Iterator

from .occurrences import string_value


def token_sites(data: bytes, words: frozenset[str]) -> Iterator[tuple[str, int, int, int]]:
    """``(word, line, col, end_col)``, 1-based, of each attribute, keyword or string key of ``words``."""
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
            elif token.type == tokenize.NAME and token.string in words:
                if previous is not None and previous.type == tokenize.OP and previous.string == ".":
                    yield _span(token, 0)
                elif depth:
                    pending = token
            elif token.type == tokenize.STRING and string_value(token.string) in words:
                quote = token.string.find(token.string[-1])
                yield _span(token, quote + 1, str(string_value(token.string)))
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                previous = token
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return


def _span(token: tokenize.TokenInfo, inset: int, word: str = "") -> tuple[str, int, int, int]:
    word = word or token.string
    line, col = token.start
    return word, line, col + 1 + inset, col + 1 + inset + len(word)
