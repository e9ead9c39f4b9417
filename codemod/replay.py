"""The report of a run over an unchanged tree, printed again without checking anything.

A cacheable run (over folders, not ``--write``) keeps, in the cache folder, the bytes it
printed and its exit status, with the stat (size, mtime, inode change time, inode, mode) of
every path its report depends on, in two records:

- by the command: the same arguments, from the same folder, in the same environment (the
  variables the tool and git read, and whether the output is a terminal). Its paths are
  everything the run looked at, the configuration and the listing of the tree included
  (``codemod.run_inputs``), so that nothing is imported but this module: no configuration is
  read and no file is listed. It is kept only where the next run can find it without the
  configuration: in the default cache folder of the current folder, or of the nearest one
  above it that has one.
- by the options: the same options over the same list of files, with the same stripe
  requirement and colour. It is looked up once the configuration is read and the files are
  listed, and its paths are the run's files and the modules its analyses consulted.

When every path has the same stat, the bytes are printed again; otherwise the run goes on as
usual, and the per-file results cache does the rest.

A stat is trusted only when the path had been left alone for two seconds before the run began
(its inode change time, which every write and ``touch`` moves): a write in the same clock tick
could hide behind it. A record is repository content, like the rest of the cache: it is used
only while its file is the very one this tool wrote for this user (its inode and change time
are pinned beside it), so one that was committed, copied, edited or left by another user of
the machine is never trusted.
"""
from __future__ import annotations

import os
import sys
import zlib

from . import __version__
from .cache_folder import DEFAULT_CACHE, REPORT, SETTLED_NS, prepare, prune
from .folders_up import up_from

TYPE_CHECKING = False  # typing itself is not imported: it would cost more than a replay
if TYPE_CHECKING:
    from typing import Iterable, Sequence

    from .options import Options

_MAGIC = b"stripe-codemod replay"
_PIN = ".pin"  # beside a record: the inode, change time and size of the record as written
_NOT_IN_KEY = {"jobs", "cache_dir"}  # options that change neither the findings nor how they are shown
# the environment that can change what a command prints: colour, progress, where git looks
_ENVIRONMENT = ("NO_COLOR", "PRE_COMMIT", "CI", "NO_PROGRESS", "HOME", "XDG_CONFIG_HOME")


class Printed:
    """What a run prints: the report's bytes for stdout and the text for stderr (with
    ``output``, both go to that file), and the exit status."""

    __slots__ = ("out", "err", "status", "output")

    def __init__(self, out: bytes, err: str, status: int, output: str | None = None) -> None:
        self.out, self.err, self.status, self.output = out, err, status, output


