"""A replayed report: the same command over an unchanged tree prints the same bytes and exits the
same without checking anything (by the command, before the configuration is read; by the
options, once the files are listed); any change to what the run depends on makes it a real run,
which says what a run without the cache says."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from codemod import __main__ as entry, cli, replay, runner
from codemod.cache_folder import REPORT

from .helpers import package

HELPER = "import stripe\n\n\ndef fetch(cid):\n    return stripe.Customer.retrieve(cid)\n"
USER = "from ..helpers import fetch\n\n\ndef owed(cid):\n    return fetch(cid).account_balance\n"
MORE = "import stripe\n\nstripe.Customer.retrieve('c').account_balance\n"
Printed = tuple[int, str, str]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``app/users/`` is the run's folder; its module reads ``app/helpers.py``, outside it."""
    app = package(tmp_path, {"helpers.py": HELPER})
    (app / "users").mkdir()
    (app / "users" / "__init__.py").write_text("")
    (app / "users" / "user.py").write_text(USER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(replay, "SETTLED_NS", 0)  # the files were written before the run: trusted at once
    return tmp_path


class Counted:
    """How many times the command line ran (the record by command missed) and the tree was
    checked (both records missed)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.command_lines: list[int] = []
        self.checks: list[int] = []
        command_line, check = cli.main, runner.run
        monkeypatch.setattr(cli, "main", lambda *args: self.command_lines.append(1) or command_line(*args))
        monkeypatch.setattr(runner, "run", lambda *args: self.checks.append(1) or check(*args))


def command(capsys: pytest.CaptureFixture[str], *args: str, folder: str = "app/users") -> Printed:
    """``stripe-codemod ARGS FOLDER`` as the console script runs it."""
    runner._project = None  # as in a new process
    status = entry.main([*args, folder])
    out, err = capsys.readouterr()
    return status, out, err


def primed(capsys: pytest.CaptureFixture[str], *args: str) -> Printed:
    """The command run twice, as a user would: the first run makes the cache folder, which
    changes the folder above it (watched: the requirement is looked for there), so only the
    second is recorded by the command."""
    first = command(capsys, *args)
    assert command(capsys, *args) == first
    return first


def cold(capsys: pytest.CaptureFixture[str], *args: str) -> Printed:
    runner._project = None
    status = cli.main([*args, "--no-cache", "app/users"])
    out, err = capsys.readouterr()
    return status, out, err


def records(tree: Path) -> list[Path]:
    return sorted((tree / ".stripe-codemod-cache").glob(f"*{REPORT}"))


@pytest.mark.parametrize("args", [(), ("--check",), ("--format", "json"), ("--format", "github"), ("--statistics",)])
def test_an_unchanged_tree_replays_the_report_byte_for_byte(tree: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    first = primed(capsys, *args)
    assert first[0] == 1 and "SB001" in first[1] + first[2]
    assert len(records(tree)) == 2  # by the command, by the options
    counted = Counted(monkeypatch)
    assert command(capsys, *args) == first
    assert counted.command_lines == []
    runner._project = None
    assert cli.main([*args, "app/users"]) == first[0]  # the record by the options
    assert capsys.readouterr() == first[1:]
    assert counted.checks == []


def test_a_replayed_report_goes_to_the_output_file_too(tree: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "reports").mkdir()
    assert primed(capsys, "--format", "markdown", "--output", "reports/report.md")[0] == 1
    written = (tree / "reports" / "report.md").read_bytes()
    (tree / "reports" / "report.md").unlink()
    counted = Counted(monkeypatch)
    assert command(capsys, "--format", "markdown", "--output", "reports/report.md") == (1, "", "")
    assert (tree / "reports" / "report.md").read_bytes() == written
    assert counted.command_lines == []


def _edit_run_file(tree: Path) -> None:
    user = tree / "app" / "users" / "user.py"
    user.write_text(user.read_text().replace("cid", "cix"))  # the same size


def _edit_consulted_module(tree: Path) -> None:
    (tree / "app" / "helpers.py").write_text("def fetch(cid):\n    return {'id': cid, 'account_balance': 0}\n")


def _add_module(tree: Path) -> None:
    (tree / "app" / "users" / "more.py").write_text(MORE)


def _add_module_in_a_new_folder(tree: Path) -> None:
    (tree / "app" / "users" / "sub").mkdir()
    (tree / "app" / "users" / "sub" / "more.py").write_text(MORE)


def _remove_module(tree: Path) -> None:
    (tree / "app" / "users" / "user.py").unlink()
    (tree / "app" / "users" / "other.py").write_text("x = 1\n")


def _configure(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.stripe-codemod]\nignore = ["SB001"]\n')


def _require_stripe(tree: Path) -> None:
    (tree / "app" / "users" / "requirements.txt").write_text("stripe==5.5.0\n")


@pytest.mark.parametrize("change", [_edit_run_file, _edit_consulted_module, _add_module, _add_module_in_a_new_folder,
                                    _remove_module, _configure, _require_stripe])
def test_any_change_to_what_the_report_says_is_a_real_run(tree: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          change: Callable[[Path], None]) -> None:
    primed(capsys, "--check")
    change(tree)
    counted = Counted(monkeypatch)
    after = command(capsys, "--check")
    assert counted.command_lines == [1] and counted.checks == [1]
    assert after == cold(capsys, "--check")


def _in_a_git_work_tree(tree: Path) -> None:
    (tree / ".gitignore").write_text("/other/\n")
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)


def _ignore_the_module(tree: Path) -> None:
    (tree / "app" / "users" / ".gitignore").write_text("user.py\n")


def _stage_the_module(tree: Path) -> None:
    subprocess.run(["git", "add", "app/users/user.py"], cwd=tree, check=True)


def _a_quiet_folder(tree: Path) -> None:
    (tree / "app" / "users" / "docs").mkdir()
    (tree / "app" / "users" / "docs" / "notes.txt").write_text("")


def _add_module_in_the_quiet_folder(tree: Path) -> None:
    (tree / "app" / "users" / "docs" / "more.py").write_text(MORE)


@pytest.mark.parametrize(("before", "change"), [
    (_a_quiet_folder, _add_module_in_the_quiet_folder),
    (_in_a_git_work_tree, _ignore_the_module),
    (_in_a_git_work_tree, _stage_the_module),
    (lambda tree: None, _in_a_git_work_tree),
])
def test_what_decides_the_files_is_watched_by_the_record_of_the_command(tree: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               before: Callable[[Path], None],
                                                               change: Callable[[Path], None]) -> None:
    before(tree)
    primed(capsys, "--check")
    change(tree)
    counted = Counted(monkeypatch)
    after = command(capsys, "--check")
    assert counted.command_lines == [1]
    assert after == cold(capsys, "--check")


def test_a_configuration_above_the_tree_is_watched(tree: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "project").mkdir()
    shutil.move(tree / "app", tree / "project" / "app")
    monkeypatch.chdir(tree / "project")
    assert primed(capsys, "--check")[0] == 1
    (tree / "pyproject.toml").write_text('[tool.stripe-codemod]\nignore = ["SB001"]\n')  # above the current folder
    counted = Counted(monkeypatch)
    assert command(capsys, "--check")[0] == 0
    assert counted.command_lines == [1]


def test_other_arguments_environment_or_folder_are_another_record(tree: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    primed(capsys, "--check")
    counted = Counted(monkeypatch)
    assert command(capsys, "--check", "--ignore", "SB001")[0] == 0
    monkeypatch.setenv("NO_COLOR", "1")
    command(capsys, "--check")
    monkeypatch.chdir(tree / "app")
    assert command(capsys, "--check", folder="users")[0] == 1
    assert counted.command_lines == [1, 1, 1]


def test_writes_and_single_files_are_never_recorded(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command(capsys, "--check", folder="app/users/user.py")
    assert not (tree / ".stripe-codemod-cache").exists()
    command(capsys, "--write", "--allow-dirty")
    assert not (tree / ".stripe-codemod-cache").exists()


def test_a_record_that_is_not_the_file_written_here_is_not_trusted(tree: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One committed to the repository (a pull request could forge a report), copied or edited."""
    first = primed(capsys, "--check")
    for record in records(tree):
        shutil.copyfile(record, tree / "copy")
        os.replace(tree / "copy", record)  # the same bytes, another file
    counted = Counted(monkeypatch)
    assert command(capsys, "--check") == first
    assert counted.command_lines == [1] and counted.checks == [1]


def test_a_damaged_record_is_a_real_run(tree: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    first = primed(capsys, "--check")
    counted = Counted(monkeypatch)
    for damage in (b"", b"stripe-codemod replay\0", b"stripe-codemod replay\x000.1.0\0", b"x\0" * 20):
        for record in records(tree):
            record.write_bytes(damage)
            pin = record.with_suffix(".pin")
            written = os.stat(record)
            pin.write_text(f"{written.st_ino} {written.st_ctime_ns} {written.st_size}")  # as if written here
        assert command(capsys, "--check") == first
    assert len(counted.checks) >= 4


def test_a_file_written_just_before_the_run_is_not_trusted(tree: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replay, "SETTLED_NS", 2_000_000_000)  # the tree was written a moment ago
    command(capsys, "--check")
    assert records(tree) == []


def test_the_users_git_excludes_are_watched(tree: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    config = tmp_path_factory.mktemp("config")
    (config / "git").mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    _in_a_git_work_tree(tree)
    assert primed(capsys, "--check")[0] == 1
    (config / "git" / "ignore").write_text("user.py\n")  # git no longer lists the untracked module
    counted = Counted(monkeypatch)
    assert command(capsys, "--check")[0] == 0
    assert counted.command_lines == [1]


def test_a_record_of_another_user_is_not_trusted(tree: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user of the machine could pin a record of their own in a folder both can write."""
    first = primed(capsys, "--check")
    me = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: me + 1)
    counted = Counted(monkeypatch)
    assert command(capsys, "--check") == first
    assert counted.command_lines == [1] and counted.checks == [1]


def test_a_replay_imports_neither_typing_nor_the_analysis(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A warm run's cost is Python's start and a few small modules: ``typing`` alone would cost
    more than the replay."""
    first = primed(capsys, "--check")
    script = ("import sys\nfrom codemod import __main__ as entry, replay\nreplay.SETTLED_NS = 0\n"
              "status = entry.main(['--check', 'app/users'])\n"
              "print(status, [m for m in ('typing', 'dataclasses', 'libcst', 'codemod.cli') if m in sys.modules],"
              " file=sys.__stdout__)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(Path(entry.__file__).parents[1])})
    assert done.stdout.splitlines()[-1] == f"{first[0]} []"
    assert done.stderr == first[2]
