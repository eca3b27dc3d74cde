"""Documents of a meeting: the agenda and minutes as PDF, the invitation as .ics.

Building a PDF is audited as its preview/export (committed before anything is decrypted),
with every readable case item recorded against its case; printing or saving from the preview
is a second entry (:func:`audit_output`, through :meth:`MeetingOutput.record_output` or the
preview's callback, :func:`output_audit`). The CLI writes the same bytes to a file the user
named, the desktop app previews them: one path for both.

The invitation holds the meeting's title, time, place and the invited members with e-mail
when the vault has it; never a case number, an agenda item or a citizen's name.

:class:`MeetingOutput` is this part of ``session.meetings``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import MeetingAction
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.base import MeetingBase, MeetingRef
from infohus_desktop.services.meetings.reader import audit_read, build_meeting

if TYPE_CHECKING:
    from infohus_desktop.reports.base import PrintStamp

# ReportLab and icalendar are imported where a PDF or an invitation is built (on the worker),
# not with this module: the unlock loads it with the member services (issue 17).

Document = Literal["agenda", "minutes"]
DOCUMENTS = ("agenda", "minutes")
OUTPUT_ACTIONS = {"print": MeetingAction.PRINT, "save": MeetingAction.SAVE}


def _stamp(ms: MemberSession, language: str) -> PrintStamp:
    from infohus_desktop.reports.base import PrintStamp

    who = f"{ms.member.name} ({ms.member.login})"
    return PrintStamp(who, datetime.now(UTC), "en" if language == "en" else "da")


def audit_output(
    ms: MemberSession, meeting_id: uuid.UUID, document: str, action: str, with_names: bool
) -> None:
    """Audit that ``ms``'s member printed (``action="print"``) or saved (``"save"``) the
    agenda or minutes of a meeting they can read, from the preview."""
    if document not in DOCUMENTS or action not in OUTPUT_ACTIONS:
        raise InvalidInput("Ukendt udskriftshandling.", "Unknown output action.")
    with ms.uow() as session:
        store.load_meeting(ms, session, meeting_id)
    with ms.transaction() as session:
        ms.record(
            session,
            OUTPUT_ACTIONS[action],
            meeting_id,
            Purpose.MEETING_PREP,
            f"document={document} names={'yes' if with_names else 'no'}",
        )


def output_audit(
    meeting_id: uuid.UUID, document: Document, with_names: bool = False
) -> Callable[[MemberSession, str], None]:
    """The ``audit(session, action)`` callback for ``PdfPreviewDialog``, for callers that hold
    only the id: ``PdfPreviewDialog(..., audit=output_audit(meeting.id, "minutes"))``."""

    def audit(session: MemberSession, action: str) -> None:
        audit_output(session, meeting_id, document, action, with_names)

    return audit


class MeetingOutput(MeetingBase):
    """``session.meetings``: the agenda and minutes as PDF, their audit, the invitation."""

    def agenda_pdf(self, ref: MeetingRef, language: str = "da") -> bytes:
        """The agenda as PDF (audited as a preview/export of the agenda)."""
        from infohus_desktop.reports.agenda import AgendaRenderer

        meeting_id = self.resolve(ref)
        audited = audit_read(self.ms, meeting_id, MeetingAction.AGENDA_PDF)
        meeting = build_meeting(self.ms, meeting_id, False, audited)
        return AgendaRenderer(meeting, _stamp(self.ms, language)).render()

    def minutes_pdf(self, ref: MeetingRef, with_names: bool = False, language: str = "da") -> bytes:
        """The minutes as PDF. Cases by number; ``with_names`` adds the persons' names and
        is audited as such. Items of cases outside the reader's groups are withheld."""
        from infohus_desktop.reports.minutes import MinutesRenderer

        meeting_id = self.resolve(ref)
        action = MeetingAction.MINUTES_PDF_NAMES if with_names else MeetingAction.MINUTES_PDF
        audited = audit_read(self.ms, meeting_id, action, "names=yes" if with_names else None)
        meeting = build_meeting(self.ms, meeting_id, with_names, audited)
        return MinutesRenderer(meeting, _stamp(self.ms, language), with_names).render()

    def record_output(
        self, ref: MeetingRef, document: Document, action: str, with_names: bool = False
    ) -> None:
        """Audit that the agenda or minutes were printed (``action="print"``) or saved
        (``"save"``) from the preview."""
        audit_output(self.ms, self.resolve(ref), document, action, with_names)

    def output_audit(
        self, ref: MeetingRef, document: Document, with_names: bool = False
    ) -> Callable[[MemberSession, str], None]:
        """The ``audit(session, action)`` callback for ``PdfPreviewDialog``."""
        return output_audit(self.resolve(ref), document, with_names)

    def ics(self, ref: MeetingRef) -> bytes:
        """The invitation as an iCalendar file: date, time, place, title, the invited
        members with e-mail; no case data and no citizen's name (audited)."""
        from icalendar import Calendar, Event, vCalAddress, vText

        meeting_id = self.resolve(ref)
        self.ms.audited_read(MeetingAction.ICS, meeting_id, Purpose.MEETING_PREP)
        # The invitation needs no case content: every case item stays withheld.
        meeting = build_meeting(self.ms, meeting_id, False, frozenset())
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
        event.add(
            "dtend", (summary.ends_at or summary.starts_at + timedelta(hours=2)).astimezone(UTC)
        )
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
            event.add("attendee", attendee, encode=False)
        calendar.add_component(event)
        ical: bytes = calendar.to_ical()
        return ical
