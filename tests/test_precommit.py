"""The pre-commit hooks, run for real by the pre-commit package against this checkout."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

pytest.importorskip("pre_commit")

STRIPE_FILE = """import stripe


def owed(cid):
    return stripe.Customer.retrieve(cid).account_balance
"""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def head() -> str:
    done = _git(ROOT, "rev-parse", "HEAD")
    if done.returncode != 0 or shutil.which("git") is None:
        pytest.skip("the checkout is not a git repository")
    return done.stdout.strip()


def _hooked_repository(tmp_path: Path, head: str) -> tuple[Path, dict[str, str]]:
    """A new git repository with this checkout's hook installed by pre-commit, and the environment to commit in."""
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: stripe-codemod\n"
    )
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True)
    return repo, env


def test_hook_fixes_then_the_commit_passes(tmp_path: Path, head: str) -> None:
    repo, env = _hooked_repository(tmp_path, head)
    (repo / "billing.py").write_text(STRIPE_FILE)
    _git(repo, "add", ".")

    first = subprocess.run(["git", "commit", "-qm", "billing"], cwd=repo, env=env, capture_output=True, text=True)
    assert first.returncode != 0, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert (repo / "billing.py").read_text() == STRIPE_FILE.replace(".account_balance", ".balance")

    _git(repo, "add", ".")
    second = subprocess.run(["git", "commit", "-qm", "billing"], cwd=repo, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _git(repo, "status", "--porcelain").stdout == ""


def test_a_commit_of_excluded_files_only_passes_quietly(tmp_path: Path, head: str) -> None:
    repo, env = _hooked_repository(tmp_path, head)
    (repo / "pyproject.toml").write_text('[tool.stripe-codemod]\nexclude = ["tests"]\n')
    (repo / "tests").mkdir()
    (repo / "tests" / "test_billing.py").write_text(STRIPE_FILE)
    _git(repo, "add", ".")
    done = subprocess.run(["git", "commit", "-qm", "tests"], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no Python files found" not in done.stdout + done.stderr
    assert (repo / "tests" / "test_billing.py").read_text() == STRIPE_FILE


REVIEW_FILE = """import stripe


def describe(customer):
    return customer.account_balance
"""


def test_review_items_are_shown_but_only_a_changed_file_fails_the_hook(tmp_path: Path, head: str) -> None:
    repo, env = _hooked_repository(tmp_path, head)
    (repo / "describe.py").write_text(REVIEW_FILE)
    _git(repo, "add", ".")
    done = subprocess.run(["git", "commit", "-qm", "describe"], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr  # a decision for later, not a broken commit
    assert "describe.py:5:21: SB900 [review]" in done.stdout + done.stderr
    assert (repo / "describe.py").read_text() == REVIEW_FILE

    (repo / "billing.py").write_text(STRIPE_FILE)
    (repo / "more.py").write_text(STRIPE_FILE.replace("owed", "due"))
    _git(repo, "add", ".")
    fixed = subprocess.run(["git", "commit", "-qm", "billing"], cwd=repo, env=env, capture_output=True, text=True)
    assert fixed.returncode != 0
    lines = (fixed.stdout + fixed.stderr).splitlines()
    assert "billing.py: fixed 1 site (SB001 1)" in lines and "more.py: fixed 1 site (SB001 1)" in lines
    assert not any("[fixed]" in line for line in lines)  # one line per changed file, not one per site
