"""The trends area (*Tendenser*): the list of trend notes with filters and search on the left,
the opened note on the right.

The service filters and searches over the decrypted notes and audits each criterion, so the
list is fetched on the worker whenever a filter changes, and when typing in the search box
pauses for :data:`SEARCH_PAUSE_MS` (one audit entry per search, not per keystroke). Only
opening a note (double-click or Enter) reads it in full.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import group_name
from infohus_desktop.domain.meetings import MeetingSummary
from infohus_desktop.domain.members import AccessGroup
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.trends import TrendFilter, TrendNote
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.trends.trend_links import AccessGroupDialog, LinkNoteDialog
from infohus_desktop.ui.dialogs.trends.trend_note import TrendNoteDialog
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.trend_list import (
    COL_AREA,
    COL_DEVELOPMENT,
    COL_FOLLOW_UP,
    COL_PERIOD,
    COL_THEME,
    COL_TITLE,
    TrendListModel,
)
from infohus_desktop.ui.views.trends.filter_bar import TrendFilterBar
from infohus_desktop.ui.views.trends.note_view import TrendNoteView
from infohus_desktop.ui.widgets.layout import hide_unless, hint

SEARCH_PAUSE_MS = 600


def trend_table(model: TrendListModel) -> QTableView:
    table = QTableView()
    table.setObjectName("trendTable")
    table.setAccessibleName(tr("Tendensnotater", "Trend notes"))
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
    fm = table.fontMetrics()
    samples = {
        COL_PERIOD: "00.00.0000 – 00.00.0000",
        COL_THEME: tr("Militant islamisme", "Militant Islamism"),
        COL_DEVELOPMENT: "↗ " + tr("Stigende", "Falling"),
        COL_AREA: "Silkeborg Kommune",
        COL_FOLLOW_UP: "00.00.0000",
    }
    for column, sample in samples.items():
        header_text = str(model.headerData(column, Qt.Orientation.Horizontal))
        width = max(fm.horizontalAdvance(sample), fm.horizontalAdvance(header_text))
        table.setColumnWidth(column, width + 24)
    return table


class TrendWorkspace(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("trendWorkspace")
        self.ctx = ctx
        role = ctx.session.member.role
        self.can_write = role in (Role.COORDINATOR, Role.MEMBER)
        self.model = TrendListModel(self)
        self._generation = 0
        self._open_after_load: uuid.UUID | None = None
        self.groups: list[AccessGroup] = []

        self.filters = TrendFilterBar()
        self.filters.changed.connect(self.reload)
        self.filters.search_edited.connect(lambda _t: self.search_timer.start())
        self.filters.search.returnPressed.connect(self.reload)
        self.new_button = QPushButton(icon("add"), tr("&Ny tendens", "&New trend"))
        self.new_button.setObjectName("newTrend")
        self.new_button.setToolTip(tr("Skriv et nyt tendensnotat", "Write a new trend note"))
        self.new_button.clicked.connect(self.new_note)
        hide_unless(self.can_write, self.new_button)
        self.refresh_button = QPushButton(icon("refresh"), "")
        self.refresh_button.setObjectName("refreshTrends")
        self.refresh_button.setAccessibleName(tr("Opdater listen", "Refresh the list"))
        self.refresh_button.setToolTip(tr("Opdater listen (F5)", "Refresh the list (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        self.filters.add_to_search_row(self.new_button, self.refresh_button)

        self.table = trend_table(self.model)
        self.table.activated.connect(self._activated)
        self.count = QLabel()
        self.count.setObjectName("trendCount")
        self.empty = hint("")
        self.empty.setObjectName("trendListEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        open_hint = hint(
            tr("Dobbeltklik eller Enter åbner notatet", "Double-click or Enter opens the note")
        )
        open_hint.setWordWrap(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(open_hint)
        list_pane = QWidget()
        list_pane.setObjectName("trendListPane")
        list_box = QVBoxLayout(list_pane)
        list_box.setContentsMargins(8, 8, 4, 8)
        list_box.addWidget(self.filters)
        list_box.addWidget(self.table, 1)
        list_box.addWidget(self.empty)
        list_box.addLayout(bottom)

        self.view = TrendNoteView(self.can_write, role == Role.COORDINATOR)
        self.view.close_requested.connect(self.close_note)
        self.view.edit_requested.connect(self.edit_note)
        self.view.link_requested.connect(self.link_note)
        self.view.unlink_requested.connect(self.unlink_note)
        self.view.access_requested.connect(self.narrow_access)
        self.view.open_requested.connect(self.open_note)
        self.view.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("trendSplitter")
        self.splitter.addWidget(list_pane)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

        self.search_timer: QTimer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_PAUSE_MS)
        self.search_timer.timeout.connect(self.reload)
        for name, keys, slot in (
            ("refreshTrendsAction", "F5", self.reload),
            ("closeTrendAction", "Escape", self.close_note),
        ):
            act = QAction(self)
            act.setObjectName(name)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
        self._started = False
        self.ctx.changes.subscribe(self, [Area.TRENDS], self._trends_changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """The list is read (and audited) when the area is first shown, not at unlock."""
        super().showEvent(event)
        if not self._started:
            self._started = True
            ctx = self.ctx
            ctx.run(lambda s: s.trends.themes(), self._themes_loaded, self, self._quiet)
            ctx.run(lambda s: s.groups.list(), self._groups_loaded, self, self._quiet)
            self.reload()

    def _trends_changed(self, _changes: Changes) -> None:
        if self._started:  # not yet shown: the first show reads the list
            self.reload()

    # -- loading ----------------------------------------------------------------------------

    def criteria(self) -> tuple[TrendFilter, str]:
        return self.filters.value(), self.filters.search.text().strip()

    def reload(self) -> None:
        """Fetch the list for the current filters; an answer to an older request is dropped."""
        self.search_timer.stop()
        self._generation += 1
        generation = self._generation
        filters, search = self.criteria()
        self.ctx.run(
            lambda s: s.trends.list(filters, search or None),
            lambda notes: self._loaded(generation, notes),
            self,
            self._load_failed,
        )

    def _loaded(self, generation: int, notes: list[TrendNote]) -> None:
        if generation != self._generation:
            return
        selected = self.selected_id()
        self.model.set_notes(notes)
        target = self._open_after_load or selected
        if target is not None and (row := self.model.row_of(target)) >= 0:
            self.table.selectRow(row)
        if self._open_after_load is not None:
            self.open_note(self._open_after_load)
            self._open_after_load = None
        n = len(notes)
        self.count.setText(tr(f"{n} notater", f"{n} notes") if n != 1 else tr("1 notat", "1 note"))
        self.empty.setText(
            tr("Ingen tendensnotater endnu.", "No trend notes yet.")
            if self.filters.is_default()
            else tr("Ingen notater passer til filteret.", "No note matches the filter.")
        )
        self.empty.setVisible(n == 0)

    def _load_failed(self, exc: InfohusError) -> None:
        show_error(self.ctx.window, exc)

    def _themes_loaded(self, themes: dict[str, tuple[str, str]]) -> None:
        self.model.set_themes(themes)
        fm = self.table.fontMetrics()
        widest = max((fm.horizontalAdvance(tr(*labels)) for labels in themes.values()), default=0)
        self.table.setColumnWidth(COL_THEME, min(max(widest + 16, 120), 240))
        self.filters.set_themes(themes)
        self.view.themes = themes

    def _groups_loaded(self, groups: list[AccessGroup]) -> None:
        self.groups = groups
        self.view.group_names = {g.id: group_name(g.kind, g.name, language()) for g in groups}

    def _quiet(self, _exc: InfohusError) -> None:
        """Themes and group names only add labels; the list itself reports what fails."""

    # -- selection and the opened note ------------------------------------------------------

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        note = self.model.note_at(rows[0].row()) if rows else None
        return note.id if note else None

    def _activated(self, index: QModelIndex) -> None:
        note = self.model.note_at(index.row())
        if note is not None:
            self.open_note(note.id)

    def open_note(self, note_id: uuid.UUID) -> None:
        """Read the note and the meetings that discussed it (both audited on the worker)."""
        self.ctx.run(
            lambda s: (s.trends.get(note_id), s.meetings.for_trend_note(note_id)),
            lambda result: self._opened(*result),
            self,
        )

    def _opened(self, note: TrendNote, meetings: Sequence[MeetingSummary] = ()) -> None:
        self.view.show_note(note, meetings)
        self.view.show()
        self._narrow_columns(True)
        if (row := self.model.row_of(note.id)) >= 0:
            self.table.selectRow(row)

    def opened(self) -> TrendNote | None:
        return self.view.note if self.view.isVisible() else None

    def _narrow_columns(self, narrow: bool) -> None:
        """Beside an opened note the list is narrow: area and follow-up step aside."""
        for column in (COL_AREA, COL_FOLLOW_UP):
            self.table.setColumnHidden(column, narrow)

    def close_note(self) -> None:
        self._narrow_columns(False)
        self.view.hide()
        self.view.note = None
        self.table.setFocus()

    # -- actions ----------------------------------------------------------------------------

    def new_note(self) -> None:
        if not self.can_write:
            return

        dialog = TrendNoteDialog(self.ctx, parent=self)
        dialog.accepted.connect(lambda: self._saved(dialog.result_note))
        dialog.open()

    def edit_note(self) -> None:
        note = self.opened()
        if note is None:
            return

        dialog = TrendNoteDialog(self.ctx, note, parent=self)
        dialog.accepted.connect(lambda: self._saved(dialog.result_note))
        dialog.open()

    def link_note(self) -> None:
        note = self.opened()
        if note is None:
            return

        candidates = [n.summary for n in self.model.notes]
        dialog = LinkNoteDialog(self.ctx, note, candidates, parent=self)
        dialog.accepted.connect(lambda: self.open_note(note.id))
        dialog.open()

    def unlink_note(self, other: uuid.UUID) -> None:
        note = self.opened()
        if note is not None:
            note_id = note.id
            self.ctx.run(
                lambda s: s.trends.unlink(note_id, other), lambda _r: self.open_note(note_id), self
            )

    def narrow_access(self) -> None:
        note = self.opened()
        if note is None:
            return

        dialog = AccessGroupDialog(self.ctx, note, self.groups, parent=self)
        dialog.accepted.connect(lambda: self._saved(dialog.result_note))
        dialog.open()

    def _saved(self, note: TrendNote | None) -> None:
        if note is not None:
            self._open_after_load = note.id  # the reload that the change brings opens it
