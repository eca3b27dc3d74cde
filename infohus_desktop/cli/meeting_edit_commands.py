"""``infohus meeting add|item|notes|decision|action|attend|held|approve|send|addendum``: plan
and hold a meeting from a script. Free text comes from ``--text`` or ``--text-file`` (``-``
reads standard input). Item edits use the item's current version: a script is one writer."""

from __future__ import annotations

import argparse
import uuid
from datetime import date, datetime
from typing import Any

from infohus_desktop.cli.args import DATE_HELP, parse_date, read_text
from infohus_desktop.cli.io import emit_json, emit_table, t, tampered_row
from infohus_desktop.cli.meeting_shapes import LOCAL, action_json, id_help, summary_json
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.meetings import (
    Attendance,
    DecisionKind,
    GuestInput,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingType,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.services.front_door import MemberServices


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            t(
                f"ikke et tidspunkt (YYYY-MM-DDTHH:MM): {text}",
                f"not a time (YYYY-MM-DDTHH:MM): {text}",
            )
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL)


def _member_id(session: MemberServices, login: str | None, meeting: str | None = None) -> Any:
    if not login:
        return None
    for member in session.meetings.members(meeting):
        if member.login == login:
            return member.id
    raise NotFound(f"Intet medlem {login!r} her.", f"No member {login!r} here.")


def _item(meeting: Meeting, number: int) -> Any:
    for item in meeting.items:
        if item.position == number:
            return item
    raise NotFound(f"Intet punkt {number} på mødet.", f"No item {number} on the meeting.")


def _done(args: argparse.Namespace, data: dict[str, Any], da: str, en: str) -> int:
    if args.json:
        emit_json(data)
    else:
        print(t(da, en))
    return 0


