"""Documents of a meeting: the agenda and minutes as PDF, the invitation as .ics.

Building a PDF is audited as its preview/export (committed before anything is decrypted),
with every readable case item recorded against its case; printing or saving from the preview
is a second entry (:func:`record_output`). The CLI writes the same bytes to a file the user
named, the desktop app previews them: one path for both.

The invitation holds the meeting's title, time, place and the invited members with e-mail
when the vault has it; never a case number, an agenda item or a citizen's name.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import MeetingAction
from infohus_desktop.reports.agenda import AgendaRenderer
from infohus_desktop.reports.base import PrintStamp
from infohus_desktop.reports.minutes import MinutesRenderer
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.reader import audit_read, build_meeting

DOCUMENTS = ("agenda", "minutes")
OUTPUT_ACTIONS = {"print": MeetingAction.PRINT, "save": MeetingAction.SAVE}


def _stamp(ms: MemberSession, language: str) -> PrintStamp:
    who = f"{ms.member.name} ({ms.member.login})"
    return PrintStamp(who, datetime.now(UTC), "en" if language == "en" else "da")


def agenda_pdf(ms: MemberSession, meeting_id: uuid.UUID, language: str) -> bytes:
    audited = audit_read(ms, meeting_id, MeetingAction.AGENDA_PDF)
    meeting = build_meeting(ms, meeting_id, False, audited)
    return AgendaRenderer(meeting, _stamp(ms, language)).render()


def minutes_pdf(ms: MemberSession, meeting_id: uuid.UUID, with_names: bool, language: str) -> bytes:
    action = MeetingAction.MINUTES_PDF_NAMES if with_names else MeetingAction.MINUTES_PDF
    audited = audit_read(ms, meeting_id, action, "names=yes" if with_names else None)
    meeting = build_meeting(ms, meeting_id, with_names, audited)
    return MinutesRenderer(meeting, _stamp(ms, language), with_names).render()


def record_output(
    ms: MemberSession, meeting_id: uuid.UUID, document: str, action: str, with_names: bool
) -> None:
    if document not in DOCUMENTS or action not in OUTPUT_ACTIONS:
        raise InvalidInput("Ukendt udskriftshandling.", "Unknown output action.")
    with ms.vault.uow() as session:
        store.load_meeting(ms, session, meeting_id)
    with ms.transaction() as session:
        ms.record(
            session,
            OUTPUT_ACTIONS[action],
            meeting_id,
            Purpose.MEETING_PREP,
            f"document={document} names={'yes' if with_names else 'no'}",
        )


def invitation_ics(ms: MemberSession, meeting_id: uuid.UUID) -> bytes:
    """An iCalendar (RFC 5545) file Outlook opens: one VEVENT in UTC (``...Z``)."""
    ms.audited_read(MeetingAction.ICS, meeting_id, Purpose.MEETING_PREP)
    # The invitation needs no case content: every case item stays withheld.
    meeting = build_meeting(ms, meeting_id, False, frozenset())
    summary = meeting.summary
    calendar = Calendar()
    calendar.add("prodid", "-//Infohus Desktop//Møder//DA")
    calendar.add("version", "2.0")
    # PUBLISH, not REQUEST: the vault knows no organiser's e-mail, and Outlook treats a
    # REQUEST without ORGANIZER as a broken invitation; a PUBLISH event opens as an appointment.
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{summary.id}@infohus-desktop")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", summary.starts_at.astimezone(UTC))
    event.add("dtend", (summary.ends_at or summary.starts_at + timedelta(hours=2)).astimezone(UTC))
    event.add("summary", summary.title)
    if summary.place:
        event.add("location", summary.place)
    event.add("description", f"{meeting.infohus_name}: {summary.forum}".strip(": "))
    event.add("sequence", summary.version)
    event.add("class", "CONFIDENTIAL")
    event.add("status", "CONFIRMED")
    for participant in meeting.participants:
        if not participant.email or "@" not in participant.email:
            continue
        attendee = vCalAddress(f"mailto:{participant.email}")
        attendee.params["cn"] = vText(participant.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
