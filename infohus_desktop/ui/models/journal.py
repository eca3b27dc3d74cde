"""The journal of one case as a table model: newest first, corrections linked both ways.

Entries are never edited, so the model is rebuilt from the case whenever it is reloaded. A
correction says which entry it corrects; the corrected entry says it was corrected (and by
which entry), so a reader never mistakes the original for the last word.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from infohus_desktop.domain.cases import JournalEntry
from infohus_desktop.domain.labels import JOURNAL_KIND_LABELS
from infohus_desktop.ui.i18n import fmt_datetime, tr
from infohus_desktop.ui.labels import label

#: The entry itself, for views that show the full text.
EntryRole = Qt.ItemDataRole.UserRole + 1

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Tidspunkt", "Time"),
    ("Type", "Kind"),
    ("Af", "By"),
    ("Notat", "Entry"),
    ("Rettelse", "Correction"),
)
TEXT_COLUMN = 3

Index = QModelIndex | QPersistentModelIndex


def _first_line(text: str, limit: int = 100) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class JournalModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[JournalEntry] = []
        self._by_id: dict[uuid.UUID, JournalEntry] = {}
        self._corrected_by: dict[uuid.UUID, list[JournalEntry]] = {}
        #: Login to the name shown in the "Af" column (the case's member names).
        self.person: Callable[[str], str] = lambda login: login

    def set_entries(
        self,
        entries: tuple[JournalEntry, ...] | list[JournalEntry],
        person: Callable[[str], str] | None = None,
    ) -> None:
        self.beginResetModel()
        if person is not None:
            self.person = person
        self._entries = sorted(entries, key=lambda e: e.at, reverse=True)
        self._by_id = {e.id: e for e in self._entries}
        self._corrected_by = {}
        for entry in sorted(self._entries, key=lambda e: e.at):
            if entry.corrects is not None:
                self._corrected_by.setdefault(entry.corrects, []).append(entry)
        self.endResetModel()

    def entry(self, row: int) -> JournalEntry:
        return self._entries[row]

    def row_of(self, entry_id: uuid.UUID) -> int:
        for row, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return row
        return -1

    def corrected(self, entry: JournalEntry) -> JournalEntry | None:
        """The entry this one corrects."""
        return self._by_id.get(entry.corrects) if entry.corrects else None

    def corrections(self, entry: JournalEntry) -> list[JournalEntry]:
        """The entries that correct this one, oldest first."""
        return self._corrected_by.get(entry.id, [])

    def link_text(self, entry: JournalEntry) -> str:
        parts = []
        target = self.corrected(entry)
        if entry.corrects is not None:
            when = fmt_datetime(target.at) if target else "?"
            parts.append(tr(f"Rettelse af {when}", f"Correction of {when}"))
        for correction in self.corrections(entry):
            when = fmt_datetime(correction.at)
            parts.append(tr(f"Rettet {when}", f"Corrected {when}"))
        return "; ".join(parts)

    # -- Qt ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return tr(*COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return fmt_datetime(entry.at)
            if col == 1:
                return label(JOURNAL_KIND_LABELS, entry.kind)
            if col == 2:
                return self.person(entry.by_login)
            if col == TEXT_COLUMN:
                return _first_line(entry.text)
            if col == 4:
                return self.link_text(entry)
        if role == Qt.ItemDataRole.ToolTipRole and col == TEXT_COLUMN:
            return entry.text
        if role == Qt.ItemDataRole.FontRole and self.corrections(entry):
            font = QFont()
            font.setItalic(True)
            return font
        if role == EntryRole:
            return entry
        return None
