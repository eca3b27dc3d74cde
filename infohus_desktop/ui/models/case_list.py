"""The case list: a table model over the member's case summaries and a filter proxy.

The summaries arrive from the worker thread (``session.cases.list()``); this module never calls
a service. Rows are built lazily: the model keeps the summaries as they came, plus one folded
name per row for the search, and computes each cell's text when the view asks for it. The
filter runs in memory over the decrypted list (SECURITY.md), as the user types.

Sorting happens in the source model, not in the proxy: a Python ``lessThan`` is called about
1.7 million times for 100,000 rows (7 s measured); sorting the row order with Python's
``sorted()`` over the same Python values (the ``Qt.UserRole`` values, turned into sort keys)
takes a tenth of a second. The proxy forwards :meth:`CaseFilterProxy.sort` to the model and
keeps the model's order.

Filtering does not go through ``QSortFilterProxyModel``: its ``invalidate()`` asked a Python
``filterAcceptsRow`` for every one of 100,000 rows on each keystroke (210 ms). The proxy here
(:class:`CaseFilterProxy`, a ``QAbstractProxyModel``) computes the matching positions in one
pass over the model's columns of folded names, numbers and CPR digits, keeps only the source
rows that match, and resets once. A save changes one row in the model (:meth:`CaseListModel.
upsert`, :meth:`CaseListModel.remove`): the model moves, inserts or removes that row alone,
and the list is never fetched again for it.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from infohus_desktop.domain.cases import TAMPERED_TEXT, CaseSummary
from infohus_desktop.domain.workflow import OPEN_STATUSES, STATUS_LABELS, CaseStatus
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.models.case_keys import (
    SearchQuery,
    danish_key,
    follow_up_due,
    mask_cpr,
    number_key,
    search_fold,
)

ModelIndex = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

COL_NUMBER, COL_STATUS, COL_CATEGORY, COL_MUNICIPALITY = 0, 1, 2, 3
COL_NAME, COL_CPR, COL_RECEIVED, COL_FOLLOW_UP = 4, 5, 6, 7
HEADERS: tuple[tuple[str, str], ...] = (
    ("Sagsnr.", "Case no."),
    ("Status", "Status"),
    ("Kategori", "Category"),
    ("Kommune", "Municipality"),
    ("Navn", "Name"),
    ("CPR", "CPR"),
    ("Modtaget", "Received"),
    ("Opfølgning", "Follow-up"),
)
#: ``data(index, SORT_KEY_ROLE)``: the key the model sorts a column by.
SORT_KEY_ROLE = Role.UserRole + 1
_STATUS_ORDER = {status: i for i, status in enumerate(CaseStatus)}
DUE_COLOUR = QColor("#b3261e")
_DUE_ROLES = (Role.ForegroundRole, Role.FontRole, Role.ToolTipRole)


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
        self._order: list[int] = []  # view row -> index in _cases
        self._rows_of: dict[str, int] | None = None  # case number -> view row, built on demand
        self._rank: list[int] | None = None  # position in _cases -> view row (-1: gone)
        self._in_view_order: itemgetter[Any] | None = None
        self._position_of: dict[uuid.UUID, int] = {}  # case id -> index in _cases
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
        self._names = [search_fold(c.person_name) for c in self._cases]
        self._cprs = [c.person_cpr or "" for c in self._cases]
        self._numbers = [c.number for c in self._cases]
        self._sort_keys.clear()
        self._order = self._sorted_order(
            self._sort_column, self._sort_order, range(len(self._cases))
        )
        self._order_changed()
        self._position_of = {c.id: i for i, c in enumerate(self._cases)}
        self.generation += 1
        self.endResetModel()

    def upsert(self, case: CaseSummary) -> None:
        """One case saved (or newly readable): its row alone changes, moves to where the
        current sort puts it, or is inserted there. The other rows are not touched."""
        position = self._position_of.get(case.id)
        if position is None:
            position = len(self._cases)
            self._cases.append(case)
            self._names.append(search_fold(case.person_name))
            self._cprs.append(case.person_cpr or "")
            self._numbers.append(case.number)
            for column, keys in self._sort_keys.items():
                keys.append(_sort_key(self, case, column))
            self._position_of[case.id] = position
            row = self._insertion_row(position)
            self.beginInsertRows(QModelIndex(), row, row)
            self._order.insert(row, position)
            self._order_changed()
            self.endInsertRows()
            return
        old_row = self._order.index(position)
        self._cases[position] = case
        self._names[position] = search_fold(case.person_name)
        self._cprs[position] = case.person_cpr or ""
        self._numbers[position] = case.number
        for column, keys in self._sort_keys.items():
            keys[position] = _sort_key(self, case, column)
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
        position = self._position_of.pop(case_id, None)
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
        return case_id in self._position_of

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
            for row, position in enumerate(self._order):
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
        if not (0 <= row < len(self._order) and 0 <= column < len(HEADERS)):
            return None
        case = self._cases[self._order[row]]
        if role == Role.DisplayRole:
            return self._text(case, column)
        if role == Role.UserRole:
            return _value(case, column)
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
            return list(range(len(self._cases)))
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
            keys = [_sort_key(self, case, column) for case in self._cases]
            self._sort_keys[column] = keys
        return keys


def _value(case: CaseSummary, column: int) -> Any:
    return (
        case.number,
        case.status,
        case.category,
        case.municipality,
        case.person_name,
        case.person_cpr,
        case.received,
        case.follow_up,
    )[column]


def _sort_key(model: CaseListModel, case: CaseSummary, column: int) -> Any:
    if column == COL_NUMBER:
        return number_key(case.number)
    if column == COL_STATUS:
        return _STATUS_ORDER[case.status]
    if column == COL_CATEGORY:
        return danish_key(model.category_label(case.category))
    if column == COL_MUNICIPALITY:
        return danish_key(case.municipality) if case.municipality else None
    if column == COL_NAME:
        return danish_key(case.person_name) if case.person_name else None
    return _value(case, column)  # CPR digits, dates; None when empty


@dataclass(frozen=True, slots=True)
class ListFilter:
    """The choices of the filter bar. Empty means "any"."""

    statuses: frozenset[CaseStatus] = frozenset()
    category: str | None = None
    municipality: str | None = None
    lead_member_id: uuid.UUID | None = None
    follow_up_due: bool = False


_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)
_HORIZONTAL = Qt.Orientation.Horizontal


class CaseFilterProxy(QAbstractProxyModel):
    """The case list as the filter bar and the search narrow it, in memory.

    It holds the source rows that match, in source order (``None``: every row), computed in
    one pass over the model's columns when a filter or the search changes, and resets once;
    see the module docstring. While the user types on, only the rows that matched before
    are searched again. A sort in the model is a layout change here (selection kept); a
    single row saved is forwarded as it is when nothing is filtered, and otherwise resets the
    proxy only if the row's match changed.
    """

    def __init__(self, model: CaseListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._filter = ListFilter()
        self._query = SearchQuery("")
        self._base: list[int] | None = None  # positions passing the filter bar; None: all
        self._hits: list[int] | None = None  # ... and the search
        self._accepted: bytearray | None = None  # by position in model.cases; None: all
        self._rows: list[int] | None = None  # source rows shown, ascending; None: all
        self._saved: list[tuple[QModelIndex, int | None, int]] = []
        self._resetting = False
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._begin_reset)
        model.modelReset.connect(self._end_reset)
        model.layoutAboutToBeChanged.connect(self._before_layout)
        model.layoutChanged.connect(self._after_layout)
        model.rowsAboutToBeInserted.connect(self._rows_about_to_be_inserted)
        model.rowsInserted.connect(self._rows_inserted)
        model.rowsAboutToBeRemoved.connect(self._rows_about_to_be_removed)
        model.rowsRemoved.connect(self._rows_removed)
        model.rowsAboutToBeMoved.connect(self._rows_about_to_be_moved)
        model.rowsMoved.connect(self._rows_moved)
        model.dataChanged.connect(self._data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        self._recompute()

    # -- the filter -------------------------------------------------------------------------

    @property
    def list_filter(self) -> ListFilter:
        return self._filter

    @property
    def search_text(self) -> str:
        return self._query.text

    def set_filter(self, list_filter: ListFilter) -> None:
        if list_filter == self._filter:
            return
        self._filter = list_filter
        self.beginResetModel()
        self._recompute()
        self.endResetModel()

    def set_search_text(self, text: str) -> None:
        """Filter as the user types: one search over the index, one reset."""
        query = SearchQuery(text)
        if query.text == self._query.text:
            return
        previous, self._query = self._query, query
        self.beginResetModel()
        self._set_hits(self._search(self._hits if query.narrows(previous) else self._base))
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def _recompute(self) -> None:
        self._base = self._filter_bar()
        self._set_hits(self._search(self._base))

    def _set_hits(self, hits: list[int] | None) -> None:
        self._hits = hits
        model = self._model
        if hits is None:
            self._accepted = None
            self._rows = None
            return
        accepted = bytearray(len(model.cases))
        for position in hits:
            accepted[position] = 1
        self._accepted = accepted
        self._rows = self._rows_of(accepted, hits)

    def _rows_of(self, accepted: bytearray, hits: Sequence[int] | None = None) -> list[int]:
        """The source rows whose position is accepted, ascending: from the hits' view rows
        when they are few, else in one pass over the view order."""
        model = self._model
        order = model.order
        if hits is not None and len(hits) * 8 < len(order):
            rank = model.rank()
            return sorted(r for r in map(rank.__getitem__, hits) if r >= 0)
        return list(compress(range(len(order)), model.in_view_order(accepted)))

    def _filter_bar(self) -> list[int] | None:
        if self._filter == ListFilter():
            return None
        today = self._model.today()
        return [i for i, c in enumerate(self._model.cases) if self._bar_accepts(c, today)]

    def _bar_accepts(self, c: CaseSummary, today: date) -> bool:
        f = self._filter
        # A tampered row stays in view whatever the filter: its values are not to be
        # trusted, and it must be seen.
        return c.tampered or (
            (not f.statuses or c.status in f.statuses)
            and (f.category is None or c.category == f.category)
            and (f.municipality is None or c.municipality == f.municipality)
            and (f.lead_member_id is None or c.lead_member_id == f.lead_member_id)
            and (not f.follow_up_due or is_due(c, today))
        )

    def _search(self, candidates: Iterable[int] | None) -> list[int] | None:
        if self._query.empty:
            return None if candidates is None else list(candidates)
        model = self._model
        positions = range(len(model.cases)) if candidates is None else candidates
        return self._query.select(positions, model.numbers, model.folded_names, model.cprs)

    def _accepts(self, position: int) -> bool:
        model = self._model
        if not self._bar_accepts(model.cases[position], model.today()):
            return False
        return self._search([position]) != []

    # -- Qt proxy ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return self._model.rowCount() if self._rows is None else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self.rowCount() > 0

    def sibling(self, row: int, column: int, index: ModelIndex) -> QModelIndex:
        return self.index(row, column)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation != _HORIZONTAL:
            return None  # no row headers: a vertical header shown asks once per row
        return self._model.headerData(section, orientation, role)

    def data(self, index: ModelIndex, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, rows = index.row(), self._rows
        if rows is not None:
            if not 0 <= row < len(rows):
                return None
            row = rows[row]
        return self._model.cell(row, index.column(), role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:  # noqa: N802
        if not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if self._rows is not None:
            if not 0 <= row < len(self._rows):
                return QModelIndex()
            row = self._rows[row]
        return self._model.index(row, proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:  # noqa: N802
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        if self._rows is not None:
            found = bisect_left(self._rows, row)
            if found == len(self._rows) or self._rows[found] != row:
                return QModelIndex()
            row = found
        return self.index(row, source_index.column())

    # -- following the model ----------------------------------------------------------------

    def _begin_reset(self) -> None:
        if not self._resetting:
            self._resetting = True
            self.beginResetModel()

    def _end_reset(self) -> None:
        self._recompute()
        if self._resetting:
            self._resetting = False
            self.endResetModel()

    def _before_layout(self) -> None:
        """A sort: remember which case each persistent index shows."""
        self.layoutAboutToBeChanged.emit()
        model = self._model
        self._saved = []
        for index in self.persistentIndexList():
            source = self.mapToSource(index)
            position = model.order[source.row()] if source.isValid() else None
            self._saved.append((index, position, index.column()))

    def _after_layout(self) -> None:
        if self._accepted is not None:
            self._rows = self._rows_of(self._accepted)
        model = self._model
        old, new = [], []
        for index, position, column in self._saved:
            row = None if position is None else model.row_of_position(position)
            old.append(index)
            new.append(
                QModelIndex() if row is None else self.mapFromSource(model.index(row, column))
            )
        self._saved = []
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _rows_about_to_be_inserted(self, _parent: ModelIndex, first: int, last: int) -> None:
        if self._accepted is None:
            self.beginInsertRows(QModelIndex(), first, last)
        else:
            self._begin_reset()

    def _rows_inserted(self, _parent: ModelIndex, _first: int, _last: int) -> None:
        if self._accepted is None and self._filter == ListFilter() and self._query.empty:
            self.endInsertRows()
        elif self._resetting:
            self._end_reset()
        else:  # shown whole so far, but the new row may not match: the rows are counted anew
            self.endInsertRows()
            self.beginResetModel()
            self._recompute()
            self.endResetModel()

    def _rows_about_to_be_removed(self, _parent: ModelIndex, first: int, last: int) -> None:
        if self._accepted is None:
            self.beginRemoveRows(QModelIndex(), first, last)
        else:
            self._begin_reset()

    def _rows_removed(self, _parent: ModelIndex, _first: int, _last: int) -> None:
        if self._resetting:
            self._end_reset()
        else:
            self.endRemoveRows()

    def _rows_about_to_be_moved(
        self, _parent: ModelIndex, first: int, last: int, _dest: ModelIndex, row: int
    ) -> None:
        if self._accepted is None:
            self.beginMoveRows(QModelIndex(), first, last, QModelIndex(), row)
        else:  # the shown rows keep their count; their order may change
            self._before_layout()

    def _rows_moved(self, *_args: object) -> None:
        if self._accepted is None:
            self.endMoveRows()
        else:
            self._after_layout()

    def _data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int] = ()
    ) -> None:
        """One row saved: shown, hidden or updated as its match now says (one row in or
        out, no reset). Several rows (category labels arriving) change only what cells
        show."""
        first, last = top_left.row(), bottom_right.row()
        left, right = top_left.column(), bottom_right.column()
        filtered = self._accepted is not None and self._rows is not None
        if first == last and filtered and self._refilter_row(first):
            return
        if self.rowCount() == 0:
            return
        if first == last:
            proxy_first = self.mapFromSource(self._model.index(first, left))
            if proxy_first.isValid():
                proxy_last = self.index(proxy_first.row(), right)
                self.dataChanged.emit(proxy_first, proxy_last, list(roles))
            return
        self.dataChanged.emit(
            self.index(0, left), self.index(self.rowCount() - 1, right), list(roles)
        )

    def _refilter_row(self, source_row: int) -> bool:
        """Match one changed row again; True when it came in or went out (signalled)."""
        assert self._accepted is not None
        assert self._rows is not None
        model = self._model
        position = model.order[source_row]
        in_bar = self._bar_accepts(model.cases[position], model.today())
        hit = in_bar and bool(self._search([position]))
        for kept, now in ((self._base, in_bar), (self._hits, hit)):
            if kept is not None and (position in kept) != now:
                if now:
                    kept.append(position)
                else:
                    kept.remove(position)
        if bool(self._accepted[position]) == hit:
            return False
        self._accepted[position] = hit
        rows = self._rows
        proxy_row = bisect_left(rows, source_row)
        if hit:
            self.beginInsertRows(QModelIndex(), proxy_row, proxy_row)
            rows.insert(proxy_row, source_row)
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), proxy_row, proxy_row)
            del rows[proxy_row]
            self.endRemoveRows()
        return True

    def _filtering(self) -> bool:
        return self._filter != ListFilter() or not self._query.empty
