"""The rename as a LibCST codemod command, run through ``python -m libcst.tool codemod``."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .helpers import ROOT

BEFORE = b"""import stripe


def owed(cid, ledger):
    customer = stripe.Customer.retrieve(cid)
    return customer.account_balance, ledger.account_balance
"""


def test_libcst_tool_runs_the_rename(tmp_path: Path) -> None:
    target = tmp_path / "billing.py"
    target.write_bytes(BEFORE)
    (tmp_path / "ledger.py").write_bytes(b"def total(ledger):\n    return ledger.account_balance\n")
    done = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "codemod.libcst_command.RenameAccountBalance",
         "--no-format", "billing.py", "ledger.py"],
        cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == BEFORE.replace(b"customer.account_balance", b"customer.balance")
    assert (tmp_path / "ledger.py").read_bytes() == b"def total(ledger):\n    return ledger.account_balance\n"
    assert "Transformed 1 files successfully" in done.stderr and "Skipped 1 files" in done.stderr
    assert "1 warnings were generated" in done.stderr


def test_libcst_tool_runs_every_catalog_rename(tmp_path: Path) -> None:
    source = b"import stripe\n\nsub = stripe.Subscription.retrieve('sub_1')\nprint(sub.billing, sub.start)\n"
    (tmp_path / "subs.py").write_bytes(source)
    done = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "codemod.libcst_command.StripeApiMigration",
         "--no-format", "subs.py"],
        cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "subs.py").read_bytes() == source.replace(b"sub.billing", b"sub.collection_method")
    assert "SB004" in done.stderr  # `start` is a review item, never renamed
