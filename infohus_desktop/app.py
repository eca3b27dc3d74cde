"""The composition root of the desktop app: command-line options, the Qt application, the
crash handler, and the main window.

``python -m infohus_desktop``, the ``infohus-desktop`` script and ``infohus gui`` all land in
:func:`main`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from infohus_desktop.crypto.selftest import run_selftest
from infohus_desktop.domain.errors import InfohusError


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="infohus-desktop", description="Infohus Desktop")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--vault", metavar="PATH", help="open this SQLite vault")
    where.add_argument("--db-url", metavar="URL", help="open this PostgreSQL vault")
    where.add_argument("--demo", action="store_true", help="open (and first build) the demo vault")
    parser.add_argument("--lang", choices=["da", "en"], help="language of the window")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        run_selftest()  # refuse to start without Argon2id, AES-GCM and HPKE
    except InfohusError as exc:
        print(f"infohus-desktop: {exc.message()}", file=sys.stderr)
        return 1

    # Imported after the self-test: a broken crypto library stops the app before Qt and the
    # whole UI are loaded (and `infohus --help` never pays for them).
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from infohus_desktop.local_state import LocalState
    from infohus_desktop.ui.errors import install_excepthook
    from infohus_desktop.ui.shell import MainWindow
    from infohus_desktop.vault.engine import url_for_path

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Infohus Desktop")
    app.setOrganizationName("Infohus")
    window = MainWindow(LocalState(), language=args.lang)
    install_excepthook(window)
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    url = args.db_url or (
        url_for_path(Path(args.vault).expanduser().resolve()) if args.vault else None
    )
    window.start(url, demo=args.demo)
    return int(app.exec())
