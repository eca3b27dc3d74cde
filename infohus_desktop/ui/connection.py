"""The window's view of the connection to a shared server: a bar while it is lost.

The vault's :class:`~infohus_desktop.vault.server_link.ServerLink` hears of a lost connection
from whichever unit of work met it, on the worker thread; :class:`ConnectionWatch` turns that
into a signal on the GUI thread, shows :class:`ConnectionBanner`, and asks the server every
few seconds *on the worker* whether it is back (the GUI thread never waits for it). The first
unit of work that succeeds again, the watch's own question or the member's next save, clears
the bar. Dialogs that could not save listen to :attr:`ConnectionWatch.changed` too
(ui/dialogs/saving.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.tasks import TaskRunner

#: How often the watch asks whether the server is back.
PROBE_MSECS = 2000


class Link(Protocol):
    """What the watch needs of the vault's server link."""

    @property
    def up(self) -> bool: ...

    def listen(self, listener: Callable[[bool], None]) -> None: ...

    def unlisten(self, listener: Callable[[bool], None]) -> None: ...


class Reachable(Protocol):
    @property
    def server_link(self) -> Link: ...

    def reachable(self) -> None: ...


def lost_text() -> str:
    return tr(
        "Forbindelsen til serveren er afbrudt — prøver igen …",
        "The connection to the server was lost — retrying …",
    )


class ConnectionWatch(QObject):
    """Follows the open vault's link; :attr:`changed` (True = back) on the GUI thread."""

    changed = Signal(bool)
    _heard = Signal(bool)  # emitted on whichever thread noticed; delivered queued

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.vault: Reachable | None = None
        self.up = True
        self.timer = QTimer(self)
        self.timer.setInterval(PROBE_MSECS)
        self.timer.timeout.connect(self._probe)
        self._heard.connect(self._on_heard)
        self._listener: Callable[[bool], None] = self._heard.emit  # one object to unlisten

    def follow(self, vault: Reachable | None) -> None:
        """Watch ``vault`` (None: no vault open) instead of the one before; the same one
        again changes nothing."""
        if vault is self.vault:
            return
        if self.vault is not None:
            self.vault.server_link.unlisten(self._listener)
        self.vault = vault
        if vault is not None:
            vault.server_link.listen(self._listener)
        self._on_heard(vault is None or vault.server_link.up)

    def _on_heard(self, up: bool) -> None:
        if up == self.up:
            return
        self.up = up
        if up:
            self.timer.stop()
        else:
            self.timer.start()
        self.changed.emit(up)

    def _probe(self) -> None:
        """Ask on the worker; the link reports the answer (a success clears the bar). Not
        while other work is queued: its own units of work will tell the link as much."""
        vault = self.vault
        if vault is None or self.runner.busy:
            return
        self.runner.submit(vault.reachable, _ignore, _ignore, self)


def _ignore(_answer: object) -> None:
    """The probe's answer reaches the watch through the link, not through the runner."""


class ConnectionBanner(QWidget):
    """The bar at the top of the window while the connection is lost."""

    def __init__(self, watch: ConnectionWatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setStyleSheet(
            "#connectionBanner { background: #fff4ce; border-bottom: 1px solid #c8a600; }"
        )
        # A plain QWidget subclass paints a style sheet's background only with this set.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel(lost_text())
        self.label.setObjectName("connectionBannerText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName(tr("Forbindelse", "Connection"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        self.setVisible(not watch.up)
        watch.changed.connect(lambda up: self.setVisible(not up))


def with_banner(window: QMainWindow, pages: QWidget, watch: ConnectionWatch) -> ConnectionBanner:
    """Make the bar and ``pages`` beneath it the window's central widget; the status bar
    says so for a moment when the connection is back."""
    banner = ConnectionBanner(watch)
    central = QWidget()
    column = QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(banner)
    column.addWidget(pages, 1)
    window.setCentralWidget(central)

    def changed(up: bool) -> None:
        if up:
            back = tr(
                "Forbindelsen til serveren er tilbage.", "The connection to the server is back."
            )
            window.statusBar().showMessage(back, 8000)

    watch.changed.connect(changed)
    return banner
