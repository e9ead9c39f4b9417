"""The README's examples, run: its commands, its sample output, its configuration and workflow
snippets. A README that drifts from the tool fails here."""
from __future__ import annotations

import glob
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main

from .helpers import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```$", README, re.M | re.S)


def blocks(lang: str) -> list[str]:
    return [text for kind, text in BLOCKS if kind == lang]


def test_the_sample_output_is_what_the_example_prints(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    command = blocks("sh")[0]
    assert command.strip().endswith("stripe-codemod examples/billing")
    assert main(["--no-cache", "examples/billing"]) == 1
    shown = README.split("You get a diff on stdout", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    assert capsys.readouterr().err == shown


def _commands() -> list[list[str]]:
    """Each ``sh`` block's stripe-codemod commands, in order (comments dropped)."""
    found = []
    for text in blocks("sh"):
        lines = [shlex.split(line, comments=True) for line in text.splitlines() if line.startswith("stripe-codemod ")]
        if lines:
            found.append([shlex.join(line[1:]) for line in lines])
    return found


@pytest.mark.parametrize("commands", _commands(), ids=lambda c: c[0])
def test_every_command_runs(commands: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "examples" / "billing", tmp_path / "billing")
    monkeypatch.chdir(tmp_path / "billing")
    for git in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"]):
        subprocess.run(["git", *git], check=True, capture_output=True)
    for command in commands:
        args = [match for arg in shlex.split(command) for match in (sorted(glob.glob(arg)) if "*" in arg else [arg])]
        status = main(["--no-cache", *args]) if "--list-rules" not in args else main(args)
        assert status in (0, 1), (command, capsys.readouterr().err)


def test_every_configuration_snippet_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    snippets = blocks("toml")
    assert snippets
    for n, snippet in enumerate(snippets):
        folder = tmp_path / str(n)
        shutil.copytree(ROOT / "examples" / "billing", folder)
        (folder / "pyproject.toml").write_text(snippet)
        monkeypatch.chdir(folder)
        assert main(["--check", "."]) in (0, 1), capsys.readouterr().err


def test_the_workflow_snippets_use_real_hooks_and_inputs() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    inputs = set(yaml.safe_load((ROOT / "action.yml").read_text())["inputs"])
    named_hooks = named_inputs = 0
    for snippet in blocks("yaml"):
        for line in snippet.splitlines():
            hook = re.match(r"\s*- id: ([\w-]+)", line)
            if hook:
                assert hook.group(1) in hooks
                named_hooks += 1
        steps = _steps(yaml.safe_load(snippet.replace("${{ matrix.shard }}", "1/4")))
        for step in steps:
            if "stripe-codemod@" in str(step.get("uses", "")):
                assert set(step.get("with", {})) <= inputs, step
                named_inputs += len(step.get("with", {}))
    assert named_hooks and named_inputs


def _steps(document: object) -> list[dict[str, object]]:
    """The steps of a workflow snippet: a list of steps, or jobs holding them."""
    if isinstance(document, list):
        return [step for step in document if isinstance(step, dict)]
    if isinstance(document, dict) and "jobs" in document:
        return [step for job in document["jobs"].values() for step in job.get("steps", [])]
    return []
