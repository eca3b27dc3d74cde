"""The base of ``session.meetings``: the member session, finding a meeting, and reading it.

Every part of :class:`~infohus_desktop.services.meetings.service.MeetingService` (planning,
agenda, minutes, action items, trend items, output) extends :class:`MeetingBase`: it holds the
member session, turns what a user typed into a meeting id (:meth:`MeetingBase.resolve`), and
lists and reads meetings, which most changes return. The decryption itself is
:mod:`~infohus_desktop.services.meetings.reader`'s.

Ids: every method takes a meeting as a :class:`uuid.UUID`, its string, or its short id (the
first 8 or more hex digits, see :meth:`MeetingBase.resolve`).
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput, TamperedData
from infohus_desktop.domain.meetings import Meeting, MeetingAction, MeetingKind, MeetingSummary
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings.reader import (
    Reader,
    audit_read,
    build_meeting,
    summary_or_tampered,
)
from infohus_desktop.services.meetings.store import SHORT_ID_MIN, not_found
from infohus_desktop.vault.meeting_schema import MeetingItemRow, MeetingRow

MeetingRef = uuid.UUID | str


def _opens(r: Reader, row: MeetingRow) -> bool:
    """Whether the meeting's copy opens (a tampered one stays in the list, as tampered)."""
    try:
        r.checked(row)
    except TamperedData:
        return False
    return True


def _within(starts_at: datetime, since: date | None, until: date | None) -> bool:
    return (since is None or starts_at >= datetime.combine(since, time(), UTC)) and (
        until is None or starts_at < datetime.combine(until, time.max, UTC)
    )


class MeetingBase:
    """What every part of ``session.meetings`` builds on."""

    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def resolve(self, ref: MeetingRef) -> uuid.UUID:
        """The meeting's id from a UUID, its string form, or a short id (at least 8 hex
        digits, unique among the meetings this member can read). NotFound otherwise."""
        ms = self.ms
        ms.require()
        if isinstance(ref, uuid.UUID):
            return ref
        raw = ref.strip().lower()
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass
        digits = raw.replace("-", "")
        if len(digits) < SHORT_ID_MIN or any(c not in "0123456789abcdef" for c in digits):
            raise InvalidInput(
                f"Et mødes id er mindst {SHORT_ID_MIN} hex-cifre (se 'infohus meeting list').",
                f"A meeting id is at least {SHORT_ID_MIN} hex digits (see 'infohus meeting list').",
            )
        with ms.uow() as session:
            groups = readable_group_ids(ms, session)
            hits = [
                meeting_id
                for meeting_id in session.scalars(
                    select(MeetingRow.id).where(MeetingRow.group_id.in_(groups))
                )
                if meeting_id.hex.startswith(digits)
            ]
        if len(hits) != 1:
            if hits:
                raise InvalidInput(
                    f"Flere møder begynder med {ref}; skriv flere cifre.",
                    f"Several meetings start with {ref}; give more digits.",
                )
            raise not_found(ref)
        return hits[0]

    def list(
        self,
        kind: MeetingKind | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> builtins.list[MeetingSummary]:
        """The meetings of the groups this member is in, newest first (audited)."""
        ms = self.ms
        ms.require()
        ms.audited_read(MeetingAction.LIST, None, Purpose.MEETING_PREP)
        with ms.uow() as session:
            r = Reader(ms, session)
            query = select(MeetingRow).where(MeetingRow.group_id.in_(r.groups))
            if kind is not None:
                query = query.where(MeetingRow.kind == kind.value)
            rows = list(session.scalars(query))
            if since is not None or until is not None:  # the start is sealed: opened first
                rows = [
                    row
                    for row in rows
                    if not _opens(r, row) or _within(row.starts_at, since, until)
                ]
            counts = dict(
                session.execute(
                    select(MeetingItemRow.meeting_id, func.count())
                    .where(MeetingItemRow.meeting_id.in_([row.id for row in rows]))
                    .group_by(MeetingItemRow.meeting_id)
                ).all()
            )
            out = [summary_or_tampered(r, row, counts.get(row.id, 0)) for row in rows]
        ms.report_tampered()
        return sorted(out, key=lambda m: m.starts_at, reverse=True)

    def get(self, ref: MeetingRef, with_names: bool = False) -> Meeting:
        """The whole meeting for this reader: items of cases outside their groups withheld.
        Audited before decrypting: the meeting, and each readable case item against its case
        (purpose *mødeforberedelse*). ``with_names`` fills in the persons' names of case items
        and is audited as such."""
        meeting_id = self.resolve(ref)
        detail = "names=yes" if with_names else None
        audited = audit_read(self.ms, meeting_id, MeetingAction.READ, detail)
        try:
            return build_meeting(self.ms, meeting_id, with_names, audited)
        except TamperedData:
            self.ms.note_tampered(meeting_id, meeting_id.hex[:8], MeetingAction.TAMPERED)
            self.ms.report_tampered()
            raise
