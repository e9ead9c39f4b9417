"""A whole run: read every file, keep the few that can have findings, analyse them.

The files are dealt out to a few forked worker processes (or checked in this process when
they are few, as in a pre-commit run), in two rounds: the workers read and pre-filter
interleaved shares of the files, then analyse the candidates, the largest first in shares
that shrink towards the end (so that no worker is left with a long one while the others wait),
each worker knowing which files of the run never mention Stripe and keeping its own cache of
the project's modules. LibCST is loaded once, here, while the first round runs. Results come
back in the order of the paths, whatever the number of workers. A worker that dies costs its
own file only.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import sys
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from . import engine, files, records, replay
from .cache_folder import usable
from .dependencies import Callers, module_stem
from .engine import FileResult, Run
from .options import Options
from .prefilter import mentions_stripe

SPLIT_FROM = 16  # fewer files than this are checked in this process: workers cost their start-up
# a file this large is checked in a process of its own even then: its analysis can take a few
# hundred times its size in memory, and an out-of-memory kill must cost that file, not the run
ISOLATE_FROM = 1_000_000
if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .cache import Plan

Item = tuple[int, str]
_R = TypeVar("_R")
Progress = Callable[[int, int], None]

_project = None  # a worker's cache of the project's modules, kept across the shares it checks


@dataclasses.dataclass(frozen=True)
class _Round:
    """What the workers of the second round inherit (forked once it is set): every file of the
    run, those that never mention Stripe, and where the calls of a function may be."""
    run_paths: Sequence[str]
    unrelated: list[str]
    callers: Optional[list[Callers]]  # each worker's index of the files it read in the first round


_round: Optional[_Round] = None


def run(paths: Sequence[str], options: Options, progress: Optional[Progress] = None) -> Run:
    """Every file's result. With the results cache, only the files that changed, or whose
    analysis consulted one that did, are checked; the others' results are the stored ones."""
    global _project
    _project = None  # what an earlier run in this process learnt is not this run's
    found = _plan(paths, options)
    if found is None:
        results = _check(paths, range(len(paths)), options, progress)
        consulted: frozenset[str] = frozenset()
    else:
        from .cache import store

        results = _check(paths, found.check, options, progress)
        consulted = store(found, results)
        results.update(found.reused)
    kept = (results[i] for i in sorted(results))
    return Run(tuple(r for r in kept if r.findings or r.error or r.changed), len(paths), consulted)


def _plan(paths: Sequence[str], options: Options) -> Plan | None:
    """What the cache holds for a cacheable run: over folders, not writing, with a cache folder
    that can be trusted (a run without it, such as a pre-commit run, does not load it)."""
    if options.cache_dir is None or not replay.applies(options) or not usable(options.cache_dir):
        return None
    from . import cache
    from .requirements import project_requirement

    requirement = project_requirement(options.start_folder, options.config_folder)
    return cache.plan(options.cache_dir, cache.run_key(options, repr(requirement)), paths)


def _check(paths: Sequence[str], indices: Iterable[int], options: Options,
           progress: Optional[Progress] = None) -> dict[int, FileResult]:
    """The results of the files at ``indices`` (every candidate's, even without findings), the
    run's other files around them."""
    items = [(index, paths[index]) for index in indices]
    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(items) >= SPLIT_FROM and sys.platform != "win32":
        return _in_workers(items, options, jobs, paths, progress)
    large = [item for item in items if _size(item[1]) >= ISOLATE_FROM] if sys.platform != "win32" else []
    results = check_share([item for item in items if item not in large], options, paths)
    for item in large:
        results.update(_alone(item, options, paths))
    return results


