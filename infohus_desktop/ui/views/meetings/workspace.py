"""The meetings area: the meeting list (with "Nyt møde" for coordinators) and the open action
items, as two tabs. Opening a meeting shows it in place of the list, with a way back (the
button or Alt+Left): at 1024 pixels a list beside a meeting would leave neither room.

The list is fetched on the worker (``session.meetings.list()``, audited) and again whenever
an opened meeting changes, so status and item counts stay true. Nothing is read before the
area is first shown: unlocking the vault does not read (and audit) the meetings.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.meetings import Meeting, MeetingSummary
from infohus_desktop.domain.organisations import Role
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_plan import MeetingPlanDialog
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.meetings import MeetingListModel
from infohus_desktop.ui.views.meetings.action_items import ActionItemsView
from infohus_desktop.ui.views.meetings.common import table_view
from infohus_desktop.ui.views.meetings.meeting_view import MeetingView
from infohus_desktop.ui.widgets.layout import hide_unless, hint


class MeetingWorkspace(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("meetingWorkspace")
        self.ctx = ctx
        self.can_plan = ctx.session.member.role is Role.COORDINATOR
        self.view: MeetingView | None = None

        self.model = MeetingListModel(self)
        self.table = table_view("meetingTable", tr("Møder", "Meetings"))
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(MeetingListModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.new_button = QPushButton(icon("add"), tr("&Nyt møde …", "&New meeting …"))
        self.new_button.setObjectName("newMeeting")
        self.new_button.setToolTip(tr("Planlæg et møde (Ctrl+N)", "Plan a meeting (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_meeting)
        hide_unless(self.can_plan, self.new_button)
        self.refresh_button = QPushButton(icon("refresh"), "")
        self.refresh_button.setObjectName("refreshMeetings")
        self.refresh_button.setAccessibleName(tr("Opdater listen", "Refresh the list"))
        self.refresh_button.setToolTip(tr("Opdater listen (F5)", "Refresh the list (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        self.count = QLabel()
        self.count.setObjectName("meetingCount")
        open_hint = hint(
            tr("Dobbeltklik eller Enter åbner mødet", "Double-click or Enter opens the meeting")
        )
        open_hint.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch()
        top.addWidget(self.refresh_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch()
        bottom.addWidget(open_hint)
        list_page = QWidget()
        list_page.setObjectName("meetingListPage")
        list_box = QVBoxLayout(list_page)
        list_box.setContentsMargins(8, 8, 8, 8)
        list_box.addLayout(top)
        list_box.addWidget(self.table, 1)
        list_box.addLayout(bottom)

        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        self.action_items = ActionItemsView(ctx, load=False)  # read when its tab is chosen
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meetingAreaTabs")
        self.tabs.addTab(self.stack, tr("&Møder", "&Meetings"))
        self.tabs.addTab(self.action_items, tr("&Opgaver", "Action &items"))
        self.tabs.currentChanged.connect(self._tab_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        QWidget.setTabOrder(self.new_button, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.table)
        for name, keys, slot in (
            ("newMeetingAction", "Ctrl+N", self.new_meeting),
            ("refreshMeetingsAction", "F5", self.reload),
        ):
            action = QAction(self)
            action.setObjectName(name)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            # In an opened meeting F5 reloads the meeting: the list's F5 lives on its page.
            (list_page if name == "refreshMeetingsAction" else self).addAction(action)
        self._loading = False
        self._loaded_once = False
        ctx.changes.subscribe(self, [Area.MEETINGS, Area.TRENDS], self._meetings_changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """The list is read (and audited) when the area is first shown, not at unlock."""
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.reload()

    # -- the list -------------------------------------------------------------------------

    def _meetings_changed(self, _changes: Changes) -> None:
        if self._loaded_once:  # not yet shown: the first show reads the list
            self.reload()

    def reload(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.ctx.run(lambda s: s.meetings.list(), self._loaded, self, self._failed)

    def _failed(self, exc: InfohusError) -> None:
        self._loading = False
        show_error(self.ctx.window, exc)

    def _loaded(self, meetings: list[MeetingSummary]) -> None:
        self._loading = False
        selected = self.selected_id()
        self.model.set_rows(meetings)
        n = len(meetings)
        self.count.setText(
            tr(f"{n} møder", f"{n} meetings") if n != 1 else tr("1 møde", "1 meeting")
        )
        row = self.model.row_of(selected) if selected else None
        if row is not None:
            self.table.selectRow(row)

    def selected_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return self.model.summary(index.row()).id if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_meeting(self.model.summary(index.row()).id)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.action_items:
            self.action_items.reload()

    # -- one meeting ----------------------------------------------------------------------

    def open_meeting(self, meeting_id: uuid.UUID) -> MeetingView:
        self.close_meeting()
        view = MeetingView(self.ctx, meeting_id, self.stack)
        view.back_requested.connect(self.close_meeting)
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.tabs.setCurrentIndex(0)
        self.view = view
        return view

    def close_meeting(self) -> None:
        if self.view is None:
            return
        view, self.view = self.view, None
        self.stack.setCurrentIndex(0)
        self.stack.removeWidget(view)
        view.deleteLater()
        self.table.setFocus()

    def new_meeting(self) -> None:
        if not self.can_plan:
            return

        dialog = MeetingPlanDialog(self.ctx, None, self)
        dialog.accepted.connect(lambda: self._planned(dialog.saved))
        dialog.open()

    def _planned(self, meeting: Meeting | None) -> None:
        if meeting is not None:
            self.open_meeting(meeting.id)
