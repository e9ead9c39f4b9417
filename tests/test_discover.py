"""Which files a run looks at: .gitignore, default and extra excludes, explicit files."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from codemod.discover import MissingPath, discover


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


NAMES = [
    "app/billing.py", "app/notes.txt", "app/generated/out.py", "scripts/tool.py",
    ".venv/lib/site.py", "venv/x.py", ".tox/y.py", "node_modules/z.py", "build/b.py",
    "dist/d.py", "app/__pycache__/c.py", "lib/site-packages/s.py",
]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _tree(tmp_path, NAMES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_walk_skips_default_excludes(tree: Path) -> None:
    assert discover(["."]) == ["app/billing.py", "app/generated/out.py", "scripts/tool.py"]


def test_git_work_tree_honours_gitignore(tree: Path) -> None:
    subprocess.run(["git", "init", "-q"], check=True)
    Path(".gitignore").write_text("app/generated/\n")
    assert discover(["."]) == ["app/billing.py", "scripts/tool.py"]
    assert discover(["app"]) == ["app/billing.py"]


def test_exclude_globs(tree: Path) -> None:
    assert discover(["."], ["scripts"]) == ["app/billing.py", "app/generated/out.py"]
    assert discover(["."], ["app/gen*/*.py"]) == ["app/billing.py", "scripts/tool.py"]


def test_explicit_files_are_taken_whatever_their_name(tree: Path) -> None:
    Path("bin").mkdir()
    Path("bin/run").write_text("x = 1\n")
    assert discover(["bin/run", "app/billing.py", "app/billing.py"]) == ["app/billing.py", "bin/run"]


def test_missing_path(tree: Path) -> None:
    with pytest.raises(MissingPath):
        discover(["app", "missing.py"])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinks_inside_folders_are_not_followed(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.py"
    outside.write_text("x = 1\n")
    os.symlink(outside, "app/link.py")
    os.symlink(".", "app/loop")
    assert discover(["app"]) == ["app/billing.py", "app/generated/out.py"]


@pytest.mark.parametrize("git", [False, True])
def test_a_copy_of_the_stripe_sdk_is_not_project_code(tmp_path: Path, git: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("vendor/stripe/__init__.py", "vendor/stripe/_stripe_object.py", "vendor/stripe/_invoice.py",
                 "app/stripe/__init__.py", "app/stripe/views.py", "app/billing.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    if git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert discover(["."]) == ["app/billing.py", "app/stripe/__init__.py", "app/stripe/views.py"]
    assert discover(["vendor/stripe/_invoice.py"]) == ["vendor/stripe/_invoice.py"]  # named: always checked
