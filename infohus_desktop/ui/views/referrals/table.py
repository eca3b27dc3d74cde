"""The referral list's table view, shared by the referrals area and a case's tab: rows
selected whole, sorted by a click on a header (Python values, see the model), names shown
whole and the recipient programme (long, and the same few values) taking the spare width."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from infohus_desktop.ui.models.referral_list import COL_DATE, COL_PROGRAMME, ReferralFilterProxy


def referral_table(proxy: ReferralFilterProxy, name: str, accessible: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(COL_PROGRAMME, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(60)
    header.setHighlightSections(False)
    return table
