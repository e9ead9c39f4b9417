"""The results cache: the same run over an unchanged tree parses nothing and says the same; an
edit makes the next run check the edited file and the files whose analysis consulted it, and
only those: what it says is always what a run without the cache says."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import libcst
import pytest

from codemod import ast_tree, runner
from codemod.cli import main

from .helpers import package

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"
HELPER = "import stripe\n\n\ndef fetch(cid):\n    return stripe.Customer.retrieve(cid)\n"
NOT_STRIPE = "def fetch(cid):\n    return {'id': cid, 'account_balance': 0}\n"
USER = "from .helpers import fetch\n\n\ndef owed(cid):\n    return fetch(cid).account_balance\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package(tmp_path, {"helpers.py": HELPER, "user.py": USER})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    runner._project = None  # as in a new process: no module of an earlier run in memory
    main(["--format", "json", *args, "."])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def edited(capsys: pytest.CaptureFixture[str], module: Path, text: str) -> dict:  # type: ignore[type-arg]
    """The cached report after ``module`` is given ``text``: it must be a cold run's."""
    module.write_text(text)
    warm = report(capsys)
    assert warm == report(capsys, "--no-cache")
    return warm


def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first line of every module parsed from now on."""
    seen: list[str] = []
    real = libcst.parse_module

    def counted(data: bytes):  # type: ignore[no-untyped-def]
        seen.append(data.decode().splitlines()[0])
        return real(data)

    monkeypatch.setattr(libcst, "parse_module", counted)
    return seen


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither LibCST's parse nor the tree a check builds from CPython's (``ast_tree``)."""
    def refuse(*args: object) -> None:
        raise AssertionError("parsed although the tree is unchanged")

    monkeypatch.setattr(libcst, "parse_module", refuse)
    monkeypatch.setattr(ast_tree, "build", refuse)


