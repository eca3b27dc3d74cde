"""The argument layout of `infohus case …`: every case command, its flags and its handler.
The handlers live in :mod:`~infohus_desktop.cli.case_commands`; the edit commands add theirs
to the same subparsers (:mod:`~infohus_desktop.cli.case_edit_commands`)."""

from __future__ import annotations

import argparse
from typing import Any

from infohus_desktop.cli.args import DATE_HELP, parse_date
from infohus_desktop.cli.case_commands import (
    case_add,
    case_assess,
    case_attach,
    case_disclose,
    case_journal,
    case_list,
    case_measure,
    case_move,
    case_screen,
    case_show,
    case_status,
)
from infohus_desktop.cli.io import t
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import (
    JournalKind,
    LegalBasis,
    MeasureStatus,
    MeasureType,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason


def add_case_parser(sub: Any, both: list[argparse.ArgumentParser]) -> Any:
    """Register `infohus case …`; the returned subparsers take the edit commands too."""
    case = sub.add_parser("case", help=t("bekymringssager", "concern cases")).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )

    add = case.add_parser(
        "add",
        parents=both,
        help=t("opret en sag ud fra en bekymring", "open a case from a concern"),
    )
    add.add_argument(
        "--person-file",
        metavar="FILE",
        help=t(
            "personen som JSON (name, cpr, address, municipality, phone, email, "
            "school_or_work, guardians); '-' er standardinput. Uden den: --name eller et "
            "spørgsmål i terminalen",
            "the person as JSON (name, cpr, address, municipality, phone, email, "
            "school_or_work, guardians); '-' is standard input. Without it: --name or a prompt",
        ),
    )
    add.add_argument(
        "--name",
        help=t(
            "personens navn (kan ses af andre brugere på computeren)",
            "the person's name (visible to other local users)",
        ),
    )
    add.add_argument("--cpr", help=t("CPR-nummer, hvis det kendes", "CPR number, if known"))
    add.add_argument("--category", required=True)
    add.add_argument(
        "--group",
        help=t(
            "adgangskreds (standard: Infohus Kommunes egen)",
            "access group (default: the Infohus Kommune's)",
        ),
    )
    add.add_argument(
        "--municipality",
        help=t("Infohus Kommune (standard: din egen)", "the Infohus Kommune (default: your own)"),
    )
    add.add_argument(
        "--concern-file",
        required=True,
        metavar="FILE",
        help=t(
            "det, der er observeret ('-' læser standardinput)",
            "what was observed ('-' reads standard input)",
        ),
    )
    add.add_argument("--source", default=Source.OTHER.value, choices=[s.value for s in Source])
    add.add_argument("--received", type=parse_date, metavar=DATE_HELP)
    add.add_argument("--reporter-org")
    add.add_argument("--reporter-contact")
    add.add_argument(
        "--anonymous",
        action="store_true",
        help=t("anmelderen er anonym", "the reporter is anonymous"),
    )
    add.add_argument(
        "--answers-file",
        metavar="FILE",
        help=t("svarene ved modtagelsen som JSON", "intake answers as JSON"),
    )
    add.add_argument("--address")
    add.add_argument("--person-municipality")
    add.add_argument("--phone")
    add.add_argument("--email")
    add.add_argument(
        "--school", help=t("skole, uddannelse eller arbejdsplads", "school, education or workplace")
    )
    add.add_argument("--guardian", action="append", default=[], metavar="NAME;RELATION;CONTACT")
    add.add_argument("--title")
    add.add_argument("--follow-up", type=parse_date, metavar=DATE_HELP)
    add.add_argument(
        "--accept-duplicate",
        action="store_true",
        help=t(
            "opret sagen, selv om personen måske allerede er kendt",
            "open the case although the person may be known already",
        ),
    )
    add.set_defaults(handler=case_add)

    lst = case.add_parser(
        "list",
        parents=both,
        help=t("vis og søg i de sager, du kan læse", "list and search the cases you can read"),
    )
    lst.add_argument("--status", action="append", default=[], choices=[s.value for s in CaseStatus])
    lst.add_argument("--category", action="append", default=[])
    lst.add_argument("--municipality")
    lst.add_argument("--lead", metavar="LOGIN")
    lst.add_argument("--group")
    lst.add_argument("--follow-up-due", type=parse_date, metavar=DATE_HELP)
    lst.add_argument("--search", help=t("sagsnummer, navn eller CPR", "case number, name or CPR"))
    lst.set_defaults(handler=case_list)

    show = case.add_parser(
        "show",
        parents=both,
        help=t(
            "hele sagen (opslaget skrives i revisionsloggen)", "a whole case (the read is audited)"
        ),
    )
    show.add_argument("case", help=t("sagsnummer eller id", "case number or id"))
    show.add_argument(
        "--purpose", default=Purpose.CASEWORK.value, choices=[p.value for p in Purpose]
    )
    show.set_defaults(handler=case_show)

    screen = case.add_parser(
        "screen",
        parents=both,
        help=t("registrér screeningens udfald", "record the screening outcome"),
    )
    screen.add_argument("case")
    screen.add_argument("--outcome", required=True, choices=[o.value for o in ScreeningOutcome])
    screen.add_argument("--reason")
    screen.add_argument("--reason-file", metavar="FILE")
    screen.add_argument("--legal-reference")
    screen.set_defaults(handler=case_screen)

    status = case.add_parser(
        "status",
        parents=both,
        help=t("giv en sag en anden status", "move a case to another status"),
    )
    status.add_argument("case")
    status.add_argument("--to", required=True, choices=[s.value for s in CaseStatus])
    status.add_argument("--reason")
    status.add_argument("--reason-file", metavar="FILE")
    status.add_argument("--closing-reason", choices=[r.value for r in ClosingReason])
    status.set_defaults(handler=case_status)

    assess = case.add_parser(
        "assess",
        parents=both,
        help=t("tilføj en vurdering (JSON-fil)", "add an assessment (JSON file)"),
    )
    assess.add_argument("case")
    assess.add_argument("--file", required=True, metavar="FILE")
    assess.set_defaults(handler=case_assess)

    measure = case.add_parser(
        "measure",
        parents=both,
        help=t("tilføj eller opdatér en indsats", "add or update a measure"),
    )
    measure.add_argument("case")
    measure.add_argument("--type", required=True, choices=[m.value for m in MeasureType])
    measure.add_argument(
        "--owner",
        required=True,
        help=t("myndigheden, der har ansvaret", "the owning authority"),
    )
    measure.add_argument("--description")
    measure.add_argument("--description-file", metavar="FILE")
    measure.add_argument("--start", type=parse_date, metavar=DATE_HELP)
    measure.add_argument("--end", type=parse_date, metavar=DATE_HELP)
    measure.add_argument(
        "--status", default=MeasureStatus.PLANNED.value, choices=[m.value for m in MeasureStatus]
    )
    measure.add_argument("--outcome")
    measure.add_argument("--update", metavar="MEASURE_ID")
    measure.add_argument(
        "--version",
        type=int,
        help=t("den version, du opdaterer", "the version you are updating"),
    )
    measure.set_defaults(handler=case_measure)

    journal = case.add_parser(
        "journal", parents=both, help=t("tilføj et journalnotat", "add a journal entry")
    )
    journal.add_argument("case")
    journal.add_argument(
        "--kind", default=JournalKind.NOTE.value, choices=[k.value for k in JournalKind]
    )
    journal.add_argument("--text")
    journal.add_argument("--text-file", metavar="FILE")
    journal.add_argument("--corrects", metavar="ENTRY_ID")
    journal.set_defaults(handler=case_journal)

    disclose = case.add_parser(
        "disclose", parents=both, help=t("registrér en videregivelse", "record a disclosure")
    )
    disclose.add_argument("case")
    disclose.add_argument("--from", dest="from_party", required=True)
    disclose.add_argument("--to", dest="to_party", required=True)
    disclose.add_argument("--what")
    disclose.add_argument("--what-file", metavar="FILE")
    disclose.add_argument("--basis", required=True, choices=[b.value for b in LegalBasis])
    disclose.add_argument("--date", type=parse_date, metavar=DATE_HELP)
    disclose.set_defaults(handler=case_disclose)

    attach = case.add_parser("attach", help=t("bilag", "attachments")).add_subparsers(
        dest="attach_action", required=True, metavar="ACTION"
    )
    a_add = attach.add_parser(
        "add", parents=both, help=t("vedhæft en fil (krypteret)", "attach a file (encrypted)")
    )
    a_add.add_argument("case")
    a_add.add_argument("file")
    a_list = attach.add_parser("list", parents=both, help=t("sagens bilag", "a case's attachments"))
    a_list.add_argument("case")
    a_get = attach.add_parser(
        "get", parents=both, help=t("gem et bilag i en fil", "save an attachment to a file")
    )
    a_get.add_argument("case")
    a_get.add_argument("id")
    a_get.add_argument("--out", required=True, metavar="FILE")
    a_rm = attach.add_parser(
        "remove", parents=both, help=t("fjern et bilag", "remove an attachment")
    )
    a_rm.add_argument("case")
    a_rm.add_argument("id")
    for parser in (a_add, a_list, a_get, a_rm):
        parser.set_defaults(handler=case_attach)

    move = case.add_parser(
        "move",
        parents=both,
        help=t("flyt sagen til en anden adgangskreds", "move to another access group"),
    )
    move.add_argument("case")
    move.add_argument("--group", required=True)
    move.set_defaults(handler=case_move)

    return case