def check_share(items: Sequence[Item], options: Options, run_paths: Sequence[str] = (),
                unrelated: Sequence[str] = ()) -> dict[int, FileResult]:
    """Read and pre-filter each file; analyse the candidates (LibCST is loaded only for them).

    ``run_paths`` are all the files of the run, where the calls of a function are looked for
    (by default, this share's); ``unrelated``: those known not to mention Stripe, as absolute
    paths (no caller is looked for there, so they are not read again)."""
    global _project
    results: dict[int, FileResult] = {}
    candidates = []
    sources: dict[str, bytes] = {}
    silent = list(unrelated)
    for index, path in items:
        try:
            snapshot = files.read(path)
        except OSError as error:
            results[index] = engine.read_error(path, error)
            continue
        stripe = mentions_stripe(snapshot.data)
        if stripe:
            sources[os.path.abspath(path)] = snapshot.data
        else:
            silent.append(os.path.abspath(path))
        if engine.worth_checking(path, snapshot.data, options, stripe):
            candidates.append((index, path, snapshot))
    if candidates:
        from .provenance import Project

        quick = not options.shows_edits
        if _project is None or _project.quick != quick:
            _project = Project(quick=quick)
        files_only = all(os.path.isfile(path) for path in options.paths)  # a pre-commit run: the tree is its project's
        _project.know_run(list(run_paths) or [path for _, path in items],
                          (options.tree_folder, options.exclude) if files_only else None)
        if _round is not None and _round.callers is not None and not files_only:
            _project.know_callers(_round.callers)
        _project.remember(sources, silent)
        for index, path, snapshot in candidates:
            trail = _project.follow(path, record=options.cache_dir is not None)  # only the cache reads it
            results[index] = records.replace(engine.check_snapshot(path, snapshot, options, _project), trail=trail)
    return results


@dataclasses.dataclass(frozen=True)
class Scan:
    """What reading and pre-filtering a share found: the files that need a check of their own
    (candidates, and those that could not be read) with their sizes, and those that never mention
    Stripe (as absolute paths, what the analysis knows files by)."""
    to_check: list[tuple[Item, int]]
    unrelated: list[str]
    callers: Optional[Callers] = None


def scan_share(items: Sequence[Item], options: Options, stems: Optional[frozenset[str]] = None) -> Scan:
    """``stems``: the names of the run's modules; given, the share's modules that mention Stripe
    are also indexed by the names they call and contain (``Callers``)."""
    to_check, unrelated = [], []
    callers = Callers(stems) if stems is not None else None
    for index, path in items:
        try:
            data = files.read(path).data
        except OSError:
            to_check.append(((index, path), 0))  # its check reports it
            continue
        stripe = mentions_stripe(data)
        if engine.worth_checking(path, data, options, stripe):
            to_check.append(((index, path), len(data)))
        elif not stripe:
            unrelated.append(os.path.abspath(path))
        if stripe and callers is not None and path.endswith(".py"):
            callers.add(os.path.abspath(path), data)
    return Scan(to_check, unrelated, callers)


