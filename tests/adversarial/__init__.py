"""Issue 20's adversarial run, repeatable: every bad input its text lists, replayed and classified.

``cases.py`` holds one case per listed item (files replaced or lost, interrupts,
silent wrong results, internal errors, unclear errors, resources), run against
the library and the ``xn-io`` command. Each outcome is classified as

* ``clear``: an :class:`~xn_io.errors.XnIOError` (library) or exit 2/3 (CLI)
  whose one-line message names the field, file, line or argument;
* ``correct``: a valid input (or a recoverable state) handled, the result
  checked against an oracle;
* ``unclear``: an error that does not name what it should, or spans lines;
* ``internal``: another exception, exit 1, a traceback or a crash;
* ``silent``: a bad input accepted, a wrong result, or a file replaced or lost.

``tests/test_adversarial.py`` runs every case under pytest and fails on
anything but ``clear`` or ``correct``; ``python -m tests.adversarial`` prints
the tally (``--subprocess`` runs every CLI case as a real ``xn-io`` process,
through its console-script entry point ``xn_io._console:main``, instead of
calling :func:`xn_io.cli.main` in-process).
"""
