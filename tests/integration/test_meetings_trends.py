"""Trend notes on agendas, on both engines: a trend item on a network and a case meeting, its
title read from the note (never copied), withheld from members outside the note's access
group, locked with the approved minutes, shown in the PDFs, and the meetings of a note."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pypdf
import pytest

from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.meetings import (
    DecisionKind,
    ItemKind,
    MeetingKind,
    MeetingLocked,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.domain.trends import TrendNote
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting
from tests.integration.test_trends import note

TITLE = "Flere unge deler voldsforherligende memes"
NETWORK_START = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split())
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )


def _network(w: MeetingWorld, title: str = "Netværksmøde november") -> object:
    meeting = w.lars.meetings.plan(
        NewMeeting(
            MeetingKind.NETWORK,
            title,
            NETWORK_START,
            chair_id=w.lars.member.id,
            minute_taker_id=w.mette.member.id,
        )
    )
    return meeting.id


def _note(w: MeetingWorld, title: str = TITLE) -> TrendNote:
    return w.mette.trends.create(note(title=title))


def test_trend_item_on_network_and_case_meetings(district: District) -> None:
    w = meeting_world(district)
    trend = _note(w)
    network_id, case_id = _network(w), plan_case_meeting(w)
    svc = w.lars.meetings

    item = svc.add_item(network_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    assert (item.kind, item.subject_id, item.trend_title) == (ItemKind.TREND, trend.id, TITLE)
    # By the first 8 hex digits, as 'infohus trend list' shows the note, on a case meeting.
    on_case = svc.add_item(
        case_id, NewAgendaItem(ItemKind.TREND, "Drøftelse", trend_note=trend.id.hex[:8])
    )
    assert on_case.trend_title == TITLE and on_case.title == "Drøftelse"

    # What is written about it is meeting-wide: every member of the meeting's group reads it.
    svc.record_notes(item.id, "Skolerne bekræfter billedet.", item.version)
    svc.add_decision(item.id, DecisionKind.AGREEMENT, "SSP følger op.", "Aarhus Kommune")
    svc.add_action_item(item.id, NewActionItem("Rapport til næste møde", owner_name="SSP"))
    seen = w.jens.meetings.get(network_id).items[0]  # Randers: a network member, not Aarhus
    assert not seen.withheld and seen.trend_title == TITLE
    assert seen.notes == "Skolerne bekræfter billedet."
    assert [d.text for d in seen.decisions] == ["SSP følger op."]
    assert [a.text for a in seen.action_items] == ["Rapport til næste møde"]

    # The title is the note's own, read when the meeting is read: an edit shows at once.
    w.mette.trends.edit(trend.id, trend.version, replace(trend.content, title="Memes i 8. klasse"))
    assert svc.get(network_id).items[0].trend_title == "Memes i 8. klasse"
    assert svc.get(case_id).items[0].trend_title == "Memes i 8. klasse"

    # The same note twice on one agenda, no note, an unknown note: refused, nothing added.
    with pytest.raises(InvalidInput):
        svc.add_item(network_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    with pytest.raises(InvalidInput):
        svc.add_item(network_id, NewAgendaItem(ItemKind.TREND))
    with pytest.raises(NotFound):
        svc.add_item(network_id, NewAgendaItem(ItemKind.TREND, trend_note="0123abcd"))
    assert len(svc.get(network_id).items) == 1
    # The picker offers the notes not yet on the agenda.
    other = _note(w, "Nye grupper på Telegram")
    assert [n.id for n in svc.trend_choices(network_id)] == [other.id]


def test_trend_item_withheld_outside_the_notes_group(district: District) -> None:
    w = meeting_world(district)
    trend = _note(w)
    network_id = _network(w)
    svc = w.lars.meetings
    item = svc.add_item(network_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    svc.record_notes(item.id, "Drøftet: skolerne bekræfter.", item.version)
    svc.add_action_item(item.id, NewActionItem("Tjek med SSP", owner_name="SSP Aarhus"))
    w.lars.trends.set_access_group(trend.id, "Særlig kreds")  # lars and mette only

    seen = w.gitte.meetings.get(network_id).items[0]
    assert seen.withheld and seen.kind is ItemKind.TREND
    assert (seen.trend_title, seen.notes, seen.subject_id, seen.action_items) == (
        None,
        "",
        None,
        (),
    )
    carried = [a for a in w.gitte.meetings.open_action_items() if a.item_id == item.id]
    assert [a.withheld for a in carried] == [True] and carried[0].text == ""
    assert carried[0].item_kind is ItemKind.TREND  # the PDFs say whose group it is
    text = _text(w.gitte.meetings.agenda_pdf(network_id))
    assert TITLE not in text and "tendensnotatets adgangskreds" in text
    assert "Drøftet" not in _text(w.gitte.meetings.minutes_pdf(network_id))
    with pytest.raises(NotFound):
        w.gitte.meetings.for_trend_note(trend.id)
    assert w.gitte.meetings.trend_choices(network_id) == []
    # Mette, minute taker and in the note's group, still reads and writes it.
    assert w.mette.meetings.get(network_id).items[0].trend_title == TITLE
    w.mette.meetings.record_notes(item.id, "Opdateret.", seen.version)
    # A minute taker who cannot read the note can neither put it on an agenda nor write
    # about it.
    hers = w.lars.meetings.plan(
        NewMeeting(
            MeetingKind.NETWORK,
            "Gitte tager referat",
            NETWORK_START,
            minute_taker_id=w.gitte.member.id,
        )
    )
    with pytest.raises(NotFound):
        w.gitte.meetings.add_item(hers.id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    other = w.lars.meetings.add_item(hers.id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    with pytest.raises(NotFound):
        w.gitte.meetings.record_notes(other.id, "Forsøg", other.version)


def test_trend_item_locked_with_the_approved_minutes(district: District) -> None:
    w = meeting_world(district)
    trend, later = _note(w), _note(w, "Nye grupper på Telegram")
    network_id = _network(w)
    svc = w.lars.meetings
    item = svc.add_item(network_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    meeting = svc.mark_held(network_id, svc.get(network_id).version)
    meeting = svc.approve(network_id, meeting.version)
    item = meeting.items[0]
    with pytest.raises(MeetingLocked):
        svc.add_item(network_id, NewAgendaItem(ItemKind.TREND, trend_note=later.id))
    with pytest.raises(MeetingLocked):
        svc.record_notes(item.id, "Eftertanke", item.version)
    with pytest.raises(MeetingLocked):
        svc.edit_item(item.id, item.version, title="Ny")
    with pytest.raises(MeetingLocked):
        svc.remove_item(item.id)
    assert svc.get(network_id) == meeting
    addendum = svc.add_addendum(network_id, "Rettelse til tendenspunktet.", item.id)
    assert w.jens.meetings.get(network_id).addenda[0].text == addendum.text


def test_meetings_of_a_note_and_the_pdfs(district: District) -> None:
    w = meeting_world(district)
    trend = _note(w)
    network_id, case_id = _network(w), plan_case_meeting(w)
    svc = w.lars.meetings
    for meeting_id in (network_id, case_id):
        svc.add_item(meeting_id, NewAgendaItem(ItemKind.TREND, "Status", trend_note=trend.id))
    _network(w, "Netværksmøde uden notatet")

    found = w.lars.meetings.for_trend_note(trend.id)
    assert [m.title for m in found] == ["Infohusmøde Aarhus", "Netværksmøde november"]
    # Randers' member reads the note and the network meeting, not Aarhus' case meeting.
    assert [m.id for m in w.jens.meetings.for_trend_note(trend.id)] == [network_id]
    actions = [e.action for e in w.lars.audit.list(limit=50)]
    assert "meeting.list" in actions

    agenda = _text(svc.agenda_pdf(network_id))
    assert f"1. Tendensnotat: {TITLE} – Status" in agenda
    assert f"1. Trend note: {TITLE} – Status" in _text(svc.agenda_pdf(network_id, language="en"))
    minutes = _text(svc.minutes_pdf(case_id))
    assert f"Tendensnotat: {TITLE}" in minutes


def test_trend_item_text_is_sealed_under_the_meetings_group_key(district: District) -> None:
    """What is written about a trend item is meeting-wide text under the meeting's group key
    (not the note's group's), and the meeting row holds the note's id, not its title."""
    from infohus_desktop.crypto.aead import Ciphertext
    from infohus_desktop.services.meetings.store import open_payload
    from infohus_desktop.vault.meeting_schema import MeetingItemRow, MeetingRow

    w = meeting_world(district)
    trend = _note(w)
    case_id = plan_case_meeting(w)  # the Aarhus group's key; the note is the network's
    item = w.lars.meetings.add_item(case_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    w.lars.meetings.record_notes(item.id, "Drøftet på mødet.", item.version)
    with w.lars.vault.uow() as session:
        row = session.get(MeetingItemRow, item.id)
        meeting = session.get(MeetingRow, case_id)
        assert row is not None and meeting is not None
        assert (row.trend_note_id, row.case_id) == (trend.id, None)
        group_key = w.lars.keyring.group_field_key(session, meeting.group_id)
        assert Ciphertext(row.payload).key_id == group_key.key_id
        data = open_payload(w.lars, session, "meeting_items", row.id, row.payload, None)
        assert data["notes"] == "Drøftet på mødet." and TITLE not in data.values()
