"""Who was invited and who attended: one check box per participant (members and named guests
with their organisation), saved with "Gem fremmøde". Coordinators take a participant off the
list here; inviting is done in the plan dialog. Locked minutes show attendance read-only."""

from __future__ import annotations

import uuid
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from infohus_desktop.domain.labels import ATTENDANCE_LABELS
from infohus_desktop.domain.meetings import Attendance, Meeting, Participant
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.meetings.common import small_button
from infohus_desktop.ui.widgets.tables import selected_data, table

COL_PRESENT, COL_NAME, COL_ORGANISATION, COL_ROLE = range(4)


class ParticipantsTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantsTab")
        self.ctx = ctx
        self.meeting: Meeting | None = None
        self.editable = False
        self.table = table(
            "participantsTable",
            tr("Deltagere", "Participants"),
            (
                ("Til stede", "Present"),
                ("Navn", "Name"),
                ("Organisation", "Organisation"),
                ("Rolle", "Role"),
            ),
        )
        self.table.itemChanged.connect(self._checked)
        self.summary = QLabel()
        self.summary.setObjectName("attendanceSummary")
        self.save_button = small_button(
            tr("&Gem fremmøde", "&Save attendance"),
            "saveAttendance",
            tr("Gem hvem der var til stede", "Save who attended"),
        )
        self.save_button.clicked.connect(self.save_attendance)
        self.remove_button = small_button(
            tr("Fjern deltager", "Remove participant"),
            "removeParticipant",
            tr("Tag den valgte deltager af listen", "Take the chosen participant off the list"),
        )
        self.remove_button.clicked.connect(self.remove_participant)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.remove_button)
        row.addWidget(self.save_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.table, 1)
        outer.addLayout(row)
        self._dirty = False

    def show_meeting(self, meeting: Meeting, editable: bool, can_plan: bool) -> None:
        # Ticks not yet saved survive a reload of the same meeting (after notes were saved).
        same = self.meeting is not None and self.meeting.id == meeting.id
        pending = self.attendance() if self._dirty and same and editable else {}
        self.meeting, self.editable = meeting, editable
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for r, participant in enumerate(meeting.participants):
            self.table.insertRow(r)
            present = QTableWidgetItem(label(ATTENDANCE_LABELS, participant.attendance))
            present.setData(Qt.ItemDataRole.UserRole, participant.id)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if editable:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            present.setFlags(flags)
            attendance = pending.get(participant.id, participant.attendance)
            present.setText(label(ATTENDANCE_LABELS, attendance))
            present.setCheckState(
                Qt.CheckState.Checked
                if attendance is Attendance.PRESENT
                else Qt.CheckState.Unchecked
            )
            present.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"{participant.name}: {label(ATTENDANCE_LABELS, participant.attendance)}",
            )
            self.table.setItem(r, COL_PRESENT, present)
            for col, text in (
                (COL_NAME, participant.name),
                (COL_ORGANISATION, participant.organisation),
                (COL_ROLE, self._role(meeting, participant)),
            ):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self._dirty = bool(pending)
        self.save_button.setVisible(editable)
        self.save_button.setEnabled(self._dirty)
        self.remove_button.setVisible(can_plan)
        self._update_summary()

    @staticmethod
    def _role(meeting: Meeting, participant: Participant) -> str:
        roles = []
        if participant.member_id is not None and participant.member_id == meeting.chair_id:
            roles.append(tr("Mødeleder", "Chair"))
        if participant.member_id is not None and participant.member_id == meeting.minute_taker_id:
            roles.append(tr("Referent", "Minute taker"))
        if participant.is_guest:
            roles.append(tr("Gæst", "Guest"))
        return ", ".join(roles)

    def attendance(self) -> dict[uuid.UUID, Attendance]:
        out = {}
        for r in range(self.table.rowCount()):
            item = self.table.item(r, COL_PRESENT)
            if item is None:
                continue
            checked = item.checkState() == Qt.CheckState.Checked
            out[item.data(Qt.ItemDataRole.UserRole)] = (
                Attendance.PRESENT if checked else Attendance.ABSENT
            )
        return out

    def _checked(self, item: QTableWidgetItem) -> None:
        if item.column() != COL_PRESENT:
            return
        present = item.checkState() == Qt.CheckState.Checked
        self.table.blockSignals(True)
        item.setText(label(ATTENDANCE_LABELS, Attendance.PRESENT if present else Attendance.ABSENT))
        self.table.blockSignals(False)
        self._dirty = True
        self.save_button.setEnabled(True)
        self._update_summary()

    def _update_summary(self) -> None:
        if self.meeting is None:
            return
        total = len(self.meeting.participants)
        present = sum(1 for a in self.attendance().values() if a is Attendance.PRESENT)
        text = tr(f"{present} af {total} til stede", f"{present} of {total} present")
        if self._dirty:
            text += tr(" (ikke gemt)", " (not saved)")
        self.summary.setText(text)

    def save_attendance(self) -> None:
        if self.meeting is None or not self.editable:
            return
        meeting_id, attendance = self.meeting.id, self.attendance()
        self.save_button.setEnabled(False)

        def saved(_participants: object) -> None:
            self._dirty = False
            self.changed.emit()

        self.ctx.run(lambda s: s.meetings.set_attendance(meeting_id, attendance), saved, self)

    def remove_participant(self) -> None:
        chosen = selected_data(self.table)
        if self.meeting is None or chosen is None:
            return
        meeting_id = self.meeting.id
        self.ctx.run(
            lambda s: s.meetings.remove_participant(meeting_id, cast(uuid.UUID, chosen)),
            lambda _r: self.changed.emit(),
            self,
        )

    @property
    def dirty(self) -> bool:
        return self._dirty
