"""The idle lock counts the user's input only while a session is unlocked: typing postpones
the lock, and before an unlock (or after a lock) no event of the application is handed to
Python for it (issue 17: that filter made the first screen's paint create the Python types
of nearly all of Qt)."""

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


def test_typing_postpones_the_lock_only_while_armed(qtbot: QtBot) -> None:
    clock = FakeClock()
    lock = IdleLock(60, clock, QApplication.instance())
    seen = _Seen(lock)
    fired: list[str] = []
    lock.idle.connect(lambda: fired.append(lock.reason))
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()

    qtbot.keyClicks(field, "ab")
    assert seen.calls == 0  # locked: nothing is watched

    lock.arm()
    clock.advance(50)
    qtbot.keyClicks(field, "c")
    assert seen.calls == 1
    clock.advance(50)
    lock.check()
    assert fired == []  # 50 s since the last key, under the 60 s
    clock.advance(11)
    lock.check()
    assert fired == ["idle"]  # the lock disarms itself

    qtbot.keyClicks(field, "d")
    assert seen.calls == 1
    lock.arm()  # the next unlock watches again
    qtbot.keyClicks(field, "e")
    assert seen.calls == 2
    lock.disarm()
    lock.deleteLater()