def _in_workers(items: list[Item], options: Options, jobs: int, run_paths: Sequence[str],
                progress: Optional[Progress]) -> dict[int, FileResult]:
    """Two rounds over the workers: every file read and pre-filtered, then the candidates
    analysed, each worker knowing which files of the whole run never mention Stripe (else
    each would read them all again, looking for callers). This process loads the analysis
    while the first round runs, once for all the workers of the second (a tree that turns out
    to hold no candidate pays for it: a few hundredths of a second, on an idle CPU if any)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    done: dict[int, FileResult] = {}
    checked = 0

    def report(count: int) -> None:
        nonlocal checked
        checked += count
        if progress:
            progress(checked, len(items))

    global _round
    count = min(len(items), jobs * 4)
    shares = [items[k::count] for k in range(count)]  # interleaved: the costly files spread out
    # every file of the run read in this round: it also finds where calls may be, for all workers
    stems = frozenset(module_stem(os.path.abspath(p)) for p in run_paths if p.endswith(".py")) if len(items) == len(run_paths) else None
    try:
        sized: list[tuple[Item, int]] = []
        unrelated: list[str] = []
        callers: Optional[list[Callers]] = [] if stems is not None else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for k, scan in _dealt(pool, scan_share, shares, options, stems, meanwhile=_load_analysis):
                found = scan.to_check if scan is not None else [(item, _size(item[1])) for item in shares[k]]  # a dead worker: check them all
                sized += found
                unrelated += scan.unrelated if scan is not None else ()
                if callers is not None and scan is not None and scan.callers is not None:
                    callers.append(scan.callers)
                elif callers is not None:  # a share no worker read: each worker of the second round looks again
                    callers = None
                report(len(shares[k]) - len(found))
        _round = _Round(run_paths, unrelated, callers)
        failed: list[Item] = []
        candidates = largest_first(sized, jobs)
        gc.freeze()  # what the workers inherit is left out of their collections: its pages stay shared, unread
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for k, results in _dealt(pool, _check_dealt, candidates, options):
                if results is not None:
                    done.update(results)
                else:
                    failed += candidates[k]
                report(len(candidates[k]))
    except OSError:  # no process could be forked (a process limit): this process checks what is left
        left = [item for item in items if item[0] not in done]
        done.update(check_share(left, options, run_paths))
        return done
    else:
        for item in sorted(failed):  # one file at a time, so that a crash is pinned on its own file
            done.update(_alone(item, options, run_paths))
        return done
    finally:
        gc.unfreeze()
        _round = None  # this run's: no later run in this process may take it for its own


def largest_first(sized: Sequence[tuple[Item, int]], jobs: int, smallest: int = 4) -> list[list[Item]]:
    """The files by decreasing size, in shares of decreasing length: each a ``2 * jobs``-th of
    what is left (at least ``smallest``). The workers take them in turn, so the last ones to be
    handed out are short, and every worker ends at about the same time."""
    ordered = [item for item, _ in sorted(sized, key=lambda entry: (-entry[1], entry[0]))]
    shares = []
    while ordered:
        length = max(smallest, -(-len(ordered) // (2 * jobs)))
        shares.append(ordered[:length])
        del ordered[:length]
    return shares


def _check_dealt(items: Sequence[Item], options: Options) -> dict[int, FileResult]:
    """``check_share`` in a worker of the second round, with what it inherited of the run."""
    assert _round is not None
    return check_share(items, options, _round.run_paths, _round.unrelated)


def _load_analysis() -> None:
    """Import the analysis (the workers forked after this inherit it), with the cycle collector
    paused: the import makes thousands of classes and functions and no garbage, and this process
    waits for nothing else before the second round."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from . import provenance  # noqa: F401
    finally:
        if enabled:
            gc.enable()


def _dealt(pool: Executor, function: Callable[..., _R], shares: Sequence[list[Item]], *args: object,
           meanwhile: Optional[Callable[[], None]] = None) -> Iterator[tuple[int, Optional[_R]]]:
    """``(k, result)`` of ``function(shares[k], *args)`` for each share, as they complete
    (``meanwhile`` runs once they are all handed out); the result is ``None`` for a share whose
    worker died (then every later share fails too: each is retried on its own)."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    try:
        futures = {pool.submit(function, share, *args): k for k, share in enumerate(shares)}
    except BrokenProcessPool:
        yield from ((k, None) for k in range(len(shares)))
        return
    if meanwhile is not None:
        meanwhile()
    for future in as_completed(futures):
        try:
            yield futures[future], future.result()
        except BrokenProcessPool:
            yield futures[future], None


def _alone(item: Item, options: Options, run_paths: Sequence[str]) -> dict[int, FileResult]:
    """Check one file in a forked process, so that its crash (or an out-of-memory kill) is its own."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            try:
                return pool.submit(check_share, [item], options, run_paths).result()
            except BrokenProcessPool:
                index, path = item
                return {index: FileResult(files.display_path(path),
                                          error="the process checking this file died (out of memory?); file left as it is")}
    except OSError:  # no process can be forked: this one checks it
        return check_share([item], options, run_paths)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # check_share reports it


class ProgressLine:
    """``[1200/3200] files checked`` on stderr, on a terminal only, never under pre-commit or CI."""

    def __init__(self, stream=None) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream or sys.stderr  # the one in effect now, not when this module was loaded
        self.shown = False

    @staticmethod
    def wanted(stream=None) -> bool:  # type: ignore[no-untyped-def]
        stream = stream or sys.stderr
        quiet = os.environ.get("PRE_COMMIT") or os.environ.get("CI") or os.environ.get("NO_PROGRESS")
        return not quiet and hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total >= 500:
            self.stream.write(f"\r[{done}/{total}] files checked")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
