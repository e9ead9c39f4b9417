"""The command line: arguments -> Options -> a run -> outputs and an exit status."""
from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import zlib
from typing import TYPE_CHECKING, Sequence, TextIO

from . import __version__, engine, files, runner
from . import config as config_file
from .registry import CODES, INFO
from .discover import MissingPath, discover
from .engine import FileResult, Run
from .findings import FIXABLE, FIXED
from .options import CHECK, DIFF, WRITE, Options

if TYPE_CHECKING:
    from .report import Report

EXIT_CLEAN, EXIT_PENDING, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "markdown", "sarif", "github")


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stripe-codemod",
        description="Migrate Python code to Stripe API 2019-10-17 (see --list-rules), "
        "only where the code proves it is Stripe data. Dry run by default.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .); - reads stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="apply the fixes in place")
    mode.add_argument("--check", action="store_true", help="report only, without the diff")
    parser.add_argument("--format", choices=FORMATS, dest="output_format", help="report format (default: text)")
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--select", metavar="CODES", help="only these rules (comma-separated)")
    parser.add_argument("--ignore", metavar="CODES", help="skip these rules (comma-separated)")
    parser.add_argument("--exclude", metavar="GLOB", action="append", default=[], help="extra excludes (repeatable)")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also show and apply unsafe fixes (SB002 balance transactions)")
    parser.add_argument("--currency", metavar="CODE",
                        help="currency of balance transactions when none can be derived from the code")
    parser.add_argument("--allow-dirty", action="store_true",
                        help="allow --write on a folder of a git work tree with uncommitted changes")
    parser.add_argument("--include-likely", action="store_true",
                        help="also fix sites that are Stripe data only by name (confidence likely)")
    parser.add_argument("--exit-zero-even-if-changed", action="store_true",
                        help="exit 0 when files changed or fixes are pending")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: the number of CPUs)")
    parser.add_argument("--shard", metavar="K/N", help="check only shard K of N (for a CI matrix; see --merge)")
    parser.add_argument("--merge", action="store_true",
                        help="the PATHs are JSON reports (of shards): merge them into one report")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--explain", metavar="CODE", help="show a rule's documentation and exit")
    parser.add_argument("--version", action="version", version=f"stripe-codemod {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # every file is whole: the write in progress was undone
        print("stripe-codemod: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.list_rules or args.explain:
            return _self_documentation(args)
        options = _options(args)
        if args.merge:
            return _merge(options)
        if options.paths == ("-",):
            return _run_stdin(options)
        paths = discover(options.paths, options.exclude, requirements=options.rule_enabled("SB100"))
    except MissingPath as missing:
        return _usage_error(f"no such file or directory: {missing}")
    except UsageError as error:
        return _usage_error(str(error))
    if not paths:
        return _usage_error(f"no Python files found in: {' '.join(options.paths)}")
    dirty = _dirty_folder(options)
    if dirty is not None:
        return _usage_error(
            f"--write would mix its changes with yours: {dirty} has uncommitted changes (see git status). "
            "Commit or stash them first, so that the migration can be reviewed and undone on its own, "
            "or pass --allow-dirty."
        )
    if options.shard is not None:
        paths = shard(paths, *options.shard)
    progress = runner.ProgressLine() if runner.ProgressLine.wanted() else None
    run = runner.run(paths, options, progress)
    if progress is not None:
        progress.close()
    if options.mode == WRITE:
        run = _write(run)
    return _report(run, options)


def shard(paths: list[str], number: int, count: int) -> list[str]:
    """Shard ``number`` of ``count``: the same files on every machine, whatever the order found."""
    return [p for p in paths if zlib.crc32(files.display_path(p).encode()) % count == number - 1]


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    number, _, count = text.partition("/")
    if not (number.isdigit() and count.isdigit() and 1 <= int(number) <= int(count)):
        raise UsageError(f"--shard takes K/N with 1 <= K <= N, not {text!r}")
    return int(number), int(count)


def _jobs(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise UsageError("--jobs takes a number of worker processes, 1 or more")
    return value


def _dirty_folder(options: Options) -> str | None:
    """A folder to be written that has uncommitted changes; files named one by one are not checked."""
    if options.mode != WRITE or options.allow_dirty or os.environ.get("PRE_COMMIT") == "1":
        return None
    for path in options.paths:
        if os.path.isdir(path):
            try:
                done = subprocess.run(["git", "-C", path, "status", "--porcelain", "--", "."],
                                      capture_output=True, text=True, check=False)
            except OSError:  # no git: nothing to protect
                return None
            if done.returncode == 0 and done.stdout.strip():
                return path
    return None


def _options(args: argparse.Namespace) -> Options:
    """The command line over ``[tool.stripe-codemod]`` over the defaults."""
    paths = tuple(args.paths) or (".",)
    if "-" in paths and len(paths) > 1:
        raise UsageError("- (stdin) cannot be combined with other paths")
    config = _config(paths)
    output_format = args.output_format or config.get("format", "text")
    if output_format not in FORMATS:
        raise UsageError(f"unknown format {output_format!r} (choose from {', '.join(FORMATS)})")
    select = _codes(args.select.split(",")) if args.select else _codes(config.get("select"))
    ignore = _codes(args.ignore.split(",")) if args.ignore else _codes(config.get("ignore"))
    per_file = tuple(
        (glob, _codes(codes) or frozenset()) for glob, codes in config.get("per-file-ignores", {}).items()
    )
    return Options(
        paths=paths,
        mode=WRITE if args.write else CHECK if args.check else DIFF,
        output_format=output_format,
        output=args.output,
        select=select,
        ignore=ignore or frozenset(),
        exclude=(*config.get("exclude", ()), *args.exclude),
        exit_zero_even_if_changed=_flag(args.exit_zero_even_if_changed, config.get("exit-zero-even-if-changed")),
        include_likely=_flag(args.include_likely, config.get("include-likely")),
        allow_dirty=_flag(args.allow_dirty, config.get("allow-dirty")),
        jobs=_jobs(args.jobs if args.jobs is not None else config.get("jobs")),
        shard=_shard(args.shard),
        unsafe_fixes=_flag(args.unsafe_fixes, config.get("unsafe-fixes")),
        currency=_currency(args.currency or config.get("currency")),
        per_file_ignores=per_file,
        config_folder=config.folder,
    )


def _config(paths: tuple[str, ...]) -> config_file.Config:
    start = os.getcwd() if paths == ("-",) else os.path.commonpath([os.path.abspath(p) for p in paths])
    try:
        return config_file.load(config_file.find(start))
    except config_file.ConfigError as error:
        raise UsageError(str(error)) from None


def _codes(items: list[str] | None) -> frozenset[str] | None:
    if items is None:
        return None
    chosen = frozenset(code.strip().upper() for code in items if code.strip())
    unknown = sorted(chosen - set(CODES))
    if unknown:
        raise UsageError(f"unknown rule code: {', '.join(unknown)} (see --list-rules)")
    return chosen


def _currency(code: str | None) -> str | None:
    if code is None:
        return None
    if len(code) != 3 or not code.isalpha():
        raise UsageError(f"--currency takes a three-letter ISO code such as usd, not {code!r}")
    return code.lower()


def _flag(given: bool, configured: bool | None) -> bool:
    return given or bool(configured)


def _self_documentation(args: argparse.Namespace) -> int:
    if args.explain:
        info = INFO.get(args.explain.upper())
        if info is None:
            return _usage_error(f"unknown rule code: {args.explain} (see --list-rules)")
        print(f"{info.code} {info.name} (fix: {info.fix})\n\n{info.doc.strip()}")
        return EXIT_CLEAN
    for info in INFO.values():
        print(f"{info.code}  {info.name:<34} {info.fix:<7} {info.summary}")
    return EXIT_CLEAN


def _usage_error(message: str) -> int:
    print(f"stripe-codemod: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _run_stdin(options: Options) -> int:
    data = sys.stdin.buffer.read()
    result = engine.check_source("-", data, options)
    if options.output_format == "text" and options.mode != CHECK:
        sys.stdout.buffer.write(result.output)
        sys.stdout.flush()
    keep = result.findings or result.error or result.changed
    run = Run((result,) if keep else (), 1)
    return _report(run, dataclasses.replace(options, mode=CHECK) if options.output_format == "text" else options)


def _write(run: Run) -> Run:
    written = []
    for result in run.results:
        if result.changed and result.error is None and result.snapshot is not None:
            try:
                files.write_atomic(result.path, result.output, result.snapshot)
            except files.NotWritten as refused:
                result = _failed(result, str(refused))
            except OSError as error:
                result = _failed(result, f"cannot write: {error.strerror or error}")
            else:
                result = dataclasses.replace(result, findings=tuple(
                    dataclasses.replace(f, status=FIXED) if f.status == FIXABLE and f.is_fix else f
                    for f in result.findings
                ))
        written.append(result)
    return Run(tuple(written), run.scanned)


def _failed(result: FileResult, message: str) -> FileResult:
    return dataclasses.replace(result, output=result.source, error=message)


def _report(run: Run, options: Options) -> int:
    from .report import Report

    return _emit(Report.from_run(run, options.mode), options)


def _emit(report: Report, options: Options) -> int:
    """Write the report in the chosen format, and say what the exit status is."""
    from .report import github, json_report, markdown, sarif, text

    renderers = {"json": json_report.render, "markdown": markdown.render, "sarif": sarif.render, "github": github.render}
    out: TextIO = sys.stdout
    err: TextIO = sys.stderr
    handle = open(options.output, "w", encoding="utf-8") if options.output else None
    try:
        if handle is not None:
            out = err = handle
        if options.output_format in renderers:
            out.write(renderers[options.output_format](report))
        else:
            if options.mode == DIFF:
                out.write("".join(file.diff for file in report.files))
                out.flush()
            err.write(text.findings(report, colour=text.use_colour(err)))
            err.write(text.summary(report))
    finally:
        if handle is not None:
            handle.close()
    return exit_status(report, options)


def exit_status(report: Report, options: Options) -> int:
    summary = report.summary
    if summary.errors:
        return EXIT_ERROR
    if summary.review:
        return EXIT_PENDING
    if (summary.fixes or summary.files_changed) and not options.exit_zero_even_if_changed:
        return EXIT_PENDING
    return EXIT_CLEAN


def _merge(options: Options) -> int:
    """``--merge``: one report, in any format, from the JSON reports of several runs (shards)."""
    import json

    from .report import Report

    documents = []
    for path in options.paths:
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            return _usage_error(f"{path}: not a JSON report: {error}")
        if not isinstance(document, dict) or document.get("version") != 1:
            return _usage_error(f"{path}: not a stripe-codemod JSON report (schema version 1)")
        documents.append(document)
    return _emit(Report.merge(documents), dataclasses.replace(options, mode=CHECK))
