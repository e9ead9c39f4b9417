"""Bytes in, bytes out: reading a file, and replacing it atomically only if it is unchanged."""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from dataclasses import dataclass
from typing import Iterator


class NotWritten(Exception):
    """The file was left as it is; the message says why."""


class ChangedOnDisk(NotWritten):
    """The file was modified by someone else between our read and our write."""


def display_path(path: str) -> str:
    """How reports name a file: relative to the current folder, with ``/``."""
    if path == "-":
        return "-"
    return os.path.relpath(path).replace(os.sep, "/")


@dataclass(frozen=True)
class Snapshot:
    data: bytes
    mtime_ns: int
    size: int
    inode: int


def read(path: str) -> Snapshot:
    """A regular file's bytes, and what to recognise it by when writing it back.

    The file is opened without blocking, so a FIFO or a device never hangs the run.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a regular file", path)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read()
    finally:
        os.close(fd)
    return Snapshot(data, info.st_mtime_ns, info.st_size, info.st_ino)


def write_atomic(path: str, data: bytes, read_as: Snapshot) -> None:
    """Replace the file at ``path`` with ``data``, keeping its mode.

    The new content goes to a temporary file in the same folder that is renamed over the
    target, so the file is at every moment either wholly old or wholly new. A symbolic link
    is never written through, and a file without write permission is left alone.
    """
    if os.path.islink(path):
        raise NotWritten("a symbolic link: not written through (run on the file it points to)")
    info = os.stat(path)
    if (info.st_mtime_ns, info.st_size, info.st_ino) != (read_as.mtime_ns, read_as.size, read_as.inode):
        raise ChangedOnDisk("changed on disk since it was read; not written")
    if not os.access(path, os.W_OK) or not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(errno.EACCES, "Permission denied", path)
    folder, name = os.path.split(os.path.abspath(path))
    with _signals_deferred():
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".stripe-codemod", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C (or SIGTERM) waits until the file is replaced or untouched, and its temporary file gone."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
