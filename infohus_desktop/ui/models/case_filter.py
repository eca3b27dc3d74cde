"""The case list as the filter bar and the search narrow it: :class:`CaseFilterProxy`.

Filtering does not go through ``QSortFilterProxyModel``: its ``invalidate()`` asked a Python
``filterAcceptsRow`` for every one of 100,000 rows on each keystroke (210 ms). This proxy, a
``QAbstractProxyModel``, computes the matching positions in one pass over the model's columns
of folded names, numbers and CPR digits (:mod:`~infohus_desktop.ui.models.case_list`), keeps
only the source rows that match, and resets once. Sorting stays in the source model.

Each keystroke has to fit in a frame (16 ms) at 100,000 cases, so the search does as little
as it can: each field (name, case number, CPR) is checked over the rows where it matched the
text before when the user typed on, so a dash after letters checks every case number but
only the names that matched; a CPR prefix is a bisection over the CPR numbers in order; a
backspace returns to a text just searched and reuses its hits (kept until a row or the filter
bar changes); and when every case matches ("2", "AAR-") nothing is looked up per row.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    Qt,
)

from infohus_desktop.domain.cases import CaseSummary, SummaryCodes
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.ui.models.case_columns import HEADERS
from infohus_desktop.ui.models.case_keys import (
    SearchQuery,
)
from infohus_desktop.ui.models.case_list import (
    ANSWERED_ROLES,
    CaseListModel,
    ModelIndex,
    Role,
    is_due,
)


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
#: How many recent searches :class:`CaseFilterProxy` keeps (what a backspace returns to),
#: and how many positions they may hold together (8 bytes each: 2 MiB). A text that matches
#: most of 100,000 cases is searched again instead (a first letter: under 10 ms).
RECENT_SEARCHES = 12
RECENT_POSITIONS = 250_000


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
        self._base_mask: bytearray | None = None  # the same by position; None: all
        self._hits: list[int] | None = None  # ... and the search
        self._field_hits: dict[str, list[int]] = {}  # ... per field the search looked in
        #: Recent searches' hits by text, while the rows and the filter bar stay as they
        #: were: a backspace goes back to a text just typed and needs no search.
        self._recent: dict[str, tuple[list[int] | None, dict[str, list[int]]]] = {}
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
        recent = self._recent.pop(query.text, None)
        if recent is None:
            hits = self._search(self._base, previous)
        else:
            hits, self._field_hits = recent
        if not query.empty:
            self._remember(query.text, hits)
        self._set_hits(hits)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def _remember(self, text: str, hits: list[int] | None) -> None:
        """Keep this search's hits for a backspace, within RECENT_SEARCHES and
        RECENT_POSITIONS (the oldest go first)."""
        self._recent[text] = (hits, self._field_hits)

        def size(entry: tuple[list[int] | None, dict[str, list[int]]]) -> int:
            kept, fields = entry
            lists = {id(x): len(x) for x in (kept, *fields.values()) if x is not None}
            return sum(lists.values())

        total = sum(size(entry) for entry in self._recent.values())
        while self._recent and (len(self._recent) > RECENT_SEARCHES or total > RECENT_POSITIONS):
            total -= size(self._recent.pop(next(iter(self._recent))))

    def _recompute(self) -> None:
        self._recent.clear()
        self._base = self._filter_bar()
        self._base_mask = None
        if self._base is not None and len(self._base) < len(self._model.cases):
            self._base_mask = self._mask_of(self._base)
        self._set_hits(self._search(self._base))

    def _mask_of(self, positions: list[int]) -> bytearray:
        mask = bytearray(len(self._model.cases))
        for position in positions:
            mask[position] = 1
        return mask

    def _set_hits(self, hits: list[int] | None) -> None:
        self._hits = hits
        model = self._model
        if hits is None:
            self._accepted = None
            self._rows = None
            return
        if len(hits) == len(model.cases):  # every case matches ("2", "AAR-"): no lookups
            self._accepted = bytearray(b"\x01") * len(hits)
            self._rows = list(model.positions[: len(model.order)])
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
        return list(compress(model.positions, model.in_view_order(accepted)))

    def _filter_bar(self) -> list[int] | None:
        """The positions passing the filter bar. Everything it asks but the follow-up date is
        in the cases' shared codes (:class:`SummaryCodes`), so it decides once per codes object
        and reads only that of each case: 44 -> 22 ms at 100,000 cases."""
        if self._filter == ListFilter():
            return None
        today = self._model.today()
        model = self._model
        due_only = self._filter.follow_up_due
        verdicts: dict[int, bool] = {}  # id(codes) -> its cases pass (alive while we look)
        passing: list[int] = []
        add = passing.append
        for position, case in zip(model.positions, model.cases, strict=True):
            codes = case.codes
            passes = verdicts.get(id(codes))
            if passes is None:
                passes = verdicts[id(codes)] = self._codes_accepted(codes)
            if passes and (not due_only or codes.tampered or is_due(case, today)):
                add(position)
        return passing

    def _bar_accepts(self, c: CaseSummary, today: date) -> bool:
        return self._codes_accepted(c.codes) and (
            not self._filter.follow_up_due or c.tampered or is_due(c, today)
        )

    def _codes_accepted(self, codes: SummaryCodes) -> bool:
        f = self._filter
        # A tampered row stays in view whatever the filter: its values are not to be
        # trusted, and it must be seen.
        return codes.tampered or (
            (not f.statuses or codes.status in f.statuses)
            and (f.category is None or codes.category == f.category)
            and (f.municipality is None or codes.municipality == f.municipality)
            and (f.lead_member_id is None or codes.lead_member_id == f.lead_member_id)
        )

    def _search(
        self, candidates: list[int] | None, previous: SearchQuery | None = None
    ) -> list[int] | None:
        """The search over ``candidates`` (None: every case), field by field; with
        ``previous`` (the text before this keystroke) each field checks only where it
        matched before when the text was typed on."""
        earlier, self._field_hits = self._field_hits, {}
        if self._query.empty:
            # The filter bar's own list, not a copy (0.8 MiB at 100,000 cases): with nothing
            # searched a row is a hit exactly when it passes the bar, so _refilter_row, which
            # changes both lists in place, changes this one list once.
            return candidates
        model = self._model
        positions = model.positions if candidates is None else candidates
        hits, self._field_hits = self._query.search(
            positions,
            previous,
            earlier if previous is not None else {},
            model.numbers,
            model.folded_names,
            model.cprs,
            model.cpr_order(),
            self._base_mask if candidates is not None else None,
        )
        return hits

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
        if role not in ANSWERED_ROLES or not index.isValid():
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
        self._recent.clear()
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
        self._recent.clear()
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
        if first == last:
            self._recent.clear()
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
        hit = in_bar and (
            self._query.empty
            or self._query.matches(
                model.numbers[position], model.folded_names[position], model.cprs[position]
            )
        )
        self._field_hits = {}  # the next keystroke searches every row again
        self._recent.clear()
        for kept, now in ((self._base, in_bar), (self._hits, hit)):
            if kept is not None and (position in kept) != now:
                if now:
                    kept.append(position)
                else:
                    kept.remove(position)
        if self._base_mask is not None:
            self._base_mask[position] = in_bar
        elif not in_bar and self._base is not None:
            self._base_mask = self._mask_of(self._base)
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
