"""Paths on the command line -> the ordered list of Python files to look at.

Inside a git work tree the files come from ``git ls-files`` (tracked and untracked, without
the ignored ones), so ``.gitignore`` is honoured; elsewhere from a walk of the folder.
Folders that never hold project code are skipped by default, and so is a copy of the stripe
SDK itself (a ``stripe`` package with the SDK's ``_stripe_object.py``, vendored or
installed in the tree): it is what the project calls, not what it writes. A file named
explicitly is always taken, whatever its name; ``--exclude`` globs apply to every path.
"""
from __future__ import annotations

import fnmatch
import functools
import os
import stat
from typing import Iterable, Iterator, NamedTuple

from .cache_folder import DEFAULT_CACHE

DEFAULT_EXCLUDES = frozenset(
    {".git", ".venv", "venv", ".tox", "node_modules", "site-packages", "build", "dist", "__pycache__",
     DEFAULT_CACHE}
)
# The files that mark a folder named `stripe` as the SDK (`_stripe_object.py` since 7.x, before: no underscore).
_SDK_MARKERS = ("_stripe_object.py", "stripe_object.py")


class MissingPath(Exception):
    """A path given on the command line does not exist."""


class Found(NamedTuple):
    files: list[str]
    repositories: list[str]  # git submodules and nested repositories: their own trees, not looked into


def discover(paths: Iterable[str], excludes: Iterable[str] = (), requirements: bool = False) -> list[str]:
    """The files to check; with ``requirements``, also ``pyproject.toml`` and ``requirements*.txt``."""
    return find(paths, excludes, requirements).files


def find(paths: Iterable[str], excludes: Iterable[str] = (), requirements: bool = False) -> Found:
    """The files to check, and the nested repositories left out (the report names them)."""
    globs = tuple(excludes)
    found: list[str] = []
    nested: list[str] = []
    for path in paths:
        if not os.path.lexists(path):
            raise MissingPath(path)
        if os.path.isdir(path):
            names, repositories = _python_files(path, requirements)
            for into, listed in ((found, names), (nested, repositories)):
                into.extend(os.path.join(path, name) if path != "." else name
                            for name in listed if not _excluded(name, globs))
        elif not _excluded(path, globs):
            found.append(path)
    return Found(sorted(set(found), key=_order), sorted(set(nested), key=_order))


def _order(path: str) -> tuple[str, ...]:
    return tuple(os.path.normpath(path).split(os.sep))


def _wanted(name: str, requirements: bool) -> bool:
    if name.endswith((".py", ".json")):  # JSON: Stripe payloads in test fixtures and recorded responses
        return True
    base = name.rsplit("/", 1)[-1]
    return requirements and (base == "pyproject.toml" or (base.startswith("requirements") and base.endswith(".txt")))


def _python_files(folder: str, requirements: bool = False) -> tuple[list[str], list[str]]:
    """The wanted files below ``folder``, and the repositories nested in it (git lists a
    submodule, or an untracked repository, as one entry for the folder)."""
    listed = _git_files(folder)
    if listed is None:
        return list(_walk(folder, requirements)), []
    sdk = tuple(
        name[: -len(marker)] for name in listed for marker in _SDK_MARKERS
        if name == f"stripe/{marker}" or name.endswith(f"/stripe/{marker}")
    )
    files, nested = [], []
    for name in listed:
        if DEFAULT_EXCLUDES.intersection(name.rstrip("/").split("/")[:-1]):
            continue
        if name.endswith("/"):  # an untracked repository
            nested.append(name.rstrip("/"))
            continue
        try:
            mode = os.lstat(os.path.join(folder, name)).st_mode  # a symlink is neither
        except OSError:
            continue
        if stat.S_ISDIR(mode):  # a submodule
            nested.append(name)
        elif stat.S_ISREG(mode) and _wanted(name, requirements) and not name.startswith(sdk):
            files.append(name)
    return files, nested


@functools.lru_cache(maxsize=16)
def work_tree(folder: str) -> str | None:
    """The top of the git work tree that holds ``folder``, or None outside one (asked of git once
    per folder in a process: a --write run asks it for its lock and for its dirty files, and a run
    of single files, in each worker, for the project its files belong to)."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", folder, "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    top = done.stdout.strip()
    return top if done.returncode == 0 and top else None


def _git_files(folder: str) -> list[str] | None:
    """Files below ``folder`` that git tracks or would track, or None outside a work tree."""
    import subprocess  # here: a run over single files (a pre-commit run) never starts git

    try:
        done = subprocess.run(
            ["git", "-C", folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({name for name in names if name})


def _walk(folder: str, requirements: bool = False) -> Iterable[str]:
    """The wanted files below ``folder`` (relative, ``/``-separated, in no order), never through
    a symlink; a folder that cannot be listed is passed over."""
    for relative, entries in _listings(folder):
        for entry in entries:
            try:
                if not entry.is_dir(follow_symlinks=False) and not entry.is_symlink() and _wanted(entry.name, requirements):
                    yield f"{relative}/{entry.name}" if relative else entry.name
            except OSError:
                continue


def folders(folder: str) -> Iterator[str]:
    """``folder`` and every folder below it that a walk lists, and each copy of the SDK it
    passes over (what makes it one is inside): the folders whose entries decide which files
    a run checks, whether git lists them or a walk does."""
    for relative, entries in _listings(folder):
        yield os.path.join(folder, relative) if relative else folder
        yield from (entry.path for entry in entries if entry.name == "stripe" and _is_sdk(entry.path))


def _listings(folder: str) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """``(relative path, entries)`` of ``folder`` and of each folder below it that a walk looks
    into: never through a symlink, nor into an excluded name or a copy of the SDK. One
    ``scandir`` per folder: the kind of each entry comes with it."""
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(os.path.join(folder, relative)) as listing:
                entries = list(listing)
        except OSError:
            continue
        yield relative, entries
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False) and entry.name not in DEFAULT_EXCLUDES and not _is_sdk(entry.path):
                    pending.append(f"{relative}/{entry.name}" if relative else entry.name)
            except OSError:
                continue


def _is_sdk(folder: str) -> bool:
    return os.path.basename(folder) == "stripe" and any(os.path.isfile(os.path.join(folder, m)) for m in _SDK_MARKERS)


def _excluded(path: str, globs: tuple[str, ...]) -> bool:
    if not globs:
        return False
    normal = os.path.normpath(path).replace(os.sep, "/")
    parts = normal.split("/")
    return any(
        fnmatch.fnmatch(normal, glob) or any(fnmatch.fnmatch(part, glob) for part in parts)
        for glob in globs
    )