def meeting_add(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        guests = []
        for spec in args.guest:
            name, _, rest = spec.partition(";")
            org, _, email = rest.partition(";")
            guests.append(GuestInput(name.strip(), org.strip(), email.strip()))
        new = NewMeeting(
            kind=MeetingKind(args.kind),
            title=args.title,
            starts_at=args.start,
            ends_at=args.end,
            place=args.place or "",
            meeting_type=MeetingType.EXTRAORDINARY if args.extraordinary else MeetingType.ORDINARY,
            local_infohus=args.municipality,
            chair_id=_member_id(session, args.chair),
            minute_taker_id=_member_id(session, args.minute_taker),
            member_ids=tuple(_member_id(session, login) for login in args.member),
            description=read_text(args, "description_file", "description", required=False),
        )
        meeting = session.meetings.plan(new)
        for guest in guests:
            session.meetings.add_guest(meeting.id, guest)
    s = meeting.summary
    return _done(
        args, summary_json(s), f"Møde {s.short_id} er planlagt.", f"Meeting {s.short_id} planned."
    )


def meeting_item_add(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        item = session.meetings.add_item(
            args.meeting,
            NewAgendaItem(
                ItemKind(args.kind),
                args.title or "",
                args.case,
                args.organisation or "",
                args.trend_note,
            ),
        )
    return _done(
        args,
        {"id": str(item.id), "number": item.position},
        f"Punkt {item.position} er tilføjet.",
        f"Item {item.position} added.",
    )


def meeting_notes(args: argparse.Namespace) -> int:
    text = read_text(args, "text_file", "text")
    with unlocked(args) as session:
        item = _item(session.meetings.get(args.meeting), args.number)
        session.meetings.record_notes(item.id, text, item.version)
    return _done(args, {"number": args.number}, "Noterne er gemt.", "The notes are saved.")


def meeting_decision(args: argparse.Namespace) -> int:
    text = read_text(args, "text_file", "text")
    with unlocked(args) as session:
        item = _item(session.meetings.get(args.meeting), args.number)
        decision = session.meetings.add_decision(
            item.id, DecisionKind(args.kind), text, args.authority
        )
    return _done(args, {"id": str(decision.id)}, "Gemt.", "Saved.")


def meeting_action_add(args: argparse.Namespace) -> int:
    text = read_text(args, "text_file", "text")
    with unlocked(args) as session:
        item = _item(session.meetings.get(args.meeting), args.number)
        action = session.meetings.add_action_item(
            item.id,
            NewActionItem(
                text,
                args.deadline,
                _member_id(session, args.owner, args.meeting),
                args.owner_name or "",
            ),
        )
    return _done(args, action_json(action), "Opgaven er oprettet.", "The action item is added.")


def meeting_action_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        actions = session.meetings.open_action_items(mine=args.mine)
    if args.json:
        emit_json([action_json(a) for a in actions])
        return 0
    withheld = t("(tilbageholdt)", "(withheld)")
    overdue = t(" (overskredet)", " (overdue)")
    today = date.today()
    emit_table(
        ["ID", t("Frist", "Deadline"), t("Ansvarlig", "Owner"), t("Opgave", "Action item")],
        [
            tampered_row(4, 3, {0: a.id.hex[:8]})
            if a.tampered
            else [
                a.id.hex[:8],
                (f"{a.deadline:%d.%m.%Y}" if a.deadline else "")
                + (overdue if a.overdue(today) else ""),
                a.owner_name,
                withheld if a.withheld else a.text,
            ]
            for a in actions
        ],
    )
    return 0


def meeting_action_close(args: argparse.Namespace) -> int:
    wanted = args.id.strip().lower().replace("-", "")
    if len(wanted) < 8:
        raise InvalidInput("Angiv mindst 8 cifre af id'et.", "Give at least 8 digits of the id.")
    with unlocked(args) as session:
        hits = [a.id for a in session.meetings.open_action_items() if a.id.hex.startswith(wanted)]
        if len(hits) != 1:
            raise NotFound("Ingen sådan åben opgave.", "No such open action item.")
        action = session.meetings.close_action_item(hits[0])
    return _done(args, action_json(action), "Opgaven er lukket.", "The action item is closed.")


def meeting_attend(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        meeting = session.meetings.get(args.meeting)
        logins = {m.id: m.login for m in session.meetings.members(args.meeting)}
        states: dict[uuid.UUID, Attendance] = {}
        for participant in meeting.participants:
            key = logins.get(participant.member_id) if participant.member_id else participant.name
            if key in args.present:
                states[participant.id] = Attendance.PRESENT
            elif key in args.absent:
                states[participant.id] = Attendance.ABSENT
        session.meetings.set_attendance(meeting.id, states)
    return _done(args, {"marked": len(states)}, "Fremmødet er gemt.", "Attendance saved.")


def meeting_step(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        meeting = session.meetings.get(args.meeting)
        step = {
            "held": session.meetings.mark_held,
            "approve": session.meetings.approve,
            "send": session.meetings.mark_sent,
        }[args.action]
        meeting = step(meeting.id, meeting.version)
    status = meeting.summary.status.value
    return _done(args, summary_json(meeting.summary), f"Mødet er {status}.", f"Meeting: {status}.")


def meeting_addendum(args: argparse.Namespace) -> int:
    text = read_text(args, "text_file", "text")
    with unlocked(args) as session:
        item_id = None
        if args.item is not None:
            item_id = _item(session.meetings.get(args.meeting), args.item).id
        addendum = session.meetings.add_addendum(args.meeting, text, item_id)
    return _done(args, {"id": str(addendum.id)}, "Tillægget er gemt.", "The addendum is saved.")


def _text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--text", help=t("teksten (eller --text-file)", "the text (or --text-file)")
    )
    parser.add_argument(
        "--text-file",
        metavar="FILE",
        help=t("'-' læser standardinput", "'-' reads standard input"),
    )


def add_meeting_edit_parsers(meeting: Any, both: list[argparse.ArgumentParser]) -> None:
    add = meeting.add_parser(
        "add",
        parents=both,
        help=t("planlæg et møde (koordinatorer)", "plan a meeting (coordinators)"),
    )
    add.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in MeetingKind],
        help=t("mødets slags", "the kind of meeting"),
    )
    add.add_argument("--title", required=True, help=t("mødets titel", "the meeting's title"))
    add.add_argument(
        "--start",
        required=True,
        type=_moment,
        metavar="YYYY-MM-DDTHH:MM",
        help=t("hvornår mødet begynder (dansk tid)", "when the meeting starts (Danish time)"),
    )
    add.add_argument(
        "--end",
        type=_moment,
        metavar="YYYY-MM-DDTHH:MM",
        help=t("hvornår mødet slutter (dansk tid)", "when the meeting ends (Danish time)"),
    )
    add.add_argument("--place", help=t("mødestedet", "where the meeting is held"))
    add.add_argument(
        "--municipality",
        help=t("Infohus Kommune for et sagsmøde", "the Infohus Kommune of a case meeting"),
    )
    add.add_argument("--chair", metavar="LOGIN", help=t("mødelederen", "the chair"))
    add.add_argument("--minute-taker", metavar="LOGIN", help=t("referenten", "the minute taker"))
    add.add_argument(
        "--member",
        action="append",
        default=[],
        metavar="LOGIN",
        help=t(
            "et medlem, der indkaldes (kan gentages; mødeleder og referent indkaldes altid)",
            "a member to invite (repeatable; the chair and minute taker are always invited)",
        ),
    )
    add.add_argument(
        "--guest",
        action="append",
        default=[],
        metavar="NAME;ORGANISATION;EMAIL",
        help=t(
            "en gæst, der ikke er medlem: navn;organisation;e-mail (kan gentages)",
            "a guest who is not a member: name;organisation;e-mail (repeatable)",
        ),
    )
    add.add_argument(
        "--extraordinary",
        action="store_true",
        help=t(
            "et ekstraordinært møde (standard: ordinært)",
            "an extraordinary meeting (default: ordinary)",
        ),
    )
    add.add_argument(
        "--description",
        help=t(
            "en kort beskrivelse (eller --description-file)",
            "a short description (or --description-file)",
        ),
    )
    add.add_argument(
        "--description-file",
        metavar="FILE",
        help=t(
            "beskrivelsen fra en fil ('-' er standardinput)",
            "the description from a file ('-' is standard input)",
        ),
    )
    add.set_defaults(handler=meeting_add)

    item = meeting.add_parser("item", help=t("dagsordenspunkter", "agenda items")).add_subparsers(
        dest="item_action", required=True, metavar="ACTION"
    )
    item_add = item.add_parser(
        "add",
        parents=both,
        help=t("tilføj et punkt sidst på dagsordenen", "append an agenda item"),
    )
    item_add.add_argument("meeting", metavar="ID", help=id_help())
    item_add.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in ItemKind],
        help=t("punktets art", "the kind of item"),
    )
    item_add.add_argument("--case", help=t("sagsnummer (sagspunkter)", "case number (case items)"))
    item_add.add_argument("--title", help=t("punktets titel", "the item's title"))
    item_add.add_argument(
        "--organisation",
        help=t("hvem der giver orienteringen", "who gives the orientation"),
    )
    item_add.add_argument(
        "--trend-note",
        metavar="NOTE",
        help=t(
            "tendensnotatets id eller første 8+ hex-cifre, som 'infohus trend list' viser dem "
            "(tendenspunkter)",
            "trend note id or first 8+ hex digits, as 'infohus trend list' shows (trend items)",
        ),
    )
    item_add.set_defaults(handler=meeting_item_add)

    for name, handler, helptext in (
        ("notes", meeting_notes, t("skriv noterne til et punkt", "write an item's notes")),
        (
            "decision",
            meeting_decision,
            t(
                "føj en anbefaling eller aftale til et punkt",
                "add a recommendation or agreement to an item",
            ),
        ),
    ):
        p = meeting.add_parser(name, parents=both, help=helptext)
        p.add_argument("meeting", metavar="ID", help=id_help())
        p.add_argument(
            "number", metavar="N", type=int, help=t("punktets nummer", "the item's number")
        )
        _text_options(p)
        if name == "decision":
            p.add_argument(
                "--kind",
                required=True,
                choices=[k.value for k in DecisionKind],
                help=t(
                    "Infohusets anbefaling eller en myndigheds aftale",
                    "the Infohus's recommendation or an authority's agreement",
                ),
            )
            p.add_argument(
                "--authority",
                required=True,
                help=t("den myndighed, der har ansvaret for den", "the authority that owns it"),
            )
        p.set_defaults(handler=handler)

    action = meeting.add_parser("action", help=t("opgaver", "action items")).add_subparsers(
        dest="action_action", required=True, metavar="ACTION"
    )
    a_add = action.add_parser(
        "add", parents=both, help=t("føj en opgave til et punkt", "add an action item to an item")
    )
    a_add.add_argument("meeting", metavar="ID", help=id_help())
    a_add.add_argument(
        "number", metavar="N", type=int, help=t("punktets nummer", "the item's number")
    )
    _text_options(a_add)
    a_add.add_argument(
        "--owner",
        metavar="LOGIN",
        help=t(
            "det ansvarlige medlem (eller --owner-name)", "the member who owns it (or --owner-name)"
        ),
    )
    a_add.add_argument(
        "--owner-name",
        help=t("en ansvarlig, der ikke er medlem", "an owner who is not a member"),
    )
    a_add.add_argument(
        "--deadline", type=parse_date, metavar=DATE_HELP, help=t("opgavens frist", "the deadline")
    )
    a_add.set_defaults(handler=meeting_action_add)
    a_list = action.add_parser("list", parents=both, help=t("åbne opgaver", "open action items"))
    a_list.add_argument("--mine", action="store_true", help=t("kun dine", "only yours"))
    a_list.set_defaults(handler=meeting_action_list)
    a_close = action.add_parser(
        "close", parents=both, help=t("markér en opgave som udført", "mark an action item done")
    )
    a_close.add_argument(
        "id",
        help=t(
            "opgavens id eller første 8+ hex-cifre", "the action item's id or first 8+ hex digits"
        ),
    )
    a_close.set_defaults(handler=meeting_action_close)

    attend = meeting.add_parser(
        "attend", parents=both, help=t("registrér, hvem der deltog", "mark who attended")
    )
    attend.add_argument("meeting", metavar="ID", help=id_help())
    attend.add_argument(
        "--present",
        action="append",
        default=[],
        metavar="LOGIN|GUEST NAME",
        help=t(
            "en deltager, der var til stede: brugernavn eller gæstens navn (kan gentages)",
            "a participant who was present: login or guest's name (repeatable)",
        ),
    )
    attend.add_argument(
        "--absent",
        action="append",
        default=[],
        metavar="LOGIN|GUEST NAME",
        help=t(
            "en deltager, der var fraværende: brugernavn eller gæstens navn (kan gentages)",
            "a participant who was absent: login or guest's name (repeatable)",
        ),
    )
    attend.set_defaults(handler=meeting_attend)

    for name, helptext in (
        ("held", t("markér mødet som afholdt", "mark the meeting held")),
        (
            "approve",
            t(
                "godkend referatet (mødelederen): derefter er det låst",
                "approve the minutes (the chair): they lock",
            ),
        ),
        (
            "send",
            t("markér det godkendte referat som sendt", "mark the approved minutes sent"),
        ),
    ):
        p = meeting.add_parser(name, parents=both, help=helptext)
        p.add_argument("meeting", metavar="ID", help=id_help())
        p.set_defaults(handler=meeting_step)

    addendum = meeting.add_parser(
        "addendum",
        parents=both,
        help=t("et tillæg: en rettelse efter godkendelsen", "a correction after approval"),
    )
    addendum.add_argument("meeting", metavar="ID", help=id_help())
    addendum.add_argument(
        "--item", type=int, metavar="N", help=t("det punkt, det gælder", "the item it concerns")
    )
    _text_options(addendum)
    addendum.set_defaults(handler=meeting_addendum)
