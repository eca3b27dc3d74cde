"""The case list: a table model over the member's case summaries.

The summaries arrive from the worker thread (``session.cases.list()``); this module never calls
a service. Rows are built lazily: the model keeps the summaries as they came, plus one folded
name per row for the search, and computes each cell's text when the view asks for it. The
filter runs in memory over the decrypted list (SECURITY.md), as the user types.

Sorting happens in the source model, not in the proxy: a Python ``lessThan`` is called about
1.7 million times for 100,000 rows (7 s measured); sorting the row order with Python's
``sorted()`` over the same Python values (the ``Qt.UserRole`` values, turned into sort keys)
takes a tenth of a second. The proxy forwards :meth:`CaseFilterProxy.sort` to the model and
keeps the model's order.

Filtering happens in :mod:`~infohus_desktop.ui.models.case_filter` over the columns this
model keeps (folded names, numbers, CPR digits). A save changes one row in the model
(:meth:`CaseListModel.upsert`, :meth:`CaseListModel.remove`): the model moves, inserts or
removes that row alone, and the list is never fetched again for it.
"""

from __future__ import annotations

import uuid
from array import array
from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from infohus_desktop.domain.cases import TAMPERED_TEXT, CaseSummary
from infohus_desktop.domain.workflow import OPEN_STATUSES, STATUS_LABELS
from infohus_desktop.ui.i18n import fmt_date, tr
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
    SORT_KEY_ROLE,
    column_value,
    compact,
    sort_key,
)
from infohus_desktop.ui.models.case_keys import (
    follow_up_due,
    mask_cpr,
    search_fold,
)

ModelIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

DUE_COLOUR = QColor("#b3261e")
_DUE_ROLES = (Role.ForegroundRole, Role.FontRole, Role.ToolTipRole)
#: The roles a cell may answer. The view's delegate asks seven roles of every cell it paints
#: (alignment, check state, decoration and background among them): the others are None
#: without a look at the row (a repaint of 100,000 listed cases: 6.3 -> 5.7 ms).
ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Role.DisplayRole,
        Role.UserRole,
        SORT_KEY_ROLE,
        *_DUE_ROLES,
        Role.AccessibleTextRole,
    )
)
_ID_INT = attrgetter("key")


def is_due(case: CaseSummary, today: date) -> bool:
    return follow_up_due(case.follow_up, case.status in OPEN_STATUSES, today)


