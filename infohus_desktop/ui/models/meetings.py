"""The meeting list and the action-item list as table models, and the meeting labels.

Both lists arrive whole from the worker (``session.meetings.list()``, the action-item lists);
this module never calls a service. Dates are shown as ``23.11.2026`` and times as ``14.30`` in
Copenhagen time, whatever zone the machine is in: a meeting is at 14.30 in Aarhus.

An overdue action item is marked three ways, so colour is never the only sign: red text, a
warning icon and the word "Overskredet"/"Overdue" in its deadline cell.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.labels import (
    ACTION_STATUS_LABELS,
    MEETING_KIND_LABELS,
    MEETING_STATUS_LABELS,
)
from infohus_desktop.domain.meetings import (
    ActionItem,
    ActionStatus,
    MeetingSummary,
    MeetingType,
)
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.tampered import tampered_role, tampered_text

ModelIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole
Pair = tuple[str, str]
#: Meetings are held in Denmark: shown in Copenhagen time.
LOCAL_ZONE = COPENHAGEN
OVERDUE_COLOUR = QColor("#b3261e")
#: ``data(index, ROW_ROLE)``: the row's summary or action item.
ROW_ROLE = Role.UserRole + 1

MEETING_TYPE_LABELS: dict[MeetingType, Pair] = {
    MeetingType.ORDINARY: ("Ordinært", "Ordinary"),
    MeetingType.EXTRAORDINARY: ("Ekstraordinært", "Extraordinary"),
}
WITHHELD: Pair = ("Indhold tilbageholdt", "Content withheld")


def local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_ZONE) if value.tzinfo else value


def fmt_time(value: datetime | None) -> str:
    """``14.30``: the form Danish documents use, in both languages."""
    return local(value).strftime("%H.%M") if value else ""


def fmt_when(value: datetime | None) -> str:
    """``23.11.2026 kl. 14.30`` / ``23.11.2026 at 14.30``."""
    if value is None:
        return ""
    moment = local(value)
    return tr(
        f"{fmt_date(moment.date())} kl. {fmt_time(moment)}",
        f"{fmt_date(moment.date())} at {fmt_time(moment)}",
    )


def overdue_text(item: ActionItem, today: date) -> str:
    """The deadline cell: the date, and the word that says it has passed."""
    when = fmt_date(item.deadline) if item.deadline else tr("Ingen frist", "No deadline")
    if item.overdue(today):
        return tr(f"{when} – overskredet", f"{when} – overdue")
    return when


def action_status_text(item: ActionItem) -> str:
    """``Udført (Anne Holm 23.11.2026 kl. 14.30)``: a closed item says who closed it, when."""
    status = label(ACTION_STATUS_LABELS, item.status)
    if item.status is ActionStatus.DONE and item.closed_at is not None:
        who = item.closed_by_name or "?"
        return f"{status} ({who} {fmt_when(item.closed_at)})"
    return status


class _TableModel(QAbstractTableModel):
    """Rows of frozen dataclasses with fixed column headers."""

    HEADERS: tuple[Pair, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, row_id: uuid.UUID) -> int | None:
        for row, value in enumerate(self._rows):
            if value.id == row_id:
                return row
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

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

    def _valid(self, index: ModelIndex) -> bool:
        return (
            index.isValid()
            and 0 <= index.row() < len(self._rows)
            and 0 <= index.column() < len(self.HEADERS)
        )


class MeetingListModel(_TableModel):
    """Meeting summaries, newest first (as the service lists them)."""

    HEADERS = (
        ("Dato", "Date"),
        ("Tid", "Time"),
        ("Type", "Kind"),
        ("Infohus", "Infohus"),
        ("Titel", "Title"),
        ("Status", "Status"),
        ("Punkter", "Items"),
    )
    COL_DATE, COL_TIME, COL_KIND, COL_FORUM, COL_TITLE, COL_STATUS, COL_ITEMS = range(7)

    def summary(self, row: int) -> MeetingSummary:
        return cast(MeetingSummary, self._rows[row])

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        meeting: MeetingSummary = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return meeting
        if meeting.tampered:
            if role == Role.DisplayRole:
                return tampered_text() if col == self.COL_TITLE else ""
            return tampered_role(role)
        if role == Role.DisplayRole:
            return self._text(meeting, col)
        if role == Role.ToolTipRole and col in (self.COL_TITLE, self.COL_FORUM):
            return self._text(meeting, col)
        if role == Role.TextAlignmentRole and col == self.COL_ITEMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, meeting: MeetingSummary, col: int) -> str:
        if col == self.COL_DATE:
            return fmt_date(local(meeting.starts_at).date())
        if col == self.COL_TIME:
            return fmt_time(meeting.starts_at)
        if col == self.COL_KIND:
            kind = label(MEETING_KIND_LABELS, meeting.kind)
            if meeting.meeting_type is MeetingType.EXTRAORDINARY:
                return tr(f"{kind} (ekstraordinært)", f"{kind} (extraordinary)")
            return kind
        if col == self.COL_FORUM:
            return meeting.forum
        if col == self.COL_TITLE:
            return meeting.title
        if col == self.COL_STATUS:
            return label(MEETING_STATUS_LABELS, meeting.status)
        return str(meeting.item_count)


class ActionItemModel(_TableModel):
    """Action items across meetings. ``today`` decides what is overdue."""

    HEADERS = (
        ("Frist", "Deadline"),
        ("Opgave", "Action item"),
        ("Ansvarlig", "Owner"),
        ("Sag", "Case"),
        ("Møde", "Meeting"),
        ("Status", "Status"),
    )
    COL_DEADLINE, COL_TEXT, COL_OWNER, COL_CASE, COL_MEETING, COL_STATUS = range(6)

    def __init__(
        self,
        parent: QObject | None = None,
        today: Callable[[], date] = date.today,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.today = today
        #: In a narrow table an overdue deadline is the date with the warning icon, in bold
        #: red; the word "overskredet" is then in its tooltip and accessible text.
        self.compact = compact

    def item(self, row: int) -> ActionItem:
        return cast(ActionItem, self._rows[row])

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        item: ActionItem = self._rows[index.row()]
        col = index.column()
        overdue = item.overdue(self.today())
        if role == ROW_ROLE:
            return item
        if item.tampered:
            if role == Role.DisplayRole:
                return tampered_text() if col == self.COL_TEXT else ""
            return tampered_role(role)
        if role == Role.DisplayRole:
            if self.compact and col == self.COL_DEADLINE and item.deadline is not None:
                return fmt_date(item.deadline)
            return self._text(item, col)
        if role == Role.ToolTipRole:
            if col == self.COL_DEADLINE and overdue:
                return overdue_text(item, self.today())
            if col == self.COL_MEETING:
                return self._text(item, col)
            if col == self.COL_TEXT:
                meeting = self._text(item, self.COL_MEETING)
                return f"{self._text(item, col)}\n{meeting}" if meeting else self._text(item, col)
        if overdue and col == self.COL_DEADLINE:
            if role == Role.ForegroundRole:
                return OVERDUE_COLOUR
            if role == Role.DecorationRole:
                return icon("warning")
            if role == Role.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Role.AccessibleTextRole and col == self.COL_DEADLINE:
            return self._text(item, col)
        return None

    def _text(self, item: ActionItem, col: int) -> str:
        if col == self.COL_DEADLINE:
            return overdue_text(item, self.today())
        if col == self.COL_TEXT:
            return tr(*WITHHELD) if item.withheld else item.text
        if col == self.COL_OWNER:
            return "" if item.withheld else item.owner_name
        if col == self.COL_CASE:
            return item.case_number or ""
        if col == self.COL_MEETING:
            when = fmt_date(item.meeting_date) if item.meeting_date else ""
            return " ".join(part for part in (when, item.meeting_title) if part)
        return action_status_text(item)
