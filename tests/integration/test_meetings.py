"""Meetings through the service: plan, agenda, hold, approve, send; access to case items."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from infohus_desktop.domain.meetings import (
    ActionStatus,
    Attendance,
    DecisionKind,
    GuestInput,
    ItemKind,
    Meeting,
    MeetingAction,
    MeetingEdit,
    MeetingKind,
    MeetingStatus,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.meeting_schema import (
    ActionItemRow,
    MeetingDecisionRow,
    MeetingItemRow,
    MeetingRow,
)
from infohus_desktop.vault.schema import GroupEpochRow
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import (
    STARTS,
    MeetingWorld,
    meeting_world,
    plan_case_meeting,
)


def test_plan_agenda_hold_approve_send(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    lars = w.lars.meetings
    guest = lars.add_guest(meeting_id, GuestInput("Pia Krog", "Region Midtjylland", "pia@rm.dk"))
    case_item = lars.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, case=w.open_case.number))
    orient = lars.add_item(
        meeting_id, NewAgendaItem(ItemKind.ORIENTATION, "Nyt fra politiet", organisation="Politi")
    )
    other = lars.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER))
    assert other.title == ""  # shown as its kind, "Eventuelt"
    meeting = lars.reorder_items(meeting_id, [orient.id, case_item.id, other.id])
    assert [i.id for i in meeting.items] == [orient.id, case_item.id, other.id]
    assert [i.position for i in meeting.items] == [1, 2, 3]
    assert meeting.items[1].case_number == w.open_case.number
    assert {p.name for p in meeting.participants} == {
        "Lars Holm Sørensen",
        "Mette Fjord",
        "Gitte Ørsted",
        "Pia Krog",
    }

    # The minute taker holds the meeting.
    mette = w.mette.meetings
    item = mette.record_notes(case_item.id, "Drøftet: skolen følger op.", case_item.version + 1)
    decision = mette.add_decision(
        case_item.id, DecisionKind.RECOMMENDATION, "Mentor anbefales.", "Aarhus Kommune"
    )
    action = mette.add_action_item(
        case_item.id,
        NewActionItem("Kontakt forældrene", date(2026, 12, 15), owner_id=w.gitte.member.id),
    )
    present = {p.id: Attendance.PRESENT for p in meeting.participants if p.id != guest.id}
    mette.set_attendance(meeting_id, present)
    meeting = mette.get(meeting_id)
    meeting = mette.mark_held(meeting_id, meeting.version)
    assert meeting.status is MeetingStatus.HELD
    attendance = {p.name: p.attendance for p in meeting.participants}
    assert attendance["Pia Krog"] is Attendance.ABSENT  # still "invited" when held
    assert attendance["Mette Fjord"] is Attendance.PRESENT
    got = meeting.items[1]
    assert got.notes == item.notes == "Drøftet: skolen følger op."
    assert got.decisions == (decision,)
    assert got.action_items[0].owner_name == "Gitte Ørsted"
    assert got.action_items[0].case_number == w.open_case.number

    # Only the chair approves.
    with pytest.raises(AccessDenied):
        mette.approve(meeting_id, meeting.version)
    meeting = lars.approve(meeting_id, meeting.version)
    assert meeting.status is MeetingStatus.APPROVED
    assert meeting.approved_by_name == "Lars Holm Sørensen"
    meeting = lars.mark_sent(meeting_id, meeting.version)
    assert meeting.status is MeetingStatus.SENT and meeting.sent_at is not None
    # Closing an action item is follow-up and stays possible, with who and when.
    closed = w.gitte.meetings.close_action_item(action.id)
    assert closed.status is ActionStatus.DONE
    assert closed.closed_by_name == "Gitte Ørsted" and closed.closed_at is not None


def test_stale_versions_conflict(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    meeting = w.lars.meetings.get(meeting_id)
    item = w.lars.meetings.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER))
    with pytest.raises(Conflict):
        w.lars.meetings.edit(meeting_id, MeetingEdit(place="Et andet sted"), meeting.version)
    w.mette.meetings.record_notes(item.id, "Første", item.version)
    with pytest.raises(Conflict):
        w.lars.meetings.record_notes(item.id, "Anden", item.version)
    with pytest.raises(Conflict):
        w.lars.meetings.reorder_items(meeting_id, [])  # a list from a stale agenda
    fresh = w.lars.meetings.get(meeting_id)
    assert fresh.items[0].notes == "Første"
    fresh = w.lars.meetings.edit(meeting_id, MeetingEdit(place="Et andet sted"), fresh.version)
    assert fresh.summary.place == "Et andet sted"


def test_roles_and_kinds(district: District) -> None:
    w = meeting_world(district)
    with pytest.raises(AccessDenied):  # members do not plan meetings
        w.mette.meetings.plan(
            NewMeeting(MeetingKind.CASE, "X", STARTS, local_infohus="Aarhus Kommune")
        )
    network = w.lars.meetings.plan(NewMeeting(MeetingKind.NETWORK, "Netværksmøde", STARTS))
    with pytest.raises(InvalidInput):  # a network meeting never handles a case
        w.lars.meetings.add_item(network.id, NewAgendaItem(ItemKind.CASE, case=w.open_case.number))
    with pytest.raises(InvalidInput):
        w.lars.meetings.add_item(network.id, NewAgendaItem(ItemKind.ORIENTATION, "Uden org"))
    meeting_id = plan_case_meeting(w)
    with pytest.raises(AccessDenied):  # gitte is neither chair, minute taker nor coordinator
        w.gitte.meetings.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER))
    # Randers' member cannot see Aarhus' meeting at all; everyone sees the network meeting.
    assert [m.id for m in w.jens.meetings.list()] == [network.id]
    with pytest.raises(NotFound):
        w.jens.meetings.get(meeting_id)
    with pytest.raises(InvalidInput):
        w.lars.meetings.plan(
            NewMeeting(MeetingKind.NETWORK, "Baglæns", STARTS, STARTS - timedelta(hours=1))
        )
    assert {m.id for m in w.gitte.meetings.list()} == {network.id, meeting_id}
    # The case picker offers Aarhus cases the coordinator can read.
    assert [c.number for c in w.lars.meetings.case_choices(meeting_id)] == sorted(
        [w.open_case.number, w.secret_case.number]
    )
    assert [c.number for c in w.gitte.meetings.case_choices(meeting_id)] == [w.open_case.number]


def test_case_item_withheld_outside_the_case_group(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    item = w.mette.meetings.add_item(
        meeting_id, NewAgendaItem(ItemKind.CASE, "Hemmeligt punkt", case=w.secret_case.number)
    )
    w.mette.meetings.record_notes(item.id, "Noter om Bjørk", item.version)
    w.mette.meetings.add_decision(item.id, DecisionKind.AGREEMENT, "Aftalt", "Politiet")
    w.mette.meetings.add_action_item(
        item.id, NewActionItem("Følg op på Bjørk", date(2026, 12, 2), owner_id=w.mette.member.id)
    )
    seen = w.gitte.meetings.get(meeting_id, with_names=True)
    (withheld,) = seen.items
    assert withheld.withheld and withheld.kind is ItemKind.CASE
    assert (withheld.title, withheld.notes, withheld.case_number, withheld.person_name) == (
        "",
        "",
        None,
        None,
    )
    assert withheld.decisions == () and withheld.action_items == ()
    (open_action,) = w.gitte.meetings.open_action_items()
    assert open_action.withheld and open_action.text == "" and open_action.owner_name == ""
    assert w.gitte.meetings.open_action_items(mine=True) == []
    mine = w.mette.meetings.open_action_items(mine=True)
    assert [a.text for a in mine] == ["Følg op på Bjørk"]
    assert mine[0].overdue(date(2026, 12, 3)) and not mine[0].overdue(date(2026, 12, 2))
    with pytest.raises(AccessDenied):
        w.gitte.meetings.record_notes(item.id, "x", item.version)
    named = w.mette.meetings.get(meeting_id, with_names=True)
    assert named.items[0].person_name == "Bjørk Særlig Hemmelig"
    assert w.mette.meetings.get(meeting_id).items[0].person_name is None


def _plan_next(w: MeetingWorld) -> Meeting:
    """The next case meeting of Aarhus, two weeks after the first."""
    return w.lars.meetings.plan(
        NewMeeting(
            MeetingKind.CASE,
            "Andet møde",
            STARTS + timedelta(days=14),
            local_infohus="Aarhus Kommune",
            chair_id=w.lars.member.id,
        )
    )


def test_open_action_items_carry_onto_the_next_agenda(district: District) -> None:
    w = meeting_world(district)
    first = plan_case_meeting(w, "Første møde")
    item = w.lars.meetings.add_item(first, NewAgendaItem(ItemKind.OTHER, "Praktisk"))
    todo = w.lars.meetings.add_action_item(
        item.id, NewActionItem("Book lokale", date(2026, 12, 10), owner_name="Rådhusets service")
    )
    done = w.lars.meetings.add_action_item(item.id, NewActionItem("Send referat", owner_name="X"))
    w.lars.meetings.close_action_item(done.id)
    second = _plan_next(w)
    assert [a.id for a in second.carried_action_items] == [todo.id]
    assert second.carried_action_items[0].meeting_title == "Første møde"
    meeting = w.lars.meetings.mark_held(second.id, second.version)
    meeting = w.lars.meetings.approve(second.id, meeting.version)
    # Closed later: the approved minutes still list it, now done.
    w.lars.meetings.close_action_item(todo.id)
    carried = w.lars.meetings.get(second.id).carried_action_items
    assert [(a.id, a.status) for a in carried] == [(todo.id, ActionStatus.DONE)]
    # The earlier meeting (planned before) does not carry the later one's items.
    assert w.lars.meetings.get(first).carried_action_items == ()


def test_a_carried_action_item_of_a_case_not_on_the_new_agenda_is_read_by_who_may(
    district: District,
) -> None:
    """The next agenda carries an open action item about a case it does not have an item
    for: a member of the case's group reads it there (its case read audited with the
    meeting's), and only a member outside the group sees it withheld."""
    w = meeting_world(district)
    first = plan_case_meeting(w, "Første møde")
    item = w.lars.meetings.add_item(
        first, NewAgendaItem(ItemKind.CASE, "Opfølgning", case=w.secret_case.number)
    )
    todo = w.lars.meetings.add_action_item(
        item.id,
        NewActionItem("Indhente status fra skolen", date(2026, 12, 10), owner_id=w.mette.member.id),
    )
    second = _plan_next(w)
    (carried,) = w.mette.meetings.get(second.id).carried_action_items
    assert carried.id == todo.id and not carried.withheld
    assert (carried.text, carried.owner_name) == ("Indhente status fra skolen", "Mette Fjord")
    reads = [
        e for e in w.lars.audit.list(action=MeetingAction.CASE_ITEM_READ)
        if e.object_id == str(w.secret_case.id) and e.actor_login == "mette"
    ]  # fmt: skip
    assert reads, "the case's read is audited before its action item is decrypted"
    (outside,) = w.gitte.meetings.get(second.id).carried_action_items
    assert outside.withheld and outside.text == ""


