"""The stripe SDK requirement of a project: does it keep stripe-python below 6.0?

stripe-python pins an API version (after 2019-10-17) from 6.0 on; before that it sends
none, and the account's default version applies. Read from ``pyproject.toml`` (PEP 621
dependencies, optional dependencies, dependency groups, Poetry) and ``requirements*.txt``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterator

from .config import parse_toml

_REQUIREMENT = re.compile(r"^\s*stripe\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;#]*)", re.I)
_CLAUSE = re.compile(r"(===|==|~=|<=|<|>=|>|!=|\^|~)?\s*v?(\d+)(?:\.(\d+|\*))?")


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
    bound = None
    for clause in spec.split(","):
        match = _CLAUSE.search(clause.strip())
        if match is None:
            continue
        op, major, minor = match.group(1) or "==", int(match.group(2)), match.group(3)
        if op in ("==", "===", "~=", "^", "~", "<="):
            limit = major + 1
        elif op == "<":
            limit = major + (0 if minor in (None, "0") else 1)
        else:
            continue
        if limit is not None:
            bound = limit if bound is None else min(bound, limit)
    return bound


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
