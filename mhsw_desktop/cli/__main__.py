"""``python -m mhsw_desktop.cli``: the same ``mhsw`` command (used by the frozen build)."""

import sys

from mhsw_desktop.cli import main

sys.exit(main())
