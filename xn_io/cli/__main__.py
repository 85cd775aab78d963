"""``python -m xn_io.cli``: the same as the ``xn-io`` command."""

import sys

from . import main

sys.exit(main())
