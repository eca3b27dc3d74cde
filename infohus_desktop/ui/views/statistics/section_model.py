"""The numbers of one statistics section as a table model: group, count, and a total row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from infohus_desktop.domain.statistics import Section
from infohus_desktop.ui.i18n import tr

Index = QModelIndex | QPersistentModelIndex


class SectionTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, str]] = []
        self._unit = ("Sager", "Cases")

    def set_section(self, section: Section | None) -> None:
        self.beginResetModel()
        if section is None:
            self._rows = []
        else:
            self._rows = [
                (tr(*c.label), shown)
                for c, shown in zip(section.counts, section.cells(), strict=True)
            ]
            self._rows.append((tr("I alt", "Total"), section.shown_total()))
            self._unit = (section.unit[0].capitalize(), section.unit[1].capitalize())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self._rows) - 1:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return tr("Gruppe", "Group") if section == 0 else tr(*self._unit)
