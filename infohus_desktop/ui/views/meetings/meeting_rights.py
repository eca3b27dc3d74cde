"""What the reader of a meeting may do in the view, and the header's lines of facts.

The rules mirror the service's (``services/meetings/service.py``), so the view offers no button that
would only be refused: coordinators plan and edit; the chair, the minute taker and the
coordinators write the agenda and minutes until approval; only the chair approves; after
approval those who wrote may add addenda. The service checks again: this only decides what is
shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from infohus_desktop.domain.labels import MEETING_KIND_LABELS
from infohus_desktop.domain.meetings import Meeting, MeetingStatus
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.meetings import MEETING_TYPE_LABELS, fmt_time, fmt_when


@dataclass(frozen=True)
class MeetingRights:
    can_plan: bool
    can_write: bool
    can_add_addendum: bool
    #: Action key → enabled (the header's buttons and the print menu).
    actions: dict[str, bool]

    @classmethod
    def of(cls, meeting: Meeting, me: uuid.UUID, coordinator: bool) -> MeetingRights:
        status = meeting.status
        locked = status.locked
        chair = me == meeting.chair_id
        writer = coordinator or me in (meeting.chair_id, meeting.minute_taker_id)
        can_write = writer and not locked
        minutes_exist = status is not MeetingStatus.PLANNED
        return cls(
            can_plan=coordinator and not locked,
            can_write=can_write,
            can_add_addendum=locked and writer,
            actions={
                "edit": coordinator and not locked,
                "ics": True,
                "hold": can_write and status is MeetingStatus.PLANNED,
                "approve": status is MeetingStatus.HELD and chair,
                "send": status is MeetingStatus.APPROVED and (coordinator or chair),
                "addendum": locked and writer,
                "agendaPdf": True,
                "minutesPdf": minutes_exist,
                "minutesNames": minutes_exist,
                "reload": True,
            },
        )


def facts_text(meeting: Meeting) -> str:
    """``Infohusmøde · Aarhus Kommune · 01.12.2026 kl. 14.30–16.00 · Rådhuset · Ordinært``
    and, on a second line, the chair and the minute taker."""
    summary = meeting.summary
    when = fmt_when(summary.starts_at)
    if summary.ends_at is not None:
        when += f"–{fmt_time(summary.ends_at)}"
    parts = [
        label(MEETING_KIND_LABELS, summary.kind),
        summary.forum,
        when,
        summary.place,
        label(MEETING_TYPE_LABELS, summary.meeting_type),
    ]
    chair, taker = meeting.chair_name or "–", meeting.minute_taker_name or "–"
    roles = [
        tr(f"Mødeleder: {chair}", f"Chair: {chair}"),
        tr(f"Referent: {taker}", f"Minute taker: {taker}"),
    ]
    return " · ".join(p for p in parts if p) + "\n" + " · ".join(roles)


def approval_notice(meeting: Meeting) -> str:
    who, when = meeting.approved_by_name, fmt_when(meeting.approved_at)
    return tr(
        f"Referatet er godkendt af {who} {when} og er låst. Rettelser tilføjes som tillæg.",
        f"The minutes were approved by {who} {when} and are locked. Corrections are added "
        "as addenda.",
    )
