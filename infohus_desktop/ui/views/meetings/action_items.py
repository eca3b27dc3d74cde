"""Action items across meetings: "Mine åbne opgaver" (those I own) and "Alle åbne opgaver"
(every meeting I can read), earliest deadline first.

An overdue deadline is red, bold, has a warning icon AND says "overskredet"/"overdue" in the
cell, so it is seen without colour vision and read out by a screen reader. Closing an item
records who closed it and when (the service does); the line under the list says so, and the
item leaves the list of open items.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.meetings import ActionItem, ActionStatus
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.models.meetings import ROW_ROLE, WITHHELD, ActionItemModel, fmt_when
from infohus_desktop.ui.views.meetings.common import small_button, table_view


class ActionItemsView(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        load: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionItemsView")
        self.ctx = ctx
        self.model = ActionItemModel(self, today)
        self.mine = QRadioButton(tr("Mi&ne åbne opgaver", "M&y open action items"))
        self.mine.setObjectName("myActionItems")
        self.all = QRadioButton(tr("&Alle åbne opgaver", "&All open action items"))
        self.all.setObjectName("allActionItems")
        self.mine.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.mine)
        group.addButton(self.all)
        group.buttonToggled.connect(lambda _b, checked: self.reload() if checked else None)
        self.table = table_view("actionItemsTable", tr("Åbne opgaver", "Open action items"))
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # What is to be done gets the room; the meeting's title is cut (full in the tooltip).
        header.setSectionResizeMode(ActionItemModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ActionItemModel.COL_MEETING, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            ActionItemModel.COL_MEETING, self.fontMetrics().horizontalAdvance("0" * 28)
        )
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.close_button = small_button(
            tr("&Luk opgave", "&Close item"),
            "closeOpenActionItem",
            tr("Marker den valgte opgave som udført (Ctrl+Enter)", "Mark as done (Ctrl+Enter)"),
        )
        self.close_button.clicked.connect(self.close_current)
        close = QAction(self.table)
        close.setObjectName("closeActionItemAction")
        close.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        close.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        close.triggered.connect(self.close_current)
        self.table.addAction(close)
        self.refresh_button = small_button(
            tr("Hent igen", "Reload"),
            "reloadActionItems",
            tr("Hent listen igen", "Reload"),
            "refresh",
        )
        self.refresh_button.clicked.connect(self.reload)
        self.count = QLabel()
        self.count.setObjectName("actionItemCount")
        self.message = QLabel()
        self.message.setObjectName("actionItemMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.mine)
        top.addWidget(self.all)
        top.addStretch()
        top.addWidget(self.refresh_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addLayout(top)
        outer.addWidget(self.table, 1)
        outer.addLayout(bottom)
        QWidget.setTabOrder(self.mine, self.all)
        QWidget.setTabOrder(self.all, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.table)
        QWidget.setTabOrder(self.table, self.close_button)
        if load:
            self.reload()

    def reload(self) -> None:
        mine = self.mine.isChecked()
        self.ctx.run(lambda s: s.meetings.open_action_items(mine), self._loaded, self)

    def _loaded(self, items: list[ActionItem]) -> None:
        self.model.set_rows(items)
        today = self.model.today()
        overdue = sum(1 for item in items if item.overdue(today))
        text = tr(f"{len(items)} åbne", f"{len(items)} open")
        if overdue:
            text += tr(f", {overdue} overskredet", f", {overdue} overdue")
        self.count.setText(text)
        self._update_buttons()

    def current(self) -> ActionItem | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        item = self.current()
        self.close_button.setEnabled(item is not None and item.status is ActionStatus.OPEN)

    def close_current(self) -> None:
        item = self.current()
        if item is None or item.status is not ActionStatus.OPEN:
            return
        action_id, version = item.id, item.version
        self.ctx.run(lambda s: s.meetings.close_action_item(action_id, version), self._closed, self)

    def _closed(self, item: ActionItem) -> None:
        what = tr(*WITHHELD) if item.withheld else item.text
        self.message.setText(
            tr(
                f"Lukket: {what} – af {item.closed_by_name} {fmt_when(item.closed_at)}",
                f"Closed: {what} – by {item.closed_by_name} {fmt_when(item.closed_at)}",
            )
        )
        self.reload()
