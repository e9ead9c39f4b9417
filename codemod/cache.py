"""The results cache: each checked file's result, kept with what its analysis consulted, so that
the next run over the tree checks again only the files that changed and those that depend on them.

An entry holds one file's result and its trail (``Project.follow``): the content hashes of the
modules its analysis read (an imported helper, a ``conftest.py``, a settings module, or one
that was absent), the imports it resolved, and the functions whose callers it looked for. A
run reuses an entry when the file and everything on its trail are unchanged, no import would
now find another file, and no changed file may call one of those functions; every other
candidate is checked again, with the whole tree around it as before. A file that was no
candidate and has not changed has nothing to say.

Every file's hash is kept with its size, mtime and inode, so that a warm run reads only the
files whose results it shows and those whose stat changed. A stat is trusted only when the
file had not been modified for two seconds when it was taken: a write in the same clock tick
could hide behind it.

The cache lives in the tree (``.stripe-codemod-cache/`` by default, ``codemod.cache_folder``)
and is repository content like any other: it holds JSON only (nothing is unpickled or
executed), is read through the same checks as a report to merge, and is not used at all when
git tracks a file in it. Runs over single files (a pre-commit hook: they consult the whole
tree around them) and ``--write`` runs are not kept. A run whose files all kept their stat
does not get here: its printed report is replayed (``codemod.replay``).
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

from . import __version__, files
from .engine import FileResult
from .findings import Edit, Finding
from .options import Options
from .cache_folder import RESULTS, SETTLED_NS, prepare, prune
from .dependencies import Trail, called_names, find_module, is_settings

# options that change only how the results are shown or written, not what they are
_NOT_IN_KEY = {"mode", "output_format", "output", "exit_zero_even_if_changed", "show_kept", "allow_dirty",
               "write_hard_links", "jobs", "cache_dir"}
Row = list[Any]  # [size, mtime_ns, inode, hash, when the stat was taken (ns)]


def run_key(options: Options, requirement: str) -> str:
    """Which stored run a run can reuse: the tool's and Python's versions (which syntax parses),
    the options that shape the findings, the project's stripe requirement and the paths it was given."""
    shaping = {f.name: getattr(options, f.name) for f in dataclasses.fields(options) if f.name not in _NOT_IN_KEY}
    text = f"{__version__}\0{sys.version}\0{sorted(shaping.items(), key=str)!r}\0{requirement}\0{sorted(map(os.path.abspath, options.paths))!r}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class Hashes:
    """Content hashes by absolute path: the stored one while the file's stat is the same, else
    the file is read again (its bytes are kept only when asked for)."""

    def __init__(self, stored: dict[str, Row]) -> None:
        self._stored = stored
        self.rows: dict[str, Row | None] = {}
        self.data: dict[str, bytes] = {}
        self.renewed = False  # some file's row is not the stored one

    def of(self, path: str) -> str | None:
        """The hash of the file's bytes now; None when it is absent or cannot be read."""
        if path not in self.rows:
            self.rows[path] = self._row(path)
        row = self.rows[path]
        return row[3] if row is not None else None

    def bytes_of(self, path: str) -> bytes | None:
        """The file's bytes, provided they still have the hash known for them."""
        if path not in self.data:
            try:
                data = files.read(path).data
            except OSError:
                return None
            if files.content_hash(data) != self.of(path):
                return None
            self.data[path] = data
        return self.data[path]

    def _row(self, path: str) -> Row | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stored = self._stored.get(path)
        if stored is not None and stored[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino] \
                and stored[4] - stat.st_mtime_ns > SETTLED_NS:
            return stored
        taken = time.time_ns()
        try:
            data = files.read(path).data
        except OSError:
            return None
        self.renewed = True
        return [stat.st_size, stat.st_mtime_ns, stat.st_ino, files.content_hash(data), taken]


@dataclass
class Plan:
    """What a run takes from the cache, and what it must check again."""

    folder: str
    key: str
    paths: list[str]  # the run's files, absolute
    reused: dict[int, FileResult] = field(default_factory=dict)  # by index in the run
    check: list[int] = field(default_factory=list)
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # the entries still true
    entries: int = 0  # how many were stored
    moved: bool = False  # files were added to the run or left it
    hashes: Hashes = field(default_factory=lambda: Hashes({}))


def plan(folder: str, key: str, paths: Sequence[str]) -> Plan:
    """Which files' stored results still hold; the others are to be checked."""
    absolute = [os.path.abspath(path) for path in paths]
    stored = _load(folder, key)
    before: set[str] = set(stored["run"]) if stored else set()
    rows: dict[str, Row] = stored["files"] if stored else {}
    entries: dict[str, dict[str, Any]] = stored["entries"] if stored else {}
    found = Plan(folder, key, absolute, hashes=Hashes(rows), entries=len(entries))
    hashes = found.hashes
    now = {path: hashes.of(path) for path in absolute}
    changed = [path for path in absolute if now[path] is None or path not in before or now[path] != rows.get(path, [None] * 4)[3]]
    gone = before.difference(absolute)
    moved = found.moved = bool(gone) or any(path not in before for path in absolute)
    changed_set = set(changed)
    calls = _Calls(changed, hashes)
    settings = any(is_settings(path) for path in (*changed, *gone))
    for index, path in enumerate(absolute):
        if path in changed_set:
            found.check.append(index)
            continue
        entry = entries.get(path)
        if entry is None:
            continue  # no candidate then, and the same bytes now: nothing to say
        result = _holds(entry, hashes, moved, calls, settings) and _result(paths[index], path, entry, hashes)
        if result:
            found.reused[index] = result
            found.kept[path] = entry
        else:
            found.check.append(index)
    return found


