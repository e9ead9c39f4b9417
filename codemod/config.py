"""``[tool.stripe-codemod]`` from the nearest ``pyproject.toml``: checked, then merged under the CLI."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on older Pythons only
    import tomli as tomllib

SECTION = "stripe-codemod"
# key -> the type its value must have; every key is also a long option of the command line.
KEYS: dict[str, type] = {
    "exclude": list,
    "select": list,
    "ignore": list,
    "include-likely": bool,
    "unsafe-fixes": bool,
    "allow-dirty": bool,
    "jobs": int,
    "currency": str,
    "exit-zero-even-if-changed": bool,
    "format": str,
    "per-file-ignores": dict,
}


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path) if self.path else os.getcwd()

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def parse_toml(text: str) -> dict[str, Any]:
    """A TOML document (``tomllib``, or ``tomli`` before Python 3.11); raises ``ValueError``."""
    return tomllib.loads(text)


def find(start: str) -> str | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    folder = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load(path: str | None) -> Config:
    if path is None:
        return Config()
    shown = os.path.relpath(path)
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{shown}: cannot read: {error}") from None
    section = document.get("tool", {}).get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{shown}: [tool.{SECTION}] must be a table")
    for key, value in section.items():
        expected = KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{shown}: [tool.{SECTION}]: unknown key {key!r} (known: {known})")
        if not isinstance(value, expected):
            raise ConfigError(f"{shown}: [tool.{SECTION}]: {key} must be a {expected.__name__}")
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{shown}: [tool.{SECTION}]: {key} must be a list of strings")
    ignores: dict[str, Any] = section.get("per-file-ignores", {})
    for glob, codes in ignores.items():
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise ConfigError(f"{shown}: [tool.{SECTION}]: per-file-ignores[{glob!r}] must be a list of codes")
    return Config(path, section)
