"""One escaping function per output format, for every string that comes from the repository.

File names, source snippets, pin strings and requirement lines are attacker input when the
tool runs on a pull request: a newline in a file name must not start a GitHub workflow
command in a CI log, a ``</details>`` in a snippet must not close the PR comment's block, an
ESC byte must not reach a terminal. Each format gets the function that makes text inert in it.
"""
from __future__ import annotations

import os
import re

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides
# that make a line read differently from what it holds.
_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def unicode_path(path: str) -> str:
    """A path as valid Unicode: the bytes of a name that is not UTF-8 (kept by the file system
    as lone surrogates) are shown as ``\\xNN``."""
    if not _LONE_SURROGATE.search(path):
        return path
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def visible(text: str, keep: str = "") -> str:
    """Every control character (but those in ``keep``) as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``): one line, no terminal sequence, nothing hidden."""
    if text.isprintable():  # none of them is: most texts end here
        return text
    return _CONTROL.sub(lambda match: _escape(match, keep), text)


def _escape(match: re.Match[str], keep: str) -> str:
    char = match.group()
    if char in keep:
        return char
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def text(value: str) -> str:
    """For the text report (what CI logs and pre-commit show): one visible line."""
    return visible(value)


def text_path(path: str) -> str:
    """A path that starts a line of the text report: never ``::``, which GitHub Actions reads
    as a workflow command."""
    shown = visible(path)
    return f"./{shown}" if shown.startswith(":") else shown


def github_data(value: str) -> str:
    """The message of a workflow command: one line, ``%`` encoded as the runner decodes it."""
    return visible(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(value: str) -> str:
    """A property of a workflow command (``file=``, ``title=``)."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


# Characters with a meaning in GitHub Markdown or HTML, written as character references, which
# Markdown shows as the character and never reads as syntax.
_MARKDOWN = re.compile(r"[\\`*_{}\[\]<>#!|~&$]")
_AUTOLINK = re.compile(r"://|www\.", re.IGNORECASE)  # the starts of the links GitHub makes from bare text
_CODE = re.compile(r"&#96;((?:(?!&#96;).)+?)&#96;")


def markdown(value: str) -> str:
    """Inline Markdown: markup, HTML and ``@mentions`` made inert; our own backtick spans (whose
    content is escaped too) become ``<code>``."""
    escaped = _MARKDOWN.sub(lambda m: f"&#{ord(m.group())};", visible(value)).replace("@", "@&#8203;")
    escaped = _AUTOLINK.sub(lambda m: f"{m.group()[:-1]}&#{ord(m.group()[-1])};", escaped)
    return _CODE.sub(r"<code>\1</code>", escaped)


def markdown_code(value: str) -> str:
    """Repository text shown as code: ``<code>`` around the escaped text."""
    return f"<code>{markdown(value)}</code>"


def markdown_block(value: str) -> str:
    """The body of a fenced block (a diff), which Markdown shows as it is: only the controls
    other than line ends are made visible."""
    return visible(value.replace("\r\n", "\n"), keep="\n\t")


_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]")


def json_text(document: str) -> str:
    """A JSON document (from ``json.dumps``, which escapes C0 controls already) with the other
    controls escaped too; they can only stand inside strings, where ``\\uXXXX`` means the same."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
