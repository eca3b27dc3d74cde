"""The referral list: a table model over the member's referrals (outgoing, from the cases
they can read) and the incoming referrals imported from bundles, and a filter proxy.

The rows arrive from the worker (``session.referrals.list()`` and ``.incoming()``); this
module never calls a service. An incoming referral is another organisation's form, not one of
our cases: it has no case number and no workflow here, so it is a row of its own kind, marked
"Indgående" in its first column, in italics and with a tinted background, and the filter can
show only those or only ours.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from infohus_desktop.domain.referral_workflow import REFERRAL_STATUS_LABELS, ReferralStatus
from infohus_desktop.domain.referrals import (
    PROGRAMME_LABELS,
    IncomingReferral,
    Programme,
    ReferralSummary,
)
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.case_keys import danish_key
from infohus_desktop.ui.models.tampered import tampered_role, tampered_text

ModelIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

COL_DIRECTION, COL_CASE, COL_NAME, COL_PROGRAMME, COL_STATUS, COL_DATE, COL_SENT = range(7)
HEADERS: tuple[tuple[str, str], ...] = (
    ("Retning", "Direction"),
    ("Sag / afsender", "Case / sender"),
    ("Navn", "Name"),
    ("Modtager", "Recipient"),
    ("Status", "Status"),
    ("Dato", "Date"),
    ("Sendt", "Sent"),
)
#: ``data(index, SORT_KEY_ROLE)``: the key the proxy sorts a column by.
SORT_KEY_ROLE = Role.UserRole + 1
INCOMING_BG = QColor("#fff4d6")
_STATUS_ORDER = {status: i for i, status in enumerate(ReferralStatus)}


@dataclass(frozen=True, slots=True)
class ReferralRow:
    """One row: an outgoing referral (``summary``) or an incoming one (``incoming``)."""

    summary: ReferralSummary | None = None
    incoming: IncomingReferral | None = None

    @property
    def id(self) -> uuid.UUID:
        if self.summary is not None:
            return self.summary.id
        assert self.incoming is not None
        return self.incoming.id

    @property
    def is_incoming(self) -> bool:
        return self.incoming is not None

    @property
    def status(self) -> ReferralStatus | None:
        return self.summary.status if self.summary is not None else None

    @property
    def programme(self) -> Programme:
        if self.summary is not None:
            return self.summary.programme
        assert self.incoming is not None
        return self.incoming.programme

    @property
    def case_or_sender(self) -> str:
        if self.summary is not None:
            return self.summary.case_number
        assert self.incoming is not None
        return self.incoming.sender

    @property
    def person_name(self) -> str:
        if self.summary is not None:
            return self.summary.person_name
        assert self.incoming is not None
        name = self.incoming.values.get("person_name", "")
        return name if isinstance(name, str) else ""

    @property
    def day(self) -> date:
        if self.summary is not None:
            return self.summary.referral_date
        assert self.incoming is not None
        return self.incoming.received_at.date()

    @property
    def sent_on(self) -> date | None:
        return self.summary.sent_on if self.summary is not None else None

    @property
    def tampered(self) -> bool:
        """Changed outside the program: shown so, with none of its values."""
        if self.summary is not None:
            return self.summary.tampered
        assert self.incoming is not None
        return self.incoming.tampered


def rows_of(
    summaries: Sequence[ReferralSummary], incoming: Sequence[IncomingReferral] = ()
) -> list[ReferralRow]:
    return [ReferralRow(summary=s) for s in summaries] + [ReferralRow(incoming=i) for i in incoming]


class ReferralListModel(QAbstractTableModel):
    """Rows of :class:`ReferralRow`. ``Qt.UserRole`` on any cell gives the row's id."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ReferralRow] = []
        self._italic: QFont | None = None

    def set_rows(self, rows: Sequence[ReferralRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ReferralRow:
        return self._rows[row]

    def row_of(self, referral_id: uuid.UUID) -> int | None:
        for n, row in enumerate(self._rows):
            if row.id == referral_id:
                return n
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Role.DisplayRole:
            return tr(*HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(HEADERS)):
            return None
        item = self._rows[row]
        if item.tampered and role in (Role.DisplayRole, Role.ForegroundRole, Role.ToolTipRole):
            if role == Role.DisplayRole:
                if column == COL_NAME:
                    return tampered_text()
                return _text(item, column) if column in (COL_DIRECTION, COL_CASE) else ""
            return tampered_role(role)
        if role == Role.DisplayRole:
            return _text(item, column)
        if role == Role.UserRole:
            return item.id
        if role == SORT_KEY_ROLE:
            return _sort_key(item, column)
        if role == Role.ToolTipRole and item.is_incoming and column == COL_DIRECTION:
            return tr(
                "Modtaget i en krypteret pakke fra en anden organisation",
                "Received in an encrypted bundle from another organisation",
            )
        if item.is_incoming and role == Role.BackgroundRole:
            return INCOMING_BG
        if item.is_incoming and role == Role.FontRole:
            if self._italic is None:
                self._italic = QFont()
                self._italic.setItalic(True)
            return self._italic
        return None


def _text(item: ReferralRow, column: int) -> str:
    if column == COL_DIRECTION:
        return tr("Indgående", "Incoming") if item.is_incoming else tr("Udgående", "Outgoing")
    if column == COL_CASE:
        return item.case_or_sender
    if column == COL_NAME:
        return item.person_name
    if column == COL_PROGRAMME:
        return label(PROGRAMME_LABELS, item.programme)
    if column == COL_STATUS:
        status = item.status
        return label(REFERRAL_STATUS_LABELS, status) if status else tr("Modtaget", "Received")
    if column == COL_DATE:
        return fmt_date(item.day)
    if column == COL_SENT:
        return fmt_date(item.sent_on)
    return ""


def _sort_key(item: ReferralRow, column: int) -> tuple[Any, ...]:
    """Python values, so dates sort as dates and names in Danish order; empty last."""
    if column == COL_DIRECTION:
        return (item.is_incoming,)
    if column == COL_CASE:
        return (danish_key(item.case_or_sender),)
    if column == COL_NAME:
        return (not item.person_name, danish_key(item.person_name))
    if column == COL_PROGRAMME:
        return (list(Programme).index(item.programme),)
    if column == COL_STATUS:
        status = item.status
        return (status is None, _STATUS_ORDER.get(status, 0) if status else 0)
    if column == COL_DATE:
        return (item.day,)
    if column == COL_SENT:
        return (item.sent_on is None, item.sent_on or date.min)
    return ()


@dataclass(frozen=True, slots=True)
class ReferralFilter:
    """What the list shows: statuses (empty = all), direction and a free-text search over
    case number, sender and name."""

    statuses: frozenset[ReferralStatus] = frozenset()
    direction: str = "all"  # "all", "out", "in"
    text: str = ""

    def accepts(self, item: ReferralRow) -> bool:
        if self.direction == "out" and item.is_incoming:
            return False
        if self.direction == "in" and not item.is_incoming:
            return False
        if self.statuses and not item.is_incoming and item.status not in self.statuses:
            return False
        if self.statuses and item.is_incoming and self.direction != "in":
            return False
        needle = self.text.strip().casefold()
        if needle:
            hay = f"{item.case_or_sender} {item.person_name}".casefold()
            return all(word in hay for word in needle.split())
        return True


class ReferralFilterProxy(QSortFilterProxyModel):
    """Filters rows by :class:`ReferralFilter` and sorts by Python values."""

    def __init__(self, model: ReferralListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self.setSortRole(SORT_KEY_ROLE)
        self._filter = ReferralFilter()

    @property
    def list_filter(self) -> ReferralFilter:
        return self._filter

    def set_filter(self, list_filter: ReferralFilter) -> None:
        self._filter = list_filter
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, ReferralListModel)
        return self._filter.accepts(model.row_at(source_row))

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:  # noqa: N802 (Qt API)
        a, b = left.data(SORT_KEY_ROLE), right.data(SORT_KEY_ROLE)
        return bool(a < b)
