"""The command line: arguments -> Options -> a run -> outputs and an exit status."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import zlib
from typing import TYPE_CHECKING, Iterable, Sequence, TextIO

from . import __version__, records, replay
from . import config as config_file
from .catalog import NEWEST_SDK, version_text
from .discover import MissingPath, find, work_tree
from .cache_folder import DEFAULT_CACHE
from .options import CHECK, DIFF, WRITE, Options
from .registry import INFO
from .report import escape

if TYPE_CHECKING:
    from .engine import Run
    from .report.model import Report, ReportFile

EXIT_CLEAN, EXIT_PENDING, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "markdown", "sarif", "github")


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
    mode.add_argument("--diff", action="store_true", help="show the fixes as a unified diff, write nothing (the default)")
    mode.add_argument("--fix-only", action="store_true", help="apply the fixes and report only them (implies --write)")
    parser.add_argument("--format", choices=FORMATS, dest="output_format", help="report format (default: text)")
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--select", metavar="CODES", help="only these rules (comma-separated)")
    parser.add_argument("--ignore", metavar="CODES", help="skip these rules (comma-separated)")
    parser.add_argument("--exclude", metavar="GLOB", action="append", default=[], help="extra excludes (repeatable)")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also show and apply unsafe fixes (SB002 balance transactions)")
    parser.add_argument("--currency", metavar="CODE",
                        help="currency of balance transactions when none can be derived from the code")
    parser.add_argument("--target-sdk", metavar="VERSION",
                        help="stripe-python release the SDK-surface rules (SB2xx) aim at "
                             f"(default: {version_text(NEWEST_SDK)}, the newest the catalog knows)")
    parser.add_argument("--allow-dirty", action="store_true",
                        help="allow --write on a folder of a git work tree with uncommitted changes")
    parser.add_argument("--write-hard-links", action="store_true",
                        help="with --write, also rewrite files that have other hard links (the links then part)")
    parser.add_argument("--show-kept", action="store_true",
                        help="also list the sites proven not to be Stripe data, with the proof")
    parser.add_argument("--include-likely", action="store_true",
                        help="also fix sites that are Stripe data only by name (confidence likely)")
    parser.add_argument("--exit-zero-even-if-changed", action="store_true",
                        help="exit 0 when files changed or fixes are pending")
    parser.add_argument("--fail-on", choices=("fixes", "review"),
                        help="exit 1 on pending or made fixes only, or on review items too "
                             "(default: review; fixes with --write, so a fix hook fails only when it changed files)")
    parser.add_argument("--show-fixes", action="store_true",
                        help="with --write, list every fixed site (default: one line per changed file)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print the findings only, without the summary")
    parser.add_argument("--statistics", action="store_true", help="count the findings per rule instead of listing them")
    parser.add_argument("--stdin-filename", metavar="PATH",
                        help="with - as PATH: check stdin as the file PATH of the project (its imports and callers count)")
    parser.add_argument("--max-report-chars", type=int, metavar="N",
                        help="size of the Markdown report; the rest is folded into a pointer to the full report (default: 60000)")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: the number of CPUs)")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help=f"keep the results of an unchanged tree here (default: {DEFAULT_CACHE})")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the results cache")
    parser.add_argument("--shard", metavar="K/N", help="check only shard K of N (for a CI matrix; see --merge)")
    parser.add_argument("--merge", action="store_true",
                        help="the PATHs are JSON reports (of shards): merge them into one report")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--explain", metavar="CODE", help="show a rule's documentation and exit")
    parser.add_argument("--version", action="version", version=f"stripe-codemod {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else list(argv))
    except KeyboardInterrupt:  # every file is whole: the write in progress was undone
        print("stripe-codemod: interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str]) -> int:
    started = time.time_ns()  # a path written after this (or shortly before) is not trusted by a record
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.list_rules or args.explain:
            return _self_documentation(args)
        options = config_file.options(args, FORMATS)
        if args.merge:
            return _merge(options)
        if options.paths == ("-",):
            return _run_stdin(options)
        found = find(options.paths, options.exclude, requirements=options.rule_enabled("SB100"))
        paths = found.files
    except MissingPath as missing:
        return _usage_error(f"no such file or directory: {missing}")
    except config_file.ConfigError as error:
        return _usage_error(str(error))
    if not paths:
        if all(os.path.isfile(path) for path in options.paths):  # each named file is excluded: ruff's force-exclude
            return EXIT_CLEAN
        return _usage_error(f"no Python files found in: {' '.join(options.paths)}")
    bad_output = _output_problem(options, paths)
    if bad_output is not None:
        return _usage_error(bad_output)
    if options.shard is not None:
        paths = shard(paths, *options.shard)
    notes = tuple(map(_not_looked_into, found.repositories))
    replayable = _replayable(options, paths, notes)
    recorded = replay.lookup(*replayable, paths) if replayable is not None else None
    consulted: Iterable[str]  # the files the analyses read, besides the run's own
    if recorded is not None:
        printed, consulted = recorded
    else:
        run = _checked(options, paths)
        if isinstance(run, int):
            return run
        printed, consulted = _printed(_report(run, options, notes), options), run.consulted
        if replayable is not None:
            replay.record(*replayable, paths, consulted, started, printed)
    if replayable is not None and replay.found_by_command(replayable[0]):
        from .run_inputs import watched

        depends_on = watched(options, paths, consulted)
        replay.record(replayable[0], replay.command_key(argv), (), depends_on, started, printed)
    return _deliver(printed)


def _checked(options: Options, paths: list[str]) -> Run | int:
    """The run over ``paths`` (with ``--write``, its fixes written), or the exit status of a
    ``--write`` that cannot go on."""
    from . import files, runner
    from .write import write_fixes

    with contextlib.ExitStack() as held:
        if options.mode == WRITE:
            try:
                held.enter_context(files.tree_lock(_tree_root(options)))
            except files.Busy as busy:
                return _usage_error(str(busy))
        progress = runner.ProgressLine() if runner.ProgressLine.wanted() else None
        run = runner.run(paths, options, progress)
        if progress is not None:
            progress.close()
        if options.mode != WRITE:
            return run
        dirty = _dirty_files(options, [r.path for r in run.results if r.changed and r.error is None])
        if dirty:
            shown = ", ".join(escape.text(files.display_path(path)) for path in dirty[:3])
            more = f" and {len(dirty) - 3} more" if len(dirty) > 3 else ""
            return _usage_error(
                f"--write would mix its changes with yours: {shown}{more} {'has' if len(dirty) == 1 else 'have'} "
                "uncommitted changes (see git status). Commit or stash them first, so that the migration can be "
                "reviewed and undone on its own, or pass --allow-dirty."
            )
        return write_fixes(run, options.write_hard_links)


def _replayable(options: Options, paths: Sequence[str], notes: tuple[str, ...]) -> tuple[str, str] | None:
    """Where the printed report of a run is kept and under which key once its options are known
    (``codemod.replay``), or None for a run that is never replayed."""
    folder = options.cache_dir
    if folder is None or not replay.applies(options):
        return None
    from .requirements import project_requirement

    requirement = project_requirement(options.start_folder, options.config_folder)
    return folder, replay.options_key(options, paths, notes, repr(requirement), _colour(options))


def _colour(options: Options) -> bool:
    """Whether the text report is coloured."""
    return options.output is None and options.output_format == "text" and use_colour(sys.stderr)


def use_colour(stream: TextIO) -> bool:
    """On a terminal, and never when ``NO_COLOR`` is set."""
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def _not_looked_into(folder: str) -> str:
    from . import files

    return (f"{escape.unicode_path(files.display_path(folder))} is a repository of its own (a git submodule or a nested clone):"
            " its files were not checked; run stripe-codemod inside it")


def _output_problem(options: Options, paths: Sequence[str]) -> str | None:
    """Why ``--output`` cannot take the report, found before any file is written."""
    if options.output is None:
        return None
    target = os.path.realpath(options.output)
    if os.path.isdir(target):
        return f"--output {escape.text(options.output)} is a folder"
    if not os.path.isdir(os.path.dirname(target)):
        return f"--output {escape.text(options.output)}: no such folder"
    if any(os.path.realpath(path) == target for path in paths):
        return f"--output {escape.text(options.output)} is one of the files checked: the report would replace it"
    return None


def _tree_root(options: Options) -> str:
    """The folder a --write run holds against a second one: the git work tree, or the paths' common folder."""
    return work_tree(options.start_folder) or options.start_folder


