"""The idle lock: typing postpones it while a session is unlocked, and no event of the
application is handed to Python for it before the window's first screen is up (issue 17: that
filter made the first screen's paint create the Python types of nearly all of Qt)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from infohus_desktop.ui.lock import IdleLock
from tests.ui.conftest import FakeClock


class _Seen(QObject):
    """Counts the key presses IdleLock.eventFilter is asked about."""

    def __init__(self, lock: IdleLock) -> None:
        super().__init__()
        self.calls = 0
        real = lock.eventFilter

        def spy(watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.KeyPress:
                self.calls += 1
            return real(watched, event)

        lock.eventFilter = spy  # type: ignore[method-assign]


def test_typing_postpones_the_lock_and_nothing_is_watched_before_it_is_asked(
    qtbot: QtBot,
) -> None:
    clock = FakeClock()
    lock = IdleLock(60, clock, QApplication.instance())
    seen = _Seen(lock)
    fired: list[str] = []
    lock.idle.connect(lambda: fired.append(lock.reason))
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()

    qtbot.keyClicks(field, "ab")
    assert seen.calls == 0  # the window's first screen is not up: nothing is watched

    lock.arm()  # an unlock watches (the window asks earlier, once its first screen is up)
    clock.advance(50)
    qtbot.keyClicks(field, "c")
    assert seen.calls == 1
    clock.advance(50)
    lock.check()
    assert fired == []  # 50 s since the last key, under the 60 s
    clock.advance(11)
    lock.check()
    assert fired == ["idle"]  # the lock disarms itself
    lock.arm()
    clock.advance(61)
    lock.check()
    assert fired == ["idle", "idle"]  # armed again, the same rule
    lock.disarm()
    lock.deleteLater()


def test_the_window_watches_input_only_once_its_first_screen_is_up(qtbot: QtBot) -> None:
    from infohus_desktop.local_state import LocalState
    from infohus_desktop.ui.shell import MainWindow

    win = MainWindow(LocalState(), FakeClock())
    qtbot.addWidget(win)
    seen = _Seen(win.idle)
    win.show()
    qtbot.keyClicks(win, "a")
    assert seen.calls == 0
    win.show_welcome()
    qtbot.keyClicks(win, "b")
    assert seen.calls == 1
    win.close()
