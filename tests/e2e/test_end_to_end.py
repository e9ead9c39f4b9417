"""The migration, proven with the real stripe SDK against a local fake Stripe API.

Each program in ``programs/`` runs as written against an API version before 2019-10-17,
then fails against the SDK's own (newer) version, then is migrated with
``--write --unsafe-fixes`` and runs against the new version. Both runs must print the same
and leave every object (customers, invoices, subscriptions, schedules) in the same state,
and the migrated run must have recorded exactly the balance transactions the program
declares in ``EXPECTED_TRANSACTIONS``.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from codemod.cli import main
from codemod.engine import check_source
from codemod.findings import REVIEW
from codemod.options import Options

from .fake_stripe import FakeStripe

stripe = pytest.importorskip("stripe")

OLD_VERSION = "2019-08-14"
NEW_VERSION = stripe.api_version  # what the SDK pins: every release since 6.0 is newer than 2019-10-17
PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.py"))


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    server = FakeStripe().start()
    yield server
    server.stop()


def run(program: Path, fake: FakeStripe, version: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STRIPE_API_BASE": fake.url, "STRIPE_API_VERSION": version, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, str(program)], env=env, capture_output=True, text=True, timeout=60)


def expected_transactions(program: Path) -> list[tuple[str, int, str]]:
    for node in ast.parse(program.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXPECTED_TRANSACTIONS":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{program.name} declares no EXPECTED_TRANSACTIONS")


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_migrated_program_keeps_every_balance(program: Path, fake: FakeStripe, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert NEW_VERSION[:10] >= "2019-10-17"
    fake.reset()
    before = run(program, fake, OLD_VERSION)
    assert before.returncode == 0, before.stderr
    state_before, ledger_before = fake.state(), fake.transactions()
    assert ledger_before == []

    fake.reset()
    broken = run(program, fake, NEW_VERSION)
    assert broken.returncode != 0, "the unmigrated program should fail on the new API version"

    migrated = tmp_path / program.name
    shutil.copy(program, migrated)
    monkeypatch.chdir(tmp_path)
    assert main(["--write", "--unsafe-fixes", program.name]) == 1
    again = check_source(program.name, migrated.read_bytes(), Options(unsafe_fixes=True))
    assert [f for f in again.findings if f.status != REVIEW] == []

    fake.reset()
    after = run(migrated, fake, NEW_VERSION)
    assert after.returncode == 0, after.stderr
    assert fake.state() == state_before
    assert fake.transactions() == expected_transactions(program)
    assert after.stdout == before.stdout


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_without_unsafe_fixes_no_transaction_appears(program: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    migrated = tmp_path / program.name
    shutil.copy(program, migrated)
    monkeypatch.chdir(tmp_path)
    main(["--write", program.name])
    assert "balance_transaction" not in migrated.read_text()


@pytest.mark.parametrize(("version", "accepted"), [(OLD_VERSION, True), (NEW_VERSION, False)])
def test_the_fake_answers_by_version_as_the_api_did(fake: FakeStripe, version: str, accepted: bool) -> None:
    fake.reset()
    status, sub = fake.handle("POST", "/v1/subscriptions", version, {"customer": "cus_1", "billing": "send_invoice"})
    assert (status == 200) is accepted
    status, sub = fake.handle("POST", "/v1/subscriptions", version, {"customer": "cus_1", "collection_method": "send_invoice"})
    assert status == 200 and sub["collection_method"] == "send_invoice"
    assert ("billing" in sub, "start" in sub) == (accepted, accepted)
    status, schedule = fake.handle("POST", "/v1/subscription_schedules", version, {"end_behavior": "cancel"})
    assert status == 200 and schedule.get("renewal_behavior") == ("none" if accepted else None)
    assert fake.handle("POST", "/v1/invoices", version, {"bogus": "1"})[1]["error"]["message"] == (
        "Received unknown parameter: bogus")
