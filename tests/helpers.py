"""Shared by the tests: run the codemod on bytes, and check what a rename may change."""
from __future__ import annotations

import re
from pathlib import Path

import libcst as cst

from codemod.catalog import CHANGES, RENAME
from codemod.engine import FileResult, check_source
from codemod.options import Options

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def fix(source: bytes, options: Options | None = None) -> FileResult:
    return check_source("case.py", source, options or Options())


# every old name of the catalog (and every old value of a mapped one) -> what it may become
_RENAMES = {
    **{change.old.encode(): change.new.encode() for change in CHANGES if change.new and change.action == RENAME},
    **{f'"{old}"'.encode(): f'"{new}"'.encode() for change in CHANGES for old, new in change.values.items() if new},
}
_TOKENS = re.compile(b"|".join(re.escape(old) for old in sorted(_RENAMES, key=len, reverse=True)))


def only_renames(before: bytes, after: bytes) -> bool:
    """``after`` is ``before`` with some old catalog names (and mapped values) turned into the new ones."""
    pieces = _TOKENS.split(before)
    olds = _TOKENS.findall(before)
    pattern = re.escape(pieces[0])
    for old, piece in zip(olds, pieces[1:]):
        pattern += b"(?:" + re.escape(old) + b"|" + re.escape(_RENAMES[old]) + b")" + re.escape(piece)
    return re.fullmatch(pattern, after, re.DOTALL) is not None


def parses(data: bytes) -> bool:
    try:
        cst.parse_module(data)
    except cst.ParserSyntaxError:
        return False
    return True


def package(root: Path, modules: dict[str, str]) -> Path:
    """``root/app/``: a package of these modules (name -> source) beside an empty ``__init__.py``."""
    folder = root / "app"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name, text in modules.items():
        (folder / name).write_text(text)
    return folder
