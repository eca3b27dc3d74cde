"""Entry script of the frozen desktop app (``infohus-desktop``), as the wheel's script is."""

from infohus_desktop.app import main

raise SystemExit(main())
