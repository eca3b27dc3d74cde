"""Addenda (*tillæg*) to approved minutes, each with who wrote it and when. The minutes
themselves never change after approval; this list is where corrections go."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from infohus_desktop.domain.meetings import Meeting
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_items import AddendumDialog
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.models.meeting_agenda import item_subject
from infohus_desktop.ui.models.meetings import WITHHELD, fmt_when
from infohus_desktop.ui.views.meetings.common import small_button
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import fill, table


class AddendaTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addendaTab")
        self.ctx = ctx
        self.meeting: Meeting | None = None
        self.table = table(
            "addendaTable",
            tr("Tillæg", "Addenda"),
            (("Tidspunkt", "Time"), ("Af", "By"), ("Vedrører", "Concerns"), ("Tillæg", "Text")),
        )
        self.explain = hint(
            tr(
                "Et godkendt referat ændres ikke. Rettelser tilføjes som tillæg med navn og "
                "tidspunkt.",
                "Approved minutes do not change. Corrections are added as addenda with name "
                "and time.",
            )
        )
        self.add_button = small_button(
            tr("&Tilføj tillæg …", "&Add addendum …"),
            "addAddendumTab",
            tr("Tilføj et tillæg til det godkendte referat", "Add an addendum to the minutes"),
            "add",
        )
        self.add_button.clicked.connect(self.add_addendum)
        row = QHBoxLayout()
        row.addWidget(self.explain, 1)
        row.addWidget(self.add_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.table, 1)
        outer.addLayout(row)

    def show_meeting(self, meeting: Meeting, can_add: bool) -> None:
        self.meeting = meeting
        items = {item.id: item for item in meeting.items}
        rows = []
        for addendum in sorted(meeting.addenda, key=lambda a: a.at):
            item = items.get(addendum.item_id) if addendum.item_id else None
            concerns = (
                f"{item.position}. {item_subject(item)}"
                if item is not None
                else tr("Hele referatet", "The whole minutes")
            )
            text = tr(*WITHHELD) if addendum.withheld else addendum.text
            rows.append((fmt_when(addendum.at), addendum.by_name, concerns, text))
        fill(self.table, rows)
        self.add_button.setVisible(can_add)

    def add_addendum(self) -> None:
        if self.meeting is None or not self.meeting.status.locked:
            return

        dialog = AddendumDialog(self.ctx, self.meeting, self)
        dialog.accepted.connect(self.changed.emit)
        dialog.open()
