"""The composition root of the desktop app: command-line options, the Qt application, the
crash handler, and the main window.

``python -m infohus_desktop``, the ``infohus-desktop`` script and ``infohus gui`` all land in
:func:`main`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from infohus_desktop.crypto.selftest import run_selftest

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication


def add_desktop_options(parser: argparse.ArgumentParser) -> None:
    """The app's options, on ``infohus-desktop`` and on ``infohus gui`` alike, so that the two
    ways to start it cannot drift apart (``infohus gui --demo`` was once refused)."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--vault", metavar="PATH", help=_t("åbn denne SQLite-boks", "open this SQLite vault")
    )
    where.add_argument(
        "--db-url",
        metavar="URL",
        help=_t("åbn denne PostgreSQL-boks", "open this PostgreSQL vault"),
    )
    where.add_argument(
        "--demo",
        action="store_true",
        help=_t("åbn demoboksen (og opret den først)", "open (and first build) the demo vault"),
    )
    parser.add_argument(
        "--lang", choices=["da", "en"], help=_t("vinduets sprog", "language of the window")
    )
    parser.add_argument("--version", action=VersionAction, help=version_help())


def _t(da: str, en: str) -> str:
    """The text in the language of the process (``INFOHUS_LANG``; Danish by default)."""
    from infohus_desktop.domain.errors import ui_language

    return en if ui_language() == "en" else da


def version_help() -> str:
    return _t(
        "vis version, commit og biblioteker, og afslut",
        "show the version, commit and libraries, and exit",
    )


class VersionAction(argparse.Action):
    """``--version``: computed when asked for (reading the commit costs file access), printed
    in the user's language, then exit like argparse's own version action."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(version_text())  # stdout, as argparse's own --version
        parser.exit()


def version_text() -> str:
    """The lines of ``--version``: the same rows as the About dialog."""
    from infohus_desktop.build_info import build_info
    from infohus_desktop.domain.errors import ui_language

    english = ui_language() == "en"
    rows = build_info().rows(
        "unknown" if english else "ukendt", "source tree" if english else "kildetræ"
    )
    width = max(len(label) for label, _ in rows)
    return "".join(f"{label:<{width}}  {value}\n" for label, value in rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    from infohus_desktop.argparse_language import Parser  # argparse's words in Danish too

    parser = Parser(prog="infohus-desktop", description="Infohus Desktop")
    add_desktop_options(parser)
    args: argparse.Namespace = parser.parse_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Start the app with options parsed by :func:`add_desktop_options`.

    The crypto self-test (refuse to go on without Argon2id, AES-GCM and HPKE) gates the
    window's worker: it runs there as soon as the first screen is up, and no task that could
    derive a key, open a vault or decrypt runs before it has passed (``ui/tasks.py``); the
    unlock screen's light read of the member names may come first. If it fails, the window
    shows the refusal and the app quits with status 1. Not before the window: importing
    ``cryptography``'s primitives and running it held up the first screen by about 17 ms.
    """
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from infohus_desktop.local_state import LocalState
    from infohus_desktop.ui.errors import install_excepthook
    from infohus_desktop.ui.shell import MainWindow
    from infohus_desktop.vault.urls import url_for_path

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Infohus Desktop")
    app.setOrganizationName("Infohus")
    window = MainWindow(LocalState(), language=args.lang, selftest=run_selftest)
    install_excepthook(window)
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    url = args.db_url or (
        url_for_path(Path(args.vault).expanduser().resolve()) if args.vault else None
    )
    if os.environ.get("INFOHUS_REPORT_PAGES") == "1":
        # For smoke tests and start-up timing of installed and frozen builds, which cannot be
        # inspected from outside: one line per page shown, a class name, nothing about data.
        window.page_shown.connect(
            lambda name: print(f"infohus-desktop: page {name}", file=sys.stderr, flush=True)
        )
    window.start(url, demo=args.demo)
    _quit_on_signals(app)
    return int(app.exec())


def _quit_on_signals(app: QCoreApplication) -> None:
    """SIGTERM (log-out, shutdown, ``kill``) and Ctrl+C quit like closing the window: the
    session is locked and audited and the vault closed, instead of the process dying where
    it stands (SIGTERM) or printing a traceback from inside Qt (Ctrl+C). Python runs signal
    handlers only between bytecodes, so a timer wakes the interpreter while Qt waits."""
    import signal

    from PySide6.QtCore import QTimer

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: app.quit())
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(250)
