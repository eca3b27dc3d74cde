"""The "Om Infohus Desktop" dialog: which build this is, in Danish or English, unclipped."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import QPoint, QRect, qVersion
from PySide6.QtWidgets import QLabel

import infohus_desktop
from infohus_desktop.local_state import LocalState
from infohus_desktop.ui import i18n
from infohus_desktop.ui.dialogs.about import AboutDialog
from infohus_desktop.ui.shell import MainWindow
from tests.ui.conftest import FakeClock


def _open_about(qtbot, clock: FakeClock) -> AboutDialog:  # type: ignore[no-untyped-def]
    window = MainWindow(LocalState(), clock)
    qtbot.addWidget(window)
    window.show_welcome()
    window.show()
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_about_shows_version_commit_and_libraries_in_danish(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_about(qtbot, clock)
    assert dialog.windowTitle() == "Om Infohus Desktop"
    text = dialog.text()
    assert f"Version: {infohus_desktop.__version__}" in text
    assert f"Qt: {qVersion()} (PySide6 " in text
    assert f"cryptography: {metadata.version('cryptography')}" in text
    assert f"SQLAlchemy: {metadata.version('SQLAlchemy')}" in text
    commit = dialog.values["Commit"].text()
    assert commit and commit != "ukendt" and "source tree" not in commit
    assert "Nævn disse linjer" in " ".join(w.text() for w in dialog.findChildren(QLabel))
    dialog.reject()


def test_about_in_english(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "About Infohus Desktop"
    words = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "Encrypted concern cases" in words and "report a problem" in words
    for danish in ("kildetræ", "ukendt", "Krypterede", "Nævn", "Luk"):
        assert danish not in words


def test_no_text_in_the_about_dialog_is_cut_off(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    for lang in ("da", "en"):
        i18n.set_language(lang)
        dialog = AboutDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        for label in dialog.findChildren(QLabel):
            if label.text() and not label.wordWrap():
                assert label.width() >= label.sizeHint().width(), (lang, label.text())
                assert label.height() >= label.sizeHint().height(), (lang, label.text())
            placed = QRect(label.mapTo(dialog, QPoint(0, 0)), label.size())
            assert dialog.rect().contains(placed), (lang, label.text())
        assert dialog.width() >= dialog.minimumSizeHint().width()
