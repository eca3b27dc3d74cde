"""The trend note list: a table model over the notes the worker fetched.

The notes arrive from the worker thread (``session.trends.list()``: audited, filtered and
searched there); this module never calls a service. ``Qt.UserRole`` gives a cell's Python value
(dates as ``date``) so the view sorts dates as dates; ``DisplayRole`` gives the text.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from infohus_desktop.domain.trends import (
    AREA_KIND_LABELS,
    DEVELOPMENT_LABELS,
    Development,
    TrendNote,
)
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.models.tampered import tampered_role, tampered_text

ModelIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

COL_PERIOD, COL_TITLE, COL_THEME, COL_AREA, COL_DEVELOPMENT, COL_FOLLOW_UP = range(6)
HEADERS: tuple[tuple[str, str], ...] = (
    ("Periode", "Period"),
    ("Titel", "Title"),
    ("Tema", "Theme"),
    ("Område", "Area"),
    ("Udvikling", "Development"),
    ("Opfølgning", "Follow-up"),
)
#: Arrows beside the development, so it reads without colour too.
DEVELOPMENT_ARROWS = {Development.RISING: "↗", Development.STABLE: "→", Development.FALLING: "↘"}
_DEVELOPMENT_COLOURS = {
    Development.RISING: QColor("#a33a00"),
    Development.STABLE: QColor("#444444"),
    Development.FALLING: QColor("#1f6b3a"),
}


def period_text(start: date, end: date) -> str:
    return f"{fmt_date(start)} – {fmt_date(end)}"


def development_text(development: Development) -> str:
    return f"{DEVELOPMENT_ARROWS[development]} {tr(*DEVELOPMENT_LABELS[development])}"


class TrendListModel(QAbstractTableModel):
    """Trend notes as rows, in the order the service returned them (newest period first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notes: list[TrendNote] = []
        self._themes: dict[str, tuple[str, str]] = {}

    def set_notes(self, notes: Sequence[TrendNote]) -> None:
        self.beginResetModel()
        self._notes = list(notes)
        self.endResetModel()

    def set_themes(self, themes: dict[str, tuple[str, str]]) -> None:
        """Theme labels (code -> (da, en)); unknown codes show as the code."""
        self._themes = dict(themes)
        if self._notes:
            last = len(self._notes) - 1
            self.dataChanged.emit(
                self.index(0, COL_THEME), self.index(last, COL_THEME), [Role.DisplayRole]
            )

    def theme_label(self, code: str) -> str:
        labels = self._themes.get(code)
        return tr(*labels) if labels else code

    @property
    def notes(self) -> Sequence[TrendNote]:
        return self._notes

    def note_at(self, row: int) -> TrendNote | None:
        return self._notes[row] if 0 <= row < len(self._notes) else None

    def row_of(self, note_id: uuid.UUID) -> int:
        return next((i for i, n in enumerate(self._notes) if n.id == note_id), -1)

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._notes)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Role.DisplayRole and 0 <= section < len(HEADERS):
            return tr(*HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        c, column = note.content, index.column()
        if note.tampered and role in (Role.DisplayRole, Role.ForegroundRole, Role.ToolTipRole):
            if role == Role.DisplayRole:
                return tampered_text() if column == COL_TITLE else ""
            return tampered_role(role)
        if role == Role.DisplayRole:
            if column == COL_PERIOD:
                return period_text(c.period_from, c.period_to)
            if column == COL_TITLE:
                return c.title
            if column == COL_THEME:
                return self.theme_label(c.theme)
            if column == COL_AREA:
                return c.area or tr(*AREA_KIND_LABELS[c.area_kind])
            if column == COL_DEVELOPMENT:
                return development_text(c.development)
            if column == COL_FOLLOW_UP:
                return fmt_date(c.follow_up)
        if role == Role.UserRole:
            values: dict[int, Any] = {
                COL_PERIOD: c.period_from,
                COL_TITLE: c.title,
                COL_THEME: c.theme,
                COL_AREA: c.area,
                COL_DEVELOPMENT: c.development,
                COL_FOLLOW_UP: c.follow_up,
            }
            return values.get(column)
        if role == Role.ForegroundRole and column == COL_DEVELOPMENT:
            return _DEVELOPMENT_COLOURS[c.development]
        if role == Role.ToolTipRole:
            if column == COL_AREA:
                return f"{tr(*AREA_KIND_LABELS[c.area_kind])}: {c.area}"
            if column in (COL_TITLE, COL_THEME):
                return self.data(index, Role.DisplayRole)
        return None
