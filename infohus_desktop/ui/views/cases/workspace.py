"""The cases area: the member's case list with its filters on the left, the opened case on
the right.

The list is fetched whole on the worker (``session.cases.list()``: audited, decrypted there)
and filtered in memory as the user types (SECURITY.md). After a save only the cases the
change names are fetched (``session.cases.summaries_of``) and their rows updated; the whole
list is fetched again only when a change names no cases. Typing is not audited per keystroke:
when typing pauses for :data:`SEARCH_AUDIT_PAUSE_MS`, the criterion is logged once as a
``case.search`` entry (sealed detail); a search not yet logged is logged at once when the box
is cleared, a case is opened or the area is left.
Only opening a case (double-click or Enter) reads it: moving through the list reads nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from operator import attrgetter

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.criteria import criterion
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.index import CaseFilter
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.intake import IntakeDialog
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.heap import settle_after_load
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.case_columns import COL_FOLLOW_UP
from infohus_desktop.ui.models.case_filter import CaseFilterProxy, ListFilter
from infohus_desktop.ui.models.case_list import CaseListModel
from infohus_desktop.ui.views.cases.case_pane import CasePane
from infohus_desktop.ui.views.cases.case_table import case_table
from infohus_desktop.ui.views.cases.filter_bar import CaseFilterBar
from infohus_desktop.ui.widgets.layout import hide_unless, hint

#: Typing that pauses this long is one search, audited once.
SEARCH_AUDIT_PAUSE_MS = 1500
#: Above this many cases, keystrokes arriving faster than the filter are coalesced (below it
#: the filter over the list's index takes about a frame: every key is shown at once).
LARGE_LIST = 200_000
#: A list at least this long freed enough on the worker to be worth handing back.
RELEASE_AFTER_ROWS = 10_000
#: A case's Kommune name, read from its shared codes (SummaryCodes).
_MUNICIPALITY = attrgetter("codes.municipality")


def search_criterion(list_filter: ListFilter, text: str) -> str:
    """The audited criterion, in the form ``CaseService.list`` writes for the CLI's search."""
    filters = CaseFilter(
        statuses=list_filter.statuses,
        categories=frozenset({list_filter.category}) if list_filter.category else frozenset(),
        municipality=list_filter.municipality,
        lead_member_id=list_filter.lead_member_id,
    )
    return criterion(filters, text, due=list_filter.follow_up_due)


