"""A whole run: read each file once, keep the few that can have findings, analyse them.

Reading and the byte pre-filter happen here, in the parent process; they cost about what
listing the files costs. The candidates are analysed in this process when there are few
(a pre-commit run passes one or two), else in a pool of worker processes, each keeping its
own cache of the project's modules. Results come back in the order of the paths, whatever
the number of workers. A worker that dies costs its own file only.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Optional, Sequence

from . import engine, files
from .engine import FileResult, Run
from .options import Options
from .prefilter import mentions_stripe

POOL_FROM = 16  # fewer candidates than this are analysed in-process: a pool costs its start-up
Candidate = tuple[int, str, files.Snapshot]
Progress = Callable[[int, int], None]

_shared: dict[str, bytes] = {}  # what a worker inherits: the Stripe-mentioning sources already read


def run(paths: Sequence[str], options: Options, progress: Optional[Progress] = None) -> Run:
    results: dict[int, FileResult] = {}
    candidates: list[Candidate] = []
    sources: dict[str, bytes] = {}
    for index, path in enumerate(paths):
        try:
            snapshot = files.read(path)
        except OSError as error:
            results[index] = engine.read_error(path, error)
            continue
        if mentions_stripe(snapshot.data):
            sources[os.path.abspath(path)] = snapshot.data
        if engine.worth_checking(path, snapshot.data, options):
            candidates.append((index, path, snapshot))
    results.update(_analyse(candidates, options, sources, progress))
    kept = (results[i] for i in sorted(results))
    return Run(tuple(r for r in kept if r.findings or r.error or r.changed), len(paths))


def _analyse(candidates: list[Candidate], options: Options, sources: dict[str, bytes],
             progress: Optional[Progress]) -> dict[int, FileResult]:
    jobs = options.jobs or os.cpu_count() or 1
    if jobs > 1 and len(candidates) >= POOL_FROM and "fork" in multiprocessing.get_all_start_methods():
        return _in_pool(candidates, options, sources, jobs, progress)
    from .provenance import Project

    project = Project(sources)
    done = {}
    for count, (index, path, snapshot) in enumerate(candidates, 1):
        done[index] = engine.check_snapshot(path, snapshot, options, project)
        if progress:
            progress(count, len(candidates))
    return done


def _in_pool(candidates: list[Candidate], options: Options, sources: dict[str, bytes], jobs: int,
             progress: Optional[Progress]) -> dict[int, FileResult]:
    global _shared
    _shared = sources  # inherited by the forked workers, never pickled
    batches = [candidates[i::jobs * 2] for i in range(jobs * 2)]
    done: dict[int, FileResult] = {}
    failed: list[Candidate] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(_work, batch, options): batch for batch in batches if batch}
        for future in as_completed(futures):
            try:
                done.update(future.result())
            except BrokenProcessPool:
                failed.extend(futures[future])
            if progress:
                progress(len(done), len(candidates))
    for candidate in failed:  # one at a time, so that a crash is pinned on its own file
        done.update(_alone(candidate, options))
    return done


def _work(batch: list[Candidate], options: Options) -> dict[int, FileResult]:
    from .provenance import Project

    project = Project(_shared)
    return {index: engine.check_snapshot(path, snapshot, options, project) for index, path, snapshot in batch}


def _alone(candidate: Candidate, options: Options) -> dict[int, FileResult]:
    index, path, snapshot = candidate
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(_work, [candidate], options).result()
        except BrokenProcessPool:
            shown = engine.display_path(path)
            return {index: FileResult(shown, snapshot.data, snapshot.data,
                                      error="the worker process analysing this file died; file left as it is",
                                      snapshot=snapshot)}


class ProgressLine:
    """``[120/800] analysing`` on stderr, on a terminal only, never under pre-commit or CI."""

    def __init__(self, stream=sys.stderr) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream
        self.shown = False

    @staticmethod
    def wanted(stream=sys.stderr) -> bool:  # type: ignore[no-untyped-def]
        quiet = os.environ.get("PRE_COMMIT") or os.environ.get("CI") or os.environ.get("NO_PROGRESS")
        return not quiet and hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total >= 50:
            self.stream.write(f"\r[{done}/{total}] analysing")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