def test_case_item_text_is_under_the_case_key_and_follows_the_case(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    svc = w.lars.meetings
    item = svc.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, case=w.open_case.number))
    orient = svc.add_item(meeting_id, NewAgendaItem(ItemKind.ORIENTATION, "O", organisation="P"))
    for target in (item, orient):
        svc.add_decision(target.id, DecisionKind.AGREEMENT, "Aftalt", "Politiet")
        svc.add_action_item(target.id, NewActionItem("Ring", owner_name="A"))
    with w.lars.vault.uow() as s:
        case_key = s.get(CaseRow, w.open_case.id).data_key_id
        meeting_group = s.get(MeetingRow, meeting_id).group_id
        epoch_keys = set(
            s.scalars(select(GroupEpochRow.key_id).where(GroupEpochRow.group_id == meeting_group))
        )
        rows = [
            *s.scalars(select(MeetingItemRow)),
            *s.scalars(select(MeetingDecisionRow)),
            *s.scalars(select(ActionItemRow)),
        ]
        for row in rows:
            item_id = getattr(row, "item_id", row.id)
            key_id = Ciphertext(row.payload).key_id
            if item_id == item.id:
                assert key_id == case_key  # only the case's access group can open it
            else:
                assert key_id in epoch_keys  # the meeting's group key
        assert Ciphertext(s.get(MeetingRow, meeting_id).payload).key_id in epoch_keys

    assert not w.gitte.meetings.get(meeting_id).items[0].withheld
    # The case moves to a group without gitte: what was said about it moves with its key.
    w.lars.cases.move(w.open_case.number, "Særlig kreds")
    seen = w.gitte.meetings.get(meeting_id)
    assert seen.items[0].withheld and not seen.items[1].withheld
    assert w.mette.meetings.get(meeting_id).items[0].decisions[0].text == "Aftalt"


def test_a_case_item_added_after_the_read_was_audited_is_withheld_not_decrypted(
    district: District,
) -> None:
    """Fail closed across the gap between the audit entry and the decryption."""
    from infohus_desktop.domain.meetings import MeetingAction
    from infohus_desktop.services.meetings.reader import audit_read, build_meeting

    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    audited = audit_read(w.mette, meeting_id, MeetingAction.READ)
    assert audited == frozenset()
    item = w.mette.meetings.add_item(
        meeting_id, NewAgendaItem(ItemKind.CASE, "Nyt punkt", case=w.secret_case.number)
    )
    w.mette.meetings.record_notes(item.id, "Noter om Bjørk", item.version)
    (late,) = build_meeting(w.mette, meeting_id, False, audited).items
    assert late.withheld and late.notes == "" and late.case_number is None
    (read,) = w.mette.meetings.get(meeting_id).items  # a fresh read audits the case first
    assert not read.withheld and read.notes == "Noter om Bjørk"
