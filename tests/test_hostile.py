"""Hostile inputs: each gives one line naming the file, exit 2, and no harm to anything.

Every case runs the real command in a subprocess (so a crash or a hang would show), over a
folder with one good Stripe file beside the bad one: the good one must still be fixed,
the bad one must stay byte-identical, and nothing may print a traceback.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest

from .helpers import ROOT

GOOD = b"import stripe\n\n\ndef owed(cid):\n    return stripe.Customer.retrieve(cid).account_balance\n"
FIXED = GOOD.replace(b".account_balance", b".balance")


def run(folder: Path, *args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROGRESS": "1"}
    return subprocess.run([sys.executable, "-m", "codemod", *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=120, user=user)


@pytest.fixture
def folder() -> Path:
    # world-readable, so that a case can run the tool as an unprivileged user
    path = Path(tempfile.mkdtemp(prefix="stripe-codemod-hostile-"))
    path.chmod(0o777)
    (path / "good.py").write_bytes(GOOD)
    (path / "good.py").chmod(0o666)
    return path


def assert_one_error(done: subprocess.CompletedProcess[str], name: str, reason: str) -> None:
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith(f"{name}: error: {reason}"), errors[0]


def write_mode(folder: Path, name: str, data: bytes, reason: str, make: Callable[[Path], None] | None = None) -> None:
    target = folder / name
    if make is None:
        target.write_bytes(data)
    else:
        make(target)
    done = run(folder, "--write", ".")
    assert_one_error(done, name, reason)
    assert (folder / "good.py").read_bytes() == FIXED
    if target.is_file() and not target.is_symlink():
        assert target.read_bytes() == data


def test_syntax_error(folder: Path) -> None:
    write_mode(folder, "bad.py", b"import stripe\ndef f(:\n    x.account_balance\n", "syntax error at line 2")


def test_python_2(folder: Path) -> None:
    write_mode(folder, "py2.py", b"import stripe\nprint 'owed', c.account_balance\n",
               "syntax error at line 2, column 1: Missing parentheses in call to 'print'")


def test_undecodable_bytes_without_cookie(folder: Path) -> None:
    write_mode(folder, "latin.py", b"import stripe\nname = '\xe9'\nx = c.account_balance\n", "cannot decode")


def test_unknown_coding_cookie(folder: Path) -> None:
    write_mode(folder, "cookie.py", b"# -*- coding: klingon -*-\nx = c.account_balance\n", "cannot decode")


def test_tabs_and_spaces_mixed(folder: Path) -> None:
    write_mode(folder, "tabs.py", b"import stripe\nif x:\n\ty = 1\n        z = c.account_balance\n",
               "syntax error at line 4")


def test_too_large(folder: Path) -> None:
    data = b"import stripe\n" + b"x = 1  # padding padding padding padding padding padding\n" * 380_000
    data += b"y = stripe.Customer.retrieve('c').account_balance\n"
    write_mode(folder, "huge.py", data, "too large to analyse safely (21.7 MB > 5 MB)")


@pytest.mark.parametrize("shape", [".b" * 20_000, "(" * 5_000 + "c" + ")" * 5_000, "-" * 50_000 + "c"])
def test_nesting_deep_enough_to_crash_a_parser(folder: Path, shape: str) -> None:
    data = f"import stripe\nx = a{shape}.account_balance\n".encode()
    write_mode(folder, "deep.py", data, "")
    done = run(folder, "--check", ".")
    assert "deep.py: error: too deeply nested to parse safely" in done.stderr or \
        "deep.py: error: syntax error" in done.stderr


def test_fifo(folder: Path) -> None:
    write_mode(folder, "pipe.py", b"", "cannot read: not a regular file", make=lambda p: os.mkfifo(p))


def test_symlink_loop_named_on_the_command_line(folder: Path) -> None:
    (folder / "loop.py").symlink_to("loop.py")
    done = run(folder, "--write", "good.py", "loop.py")
    assert_one_error(done, "loop.py", "cannot read: Too many levels of symbolic links")
    assert (folder / "good.py").read_bytes() == FIXED


def test_symlinks_in_folders_are_not_followed(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_bytes(GOOD)
    (folder / "link.py").symlink_to(outside)
    (folder / "loop.py").symlink_to("loop.py")
    done = run(folder, "--write", ".")
    assert done.returncode == 1 and "error" not in done.stderr
    assert outside.read_bytes() == GOOD
    assert (folder / "good.py").read_bytes() == FIXED


def test_symlink_to_outside_is_never_written_through(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_bytes(GOOD)
    (folder / "link.py").symlink_to(outside)
    done = run(folder, "--write", "good.py", "link.py")
    assert_one_error(done, "link.py", "a symbolic link: not written through")
    assert outside.read_bytes() == GOOD
    assert (folder / "link.py").is_symlink()


def test_no_write_permission(folder: Path) -> None:
    def make(path: Path) -> None:
        path.write_bytes(GOOD)
        path.chmod(0o444)
    write_mode(folder, "readonly.py", GOOD, "cannot write: Permission denied", make=make)
    assert oct((folder / "readonly.py").stat().st_mode & 0o777) == "0o444"


def _unprivileged() -> int | None:
    """Who runs the tool for a permission test: ourselves, or (as root, who reads anything) nobody."""
    if os.geteuid() != 0:
        return None
    try:
        subprocess.run([sys.executable, "-c", "import codemod"], user=65534, check=True, capture_output=True,
                       env={"PYTHONPATH": str(ROOT)})
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("root reads any file, and this interpreter cannot run as nobody "
                    "(tests/test_cli.py::test_unreadable_file covers the handling)")
    return 65534


def test_no_read_permission(folder: Path) -> None:
    user = _unprivileged()
    secret = folder / "secret.py"
    secret.write_bytes(GOOD)
    secret.chmod(0o000)
    done = run(folder, "--write", ".", user=user)
    assert_one_error(done, "secret.py", "cannot read: Permission denied")
    secret.chmod(0o644)
    assert secret.read_bytes() == GOOD
    assert (folder / "good.py").read_bytes() == FIXED


def test_empty_file_directory_named_like_a_module_and_odd_names(folder: Path) -> None:
    (folder / "empty.py").write_bytes(b"")
    (folder / "x.py").mkdir()
    (folder / "x.py" / "inner.py").write_bytes(GOOD)
    odd = folder / "billing ünï cödé.py"
    odd.write_bytes(GOOD)
    done = run(folder, "--write", "--show-fixes", ".")
    assert done.returncode == 1 and "error" not in done.stderr, done.stderr
    assert (folder / "empty.py").read_bytes() == b""
    assert (folder / "x.py" / "inner.py").read_bytes() == FIXED
    assert odd.read_bytes() == FIXED
    assert "billing ünï cödé.py:5:42: SB001 [fixed]" in done.stderr
