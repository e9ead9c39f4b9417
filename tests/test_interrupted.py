"""Killed in the middle of --write: every file is wholly old or wholly new, with its mode.

SIGINT (Ctrl-C) also leaves no temporary file behind; SIGKILL cannot run any clean-up, so
it may leave one (never in place of a file). The moments are random but seeded.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import ROOT

FILES = 150
OLD = "import stripe\n\n\ndef owed_{n}(cid):\n    return stripe.Customer.retrieve(cid).account_balance + {n}\n"


def _tree(folder: Path) -> dict[Path, str]:
    folder.mkdir()
    contents = {}
    for n in range(FILES):
        path = folder / f"billing_{n:03}.py"
        path.write_text(OLD.format(n=n) + "# padding\n" * 50)
        path.chmod(0o640)
        contents[path] = path.read_text()
    return contents


def _start(folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROGRESS": "1"}
    return subprocess.Popen([sys.executable, "-m", "codemod", "--write", "--jobs", "1", str(folder)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_every_file_is_old_or_new_in_full(tmp_path: Path, sig: signal.Signals) -> None:
    rng = random.Random(20191017 + sig)
    _tree(tmp_path / "probe")
    begin = time.perf_counter()
    assert _start(tmp_path / "probe").wait() == 1
    duration = time.perf_counter() - begin  # a whole run; the writes come last
    for attempt in range(6):
        folder = tmp_path / f"run{attempt}"
        contents = _tree(folder)
        process = _start(folder)
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        process.send_signal(sig)
        process.wait(timeout=60)
        for path, old in contents.items():
            now = path.read_text()
            assert now in (old, old.replace(".account_balance", ".balance")), path
            assert path.stat().st_mode & 0o777 == 0o640, path
        leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".stripe-codemod")]
        if sig == signal.SIGINT:
            assert leftovers == []
