"""Ctrl-C that waits for a safe moment.

A ``KeyboardInterrupt`` raised inside a compiled solver call (Pyomo's
persistent HiGHS interface hands the model to C++ through callbacks) can leave
the solver in a broken state and crash the interpreter; raised between two
renames of an output swap it can leave the output half replaced. Code that
must not be cut in the middle runs inside :func:`deferred_interrupts`: a
SIGINT received meanwhile is remembered and raised as ``KeyboardInterrupt``
as soon as the block ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["deferred_interrupts"]


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Run the block with SIGINT deferred to its end.

    Outside the main thread (where Python cannot install signal handlers) the
    block runs unchanged. Nested blocks pass a deferred interrupt outwards, so
    it is raised when the outermost block ends.

    Raises
    ------
    KeyboardInterrupt
        When the block ends, if SIGINT arrived while it ran.

    Examples
    --------
    >>> with deferred_interrupts():
    ...     total = sum(range(10))
    >>> total
    45
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def _remember(signum, frame):
        received.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, _remember)
    except ValueError:  # pragma: no cover - not the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous != signal.SIG_IGN:
                raise KeyboardInterrupt
