"""A replayed report: the same run over an unchanged tree prints the same bytes and exits the
same without checking anything; any change to what the run looked at makes it a full run."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from codemod import replay, runner
from codemod.cache_folder import REPORT
from codemod.cli import main

from .helpers import package

HELPER = "import stripe\n\n\ndef fetch(cid):\n    return stripe.Customer.retrieve(cid)\n"
USER = "from ..helpers import fetch\n\n\ndef owed(cid):\n    return fetch(cid).account_balance\n"
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


def printed(capsys: pytest.CaptureFixture[str], *args: str) -> Printed:
    runner._project = None  # as in a new process
    status = main([*args, "app/users"])
    out, err = capsys.readouterr()
    return status, out, err


def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a run checks the tree from now on."""
    calls: list[int] = []
    real = runner.run

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run", counted)
    return calls


def records(tree: Path) -> list[Path]:
    return sorted((tree / ".stripe-codemod-cache").glob(f"*{REPORT}"))


@pytest.mark.parametrize("args", [(), ("--check",), ("--format", "json"), ("--format", "github"), ("--statistics",)])
def test_an_unchanged_tree_replays_the_report_byte_for_byte(tree: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    first = printed(capsys, *args)
    assert first[0] == 1 and "SB001" in first[1] + first[2]
    assert len(records(tree)) == 1
    ran = checks(monkeypatch)
    assert printed(capsys, *args) == first
    assert ran == []


def test_a_replayed_report_goes_to_the_output_file_too(tree: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert printed(capsys, "--format", "markdown", "--output", "report.md")[0] == 1
    written = (tree / "report.md").read_bytes()
    (tree / "report.md").unlink()
    ran = checks(monkeypatch)
    assert printed(capsys, "--format", "markdown", "--output", "report.md") == (1, "", "")
    assert (tree / "report.md").read_bytes() == written
    assert ran == []


def _edit_run_file(tree: Path) -> None:
    user = tree / "app" / "users" / "user.py"
    user.write_text(user.read_text().replace("cid", "cix"))  # the same size


def _edit_consulted_module(tree: Path) -> None:
    (tree / "app" / "helpers.py").write_text("def fetch(cid):\n    return {'id': cid, 'account_balance': 0}\n")


def _add_module(tree: Path) -> None:
    (tree / "app" / "users" / "more.py").write_text("import stripe\n\nstripe.Customer.retrieve('c').account_balance\n")


def _add_module_in_a_new_folder(tree: Path) -> None:
    (tree / "app" / "users" / "sub").mkdir()
    (tree / "app" / "users" / "sub" / "more.py").write_text("import stripe\n\nstripe.Customer.retrieve('c').account_balance\n")


def _remove_module(tree: Path) -> None:
    (tree / "app" / "users" / "user.py").unlink()
    (tree / "app" / "users" / "other.py").write_text("x = 1\n")


def _make_unreadable(tree: Path) -> None:
    (tree / "app" / "users" / "user.py").chmod(0)


def _configure(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.stripe-codemod]\nignore = ["SB001"]\n')


def _require_stripe(tree: Path) -> None:
    (tree / "app" / "users" / "requirements.txt").write_text("stripe==5.5.0\n")


@pytest.mark.parametrize("change", [_edit_run_file, _edit_consulted_module, _add_module, _add_module_in_a_new_folder,
                                    _remove_module, _make_unreadable, _configure, _require_stripe])
def test_any_change_to_what_the_run_looked_at_is_a_full_run(tree: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           change: Callable[[Path], None]) -> None:
    if change is _make_unreadable and os.geteuid() == 0:
        pytest.skip("root reads any file")
    printed(capsys, "--check")
    change(tree)
    ran = checks(monkeypatch)
    after = printed(capsys, "--check")
    assert ran == [1]
    assert after == printed(capsys, "--check", "--no-cache")


def test_other_options_colour_or_folder_are_another_record(tree: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    printed(capsys, "--check")
    ran = checks(monkeypatch)
    assert printed(capsys, "--check", "--ignore", "SB001")[0] == 0
    monkeypatch.setattr(replay, "key", _with_colour(replay.key))
    printed(capsys, "--check")
    monkeypatch.chdir(tree / "app")
    runner._project = None
    assert main(["--check", "users"]) == 1
    assert ran == [1, 1, 1]


def _with_colour(real: Callable[..., str]) -> Callable[..., str]:
    return lambda *args: real(*args[:-1], not args[-1])


def test_writes_single_files_and_a_tracked_cache_are_never_replayed(tree: Path, capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    runner._project = None
    main(["--check", "app/users/user.py"])
    assert not (tree / ".stripe-codemod-cache").exists()
    printed(capsys, "--check")
    record = records(tree)[0]
    head, _, body = record.read_bytes().partition(b"\n")
    forged = b"nothing to see\n"
    head = head.replace(b'"status": 1', b'"status": 0').replace(b'"out": 0, "err": %d' % len(body), b'"out": 0, "err": %d' % len(forged))
    record.write_bytes(head + b"\n" + forged)
    ran = checks(monkeypatch)
    assert printed(capsys, "--check") == (0, "", "nothing to see\n")  # an untracked cache is the user's own
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    subprocess.run(["git", "add", "-f", ".stripe-codemod-cache"], cwd=tree, check=True)
    assert printed(capsys, "--check")[0] == 1  # one a pull request committed is not
    assert main(["--write", "--allow-dirty", "app/users"]) == 1
    assert ran == [1, 1]


def test_a_damaged_record_is_a_full_run(tree: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    first = printed(capsys, "--check")
    ran = checks(monkeypatch)
    for damage in (b"", b"not json\n", b'{"version": "0"}\n', b'{"stats": [[1, 2]]}\n'):
        records(tree)[0].write_bytes(damage)
        assert printed(capsys, "--check") == first
    assert len(ran) == 4


def test_a_file_written_just_before_the_run_is_not_trusted(tree: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replay, "SETTLED_NS", 2_000_000_000)  # the tree was written a moment ago
    printed(capsys, "--check")
    assert records(tree) == []
