"""The audit log as the DPO reads it, a page at a time.

The log can hold hundreds of thousands of entries and each is opened (decrypted, its
signature checked) before it can be filtered, so the model never asks for all of them: it
shows the pages loaded so far and tells the view it can fetch more (``canFetchMore``); the
view asks when the user scrolls near the end, and the owner loads the next page on the worker
and hands it to :meth:`append`. Times are shown in Danish local time, and each entry's
detail in words (domain/audit_words), with the detail as stored in its tooltip.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from infohus_desktop.domain.audit import AuditEntry
from infohus_desktop.domain.audit_words import detail_text
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.insight import PURPOSE_LABELS as INSIGHT_PURPOSES
from infohus_desktop.domain.insight import action_label, purpose_label
from infohus_desktop.ui.i18n import language, tr

Role = Qt.ItemDataRole
ModelIndex = QModelIndex | QPersistentModelIndex
LOCAL = COPENHAGEN
BAD = QColor("#b3261e")

HEADERS = (
    ("Tidspunkt", "Time"),
    ("Bruger", "User"),
    ("Organisation", "Organisation"),
    ("Handling", "Action"),
    ("Formål", "Purpose"),
    ("Objekt", "Object"),
    ("Detalje", "Detail"),
    ("Arbejdsstation", "Workstation"),
)
(
    COL_TIME,
    COL_USER,
    COL_ORG,
    COL_ACTION,
    COL_PURPOSE,
    COL_OBJECT,
    COL_DETAIL,
    COL_WORKSTATION,
) = range(8)

#: Purposes in words (the insight report's table), for the filter and the column.
PURPOSE_LABELS = INSIGHT_PURPOSES


class AuditLogModel(QAbstractTableModel):
    """Entries newest first. ``fetch`` is called with the last loaded ``seq`` when the view
    wants more; the owner answers with :meth:`append`."""

    def __init__(self, fetch: Callable[[int | None], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._entries: list[AuditEntry] = []
        self.organisations: dict[uuid.UUID, str] = {}
        #: Case numbers by id (cases and tombstones), so an entry names the case as people
        #: say it; other objects show their id.
        self.case_numbers: dict[str, str] = {}
        self.exhausted = False
        self.loading = False

    def reset(self) -> None:
        self.beginResetModel()
        self._entries, self.exhausted, self.loading = [], False, False
        self.endResetModel()

    def append(self, entries: Sequence[AuditEntry], exhausted: bool) -> None:
        self.loading = False
        self.exhausted = exhausted
        if entries:
            first = len(self._entries)
            self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
            self._entries.extend(entries)
            self.endInsertRows()

    def names_changed(self) -> None:
        """Organisation names or case numbers arrived: the rows shown read anew."""
        if self._entries:
            last = self.index(len(self._entries) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Role.DisplayRole])

    def entry(self, row: int) -> AuditEntry:
        return self._entries[row]

    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    # -- Qt ---------------------------------------------------------------------------------

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self.exhausted and not self.loading

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self.loading = True
        self._fetch(self._entries[-1].seq if self._entries else None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Role.DisplayRole:
            return tr(*HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, column = self._entries[index.row()], index.column()
        if role == Role.DisplayRole:
            return self._text(entry, column)
        if role == Role.ToolTipRole and column == COL_ACTION and entry.signature_ok is not False:
            return entry.action  # the code, as the filter and the CSV take it
        if role == Role.ToolTipRole and column == COL_DETAIL and entry.signature_ok is not False:
            return self._detail_tip(entry)
        if role == Role.ToolTipRole and entry.signature_ok is False:
            return tr(
                "Posten er ikke underskrevet af den, den nævner: skrevet eller ændret uden om "
                "programmet.",
                "The entry is not signed by the member it names: written or changed outside "
                "the program.",
            )
        if role == Role.ForegroundRole and entry.signature_ok is False:
            return BAD
        return None

    def _text(self, entry: AuditEntry, column: int) -> str:
        if column == COL_TIME:
            return entry.at.astimezone(LOCAL).strftime("%d.%m.%Y %H.%M.%S")
        if column == COL_USER:
            return entry.actor_login
        if column == COL_ORG:
            return (
                self.organisations.get(entry.organisation_id, "") if entry.organisation_id else ""
            )
        if column == COL_ACTION:
            return action_label(entry.action, language())
        if column == COL_PURPOSE:
            return purpose_label(entry.purpose, language())
        if column == COL_OBJECT:
            return self.case_numbers.get(entry.object_id or "", entry.object_id or "")
        if column == COL_DETAIL:
            return detail_text(entry.action, entry.detail, language(), self.case_numbers)
        return entry.workstation

    def _detail_tip(self, entry: AuditEntry) -> str | None:
        """The words whole (the column cuts a long detail off), and the detail as the entry
        stores it: what the hash chain covers, and what a reader compares with the CSV."""
        if not entry.detail:
            return None
        words = detail_text(entry.action, entry.detail, language(), self.case_numbers)
        if words == entry.detail:
            return entry.detail
        stored = tr("Som gemt i loggen", "As stored in the log")
        return f"{words}\n\n{stored}: {entry.detail}"
