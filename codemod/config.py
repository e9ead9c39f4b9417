"""``[tool.stripe-codemod]`` from the nearest ``pyproject.toml``: checked, then merged under the CLI."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from .catalog import NEWEST_SDK
from .cache_folder import DEFAULT_CACHE
from .folders_up import up_from
from .options import CHECK, DIFF, FAIL_ON_FIXES, FAIL_ON_REVIEW, WRITE, Options
from .registry import CODES

SECTION = "stripe-codemod"
# key -> the type its value must have; every key is also a long option of the command line.
KEYS: dict[str, type] = {
    "exclude": list,
    "select": list,
    "ignore": list,
    "include-likely": bool,
    "show-kept": bool,
    "unsafe-fixes": bool,
    "allow-dirty": bool,
    "write-hard-links": bool,
    "jobs": int,
    "currency": str,
    "target-sdk": str,
    "exit-zero-even-if-changed": bool,
    "format": str,
    "per-file-ignores": dict,
    "cache-dir": str,
    "fail-on": str,
    "show-fixes": bool,
    "max-report-chars": int,
}


class ConfigError(Exception):
    """The configuration (file or command line) cannot be used; the message says which key and why."""


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
    """A TOML document (``tomllib``, or ``tomli`` before Python 3.11); raises ``ValueError``.
    The parser is loaded only when there is a document to read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older Pythons only
        import tomli as tomllib
    return tomllib.loads(text)


def find(start: str) -> str | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    folder = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    return next((found for above in up_from(folder) if os.path.isfile(found := os.path.join(above, "pyproject.toml"))), None)


def load(path: str | None) -> Config:
    if path is None:
        return Config()
    shown = os.path.relpath(path)
    try:
        with open(path, "rb") as handle:
            document = parse_toml(handle.read().decode("utf-8"))
    except (OSError, ValueError) as error:  # TOMLDecodeError, and UnicodeDecodeError of a binary file
        raise ConfigError(f"{shown}: cannot read: {error}") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{shown}: [tool] must be a table")
    section = tool.get(SECTION, {})
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


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    number, _, count = text.partition("/")
    if not (number.isdigit() and count.isdigit() and 1 <= int(number) <= int(count)):
        raise ConfigError(f"--shard takes K/N with 1 <= K <= N, not {text!r}")
    return int(number), int(count)


def _jobs(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise ConfigError("--jobs takes a number of worker processes, 1 or more")
    return value


def options(args: argparse.Namespace, formats: tuple[str, ...]) -> Options:
    """The command line over ``[tool.stripe-codemod]`` over the defaults."""
    paths = tuple(args.paths) or (".",)
    if "-" in paths and len(paths) > 1:
        raise ConfigError("- (stdin) cannot be combined with other paths")
    config = _config((args.stdin_filename,) if paths == ("-",) and args.stdin_filename else paths)
    output_format = args.output_format or config.get("format", "text")
    if output_format not in formats:
        raise ConfigError(f"unknown format {output_format!r} (choose from {', '.join(formats)})")
    select = _codes(args.select.split(",")) if args.select else _codes(config.get("select"))
    ignore = _codes(args.ignore.split(",")) if args.ignore else _codes(config.get("ignore"))
    per_file = tuple(
        (glob, _codes(codes) or frozenset()) for glob, codes in config.get("per-file-ignores", {}).items()
    )
    return Options(
        paths=paths,
        mode=WRITE if args.write or args.fix_only else CHECK if args.check else DIFF,
        output_format=output_format,
        output=args.output,
        select=select,
        ignore=ignore or frozenset(),
        exclude=(*config.get("exclude", ()), *args.exclude),
        exit_zero_even_if_changed=_flag(args.exit_zero_even_if_changed, config.get("exit-zero-even-if-changed")),
        include_likely=_flag(args.include_likely, config.get("include-likely")),
        show_kept=_flag(args.show_kept, config.get("show-kept")),
        allow_dirty=_flag(args.allow_dirty, config.get("allow-dirty")),
        write_hard_links=_flag(args.write_hard_links, config.get("write-hard-links")),
        jobs=_jobs(args.jobs if args.jobs is not None else config.get("jobs")),
        shard=_shard(args.shard),
        unsafe_fixes=_flag(args.unsafe_fixes, config.get("unsafe-fixes")),
        currency=_currency(args.currency or config.get("currency")),
        target_sdk=_sdk(args.target_sdk or config.get("target-sdk")),
        per_file_ignores=per_file,
        config_folder=config.folder,
        fail_on=_fail_on(args.fail_on or config.get("fail-on")),
        quiet=args.quiet,
        statistics=args.statistics,
        show_fixes=_flag(args.show_fixes, config.get("show-fixes")),
        fix_only=args.fix_only,
        stdin_filename=_stdin_filename(args.stdin_filename, paths),
        max_report_chars=_positive("max-report-chars", args.max_report_chars or config.get("max-report-chars") or 60_000),
        cache_dir=None if args.no_cache else args.cache_dir or (
            _inside(config.folder, config.get("cache-dir")) if config.get("cache-dir") else os.path.join(config.folder, DEFAULT_CACHE)),
    )


def _config(paths: tuple[str, ...]) -> Config:
    start = os.getcwd() if paths == ("-",) else os.path.commonpath([os.path.abspath(p) for p in paths])
    return load(find(start))


def _fail_on(value: str | None) -> str | None:
    if value is not None and value not in (FAIL_ON_FIXES, FAIL_ON_REVIEW):
        raise ConfigError(f"fail-on must be {FAIL_ON_FIXES} or {FAIL_ON_REVIEW}, not {value!r}")
    return value


def _stdin_filename(value: str | None, paths: tuple[str, ...]) -> str | None:
    if value is not None and paths != ("-",):
        raise ConfigError("--stdin-filename goes with - (stdin) as the only path")
    return value


def _positive(key: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1000:
        raise ConfigError(f"{key} must be a whole number of at least 1000, not {value!r}")
    return value


def _codes(items: list[str] | None) -> frozenset[str] | None:
    if items is None:
        return None
    chosen = frozenset(code.strip().upper() for code in items if code.strip())
    unknown = sorted(chosen - set(CODES))
    if unknown:
        raise ConfigError(f"unknown rule code: {', '.join(unknown)} (see --list-rules)")
    return chosen


def _inside(folder: str, relative: str) -> str:
    """``cache-dir`` of the configuration (repository content): a folder of the project, never
    one elsewhere (the command line's ``--cache-dir`` may name any)."""
    path = os.path.join(folder, relative)
    top = os.path.realpath(folder)
    if os.path.commonpath([top, os.path.realpath(path)]) != top:
        raise ConfigError(f"cache-dir {relative!r} is not a folder inside {folder}")
    return path


def _currency(code: str | None) -> str | None:
    if code is None:
        return None
    if len(code) != 3 or not code.isalpha():
        raise ConfigError(f"--currency takes a three-letter ISO code such as usd, not {code!r}")
    return code.lower()


def _sdk(text: str | None) -> tuple[int, int]:
    """``16.1`` (or ``16``, ``16.1.0``) as a (major, minor) release of stripe-python."""
    if text is None:
        return NEWEST_SDK
    parts = text.strip().lstrip("v").split(".")
    if not (1 <= len(parts) <= 3 and all(part.isdigit() for part in parts)):
        raise ConfigError(f"--target-sdk takes a stripe-python version such as 16.1, not {text!r}")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0


def _flag(given: bool, configured: bool | None) -> bool:
    return given or bool(configured)
