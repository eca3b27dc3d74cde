"""Trend notes on agendas: the trend item's subject, the notes an agenda offers, and the
meetings that discussed a note.

A trend item refers to a note by id (``meeting_items.trend_note_id``); it copies nothing of
the note. Adding one needs a note the member can read; reading the meeting decrypts the
note's title from the note, so a reader outside the note's access group gets the item
withheld (``reader``). What is written about a trend item is meeting-wide text under
the meeting's group key, like an orientation item.

:class:`MeetingTrends` is this part of ``session.meetings``; :func:`trend_subject` checks
the subject of a new trend item for the agenda.
"""

from __future__ import annotations

import builtins
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import MeetingAction, MeetingSummary, NewAgendaItem
from infohus_desktop.domain.trends import TrendSummary
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.base import MeetingBase, MeetingRef
from infohus_desktop.services.meetings.reader import Reader, summary_or_tampered
from infohus_desktop.services.trends.service import TrendService, not_found
from infohus_desktop.vault.meeting_schema import MeetingItemRow, MeetingRow
from infohus_desktop.vault.trend_schema import TrendNoteRow


def resolve_note(ms: MemberSession, session: Session, ref: uuid.UUID | str | None) -> uuid.UUID:
    """A readable note's id from its UUID, string, or first 8+ hex digits (what ``infohus
    trend list`` shows). The same NotFound whether it does not exist or cannot be read."""
    if ref is None or not str(ref).strip():
        raise InvalidInput("Vælg et tendensnotat.", "Choose a trend note.")
    groups = readable_group_ids(ms, session)
    if isinstance(ref, uuid.UUID):
        wanted = ref.hex
    else:
        wanted = ref.strip().lower().replace("-", "")
        if len(wanted) < store.SHORT_ID_MIN or any(c not in "0123456789abcdef" for c in wanted):
            raise InvalidInput(
                "Et tendensnotats id er mindst 8 hex-cifre (se 'infohus trend list').",
                "A trend note's id is at least 8 hex digits (see 'infohus trend list').",
            )
    readable = session.scalars(select(TrendNoteRow.id).where(TrendNoteRow.group_id.in_(groups)))
    hits = [note_id for note_id in readable if note_id.hex.startswith(wanted)]
    if len(hits) != 1:
        if hits:
            raise InvalidInput(
                f"Flere tendensnotater begynder med {ref}; skriv flere cifre.",
                f"Several trend notes start with {ref}; give more digits.",
            )
        raise not_found(ref)
    return hits[0]


def trend_subject(
    ms: MemberSession, session: Session, meeting: MeetingRow, item: NewAgendaItem
) -> uuid.UUID:
    """The note of a new trend item: readable by the member, not yet on this agenda."""
    note_id = resolve_note(ms, session, item.trend_note)
    taken = session.scalar(
        select(MeetingItemRow.id).where(
            MeetingItemRow.meeting_id == meeting.id, MeetingItemRow.trend_note_id == note_id
        )
    )
    if taken is not None:
        raise InvalidInput(
            "Tendensnotatet er allerede på dagsordenen.",
            "The trend note is already on the agenda.",
        )
    return note_id


class MeetingTrends(MeetingBase):
    """``session.meetings``: trend notes an agenda offers, and the meetings of a note."""

    def trend_choices(self, ref: MeetingRef) -> builtins.list[TrendSummary]:
        """Trend notes this member can read that are not yet on the agenda (title, theme,
        period), newest period first: what the agenda's trend picker offers (the listing is
        audited as a trend list)."""
        meeting_id = self.resolve(ref)
        with self.ms.uow() as session:
            meeting = store.load_meeting(self.ms, session, meeting_id)
            taken = set(
                session.scalars(
                    select(MeetingItemRow.trend_note_id).where(
                        MeetingItemRow.meeting_id == meeting.id,
                        MeetingItemRow.trend_note_id.is_not(None),
                    )
                )
            )
        notes = TrendService(self.ms).summaries(purpose=Purpose.MEETING_PREP)
        return [note for note in notes if note.id not in taken]

    def for_trend_note(self, note_id: uuid.UUID) -> builtins.list[MeetingSummary]:
        """The meetings this member can read that have the trend note on their agenda, newest
        first. Audited (committed) before any meeting title is decrypted; NotFound for a note
        the member cannot read."""
        self.ms.require()
        with self.ms.uow() as session:
            if store.readable_trend(self.ms, session, note_id) is None:
                raise not_found(note_id)
        self.ms.audited_read(MeetingAction.LIST, None, Purpose.MEETING_PREP, f"trend={note_id}")
        with self.ms.uow() as session:
            r = Reader(self.ms, session)
            rows = list(
                session.scalars(
                    select(MeetingRow)
                    .join(MeetingItemRow, MeetingItemRow.meeting_id == MeetingRow.id)
                    .where(
                        MeetingItemRow.trend_note_id == note_id, MeetingRow.group_id.in_(r.groups)
                    )
                    .distinct()
                )
            )
            counts = dict(
                session.execute(
                    select(MeetingItemRow.meeting_id, func.count())
                    .where(MeetingItemRow.meeting_id.in_([row.id for row in rows]))
                    .group_by(MeetingItemRow.meeting_id)
                ).all()
            )
            out = [summary_or_tampered(r, row, counts.get(row.id, 0)) for row in rows]
        self.ms.report_tampered()
        return sorted(out, key=lambda m: m.starts_at, reverse=True)
