"""A name or CPR number copied in the app leaves the clipboard after 15 seconds and on lock,
whether it was copied with a copy button or with Ctrl+C in a table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from infohus_desktop.ui.lock import ClipboardGuard
from tests.ui.conftest import FakeClock


def test_ctrl_c_in_a_table_is_cleared_after_fifteen_seconds(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    guard = ClipboardGuard(15, clock)
    table = QTableWidget(1, 1)
    qtbot.addWidget(table)
    table.setItem(0, 0, QTableWidgetItem("Anna Ørsted"))
    table.show()
    table.activateWindow()
    qtbot.waitUntil(
        lambda: QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
    )
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    board = QGuiApplication.clipboard()
    assert board.text() == "Anna Ørsted"
    clock.advance(14)
    guard.check()
    assert board.text() == "Anna Ørsted"
    clock.advance(2)
    guard.check()
    assert board.text() == ""


def test_lock_clears_what_the_app_copied(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    guard = ClipboardGuard(15, clock)
    board = QGuiApplication.clipboard()
    guard.copy("010190-1234")
    assert board.text() == "010190-1234"
    guard.clear()  # as on lock
    assert board.text() == ""
