"""The ``stripe-codemod`` command and ``python -m codemod``: the report of the same command over
an unchanged tree printed again (``codemod.replay``, which imports nothing heavy), else the
command line (``codemod.cli``)."""
from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself is not imported: it would cost more than a replay
if TYPE_CHECKING:
    from typing import NoReturn, Sequence


def main(argv: Sequence[str] | None = None) -> int:
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


def run() -> NoReturn:
    """``main``, then out of the process without Python's teardown once the report is out:
    freeing a large run's objects one by one (LibCST's classes, the analyses' results) took 50
    to 100 ms, time the system spends on nothing when it takes the process back whole. Every
    file the run wrote is closed by then, its worker processes joined."""
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed or broken pipe: Python's own exit reports it as it always does
        sys.exit(status)
    os._exit(status)


if __name__ == "__main__":
    run()
