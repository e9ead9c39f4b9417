"""Whole projects: provenance across modules, checked file by file against an expected tree.

``fixtures/projects/<name>/input`` is run with ``--write``; the result must equal
``fixtures/projects/<name>/expected`` byte for byte, and a second run must change nothing.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemod import runner
from codemod.catalog import WORDS
from codemod.cli import main
from codemod.discover import discover
from codemod.cache_folder import DEFAULT_CACHE
from codemod.options import Options

from .helpers import FIXTURES

WORD = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in WORDS) + r")\b")
PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


def _tree(root: Path) -> dict[str, bytes]:
    """The project's files (the results cache a dry run leaves is the tool's, as ``.ruff_cache`` is ruff's)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and DEFAULT_CACHE not in p.relative_to(root).parts}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / project.name
    shutil.copytree(project / "input", work)
    monkeypatch.chdir(work)
    main(["--write", "."])
    assert _tree(work) == _tree(project / "expected")
    capsys.readouterr()
    main(["--format", "json", "."])
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["fixes"] == 0, "a second run must change nothing"
    assert _tree(work) == _tree(project / "expected")


def test_billing_app_proves_its_sites_across_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Even a function of a module that never mentions Stripe is followed when a candidate calls
    it: ``load_wallet()`` returns the project's Wallet, so its field is kept with that proof."""
    shutil.copytree(FIXTURES / "projects" / "billing_app" / "input", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    assert main(["--format", "json", "."]) == 1
    report = json.loads(capsys.readouterr().out)
    found = [(f["path"], finding["line"], finding["code"], finding["status"])
             for f in report["files"] for finding in f["findings"]]
    assert ("billing_app/views.py", 11, "SB001", "fixable") in found
    assert [item for item in found if item[3] == "review"] == []
    whys = {(finding["line"], finding["col"]): finding["why"] for f in report["files"] if f["path"] == "billing_app/views.py"
            for finding in f["findings"]}
    assert whys[11, 30] == ("customer = load(...) (line 10); get_customer() is annotated"
                            " stripe.Customer (billing_app/stripe_api.py line 7)")
    assert whys[21, 18] == "load_wallet() [billing_app/models.py line 8] returns Wallet(...) (billing_app/models.py) makes a Wallet"


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_findings_do_not_depend_on_the_order_of_files(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Summaries are the same whichever module (and so whichever function) is analysed first."""
    monkeypatch.chdir(project / "input")
    paths = discover(["."])
    orders = [paths, paths[::-1], paths[1:] + paths[:1], paths[len(paths) // 2:] + paths[:len(paths) // 2]]
    seen = []
    for order in orders:
        monkeypatch.setattr(runner, "_project", None)  # a fresh cache of the project's modules
        results = runner.check_share(list(enumerate(order)), Options()).values()
        seen.append(sorted((r.path, f.line, f.col, f.code, f.status, f.why) for r in results for f in r.findings))
    assert seen[0] and all(found == seen[0] for found in seen[1:])


@pytest.mark.parametrize("project", [p for p in PROJECTS if (p / "input" / "tests").is_dir()], ids=lambda p: p.name)
def test_the_projects_own_tests_pass_before_and_after(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Code and test data migrate together: the project's suite passes on either side of the run."""
    pytest.importorskip("stripe")
    work = tmp_path / project.name
    shutil.copytree(project / "input", work)

    def suite() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=work,
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(work)}, timeout=120)

    before = suite()
    assert before.returncode == 0, before.stdout
    monkeypatch.chdir(work)
    assert main(["--write", "."]) in (0, 1)
    after = suite()
    assert after.returncode == 0, after.stdout


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_occurrence_is_decided(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Each whole-word occurrence of a catalog word, in code and in data files, is fixed, reviewed
    or kept with its proof: none is left without a word."""
    monkeypatch.chdir(project / "input")
    main(["--format", "json", "."])
    report = json.loads(capsys.readouterr().out)
    decided = {(f["path"], g["line"], g["col"]) for f in report["files"] for g in f["findings"] if g["why"]}
    for path in sorted(p for p in Path(".").rglob("*") if p.suffix in (".py", ".json")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in WORD.finditer(line):
                assert (str(path), number, match.start() + 1) in decided, (str(path), number, line.strip())


def test_a_one_file_run_sees_the_callers_in_the_rest_of_the_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A pre-commit hook names only the changed files; their parameters are still decided by the
    calls in the rest of the tree, as in a run over the whole tree."""
    shutil.copytree(FIXTURES / "projects" / "billing_app" / "input", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    main(["--format", "json", "billing_app/sync.py"])
    report = json.loads(capsys.readouterr().out)
    found = [(g["line"], g["col"], g["status"]) for f in report["files"] for g in f["findings"]]
    assert found == [(5, 12, "kept"), (5, 38, "fixable"), (10, 19, "kept")]


def test_stdin_named_as_a_file_of_the_project_has_the_same_proof(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """An editor pipes the buffer: with --stdin-filename it is checked as that file of the tree."""
    shutil.copytree(FIXTURES / "projects" / "billing_app" / "input", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    source = Path("billing_app/sync.py").read_bytes()
    expected = Path(FIXTURES / "projects" / "billing_app" / "expected" / "billing_app" / "sync.py").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source)))
    assert main(["--stdin-filename", "billing_app/sync.py", "-"]) == 1
    out, err = capsysbinary.readouterr()
    assert out == expected
    assert b"billing_app/sync.py:5:38: SB001 [fixable]" in err and b"[review]" not in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source)))
    assert main(["-"]) == 0  # without the name, the callers in the tree are not seen: no Stripe evidence
    assert capsysbinary.readouterr().out == source


@pytest.mark.parametrize(("caller", "module"), [("home/repo/calls.py", "ledger"), ("home/calls.py", "repo.ledger")])
def test_a_one_file_run_looks_for_callers_in_its_own_project_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str], caller: str, module: str) -> None:
    """Started by hand from a folder above the project (a home folder), a run of one file looks
    for the calls of its functions in the git work tree that holds it, not in everything below."""
    repository = tmp_path / "home" / "repo"
    repository.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "ledger.py").write_text("import stripe\n\n\ndef owed(customer):\n    return customer.account_balance\n")
    (tmp_path / caller).write_text(f'import stripe\n\nfrom {module} import owed\n\nowed(stripe.Customer.retrieve("cus_1"))\n')
    monkeypatch.chdir(tmp_path / "home")
    main(["--format", "json", "repo/ledger.py"])
    report = json.loads(capsys.readouterr().out)
    statuses = [g["status"] for f in report["files"] for g in f["findings"]]
    assert statuses == (["fixable"] if caller.startswith("home/repo/") else ["review"])


def test_the_project_of_a_run_of_single_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from codemod.options import Options

    (tmp_path / "configured" / "app").mkdir(parents=True)
    (tmp_path / "configured" / "pyproject.toml").write_text("")
    (tmp_path / "loose" / "app").mkdir(parents=True)
    (tmp_path / "unrelated").mkdir()
    configured = str(tmp_path / "configured" / "app" / "x.py")
    loose = str(tmp_path / "loose" / "app" / "x.py")
    monkeypatch.chdir(tmp_path / "unrelated")
    assert Options(paths=(configured,), config_folder=str(tmp_path / "configured")).tree_folder == str(tmp_path / "configured")
    assert Options(paths=(loose,), config_folder=os.getcwd()).tree_folder == str(tmp_path / "loose" / "app")
    monkeypatch.chdir(tmp_path / "loose")
    assert Options(paths=(loose,), config_folder=os.getcwd()).tree_folder == str(tmp_path / "loose")
