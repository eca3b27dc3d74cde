"""The agenda of one meeting as a table model that can be reordered.

Reordering is the same operation whether the user drags a row, presses Ctrl+Up/Ctrl+Down or
clicks a button: :meth:`AgendaModel.move_item` moves one row (``beginMoveRows``, so the view
keeps the selection on the moved item) and emits :attr:`AgendaModel.order_changed` with the
ids in their new order, which the view sends to ``session.meetings.reorder_items`` on the
worker. Drag and drop carries the dragged item's id in our own MIME type; the model performs
the move itself and reports the drop as not consumed, so the view never removes the dragged
row as it would for a copy-then-delete move between models.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from infohus_desktop.domain.labels import ITEM_KIND_LABELS
from infohus_desktop.domain.meetings import AgendaItem, ItemKind, deleted_case_text
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.meetings import ROW_ROLE, WITHHELD

ModelIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole
MIME_TYPE = "application/x-infohus-agenda-item"


def item_subject(item: AgendaItem) -> str:
    """What the agenda shows for an item: the case by number, the trend note's title, the
    orienting organisation, the title; never a person's name (the agenda is on screen while
    others look on)."""
    if item.withheld:
        return tr(*WITHHELD)
    if item.deleted_on is not None:
        return tr(*deleted_case_text(item.deleted_on))
    parts: list[str] = []
    if item.kind is ItemKind.CASE and item.case_number:
        parts.append(item.case_number)
    if item.kind is ItemKind.TREND and item.trend_title:
        parts.append(item.trend_title)
    if item.title:
        parts.append(item.title)
    if item.kind is ItemKind.ORIENTATION and item.organisation:
        parts.append(tr(f"ved {item.organisation}", f"by {item.organisation}"))
    return " – ".join(parts) or label(ITEM_KIND_LABELS, item.kind)


class AgendaModel(QAbstractTableModel):
    """The items in agenda order. ``movable`` is False once the minutes are locked."""

    #: The ids in their new order, after the user moved an item.
    order_changed = Signal(list)

    HEADERS = (("Nr.", "No."), ("Type", "Kind"), ("Punkt", "Item"))
    COL_POSITION, COL_KIND, COL_SUBJECT = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[AgendaItem] = []
        self.movable = True

    def set_items(self, items: Sequence[AgendaItem], movable: bool = True) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda item: item.position)
        self.movable = movable
        self.endResetModel()

    def item(self, row: int) -> AgendaItem:
        return self._items[row]

    def row_of(self, item_id: uuid.UUID) -> int | None:
        for row, item in enumerate(self._items):
            if item.id == item_id:
                return row
        return None

    def ids(self) -> list[uuid.UUID]:
        return [item.id for item in self._items]

    # -- moving ---------------------------------------------------------------------------

    def move_item(self, row: int, to_row: int) -> bool:
        """Move the item at ``row`` so that it ends up at ``to_row`` (both 0-based). Emits
        :attr:`order_changed`; False when nothing moved."""
        count = len(self._items)
        if not self.movable or not (0 <= row < count and 0 <= to_row < count) or row == to_row:
            return False
        # Qt's destination is the row *before which* the item goes, counted before the move.
        destination = to_row + 1 if to_row > row else to_row
        if not self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination):
            return False
        self._items.insert(to_row, self._items.pop(row))
        self.endMoveRows()
        self._renumber()
        self.order_changed.emit(self.ids())
        return True

    def _renumber(self) -> None:
        if self._items:
            self.dataChanged.emit(
                self.index(0, self.COL_POSITION),
                self.index(len(self._items) - 1, self.COL_POSITION),
                [Role.DisplayRole],
            )

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.movable else Qt.ItemFlag.NoItemFlags
        if self.movable:
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 (Qt API)
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 (Qt API)
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt API)
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 (Qt API)
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        if rows:
            data.setData(MIME_TYPE, self._items[rows[0]].id.hex.encode("ascii"))
        return data

    def canDropMimeData(  # noqa: N802 (Qt API)
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        return self.movable and action == Qt.DropAction.MoveAction and data.hasFormat(MIME_TYPE)

    def dropMimeData(  # noqa: N802 (Qt API)
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        """Move the dragged item to where it was dropped. Returns False on purpose: the
        model has moved the row itself, and a True would make the view delete the source
        row as if it had been copied."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            item_id = uuid.UUID(hex=bytes(data.data(MIME_TYPE).data()).decode("ascii"))
        except ValueError:
            return False
        source = self.row_of(item_id)
        if source is None:
            return False
        if row < 0:  # dropped onto a row: before it; onto empty space: at the end
            row = parent.row() if parent.isValid() else len(self._items)
        target = row - 1 if row > source else row
        self.move_item(source, max(0, min(target, len(self._items) - 1)))
        return False

    # -- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Role.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return tr(*self.HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return item
        if role in (Role.DisplayRole, Role.ToolTipRole, Role.AccessibleTextRole):
            if col == self.COL_POSITION:
                return f"{index.row() + 1}."
            if col == self.COL_KIND:
                return label(ITEM_KIND_LABELS, item.kind)
            return item_subject(item)
        if role == Role.FontRole and item.withheld and col == self.COL_SUBJECT:
            font = QFont()
            font.setItalic(True)
            return font
        return None
