"""``python -m infohus_desktop`` starts the desktop app."""

from infohus_desktop.app import main

raise SystemExit(main())
