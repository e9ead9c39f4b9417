"""Bytes in, bytes out: reading a file, and replacing it atomically only if it is unchanged."""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import threading
from dataclasses import dataclass
from typing import Callable, Iterator

from . import records


class NotWritten(Exception):
    """The file was left as it is; the message says why."""


class ChangedOnDisk(NotWritten):
    """The file was modified by someone else between our read and our write."""


def display_path(path: str) -> str:
    """How reports name a file: relative to the current folder, with ``/``."""
    if path == "-":
        return "-"
    return os.path.relpath(path).replace(os.sep, "/")


@records.fast_init
@dataclass(frozen=True)
class Snapshot:
    data: bytes
    mtime_ns: int
    size: int
    inode: int


def content_hash(data: bytes) -> str:
    """What the results cache knows a file's bytes by."""
    import hashlib  # here: a run without the cache (a pre-commit run) does not load it

    return hashlib.sha256(data).hexdigest()


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


def write_atomic(path: str, data: bytes, read_as: Snapshot, hard_links: bool = False) -> None:
    """Replace the file at ``path`` with ``data``, keeping its mode and owner.

    The folder is reached one component at a time without following a symbolic link, so a
    symlinked folder (or file) on the way is never written through, and everything below
    happens in that one folder even if the path is swapped meanwhile. The new content goes to
    a temporary file there, which is renamed over the target only if the target is still the
    file that was read: the file is at every moment either wholly old or wholly new. A file
    without write permission, owned by someone whose ownership cannot be kept, or (unless
    ``hard_links``) with other hard links is left alone.
    """
    folder, name = os.path.split(path)
    if not name:
        raise NotWritten("not a file name")
    fd = _open_folder(folder)
    try:
        info = _unchanged(fd, name, read_as)
        if info.st_nlink > 1 and not hard_links:
            raise NotWritten(f"has {info.st_nlink - 1} other hard link(s): writing would split them; not written"
                             " (--write-hard-links writes it anyway)")
        if not os.access(name, os.W_OK, dir_fd=fd) or not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        with _signals_deferred():
            _swap_in(fd, name, data, lambda out: _keep_owner_and_mode(out, info),
                     lambda: _unchanged(fd, name, read_as))  # the last look, just before the rename
    finally:
        os.close(fd)


def _swap_in(fd: int, name: str, data: bytes, prepare: Callable[[int], object],
             last_look: Callable[[], object] = lambda: None, mode: int = 0o600) -> None:
    """Write ``data`` to a new file in the folder ``fd``, let ``prepare`` set it up, and rename
    it over ``name`` after ``last_look``; on any failure the new file is removed."""
    temporary = _temporary(fd, mode)
    try:
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_NOFOLLOW, dir_fd=fd), "wb") as handle:
            handle.write(data)
            handle.flush()
            prepare(handle.fileno())
            os.fsync(handle.fileno())
        last_look()
        os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=fd)
        raise


def _open_folder(folder: str) -> int:
    """A descriptor of ``folder``, reached without following a symbolic link below where the
    path starts (the current folder, or ``/``)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    fd = os.open("/" if os.path.isabs(folder) else ".", flags)
    try:
        for part in folder.split(os.sep):
            if part in ("", "."):
                continue
            try:
                inner = os.open(part, flags | (0 if part == ".." else os.O_NOFOLLOW), dir_fd=fd)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise NotWritten(f"{part} is a symbolic link: not written through (run on the folder it points to)")
                raise
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _unchanged(fd: int, name: str, read_as: Snapshot) -> os.stat_result:
    info = os.stat(name, dir_fd=fd, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode):
        raise NotWritten("a symbolic link: not written through (run on the file it points to)")
    if (info.st_mtime_ns, info.st_size, info.st_ino) != (read_as.mtime_ns, read_as.size, read_as.inode):
        raise ChangedOnDisk("changed on disk since it was read; not written")
    return info


def _temporary(fd: int, mode: int) -> str:
    """A new, empty file of a short name (the target's own may be near the length limit)."""
    while True:
        name = f".stripe-codemod-{os.urandom(6).hex()}.tmp"
        try:
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=fd))
            return name
        except FileExistsError:
            continue


def _keep_owner_and_mode(fd: int, info: os.stat_result) -> None:
    """The owner first (changing it clears set-id bits), then the mode; a file whose owner
    cannot be kept is not replaced by one of ours."""
    mode = stat.S_IMODE(info.st_mode)
    if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            if info.st_uid != os.geteuid():
                raise NotWritten("owned by another user, whose ownership a rewrite cannot keep; not written")
            mode &= ~(stat.S_ISUID | stat.S_ISGID)  # the group is lost: so is any set-id bit
    os.fchmod(fd, mode)


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


def write_new(path: str, data: bytes) -> None:
    """Write a file of our own (a report) whole or not at all: a temporary file, then a rename."""
    folder, name = os.path.split(os.path.abspath(path))
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        _swap_in(fd, name, data, lambda out: None, mode=0o666)  # the umask applies, as to any new file
    finally:
        os.close(fd)


class Busy(Exception):
    """Another ``--write`` run holds the tree."""


@contextlib.contextmanager
def tree_lock(folder: str) -> Iterator[None]:
    """An advisory lock on the tree's folder itself (no lock file is left behind), held while
    a ``--write`` run reads and writes, so that two runs never write the same files."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks on this platform
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another stripe-codemod --write is running on {display_path(folder)}; try again when it is done")
        yield
    finally:
        os.close(fd)
