"""What a file's analysis depends on beyond its own bytes, and the rules of the file system by
which the analysis finds those modules and the results cache checks them again.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterator

_MAX_ANCESTORS = 16
_CALLED = re.compile(rb"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Trail:
    """What one file's analysis consulted beyond the file itself: what its cached result
    depends on (``codemod.cache``)."""

    reads: dict[str, str | None] = field(default_factory=dict)  # absolute path -> content hash (None: absent)
    finds: dict[tuple[str, str, int], str | None] = field(default_factory=dict)  # an import, resolved
    callers: set[tuple[str, str]] = field(default_factory=set)  # (function, its module's stem) looked for
    settings: bool = False  # the project's settings modules were read


def called_names(data: bytes) -> set[str]:
    """The names a module's source calls (``name(``)."""
    return {called.decode("ascii") for called in _CALLED.findall(data)}


def identifiers(data: bytes) -> set[str]:
    """The ASCII identifiers of a module's source (in code, comments and strings alike)."""
    return {word.decode("ascii") for word in set(_IDENTIFIER.findall(data))}


def module_stem(path: str) -> str:
    """The name a module is imported by: ``billing`` of ``app/billing.py`` and of ``app/billing/__init__.py``."""
    return os.path.basename(os.path.dirname(path) if path.endswith("__init__.py") else path[:-3])


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
    for _ in range(_MAX_ANCESTORS):
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def module_file(base: str) -> str | None:
    if os.path.isfile(base + ".py"):
        return base + ".py"
    init = os.path.join(base, "__init__.py")
    return init if os.path.isfile(init) else None
