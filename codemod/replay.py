"""The report of a run over an unchanged tree, printed again without checking anything.

A cacheable run (over folders, not ``--write``) keeps, beside the results cache, the bytes it
printed and its exit status, with the stat of every file it looked at: the run's files and the
modules its analyses consulted (an absent one too). A later run with the same options, from the
same folder, over the same list of files, the same stripe requirement and the same colour,
whose files all have the same stat, prints those bytes again: nothing is read, parsed or
analysed, and nothing heavier than the command line is imported. Any other run goes on as
usual, and the per-file results cache does the rest.

A stat is trusted only when the file had been left alone for two seconds before the run began
(its inode change time, which every write and ``touch`` moves): a write in the same clock tick
could hide behind it. The record is repository content like the rest of the cache: JSON only,
checked for shape, and not used at all where git tracks a file of the cache folder.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from . import __version__
from .cache_folder import REPORT, SETTLED_NS, prepare, prune
from .options import WRITE, Options

_NOT_IN_KEY = {"jobs", "cache_dir"}  # options that change neither the findings nor how they are shown
Stat = Optional[list[int]]  # size, mtime, inode change time, inode, mode; None: absent


@dataclass(frozen=True)
class Printed:
    """What a run printed: the report's bytes for stdout (or the whole report, with ``--output``),
    the text for stderr, and the exit status."""

    out: bytes
    err: str
    status: int


def applies(options: Options) -> bool:
    """Whether a run may be replayed and recorded: those the results cache keeps (over folders,
    not writing)."""
    return options.mode != WRITE and not all(map(os.path.isfile, options.paths))


def key(options: Options, paths: Sequence[str], notes: Sequence[str], requirement: str, colour: bool) -> str:
    """Which record a run can replay: everything its output depends on but the files' contents."""
    shown = {f.name: getattr(options, f.name) for f in dataclasses.fields(options) if f.name not in _NOT_IN_KEY}
    text = repr((__version__, sorted(shown.items(), key=str), os.getcwd(), list(paths), list(notes), requirement, colour))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def lookup(folder: str, run_key: str, paths: Sequence[str]) -> Printed | None:
    """The printed report of the recorded run, if every file it looked at is as it was then."""
    found = _load(os.path.join(folder, f"{run_key}{REPORT}"))
    if found is None:
        return None
    head, printed = found
    watched = [*map(os.path.abspath, paths), *head["consulted"]]
    rows = head["stats"]
    if len(rows) != len(watched) or any(_stat(path) != row for path, row in zip(watched, rows)):
        return None
    return printed


def record(folder: str, run_key: str, paths: Sequence[str], consulted: Iterable[str], started_ns: int,
           printed: Printed) -> None:
    """Keep what the run printed, unless some file it looked at was written shortly before or
    during the run; a record that cannot be written is no error."""
    absolute = [os.path.abspath(path) for path in paths]
    extra = sorted(set(consulted).difference(absolute))
    stats = [_stat(path) for path in (*absolute, *extra)]
    if any(row is not None and row[2] > started_ns - SETTLED_NS for row in stats):
        return
    from .files import write_new

    try:
        err = printed.err.encode("utf-8", "surrogatepass")
        head = {"version": __version__, "consulted": extra, "stats": stats, "status": printed.status,
                "out": len(printed.out), "err": len(err)}
        prepare(folder)
        write_new(os.path.join(folder, f"{run_key}{REPORT}"),
                  json.dumps(head, ensure_ascii=True).encode("ascii") + b"\n" + printed.out + err)
        prune(folder, REPORT)
    except (OSError, UnicodeEncodeError):
        return


def _stat(path: str) -> Stat:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_mode]


def _load(path: str) -> tuple[dict[str, Any], Printed] | None:
    """The record: a line of JSON, then the printed bytes (missing, unreadable or not well
    formed: None)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        line, _, printed = data.partition(b"\n")
        head = json.loads(line)
        if head["version"] != __version__:
            return None
        consulted, stats, status, out, err = (head[k] for k in ("consulted", "stats", "status", "out", "err"))
        if not (isinstance(consulted, list) and all(isinstance(p, str) and os.path.isabs(p) for p in consulted)):
            return None
        if not (isinstance(stats, list) and all(row is None or _is_stat(row) for row in stats)):
            return None
        if not (type(status) is int and status in (0, 1, 2) and type(out) is int and type(err) is int
                and out >= 0 and err >= 0 and out + err == len(printed)):
            return None
        return head, Printed(printed[:out], printed[out:].decode("utf-8", "surrogatepass"), status)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def _is_stat(row: object) -> bool:
    return isinstance(row, list) and len(row) == 5 and all(type(value) is int for value in row)