def shard(paths: list[str], number: int, count: int) -> list[str]:
    """Shard ``number`` of ``count``: the same files on every machine, whatever the order found."""
    from . import files

    return [p for p in paths if zlib.crc32(os.fsencode(files.display_path(p))) % count == number - 1]


def _dirty_files(options: Options, to_write: list[str]) -> list[str]:
    """The files --write would change that have uncommitted changes of their own (or are not
    committed at all): writing them would mix the migration with the user's work. Other changes
    in the tree are left out of it; files named one by one are the user's choice."""
    if not to_write or options.allow_dirty or os.environ.get("PRE_COMMIT") == "1":
        return []
    if all(os.path.isfile(path) for path in options.paths):
        return []
    top = _tree_root(options)
    relative = [os.path.relpath(os.path.abspath(path), top) for path in to_write]
    import subprocess  # like every git command here: loaded only for a --write that needs it

    try:
        done = subprocess.run(["git", "-C", top, "status", "--porcelain", "-z", "--untracked-files=all", "--", *relative],
                              capture_output=True, check=False)
    except OSError:  # no git: nothing to protect
        return []
    if done.returncode != 0:
        return []
    # entries "XY path" (a rename adds its old path as the next entry, which is not one of ours)
    listed = {os.fsdecode(entry[3:]) for entry in done.stdout.split(b"\0") if len(entry) > 3}
    return [path for path, rel in zip(to_write, relative) if rel.replace(os.sep, "/") in listed]


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
    print(f"stripe-codemod: error: {escape.text(message)}", file=sys.stderr)
    return EXIT_ERROR