def test_a_warm_run_parses_nothing_and_says_the_same(tree: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cold = report(capsys)
    assert cold["summary"]["fixes"] == 1
    assert (tree / ".stripe-codemod-cache" / ".gitignore").read_text().endswith("*\n")
    with monkeypatch.context() as patched:
        no_parsing(patched)
        assert report(capsys) == cold
        main(["--check", "."])
        assert "Would fix 1 site in 1 file" in capsys.readouterr().err


def test_editing_a_consulted_module_makes_its_dependants_cold(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report(capsys)["summary"]["fixes"] == 1
    # user.py is unchanged; what it reads is not Stripe now
    assert edited(capsys, tree / "app" / "helpers.py", NOT_STRIPE)["summary"]["fixes"] == 0


def test_an_edit_checks_again_only_the_edited_file_and_its_dependants(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    others = {f"other{n}.py": f"# other {n}\nimport stripe\n\n\ndef owed{n}(cid):\n"
              f"    return stripe.Customer.retrieve(cid).account_balance\n" for n in range(3)}
    package(tmp_path, {"helpers.py": "# helpers\n" + HELPER, "user.py": "# user\n" + USER, **others})
    monkeypatch.chdir(tmp_path)
    assert report(capsys)["summary"]["fixes"] == 4
    with monkeypatch.context() as patched:
        seen = parsed(patched)
        (tmp_path / "app" / "other1.py").write_text(others["other1.py"] + "\n\nTOTAL = 0\n")
        assert report(capsys)["summary"]["fixes"] == 4
        assert seen == ["# other 1"]
        seen.clear()
        (tmp_path / "app" / "helpers.py").write_text("# helpers\n" + HELPER + "\n\nLIMIT = 1\n")
        assert report(capsys)["summary"]["fixes"] == 4
        assert sorted(seen) == ["# helpers", "# user"]  # user.py imports it; the others do not


@pytest.mark.parametrize("helpers", [
    "from .core import fetch as get\n\n\ndef fetch(cid):\n    return get(cid)\n",
    "from . import core\n\n\ndef fetch(cid):\n    return core.fetch(cid)\n",  # never mentions Stripe: analysed for the call
])
def test_a_module_read_through_another_is_on_every_dependant_trail(
        helpers: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``helpers`` returns what ``core`` returns; the second user of ``helpers`` gets its summary
    from memory, without reading ``core`` again, and still depends on it."""
    package(tmp_path, {"core.py": HELPER, "helpers.py": helpers, "user0.py": USER, "user1.py": USER})
    monkeypatch.chdir(tmp_path)
    assert report(capsys)["summary"]["fixes"] == 2
    assert edited(capsys, tmp_path / "app" / "core.py", NOT_STRIPE)["summary"]["fixes"] == 0


@pytest.mark.parametrize("call", ["owed(stripe.Customer.retrieve(cid))", "list(map(owed, stripe.Customer.list().data))"])
def test_a_new_caller_elsewhere_changes_the_verdict_on_a_parameter(tree: Path, capsys: pytest.CaptureFixture[str], call: str) -> None:
    """A parameter is decided by the calls of its function in other modules: a module that starts
    calling it (or mapping it over a list) makes the stored verdict stale, although the module
    itself did not change."""
    (tree / "app" / "billing.py").write_text("import stripe\n\n\ndef owed(customer):\n    return customer.account_balance\n")
    first = report(capsys)
    assert [f["code"] for f in first["files"][0]["findings"]] == ["SB900"]
    warm = edited(capsys, tree / "app" / "caller.py", f"import stripe\n\nfrom .billing import owed\n\n\ndef total(cid):\n    return {call}\n")
    assert warm["summary"]["fixes"] == first["summary"]["fixes"] + 1


def test_an_import_that_finds_a_new_module_is_checked_again(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    package(tmp_path, {"user.py": USER})  # helpers.py does not exist yet: nothing is proven
    monkeypatch.chdir(tmp_path)
    assert report(capsys)["summary"]["fixes"] == 0
    assert edited(capsys, tmp_path / "app" / "helpers.py", HELPER)["summary"]["fixes"] == 1


@pytest.mark.parametrize("project", ["billing_app", "service_app", "shop_app"])
def test_after_any_edit_of_an_example_project_the_cache_says_what_a_cold_run_says(
        project: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each module in turn loses its Stripe evidence (``stripe`` spelled otherwise), is removed,
    and comes back: after every edit the cached run must equal a run without the cache."""
    shutil.copytree(PROJECTS / project / "input", tmp_path / project)
    monkeypatch.chdir(tmp_path / project)
    report(capsys)
    for module in sorted((tmp_path / project).rglob("*.py")):
        original = module.read_bytes()
        for text in (original.replace(b"stripe", b"strype").replace(b"Stripe", b"Strype"), None, original):
            if text is None:
                module.unlink()
            else:
                module.write_bytes(text)
            assert report(capsys) == report(capsys, "--no-cache"), module.name


def test_other_options_are_another_run(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report(capsys)["summary"]["fixes"] == 1
    assert report(capsys, "--ignore", "SB001")["summary"]["fixes"] == 0


def test_no_cache_and_cache_dir(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report(capsys, "--no-cache")
    assert not (tree / ".stripe-codemod-cache").exists()
    (tree / "pyproject.toml").write_text('[tool.stripe-codemod]\ncache-dir = "build/.results"\n')
    report(capsys)
    assert list((tree / "build" / ".results").glob("*.results.json"))
    assert not (tree / ".stripe-codemod-cache").exists()


def test_writes_and_single_files_are_not_cached(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--check", "app/user.py"])
    assert not (tree / ".stripe-codemod-cache").exists()
    main(["--write", "--allow-dirty", "."])
    assert not (tree / ".stripe-codemod-cache").exists()
    assert "balance" in (tree / "app" / "user.py").read_text()


def test_a_cache_committed_to_the_repository_is_not_trusted(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pull request could commit a cache entry that matches its own tree and hides its findings."""
    report(capsys)
    stored = next((tree / ".stripe-codemod-cache").glob("*.results.json"))
    forged = json.loads(stored.read_text())
    forged["entries"] = {}
    stored.write_text(json.dumps(forged))
    assert report(capsys)["summary"]["fixes"] == 0  # an untracked cache is the user's own
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    subprocess.run(["git", "add", "-f", ".stripe-codemod-cache"], cwd=tree, check=True)
    assert report(capsys)["summary"]["fixes"] == 1


def test_a_broken_cache_entry_is_a_cold_run(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = report(capsys)
    next((tree / ".stripe-codemod-cache").glob("*.results.json")).write_text('{"results": [{"index": 99}]')
    assert report(capsys) == cold


def test_the_configuration_cannot_put_the_cache_outside_the_project(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tree.parent / f"{tree.name}-outside"
    outside.mkdir()
    (tree / "link").symlink_to(outside)
    for value in ("../elsewhere", str(outside), "link/cache"):
        (tree / "pyproject.toml").write_text(f'[tool.stripe-codemod]\ncache-dir = "{value}"\n')
        assert main(["--check", "."]) == 2
        assert "is not a folder inside" in capsys.readouterr().err
    assert not list(outside.iterdir()) and not (tree.parent / "elsewhere").exists()
    main(["--check", "--cache-dir", str(outside / "mine"), "."])  # the command line is the user's own choice
    assert list((outside / "mine").glob("*.results.json"))
