"""Plan a meeting, or change a planned one: kind, Infohus Kommune, date and time, place,
ordinary or extraordinary, chair, minute taker, invited members and named guests.

The choices (members who can be invited, the Infohus Kommuner) are fetched on the worker when
the dialog opens; the save is one worker call that plans (or edits) and then invites, so the
dialog closes only when everything is stored. Times are Copenhagen time: the meeting is at
14.30 in Aarhus whatever zone the laptop is set to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import MEETING_KIND_LABELS
from infohus_desktop.domain.meetings import (
    GuestInput,
    Meeting,
    MeetingEdit,
    MeetingKind,
    MeetingType,
    NewMeeting,
)
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import LocalInfohus
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_guests import GuestEditor
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.meetings import LOCAL_ZONE, MEETING_TYPE_LABELS, local
from infohus_desktop.ui.widgets.dates import DateEdit
from infohus_desktop.ui.widgets.person_form import line

TIME_FORMAT = "HH.mm"


@dataclass(frozen=True)
class PlanChoices:
    members: list[Member]
    local_infohuse: list[LocalInfohus]


def _load_choices(session: MemberServices, meeting_id: uuid.UUID | None) -> PlanChoices:
    members = session.meetings.members(meeting_id)
    locals_ = session.groups.local_infohuse() if meeting_id is None else []
    return PlanChoices(members, locals_)


def index_of(combo: QComboBox, value: object) -> int:
    """The row whose data equals ``value`` (``findData`` compares Python objects by identity,
    so an equal UUID from another list is not found); -1 when none."""
    for row in range(combo.count()):
        if combo.itemData(row) == value:
            return row
    return -1


def _time_edit(name: str, accessible: str, value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setDisplayFormat(TIME_FORMAT)
    return edit


class MeetingPlanDialog(SavingDialog):
    """``meeting`` given: change it. :attr:`saved` holds the stored meeting."""

    def __init__(
        self, ctx: AppContext, meeting: Meeting | None = None, parent: QWidget | None = None
    ) -> None:
        editing = meeting is not None
        super().__init__(
            ctx,
            tr("Redigér møde", "Edit meeting") if editing else tr("Planlæg møde", "Plan meeting"),
            "meetingPlanDialog",
            tr("&Gem møde", "&Save meeting") if editing else tr("&Planlæg", "&Plan"),
            parent,
        )
        self.meeting = meeting
        self.saved: Meeting | None = None

        self.kind = QComboBox()
        self.kind.setObjectName("meetingKind")
        self.kind.setAccessibleName(tr("Mødetype", "Kind of meeting"))
        for kind in (MeetingKind.CASE, MeetingKind.NETWORK):
            self.kind.addItem(label(MEETING_KIND_LABELS, kind), kind)
        self.local = QComboBox()
        self.local.setObjectName("meetingInfohus")
        self.local.setAccessibleName(tr("Infohus Kommune", "Infohus Kommune"))
        self.title_edit = line("meetingTitle", tr("Titel", "Title"))
        self.title_edit.setPlaceholderText(tr("Fx Infohusmøde november", "E.g. November meeting"))
        start = datetime.now(LOCAL_ZONE).replace(minute=0, second=0, microsecond=0)
        self.date = DateEdit(start.date() + timedelta(days=7))
        self.date.setObjectName("meetingDate")
        self.date.setAccessibleName(tr("Dato", "Date"))
        self.starts = _time_edit("meetingStart", tr("Starttid", "Start time"), time(14, 0))
        self.ends = _time_edit("meetingEnd", tr("Sluttid", "End time"), time(16, 0))
        times = QHBoxLayout()
        times.addWidget(self.starts)
        times.addWidget(self.ends)
        times.addStretch()
        self.place = line("meetingPlace", tr("Sted", "Place"))
        self.type = QComboBox()
        self.type.setObjectName("meetingType")
        self.type.setAccessibleName(tr("Ordinært eller ekstraordinært", "Ordinary or not"))
        for meeting_type in MeetingType:
            self.type.addItem(label(MEETING_TYPE_LABELS, meeting_type), meeting_type)
        self.chair = QComboBox()
        self.chair.setObjectName("meetingChair")
        self.chair.setAccessibleName(tr("Mødeleder", "Chair"))
        self.minute_taker = QComboBox()
        self.minute_taker.setObjectName("meetingMinuteTaker")
        self.minute_taker.setAccessibleName(tr("Referent", "Minute taker"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Mødet&ype", "&Kind"), self.kind)
        form.addRow(tr("&Infohus Kommune", "&Infohus Kommune"), self.local)
        form.addRow(tr("&Titel", "&Title"), self.title_edit)
        form.addRow(tr("&Dato", "&Date"), self.date)
        form.addRow(tr("Tid (fra – til)", "Time (from – to)"), times)
        form.addRow(tr("&Sted", "Pl&ace"), self.place)
        form.addRow(tr("&Ordinært/ekstraord.", "&Ordinary/extra"), self.type)
        form.addRow(tr("Møde&leder", "C&hair"), self.chair)
        form.addRow(tr("&Referent", "Minute take&r"), self.minute_taker)

        self.invited = QListWidget()
        self.invited.setObjectName("meetingInvited")
        self.invited.setAccessibleName(tr("Inviterede medlemmer", "Invited members"))
        self.invited.setMinimumWidth(260)
        invited_box = QGroupBox(tr("Inviterede &medlemmer", "Invited &members"))
        QVBoxLayout(invited_box).addWidget(self.invited)

        self.guest_box = GuestEditor(self.show_problem)

        right = QVBoxLayout()
        right.addWidget(invited_box, 1)
        right.addWidget(self.guest_box)
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        self.finish()
        chain_tab_order(
            [
                self.kind,
                self.local,
                self.title_edit,
                self.date,
                self.starts,
                self.ends,
                self.place,
                self.type,
                self.chair,
                self.minute_taker,
                self.invited,
                *self.guest_box.tab_chain(),
                self.ok_button,
            ]
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if meeting is not None:
            self._fill(meeting)
        self.ok_button.setEnabled(False)
        self.setMinimumWidth(820)
        meeting_id = meeting.id if meeting else None
        ctx.run(lambda s: _load_choices(s, meeting_id), self._loaded, self, self._load_failed)

    # -- filling --------------------------------------------------------------------------

    def _fill(self, meeting: Meeting) -> None:
        summary = meeting.summary
        self.kind.setCurrentIndex(self.kind.findData(summary.kind))
        self.kind.setEnabled(False)
        self.local.addItem(summary.forum, None)
        self.local.setEnabled(False)
        self.title_edit.setText(summary.title)
        starts = local(summary.starts_at)
        self.date.set_value(starts.date())
        self.starts.setTime(QTime(starts.hour, starts.minute))
        if summary.ends_at is not None:
            ends = local(summary.ends_at)
            self.ends.setTime(QTime(ends.hour, ends.minute))
        self.place.setText(summary.place)
        self.type.setCurrentIndex(self.type.findData(summary.meeting_type))
        self.guest_box.show_invited(meeting.participants)

    def _loaded(self, choices: PlanChoices) -> None:
        invited = {p.member_id for p in self.meeting.participants} if self.meeting else set()
        if not self.meeting:
            invited = {self.ctx.session.member.id}
        for combo, chosen in (
            (self.chair, self.meeting.chair_id if self.meeting else self.ctx.session.member.id),
            (self.minute_taker, self.meeting.minute_taker_id if self.meeting else None),
        ):
            combo.clear()
            combo.addItem(tr("(ingen valgt)", "(none chosen)"), None)
            for member in choices.members:
                combo.addItem(f"{member.name} ({member.organisation_name})", member.id)
            combo.setCurrentIndex(max(0, index_of(combo, chosen)))
        self.invited.clear()
        for member in choices.members:
            item = QListWidgetItem(f"{member.name} ({member.organisation_name})")
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = member.id in invited
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.invited.addItem(item)
        if self.meeting is None:
            self.local.clear()
            own = 0
            for n, infohus in enumerate(choices.local_infohuse):
                self.local.addItem(infohus.name, infohus.name)
                if infohus.municipality_id == self.ctx.session.member.organisation_id:
                    own = n
            self.local.setCurrentIndex(own)
            self._kind_changed()
        self.ok_button.setEnabled(True)
        self.title_edit.setFocus()

    def _load_failed(self, exc: InfohusError) -> None:
        self.show_problem(exc.message(language()))

    def _kind_changed(self) -> None:
        if self.meeting is None:
            self.local.setEnabled(self.kind.currentData() == MeetingKind.CASE)

    # -- saving ---------------------------------------------------------------------------

    def invited_ids(self) -> list[uuid.UUID]:
        out = []
        for row in range(self.invited.count()):
            item = self.invited.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def times(self) -> tuple[datetime, datetime]:
        """Start and end as typed (Copenhagen time), handed to the service in UTC: a
        database column without a zone keeps the clock reading and drops the offset, so
        only UTC survives the round trip on every engine."""
        day = self.date.value()
        out = []
        for edit in (self.starts, self.ends):
            clock = edit.time()
            moment = datetime(
                day.year, day.month, day.day, clock.hour(), clock.minute(), tzinfo=LOCAL_ZONE
            )
            out.append(moment.astimezone(UTC))
        return out[0], out[1]

    def submit(self) -> None:
        title = self.title_edit.text().strip()
        if not title:
            self.show_problem(tr("Giv mødet en titel.", "Give the meeting a title."))
            self.title_edit.setFocus()
            return
        starts, ends = self.times()
        if ends <= starts:
            self.show_problem(
                tr(
                    "Sluttiden skal ligge efter starttiden.",
                    "The end time must be after the start.",
                )
            )
            self.ends.setFocus()
            return
        if self.guest_box.half_typed():
            self.show_problem(
                tr(
                    "Tryk 'Tilføj gæst' for gæsten, du er ved at skrive, eller ryd felterne.",
                    "Press 'Add guest' for the guest you are typing, or clear the fields.",
                )
            )
            self.guest_box.add_button.setFocus()
            return
        invited, guests = self.invited_ids(), list(self.guest_box.guests)
        chair, taker = self.chair.currentData(), self.minute_taker.currentData()
        place, meeting_type = self.place.text().strip(), MeetingType(self.type.currentData())
        if self.meeting is None:
            kind = MeetingKind(self.kind.currentData())
            new = NewMeeting(
                kind=kind,
                title=title,
                starts_at=starts,
                ends_at=ends,
                place=place,
                meeting_type=meeting_type,
                local_infohus=self.local.currentData() if kind is MeetingKind.CASE else None,
                chair_id=chair,
                minute_taker_id=taker,
                member_ids=tuple(invited),
            )
            self.save(lambda s: _plan(s, new, guests), self._saved)
            return
        meeting = self.meeting
        edit = MeetingEdit(
            title=title,
            starts_at=starts,
            ends_at=ends,
            place=place,
            meeting_type=meeting_type,
            chair_id=chair,
            minute_taker_id=taker,
        )
        self.save(lambda s: _edit(s, meeting, edit, invited, guests), self._saved)

    def _saved(self, meeting: Meeting) -> None:
        self.saved = meeting
        self.finish_saved()


def _plan(session: MemberServices, new: NewMeeting, guests: list[GuestInput]) -> Meeting:
    meeting = session.meetings.plan(new)
    for guest in guests:
        session.meetings.add_guest(meeting.id, guest)
    return session.meetings.get(meeting.id) if guests else meeting


def _edit(
    session: MemberServices,
    meeting: Meeting,
    edit: MeetingEdit,
    invited: list[uuid.UUID],
    guests: list[GuestInput],
) -> Meeting:
    service = session.meetings
    service.edit(meeting.id, edit, meeting.version)
    current = {p.member_id: p for p in meeting.participants if p.member_id is not None}
    for member_id in invited:
        if member_id not in current:
            service.add_member(meeting.id, member_id)
    for member_id, participant in current.items():
        if member_id not in invited:
            service.remove_participant(meeting.id, participant.id)
    for guest in guests:
        service.add_guest(meeting.id, guest)
    return service.get(meeting.id)
