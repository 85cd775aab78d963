"""``python -m xn_io.cli``: the same as the ``xn-io`` command."""

import signal
import sys

from . import main

code = main()
signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done: a late Ctrl-C does not turn its exit code into a crash
sys.exit(code)