class CaseWorkspace(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("caseWorkspace")
        self.ctx = ctx
        self.model = CaseListModel(self)
        self.proxy = CaseFilterProxy(self.model, self)
        self._loading = False
        self._loaded_once = False
        self._reload_again = False
        #: Changes that arrived while a fetch ran: applied after it (rows, or the whole list).
        self._pending = Changes()
        self._audited_text = ""
        self._pending_search = ""  # shown to the user, not yet audited
        self._select_after_load: str | None = None
        self.can_create = ctx.session.member.role in (Role.COORDINATOR, Role.MEMBER)

        self.filters = CaseFilterBar(ctx.session.member.id)
        self.filters.changed.connect(self._filters_changed)
        self.filters.search_edited.connect(self._search_edited)
        self.new_button = QPushButton(icon("add"), tr("&Ny sag", "&New case"))
        self.new_button.setObjectName("newCase")
        self.new_button.setToolTip(
            tr("Registrér en ny bekymring (Ctrl+N)", "Register a new concern (Ctrl+N)")
        )
        self.new_button.clicked.connect(self.new_case)
        hide_unless(self.can_create, self.new_button)
        self.refresh_button = QPushButton(icon("refresh"), "")
        self.refresh_button.setObjectName("refreshCases")
        self.refresh_button.setAccessibleName(tr("Opdater listen", "Refresh the list"))
        self.refresh_button.setToolTip(tr("Opdater listen (F5)", "Refresh the list (F5)"))
        self.refresh_button.clicked.connect(self.reload)

        self.table = case_table(self.model, self.proxy)
        self.table.activated.connect(self._activated)
        self.empty_text = QLabel()
        self.empty_text.setObjectName("caseListEmpty")
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setWordWrap(True)
        self.reset_button = QPushButton(tr("&Nulstil filter", "&Reset filter"))
        self.reset_button.setObjectName("resetFilter")
        self.reset_button.clicked.connect(self.filters.reset)
        empty = QWidget()
        empty_box = QVBoxLayout(empty)
        empty_box.addStretch()
        empty_box.addWidget(self.empty_text)
        empty_box.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_box.addStretch()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(empty)

        self.count = QLabel()
        self.count.setObjectName("caseCount")
        self.busy = QProgressBar()
        self.busy.setObjectName("caseListBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumSize(120, 10)
        self.busy.setAccessibleName(tr("Henter sager", "Fetching cases"))
        self.busy.hide()

        self.filters.add_to_search_row(self.new_button, self.refresh_button)
        open_hint = hint(
            tr("Dobbeltklik eller Enter åbner sagen", "Double-click or Enter opens the case")
        )
        open_hint.setWordWrap(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(self.busy)
        bottom.addStretch()
        bottom.addWidget(open_hint)
        list_pane = QWidget()
        list_pane.setObjectName("caseListPane")
        list_box = QVBoxLayout(list_pane)
        list_box.setContentsMargins(8, 8, 4, 8)
        list_box.addWidget(self.filters)
        list_box.addWidget(self.list_stack, 1)
        list_box.addLayout(bottom)

        self.case_pane = CasePane(ctx)
        self.case_pane.close_requested.connect(self.close_case)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("caseSplitter")
        self.splitter.addWidget(list_pane)
        self.splitter.addWidget(self.case_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.case_pane.hide()  # the list has the whole width until a case is opened
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

        self.search_timer = QTimer(self)  # coalesces keystrokes on a large list
        self.search_timer.setSingleShot(True)
        self.search_timer.timeout.connect(self._apply_search)
        self.search_audit_timer = QTimer(self)
        self.search_audit_timer.setSingleShot(True)
        self.search_audit_timer.setInterval(SEARCH_AUDIT_PAUSE_MS)
        self.search_audit_timer.timeout.connect(self.audit_search)
        for signal in (
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
        ):
            signal.connect(self._update_count)
        self._actions()
        order = (self.filters.search, self.new_button, self.refresh_button, self.filters.status)
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self.setTabOrder(self.filters.due, self.table)

        ctx.changes.subscribe(self, [Area.CASES], self._cases_changed)
        self.proxy.set_filter(self.filters.list_filter())
        # This area's reads are asked for once the events queued now have run: at unlock it
        # is made behind the start page, and the page the member sees should read first. Its
        # follow-ups read every summary too; first, they pay for the cold read, and this list
        # finds the summaries cached. Unlocked with 100,000 cases, the start page showed 0.7 s
        # sooner (2.9 -> 2.2 s beyond the KDF), and this list was usable when it was before.
        # (Made on demand, the area is shown by then, and nothing changes.)
        self._loading = True  # already, for whoever waits for the first list
        QTimer.singleShot(0, self, self._first_load)

    def _actions(self) -> None:
        def action(
            name: str, keys: QKeySequence.StandardKey | str, slot: Callable[[], None]
        ) -> None:
            act = QAction(self)
            act.setObjectName(name)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)

        action("focusSearch", QKeySequence.StandardKey.Find, self.focus_search)
        action("newCaseAction", "Ctrl+N", self.new_case)
        action("refreshAction", QKeySequence.StandardKey.Refresh, self.reload)
        action("closeCaseAction", QKeySequence.StandardKey.Close, self.close_case)
        self.filters.search.returnPressed.connect(self._search_return)

    # -- loading ----------------------------------------------------------------------------

    def _first_load(self) -> None:
        # The categories and the members before the list: a few milliseconds while the
        # window waits. Queued behind the list they ran while the GUI thread filled the
        # model, and each of their statements then waited for the interpreter (18-33 ms each
        # at 10,000 cases, against 0.4 and 4 ms alone); the list also finds the category
        # words ready. Behind the start page's read, not before it: there they held up the
        # page the member sees (the members 13 ms, in a fresh process with 1,000 cases).
        self.ctx.run(lambda s: s.cases.categories(), self._categories_loaded, self, self._quiet)
        self.ctx.run(lambda s: s.accounts.list(), self._members_loaded, self, self._quiet)
        self._loading = False
        self.reload()

    def reload(self) -> None:
        """Fetch the list again on the worker; the selection and scroll position stay."""
        if self._loading:
            self._pending = self._pending.merged(Changes(frozenset({Area.CASES})))
            self._reload_again = True
            return
        self._loading = True
        self.busy.show()
        if not self._loaded_once:
            self.table.setEnabled(False)
            self._update_count()
        self.ctx.run(lambda s: s.cases.list(), self._loaded, self, self._load_failed)

    def _loaded(self, cases: list[CaseSummary]) -> None:
        selected = self._select_after_load or self.selected_number()
        self._select_after_load = None
        scroll = self.table.verticalScrollBar().value()
        self.model.set_cases(cases)
        # From the shared codes, in C (through the property: 8.4 ms at 100,000 cases, 5.5 so).
        self.filters.set_municipalities(map(_MUNICIPALITY, cases))
        if selected is not None:
            self._reselect(selected)
        self.table.verticalScrollBar().setValue(scroll)
        self._done_loading()
        if len(cases) >= RELEASE_AFTER_ROWS:
            # Once the load's objects are dropped (after this slot): see ui/heap.py.
            QTimer.singleShot(0, settle_after_load)

    def _load_failed(self, exc: InfohusError) -> None:
        self._done_loading()
        show_error(self.ctx.window, exc)

    def _done_loading(self) -> None:
        self._loading = False
        self._loaded_once = True
        self.table.setEnabled(True)
        self.busy.hide()
        self._update_count()
        if self._reload_again:
            self._reload_again = False
            pending, self._pending = self._pending, Changes()
            if pending.objects:
                self._cases_changed(pending)
            else:
                self.reload()

    def _categories_loaded(self, labels: dict[str, tuple[str, str]]) -> None:
        self.model.set_categories(labels)
        self.filters.set_categories(labels)

    def _members_loaded(self, members: list[Member]) -> None:
        self.filters.set_members(members)

    def _quiet(self, _exc: InfohusError) -> None:
        """No message box: categories and members only add choices (the list itself reports
        what fails), and a search logged while the vault locks has no one to tell."""

    def _cases_changed(self, changes: Changes) -> None:
        """Only the changed rows are fetched again (a save names its case); a change that
        names no case, or one before the list arrived, fetches the whole list."""
        if self._loading:
            self._pending = self._pending.merged(changes)
            self._reload_again = True
            return
        if not changes.objects or not self._loaded_once:
            self.reload()
            return
        self._loading = True
        refs = sorted(changes.objects)
        self.ctx.run(
            lambda s: s.cases.summaries_of(refs), self._rows_loaded, self, self._load_failed
        )

    def _rows_loaded(self, result: tuple[list[CaseSummary], list[str]]) -> None:
        found, gone = result
        selected = self.selected_number()
        for case in found:
            self.model.upsert(case)
        for ref in gone:
            self.model.remove_ref(ref)
        target = self._select_after_load or selected
        self._select_after_load = None
        if target is not None:
            self._reselect(target)
        self._done_loading()

    def _reselect(self, number: str) -> None:
        """The row that was selected, selected again; when its case has left the list (handed
        over, closed, out of the filter), no row: the row that slid into its place stood
        selected beside the case still open on the right (user trial)."""
        if not self.select_number(number, scroll=False):
            selection = self.table.selectionModel()
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)

    # -- filtering --------------------------------------------------------------------------

    def _filters_changed(self) -> None:
        self.proxy.set_filter(self.filters.list_filter())
        self._update_count()

    def _search_edited(self, text: str) -> None:
        large = self.model.rowCount() > LARGE_LIST
        self.search_timer.start(60 if large else 0)
        if text.strip():
            self._pending_search = text.strip()
            self.search_audit_timer.start()
        else:  # the end of a search: log it if the pause did not, and start afresh
            self.audit_search()
            self._audited_text = ""

    def _apply_search(self) -> None:
        self.proxy.set_search_text(self.filters.search.text())
        self._update_count()

    def audit_search(self, quiet: bool = False) -> None:
        """Log the search criterion once per pause in typing (not per keystroke), and also
        when the box is cleared, a case is opened or the area is left before the pause.
        ``quiet``: no message if it fails (leaving the area because the vault locks)."""
        self.search_audit_timer.stop()
        text, self._pending_search = self._pending_search, ""
        if not text or text == self._audited_text:
            return
        self._audited_text = text
        criterion = search_criterion(self.filters.list_filter(), text)
        self.ctx.run(
            lambda s: _audit_search(s, criterion),
            lambda _none: None,
            None,
            self._quiet if quiet else None,
        )

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.audit_search(quiet=True)
        super().hideEvent(event)

    def _search_return(self) -> None:
        self.search_timer.stop()
        self._apply_search()
        if self.proxy.rowCount() == 1:
            self._activated(self.proxy.index(0, 0))
            return
        if self.proxy.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)
        self.audit_search()

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 1:
            self.count.setText(tr(f"{shown} af 1 sag", f"{shown} of 1 case"))
        else:
            self.count.setText(tr(f"{shown} af {total} sager", f"{shown} of {total} cases"))
        self.count.setVisible(self._loaded_once)
        if shown:
            self.list_stack.setCurrentIndex(0)
            return
        if not self._loaded_once:
            self.empty_text.setText(tr("Henter sager …", "Fetching cases …"))
            self.reset_button.hide()
        elif total == 0:
            self.empty_text.setText(tr("Der er ingen sager endnu.", "There are no cases yet."))
            self.reset_button.hide()
        else:
            self.empty_text.setText(tr("Ingen sager matcher filteret", "No cases match the filter"))
            self.reset_button.show()
        self.list_stack.setCurrentIndex(1)

    # -- selection and opening --------------------------------------------------------------

    def selected_number(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.case_at(self.proxy.mapToSource(rows[0]).row()).number

    def select_number(self, number: str, scroll: bool = True) -> bool:
        row = self.model.row_of(number)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
            | QItemSelectionModel.SelectionFlag.Current
        )
        selection = self.table.selectionModel()
        selection.select(QItemSelection(index, index), flags)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        if scroll:
            self.table.scrollTo(index)
        return True

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case(self.model.case_at(self.proxy.mapToSource(index).row()).number)

    def open_case(self, number: str) -> None:
        """Show a case on the right (reading it is the case view's audited fetch)."""
        self.audit_search()
        if self.case_pane.isHidden():  # the first case takes 58 % of the width: its tabs
            self.case_pane.show()  # fit beside the list in a 1440-pixel window
            width = max(self.splitter.width(), 10)
            self.splitter.setSizes([width * 42 // 100, width - width * 42 // 100])
        self.case_pane.show_case(number)
        if not self.select_number(number):
            self._select_after_load = number  # a new case: the list is being fetched again

    def show_my_cases(self) -> None:
        """My open cases, the nearest follow-up first (the start page's "and N more")."""
        self.filters.show_mine()
        self.table.sortByColumn(COL_FOLLOW_UP, Qt.SortOrder.AscendingOrder)
        self.table.setFocus()

    @property
    def opened_number(self) -> str | None:
        return self.case_pane.number

    @property
    def case_view(self) -> QWidget | None:
        return self.case_pane.view

    def close_case(self) -> None:
        """Back to the list alone, with the case's row still selected."""
        self.case_pane.clear()
        self.case_pane.hide()
        self.table.setFocus()

    def new_case(self) -> None:
        if not self.can_create:
            return

        dialog = IntakeDialog(self.ctx, parent=self)
        dialog.created.connect(self._created)
        dialog.open()

    def _created(self, summary: object) -> None:
        if isinstance(summary, CaseSummary):
            self.open_case(summary.number)


def _audit_search(session: MemberServices, criterion: str) -> None:
    """On the worker. Also after the vault locked: the search was made while it was open."""
    session.audited_read("case.search", None, Purpose.CASEWORK, criterion)
