"""The daily workflow as a ruff user expects it: the flags, the annotations, the capped comment."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest

from codemod import files
from codemod.cli import main

FIX = "import stripe\n\n\ndef owed{n}(cid):\n    return stripe.Customer.retrieve(cid).account_balance\n"
REVIEW = "import stripe\n\n\ndef describe(customer):\n    return customer.account_balance\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for n in range(2):
        Path(f"billing{n}.py").write_text(FIX.format(n=n))
    Path("describe.py").write_text(REVIEW)
    return tmp_path


def test_statistics_count_per_rule(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--statistics", "--no-cache", "."]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # no diff
    assert err.startswith("     2  SB001  [*] customer-balance-rename\n     1  SB900  unresolved-stripe-field\n")


def test_quiet_prints_the_findings_only(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", "-q", "--no-cache", "."]) == 1
    err = capsys.readouterr().err
    assert "billing0.py:5:42: SB001 [fixable]" in err and "describe.py:5:21: SB900 [review]" in err
    assert "scanned" not in err and "By rule" not in err


def test_diff_is_the_dry_run(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "."])
    default = capsys.readouterr()
    assert main(["--diff", "--no-cache", "."]) == 1
    assert capsys.readouterr() == default
    assert Path("billing0.py").read_text() == FIX.format(n=0)


def test_write_shows_one_line_per_file_and_show_fixes_every_site(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--write", "--allow-dirty", "--show-fixes", "billing0.py"]) == 1
    assert "billing0.py:5:42: SB001 [fixed]" in capsys.readouterr().err
    assert main(["--write", "--allow-dirty", "."]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "billing1.py: fixed 1 site (SB001 1)"
    assert "describe.py:5:21: SB900 [review]" in err and "[fixed]" not in err
    assert err.endswith("Fixed 1 site in 1 file; 1 site to review (3 files scanned).\nBy rule: SB001 1 fixed, SB900 1 to review.\n")


def test_fail_on_decides_whether_review_items_fail(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", "describe.py"]) == 1  # a dry run or --check fails on review items
    assert main(["--check", "--fail-on", "fixes", "describe.py"]) == 0
    assert main(["--write", "describe.py"]) == 0  # nothing changed: the fix hook passes
    assert main(["--write", "--fail-on", "review", "describe.py"]) == 1
    assert main(["--fail-on", "always", "describe.py"]) == 2
    capsys.readouterr()


def test_fix_only_writes_and_reports_only_the_fixes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--fix-only", "--allow-dirty", "."]) == 1  # files changed
    err = capsys.readouterr().err
    assert "billing0.py: fixed 1 site (SB001 1)" in err and "[review]" not in err
    assert Path("billing0.py").read_text() == FIX.format(n=0).replace(".account_balance", ".balance")
    assert main(["--fix-only", "--allow-dirty", "."]) == 0  # only review items left
    capsys.readouterr()


def test_a_failed_write_is_not_counted_as_fixed(tree: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write = files.write_atomic

    def failing(path: str, *args: object) -> None:
        if path.endswith("billing1.py"):
            raise OSError(errno.EROFS, "Read-only file system")
        write(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "write_atomic", failing)
    assert main(["--write", "--allow-dirty", "."]) == 2
    err = capsys.readouterr().err
    assert "billing1.py: error: cannot write: Read-only file system" in err
    assert "Fixed 1 site in 1 file; 1 fix not written; 1 site to review; 1 file could not be processed" in err
    assert Path("billing1.py").read_text() == FIX.format(n=1)


def test_annotations_put_decisions_first_and_stop_at_fifty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for n in range(60):
        Path(f"billing{n:02}.py").write_text(FIX.format(n=n))
    Path("zz_describe.py").write_text(REVIEW)  # last in file order
    Path("zz_broken.py").write_text("import stripe\nprint 'x'.account_balance\n")
    main(["--format", "github", "--no-cache", "."])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 50
    assert lines[0].startswith("::error file=zz_broken.py,")
    assert lines[1].startswith("::warning file=zz_broken.py,") and lines[2].startswith("::warning file=zz_describe.py,")
    assert all(line.startswith("::notice file=billing") for line in lines[3:49])
    assert lines[49] == ("::notice title=stripe-codemod::14 more findings are in the report"
                         " (the job summary and the stripe-codemod-report artifact)")


def test_the_markdown_report_keeps_every_review_item_within_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for n in range(300):
        Path(f"billing{n:03}.py").write_text(FIX.format(n=n))
    Path("zz_describe.py").write_text(REVIEW)
    main(["--format", "markdown", "--max-report-chars", "1000000", "--no-cache", "."])
    full = capsys.readouterr().out
    assert len(full) > 60_000 and full.count("<details>") == 300
    main(["--format", "markdown", "--max-report-chars", "20000", "--no-cache", "."])
    capped = capsys.readouterr().out
    assert len(capped) <= 20_000
    assert capped.startswith("## stripe-codemod: 300 fixes pending, 1 to review\n")
    assert "<code>zz&#95;describe.py:5:21</code> **SB900**" in capped and "What would settle it: annotate it" in capped
    assert "more files changed: the diffs are in the full report (the artifact)." in capped
    assert "### Next steps" in capped
    main(["--format", "markdown", "."])
    assert len(capsys.readouterr().out) <= 60_000  # the default cap


def test_review_items_behind_one_cause_are_settled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("describe.py").write_text(REVIEW + "\n\ndef again(customer):\n    return customer.account_balance\n"
                                   "\n\ndef twice(customer):\n    return customer.account_balance, customer['account_balance']\n")
    assert main(["--check", "--no-cache", "describe.py"]) == 1
    err = capsys.readouterr().err
    assert ("2 sites to review: `customer` is a parameter of twice() (line 12) that no call or annotation decides;"
            " to settle them, annotate it (`customer: stripe.Customer`) or pass Stripe data at every call;"
            " if it is not Stripe data, add `# stripe-codemod: ignore[SB900]`\n") in err
    assert err.count("sites to review:") == 1  # a cause behind one item only is not repeated
    main(["--format", "markdown", "--no-cache", "describe.py"])
    markdown = capsys.readouterr().out
    assert "**2 sites**: <code>customer</code> is a parameter of twice() (line 12)" in markdown
    assert markdown.count("What would settle") == 3


def test_text_lines_stay_readable_on_every_fixture() -> None:
    """A long message goes on below its finding's line, the why is wrapped: no 250-character lines."""
    from codemod.report import text
    from codemod.report.model import Report, ReportFile

    from .helpers import FIXTURES, fix
    from .test_fixtures import CASES, options_of

    longest = 0
    for case in CASES:
        result = fix(case.read_bytes(), options_of(case))
        path = case.relative_to(FIXTURES.parent).as_posix()
        report = Report((ReportFile(path, False, "", tuple(result.findings)),), 1)
        longest = max([longest, *(len(line) - len(path) for line in text.findings(report).splitlines())])
    assert 0 < longest <= 130
