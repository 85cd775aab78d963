"""The ``xn-io`` console script (internal): Ctrl-C handled from the command's first moment.

The command imports pandas, SciPy and networkx before it can parse its
arguments (about a second). A Ctrl-C in that second would print a
``KeyboardInterrupt`` traceback from the middle of some import. This module
imports nothing that Python has not already loaded at start-up (``_signal``,
the C half of :mod:`signal`, and ``os``; :mod:`signal` itself builds enums,
milliseconds of imports), nor does ``import xn_io``, whose names load on
first use: :func:`main` first makes SIGINT end the process at once, with the
command's one-line message and exit code 130 — nothing has been read or
written yet — and then imports the command, whose :func:`xn_io.cli.main`
takes SIGINT over with its own handling (outputs finished or untouched) as
its first step inside the block that catches the interrupt.

What is left unguarded is CPython's own start-up after it installs its
``KeyboardInterrupt`` handler: the ``site`` import (``.pth`` files of the
environment) and the launcher script's first lines, before this module runs.
A Ctrl-C there prints Python's traceback; the user guide gives the measured
window (docs/user_guide/cli.md, "Bad input, limits and Ctrl-C").
"""

import _signal
import os

__all__ = ["main"]

MESSAGE = "xn-io: interrupted; no output was left half-written"


def _exit_now(signum, frame) -> None:  # pragma: no cover - ends the process
    os.write(2, (MESSAGE + "\n").encode())
    os._exit(130)


def main() -> int:
    """Entry point of the ``xn-io`` command (``[project.scripts]``): :func:`xn_io.cli.main` behind the guard."""
    try:
        _signal.signal(_signal.SIGINT, _exit_now)
    except KeyboardInterrupt:  # a SIGINT that arrived just before the guard: the same end
        _exit_now(_signal.SIGINT, None)
    from .cli import main as cli_main

    return cli_main()
