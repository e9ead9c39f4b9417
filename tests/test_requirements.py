"""SB100 on the stripe SDK requirement: below 6.0 the SDK pins no API version."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.requirements import ceiling


@pytest.mark.parametrize("spec, below", [
    ("==5.5.0", 6), ("<6", 6), (">=2,<6", 6), ("~=5.4", 6), ("^5.0", 6), ("~5.0", 6), ("<=5.9", 6),
    ("==5.*", 6), ("<6.1", 7), ("==6.0.0", 7), (">=2.0", None), ("", None),
])
def test_ceiling(spec: str, below: int | None) -> None:
    assert ceiling(spec) == below


def test_old_requirements_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("requirements.txt").write_text("django>=4\nstripe==5.5.0  # pinned\n")
    Path("requirements-dev.txt").write_text("stripe>=7\n")
    Path("pyproject.toml").write_text(
        '[project]\nname = "shop"\ndependencies = ["stripe[async]>=2,<6", "requests"]\n\n'
        '[tool.poetry.dependencies]\nstripe = "^4.2"\n'
    )
    Path("app.py").write_text("x = 1\n")
    assert main(["--format", "json", "."]) == 1
    report = json.loads(capsys.readouterr().out)
    found = [(f["path"], item["line"], item["col"], item["code"], item["status"])
             for f in report["files"] for item in f["findings"]]
    assert found == [
        ("pyproject.toml", 3, 18, "SB100", "review"),
        ("pyproject.toml", 6, 1, "SB100", "review"),
        ("requirements.txt", 2, 1, "SB100", "review"),
    ]
    assert main(["--ignore", "SB100", "."]) == 0
