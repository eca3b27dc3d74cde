"""Approved minutes are locked on every service path; corrections are addenda."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date

import pytest

from infohus_desktop.domain.meetings import (
    Attendance,
    DecisionKind,
    GuestInput,
    ItemKind,
    MeetingEdit,
    MeetingLocked,
    MeetingStatus,
    NewActionItem,
    NewAgendaItem,
)
from infohus_desktop.services.meetings.service import MeetingService
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import meeting_world, plan_case_meeting

#: Methods that only read, build documents or plan a new meeting.
READERS = {
    "resolve",
    "list",
    "get",
    "members",
    "case_choices",
    "trend_choices",
    "for_trend_note",
    "open_action_items",
    "agenda_pdf",
    "minutes_pdf",
    "output_audit",
    "ics",
    "plan",
    "record_output",
}
#: What stays possible after approval, by design: addenda, sending, follow-up of action items.
AFTER_APPROVAL = {"add_addendum", "mark_sent", "close_action_item"}


def test_every_change_path_is_refused_after_approval(district: District) -> None:
    w = meeting_world(district)
    svc = w.lars.meetings
    meeting_id = plan_case_meeting(w)
    item = svc.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, case=w.open_case.number))
    decision = svc.add_decision(item.id, DecisionKind.AGREEMENT, "Aftalt", "Aarhus Kommune")
    action = svc.add_action_item(item.id, NewActionItem("Ring", date(2027, 1, 5), owner_name="A"))
    meeting = svc.get(meeting_id)
    meeting = svc.mark_held(meeting_id, meeting.version)
    meeting = svc.approve(meeting_id, meeting.version)
    assert meeting.status is MeetingStatus.APPROVED
    item = meeting.items[0]
    participant = meeting.participants[0]
    v = meeting.version

    attempts: dict[str, Callable[[], object]] = {
        "edit": lambda: svc.edit(meeting_id, MeetingEdit(place="Andetsteds"), v),
        "add_member": lambda: svc.add_member(meeting_id, w.jens.member.id),
        "add_guest": lambda: svc.add_guest(meeting_id, GuestInput("Ny Gæst", "Org")),
        "remove_participant": lambda: svc.remove_participant(meeting_id, participant.id),
        "set_attendance": lambda: svc.set_attendance(
            meeting_id, {participant.id: Attendance.ABSENT}
        ),
        "add_item": lambda: svc.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER, "Mere")),
        "edit_item": lambda: svc.edit_item(item.id, item.version, title="Ny titel"),
        "remove_item": lambda: svc.remove_item(item.id),
        "reorder_items": lambda: svc.reorder_items(meeting_id, [item.id]),
        "record_notes": lambda: svc.record_notes(item.id, "Eftertanke", item.version),
        "add_decision": lambda: svc.add_decision(
            item.id, DecisionKind.RECOMMENDATION, "Sent", "Politiet"
        ),
        "edit_decision": lambda: svc.edit_decision(decision.id, decision.version, "Ny", "Ny"),
        "remove_decision": lambda: svc.remove_decision(decision.id),
        "add_action_item": lambda: svc.add_action_item(
            item.id, NewActionItem("Sent", owner_name="B")
        ),
        "edit_action_item": lambda: svc.edit_action_item(
            action.id, action.version, NewActionItem("Ny", owner_name="C")
        ),
        "remove_action_item": lambda: svc.remove_action_item(action.id),
        "mark_held": lambda: svc.mark_held(meeting_id, v),
        "approve": lambda: svc.approve(meeting_id, v),
    }
    public = {
        name
        for name, _ in inspect.getmembers(MeetingService, inspect.isfunction)
        if not name.startswith("_")
    }
    # A new public method must be classified here, so this test keeps covering every path.
    assert public == READERS | AFTER_APPROVAL | set(attempts)

    for name, attempt in attempts.items():
        with pytest.raises(MeetingLocked):
            attempt()
        assert svc.get(meeting_id) == meeting, name  # nothing changed

    # The minute taker refuses too (not only the coordinator).
    with pytest.raises(MeetingLocked):
        w.mette.meetings.record_notes(item.id, "Eftertanke", item.version)

    # A correction is an addendum, with who and when; it does not reopen the minutes.
    addendum = w.mette.meetings.add_addendum(meeting_id, "Rettelse: mødet sluttede 11.30.")
    about_case = svc.add_addendum(meeting_id, "Rettelse til sagen.", item.id)
    after = svc.get(meeting_id)
    assert [a.text for a in after.addenda] == [
        "Rettelse: mødet sluttede 11.30.",
        "Rettelse til sagen.",
    ]
    assert after.addenda[0].by_name == "Mette Fjord" and after.addenda[0].at == addendum.at
    assert after.addenda[1].item_id == item.id and about_case.by_name == "Lars Holm Sørensen"
    assert after.items == meeting.items and after.status is MeetingStatus.APPROVED
    # An addendum about a case item is withheld from a member outside the case's group.
    assert not w.gitte.meetings.get(meeting_id).addenda[1].withheld  # open case: Aarhus reads
    sent = svc.mark_sent(meeting_id, after.version)
    assert sent.status is MeetingStatus.SENT
    with pytest.raises(MeetingLocked):
        svc.record_notes(item.id, "Efter udsendelse", item.version)
    entries = [e.action for e in w.lars.audit.list(limit=500)]
    assert entries.count("meeting.addendum") == 2 and entries.count("meeting.approve") == 1


def test_addendum_only_for_approved_minutes(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    from infohus_desktop.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        w.lars.meetings.add_addendum(meeting_id, "For tidligt")
