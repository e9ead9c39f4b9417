"""Shared by the tests: run the codemod on bytes, and check what a rename may change."""
from __future__ import annotations

import re
from pathlib import Path

import libcst as cst

from codemod.engine import FileResult, check_source
from codemod.options import Options

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def fix(source: bytes, options: Options | None = None) -> FileResult:
    return check_source("case.py", source, options or Options())


def only_renames(before: bytes, after: bytes) -> bool:
    """``after`` is ``before`` with some ``account_balance`` tokens turned into ``balance``."""
    parts = [re.escape(part) for part in before.split(b"account_balance")]
    pattern = b"(?:account_balance|balance)".join(parts)
    return re.fullmatch(pattern, after, re.DOTALL) is not None


def parses(data: bytes) -> bool:
    try:
        cst.parse_module(data)
    except cst.ParserSyntaxError:
        return False
    return True
