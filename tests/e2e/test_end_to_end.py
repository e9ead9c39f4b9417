"""The migration, proven with real stripe SDK releases against a local fake Stripe API.

Each program in ``programs/`` declares ``WRITTEN_FOR``, the stripe-python release it was
written for. It runs as written on that release against an API version before 2019-10-17,
and fails on the newest release (16.1.0) at the API version that release pins. It is then
migrated with ``--write --unsafe-fixes`` in a project that requires that release
(``requirements.txt``), and the migrated program runs at the new API version on the release
it was written for, on 14.4.2 (the last whose objects are dicts) and on 16.1.0. Every run
must print the same and leave every object (customers, invoices, subscriptions, schedules)
in the same state, and the migrated runs must record exactly the balance transactions the
program declares in ``EXPECTED_TRANSACTIONS``.

The releases other than the installed one are unpacked once, without their dependencies
(the installed one's serve), into a folder of the virtual environment.
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
from codemod.findings import FIXABLE
from codemod.options import Options

from .fake_stripe import FakeStripe

stripe = pytest.importorskip("stripe")

OLD_VERSION = "2019-08-14"
NEW_VERSION = stripe.api_version  # what the SDK pins: every release since 6.0 is newer than 2019-10-17
INSTALLED = stripe.VERSION  # 16.1.0, the newest release the catalog knows
LAST_DICT_SDK = "14.4.2"  # the last release whose Stripe objects are dicts
PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.py"))
SDKS = Path(sys.prefix) / "stripe-sdks"


def constant(program: Path, name: str) -> object:
    for node in ast.parse(program.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{program.name} declares no {name}")


def sdk_path(version: str) -> str | None:
    """The folder to put first on ``sys.path`` for this release (None: the installed one)."""
    if version == INSTALLED:
        return None
    target = SDKS / version
    if not (target / "stripe" / "__init__.py").exists():
        shutil.rmtree(target, ignore_errors=True)
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                               f"stripe=={version}"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"cannot install stripe {version}: {done.stderr}"
    return str(target)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    server = FakeStripe().start()
    yield server
    server.stop()


def run(program: Path, fake: FakeStripe, version: str, sdk: str = INSTALLED) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STRIPE_API_BASE": fake.url, "STRIPE_API_VERSION": version, "PYTHONWARNINGS": "ignore"}
    found = sdk_path(sdk)
    if found is not None:
        env["PYTHONPATH"] = found
    return subprocess.run([sys.executable, str(program)], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_migrated_program_keeps_every_balance(program: Path, fake: FakeStripe, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert NEW_VERSION[:10] >= "2019-10-17"
    written_for = str(constant(program, "WRITTEN_FOR"))
    fake.reset()
    before = run(program, fake, OLD_VERSION, written_for)
    assert before.returncode == 0, before.stderr
    state_before, ledger_before = fake.state(), fake.transactions()
    assert ledger_before == []

    fake.reset()
    broken = run(program, fake, NEW_VERSION)
    assert broken.returncode != 0, "the unmigrated program should fail on the newest SDK and its API version"

    migrated = tmp_path / program.name
    shutil.copy(program, migrated)
    (tmp_path / "requirements.txt").write_text(f"stripe=={written_for}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["--write", "--unsafe-fixes", program.name]) == 1
    again = check_source(program.name, migrated.read_bytes(), Options(unsafe_fixes=True))
    assert [f for f in again.findings if f.status == FIXABLE] == []  # kept proofs (a metadata key) stay listed

    for sdk in dict.fromkeys((written_for, LAST_DICT_SDK, INSTALLED)):
        fake.reset()
        after = run(migrated, fake, NEW_VERSION, sdk)
        assert after.returncode == 0, (sdk, after.stderr)
        assert fake.state() == state_before, sdk
        assert fake.transactions() == constant(program, "EXPECTED_TRANSACTIONS"), sdk
        assert after.stdout == before.stdout, sdk


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
