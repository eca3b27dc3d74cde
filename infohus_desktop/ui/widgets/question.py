"""A question with a "yes" that does something and a Cancel that is the default (Escape and
Enter without thought cancel): deleting, approving, resetting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from infohus_desktop.ui.i18n import tr


def ask(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    yes_text: str,
    then: Callable[[], object],
    warning: bool = False,
    detail: str = "",
) -> QMessageBox:
    """A question whose "yes" runs ``then``; Escape and the default button cancel."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    # Qt sizes a message box to its buttons: two short ones wrapped a three-sentence
    # question over five narrow lines (window trial). Room for a sentence a line.
    box.setStyleSheet(
        "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 26em; }"
    )
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirmButton")
    cancel = box.addButton(tr("Annuller", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancelButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def clicked(button: object) -> None:
        if button is yes:
            then()

    box.buttonClicked.connect(clicked)
    box.open()
    return box
