"""Score stripe-codemod on a labelled real-world corpus.

usage: python benchmarks/realworld.py --corpus realworld.json --root SNAPSHOTS [--unsafe-fixes]

``realworld.json`` labels every ``account_balance`` occurrence in files of public
repositories pinned to commits (format: the corpus README). ``SNAPSHOTS`` holds one
``<owner>+<name>/repo`` git directory (bare or with a work tree) per repository.

For every (repository, commit) the Python files of that commit are exported to a temporary
folder, the codemod runs there in dry-run mode with ``--format json`` on the labelled files,
and each labelled occurrence is scored at its position (1-based column = ``col + 1``):

* rename/convert occurrence renamed (an SB001 fix at its position): true positive;
* keep occurrence changed: false positive;
* rename/convert occurrence not renamed: a miss, "flagged" when a review finding (SB900, or
  SB001 of confidence likely) points at it and "silent" otherwise;
* a review finding at a keep occurrence is review noise ("review on keep");
* a case marked ``"parses": false`` (a file Python cannot parse, so nothing in it is changed)
  is scored apart: a rename occurrence reported for review there is handled ("unparsed:
  reported"), one not reported is a silent miss, and a review at a keep occurrence there is
  counted as "unparsed: review on keep";
* ambiguous occurrences are counted apart; fixes at unlabelled positions are listed.

With ``--unsafe-fixes`` the balance-transaction conversion (SB002) is on too: a ``convert``
occurrence counts as converted when an SB002 fix rewrites its line, and an SB002 fix on the
line of any other occurrence is a conversion false positive.

With ``--both-trees`` each exported commit is also checked whole, twice, in SARIF: with
``--check`` (trees built from CPython's, ``codemod/ast_tree.py``) and with ``--diff`` (LibCST's
parse); any difference between the two reports is listed and fails the run.

Exit status: 0 when there is no false positive, no silent miss and no difference between the
trees, 1 otherwise.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

RENAME = ("rename", "convert")
OTHER_COLUMNS = ("review", "review on keep", "other fixable", "other review")
COLUMNS = ("rename", "renamed", "keep", "keep changed", "missed: flagged", "missed: silent",
           "unparsed: reported", "ambiguous changed", "ambiguous left", "unlabelled fixes")
OTHER_COLUMNS_UNPARSED = ("unparsed: review", "unparsed: review on keep")
CONVERSION_COLUMNS = ("convert", "converted", "wrongly converted")


def export(git_dir: Path, commit: str, into: Path) -> None:
    """The commit's Python files, written below ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(git_dir), "archive", "--format=tar", commit, "--", ":(glob)**/*.py"],
        capture_output=True, check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def run_codemod(checkout: Path, paths: list[str], unsafe: bool) -> dict[str, Any]:
    report = checkout / ".stripe-codemod-report.json"
    flags = ["--unsafe-fixes"] if unsafe else []
    subprocess.run(
        [sys.executable, "-m", "codemod", *flags, "--format", "json", "--output", str(report), *paths],
        cwd=checkout, check=False, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    return json.loads(report.read_text())


def score(corpus: dict[str, Any], root: Path, unsafe: bool = False,
          both_trees: bool = False) -> tuple[dict[str, Counter[str]], list[str]]:
    by_commit: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for case in corpus["cases"]:
        by_commit[(case["repo"], case["commit"])].append(case)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    notes: list[str] = []
    for (repo, commit), cases in sorted(by_commit.items()):
        git_dir = root / repo.replace("/", "+") / "repo"
        if not git_dir.exists():
            notes.append(f"{repo}: no snapshot under {root}; skipped")
            continue
        with tempfile.TemporaryDirectory() as folder:
            checkout = Path(folder)
            export(git_dir, commit, checkout)
            report = run_codemod(checkout, [case["path"] for case in cases], unsafe)
            _other_words(report, checkout, repo, notes, table[repo])
            if both_trees:
                _compare_trees(checkout, repo, notes, table[repo])
        for error in report["errors"]:
            notes.append(f"{repo}: error in {error['path']}: {error['message']}")
        findings = {f["path"]: f["findings"] for f in report["files"]}
        for case in cases:
            _score_case(case, findings.get(case["path"], []), table[repo], notes, repo)
    return table, notes


def _compare_trees(checkout: Path, repo: str, notes: list[str], row: Counter[str]) -> None:
    """The whole tree's SARIF report from trees built from CPython's and from LibCST's parse."""
    reports = []
    for mode in ("--check", "--diff"):
        done = subprocess.run(
            [sys.executable, "-m", "codemod", mode, "--no-cache", "--format", "sarif", "."], cwd=checkout,
            capture_output=True, check=False, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        reports.append(done.stdout)
    if reports[0] != reports[1]:
        row["tree difference"] += 1
        notes.append(f"TREE DIFFERENCE: {repo}: --check and --diff report differently")


def _other_words(report: dict[str, Any], checkout: Path, repo: str, notes: list[str], row: Counter[str]) -> None:
    """The findings of the other catalog entries (``billing``, ``start``, ...), which the corpus
    does not label: listed with their source line, so that a person can check each one."""
    for file in report["files"]:
        lines = (checkout / file["path"]).read_text(errors="replace").splitlines()
        for f in file["findings"]:
            word = f["message"].split("`")[1] if "`" in f["message"] else ""
            if f["code"] in ("SB001", "SB002", "SB100") or word == "account_balance":
                continue
            row[f"other {f['status']}"] += 1
            text = lines[f["line"] - 1].strip()[:100] if f["line"] <= len(lines) else ""
            notes.append(f"OTHER {f['code']} [{f['status']}] {repo} {file['path']}:{f['line']}:{f['col']} {text}")


def _score_case(case: dict[str, Any], findings: list[dict[str, Any]], row: Counter[str],
                notes: list[str], repo: str) -> None:
    fixed = {(f["line"], f["col"]) for f in findings if f["code"] == "SB001" and f["status"] == "fixable"}
    # a review item at the site: SB900, or the rename itself when only a name says Stripe (likely)
    review = {(f["line"], f["col"]) for f in findings if f["code"] == "SB900" or (f["code"] == "SB001" and f["status"] == "review")}
    converted_lines = {f["line"] for f in findings if f["code"] == "SB002" and f["status"] == "fixable"}
    labelled = set()
    unparsed = case.get("parses") is False
    for occ in case["occurrences"]:
        at = (occ["line"], occ["col"] + 1)
        labelled.add(at)
        where = f"{repo} {case['path']}:{at[0]}:{at[1]} ({occ['verdict']}) {occ['text'].strip()}"
        converted = occ["line"] in converted_lines
        if occ["verdict"] == "convert":
            row["convert"] += 1
            row["converted"] += converted
        elif converted:
            row["wrongly converted"] += 1
            notes.append(f"WRONG CONVERSION: {where}")
        if occ["verdict"] in RENAME:
            row["rename"] += 1
            if at in fixed or converted:
                row["renamed"] += 1
            elif at in review and unparsed:
                row["unparsed: reported"] += 1
            elif at in review:
                row["missed: flagged"] += 1
                notes.append(f"flagged miss: {where}")
            else:
                row["missed: silent"] += 1
                notes.append(f"SILENT MISS: {where}")
        elif occ["verdict"] == "keep":
            row["keep"] += 1
            if at in fixed or converted:
                row["keep changed"] += 1
                notes.append(f"FALSE POSITIVE: {where}")
            elif at in review and unparsed:
                row["unparsed: review on keep"] += 1
            elif at in review:
                row["review on keep"] += 1
                notes.append(f"review of a non-Stripe site: {where}")
        else:
            row["ambiguous changed" if at in fixed else "ambiguous left"] += 1
    row["unparsed: review" if unparsed else "review"] += len(review & labelled)
    for at in sorted(fixed - labelled):
        row["unlabelled fixes"] += 1
        notes.append(f"UNLABELLED FIX: {repo} {case['path']}:{at[0]}:{at[1]}")


def render(table: dict[str, Counter[str]], unsafe: bool = False) -> str:
    columns = COLUMNS + (CONVERSION_COLUMNS if unsafe else ()) + OTHER_COLUMNS + OTHER_COLUMNS_UNPARSED
    width = max([len(repo) for repo in table] + [len("total")])
    lines = [" | ".join(["repository".ljust(width), *columns])]
    lines.append("-" * len(lines[0]))
    total: Counter[str] = Counter()
    for repo in sorted(table):
        total.update(table[repo])
        lines.append(" | ".join([repo.ljust(width), *(str(table[repo][c]).rjust(len(c)) for c in columns)]))
    lines.append(" | ".join(["total".ljust(width), *(str(total[c]).rjust(len(c)) for c in columns)]))
    renamed, wrong, reported = total["renamed"], total["keep changed"], total["unparsed: reported"]
    wanted = total["rename"] - reported  # the sites of files that parse
    precision = renamed / (renamed + wrong) if renamed + wrong else 1.0
    recall = renamed / wanted if wanted else 1.0
    handled = (renamed + reported) / total["rename"] if total["rename"] else 1.0
    lines.append(f"\nrename precision {precision:.1%}, recall {recall:.1%} ({renamed}/{wanted}) in files that parse; "
                 f"handled {handled:.1%} with the {reported} sites of unparsable files reported; "
                 f"keep changed {wrong}/{total['keep']}; silent misses {total['missed: silent']}")
    reviews, noise = total["review"], total["review on keep"]
    every, every_noise = reviews + total["unparsed: review"], noise + total["unparsed: review on keep"]
    if every:
        lines.append(f"review items on non-Stripe sites: {noise}/{reviews} ({noise / max(reviews, 1):.0%}) in files that parse; "
                     f"{every_noise}/{every} ({every_noise / every:.0%}) counting unparsable files")
    if unsafe:
        lines.append(f"conversions {total['converted']}/{total['convert']}; wrong conversions {total['wrongly converted']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--quiet", action="store_true", help="only the table")
    parser.add_argument("--unsafe-fixes", action="store_true", help="score the balance-transaction conversion too")
    parser.add_argument("--both-trees", action="store_true",
                        help="also check each commit whole from both trees (CPython's, LibCST's) and compare")
    args = parser.parse_args(argv)
    table, notes = score(json.loads(args.corpus.read_text()), args.root, args.unsafe_fixes, args.both_trees)
    if not args.quiet:
        for note in notes:
            print(note)
        print()
    print(render(table, args.unsafe_fixes))
    total = sum(table.values(), Counter())
    if args.both_trees:
        print(f"tree differences: {total['tree difference']} of {len(table)} repositories checked whole from both trees")
    return 1 if total["keep changed"] or total["missed: silent"] or total["wrongly converted"] or total["tree difference"] else 0


if __name__ == "__main__":
    sys.exit(main())
