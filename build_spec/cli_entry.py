"""Entry script of the frozen ``infohus`` command, as the wheel's script is."""

from infohus_desktop.cli import main

raise SystemExit(main())
