"""The settings of one run, after the command line (and configuration) have been read."""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field

from .catalog import NEWEST_SDK, SDK_CHANGES, SdkChange

WRITE, CHECK, DIFF = "write", "check", "diff"
FAIL_ON_FIXES, FAIL_ON_REVIEW = "fixes", "review"


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...] = (".",)
    mode: str = DIFF
    output_format: str = "text"
    output: str | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] = field(default_factory=frozenset)
    exclude: tuple[str, ...] = ()
    exit_zero_even_if_changed: bool = False
    include_likely: bool = False
    show_kept: bool = False
    unsafe_fixes: bool = False
    allow_dirty: bool = False
    write_hard_links: bool = False
    jobs: int | None = None
    shard: tuple[int, int] | None = None
    currency: str | None = None
    target_sdk: tuple[int, int] = NEWEST_SDK  # the stripe-python release the SDK-surface rules aim at
    # (glob relative to the configuration's folder, codes) pairs
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    config_folder: str = "."
    cache_dir: str | None = None  # where results of an unchanged tree are kept between runs; None: no cache
    # when the exit status is 1: FAIL_ON_FIXES (fixes pending or made), FAIL_ON_REVIEW (review items too);
    # None: review for a dry run or --check, fixes for --write (a fix hook fails only when it changed files)
    fail_on: str | None = None
    quiet: bool = False  # the findings, without the summary
    statistics: bool = False  # counts per rule instead of the findings
    show_fixes: bool = False  # with --write, list every fixed site (else one line per changed file)
    fix_only: bool = False  # --write, and only the fixes are reported
    stdin_filename: str | None = None  # with "-": the path of the project the source stands for
    max_report_chars: int = 60_000  # the Markdown report's size (a pull-request comment holds 65,536)

    @property
    def shows_edits(self) -> bool:
        """Whether the run writes fixes or shows them (a diff, a JSON or Markdown report): then
        LibCST parses what it edits; a check reads trees built from CPython's."""
        return self.mode != CHECK or self.output_format in ("json", "markdown")

    @property
    def fails_on_review(self) -> bool:
        if self.fix_only:
            return False
        return (self.fail_on or (FAIL_ON_FIXES if self.mode == WRITE else FAIL_ON_REVIEW)) == FAIL_ON_REVIEW

    def rule_enabled(self, code: str, path: str | None = None) -> bool:
        if self.select is not None and code not in self.select:
            return False
        if code in self.ignore:
            return False
        return path is None or code not in self.ignored_for(path)

    @property
    def start_folder(self) -> str:
        """The folder the run's paths have in common (the current one for stdin): where the
        project's stripe requirement is looked for, from there up to the configuration's."""
        if self.paths == ("-",):
            return os.getcwd()
        start = os.path.commonpath([os.path.abspath(p) for p in self.paths])
        return start if os.path.isdir(start) else os.path.dirname(start)

    @property
    def tree_folder(self) -> str:
        """The project a run of single files belongs to, where the calls of their functions are
        looked for: the configuration's folder, else the git work tree that holds the files,
        else the current folder when it holds them (a pre-commit hook's), else their own folder.
        Never a folder around the project: a run started from a home folder reads one project."""
        from .discover import work_tree

        start = self.start_folder
        config = os.path.abspath(self.config_folder)
        if _holds(config, start) and os.path.isfile(os.path.join(config, "pyproject.toml")):
            return config
        current = os.getcwd()
        return work_tree(start) or (current if _holds(current, start) else start)

    def sdk_changes(self, path: str | None = None) -> tuple[SdkChange, ...]:
        """The SDK-surface changes this run applies: selected, and made by the target SDK or earlier."""
        return tuple(c for c in SDK_CHANGES if c.sdk_version <= self.target_sdk and self.rule_enabled(c.code, path))

    def ignored_for(self, path: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        relative = os.path.relpath(os.path.abspath(path), self.config_folder).replace(os.sep, "/")
        return frozenset().union(*(codes for glob, codes in self.per_file_ignores if fnmatch.fnmatch(relative, glob)))


def _holds(folder: str, path: str) -> bool:
    """Whether ``path`` is ``folder`` or inside it (both absolute)."""
    return os.path.commonpath([folder, path]) == folder
