"""What the meeting commands share: the local time zone, the id help, the JSON shapes they
print, and the private file writer for agendas, minutes and invitations."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from infohus_desktop.cli.io import t, tampered_json
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingSummary,
)
from infohus_desktop.services.core.exports import write_export

LOCAL = ZoneInfo("Europe/Copenhagen")


def id_help() -> str:
    """The help of a meeting argument, in the language of the process."""
    return t(
        "mødet: dets id eller første 8+ hex-cifre (se 'infohus meeting list')",
        "the meeting: its id or first 8+ hex digits (see 'infohus meeting list')",
    )


def write_private(path: str, data: bytes) -> Path:
    """``data`` to ``path`` atomically, readable by the owner only."""
    target = Path(path).expanduser().resolve()
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    write_export(target, data)
    return target


def summary_json(m: MeetingSummary) -> dict[str, Any]:
    shape = _summary_shape(m)
    return tampered_json(shape) if m.tampered else shape | {"tampered": False}


def _summary_shape(m: MeetingSummary) -> dict[str, Any]:
    return {
        "id": str(m.id),
        "short_id": m.short_id,
        "kind": m.kind.value,
        "type": m.meeting_type.value,
        "status": m.status.value,
        "title": m.title,
        "place": m.place,
        "starts_at": m.starts_at.isoformat(),
        "ends_at": m.ends_at.isoformat() if m.ends_at else None,
        "forum": m.forum,
        "items": m.item_count,
        "version": m.version,
    }


def action_json(a: ActionItem) -> dict[str, Any]:
    shape = _action_shape(a)
    return tampered_json(shape, ("id", "meeting_id")) if a.tampered else shape | {"tampered": False}


def _action_shape(a: ActionItem) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "meeting_id": str(a.meeting_id),
        "withheld": a.withheld,
        "text": a.text,
        "owner": a.owner_name,
        "owner_id": str(a.owner_id) if a.owner_id else None,
        "deadline": a.deadline.isoformat() if a.deadline else None,
        "status": a.status.value,
        "closed_by": a.closed_by_name or None,
        "closed_at": a.closed_at.isoformat() if a.closed_at else None,
        "case": a.case_number,
        "meeting_date": a.meeting_date.isoformat() if a.meeting_date else None,
        "version": a.version,
    }


def item_json(i: AgendaItem) -> dict[str, Any]:
    return {
        "id": str(i.id),
        "number": i.position,
        "kind": i.kind.value,
        "withheld": i.withheld,
        "title": i.title,
        "organisation": i.organisation,
        "case": i.case_number,
        "trend_note": str(i.subject_id) if i.trend_title is not None else None,
        "trend_title": i.trend_title,
        "name": i.person_name,
        "notes": i.notes,
        "decisions": [
            {"id": str(d.id), "kind": d.kind.value, "text": d.text, "authority": d.authority}
            for d in i.decisions
        ],
        "action_items": [action_json(a) for a in i.action_items],
        "version": i.version,
    }


def meeting_json(m: Meeting) -> dict[str, Any]:
    return {
        **summary_json(m.summary),
        "description": m.description,
        "chair": m.chair_name,
        "minute_taker": m.minute_taker_name,
        "participants": [
            {
                "id": str(p.id),
                "name": p.name,
                "organisation": p.organisation,
                "guest": p.is_guest,
                "attendance": p.attendance.value,
            }
            for p in m.participants
        ],
        "items": [item_json(i) for i in m.items],
        "carried_action_items": [action_json(a) for a in m.carried_action_items],
        "addenda": [
            {"at": a.at.isoformat(), "by": a.by_name, "text": a.text, "withheld": a.withheld}
            for a in m.addenda
        ],
        "approved_at": m.approved_at.isoformat() if m.approved_at else None,
        "approved_by": m.approved_by_name or None,
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
    }


def when(m: MeetingSummary) -> str:
    start = m.starts_at.astimezone(LOCAL)
    return f"{start:%d.%m.%Y %H.%M}"
