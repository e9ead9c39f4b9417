"""What a file's analysis depends on beyond its own bytes, and the rules of the file system by
which the analysis finds those modules and the results cache checks them again.
"""
from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from typing import Iterator

from .folders_up import up_from

_MAX_ANCESTORS = 16
_CALLED = re.compile(rb"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
# a function passed to map() or filter(), or as a key=, as they are written: called on each item
# (a dotted name's last part); found only in a source that holds one of these (a fraction of the cost)
_APPLIED = re.compile(rb"\b(?:map|filter)\(\s*(?:\w+\s*\.\s*)*(\w+)\s*,|\bkey=\s*(?:\w+\s*\.\s*)*(\w+)\s*[,)]")
_APPLIED_WRITTEN = (b"map(", b"filter(", b"key=")
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# an import statement, in any line of the source (a string that looks like one counts too)
_LINE = rb"(?:[^\n#;\\]|\\\r?\n)*"
_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|" + _LINE + rb")|import[ \t]+(" + _LINE + rb"))", re.M)


@dataclass
class Trail:
    """What one file's analysis consulted beyond the file itself: what its cached result
    depends on (``codemod.cache``)."""

    reads: dict[str, str | None] = field(default_factory=dict)  # absolute path -> content hash (None: absent)
    finds: dict[tuple[str, str, int], str | None] = field(default_factory=dict)  # an import, resolved
    callers: set[tuple[str, str]] = field(default_factory=set)  # (function, its module's stem) looked for
    settings: bool = False  # the project's settings modules were read


@dataclass
class Callers:
    """The modules of a run that mention Stripe, by the names they call and by the stems of the
    project's modules (``stems``) that they contain: where the calls of a function may be."""

    stems: frozenset[str]
    calls: dict[str, set[str]] = field(default_factory=dict)
    naming: dict[str, set[str]] = field(default_factory=dict)

    def add(self, path: str, data: bytes) -> None:
        for called in called_names(data):
            self.calls.setdefault(called, set()).add(path)
        for word in identifiers(data) & self.stems:
            self.naming.setdefault(word, set()).add(path)


def called_names(data: bytes) -> set[str]:
    """The names a module's source calls (``name(``), or has called on items (``map(name, ...)``,
    ``sorted(..., key=name)``)."""
    names = {called.decode("ascii") for called in _CALLED.findall(data)}
    if any(written in data for written in _APPLIED_WRITTEN):
        names.update(name.decode("ascii") for pair in _APPLIED.findall(data) for name in pair if name)
    return names


def identifiers(data: bytes) -> set[str]:
    """The ASCII identifiers of a module's source (in code, comments and strings alike)."""
    return {word.decode("ascii") for word in set(_IDENTIFIER.findall(data))}


def module_stem(path: str) -> str:
    """The name a module is imported by: ``billing`` of ``app/billing.py`` and of ``app/billing/__init__.py``."""
    return os.path.basename(os.path.dirname(path) if path.endswith("__init__.py") else path[:-3])


def imported_modules(data: bytes) -> list[tuple[str, int]]:
    """``(module, level)`` of everything a module's source may import: ``from a import b`` may
    import the module ``a.b`` as well as ``a`` (more than Python would, never less)."""
    found: list[tuple[str, int]] = []
    for dots, source, names, plain in _IMPORT.findall(data):
        if plain:
            found += [(name, 0) for name in _names(plain)]
        else:
            module, level = source.decode("ascii", "replace"), len(dots)
            found.append((module, level))
            found += [(f"{module}.{name}" if module else name, level) for name in _names(names)]
    # ``import a.b`` runs ``a/__init__.py`` too
    return list(dict.fromkeys((parent, level) for module, level in found for parent in _parents(module, level)))


def _parents(module: str, level: int) -> list[str]:
    """``a`` and ``a.b`` for ``a.b``; a relative import's own package (``""``) first."""
    parts = module.split(".") if module else []
    return [".".join(parts[:n]) for n in range(0 if level else 1, len(parts) + 1)]


def _names(text: bytes) -> list[str]:
    """``a.b`` and ``c`` of ``a.b as x, c`` (parentheses, continuations and ``*`` left out)."""
    words = (part.split()[0] for part in text.replace(b"\\", b" ").strip(b"() \t\r\n").split(b",") if part.split())
    return [word.decode("ascii", "replace") for word in words if word != b"*"]


def find_module(folder: str, module: str, level: int) -> str | None:
    """The file that ``import module`` (``level`` dots: relative) in ``folder`` finds in the project."""
    parts = [part for part in module.split(".") if part]
    if level:
        for _ in range(level - 1):
            folder = os.path.dirname(folder)
        return module_file(os.path.join(folder, *parts))
    for ancestor in ancestors(folder):
        found = module_file(os.path.join(ancestor, *parts)) if parts else None
        if found is not None:
            return found
    return None


def is_settings(path: str) -> bool:
    """``settings.py``, ``settings_prod.py`` or any module of a ``settings`` package."""
    return os.path.basename(path).startswith("settings") or os.path.basename(os.path.dirname(path)) == "settings"


def ancestors(folder: str) -> Iterator[str]:
    """``folder`` and the folders above it, nearest first (a bounded number)."""
    return itertools.islice(up_from(folder), _MAX_ANCESTORS)


def module_file(base: str) -> str | None:
    if os.path.isfile(base + ".py"):
        return base + ".py"
    init = os.path.join(base, "__init__.py")
    return init if os.path.isfile(init) else None
