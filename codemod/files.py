"""Bytes in, bytes out: reading a file, and replacing it atomically only if it is unchanged."""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass


class ChangedOnDisk(Exception):
    """The file was modified by someone else between our read and our write."""


@dataclass(frozen=True)
class Snapshot:
    data: bytes
    mtime_ns: int
    size: int
    inode: int


def read(path: str) -> Snapshot:
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(f"not a regular file: {path}")
        data = handle.read()
    return Snapshot(data, info.st_mtime_ns, info.st_size, info.st_ino)


def write_atomic(path: str, data: bytes, read_as: Snapshot) -> None:
    """Replace the file at ``path`` (through symlinks) with ``data``, keeping its mode.

    The new content goes to a temporary file in the same folder that is renamed over the
    target, so the file is at every moment either wholly old or wholly new.
    """
    target = os.path.realpath(path)
    info = os.stat(target)
    if (info.st_mtime_ns, info.st_size, info.st_ino) != (read_as.mtime_ns, read_as.size, read_as.inode):
        raise ChangedOnDisk(f"{path} changed on disk since it was read; not written")
    folder, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".stripe-codemod", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
