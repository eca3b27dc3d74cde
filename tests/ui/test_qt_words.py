"""Qt's own words in the window's language: the buttons of a question, a message's details,
which Qt translates itself. The Danish window's questions said Yes and No: the catalog
loaded did not load from PySide6's wheels (i18n.py says why)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from infohus_desktop.ui import i18n


def _buttons(qtbot: QtBot) -> list[str]:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "?",
        "?",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    return [b.text().replace("&", "") for b in box.buttons()]


def test_a_question_asks_ja_nej_in_danish_and_yes_no_in_english(qtbot: QtBot) -> None:
    i18n.set_language("da")
    assert sorted(_buttons(qtbot)) == ["Annuller", "Ja", "Nej"]
    i18n.set_language("en")
    assert sorted(_buttons(qtbot)) == ["Cancel", "No", "Yes"]
