"""``infohus meeting …``: list, show, the agenda and minutes as PDF, the .ics invitation, and
(in :mod:`meeting_edit_commands`) what a script needs to plan and hold a meeting.

A meeting is named by its id: the full UUID or its first 8 (or more) hex digits, as
``infohus meeting list`` shows them. An agenda item is named by the meeting and its number.
The PDFs are the same bytes the desktop app previews; they are written to a private temporary
file beside the target (mode 0600) and renamed only when complete.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from infohus_desktop.cli.args import DATE_HELP, add_file_language, file_language, parse_date
from infohus_desktop.cli.io import day_text, emit_json, emit_table, saved_to, t, tampered_row
from infohus_desktop.cli.meeting_shapes import (
    id_help,
    meeting_json,
    summary_json,
    when,
    write_private,
)
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.meetings import (
    MeetingKind,
)
from infohus_desktop.reports.meeting_text import ACTION, KIND, STATUS, item_heading

# -- JSON -----------------------------------------------------------------------------------


# -- handlers -------------------------------------------------------------------------------


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
            tampered_row(6, 5, {0: m.short_id})
            if m.tampered
            else [m.short_id, when(m), t(*KIND[m.kind]), t(*STATUS[m.status]), m.forum, m.title]
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
    print(f"{t(*KIND[s.kind])} · {s.forum} · {when(s)} · {s.place} · {t(*STATUS[s.status])}")
    for item in meeting.items:
        print(f"  {item_heading(item, t)}")
        if item.withheld:
            print("     " + t("(tilbageholdt)", "(withheld)"))
        for d in item.decisions:
            print(f"     - {d.text} [{d.authority}]")
        for a in item.action_items:
            deadline = day_text(a.deadline) or "-"
            print(f"     * {a.text} ({a.owner_name}, {deadline}, {t(*ACTION[a.status])})")
    return 0


def meeting_agenda(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        pdf = session.meetings.agenda_pdf(args.meeting, file_language(args))
    return _written(args, write_private(args.pdf, pdf))


def meeting_minutes(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        pdf = session.meetings.minutes_pdf(args.meeting, args.with_names, file_language(args))
    return _written(args, write_private(args.pdf, pdf))


def meeting_ics(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        data = session.meetings.ics(args.meeting)
    return _written(args, write_private(args.out, data))


def _written(args: argparse.Namespace, path: Path) -> int:
    if args.json:
        emit_json({"written": str(path)})
    else:
        print(saved_to(path))
    return 0


# -- parser ---------------------------------------------------------------------------------


def add_meeting_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> Any:
    """Register `infohus meeting …`; the returned subparsers take the edit commands too."""
    """Register ``infohus meeting …`` on the top-level subparsers."""
    meeting = sub.add_parser(
        "meeting",
        help=t("møder: dagsorden, referat, opgaver", "meetings: agenda, minutes, action items"),
        description=t(
            f"Møder. ID er {id_help()}; N er et dagsordenspunkts nummer.",
            f"Meetings. ID is {id_help()}; N is an agenda item's number.",
        ),
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    pdf_file = t("PDF-filen, der skal skrives", "the PDF file to write")

    lst = meeting.add_parser(
        "list", parents=both, help=t("de møder, du kan læse", "the meetings you can read")
    )
    lst.add_argument(
        "--kind",
        choices=[k.value for k in MeetingKind],
        help=t("kun møder af denne slags", "only meetings of this kind"),
    )
    lst.add_argument(
        "--since",
        type=parse_date,
        metavar=DATE_HELP,
        help=t("kun møder fra og med denne dag", "only meetings on or after this day"),
    )
    lst.add_argument(
        "--until",
        type=parse_date,
        metavar=DATE_HELP,
        help=t("kun møder til og med denne dag", "only meetings on or before this day"),
    )
    lst.set_defaults(handler=meeting_list)

    show = meeting.add_parser(
        "show", parents=both, help=t("et møde med dets punkter", "a meeting with its items")
    )
    show.add_argument("meeting", metavar="ID", help=id_help())
    show.add_argument(
        "--with-names",
        action="store_true",
        help=t("vis personernes navne (skrives i revisionsloggen)", "add persons' names (audited)"),
    )
    show.set_defaults(handler=meeting_show)

    agenda = meeting.add_parser(
        "agenda", parents=both, help=t("dagsordenen som PDF", "the agenda as PDF")
    )
    agenda.add_argument("meeting", metavar="ID", help=id_help())
    agenda.add_argument("--pdf", required=True, metavar="FILE", help=pdf_file)
    add_file_language(agenda, "dagsordenens", "the agenda")
    agenda.set_defaults(handler=meeting_agenda)

    minutes = meeting.add_parser(
        "minutes", parents=both, help=t("referatet som PDF", "the minutes as PDF")
    )
    minutes.add_argument("meeting", metavar="ID", help=id_help())
    minutes.add_argument("--pdf", required=True, metavar="FILE", help=pdf_file)
    minutes.add_argument(
        "--with-names",
        action="store_true",
        help=t(
            "skriv personernes navne, ikke kun sagsnumre (skrives sådan i revisionsloggen)",
            "print persons' names, not only case numbers (audited as such)",
        ),
    )
    add_file_language(minutes, "referatets", "the minutes")
    minutes.set_defaults(handler=meeting_minutes)

    ics = meeting.add_parser(
        "ics", parents=both, help=t("indkaldelsen som .ics-fil", "the invitation as an .ics file")
    )
    ics.add_argument("meeting", metavar="ID", help=id_help())
    ics.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=t(".ics-filen, der skal skrives", "the .ics file to write"),
    )
    ics.set_defaults(handler=meeting_ics)

    return meeting
