"""The ``stripe-codemod`` command and ``python -m codemod``: the report of the same command over
an unchanged tree printed again (``codemod.replay``, which imports nothing heavy), else the
command line (``codemod.cli``)."""
from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing itself is not imported: it would cost more than a replay
if TYPE_CHECKING:
    from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    import atexit
    import gc

    # at exit, the run's objects are the system's to free: the collector's last passes over them
    # (tens of milliseconds after a large run) would only cost time
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    from . import replay

    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        printed = replay.by_command(arguments)
        if printed is not None:
            return replay.deliver(printed)
    except KeyboardInterrupt:
        print("stripe-codemod: interrupted", file=sys.stderr)
        return 130
    except OSError:  # the report file cannot be written: the command line says why
        pass
    from .cli import main as command_line

    return command_line(arguments)


if __name__ == "__main__":
    sys.exit(main())
