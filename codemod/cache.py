"""The results of a run, kept so that the same run over an unchanged tree parses nothing.

The key is the tool's version, the options that shape the findings, the project's stripe
requirement and the path and content hash of every file of the run: what any file's
analysis may consult (an imported helper, a caller in another module, a settings constant)
is one of them, so editing any file makes the next run a cold one. Only runs over folders
are kept (a run of single files, as pre-commit makes, consults the whole tree around them),
and never ``--write`` runs.

The cache lives in the tree (``.stripe-codemod-cache/`` by default) and is repository
content like any other: it holds JSON only (nothing is unpickled or executed), is read
through the same checks as a report to merge, and is not used at all when git tracks a file
in it (a pull request could commit one to forge a report). It ignores itself in git.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import subprocess
from typing import Any, Sequence

from . import __version__, files
from .engine import FileResult, Run
from .findings import Edit, Finding
from .options import Options
_KEPT_RUNS = 8  # the newest results kept; older ones are removed when a run is stored
# options that change only how the results are shown or written, not what they are
_NOT_IN_KEY = {"mode", "output_format", "output", "exit_zero_even_if_changed", "show_kept", "allow_dirty",
               "write_hard_links", "jobs", "cache_dir"}


def key(paths: Sequence[str], options: Options, requirement: str) -> tuple[str, dict[str, bytes]]:
    """The run's key, and the bytes read for it (an unreadable file counts as its error)."""
    digest = hashlib.sha256()
    sources: dict[str, bytes] = {}
    shaping = {f.name: getattr(options, f.name) for f in dataclasses.fields(options) if f.name not in _NOT_IN_KEY}
    digest.update(f"{__version__}\0{sorted(shaping.items(), key=str)!r}\0{requirement}\0".encode("utf-8", "surrogateescape"))
    for path in paths:
        digest.update(os.fsencode(path) + b"\0")
        try:
            sources[path] = files.read(path).data
        except OSError as error:
            digest.update(f"error {error.errno}".encode())
        else:
            digest.update(hashlib.sha256(sources[path]).digest())
    return digest.hexdigest(), sources


def usable(folder: str) -> bool:
    """Not a symlink, and holding nothing git tracks."""
    if os.path.islink(folder):
        return False
    if not os.path.isdir(folder):
        return True
    try:
        done = subprocess.run(["git", "-C", folder, "ls-files", "--", "."], capture_output=True, check=False)
    except OSError:
        return True
    return not done.stdout.strip()


def load(folder: str, run_key: str, paths: Sequence[str], sources: dict[str, bytes]) -> Run | None:
    """The stored run for ``run_key`` (``sources``: the files' bytes read for the key), or None
    (missing, unreadable or not well formed)."""
    try:
        with open(os.path.join(folder, f"{run_key}.json"), encoding="utf-8") as handle:
            document = json.load(handle)
        results = []
        for entry in document["results"]:
            path = paths[_int(entry["index"])]
            source = sources.get(path, b"")  # an unreadable file's result is its error
            output = base64.b64decode(entry["output"], validate=True) if entry["output"] is not None else source
            results.append(FileResult(
                files.display_path(path), source, output, _str(entry["encoding"]),
                tuple(_finding(f) for f in entry["findings"]),
                _str(entry["error"]) if entry["error"] is not None else None,
            ))
        return Run(tuple(results), _int(document["scanned"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None


def store(folder: str, run_key: str, paths: Sequence[str], run: Run) -> None:
    """Keep ``run`` under ``run_key``; a cache that cannot be written is no error (the next run is cold)."""
    index = {files.display_path(path): n for n, path in enumerate(paths)}
    try:
        document = {"version": __version__, "scanned": run.scanned, "results": [
            {"index": index[r.path], "encoding": r.encoding, "error": r.error,
             "output": base64.b64encode(r.output).decode("ascii") if r.changed else None,
             "findings": [_plain(f) for f in r.findings]}
            for r in run.results
        ]}
        os.makedirs(folder, exist_ok=True)
        ignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(ignore):
            files.write_new(ignore, b"# written by stripe-codemod: the results cache is never committed\n*\n")
        files.write_new(os.path.join(folder, f"{run_key}.json"), json.dumps(document, ensure_ascii=True).encode("ascii"))
        stored = sorted((entry for entry in os.scandir(folder) if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False)),
                        key=lambda entry: entry.stat(follow_symlinks=False).st_mtime_ns)
        for old in stored[:-_KEPT_RUNS]:
            os.unlink(old.path)
    except (OSError, KeyError, UnicodeEncodeError):
        return


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
