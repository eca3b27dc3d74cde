"""``python -m infohus_desktop.cli``."""

import sys

from infohus_desktop.cli import main

sys.exit(main())
