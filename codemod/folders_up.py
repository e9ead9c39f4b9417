"""The folders above a path: the one walk to the root that finding a configuration, a cache,
a requirement or a module each needs (only ``os``: the replayed path imports it first)."""
from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself is not imported: the replayed path would pay for it
if TYPE_CHECKING:
    from typing import Iterator


def up_from(folder: str) -> Iterator[str]:
    """``folder`` and each folder above it, nearest first, up to the root."""
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent
