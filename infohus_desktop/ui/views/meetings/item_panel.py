"""One agenda item while the meeting is held: its notes, its recommendations and agreements
(each with the owning authority) and its action items (owner, deadline, status).

A case item the reader cannot read arrives *withheld* from the service: the panel then shows
"Indhold tilbageholdt" and nothing else, no number, no notes, no buttons. Once the minutes are
approved everything is read-only here; corrections are addenda (the meeting view's button).
Every change is a dialog or a button that saves on the worker; the panel asks its owner to
reload the meeting afterwards (:attr:`ItemPanel.changed`).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.labels import (
    ACTION_STATUS_LABELS,
    DECISION_KIND_LABELS,
    ITEM_KIND_LABELS,
)
from infohus_desktop.domain.meetings import ActionStatus, AgendaItem, ItemKind, Meeting
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_items import ActionItemDialog, DecisionDialog
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.meeting_agenda import item_subject
from infohus_desktop.ui.models.meetings import OVERDUE_COLOUR, WITHHELD, overdue_text
from infohus_desktop.ui.views.meetings.common import small_button
from infohus_desktop.ui.widgets.layout import heading, hint
from infohus_desktop.ui.widgets.tables import fill, selected_data, table


def withheld_reason(kind: ItemKind) -> str:
    """Why a withheld item shows nothing: whose access group the reader is not in."""
    if kind is ItemKind.TREND:
        return tr(
            "Indhold tilbageholdt: du er ikke med i tendensnotatets adgangskreds.",
            "Content withheld: you are not in the trend note's access group.",
        )
    return tr(
        "Indhold tilbageholdt: du er ikke med i sagens adgangskreds.",
        "Content withheld: you are not in the case's access group.",
    )


class ItemPanel(QWidget):
    """Shows the item chosen on the agenda. ``editable``: the reader may write the minutes
    and they are not locked."""

    #: Something of the item was saved: reload the meeting.
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemPanel")
        self.ctx = ctx
        self.item: AgendaItem | None = None
        self.meeting: Meeting | None = None
        self.editable = False
        self.today = date.today

        self.title = heading("", 2)
        self.title.setObjectName("itemTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.withheld = QLabel(withheld_reason(ItemKind.CASE))
        self.withheld.setObjectName("itemWithheld")
        self.withheld.setWordWrap(True)
        self.withheld.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty = hint(tr("Vælg et punkt på dagsordenen.", "Choose an item on the agenda."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.notes = QPlainTextEdit()
        self.notes.setObjectName("itemNotes")
        self.notes.setAccessibleName(tr("Noter til punktet", "Notes on the item"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(70)
        self.notes.textChanged.connect(self._notes_edited)
        self.save_notes_button = small_button(
            tr("&Gem noter", "&Save notes"),
            "saveNotes",
            tr("Gem noterne til punktet (Ctrl+S)", "Save the notes on the item (Ctrl+S)"),
        )
        self.save_notes_button.setShortcut(QKeySequence("Ctrl+S"))
        self.save_notes_button.clicked.connect(self.save_notes)
        notes_box = QGroupBox(tr("Noter", "Notes"))
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes)
        notes_layout.addWidget(self.save_notes_button, 0, Qt.AlignmentFlag.AlignRight)

        self.decisions = table(
            "itemDecisions",
            tr("Anbefalinger og aftaler", "Recommendations and agreements"),
            (("Type", "Kind"), ("Myndighed", "Authority"), ("Tekst", "Text")),
        )
        self.add_decision_button = small_button(
            tr("Ny anbefaling/aftale …", "New recommendation/agreement …"),
            "addDecision",
            tr("Tilføj en anbefaling eller aftale", "Add a recommendation or agreement"),
            "add",
        )
        self.add_decision_button.clicked.connect(lambda: self.edit_decision(False))
        self.edit_decision_button = small_button(
            tr("Redigér …", "Edit …"), "editDecision", tr("Redigér den valgte", "Edit the chosen")
        )
        self.edit_decision_button.clicked.connect(lambda: self.edit_decision(True))
        self.remove_decision_button = small_button(
            tr("Fjern", "Remove"), "removeDecision", tr("Fjern den valgte", "Remove the chosen")
        )
        self.remove_decision_button.clicked.connect(self.remove_decision)
        decisions_box = QGroupBox(tr("Anbefalinger og aftaler", "Recommendations and agreements"))
        self._boxed(
            decisions_box,
            self.decisions,
            (self.add_decision_button, self.edit_decision_button, self.remove_decision_button),
        )

        self.actions_table = table(
            "itemActionItems",
            tr("Opgaver", "Action items"),
            (
                ("Opgave", "Action item"),
                ("Ansvarlig", "Owner"),
                ("Frist", "Deadline"),
                ("Status", "Status"),
            ),
        )
        self.add_action_button = small_button(
            tr("Ny opgave …", "New action item …"),
            "addActionItem",
            tr(
                "Tilføj en opgave med ansvarlig og frist",
                "Add an action item with owner and deadline",
            ),
            "add",
        )
        self.add_action_button.clicked.connect(lambda: self.edit_action(False))
        self.edit_action_button = small_button(
            tr("Redigér …", "Edit …"), "editActionItem", tr("Redigér den valgte", "Edit the chosen")
        )
        self.edit_action_button.clicked.connect(lambda: self.edit_action(True))
        self.close_action_button = small_button(
            tr("Luk opgave", "Close item"),
            "closeActionItem",
            tr("Marker opgaven som udført", "Mark the action item as done"),
        )
        self.close_action_button.clicked.connect(self.close_action)
        actions_box = QGroupBox(tr("Opgaver", "Action items"))
        self._boxed(
            actions_box,
            self.actions_table,
            (self.add_action_button, self.edit_action_button, self.close_action_button),
        )

        content = QWidget()
        content_box = QVBoxLayout(content)
        content_box.setContentsMargins(0, 0, 0, 0)
        content_box.addWidget(notes_box, 2)
        content_box.addWidget(decisions_box, 2)
        content_box.addWidget(actions_box, 2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.withheld)
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 0, 0)
        outer.addWidget(self.title)
        outer.addWidget(self.stack, 1)
        self._notes_dirty = False
        self.show_item(None, None, False)

    @staticmethod
    def _boxed(box: QGroupBox, widget: QWidget, buttons: tuple[QPushButton, ...]) -> None:
        layout = QVBoxLayout(box)
        layout.addWidget(widget, 1)
        row = QHBoxLayout()
        row.addStretch()
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)

    # -- showing --------------------------------------------------------------------------

    def show_item(self, meeting: Meeting | None, item: AgendaItem | None, editable: bool) -> None:
        previous = self.item
        self.meeting, self.item, self.editable = meeting, item, editable
        if not editable:
            self._notes_dirty = False
        if item is None:
            self.title.setText("")
            self.stack.setCurrentIndex(0)
            return
        kind = label(ITEM_KIND_LABELS, item.kind)
        if item.withheld:
            self.title.setText(f"{item.position}. {kind}: {tr(*WITHHELD)}")
            self.withheld.setText(withheld_reason(item.kind))
            self.stack.setCurrentIndex(1)
            return
        self.title.setText(f"{item.position}. {kind}: {item_subject(item)}")
        keep_typed = self._notes_dirty and previous is not None and previous.id == item.id
        if not keep_typed:  # a reload (after a decision was added) keeps unsaved notes
            self.notes.blockSignals(True)
            self.notes.setPlainText(item.notes)
            self.notes.blockSignals(False)
            self._notes_dirty = False
        self.notes.setReadOnly(not editable)
        # Read-only notes do not look like a field waiting for input.
        self.notes.setStyleSheet(
            "" if editable else "QPlainTextEdit { background: palette(window); }"
        )
        fill(
            self.decisions,
            [(label(DECISION_KIND_LABELS, d.kind), d.authority, d.text) for d in item.decisions],
            [d.id for d in item.decisions],
        )
        today = self.today()
        fill(
            self.actions_table,
            [
                (
                    a.text,
                    a.owner_name,
                    overdue_text(a, today),
                    label(ACTION_STATUS_LABELS, a.status)
                    + (
                        f" ({a.closed_by_name} {fmt_date(a.closed_at.date())})"
                        if a.closed_at
                        else ""
                    ),
                )
                for a in item.action_items
            ],
            [a.id for a in item.action_items],
        )
        for row, action in enumerate(item.action_items):
            if action.overdue(today):
                cell = self.actions_table.item(row, 2)
                if cell is None:
                    continue
                cell.setForeground(OVERDUE_COLOUR)
                cell.setIcon(icon("warning"))
        self.stack.setCurrentIndex(2)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editing = self.editable
        for button in (
            self.add_decision_button,
            self.edit_decision_button,
            self.remove_decision_button,
            self.add_action_button,
            self.edit_action_button,
        ):
            button.setVisible(editing)
        self.save_notes_button.setVisible(editing)
        self.save_notes_button.setEnabled(self._notes_dirty)
        self.close_action_button.setVisible(
            self.item is not None
            and any(a.status is ActionStatus.OPEN for a in self.item.action_items)
        )

    def _notes_edited(self) -> None:
        self._notes_dirty = True
        self.save_notes_button.setEnabled(self.editable)

    @property
    def notes_dirty(self) -> bool:
        return self._notes_dirty

    # -- saving ---------------------------------------------------------------------------

    def save_notes(self) -> None:
        if self.item is None or not self.editable or not self._notes_dirty:
            return
        item_id, version = self.item.id, self.item.version
        notes = self.notes.toPlainText()
        self.save_notes_button.setEnabled(False)

        def saved(_item: AgendaItem) -> None:
            self._notes_dirty = False
            self.changed.emit()

        self.ctx.run(lambda s: s.meetings.record_notes(item_id, notes, version), saved, self)

    def edit_decision(self, existing: bool) -> None:
        if self.item is None or not self.editable:
            return

        decision = None
        if existing:
            chosen = selected_data(self.decisions)
            decision = next((d for d in self.item.decisions if d.id == chosen), None)
            if decision is None:
                return
        self._open(DecisionDialog(self.ctx, self.item, decision, self))

    def remove_decision(self) -> None:
        chosen = selected_data(self.decisions)
        if self.item is None or chosen is None or not self.editable:
            return
        self.ctx.run(
            lambda s: s.meetings.remove_decision(cast(uuid.UUID, chosen)),
            lambda _r: self.changed.emit(),
            self,
        )

    def edit_action(self, existing: bool) -> None:
        if self.item is None or self.meeting is None or not self.editable:
            return

        action = None
        if existing:
            chosen = selected_data(self.actions_table)
            action = next((a for a in self.item.action_items if a.id == chosen), None)
            if action is None:
                return
        owners = [
            (p.member_id, p.name) for p in self.meeting.participants if p.member_id is not None
        ]
        self._open(ActionItemDialog(self.ctx, self.item, owners, action, self))

    def close_action(self) -> None:
        chosen = selected_data(self.actions_table)
        if self.item is None or chosen is None:
            return
        action = next((a for a in self.item.action_items if a.id == chosen), None)
        if action is None or action.status is not ActionStatus.OPEN:
            return
        action_id, version = action.id, action.version
        self.ctx.run(
            lambda s: s.meetings.close_action_item(action_id, version),
            lambda _r: self.changed.emit(),
            self,
        )

    def _open(self, dialog: QDialog) -> None:
        dialog.accepted.connect(self.changed.emit)
        dialog.open()
