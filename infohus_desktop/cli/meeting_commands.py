"""``infohus meeting …``: list, show, the agenda and minutes as PDF, the .ics invitation, and
(in :mod:`meeting_edit_commands`) what a script needs to plan and hold a meeting.

A meeting is named by its id: the full UUID or its first 8 (or more) hex digits, as
``infohus meeting list`` shows them. An agenda item is named by the meeting and its number.
The PDFs are the same bytes the desktop app previews; they are written to a private temporary
file beside the target (mode 0600) and renamed only when complete.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from infohus_desktop.cli.commands import unlocked
from infohus_desktop.cli.io import emit_json, emit_table, t
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingSummary,
)
from infohus_desktop.reports.meeting_text import ACTION, KIND, STATUS, item_heading
from infohus_desktop.services.core.exports import write_export

LOCAL = ZoneInfo("Europe/Copenhagen")
ID_HELP = "the meeting: its id or first 8+ hex digits (see 'infohus meeting list')"
DATE_HELP = "YYYY-MM-DD"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date ({DATE_HELP}): {text}") from exc


def _lang() -> str:
    return t("da", "en")


def write_private(path: str, data: bytes) -> Path:
    """``data`` to ``path`` atomically, readable by the owner only."""
    target = Path(path).expanduser().resolve()
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    write_export(target, data)
    return target


# -- JSON -----------------------------------------------------------------------------------


def summary_json(m: MeetingSummary) -> dict[str, Any]:
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


# -- handlers -------------------------------------------------------------------------------


def _when(m: MeetingSummary) -> str:
    start = m.starts_at.astimezone(LOCAL)
    return f"{start:%d.%m.%Y %H.%M}"


def meeting_list(args: argparse.Namespace) -> int:
    kind = MeetingKind(args.kind) if args.kind else None
    with unlocked(args) as session:
        meetings = session.meetings.list(kind, args.since, args.until)
    if args.json:
        emit_json([summary_json(m) for m in meetings])
        return 0
    emit_table(
        ["ID", t("Tid", "When"), t("Slags", "Kind"), "Status", "Forum", t("Titel", "Title")],
        [
            [m.short_id, _when(m), t(*KIND[m.kind]), t(*STATUS[m.status]), m.forum, m.title]
            for m in meetings
        ],
    )
    return 0


def meeting_show(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        meeting = session.meetings.get(args.meeting, with_names=args.with_names)
    if args.json:
        emit_json(meeting_json(meeting))
        return 0
    s = meeting.summary
    print(f"{s.title} ({s.short_id})")
    print(f"{t(*KIND[s.kind])} · {s.forum} · {_when(s)} · {s.place} · {t(*STATUS[s.status])}")
    for item in meeting.items:
        print(f"  {item_heading(item, t)}")
        if item.withheld:
            print("     " + t("(tilbageholdt)", "(withheld)"))
        for d in item.decisions:
            print(f"     - {d.text} [{d.authority}]")
        for a in item.action_items:
            print(f"     * {a.text} ({a.owner_name}, {a.deadline or '-'}, {t(*ACTION[a.status])})")
    return 0


def meeting_agenda(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        pdf = session.meetings.agenda_pdf(args.meeting, args.lang or _lang())
    return _written(args, write_private(args.pdf, pdf))


def meeting_minutes(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        pdf = session.meetings.minutes_pdf(args.meeting, args.with_names, args.lang or _lang())
    return _written(args, write_private(args.pdf, pdf))


def meeting_ics(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        data = session.meetings.ics(args.meeting)
    return _written(args, write_private(args.out, data))


def _written(args: argparse.Namespace, path: Path) -> int:
    if args.json:
        emit_json({"written": str(path)})
    else:
        print(t(f"Skrevet til {path}.", f"Written to {path}."))
    return 0


# -- parser ---------------------------------------------------------------------------------


def add_meeting_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """Register ``infohus meeting …`` on the top-level subparsers."""
    meeting = sub.add_parser(
        "meeting",
        help="meetings: agenda, minutes, action items",
        description=f"Meetings. ID is {ID_HELP}; N is an agenda item's number.",
    ).add_subparsers(dest="action", required=True, metavar="ACTION")

    lst = meeting.add_parser("list", parents=both, help="the meetings you can read")
    lst.add_argument("--kind", choices=[k.value for k in MeetingKind])
    lst.add_argument("--since", type=_date, metavar=DATE_HELP)
    lst.add_argument("--until", type=_date, metavar=DATE_HELP)
    lst.set_defaults(handler=meeting_list)

    show = meeting.add_parser("show", parents=both, help="a meeting with its items")
    show.add_argument("meeting", metavar="ID", help=ID_HELP)
    show.add_argument("--with-names", action="store_true", help="add persons' names (audited)")
    show.set_defaults(handler=meeting_show)

    agenda = meeting.add_parser("agenda", parents=both, help="the agenda as PDF")
    agenda.add_argument("meeting", metavar="ID", help=ID_HELP)
    agenda.add_argument("--pdf", required=True, metavar="FILE")
    agenda.add_argument("--lang", choices=["da", "en"], help="default: INFOHUS_LANG")
    agenda.set_defaults(handler=meeting_agenda)

    minutes = meeting.add_parser("minutes", parents=both, help="the minutes as PDF")
    minutes.add_argument("meeting", metavar="ID", help=ID_HELP)
    minutes.add_argument("--pdf", required=True, metavar="FILE")
    minutes.add_argument(
        "--with-names",
        action="store_true",
        help="print persons' names, not only case numbers (audited as such)",
    )
    minutes.add_argument("--lang", choices=["da", "en"], help="default: INFOHUS_LANG")
    minutes.set_defaults(handler=meeting_minutes)

    ics = meeting.add_parser("ics", parents=both, help="the invitation as an .ics file")
    ics.add_argument("meeting", metavar="ID", help=ID_HELP)
    ics.add_argument("--out", required=True, metavar="FILE")
    ics.set_defaults(handler=meeting_ics)

    from infohus_desktop.cli.meeting_edit_commands import add_meeting_edit_parsers

    add_meeting_edit_parsers(meeting, both)
