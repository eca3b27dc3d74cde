"""Meetings: plan, agenda, hold, approve, send; action items; agenda and minutes as PDF; the
invitation as .ics.

:class:`MeetingService` (``session.meetings``) is the one entry point; the work is done in
small modules: ``meeting_store`` (rows, keys, access and the lock), ``meeting_reader``
(decrypting a meeting for its reader), ``meeting_plan`` (planning and participants),
``meeting_agenda`` (items and their order), ``meeting_minutes`` (notes, decisions, lifecycle,
addenda), ``action_items`` and ``meeting_output`` (PDF and .ics).

Access: coordinators of the meeting's group plan it; the chair, the minute taker and the
group's coordinators write the minutes; the chair approves; every member of the meeting's
group reads it; the content of a case item is readable only by the case's access group (the
others get it withheld). After approval every path that would change the minutes raises
:class:`~infohus_desktop.domain.meetings.MeetingLocked`; corrections are addenda. Closing an
action item stays possible: it is follow-up, recorded with who and when.

Ids: every method takes a meeting as a :class:`uuid.UUID`, its string, or its short id (the
first 8 or more hex digits, see :meth:`MeetingService.resolve`).
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Literal

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.meetings import (
    ActionItem,
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    DecisionKind,
    GuestInput,
    Meeting,
    MeetingEdit,
    MeetingKind,
    MeetingSummary,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
    Participant,
)
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.trends import TrendSummary
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import action_items as action_items
from infohus_desktop.services.meetings import agenda as meeting_agenda
from infohus_desktop.services.meetings import minutes as meeting_minutes
from infohus_desktop.services.meetings import output as meeting_output
from infohus_desktop.services.meetings import plan as meeting_plan
from infohus_desktop.services.meetings import reader as meeting_reader
from infohus_desktop.services.meetings import store as meeting_store
from infohus_desktop.services.meetings import trend_items as meeting_trends

MeetingRef = uuid.UUID | str
Document = Literal["agenda", "minutes"]


class MeetingService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- finding and reading ----------------------------------------------------------------

    def resolve(self, ref: MeetingRef) -> uuid.UUID:
        """The meeting's id from a UUID, its string form, or a short id (at least 8 hex
        digits, unique among the meetings this member can read). NotFound otherwise."""

        return meeting_store.resolve(self.ms, ref)

    def list(
        self,
        kind: MeetingKind | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> builtins.list[MeetingSummary]:
        """The meetings of the groups this member is in, newest first (audited)."""

        return meeting_reader.list_meetings(self.ms, kind, since, until)

    def get(self, ref: MeetingRef, with_names: bool = False) -> Meeting:
        """The whole meeting for this reader: items of cases outside their groups withheld.
        Audited before decrypting: the meeting, and each readable case item against its case
        (purpose *mødeforberedelse*). ``with_names`` fills in the persons' names of case items
        and is audited as such."""

        return meeting_reader.read_meeting(self.ms, self.resolve(ref), with_names)

    def members(self, ref: MeetingRef | None = None) -> builtins.list[Member]:
        """Members who can be invited, chair or minute taker: the members of the meeting's
        group (all active members when ``ref`` is None, for planning a new meeting)."""

        return meeting_plan.candidate_members(self.ms, None if ref is None else self.resolve(ref))

    def case_choices(self, ref: MeetingRef) -> builtins.list[CaseSummary]:
        """Cases this member can read that belong to the case meeting's Infohus Kommune:
        what the case picker of the agenda offers (shown by number)."""

        return meeting_agenda.case_choices(self.ms, self.resolve(ref))

    def trend_choices(self, ref: MeetingRef) -> builtins.list[TrendSummary]:
        """Trend notes this member can read that are not yet on the agenda (title, theme,
        period), newest period first: what the agenda's trend picker offers."""

        return meeting_trends.trend_choices(self.ms, self.resolve(ref))

    def for_trend_note(self, note_id: uuid.UUID) -> builtins.list[MeetingSummary]:
        """The meetings this member can read that have the trend note on their agenda, newest
        first (audited). NotFound for a note the member cannot read."""

        return meeting_trends.meetings_for_note(self.ms, note_id)

    # -- planning ---------------------------------------------------------------------------

    def plan(self, new: NewMeeting) -> Meeting:
        """Plan a meeting (coordinators). A case meeting belongs to an Infohus Kommune and is
        encrypted under its group's key; a network meeting under the network's."""

        return self.get(meeting_plan.plan(self.ms, new))

    def edit(self, ref: MeetingRef, edit: MeetingEdit, version: int) -> Meeting:
        """Change date, time, place, type, chair, minute taker or description (coordinators).
        Conflict when ``version`` is stale; MeetingLocked after approval."""

        meeting_plan.edit(self.ms, self.resolve(ref), edit, version)
        return self.get(ref)

    def add_member(self, ref: MeetingRef, member_id: uuid.UUID) -> Participant:
        """Invite a member of the meeting's group (coordinators)."""

        return meeting_plan.add_member(self.ms, self.resolve(ref), member_id)

    def add_guest(self, ref: MeetingRef, guest: GuestInput) -> Participant:
        """Invite a named guest with organisation (coordinators); name and e-mail are
        encrypted under the meeting's group key."""

        return meeting_plan.add_guest(self.ms, self.resolve(ref), guest)

    def remove_participant(self, ref: MeetingRef, participant_id: uuid.UUID) -> None:
        """Take a participant off the list (coordinators)."""

        meeting_plan.remove_participant(self.ms, self.resolve(ref), participant_id)

    def set_attendance(
        self, ref: MeetingRef, attendance: Mapping[uuid.UUID, Attendance]
    ) -> builtins.list[Participant]:
        """Mark who attended: participant id → present/absent (chair, minute taker,
        coordinators)."""

        return meeting_plan.set_attendance(self.ms, self.resolve(ref), attendance)

    # -- agenda -----------------------------------------------------------------------------

    def add_item(self, ref: MeetingRef, item: NewAgendaItem) -> AgendaItem:
        """Append an item (chair, minute taker, coordinators). A case item names a case the
        member can read, of the meeting's Infohus Kommune; a network meeting takes no case. A
        trend item names a trend note the member can read (either kind of meeting)."""

        return meeting_agenda.add_item(self.ms, self.resolve(ref), item)

    def edit_item(
        self,
        item_id: uuid.UUID,
        version: int,
        title: str | None = None,
        organisation: str | None = None,
    ) -> AgendaItem:
        """Change an item's title or orienting organisation. Conflict when stale."""

        return meeting_agenda.edit_item(self.ms, item_id, version, title, organisation)

    def remove_item(self, item_id: uuid.UUID) -> None:
        """Remove an item with its notes, decisions and action items."""

        meeting_agenda.remove_item(self.ms, item_id)

    def reorder_items(self, ref: MeetingRef, ordered_ids: Sequence[uuid.UUID]) -> Meeting:
        """Put the items in this order. ``ordered_ids`` must name every item of the meeting
        exactly once (a list made from a stale agenda is a Conflict)."""

        meeting_agenda.reorder(self.ms, self.resolve(ref), ordered_ids)
        return self.get(ref)

    # -- holding ----------------------------------------------------------------------------

    def record_notes(self, item_id: uuid.UUID, notes: str, version: int) -> AgendaItem:
        """Replace the item's notes (case items: under the case's key)."""

        return meeting_minutes.record_notes(self.ms, item_id, notes, version)

    def add_decision(
        self, item_id: uuid.UUID, kind: DecisionKind, text: str, authority: str
    ) -> Decision:
        """Record a recommendation or agreement with the authority that owns it."""

        return meeting_minutes.add_decision(self.ms, item_id, kind, text, authority)

    def edit_decision(
        self, decision_id: uuid.UUID, version: int, text: str, authority: str
    ) -> Decision:

        return meeting_minutes.edit_decision(self.ms, decision_id, version, text, authority)

    def remove_decision(self, decision_id: uuid.UUID) -> None:

        meeting_minutes.remove_decision(self.ms, decision_id)

    def add_action_item(self, item_id: uuid.UUID, new: NewActionItem) -> ActionItem:
        """An action item (owner, deadline) of an agenda item; status open."""

        return action_items.add(self.ms, item_id, new)

    def edit_action_item(
        self, action_id: uuid.UUID, version: int, new: NewActionItem
    ) -> ActionItem:

        return action_items.edit(self.ms, action_id, version, new)

    def remove_action_item(self, action_id: uuid.UUID) -> None:

        action_items.remove(self.ms, action_id)

    def mark_held(self, ref: MeetingRef, version: int) -> Meeting:
        """planlagt → afholdt. Participants still marked invited become absent."""

        meeting_minutes.mark_held(self.ms, self.resolve(ref), version)
        return self.get(ref)

    def approve(self, ref: MeetingRef, version: int) -> Meeting:
        """afholdt → referat godkendt, by the chair. The minutes lock; the carried action
        items are fixed as they stand."""

        meeting_minutes.approve(self.ms, self.resolve(ref), version)
        return self.get(ref)

    def add_addendum(
        self, ref: MeetingRef, text: str, item_id: uuid.UUID | None = None
    ) -> Addendum:
        """A correction to approved minutes, with who and when (chair, minute taker,
        coordinators). About a case item it is stored under the case's key."""

        return meeting_minutes.add_addendum(self.ms, self.resolve(ref), text, item_id)

    def mark_sent(self, ref: MeetingRef, version: int) -> Meeting:
        """referat godkendt → udsendt (chair, coordinators)."""

        meeting_minutes.mark_sent(self.ms, self.resolve(ref), version)
        return self.get(ref)

    # -- action items across meetings -------------------------------------------------------

    def open_action_items(self, mine: bool = False) -> builtins.list[ActionItem]:
        """Open action items of every meeting this member can read, earliest deadline first;
        ``mine``: only those they own. Items of cases outside their groups are withheld."""

        return action_items.open_items(self.ms, mine)

    def close_action_item(self, action_id: uuid.UUID, version: int | None = None) -> ActionItem:
        """Mark done, recording who and when (the owner, chair, minute taker, coordinators).
        Allowed after approval: it is follow-up, not a change of the minutes."""

        return action_items.close(self.ms, action_id, version)

    # -- documents --------------------------------------------------------------------------

    def agenda_pdf(self, ref: MeetingRef, language: str = "da") -> bytes:
        """The agenda as PDF (audited as a preview/export of the agenda)."""

        return meeting_output.agenda_pdf(self.ms, self.resolve(ref), language)

    def minutes_pdf(self, ref: MeetingRef, with_names: bool = False, language: str = "da") -> bytes:
        """The minutes as PDF. Cases by number; ``with_names`` adds the persons' names and
        is audited as such. Items of cases outside the reader's groups are withheld."""

        return meeting_output.minutes_pdf(self.ms, self.resolve(ref), with_names, language)

    def record_output(
        self, ref: MeetingRef, document: Document, action: str, with_names: bool = False
    ) -> None:
        """Audit that the agenda or minutes were printed (``action="print"``) or saved
        (``"save"``) from the preview."""

        meeting_output.record_output(self.ms, self.resolve(ref), document, action, with_names)

    def output_audit(
        self, ref: MeetingRef, document: Document, with_names: bool = False
    ) -> Callable[[MemberSession, str], None]:
        """The ``audit(session, action)`` callback for ``PdfPreviewDialog``."""
        meeting_id = self.resolve(ref)

        def audit(session: MemberSession, action: str) -> None:
            meeting_output.record_output(session, meeting_id, document, action, with_names)

        return audit

    def ics(self, ref: MeetingRef) -> bytes:
        """The invitation as an iCalendar file: date, time, place, title, the invited
        members with e-mail; no case data and no citizen's name (audited)."""

        return meeting_output.invitation_ics(self.ms, self.resolve(ref))


def output_audit(
    meeting_id: uuid.UUID, document: Document, with_names: bool = False
) -> Callable[[MemberSession, str], None]:
    """Module-level form of :meth:`MeetingService.output_audit`, for callers that hold only
    the id: ``PdfPreviewDialog(..., audit=output_audit(meeting.id, "minutes"))``."""

    def audit(session: MemberSession, action: str) -> None:
        meeting_output.record_output(session, meeting_id, document, action, with_names)

    return audit
