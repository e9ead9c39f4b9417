"""The command line, end to end through ``main([...])``: modes, outputs, exit codes."""
from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from codemod import __version__, files
from codemod.cli import main
from codemod.registry import CODES

from .helpers import ROOT

STRIPE_FILE = b"""import stripe


def owed(cid):
    customer = stripe.Customer.retrieve(cid)
    return customer.account_balance
"""
FIXED_FILE = STRIPE_FILE.replace(b"customer.account_balance", b"customer.balance")
LEDGER_FILE = b"""def owed(ledger):
    return ledger.account_balance
"""
REVIEW_FILE = b"""import stripe


def owed(customer):
    return customer.account_balance
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "billing.py").write_bytes(STRIPE_FILE)
    (tmp_path / "pkg" / "ledger.py").write_bytes(LEDGER_FILE)
    (tmp_path / "pkg" / "plain.py").write_bytes(b"x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_dry_run_prints_a_diff_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "--- a/pkg/billing.py\n"
        "+++ b/pkg/billing.py\n"
        "@@ -3,4 +3,4 @@\n"
        " \n"
        " def owed(cid):\n"
        "     customer = stripe.Customer.retrieve(cid)\n"
        "-    return customer.account_balance\n"
        "+    return customer.balance\n"
    )
    assert err == (
        "pkg/billing.py:6:21: SB001 [fixable] Stripe Customer field `account_balance` is `balance`"
        " since API 2019-10-17\n"
        "    customer = stripe.Customer.retrieve(...) (line 5)\n"
        "Would fix 1 site in 1 file (3 files scanned).\n"
        "By rule: SB001 1 to fix.\n"
    )
    assert (project / "pkg" / "billing.py").read_bytes() == STRIPE_FILE


def test_git_apply_accepts_the_diff(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["pkg"])
    patch = capsys.readouterr().out
    subprocess.run(["git", "init", "-q"], check=True)
    done = subprocess.run(["git", "apply", "-"], input=patch.encode(), capture_output=True)
    assert done.returncode == 0, done.stderr
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE


def test_check_reports_without_a_diff(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("Would fix 1 site in 1 file (3 files scanned).\nBy rule: SB001 1 to fix.\n")


def test_write_fixes_then_nothing_is_left(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "pkg" / "billing.py"
    target.chmod(0o640)
    assert main(["--write"]) == 1
    assert target.read_bytes() == FIXED_FILE
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (project / "pkg" / "ledger.py").read_bytes() == LEDGER_FILE
    assert "pkg/billing.py: fixed 1 site (SB001 1)\n" in capsys.readouterr().err  # one line per changed file
    assert main(["--write"]) == 0
    assert capsys.readouterr().err == "Nothing to do: no use of the old Stripe API found (3 files scanned).\n"
    assert [p.name for p in (project / "pkg").iterdir() if p.name.startswith(".")] == []


def test_exit_zero_even_if_changed(project: Path) -> None:
    assert main(["--write", "--exit-zero-even-if-changed"]) == 0
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE


def test_review_findings_exit_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("review.py").write_bytes(REVIEW_FILE)
    assert main(["--check", "review.py"]) == 1
    assert "review.py:5:21: SB900 [review]" in capsys.readouterr().err
    assert main(["--check", "--ignore", "SB900", "review.py"]) == 0
    Path("review.py").write_bytes(REVIEW_FILE.replace(b"balance\n", b"balance  # stripe-codemod: ignore[SB900]\n"))
    assert main(["--check", "review.py"]) == 0


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stripe requirement around: the summary is the one line
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STRIPE_FILE)))
    assert main(["-"]) == 1
    out, err = capsysbinary.readouterr()
    assert out == FIXED_FILE
    assert err.endswith(b"Would fix 1 site in 1 file (1 file scanned).\nBy rule: SB001 1 to fix.\n")


def test_stdin_clean_file_exits_zero(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LEDGER_FILE)))
    assert main(["-"]) == 0
    assert capsysbinary.readouterr().out == LEDGER_FILE


def test_json_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    assert report["tool"] == {"name": "stripe-codemod", "version": __version__}
    assert report["summary"] == {"files_scanned": 3, "files_changed": 1, "fixes": 1, "review": 0, "errors": 0}
    assert report["errors"] == []
    [entry] = [f for f in report["files"] if f["path"] == "pkg/billing.py"]
    assert all(g["status"] == "kept" for f in report["files"] if f is not entry for g in f["findings"])
    assert entry["changed"] is True
    assert entry["diff"].startswith("--- a/pkg/billing.py\n+++ b/pkg/billing.py\n")
    assert entry["findings"] == [{
        "code": "SB001", "line": 6, "col": 21, "end_line": 6, "end_col": 36,
        "status": "fixable", "confidence": "certain", "safe": True,
        "message": "Stripe Customer field `account_balance` is `balance` since API 2019-10-17",
        "why": "customer = stripe.Customer.retrieve(...) (line 5)",
        "fix": {"replacements": [{"line": 6, "col": 21, "end_line": 6, "end_col": 36, "text": "balance"}]},
    }]


def test_json_report_to_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--write", "--format", "json", "--output", "report.json"]) == 1
    assert capsys.readouterr() == ("", "")
    report = json.loads(Path("report.json").read_text())
    assert report["files"][0]["findings"][0]["status"] == "fixed"


def test_clean_tree_exits_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("ledger.py").write_bytes(LEDGER_FILE)
    assert main([]) == 0


def test_missing_path_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pkg", "nope"]) == 2
    assert capsys.readouterr().err == "stripe-codemod: error: no such file or directory: nope\n"


def test_no_python_files_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty").mkdir()
    assert main(["empty"]) == 2
    assert capsys.readouterr().err == "stripe-codemod: error: no Python files found in: empty\n"


def test_bad_arguments_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "yaml"]) == 2
    assert main(["--select", "SB999"]) == 2
    assert "unknown rule code: SB999" in capsys.readouterr().err
    assert main(["-", "pkg"]) == 2


BROKEN = {
    "syntax.py": (b"import stripe\ndef f(:\n    account_balance\n", "syntax error at line 2"),
    "py2.py": (b"import stripe\nprint 'account_balance'\n", "syntax error at line 2"),
    "undecodable.py": (b"import stripe\nx = '\xff\xfe account_balance'\n", "cannot decode"),
    "bad_cookie.py": (b"# coding: no-such-codec\naccount_balance = 1\n", "cannot decode"),
}


def test_broken_files_are_reported_and_the_rest_is_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, (data, _) in BROKEN.items():
        (project / "pkg" / name).write_bytes(data)
    assert main(["--write", "pkg"]) == 2
    err = capsys.readouterr().err
    for name, (data, reason) in BROKEN.items():
        assert (project / "pkg" / name).read_bytes() == data
        [line] = [line for line in err.splitlines() if line.startswith(f"pkg/{name}: error:")]
        assert line.startswith(f"pkg/{name}: error: {reason}")
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE
    assert "4 files could not be processed" in err


def test_broken_file_in_json_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg" / "syntax.py").write_bytes(BROKEN["syntax.py"][0])
    assert main(["--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["errors"] == 1
    assert report["errors"][0]["path"] == "pkg/syntax.py"
    assert report["errors"][0]["message"].startswith("syntax error at line 2")


def test_unreadable_file(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_read = files.read

    def read(path: str) -> files.Snapshot:
        if path.endswith("ledger.py"):
            raise PermissionError(13, "Permission denied", path)
        return real_read(path)

    monkeypatch.setattr(files, "read", read)
    assert main(["--write", "pkg"]) == 2
    assert "pkg/ledger.py: error: cannot read: Permission denied\n" in capsys.readouterr().err
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_for_real(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg" / "ledger.py").chmod(0)
    assert main(["--check", "pkg"]) == 2
    assert "pkg/ledger.py: error: cannot read: Permission denied" in capsys.readouterr().err


def test_file_changed_on_disk_is_not_overwritten(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    real_write = files.write_atomic

    def meddle(path: str, data: bytes, read_as: files.Snapshot, hard_links: bool) -> None:
        Path(path).write_bytes(STRIPE_FILE + b"# edited meanwhile\n")
        real_write(path, data, read_as, hard_links)

    monkeypatch.setattr(files, "write_atomic", meddle)
    assert main(["--write"]) == 2
    assert "pkg/billing.py: error: changed on disk since it was read; not written" in capsys.readouterr().err
    assert (project / "pkg" / "billing.py").read_bytes() == STRIPE_FILE + b"# edited meanwhile\n"


def test_list_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules"]) == 0
    listing = capsys.readouterr().out
    assert listing.splitlines()[0].startswith("SB001  customer-balance-rename")
    assert [line.split()[0] for line in listing.splitlines()] == list(CODES)
    assert "SB003  billing-to-collection-method" in listing
    assert "SB900  unresolved-stripe-field" in listing
    assert main(["--explain", "sb001"]) == 0
    text = capsys.readouterr().out
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
        assert heading in text
    assert main(["--explain", "SB999"]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"stripe-codemod {__version__}\n"


def test_python_dash_m_runs_the_same_tool(project: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "codemod", "--check", "pkg"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.endswith("Would fix 1 site in 1 file (3 files scanned).\nBy rule: SB001 1 to fix.\n")


def test_the_command_leaves_with_its_whole_report_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The command leaves without Python's teardown (``__main__.run``): a diff and a report far
    larger than a pipe holds still arrive whole, with the run's exit status, and so does what is
    printed through Python's buffers (the list of rules)."""
    for n in range(400):
        (tmp_path / f"billing_{n}.py").write_bytes(STRIPE_FILE.replace(b"def owed", f"def owed_{n}".encode()))
    done = subprocess.run([sys.executable, "-m", "codemod", "--diff", "--no-cache", "--jobs", "2", "."], cwd=tmp_path,
                          capture_output=True)
    monkeypatch.chdir(tmp_path)
    status = main(["--diff", "--no-cache", "--jobs", "2", "."])
    out, err = capsys.readouterr()
    assert len(done.stdout) > 65_536  # a pipe's buffer on Linux
    assert (done.returncode, done.stdout.decode(), done.stderr.decode()) == (status, out, err)
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    listed = subprocess.run([sys.executable, "-m", "codemod", "--list-rules"], capture_output=True, text=True, env=buffered)
    assert (listed.returncode, listed.stdout) == (main(["--list-rules"]), capsys.readouterr().out)


