"""Atomic, mode-keeping writes that never clobber a file someone else changed."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from codemod import files


def test_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"old\r\n")
    target.chmod(0o751)
    snapshot = files.read(str(target))
    files.write_atomic(str(target), b"new\r\n", snapshot)
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert os.listdir(tmp_path) == ["a.py"]


def test_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    with pytest.raises(files.NotWritten):
        files.write_atomic(str(link), b"new\n", files.read(str(link)))
    assert link.is_symlink()
    assert real.read_bytes() == b"old\n"


def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"old\n")
    target.chmod(0o444)
    with pytest.raises(PermissionError):
        files.write_atomic(str(target), b"new\n", files.read(str(target)))
    assert target.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["a.py"]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    with pytest.raises(OSError):
        files.read(str(fifo))


def test_changed_on_disk_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"old\n")
    snapshot = files.read(str(target))
    target.write_bytes(b"someone else's edit\n")
    with pytest.raises(files.ChangedOnDisk):
        files.write_atomic(str(target), b"new\n", snapshot)
    assert target.read_bytes() == b"someone else's edit\n"
    assert os.listdir(tmp_path) == ["a.py"]


def test_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(b"old\n")
    snapshot = files.read(str(target))

    def broken_replace(src: str, dst: str, **dir_fds: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        files.write_atomic(str(target), b"new\n", snapshot)
    assert target.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["a.py"]


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    with pytest.raises(OSError):
        files.read(str(tmp_path / "x.py"))
