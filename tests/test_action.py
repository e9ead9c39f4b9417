"""The GitHub Action's steps, run here as a runner would run them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import FIXTURES, ROOT

yaml = pytest.importorskip("yaml")


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python of its own, as on a fresh runner: the action installs the tool into it."""
    env = tmp_path_factory.mktemp("runner") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    return env / "bin"


def run_action(tmp_path: Path, bin_dir: Path, inputs: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    summary = tmp_path / "summary.md"
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    env = {
        **os.environ,
        "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(runner_temp),
        "GITHUB_ACTIONS": "true", "PATH": os.pathsep.join([str(bin_dir), os.environ["PATH"]]),
    }
    env.pop("VIRTUAL_ENV", None)
    out, err, status = "", "", 0
    for step in action["runs"]["steps"]:
        if "uses" in step:  # GitHub's own actions (the artifact upload) do not run here
            continue
        step_env = {key: _expand(str(value), values) for key, value in step.get("env", {}).items()}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path / "tree", env={**env, **step_env},
                              capture_output=True, text=True, timeout=300)
        out, err, status = out + done.stdout, err + done.stderr, done.returncode
        if done.returncode != 0:
            break
    return subprocess.CompletedProcess(["action"], status, out, err), summary


def _expand(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], text)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "report_tree", tmp_path / "tree")
    return tmp_path / "tree"


def test_action_writes_the_summary_and_annotations(tree: Path, tmp_path: Path, runner_python: Path) -> None:
    done, summary = run_action(tmp_path, runner_python, {"paths": "shop requirements.txt"})
    assert done.returncode == 0, done.stderr
    assert summary.read_text() == (ROOT / "tests" / "golden" / "report.markdown").read_text()
    assert "::notice file=shop/billing.py,line=9,col=21" in done.stdout  # a fix: decisions are the warnings
    artifact = tmp_path / "runner" / "stripe-codemod-report"
    assert sorted(p.name for p in artifact.iterdir()) == ["stripe-codemod-report.json", "stripe-codemod-report.md"]
    assert (tree / "shop" / "billing.py").read_bytes() == (FIXTURES / "report_tree" / "shop" / "billing.py").read_bytes()


@pytest.mark.parametrize("fail_on", ["fixes", "review"])
def test_action_fails_only_when_asked(tree: Path, tmp_path: Path, runner_python: Path, fail_on: str) -> None:
    done, summary = run_action(tmp_path, runner_python, {"paths": "shop", "fail-on": fail_on})
    assert done.returncode == 1
    assert "stripe-codemod: 2 fixes, 4 to review, 1 errors" in done.stderr
    assert summary.read_text().startswith("## stripe-codemod: 2 fixes pending, 4 to review, 1 error")


def test_paths_are_never_options(tree: Path, tmp_path: Path, runner_python: Path) -> None:
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    done, _ = run_action(tmp_path, runner_python, {"paths": f"--write --output={tmp_path}/owned.txt shop"})
    assert done.returncode == 2
    assert "no such file or directory: --write" in done.stderr
    assert not (tmp_path / "owned.txt").exists()
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_shards_of_a_matrix_merge_into_the_summary_of_one_run(tmp_path: Path, runner_python: Path) -> None:
    """Each matrix job checks its shard; a last job merges their reports (as the artifacts bring them)."""
    whole, summary = _fresh_run(tmp_path / "whole", runner_python, {"paths": "shop requirements.txt"})
    assert whole.returncode == 0, whole.stderr
    reports = tmp_path / "reports"
    reports.mkdir()
    for k in (1, 2):
        done, _ = _fresh_run(tmp_path / f"shard{k}", runner_python, {"paths": "shop requirements.txt", "shard": f"{k}/2"})
        assert done.returncode == 0, done.stderr
        shutil.copy(tmp_path / f"shard{k}" / "runner" / "stripe-codemod-report" / f"stripe-codemod-report-{k}-of-2.json", reports)
    merged, merged_summary = _fresh_run(tmp_path / "merge", runner_python, {"merge": f"{reports}/*.json", "fail-on": "review"})
    assert merged.returncode == 1  # fail-on applies to the merged counts
    assert merged_summary.read_text() == summary.read_text()


def _fresh_run(folder: Path, runner_python: Path, inputs: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    shutil.copytree(FIXTURES / "report_tree", folder / "tree")
    return run_action(folder, runner_python, inputs)