class CaseListModel(QAbstractTableModel):
    """Case summaries as rows. ``Qt.UserRole`` gives a cell's Python value (a ``date`` for
    dates, the ten CPR digits, the status); ``DisplayRole`` its text (the CPR masked)."""

    def __init__(
        self, parent: QObject | None = None, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self.today = today
        #: Increases whenever the rows are replaced: the proxy recomputes what it shows.
        self.generation = 0
        self._cases: list[CaseSummary] = []
        self._names: list[str] = []  # folded names, for the search
        self._cprs: list[str] = []  # CPR digits or "", for the search
        self._numbers: list[str] = []
        #: 0, 1, 2, ... as many as _cases: the one set of int objects every list of
        #: positions or rows below shares (100,000 ints of their own cost 2.7 MiB per list).
        self._positions: list[int] = []
        self._order: list[int] = []  # view row -> index in _cases
        self._rows_of: dict[str, int] | None = None  # case number -> view row, built on demand
        self._rank: list[int] | None = None  # position in _cases -> view row (-1: gone)
        self._in_view_order: itemgetter[Any] | None = None
        #: Case id (its 128-bit int: hashed in C, unlike a UUID) -> index in _cases, of the
        #: listed cases; made on first use (a save, 15 ms at 100,000 cases): 5 MiB that a
        #: session which only reads never needs.
        self._position_of: dict[int, int] | None = None
        self._cpr_order: array[int] | None = None  # positions by CPR number, made on use
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._sort_keys: dict[int, list[Any]] = {}
        self._categories: dict[str, tuple[str, str]] = {}
        self._bold: QFont | None = None

    # -- filling ----------------------------------------------------------------------------

    def set_cases(self, cases: Sequence[CaseSummary]) -> None:
        """Replace every row (the list was fetched again); the current sort order is kept."""
        self.beginResetModel()
        self._cases = list(cases)
        self._positions = list(range(len(self._cases)))
        self._names = compact([search_fold(c.person_name) for c in self._cases])
        self._cprs = [c.person_cpr or "" for c in self._cases]
        self._numbers = compact([c.number for c in self._cases])
        self._cpr_order = None
        self.cpr_order()  # now rather than on the first digit typed (40 ms at 100,000)
        self._sort_keys.clear()
        self._order = self._sorted_order(self._sort_column, self._sort_order, self._positions)
        self._order_changed()
        self._position_of = None
        self.generation += 1
        self.endResetModel()

    def upsert(self, case: CaseSummary) -> None:
        """One case saved (or newly readable): its row alone changes, moves to where the
        current sort puts it, or is inserted there. The other rows are not touched."""
        position_of = self._positions_by_id()
        position = position_of.get(case.key)
        if position is None:
            position = len(self._cases)
            self._cases.append(case)
            self._positions.append(position)
            self._names.append(search_fold(case.person_name))
            self._cprs.append(case.person_cpr or "")
            self._cpr_order_add(position)
            self._numbers.append(case.number)
            for column, keys in self._sort_keys.items():
                keys.append(sort_key(case, column, self.category_label))
            position_of[case.key] = position
            row = self._insertion_row(position)
            self.beginInsertRows(QModelIndex(), row, row)
            self._order.insert(row, position)
            self._order_changed()
            self.endInsertRows()
            return
        old_row = self._order.index(position)
        self._cases[position] = case
        self._names[position] = search_fold(case.person_name)
        self._cpr_order_remove(position)
        self._cprs[position] = case.person_cpr or ""
        self._cpr_order_add(position)
        self._numbers[position] = case.number
        for column, keys in self._sort_keys.items():
            keys[position] = sort_key(case, column, self.category_label)
        del self._order[old_row]
        new_row = self._insertion_row(position)
        self._order.insert(old_row, position)
        if new_row != old_row:
            # Qt counts the destination before the move: below the row, one more.
            destination = new_row if new_row < old_row else new_row + 1
            self.beginMoveRows(QModelIndex(), old_row, old_row, QModelIndex(), destination)
            del self._order[old_row]
            self._order.insert(new_row, position)
            self._order_changed()
            self.endMoveRows()
        last = len(HEADERS) - 1
        self.dataChanged.emit(self.index(new_row, 0), self.index(new_row, last))

    def remove(self, case_id: uuid.UUID) -> None:
        """A case deleted or out of the member's reach: its row goes (its summary stays
        behind, unreachable, until the next whole list)."""
        position = self._positions_by_id().pop(case_id.int, None)
        if position is None:
            return
        row = self._order.index(position)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._order[row]
        self._order_changed()
        self.endRemoveRows()

    def remove_ref(self, ref: str) -> None:
        """:meth:`remove` by id or case number (what a change names)."""
        try:
            self.remove(uuid.UUID(ref))
        except ValueError:
            row = self.row_of(ref.strip().upper())
            if row is not None:
                self.remove(self.case_at(row).id)

    def contains(self, case_id: uuid.UUID) -> bool:
        return case_id.int in self._positions_by_id()

    def _positions_by_id(self) -> dict[int, int]:
        if self._position_of is None:
            # Made only while every case of set_cases() is listed (then kept up to date):
            # one pass in C.
            self._position_of = dict(zip(map(_ID_INT, self._cases), self._positions, strict=True))
        return self._position_of

    def _insertion_row(self, position: int) -> int:
        """Where ``position`` goes in ``_order`` (which does not hold it) under the current
        sort: after its equals, empty values last; in arrival order by position."""
        order = self._order
        if not 0 <= self._sort_column < len(HEADERS):
            return bisect_left(order, position)
        keys = self._column_keys(self._sort_column)
        key = keys[position]
        # The filled values come first, the empty ones after them.
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[order[mid]] is None:
                hi = mid
            else:
                lo = mid + 1
        filled = lo
        if key is None:
            return len(order)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        lo, hi = 0, filled
        while lo < hi:
            mid = (lo + hi) // 2
            other = keys[order[mid]]
            if (other < key) if descending else (key < other):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def set_categories(self, labels: dict[str, tuple[str, str]]) -> None:
        """The vault's category labels (code -> (da, en)); unknown codes show as the code."""
        self._categories = dict(labels)
        self._sort_keys.pop(COL_CATEGORY, None)
        if self._cases:
            last = len(self._cases) - 1
            self.dataChanged.emit(
                self.index(0, COL_CATEGORY), self.index(last, COL_CATEGORY), [Role.DisplayRole]
            )

    def category_label(self, code: str) -> str:
        labels = self._categories.get(code)
        return tr(*labels) if labels else code

    # -- access for the proxy and the views -------------------------------------------------

    @property
    def cases(self) -> Sequence[CaseSummary]:
        """The summaries in the order they arrived (not the view order)."""
        return self._cases

    @property
    def folded_names(self) -> Sequence[str]:
        return self._names

    @property
    def cprs(self) -> Sequence[str]:
        return self._cprs

    @property
    def numbers(self) -> Sequence[str]:
        return self._numbers

    def cpr_order(self) -> Sequence[int]:
        """Every position in :attr:`cases`, sorted by CPR number (made on first use, then
        kept up to date by :meth:`upsert`): the search finds a CPR prefix by bisection."""
        if self._cpr_order is None:
            cprs = self._cprs
            self._cpr_order = array("i", sorted(range(len(cprs)), key=cprs.__getitem__))
        return self._cpr_order

    def _cpr_order_remove(self, position: int) -> None:
        order, cprs = self._cpr_order, self._cprs
        if order is None:
            return
        at = bisect_left(order, cprs[position], key=cprs.__getitem__)
        while order[at] != position:
            at += 1
        del order[at]

    def _cpr_order_add(self, position: int) -> None:
        if self._cpr_order is not None:
            insort(self._cpr_order, position, key=self._cprs.__getitem__)

    @property
    def positions(self) -> Sequence[int]:
        """0 to the number of :attr:`cases` less one, as one shared list: lists of positions
        or rows made from it (``[p for p in positions if ...]``, slices) make no ints."""
        return self._positions

    @property
    def order(self) -> Sequence[int]:
        """View row -> position in :attr:`cases`."""
        return self._order

    def _order_changed(self) -> None:
        self._rows_of = None
        self._rank = None
        self._in_view_order = None

    def in_view_order(self, values: Sequence[Any]) -> Sequence[Any]:
        """``values`` (by position in :attr:`cases`) in view order, in one C-level call (a
        first keystroke that matches every row of 100,000 needs this)."""
        if len(self._order) < 2:
            return [values[p] for p in self._order]
        if self._in_view_order is None:
            self._in_view_order = itemgetter(*self._order)
        picked: tuple[Any, ...] = self._in_view_order(values)
        return picked

    def rank(self) -> Sequence[int]:
        """View row by position in :attr:`cases` (-1: not listed), made on first use after
        the order changed."""
        if self._rank is None:
            rank = [-1] * len(self._cases)
            for row, position in zip(self._positions, self._order, strict=False):
                rank[position] = row
            self._rank = rank
        return self._rank

    def row_of_position(self, position: int) -> int | None:
        """The view row of a position in :attr:`cases` (None: no longer listed)."""
        try:
            return self._order.index(position)
        except ValueError:
            return None

    def case_at(self, row: int) -> CaseSummary:
        return self._cases[self._order[row]]

    def row_of(self, number: str) -> int | None:
        """The view row of a case number, or None when it is not in the list."""
        if self._rows_of is None:
            cases = self._cases
            self._rows_of = {cases[i].number: row for row, i in enumerate(self._order)}
        return self._rows_of.get(number)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Role.DisplayRole:
            return tr(*HEADERS[section])
        if role == Role.ToolTipRole and section == COL_CPR:
            return tr(
                "Kun fødselsdatoen vises her; hele CPR-nummeret står i sagen.",
                "Only the date of birth is shown here; the full CPR number is in the case.",
            )
        return None

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int = Role.DisplayRole) -> Any:
        """:meth:`data` by row and column (the proxy asks this without making indexes)."""
        if role not in ANSWERED_ROLES or not (
            0 <= row < len(self._order) and 0 <= column < len(HEADERS)
        ):
            return None
        case = self._cases[self._order[row]]
        if role == Role.DisplayRole:
            return self._text(case, column)
        if role == Role.UserRole:
            return column_value(case, column)
        if role == SORT_KEY_ROLE:
            return self._sort_key(column, self._order[row])
        if case.tampered and role in _DUE_ROLES:
            if role == Role.ForegroundRole:
                return DUE_COLOUR
            if role == Role.FontRole:
                return None
            return tr(
                "Sagen kan ikke læses: den er ændret uden om programmet. Det er registreret i "
                "revisionsloggen; kontakt en koordinator.",
                "The case cannot be read: it was changed outside the program. This is recorded "
                "in the audit log; contact a coordinator.",
            )
        if column == COL_FOLLOW_UP and role in _DUE_ROLES:
            if not is_due(case, self.today()):
                return None
            if role == Role.ForegroundRole:
                return DUE_COLOUR
            if role == Role.FontRole:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return tr("Opfølgningen er forfalden", "The follow-up is due")
        if role == Role.AccessibleTextRole and column == COL_CPR and case.person_cpr:
            return tr("CPR, fødselsdato ", "CPR, date of birth ") + case.person_cpr[:6]
        return None

    def _text(self, case: CaseSummary, column: int) -> str:
        if column == COL_NUMBER:
            return case.number
        if case.tampered:
            return tr(*TAMPERED_TEXT) if column == COL_NAME else ""
        if column == COL_STATUS:
            return tr(*STATUS_LABELS[case.status])
        if column == COL_CATEGORY:
            return self.category_label(case.category)
        if column == COL_MUNICIPALITY:
            return case.municipality
        if column == COL_NAME:
            return case.person_name
        if column == COL_CPR:
            return mask_cpr(case.person_cpr)
        if column == COL_RECEIVED:
            return fmt_date(case.received)
        return fmt_date(case.follow_up)

    # -- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column's Python value; empty values last in both directions.
        Ties keep their previous order (a stable sort), so sorting by status after sorting by
        date gives dates within each status. Column -1 restores the order of arrival."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_positions = self._order
        self._order = self._sorted_order(column, order, old_positions)
        self._order_changed()
        new_row = [0] * len(self._order)
        for row, position in enumerate(self._order):
            new_row[position] = row
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old,
            [self.index(new_row[old_positions[i.row()]], i.column()) for i in old],
        )
        self.layoutChanged.emit()

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def _sorted_order(self, column: int, order: Qt.SortOrder, previous: Sequence[int]) -> list[int]:
        if not 0 <= column < len(HEADERS):
            return list(self._positions)
        keys = self._column_keys(column)
        filled = [i for i in previous if keys[i] is not None]
        empty = [i for i in previous if keys[i] is None]
        filled.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return filled + empty

    def _sort_key(self, column: int, position: int) -> Any:
        return self._column_keys(column)[position]

    def _column_keys(self, column: int) -> list[Any]:
        """Sort keys of one column by position in :attr:`cases`, made on first use."""
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = [sort_key(case, column, self.category_label) for case in self._cases]
            self._sort_keys[column] = keys
        return keys