def test_configuration_in_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pkg" / "review.py").write_bytes(REVIEW_FILE)
    Path("pyproject.toml").write_text(
        '[tool.stripe-codemod]\n'
        'exclude = ["ledger.py"]\n'
        'per-file-ignores = {"pkg/review.py" = ["SB900"]}\n'
        'format = "json"\n'
    )
    assert main(["pkg"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"files_scanned": 3, "files_changed": 1, "fixes": 1, "review": 0, "errors": 0}
    assert main(["--format", "text", "--ignore", "SB001", "pkg"]) == 0
    assert capsys.readouterr().err.startswith("Nothing to do")


@pytest.mark.parametrize("body, message", [
    ("colour = true", "unknown key 'colour'"),
    ("select = \"SB001\"", "select must be a list"),
    ("select = [\"SB999\"]", "unknown rule code: SB999"),
    ("per-file-ignores = {\"x.py\" = \"SB900\"}", "per-file-ignores['x.py'] must be a list of codes"),
    ("format = \"yaml\"", "unknown format 'yaml'"),
    ("[[broken", "cannot read"),
])
def test_bad_configuration_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str],
                                            body: str, message: str) -> None:
    Path("pyproject.toml").write_text(f"[tool.stripe-codemod]\n{body}\n")
    assert main(["pkg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stripe-codemod: error: ") and message in err
    assert err.count("\n") == 1


LIKELY_FILE = b"""from .ledgers import load_stripe_customer


def owed(user):
    return load_stripe_customer(user).account_balance
"""


def test_likely_sites_are_fixed_only_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("likely.py").write_bytes(LIKELY_FILE)
    assert main(["--write", "likely.py"]) == 0  # shown for review; only a changed file fails --write
    assert Path("likely.py").read_bytes() == LIKELY_FILE
    assert "SB001 [review]" in capsys.readouterr().err
    assert main(["--write", "--fail-on", "review", "likely.py"]) == 1
    assert main(["--write", "--include-likely", "likely.py"]) == 1
    assert Path("likely.py").read_bytes() == LIKELY_FILE.replace(b".account_balance", b".balance")


def _git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True)


