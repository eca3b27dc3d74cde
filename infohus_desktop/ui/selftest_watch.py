"""The crypto self-test as the window sees it: started on the worker once the first screen is
up, and a refusal that ends the app if it fails.

The test itself gates the window's worker (``ui/tasks.py``): no task that could derive a key,
open a vault or decrypt runs before it has passed, and none runs after it failed. This side
only makes sure it runs early (not at the first unlock) and that a failure is told to the
user, in their language, before the app quits: the same promise as when it ran before the
window existed (SECURITY.md §9), without holding up the first screen.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from infohus_desktop.domain.errors import CryptoUnavailable, InfohusError
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.tasks import TaskRunner

#: The exit status of a refused start, as before the window (app.py).
REFUSED_EXIT = 1


class SelfTestWatch:
    """GUI thread. ``gated``: the runner was given the self-test as its gate; without one
    (tests that build the window by hand) :meth:`start` does nothing."""

    def __init__(self, window: QMainWindow, runner: TaskRunner, gated: bool) -> None:
        self.window, self.runner = window, runner
        self.state = "idle" if gated else "none"

    def start(self) -> None:
        """Submit the self-test once: a no-op task, so the gate runs the test before it."""
        if self.state == "idle":
            self.state = "running"
            self.runner.submit(lambda: None, self._passed, self.refuse)

    def _passed(self, _result: None) -> None:
        self.state = "passed"

    @property
    def refused(self) -> bool:
        return self.state == "refused"

    def refuses(self, exc: InfohusError) -> bool:
        """Refuse (see :meth:`refuse`) if ``exc`` is a failed self-test; else False."""
        if isinstance(exc, CryptoUnavailable):
            self.refuse(exc)
        return isinstance(exc, CryptoUnavailable)

    def refuse(self, exc: InfohusError) -> None:
        """A failed self-test (this one or a vault's own, CryptoUnavailable): the message,
        then the app quits. Another error is shown as usual."""
        if not isinstance(exc, CryptoUnavailable):
            show_error(self.window, exc)
            return
        if self.refused:
            return
        self.state = "refused"
        self.runner.cancel_pending()
        page = self.window.centralWidget()
        if page is not None:
            page.setEnabled(False)  # no unlock, no other vault: only the message
        print(f"infohus-desktop: {exc.message()}", file=sys.stderr, flush=True)
        box = QMessageBox(self.window)
        box.setObjectName("refusalBox")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("Infohus Desktop kan ikke starte", "Infohus Desktop cannot start"))
        box.setText(exc.message(language()))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.finished.connect(lambda _result: QApplication.exit(REFUSED_EXIT))
        box.open()
