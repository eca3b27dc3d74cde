"""The case list's table view: sizes that fit Danish and English texts, one line per row,
sorting by a click on a column header (the model sorts; see ``ui/models/case_list.py``).

Beside an opened case the list is narrow: rather than a horizontal scroll bar hiding the
follow-up date, the less needed columns step aside (municipality first, then category, CPR,
received date and status) and come back when there is room. Number, name and follow-up stay."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.models.case_columns import (
    COL_CATEGORY,
    COL_CPR,
    COL_FOLLOW_UP,
    COL_MUNICIPALITY,
    COL_NAME,
    COL_NUMBER,
    COL_RECEIVED,
    COL_STATUS,
    HEADERS,
)
from infohus_desktop.ui.models.case_filter import CaseFilterProxy
from infohus_desktop.ui.models.case_list import CaseListModel


def case_table(model: CaseListModel, proxy: CaseFilterProxy) -> QTableView:
    table = QTableView()
    table.setObjectName("caseTable")
    table.setAccessibleName(tr("Sager", "Cases"))
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
    fm = table.fontMetrics()
    samples = {
        COL_NUMBER: "RAN-2026-0042",
        COL_STATUS: tr("Opfølgning", "In the Infohus"),
        COL_CATEGORY: tr("Venstreekstremisme", "Right-wing extremism"),
        COL_MUNICIPALITY: "Randers Kommune",
        COL_CPR: "000000-XXXX",
        COL_RECEIVED: "00.00.0000",
        COL_FOLLOW_UP: "00.00.0000",
    }
    for column, sample in samples.items():
        text_width = fm.horizontalAdvance(sample)
        header_width = fm.horizontalAdvance(
            str(model.headerData(column, Qt.Orientation.Horizontal))
        )
        table.setColumnWidth(column, max(text_width + 16, header_width + 32))  # sort arrow
    header.setMinimumSectionSize(fm.horizontalAdvance("Navn") + 40)
    ColumnFitter(table, fm.horizontalAdvance("Mmmmmmmmm"))
    return table


#: Columns that give way, the first to go last.
OPTIONAL_COLUMNS = (COL_STATUS, COL_RECEIVED, COL_CPR, COL_CATEGORY, COL_MUNICIPALITY)
ALWAYS_SHOWN = (COL_NUMBER, COL_FOLLOW_UP)  # and the name, which stretches


class ColumnFitter(QObject):
    """Shows the optional columns that fit the table's width next to the name column."""

    def __init__(self, table: QTableView, name_width: int) -> None:
        super().__init__(table)
        self.table = table
        self.name_width = name_width
        self.widths = {c: table.columnWidth(c) for c in range(len(HEADERS))}
        table.horizontalHeader().sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)  # resized after the scroll bars are placed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, new: int) -> None:
        if column != COL_NAME and new > 0:
            self.widths[column] = new  # the user's width counts from now on

    def fit(self) -> None:
        width = self.table.viewport().width()
        used = self.name_width + sum(self.widths[c] for c in ALWAYS_SHOWN)
        fits = True
        for column in OPTIONAL_COLUMNS:
            fits = fits and used + self.widths[column] <= width
            if fits:
                used += self.widths[column]
            if self.table.isColumnHidden(column) == fits:
                self.table.setColumnHidden(column, not fits)
                if fits:
                    self.table.setColumnWidth(column, self.widths[column])