def deliver(printed: Printed) -> int:
    """Print a report where it goes; its exit status. OSError: the report file cannot be written."""
    if printed.output is not None:
        from .files import write_new

        write_new(printed.output, printed.out + printed.err.encode("utf-8"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(printed.out)
        sys.stdout.buffer.flush()
        sys.stderr.write(printed.err)
    return printed.status


def by_command(argv: Sequence[str]) -> Printed | None:
    """The report recorded for this very command, if nothing it depends on changed."""
    cache = _nearest_cache()
    found = lookup(cache, command_key(argv), ()) if cache is not None else None
    return found[0] if found is not None else None


def found_by_command(cache: str) -> bool:
    """Whether ``by_command`` looks in this cache folder (it is found without reading the
    configuration)."""
    return os.path.abspath(cache) == _nearest_cache()


def _nearest_cache() -> str | None:
    """The default cache folder of the current folder, or of the nearest one above it that has one."""
    return next((cache for folder in up_from(os.getcwd()) if os.path.isdir(cache := os.path.join(folder, DEFAULT_CACHE))), None)


def options_key(options: Options, paths: Sequence[str], notes: Sequence[str], requirement: str, colour: bool) -> str:
    """Which record a run can replay once its options are known: everything its output depends
    on but the contents of its files."""
    import dataclasses

    shown = {f.name: getattr(options, f.name) for f in dataclasses.fields(options) if f.name not in _NOT_IN_KEY}
    return repr((__version__, sys.version, sorted(shown.items(), key=str), os.getcwd(), list(paths), list(notes), requirement,
                 colour))


def applies(options: Options) -> bool:
    """Whether a run may be replayed and recorded: those the results cache keeps (over folders,
    not writing)."""
    from .options import WRITE

    return options.mode != WRITE and not all(map(os.path.isfile, options.paths))


def lookup(folder: str, key: str, paths: Sequence[str]) -> tuple[Printed, list[str]] | None:
    """The printed report recorded under ``key`` and the paths it depends on besides ``paths``,
    if all of them have the stat they had then."""
    found = _load(folder, key)
    if found is None:
        return None
    depends_on, stats, printed = found
    watched = [*map(os.path.abspath, paths), *depends_on]
    if len(stats) != len(watched) or any(_stat(path) != row for path, row in zip(watched, stats)):
        return None
    return printed, depends_on


def record(folder: str, key: str, paths: Sequence[str], depends_on: Iterable[str], started_ns: int,
           printed: Printed) -> None:
    """Keep what a run printed under ``key``, unless some path it depends on was written shortly
    before or during the run; a record that cannot be written is no error."""
    absolute = [os.path.abspath(path) for path in paths]
    extra = sorted(set(depends_on).difference(absolute))
    stats = [_stat_result(path) for path in (*absolute, *extra)]
    if any(stat is not None and stat.st_ctime_ns > started_ns - SETTLED_NS for stat in stats):
        return
    from .files import write_new

    name = os.path.join(folder, _name(key))
    try:
        err = printed.err.encode("utf-8", "surrogatepass")
        output = b"" if printed.output is None else b"=" + os.fsencode(printed.output)
        fields = [_MAGIC, __version__.encode(), key.encode("utf-8", "surrogatepass"), output, *(b"%d" % n for n in (
            printed.status, len(printed.out), len(err), len(extra), len(stats)))]
        for path in extra:
            fields.append(os.fsencode(path))
        fields += (_row(stat).encode("ascii") for stat in stats)
        prepare(folder)
        write_new(name + REPORT, b"\0".join(fields) + b"\0" + printed.out + err)
        written = os.stat(name + REPORT)
        write_new(name + _PIN, _pin(written))
        prune(folder, REPORT, _PIN)
    except (OSError, UnicodeEncodeError):
        return


def command_key(argv: Sequence[str]) -> str:
    """Which record ``by_command`` replays: the arguments, the folder, the environment that can
    change what is printed, and the versions of the tool and of Python."""
    environment = sorted((name, value) for name, value in os.environ.items() if name in _ENVIRONMENT or name.startswith("GIT_"))
    terminals = tuple(stream is not None and stream.isatty() for stream in (sys.stdout, sys.stderr))
    return repr((__version__, sys.version, list(argv), os.getcwd(), environment, terminals))


def _name(key: str) -> str:
    return f"{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}"


def _stat(path: str) -> str:
    return _row(_stat_result(path))


def _stat_result(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _row(stat: os.stat_result | None) -> str:
    if stat is None:
        return "-"
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino} {stat.st_mode}"


def _pin(written: os.stat_result) -> bytes:
    return f"{written.st_ino} {written.st_ctime_ns} {written.st_size}".encode("ascii")


def _own(owner: int) -> bool:
    """Whether a file belongs to this user (another user could have written a pinned record in a
    folder they share, such as the temporary one)."""
    return not hasattr(os, "geteuid") or owner == os.geteuid()


def _load(folder: str, key: str) -> tuple[list[str], list[str], Printed] | None:
    """The record of ``key``: the paths it depends on (but the run's files), the stat of each
    (the run's files first), and the printed report. None when it is missing, not well formed,
    of another key, or not the very file this tool wrote for this user. Fields end with a NUL byte, which
    no path holds: a marker, the version, the key, the report file (``=`` and its path, or
    nothing), the status, the lengths of stdout and stderr, the numbers of paths and of stats,
    the paths, the stats; then stdout and stderr."""
    name = os.path.join(folder, _name(key))
    try:
        with open(name + _PIN, "rb") as handle:
            pinned = handle.read()
            pin_owner = os.fstat(handle.fileno()).st_uid
        with open(name + REPORT, "rb") as handle:
            written = os.fstat(handle.fileno())
            if pinned != _pin(written) or not _own(pin_owner) or not _own(written.st_uid):
                return None
            data = handle.read()
        magic, version, stored, output, *numbers, rest = data.split(b"\0", 9)
        status, out, err, count, rows = map(int, numbers)
        if (magic, version, stored) != (_MAGIC, __version__.encode(), key.encode("utf-8", "surrogatepass")):
            return None
        *fields, printed = rest.split(b"\0", count + rows)
        if len(fields) != count + rows or status not in (0, 1, 2) or out < 0 or err < 0 or out + err != len(printed):
            return None
        paths = [os.fsdecode(field) for field in fields[:count]]
        stats = [field.decode("ascii") for field in fields[count:]]
        where = os.fsdecode(output[1:]) if output.startswith(b"=") else None
        return paths, stats, Printed(printed[:out], printed[out:].decode("utf-8", "surrogatepass"), status, where)
    except (OSError, ValueError):
        return None
