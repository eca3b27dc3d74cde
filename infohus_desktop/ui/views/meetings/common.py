"""Small pieces shared by the meeting screens: labelled buttons with a tooltip and an
accessible name, read-only tables, and a non-blocking question box (``open``, not ``exec``:
the window keeps painting and tests can press its buttons)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableView,
)

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
