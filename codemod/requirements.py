"""The stripe SDK requirement of a project: which releases of stripe-python it allows.

stripe-python pins an API version (after 2019-10-17) from 6.0 on; before that it sends
none, and the account's default version applies. The SDK-surface fixes need a release the
requirement allows (``from stripe import CardError`` needs 7.8). Read from ``pyproject.toml``
(PEP 621 dependencies, optional dependencies, dependency groups, Poetry) and
``requirements*.txt``.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from .config import parse_toml
from .folders_up import up_from

Version = tuple[int, int, int]

_REQUIREMENT = re.compile(r"^\s*stripe\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;#]*)", re.I)
_CLAUSE = re.compile(r"(===|==|~=|<=|<|>=|>|!=|\^|~)?\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?")


@dataclass(frozen=True)
class Requirement:
    line: int
    col: int  # 1-based, of the requirement's text
    text: str
    below: int  # the first major version it excludes


def is_requirement_file(path: str) -> bool:
    name = os.path.basename(path)
    return name == "pyproject.toml" or (name.startswith("requirements") and name.endswith(".txt"))


def old_stripe_requirements(path: str, data: bytes) -> Iterator[Requirement]:
    """Requirements of ``stripe`` that allow no release from 6.0 on."""
    text = data.decode("utf-8", "replace")
    specs = _pyproject_specs(text) if os.path.basename(path) == "pyproject.toml" else _lines(text)
    for requirement in specs:
        match = _REQUIREMENT.match(requirement)
        if match is None:
            continue
        below = ceiling(match.group("spec"))
        if below is not None and below <= 6:
            line, col = _locate(text, requirement)
            yield Requirement(line, col, requirement.strip(), below)


def ceiling(spec: str) -> int | None:
    """The lowest major version the specifier rules out from above, or None when unbounded."""
    below = bounds(spec)[1]
    if below is None:
        return None
    return below[0] + (1 if below[1:] != (0, 0) else 0)


@dataclass(frozen=True)
class SdkRequirement:
    """The stripe requirement a project states, and the releases it allows."""

    where: str  # ``requirements.txt line 3``
    text: str
    lowest: Optional[Version]
    below: Optional[Version]  # the first release it rules out from above

    def allows_from(self, version: Version) -> bool:
        """Whether it allows some release at ``version`` or later."""
        return self.below is None or self.below > version


def bounds(spec: str) -> tuple[Optional[Version], Optional[Version]]:
    """The lowest release a specifier allows and the first it rules out from above (None: unbounded)."""
    lowest: Optional[Version] = None
    below: Optional[Version] = None
    for clause in spec.split(","):
        match = _CLAUSE.search(clause.strip())
        if match is None:
            continue
        op = match.group(1) or "=="
        parts = [match.group(2), match.group(3), match.group(4)]
        wild = "*" in parts
        given = [int(p) for p in parts if p is not None and p != "*"]
        padded = [*given, 0, 0, 0]
        version: Version = (padded[0], padded[1], padded[2])
        floor: Optional[Version] = version if op in ("==", "===", "~=", "^", "~", ">=", ">") else None
        if op in ("==", "==="):
            top: Optional[Version] = _bump(version, len(given) - 1) if wild else (version[0], version[1], version[2] + 1)
        elif op == "^":
            top = _bump(version, 0)
        elif op == "~=":
            top = _bump(version, len(given) - 2)
        elif op == "~":
            top = _bump(version, min(1, len(given) - 1))
        elif op == "<":
            top = version
        elif op == "<=":
            top = (version[0], version[1], version[2] + 1)
        else:
            top = None
        if floor is not None:
            lowest = floor if lowest is None else max(lowest, floor)
        if top is not None:
            below = top if below is None else min(below, top)
    return lowest, below


def _bump(version: Version, index: int) -> Version:
    """The next release at position ``index`` (0: major): ``_bump((5, 4, 0), 0) == (6, 0, 0)``."""
    index = max(0, min(index, 2))
    bumped = [*version[:index], version[index] + 1, 0, 0]
    return bumped[0], bumped[1], bumped[2]


@functools.lru_cache(maxsize=256)
def project_requirement(folder: str, top: str) -> Optional[SdkRequirement]:
    """The stripe requirement of the nearest folder from ``folder`` up to ``top`` (or to the
    root of the file system) whose ``pyproject.toml`` or ``requirements*.txt`` states one."""
    top = os.path.abspath(top)
    for folder in up_from(os.path.abspath(folder)):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        for name in names:
            path = os.path.join(folder, name)
            if not is_requirement_file(path) or not os.path.isfile(path):
                continue
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8", "replace")
            except OSError:
                continue
            specs = _pyproject_specs(text) if name == "pyproject.toml" else _lines(text)
            for requirement in specs:
                match = _REQUIREMENT.match(requirement)
                if match is not None:
                    line, _ = _locate(text, requirement)
                    shown = os.path.relpath(path, top) if path.startswith(top) else name
                    return SdkRequirement(f"{shown.replace(os.sep, '/')} line {line}", requirement.strip(), *bounds(match.group("spec")))
        if folder == top:
            break
    return None


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            yield line


def _pyproject_specs(text: str) -> Iterator[str]:
    try:
        document = parse_toml(text)
    except ValueError:  # TOMLDecodeError is one
        return
    project = document.get("project", {})
    yield from (d for d in project.get("dependencies", []) if isinstance(d, str))
    for group in list(project.get("optional-dependencies", {}).values()) + list(document.get("dependency-groups", {}).values()):
        yield from (d for d in group if isinstance(d, str))
    poetry = document.get("tool", {}).get("poetry", {})
    for table in [poetry.get("dependencies", {})] + [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]:
        value = table.get("stripe")
        version = value.get("version") if isinstance(value, dict) else value
        if isinstance(version, str):
            yield f"stripe {version}"


def _locate(text: str, requirement: str) -> tuple[int, int]:
    """Where a requirement stands in the file (for Poetry, where ``stripe`` is)."""
    offset = text.find(requirement)
    if offset < 0:
        poetry = re.search(r"^[ \t]*stripe[ \t]*=", text, re.M | re.I)
        offset = poetry.start() + len(poetry.group()) - len(poetry.group().lstrip()) if poetry else -1
    if offset < 0:
        return 1, 1
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