class _Calls:
    """The changed files, and what each calls now (``naming`` looks among them, and more, for
    callers), worked out for a file only when a function's module is named in it."""

    def __init__(self, changed: list[str], hashes: Hashes) -> None:
        self._changed = changed
        self._hashes = hashes
        self._names: dict[str, set[str]] = {}

    def may_call(self, name: str, stem: str) -> bool:
        for path in self._changed:
            data = self._hashes.bytes_of(path)
            if data is None:  # gone, or changed again while the run looks: it may call anything
                return self._hashes.of(path) is not None
            if os.fsencode(stem) in data:
                if path not in self._names:
                    self._names[path] = called_names(data)
                if name in self._names[path]:
                    return True
        return False


def _holds(entry: dict[str, Any], hashes: Hashes, moved: bool, calls: _Calls, settings: bool) -> bool:
    """Whether what an entry's analysis consulted is as it was."""
    if any(hashes.of(path) != digest for path, digest in entry["reads"].items()):
        return False
    if moved and any(find_module(folder, module, level) != path for folder, module, level, path in entry["finds"]):
        return False
    if any(calls.may_call(name, stem) for name, stem in entry["callers"]):
        return False  # a changed file may call it now
    return not (settings and entry["settings"])


def _result(shown: str, path: str, entry: dict[str, Any], hashes: Hashes) -> FileResult | None:
    """The stored result of a file, with its bytes as they are (None: they cannot be read now)."""
    try:
        item = entry["result"]
        source = hashes.bytes_of(path)
        if source is None:
            return None
        output = base64.b64decode(item["output"], validate=True) if item["output"] is not None else source
        return FileResult(
            files.display_path(shown), source, output, _str(item["encoding"]),
            tuple(_finding(f) for f in item["findings"]),
            _str(item["error"]) if item["error"] is not None else None,
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def store(found: Plan, fresh: dict[int, FileResult]) -> frozenset[str]:
    """Keep the entries still true and those of the files checked now; a cache that cannot be
    written is no error (the next run is cold). Returns the files the run's analyses consulted."""
    entries = dict(found.kept)
    for index, result in fresh.items():
        if result.trail is not None:  # a candidate (a file that could not be read has none)
            entries[found.paths[index]] = _entry(result, result.trail)
    consulted = frozenset(path for entry in entries.values() for path in entry["reads"])
    if not fresh and not found.moved and not found.hashes.renewed and len(found.kept) == found.entries:
        return consulted  # what is stored is what it would store
    rows = {path: found.hashes.rows[path] for path in (*found.paths, *consulted)
            if found.hashes.of(path) is not None}
    document = {"version": __version__, "run": found.paths, "files": rows, "entries": entries}
    try:
        prepare(found.folder)
        files.write_new(os.path.join(found.folder, f"{found.key}{RESULTS}"), json.dumps(document, ensure_ascii=True).encode("ascii"))
        prune(found.folder, RESULTS)
    except (OSError, UnicodeEncodeError):
        pass
    return consulted


def _entry(result: FileResult, trail: Trail) -> dict[str, Any]:
    return {
        "result": {"encoding": result.encoding, "error": result.error,
                   "output": base64.b64encode(result.output).decode("ascii") if result.changed else None,
                   "findings": [_plain(f) for f in result.findings]},
        "reads": trail.reads,
        "finds": [[folder, module, level, path] for (folder, module, level), path in sorted(trail.finds.items())],
        "callers": sorted(trail.callers),
        "settings": trail.settings,
    }


def _load(folder: str, key: str) -> dict[str, Any] | None:
    """The stored run, checked for shape (missing, unreadable or not well formed: None)."""
    try:
        with open(os.path.join(folder, f"{key}{RESULTS}"), encoding="utf-8") as handle:
            document = json.load(handle)
        if document["version"] != __version__:
            return None
        for path in document["run"]:
            _str(path)
        for path, row in document["files"].items():
            if not (isinstance(row, list) and len(row) == 5 and all(isinstance(v, int) for v in row[:3])
                    and isinstance(row[4], int)):
                raise ValueError("not a stat")
            _str(row[3])
        for path, entry in document["entries"].items():
            for read, digest in entry["reads"].items():
                if digest is not None:
                    _str(digest)
            for folder_, module, level, found in entry["finds"]:
                _str(folder_), _str(module), _int(level)
                if found is not None:
                    _str(found)
            entry["callers"] = [(_str(name), _str(stem)) for name, stem in entry["callers"]]
            entry["settings"] = bool(entry["settings"])
        return document  # type: ignore[no-any-return]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _plain(f: Finding) -> dict[str, Any]:
    item = dataclasses.asdict(f)
    item["edits"] = [[list(e.start), list(e.end), e.old, e.new] for e in f.edits]
    return item


def _finding(item: dict[str, Any]) -> Finding:
    edits = tuple(Edit((_int(s[0]), _int(s[1])), (_int(e[0]), _int(e[1])), _str(old), _str(new))
                  for s, e, old, new in item["edits"])
    return Finding(
        _str(item["code"]), _int(item["line"]), _int(item["col"]), _int(item["end_line"]), _int(item["end_col"]),
        _str(item["message"]), _str(item["why"]), _str(item["confidence"]), bool(item["safe"]), edits,
        _str(item["status"]), tuple(map(_str, item["supersedes"])), tuple(map(_str, item["absorbs"])),
    )


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not an integer")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value
