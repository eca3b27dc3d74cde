"""Small pieces shared by the meeting screens: labelled buttons with a tooltip and an
accessible name, read-only tables, and a non-blocking question box (``open``, not ``exec``:
the window keeps painting and tests can press its buttons)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


def small_button(text: str, name: str, tooltip: str, icon_name: str | None = None) -> QPushButton:
    button = QPushButton(icon(icon_name), text) if icon_name else QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tooltip)
    button.setAccessibleName(text.replace("&", ""))
    return button


def table_view(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


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
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirmButton")
    cancel = box.addButton(tr("Annullér", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancelButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def clicked(button: object) -> None:
        if button is yes:
            then()

    box.buttonClicked.connect(clicked)
    box.open()
    return box