def _run_stdin(options: Options) -> int:
    from . import engine

    data = sys.stdin.buffer.read()
    named = options.stdin_filename
    if named is None:
        result = engine.check_source("-", data, options)
    else:  # the file of the project it stands for: its imports, and the callers in the rest of the tree, count
        from .provenance import Project

        project = Project({os.path.abspath(named): data}, quick=not options.shows_edits)
        project.know_run([named], (options.tree_folder, options.exclude))
        result = engine.check_source(named, data, options, path=named, project=project)
    if options.output_format == "text" and options.mode != CHECK:
        sys.stdout.buffer.write(result.output)
        sys.stdout.flush()
    keep = result.findings or result.error or result.changed
    run = engine.Run((result,) if keep else (), 1)
    shown = records.replace(options, mode=CHECK) if options.output_format == "text" else options
    return _deliver(_printed(_report(run, shown), shown))


def _report(run: Run, options: Options, notes: tuple[str, ...] = ()) -> Report:
    from .report.model import Report

    diffs = options.output_format in ("json", "markdown") or (options.output_format == "text" and options.mode == DIFF)
    return records.replace(Report.from_run(run, options.mode, diffs), notes=notes)


def sdk_line(report: Report, options: Options) -> str:
    """The project's stripe requirement and the SDK the SDK-surface rules aim at: said when a
    requirement is found or an SDK-surface rule has a finding."""
    from .requirements import project_requirement

    found = project_requirement(options.start_folder, options.config_folder)
    sdk_findings = any(f.code.startswith("SB2") for file in report.files for f in report.shown(file))
    if found is None and not sdk_findings:
        return ""
    target = version_text(options.target_sdk)
    stated = f"stripe requirement `{found.text}` ({found.where})" if found else "no stripe requirement found"
    line = f"{stated}; the SDK-surface rules aim at stripe-python {target} (--target-sdk)"
    if found is not None and not found.allows_from((*options.target_sdk, 0)):
        line += ", which the requirement does not allow: raise it with the migrated code"
    return line


def _printed(report: Report, options: Options) -> replay.Printed:
    """The report in the chosen format, and the exit status."""
    notes = (sdk_line(report, options), *report.notes)  # a merged report has its shards' notes
    report = records.replace(report, notes=tuple(dict.fromkeys(note for note in notes if note)))
    if options.output_format != "text":
        out, err = _rendered(report, options).encode("utf-8"), ""
    else:
        from .report import text

        colour = _colour(options)
        out = b"".join(map(_patch, report.files)) if options.mode == DIFF and not options.statistics else b""
        if options.statistics:
            err = text.statistics(report)
        else:
            err = text.findings(report, colour=colour, kept=options.show_kept, show_fixes=options.show_fixes,
                                fixes_only=options.fix_only)
        err += "" if options.quiet else text.summary(report)
    return replay.Printed(out, err, exit_status(report, options), options.output)


def _rendered(report: Report, options: Options) -> str:
    """The report in a format other than text (only that format's module is imported)."""
    if options.output_format == "markdown":
        from .report import markdown

        return markdown.render(report, options.max_report_chars)
    if options.output_format == "sarif":
        from .report import sarif

        return sarif.render(report)
    if options.output_format == "github":
        from .report import github

        return github.render(report)
    from .report import json_report

    return json_report.render(report)


def _deliver(printed: replay.Printed) -> int:
    """Print a report where it goes; its exit status (2 when the report file cannot be written)."""
    try:
        return replay.deliver(printed)
    except OSError as error:
        if printed.output is None:  # the standard streams' errors are not the report file's
            raise
        return _usage_error(f"cannot write the report to {printed.output}: {error.strerror or error}")


def _patch(file: ReportFile) -> bytes:
    """A file's diff as ``git apply`` takes it: the paths in UTF-8, the lines in the file's own encoding."""
    header, _, body = file.diff.partition("\n+++ ")
    if not body:
        return file.diff.encode("utf-8", "surrogateescape")
    plus, _, lines = body.partition("\n")
    return (f"{header}\n+++ {plus}\n".encode("utf-8", "surrogateescape")
            + lines.encode(file.encoding, "surrogateescape"))


def exit_status(report: Report, options: Options) -> int:
    summary = report.summary
    if summary.errors:
        return EXIT_ERROR
    if summary.review and options.fails_on_review:
        return EXIT_PENDING
    if (summary.fixes or summary.files_changed) and not options.exit_zero_even_if_changed:
        return EXIT_PENDING
    return EXIT_CLEAN


def _merge(options: Options) -> int:
    """``--merge``: one report, in any format, from the JSON reports of several runs (shards)."""
    import json

    from .report.model import Report

    documents = []
    for path in options.paths:
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError, RecursionError) as error:
            return _usage_error(f"{path}: not a JSON report: {error}")
        if not isinstance(document, dict) or document.get("version") != 1:
            return _usage_error(f"{path}: not a stripe-codemod JSON report (schema version 1)")
        documents.append(document)
    try:
        merged = Report.merge(documents)
    except ValueError as error:
        return _usage_error(f"not a stripe-codemod JSON report: {error}")
    options = records.replace(options, mode=CHECK, paths=(".",))  # merged in the checkout
    return _deliver(_printed(merged, options))
