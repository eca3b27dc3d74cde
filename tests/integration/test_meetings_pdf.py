"""The minutes and agenda PDFs of a 40-item meeting, as the service builds them: every item,
recommendation and action item; FORTROLIGT and "Side X af Y" on every page; no citizen's
name unless asked for; items of cases outside the reader's group withheld; audited."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdf
import pytest

from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.meetings import (
    Attendance,
    DecisionKind,
    ItemKind,
    NewActionItem,
    NewAgendaItem,
)
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting

CASE_ITEMS = 6
ITEMS = 40


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return "".join(text.split())


def _forty_items(w: MeetingWorld) -> tuple[object, list[str], list[str]]:
    """A held meeting with 40 items; returns its id, the citizens' names and the texts."""
    svc = w.lars.meetings
    meeting_id = plan_case_meeting(w)
    names = [f"Borger Nummer{i} Æsøe" for i in range(CASE_ITEMS)]
    cases = [w.lars.cases.open_case(new_case(name)) for name in names]
    texts: list[str] = []
    for n in range(1, ITEMS + 1):
        if n == 7:
            new = NewAgendaItem(ItemKind.CASE, f"Hemmeligt punkt {n}", w.secret_case.number)
        elif n <= CASE_ITEMS:
            new = NewAgendaItem(ItemKind.CASE, f"Sagspunkt {n}", cases[n - 1].number)
        elif n == ITEMS:
            new = NewAgendaItem(ItemKind.OTHER)
        else:
            new = NewAgendaItem(ItemKind.ORIENTATION, f"Orientering {n}", organisation="Politiet")
        item = svc.add_item(meeting_id, new)
        notes = f"Notat{n} om punktet: drøftet grundigt."
        svc.record_notes(item.id, notes, item.version)
        recommendation = f"Anbefaling{n}: mentor og samtale."
        agreement = f"Aftale{n}: skolen kontakter hjemmet."
        svc.add_decision(item.id, DecisionKind.RECOMMENDATION, recommendation, "Aarhus Kommune")
        svc.add_decision(item.id, DecisionKind.AGREEMENT, agreement, "Østjyllands Politi")
        task = f"Opgave{n}: følg op."
        svc.add_action_item(
            item.id, NewActionItem(task, date(2026, 12, n % 28 + 1), owner_id=w.mette.member.id)
        )
        texts += [notes, recommendation, agreement, task]
    meeting = svc.get(meeting_id)
    svc.set_attendance(meeting_id, {p.id: Attendance.PRESENT for p in meeting.participants})
    meeting = svc.mark_held(meeting_id, svc.get(meeting_id).version)
    svc.approve(meeting_id, meeting.version)
    return meeting_id, names, texts


def _check_chrome(pages: list[str]) -> None:
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert "FORTROLIGT" in text
        assert re.findall(r"Side (\d+) af (\d+)", text) == [(str(number), str(len(pages)))]
        assert "Udskrevet af Lars Holm Sørensen (lars)" in text or "Mette Fjord" in text


def test_minutes_of_forty_items(district: District) -> None:
    w = meeting_world(district)
    meeting_id, names, texts = _forty_items(w)
    secret_texts = [t for t in texts if re.search(r"\D7\D", t)]

    pdf = w.mette.meetings.minutes_pdf(meeting_id)
    pages = _pages(pdf)
    _check_chrome(pages)
    flat = _flat("".join(pages))
    for text in texts:
        assert _flat(text) in flat
    for n in range(1, ITEMS + 1):
        assert f"{n}. " in "".join(pages)
    assert "Fraværende" in flat or "Tilstede" in flat
    assert "Åbneopgaver" in flat
    # By number, never by name.
    for name in [*names, "Bjørk Særlig Hemmelig", "Åge Ærløse Østergård"]:
        assert _flat(name) not in flat
    assert w.secret_case.number in flat

    named = _flat("".join(_pages(w.mette.meetings.minutes_pdf(meeting_id, with_names=True))))
    for name in [*names, "Bjørk Særlig Hemmelig"]:
        assert _flat(name) in named
    assert _flat("Udskrevet med personnavne") in named

    # gitte is in Aarhus but not in the secret case's group: item 7 is withheld.
    outsider_pages = _pages(w.gitte.meetings.minutes_pdf(meeting_id, with_names=True))
    _check_chrome_outsider = [p for p in outsider_pages if "FORTROLIGT" not in p]
    assert not _check_chrome_outsider
    outsider = _flat("".join(outsider_pages))
    assert _flat("Indholdet er tilbageholdt: du er ikke med i sagens adgangskreds.") in outsider
    assert _flat("7. Sag") in outsider
    for text in secret_texts:
        assert _flat(text) not in outsider
    assert w.secret_case.number not in outsider
    assert _flat("Bjørk Særlig Hemmelig") not in outsider
    for text in (t for t in texts if t not in secret_texts):
        assert _flat(text) in outsider

    actions = [e.action for e in w.lars.audit.list(limit=1000)]
    assert actions.count("meeting.minutes.pdf") == 1
    assert actions.count("meeting.minutes.pdf.names") == 2
    # Each readable case item is logged against its case, per read.
    assert actions.count("meeting.case_item.read") >= 6 + 6 + 5


def test_agenda_pdf_and_print_audit(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    svc = w.lars.meetings
    svc.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, "Status", w.open_case.number))
    svc.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, "Hemmelig", w.secret_case.number))
    svc.add_item(meeting_id, NewAgendaItem(ItemKind.ORIENTATION, "Nyt", organisation="SSP"))
    pages = _pages(w.gitte.meetings.agenda_pdf(meeting_id))
    text = "".join(pages)
    assert "Dagsorden" in text and "FORTROLIGT" in text and "Side 1 af 1" in text
    assert f"1. Sag {w.open_case.number}: Status" in text
    assert "2. Sag" in text and w.secret_case.number not in text and "Hemmelig" not in text
    assert "3. Orientering fra SSP: Nyt" in text
    assert "Åge" not in text
    audit = w.gitte.meetings.output_audit(meeting_id, "agenda")
    audit(w.gitte, "print")
    audit(w.gitte, "save")
    actions = [e.action for e in w.lars.audit.list(limit=200)]
    assert {"meeting.agenda.pdf", "meeting.print", "meeting.save"} <= set(actions)


def test_output_audit_refuses_unknown_actions_and_strangers(district: District) -> None:
    w = meeting_world(district)
    meeting_id = plan_case_meeting(w)
    with pytest.raises(InvalidInput):
        w.lars.meetings.record_output(meeting_id, "minutes", "email")
    with pytest.raises(NotFound):  # Randers' member cannot even name Aarhus' meeting
        w.jens.meetings.record_output(meeting_id, "minutes", "print")
    w.lars.meetings.record_output(meeting_id, "minutes", "save", with_names=True)
    assert "meeting.save" in [e.action for e in w.lars.audit.list(limit=5)]
