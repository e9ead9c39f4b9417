"""Many files: the same report whatever the number of workers or shards; a dying worker costs one file."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from codemod import engine, files, runner
from codemod.cli import main, shard
from codemod.options import Options
from codemod.provenance import project as project_module

from .helpers import package

HELPER = "import stripe\n\n\ndef fetch(cid):\n    return stripe.Customer.retrieve(cid)\n"
USER = (
    "from .helpers import fetch\n\n\ndef owed{n}(cid, ledger):\n"
    "    return fetch(cid).account_balance + ledger.account_balance\n"
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    modules = {"helpers.py": HELPER}
    for n in range(40):
        modules[f"user_{n:02}.py"], modules[f"plain_{n:02}.py"] = USER.format(n=n), f"x{n} = {n}\n"
    package(tmp_path, modules)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["--format", "json", *args])
    return capsys.readouterr().out


def test_same_report_with_one_or_two_workers(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _json(capsys, "--jobs", "1", "app")
    two = _json(capsys, "--jobs", "2", "app")
    assert one == two
    report = json.loads(one)
    assert report["summary"] == {"files_scanned": 82, "files_changed": 40, "fixes": 40, "review": 40, "errors": 0}


def test_shards_cover_every_file_once_and_merge_into_the_whole(tree: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(str(p.relative_to(tree)) for p in (tree / "app").glob("*.py"))
    parts = [shard(paths, k, 3) for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == paths
    assert all(parts)
    whole = _json(capsys, "app")
    for k in (1, 2, 3):
        main(["--format", "json", "--shard", f"{k}/3", "--output", str(tmp_path / f"s{k}.json"), "app"])
    capsys.readouterr()
    main(["--merge", "--format", "json", *(str(tmp_path / f"s{k}.json") for k in (1, 2, 3))])
    assert capsys.readouterr().out == whole
    main(["--merge", "--format", "json", *(str(tmp_path / f"s{k}.json") for k in (1, 2, 3, 2, 1))])
    assert capsys.readouterr().out == whole, "a shard given twice counts once"


def test_bad_shard_and_jobs_are_usage_errors(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--shard", "4/3", "app"]) == 2
    assert main(["--shard", "x", "app"]) == 2
    assert main(["--jobs", "0", "app"]) == 2
    assert capsys.readouterr().err.count("stripe-codemod: error:") == 3


def test_the_second_round_deals_the_largest_files_first_in_shrinking_shares() -> None:
    sized = [((n, f"m{n}.py"), size) for n, size in enumerate([10, 700, 30, 700, 5, 90, 60, 20, 40, 80, 50, 1])]
    shares = runner.largest_first(sized, jobs=2, smallest=2)
    assert [[index for index, _ in share] for share in shares] == [[1, 3, 5], [9, 6, 10], [8, 2], [7, 0], [4, 11]]
    assert [len(share) for share in runner.largest_first([((n, "m.py"), 1) for n in range(100)], jobs=2)] == \
        [25, 19, 14, 11, 8, 6, 5, 4, 4, 4]


@pytest.mark.parametrize("where", ["analysis", "pre-filter"])
def test_a_dying_worker_costs_its_own_file_only(tree: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "analysis":
        real = engine.check_snapshot

        def check(path, snapshot, options, project=None):  # type: ignore[no-untyped-def]
            if path.endswith("user_07.py"):
                os._exit(9)
            return real(path, snapshot, options, project)

        monkeypatch.setattr(engine, "check_snapshot", check)
    else:  # the first round's worker dies: its files are checked in the second, each alone if need be
        read = files.read
        monkeypatch.setattr(files, "read", lambda path: os._exit(9) if path.endswith("user_07.py") else read(path))
    paths = sorted(str(p) for p in (tree / "app").glob("*.py"))
    run = runner.run(paths, Options(jobs=2))
    errors = {r.path: r.error for r in run.results if r.error}
    assert errors == {"app/user_07.py": "the process checking this file died (out of memory?); file left as it is"}
    assert sum(1 for r in run.results if r.changed and not r.error) == 39


def test_an_analysing_worker_does_not_read_again_the_files_found_without_stripe(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(str(p) for p in (tree / "app").glob("*.py"))
    plain = [os.path.abspath(path) for path in paths if "plain_" in path]
    users = [(index, path) for index, path in enumerate(paths) if "user_" in path][:2]
    real, read = project_module.read, []
    monkeypatch.setattr(project_module, "read", lambda path: read.append(path) or real(path))
    for unrelated, reads_plain in (([], True), (plain, False)):  # the callers of owed00() are looked for
        monkeypatch.setattr(runner, "_project", None)
        read.clear()
        results = runner.check_share(users, Options(), paths, unrelated)
        assert [r.changed for r in results.values()] == [True, True]
        assert any("plain_" in path for path in read) is reads_plain
        assert any("helpers.py" in path for path in read)


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_line_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "PRE_COMMIT", "NO_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    assert runner.ProgressLine.wanted(_Stream(True)) is True
    assert runner.ProgressLine.wanted(_Stream(False)) is False
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert runner.ProgressLine.wanted(_Stream(True)) is False
    stream = _Stream(True)
    line = runner.ProgressLine(stream)
    line(10, 20)  # a small run shows nothing
    assert stream.text == ""
    line(600, 1200)
    line.close()
    assert stream.text == "\r[600/1200] files checked\r\033[K"


def test_workers_find_the_calls_of_a_function_in_every_other_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The first round of the workers finds where each name is called, for all of the second:
    a parameter decided by the calls in other modules is decided whatever the number of workers."""
    modules = {"shown.py": "def show(customer):\n    return customer.account_balance\n"}
    for n in range(30):
        modules[f"page_{n:02}.py"] = f"import stripe\nfrom .shown import show\n\n\ndef page{n}(cid):\n    return show(stripe.Customer.retrieve(cid))\n"
        modules[f"plain_{n:02}.py"] = f"x{n} = {n}\n"
    package(tmp_path, modules)
    monkeypatch.chdir(tmp_path)
    for mode in ("--check", "--diff"):
        outputs = [_json(capsys, mode, "--no-cache", "--jobs", jobs, "app") for jobs in ("1", "2")]
        assert outputs[0] == outputs[1]
        shown = next(f for f in json.loads(outputs[0])["files"] if f["path"].endswith("shown.py"))
        assert [(f["code"], f["status"]) for f in shown["findings"]] == [("SB001", "fixable")]
    # and the workers of the second round took the first round's index: none lists the run again
    monkeypatch.setattr(project_module.Project, "_project_files", lambda self: pytest.fail("a worker listed the run"))
    assert _json(capsys, "--check", "--no-cache", "--jobs", "2", "app") == outputs[0]


@pytest.mark.parametrize("odd", [0, 17, 29])
def test_every_share_of_the_first_round_is_asked_for_the_calls_of_a_function(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], odd: int) -> None:
    """The first round's workers each index the files they read; a function is looked up in all
    of their indexes: one call with a ledger, in whichever share, leaves its parameter undecided."""
    modules = {"shown.py": "def show(customer):\n    return customer.account_balance\n"}
    for n in range(30):
        argument = "Ledger()" if n == odd else "stripe.Customer.retrieve(cid)"
        modules[f"page_{n:02}.py"] = (f"import stripe\nfrom .shown import show\nfrom .ledger import Ledger\n\n\n"
                                      f"def page{n}(cid):\n    return show({argument})\n")
    modules["ledger.py"] = "class Ledger:\n    account_balance = 0\n"
    package(tmp_path, modules)
    monkeypatch.chdir(tmp_path)
    outputs = [_json(capsys, "--check", "--no-cache", "--jobs", jobs, "app") for jobs in ("1", "2")]
    assert outputs[0] == outputs[1]
    shown = next(f for f in json.loads(outputs[1])["files"] if f["path"].endswith("shown.py"))
    assert [(f["code"], f["status"]) for f in shown["findings"]] == [("SB900", "review")]