def test_write_refuses_a_dirty_work_tree(project: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _git("init", "-q")
    _git("add", ".")
    _git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start")
    (project / "pkg" / "plain.py").write_text("x = 2\n")  # an untracked file the migration does not touch
    (project / "pkg" / "billing.py").write_bytes(STRIPE_FILE + b"# mine\n")  # one it would
    assert main(["--write", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stripe-codemod: error: --write would mix its changes with yours: pkg/billing.py has uncommitted")
    assert (project / "pkg" / "billing.py").read_bytes() == STRIPE_FILE + b"# mine\n"
    (project / "pkg" / "billing.py").write_bytes(STRIPE_FILE)
    assert main(["--write", "."]) == 1  # only the unrelated untracked file is left: the migration goes ahead
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE
    _git("checkout", "pkg/billing.py")
    assert main(["--check", "."]) == 1  # dry runs are always allowed
    assert main(["--write", "pkg/billing.py"]) == 1  # so are files named one by one
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE


@pytest.mark.parametrize("escape", [["--allow-dirty"], ["PRE_COMMIT"]])
def test_dirty_work_tree_escapes(project: Path, monkeypatch: pytest.MonkeyPatch, escape: list[str]) -> None:
    _git("init", "-q")
    if escape == ["PRE_COMMIT"]:
        monkeypatch.setenv("PRE_COMMIT", "1")
        escape = []
    assert main(["--write", *escape, "."]) == 1
    assert (project / "pkg" / "billing.py").read_bytes() == FIXED_FILE


def test_rule_codes_are_the_registry() -> None:
    from codemod.registry import CODES
    from codemod.rules import RULES

    assert CODES == tuple(rule.code for rule in RULES)


def test_a_run_without_candidates_never_loads_libcst(project: Path) -> None:
    (project / "pkg" / "settings.json").write_text('{"billing": {"object": "config"}}')  # read, pre-filtered, not parsed
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from codemod.cli import main; main(['--check', 'pkg/plain.py',"
         " 'pkg/settings.json']); print('libcst' in sys.modules)"],
        capture_output=True, text=True,
    )
    assert done.stdout == "False\n"


def test_suppression_comment_with_cr_only_line_endings() -> None:
    from .helpers import fix

    source = b"import stripe\r\rc = stripe.Customer.retrieve('cus_1')\r# stripe-codemod: ignore\rprint(c.account_balance)\r"
    result = fix(source)
    assert [(f.line, f.status) for f in result.findings] == [(5, "suppressed")]
    assert result.output == source


def test_the_rename_says_nothing_of_conversions_when_they_are_ignored() -> None:
    from codemod.options import Options

    from .helpers import fix

    source = b"import stripe\nc = stripe.Customer.retrieve('cus_1')\nstripe.Customer.modify('cus_1', account_balance=0)\n"
    with_sb002 = fix(source).findings[0].why
    assert "not converted to a balance transaction: an absolute value" in with_sb002
    assert "balance transaction" not in fix(source, Options(ignore=frozenset({"SB002"}))).findings[0].why


def test_kept_sites_are_listed_with_their_proof_only_where_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("wallet.py").write_text("import stripe\n\nbalance = stripe.Balance.retrieve()\nprint(balance.account_balance)\n")
    assert main(["--check", "wallet.py"]) == 0
    assert capsys.readouterr().err == "Nothing to do: no use of the old Stripe API found (1 file scanned).\n"
    assert main(["--check", "--show-kept", "wallet.py"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("wallet.py:4:15: SB001 [kept] not a Stripe Customer `account_balance`: left as it is\n"
                          "    a stripe.Balance, not a Customer: balance = stripe.Balance.retrieve(...) (line 3)\n")
    assert main(["--format", "json", "wallet.py"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [f["status"] for f in report["files"][0]["findings"]] == ["kept"]
    assert report["summary"]["fixes"] == report["summary"]["review"] == 0
    assert main(["--format", "sarif", "wallet.py"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"] == []


def test_json_payloads_are_migrated_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    payload = b'\xef\xbb\xbf[{"object": "customer", "account_balance": 5},\r\n {"object": "balance", "account_balance": 1},\r\n {"account_balance": 2, "id": "sub_1"}]'
    Path("recorded.json").write_bytes(payload)
    Path("settings.json").write_bytes(b'{"account_balance": 3}')  # nothing Stripe-shaped: never read as a payload
    Path("broken.json").write_bytes(b'{"object": "customer", "account_balance": 4')
    assert main(["--write", "--show-fixes", "--allow-dirty", "."]) == 2
    assert Path("recorded.json").read_bytes() == payload.replace(b'"account_balance": 5', b'"balance": 5')
    assert Path("settings.json").read_bytes() == b'{"account_balance": 3}'
    err = capsys.readouterr().err
    assert "broken.json: error: not valid JSON" in err
    assert "recorded.json:1:26: SB001 [fixed]" in err
    main(["--format", "json", "--show-kept", "recorded.json"])
    statuses = [f["status"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]
    assert statuses == ["kept", "kept"]  # a stripe.Balance's key, and a Subscription's


def test_the_dry_run_diff_of_a_latin1_file_applies_with_git(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nimport stripe\n\n\ndef owed(cid):\n    # d\u00e9bit\n    return stripe.Customer.retrieve(cid).account_balance\n"
    (tmp_path / "billing.py").write_bytes(source.encode("latin-1"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "codemod", "billing.py"], cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == 1 and "d\u00e9bit".encode("latin-1") in done.stdout
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply"], cwd=tmp_path, input=done.stdout, check=True)
    assert (tmp_path / "billing.py").read_bytes() == source.replace(".account_balance", ".balance").encode("latin-1")
