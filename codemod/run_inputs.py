"""Everything a run's printed report depends on beyond its command line and environment, as
paths whose stat tells whether they changed: what ``codemod.replay`` watches before it prints a
report again without reading the configuration or listing the files.

- the run's files, and the modules its analyses consulted (absent ones too);
- every folder below the folders it was given that a walk lists (a file added, removed or
  renamed changes its folder), with the ``.gitignore`` files in them;
- for each folder from the run's common folder up to the root: its ``pyproject.toml`` (the
  configuration is the nearest one), ``.git`` (inside a work tree, git lists the files) and
  ``.gitignore``; from that folder up to the configuration's, the folder itself and its
  ``requirements*.txt`` (the stripe requirement is the nearest one);
- inside a git work tree: git's index, the repository's ``info/exclude`` and ``config``, and
  the user's and the system's git configuration and excludes file.
"""
from __future__ import annotations

import os
import subprocess
from typing import Iterable, Iterator, Sequence

from .discover import folders
from .folders_up import up_from
from .options import Options
from .requirements import is_requirement_file


def watched(options: Options, paths: Sequence[str], consulted: Iterable[str]) -> set[str]:
    """The paths to stat (absolute)."""
    start = options.start_folder
    found = {os.path.abspath(path) for path in paths}.union(consulted)
    for given in options.paths:
        if os.path.isdir(given):
            for folder in folders(os.path.abspath(given)):
                found.update((folder, os.path.join(folder, ".gitignore")))
    found.update(_ancestors(start, os.path.abspath(options.config_folder)))
    found.update(_git_files(start))
    return found


def _ancestors(start: str, config_folder: str) -> Iterator[str]:
    below_config = True
    for folder in up_from(start):
        for name in ("pyproject.toml", ".git", ".gitignore"):
            yield os.path.join(folder, name)
        if below_config:
            yield folder
            try:
                yield from (os.path.join(folder, name) for name in sorted(os.listdir(folder)) if is_requirement_file(name))
            except OSError:
                pass
            below_config = folder != config_folder


def _git_files(start: str) -> list[str]:
    """What git reads to list a work tree's files, besides the files and folders themselves."""
    git_dir = _git(start, "rev-parse", "--absolute-git-dir")
    if git_dir is None:
        return []
    home = os.path.expanduser("~")
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    found = [os.path.join(git_dir, "index"), os.path.join(git_dir, "info", "exclude"), os.path.join(git_dir, "config"),
             os.path.join(home, ".gitconfig"), os.path.join(config_home, "git", "config"),
             os.path.join(config_home, "git", "ignore"), "/etc/gitconfig"]
    excludes = _git(start, "config", "--path", "--get", "core.excludesFile")
    if excludes is not None:
        found.append(os.path.join(start, excludes))
    return found


def _git(folder: str, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", folder, *args], capture_output=True, check=False)
    except OSError:
        return None
    text = os.fsdecode(done.stdout.strip())
    return text if done.returncode == 0 and text else None
