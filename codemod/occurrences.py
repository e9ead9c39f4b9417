"""Catalog words found by tokens: the occurrences that are no site, and whether a module's
tokens leave room for a site at all.

A name (a variable, parameter, function or module) or a string that is a catalog word but
no site is kept as it is, and recorded. A module whose tokens leave no room for a site (the
word only in a docstring, a comment, a name or a method call like ``worker.start()``) has
nothing else to report when it never mentions Stripe, so it is not analysed (``engine``).
Nothing here needs LibCST.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Iterator

from .catalog import BY_WORD, WORDS, Change
from .findings import CERTAIN, KEPT, Finding

# A request body in a string: form fields `account_balance=0&...`, or JSON `{"account_balance": 0}`.
BODY = re.compile(r"(?:^|(?<=[&?\s\"']))(?P<form>[a-z_]+)=(?!=)|[\"'](?P<json>[a-z_]+)[\"']\s*:")
_WHY = {
    "name": "a name the code defines or uses (a variable, parameter, function or module), not a field",
    "string": "a string that no Stripe read, write or call uses as a field name",
}


def word_tokens(text: str, words: frozenset[str]) -> Iterator[tuple[str, int, int, str]]:
    """``(word, line, col, what)`` (1-based) of every name or string token that is a catalog word."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            found = _occurrence(token, words)
            if found is not None:
                yield found
    except (tokenize.TokenError, SyntaxError):
        return


def _occurrence(token: tokenize.TokenInfo, words: frozenset[str]) -> tuple[str, int, int, str] | None:
    if token.type == tokenize.NAME and token.string in words:
        return token.string, token.start[0], token.start[1] + 1, "name"
    if token.type == tokenize.STRING and (any(w in token.string for w in words) or "\\" in token.string) \
            and string_value(token.string) in words:
        word, quote = str(string_value(token.string)), token.string.find(token.string[-1])
        return word, token.start[0], token.start[1] + 1 + quote + 1, "string"
    return None


def kept(change: Change, line: int, col: int, what: str) -> Finding:
    """The record of an occurrence of ``change.old`` that is no site (``what``: name or string)."""
    return Finding(change.code, line, col, line, col + len(change.old), message=change.kept_message,
                   why=_WHY[what], confidence=CERTAIN, safe=True, status=KEPT)


def may_hold_sites(text: str, words: frozenset[str]) -> bool:
    """Whether the tokens of a module leave room for a site of ``words`` (``tokens_without_sites``)."""
    return tokens_without_sites(text, words) is None


def tokens_without_sites(text: str, words: frozenset[str]) -> list[tuple[str, int, int, str]] | None:
    """In one pass over the tokens of a module: None when they leave room for a site of
    ``words`` (``sites.py``), else what ``word_tokens`` gives for every catalog word. Room for a
    site is a name after a dot that is not called (an attribute, not a method), a name before
    ``=`` inside brackets (a keyword), a string that is the word (a key, a name given to
    ``getattr``, a field name), an f-string that holds it (its expressions are code), or a
    string that names it as a form field or JSON key. A module that does not tokenize may hold
    any."""
    free = frozenset(w for w in words if not BY_WORD[w].context)  # the words a request body may name
    found: list[tuple[str, int, int, str]] = []
    previous: tokenize.TokenInfo | None = None
    attribute = False  # the last token was a word after a dot: a site unless "(" follows
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            kind, string = token.type, token.string
            if kind in (tokenize.NL, tokenize.COMMENT):
                continue
            if attribute and not (kind == tokenize.OP and string == "("):
                return None
            attribute = False
            if kind == tokenize.OP:
                if string in ("(", "[", "{"):
                    depth += 1
                elif string in (")", "]", "}"):
                    depth = max(0, depth - 1)
                elif string == "=" and depth and previous is not None and previous.type == tokenize.NAME \
                        and previous.string in words:
                    return None
            elif kind == tokenize.NAME:
                attribute = string in words and previous is not None and previous.type == tokenize.OP and previous.string == "."
            elif kind == tokenize.STRING and _string_may_be_site(string, words, free):
                return None
            occurrence = _occurrence(token, WORDS)
            if occurrence is not None:
                found.append(occurrence)
            previous = token
    except (tokenize.TokenError, SyntaxError):
        return None
    return None if attribute else found


def _string_may_be_site(token: str, words: frozenset[str], free: frozenset[str]) -> bool:
    held = any(word in token for word in words)
    if not held and "\\" not in token:
        return False
    prefix = token[: min(i for i in (token.find("'"), token.find('"')) if i >= 0)].lower()
    if "f" in prefix:
        return held  # an f-string is one token before Python 3.12, and its expressions are code
    if string_value(token) in words:
        return True
    if not held or "b" in prefix or "\n" in token:
        return False
    return any((match.group("form") or match.group("json")) in free for match in BODY.finditer(token))


def string_value(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
