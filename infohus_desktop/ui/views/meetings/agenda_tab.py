"""The agenda and minutes of one meeting: the ordered items on the left with the open action
items carried over from earlier meetings, the chosen item's notes, decisions and action items
on the right.

Reordering: drag a row, or press Ctrl+Up/Ctrl+Down (also Alt+Up/Alt+Down) on the agenda, or
use the arrow buttons. Each move is sent to the service at once (the whole order, so a stale
agenda is refused as a Conflict and the meeting is fetched again).
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.meetings import AgendaItem, Meeting
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_items import AgendaItemDialog
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.models.meeting_agenda import AgendaModel
from infohus_desktop.ui.models.meetings import ActionItemModel
from infohus_desktop.ui.views.meetings.common import small_button, table_view
from infohus_desktop.ui.views.meetings.item_panel import ItemPanel
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.question import ask


def _arrow(arrow: Qt.ArrowType, name: str, accessible: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setArrowType(arrow)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tooltip)
    return button


class AgendaTab(QWidget):
    #: Something was saved: the view reloads the meeting.
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaTab")
        self.ctx = ctx
        self.meeting: Meeting | None = None
        self.can_edit_agenda = False
        self.can_write = False

        self.model = AgendaModel(self)
        self.model.order_changed.connect(self._order_changed)
        self.table = table_view("agendaTable", tr("Dagsorden", "Agenda"))
        self.table.setModel(self.model)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDragDropOverwriteMode(False)
        self.table.setToolTip(
            tr(
                "Træk et punkt, eller brug Ctrl+Op/Ctrl+Ned, for at ændre rækkefølgen",
                "Drag an item, or press Ctrl+Up/Ctrl+Down, to change the order",
            )
        )
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.add_button = small_button(
            tr("&Nyt punkt …", "&New item …"),
            "addAgendaItem",
            tr(
                "Tilføj et punkt til dagsordenen (Ctrl+Shift+N)",
                "Add an agenda item (Ctrl+Shift+N)",
            ),
            "add",
        )
        self.add_button.clicked.connect(self.add_item)
        self.remove_button = small_button(
            tr("Fjern", "Remove"),
            "removeAgendaItem",
            tr(
                "Fjern det valgte punkt med noter og opgaver",
                "Remove the chosen item with its notes",
            ),
        )
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button = _arrow(
            Qt.ArrowType.UpArrow,
            "moveItemUp",
            tr("Flyt op", "Move up"),
            tr("Flyt punktet op (Ctrl+Op)", "Move the item up (Ctrl+Up)"),
        )
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = _arrow(
            Qt.ArrowType.DownArrow,
            "moveItemDown",
            tr("Flyt ned", "Move down"),
            tr("Flyt punktet ned (Ctrl+Ned)", "Move the item down (Ctrl+Down)"),
        )
        self.down_button.clicked.connect(lambda: self.move_current(1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)

        self.carried_model = ActionItemModel(self, compact=True)
        self.carried = table_view(
            "carriedActionItems", tr("Åbne opgaver fra tidligere møder", "Open earlier items")
        )
        self.carried.setModel(self.carried_model)
        # A narrow column: deadline, what and who; the meeting is in the tooltip.
        for column in (
            ActionItemModel.COL_STATUS,
            ActionItemModel.COL_CASE,
            ActionItemModel.COL_MEETING,
        ):
            self.carried.setColumnHidden(column, True)
        carried_header = self.carried.horizontalHeader()
        carried_header.setStretchLastSection(False)
        carried_header.setSectionResizeMode(
            ActionItemModel.COL_TEXT, QHeaderView.ResizeMode.Stretch
        )
        self.carried.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.carried_box = QGroupBox()
        carried_layout = QVBoxLayout(self.carried_box)
        carried_layout.addWidget(self.carried)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 4, 0)
        left_box.addWidget(self.table, 3)
        left_box.addLayout(buttons)
        self.move_hint = hint(
            tr("Træk eller Ctrl+Op/Ned ændrer rækkefølgen", "Drag or Ctrl+Up/Down reorders")
        )
        left_box.addWidget(self.move_hint)
        left_box.addWidget(self.carried_box, 2)

        self.panel = ItemPanel(ctx)
        self.panel.changed.connect(self.changed.emit)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("agendaSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 9)
        splitter.setStretchFactor(1, 11)
        splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)
        self._keys()
        QWidget.setTabOrder(self.table, self.add_button)

    def _keys(self) -> None:
        for name, keys, delta in (
            ("moveUpAction", ("Ctrl+Up", "Alt+Up"), -1),
            ("moveDownAction", ("Ctrl+Down", "Alt+Down"), 1),
        ):
            action = QAction(self.table)
            action.setObjectName(name)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, d=delta: self.move_current(d))
            self.table.addAction(action)
        add = QAction(self)
        add.setObjectName("addItemAction")
        add.setShortcut(QKeySequence("Ctrl+Shift+N"))
        add.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add.triggered.connect(self.add_item)
        self.addAction(add)

    # -- showing --------------------------------------------------------------------------

    def show_meeting(
        self, meeting: Meeting, can_edit_agenda: bool, can_write: bool, today: date
    ) -> None:
        """Show ``meeting``; the chosen item stays chosen across reloads."""
        keep = self.current_item()
        self.meeting = meeting
        self.can_edit_agenda, self.can_write = can_edit_agenda, can_write
        self.model.set_items(meeting.items, movable=can_edit_agenda)
        self.carried_model.today = lambda: today
        self.panel.today = lambda: today
        self.carried_model.set_rows(meeting.carried_action_items)
        count = len(meeting.carried_action_items)
        self.carried_box.setTitle(
            tr(
                f"Åbne opgaver fra tidligere møder ({count})",
                f"Open action items from earlier meetings ({count})",
            )
        )
        for widget in (self.add_button, self.remove_button, self.up_button, self.down_button):
            widget.setVisible(can_edit_agenda)
        self.move_hint.setVisible(can_edit_agenda)
        self.table.setDragEnabled(can_edit_agenda)
        row = self.model.row_of(keep.id) if keep is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.select_row(row)
        else:
            self.panel.show_item(meeting, None, False)

    def current_item(self) -> AgendaItem | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._show_current()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        item = self.current_item()
        if item is not None and self.panel.item is item:
            return
        shown = self.panel.item
        moving_on = shown is not None and (item is None or item.id != shown.id)
        if moving_on and self.panel.notes_dirty:  # moving on saves what was typed
            self.panel.save_notes()
        self.panel.show_item(self.meeting, item, self.can_write and item is not None)

    # -- changing -------------------------------------------------------------------------

    def move_current(self, delta: int) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.can_edit_agenda:
            return
        row = index.row()
        if self.model.move_item(row, row + delta):
            self.select_row(row + delta)

    def _order_changed(self, ids: list[uuid.UUID]) -> None:
        if self.meeting is None:
            return
        meeting_id = self.meeting.id
        self.ctx.run(
            lambda s: s.meetings.reorder_items(meeting_id, ids),
            lambda _m: self.changed.emit(),
            self,
            self._reorder_failed,
        )

    def _reorder_failed(self, exc: InfohusError) -> None:
        show_error(self.ctx.window, exc)
        self.changed.emit()  # fetch the order as stored

    def add_item(self) -> None:
        if self.meeting is None or not self.can_edit_agenda:
            return

        dialog = AgendaItemDialog(self.ctx, self.meeting, self)
        dialog.accepted.connect(self.changed.emit)
        dialog.open()

    def remove_item(self) -> None:
        item = self.current_item()
        if item is None or not self.can_edit_agenda:
            return
        item_id = item.id
        ask(
            self,
            "removeItemQuestion",
            tr("Fjern punkt", "Remove item"),
            tr(
                "Fjern punktet fra dagsordenen med dets noter, anbefalinger og opgaver?",
                "Remove the item from the agenda with its notes, recommendations and action items?",
            ),
            tr("&Fjern punktet", "&Remove the item"),
            lambda: self.ctx.run(
                lambda s: s.meetings.remove_item(item_id), lambda _r: self.changed.emit(), self
            ),
        )

    def focus_agenda(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
