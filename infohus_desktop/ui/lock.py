"""The workstation rules of SECURITY.md: lock after idle time, and a clipboard that forgets.

Both take a clock (seconds, monotonic) so tests drive time by hand instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from infohus_desktop.ui.i18n import tr

Clock = Callable[[], float]

#: Events that count as the user being present.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


#: SECURITY.md: re-authenticate after 12 hours, however busy the user is.
MAX_SESSION_SECONDS = 12 * 3600


class IdleLock(QObject):
    """Emits :attr:`idle` once when no input arrived for ``timeout`` seconds while armed, or
    when the session has lasted ``max_session`` seconds; :attr:`reason` says which."""

    idle = Signal()

    def __init__(
        self,
        timeout_seconds: float,
        clock: Clock = time.monotonic,
        parent: QObject | None = None,
        max_session: float = MAX_SESSION_SECONDS,
    ) -> None:
        super().__init__(parent)
        self.timeout = timeout_seconds
        self.max_session = max_session
        self.clock = clock
        self.armed = False
        self._watching = False
        self.reason = ""
        self._started = clock()
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)

    def watch(self) -> None:
        """Install the application-wide event filter that sees the user's input, once. The
        window calls this when its first screen has been painted, not before: the filter
        hands every event of every object to Python, and the first of them make PySide create
        the Python types and enums of nearly all of Qt (about 15 ms that held up the unlock
        screen's first paint). Not at the unlock either: there that work slowed the first
        list (issue 17). While disarmed it only notes the time."""
        if not self._watching:
            self._watching = True
            app = QGuiApplication.instance()
            if app is not None:
                app.installEventFilter(self)

    def arm(self) -> None:
        """Start watching (after unlock)."""
        self.watch()
        self._last = self._started = self.clock()
        self.armed = True
        self._timer.start()

    def disarm(self) -> None:
        self.armed = False
        self._timer.stop()

    def touch(self) -> None:
        self._last = self.clock()

    def check(self) -> None:
        if not self.armed:
            return
        now = self.clock()
        if now - self._last >= self.timeout:
            self.reason = "idle"
        elif now - self._started >= self.max_session:
            self.reason = "session"
        else:
            return
        self.disarm()
        self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY:
            self._last = self.clock()
        return False


class ClipboardGuard(QObject):
    """Copies sensitive text and clears it again after ``seconds`` or on lock, but only if
    the clipboard still holds what we put there (never wipe what the user copied since).

    Text copied in the app by Qt's own means (Ctrl+C in a table, selecting a label and
    copying) is adopted too: any clipboard change while the app owns the clipboard or is the
    active application came from us, and is cleared the same way."""

    def __init__(
        self, seconds: float, clock: Clock = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self.clock = clock
        self._text: str | None = None
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.check)
        QGuiApplication.clipboard().dataChanged.connect(self._changed)

    def _changed(self) -> None:
        board = QGuiApplication.clipboard()
        text = board.text(QClipboard.Mode.Clipboard)
        if not text or text == self._text:
            return
        active = QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        if board.ownsClipboard() or active:
            self._text = text
            self._deadline = self.clock() + self.seconds
            self._timer.start()

    def copy(self, text: str) -> None:
        board = QGuiApplication.clipboard()
        board.setText(text, QClipboard.Mode.Clipboard)
        if board.supportsSelection():
            board.setText(text, QClipboard.Mode.Selection)
        self._text = text
        self._deadline = self.clock() + self.seconds
        self._timer.start()

    def check(self) -> None:
        if self._text is not None and self.clock() >= self._deadline:
            self.clear()

    def clear(self) -> None:
        self._timer.stop()
        if self._text is None:
            return
        board = QGuiApplication.clipboard()
        modes = [QClipboard.Mode.Clipboard]
        if board.supportsSelection():
            modes.append(QClipboard.Mode.Selection)
        for mode in modes:
            if board.text(mode) == self._text:
                board.clear(mode)
        self._text = None


def close_open_dialogs() -> int:
    """At lock: every open dialog is rejected (what was not saved in it is discarded);
    returns how many were open, for the unlock screen's notice."""
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
            closed += 1
    return closed


def lock_notice(reason: str, idle_minutes: int, dialogs_closed: int) -> str:
    """What the unlock screen says after a lock: why it locked (``reason`` "session",
    "idle" or "standing"; nothing for a lock the member chose), and that open dialogs were
    discarded."""
    notice = ""
    if reason == "session":
        notice = tr(
            "Låst: efter 12 timer skal du låse op igen.",
            "Locked: after 12 hours you unlock again.",
        )
    elif reason == "standing":
        notice = tr(
            "Låst: en koordinator har ændret din rolle eller adgang. Lås op igen for at "
            "fortsætte med den.",
            "Locked: a coordinator changed your role or access. Unlock again to go on with it.",
        )
    elif reason == "idle":
        notice = tr(
            f"Låst efter {idle_minutes} minutter uden aktivitet.",
            f"Locked after {idle_minutes} minutes without activity.",
        )
    if dialogs_closed:
        notice += " " + tr(
            "Et åbent vindue blev lukket; det, der ikke var gemt i det, er kasseret.",
            "An open window was closed; what was not saved in it was discarded.",
        )
    return notice.strip()
