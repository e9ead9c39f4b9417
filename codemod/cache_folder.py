"""The folder the results cache and the replayed reports live in, and when its contents count.

It is repository content like any other: a pull request could commit one to forge a report.
The results cache is not used at all when git tracks a file in it, and a recorded report only
while its file is the very one this tool wrote (``codemod.replay``). It ignores itself in git.
"""
from __future__ import annotations

import os

DEFAULT_CACHE = ".stripe-codemod-cache"  # in the configuration's folder
SETTLED_NS = 2_000_000_000  # how long a file must have been left alone for its stat to be trusted
KEPT_RUNS = 8  # the newest runs kept of each kind (a run: one set of options over one set of paths)
RESULTS = ".results.json"  # a run's results, file by file (``codemod.cache``)
REPORT = ".report"  # a run's printed report (``codemod.replay``)


def usable(folder: str) -> bool:
    """Not a symlink, and holding nothing git tracks."""
    if os.path.islink(folder):
        return False
    if not os.path.isdir(folder):
        return True
    import subprocess

    try:
        done = subprocess.run(["git", "-C", folder, "ls-files", "--", "."], capture_output=True, check=False)
    except OSError:
        return True
    return not done.stdout.strip()


def prepare(folder: str) -> None:
    """Make the folder, with the ``.gitignore`` that keeps it out of commits (OSError: it cannot be)."""
    from .files import write_new

    os.makedirs(folder, exist_ok=True)
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        write_new(ignore, b"# written by stripe-codemod: the results cache is never committed\n*\n")


def prune(folder: str, suffix: str, companion: str | None = None) -> None:
    """Keep the newest ``KEPT_RUNS`` files of a kind, each with its ``companion`` (the same name
    with that suffix instead); OSError: the folder cannot be read."""
    kept = sorted((entry for entry in os.scandir(folder) if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False)),
                  key=lambda entry: entry.stat(follow_symlinks=False).st_mtime_ns)
    for old in kept[:-KEPT_RUNS]:
        os.unlink(old.path)
        if companion is not None and os.path.lexists(old.path[: -len(suffix)] + companion):
            os.unlink(old.path[: -len(suffix)] + companion)
