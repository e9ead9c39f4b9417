"""The SDK-surface rules (SB2xx): chosen by --target-sdk, gated by the project's requirement."""
from __future__ import annotations

from pathlib import Path

import pytest

from codemod.cli import main

APP = b'''import stripe
from stripe.error import CardError


def owed(customer_id):
    customer = stripe.Customer.retrieve(customer_id)
    return customer.get("account_balance", 0)  # stripe-codemod: ignore[SB900]
'''
MIGRATED = b'''import stripe
from stripe import CardError


def owed(customer_id):
    customer = stripe.Customer.retrieve(customer_id)
    return customer["balance"] if "balance" in customer else 0  # stripe-codemod: ignore[SB900]
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_bytes(APP)
    return tmp_path


def codes(err: str) -> list[str]:
    return [line.split(": ")[1].split(" ")[0] + " " + line.split("[")[1].split("]")[0] for line in err.splitlines() if "[" in line]


def test_every_change_in_one_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "requirements.txt").write_text("stripe>=7.8\n")
    assert main(["--write", "--show-fixes", "app.py"]) == 1  # files changed
    assert (project / "app.py").read_bytes() == MIGRATED
    err = capsys.readouterr().err
    assert codes(err) == ["SB210 fixed", "SB201 fixed", "SB001 fixed"]
    assert err.endswith("stripe requirement `stripe>=7.8` (requirements.txt line 1); the SDK-surface rules aim at "
                        "stripe-python 16.1 (--target-sdk)\n")
    assert main(["app.py"]) == 0, "a second run changes nothing"


def test_a_requirement_below_7_8_keeps_the_imports_for_review(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "requirements.txt").write_text("flask\nstripe==5.5.0\n")
    assert main(["--check", "app.py"]) == 1
    err = capsys.readouterr().err
    assert "app.py:2:6: SB210 [review] `stripe.error` is no module from stripe-python 13.0 on;\n" \
           "    `stripe==5.5.0` (requirements.txt line 2) keeps stripe-python below 7.8" in err
    assert "which the requirement does not allow: raise it with the migrated code" in err


@pytest.mark.parametrize(("target", "expected"), [
    ("16.1", ["SB210 fixable", "SB201 fixable", "SB001 fixable"]),
    ("14", ["SB210 fixable", "SB001 fixable"]),
    ("12.5", ["SB001 fixable"]),
])
def test_the_target_sdk_selects_the_changes(project: Path, capsys: pytest.CaptureFixture[str], target: str,
                                            expected: list[str]) -> None:
    main(["--check", "--target-sdk", target, "app.py"])
    assert codes(capsys.readouterr().err) == expected


def test_a_bad_target_sdk_is_a_one_line_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--target-sdk", "latest", "app.py"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(
        "--target-sdk takes a stripe-python version such as 16.1, not 'latest'")


def test_a_suppressed_rename_withholds_the_edit_that_would_make_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app.py").write_bytes(APP.replace(b"ignore[SB900]", b"ignore[SB001]"))
    assert main(["--check", "app.py"]) == 1
    assert codes(capsys.readouterr().err) == ["SB210 fixable", "SB201 review"]
