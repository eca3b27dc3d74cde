"""Qt's own words in the window's language: the buttons of a question, a message's details,
which Qt translates itself. The Danish window's questions said Yes and No: the catalog
loaded did not load from PySide6's wheels (i18n.py says why)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_a_message_s_details_button_has_the_window_s_ellipsis(qtbot: QtBot) -> None:
    i18n.set_language("da")
    box = QMessageBox(QMessageBox.Icon.Information, "?", "?")
    box.setDetailedText("detaljer")
    qtbot.addWidget(box)
    assert [b.text() for b in box.buttons()] == ["Vis detaljer …"]


def test_the_file_dialog_speaks_danish_beside_filnavn(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QFileDialog, QLabel

    i18n.set_language("da")
    dialog = QFileDialog(None, "Gem PDF")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Kig i:", "&Filnavn:", "Filer af &type:"} <= labels


def test_the_shipped_catalog_is_the_compiled_source(tmp_path: Path) -> None:
    """qt_gaps_da.qm is what pyside6-lrelease makes of qt_gaps_da.ts (edit the .ts, then
    compile: `pyside6-lrelease qt_gaps_da.ts`)."""
    from infohus_desktop.resources import resource_path

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    source = resource_path("translations", "qt_gaps_da.ts")
    compiled = tmp_path / "again.qm"
    subprocess.run(
        [str(lrelease), str(source), "-qm", str(compiled)], check=True, capture_output=True
    )
    shipped = resource_path("translations", "qt_gaps_da.qm")
    assert compiled.read_bytes() == shipped.read_bytes()
