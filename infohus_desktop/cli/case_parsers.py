"""The argument layout of `infohus case …`: every case command, its flags and its handler.
The handlers live in :mod:`~infohus_desktop.cli.case_commands`; the edit commands add theirs
to the same subparsers (:mod:`~infohus_desktop.cli.case_edit_commands`)."""

from __future__ import annotations

import argparse
from typing import Any

from infohus_desktop.cli.args import DATE_HELP, case_help, parse_date
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
from infohus_desktop.domain.workflow import HANDOVER_ONLY, CaseStatus, ClosingReason


def add_case_parser(sub: Any, both: list[argparse.ArgumentParser]) -> Any:
    """Register `infohus case …`; the returned subparsers take the edit commands too."""
    case = sub.add_parser("case", help=t("bekymringssager", "concern cases")).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    number = case_help()
    category = t(
        "kategoriens kode (se 'infohus case categories')",
        "the category's code (see 'infohus case categories')",
    )
    reason = t("begrundelsen (eller --reason-file)", "the reason (or --reason-file)")
    reason_file = t(
        "begrundelsen fra en fil ('-' er standardinput)",
        "the reason from a file ('-' is standard input)",
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
    add.add_argument(
        "--cpr",
        help=t(
            "CPR-nummer, hvis det kendes (kan ses af andre brugere på computeren)",
            "CPR number, if known (visible to other local users)",
        ),
    )
    add.add_argument("--category", required=True, help=category)
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
    add.add_argument(
        "--source",
        default=Source.OTHER.value,
        choices=[s.value for s in Source],
        help=t("bekymringens kilde (standard: andet)", "the concern's source (default: andet)"),
    )
    add.add_argument(
        "--received",
        type=parse_date,
        metavar=DATE_HELP,
        help=t("modtagelsesdato (standard: i dag)", "date received (default: today)"),
    )
    add.add_argument(
        "--reporter-org", help=t("anmelderens organisation", "the reporter's organisation")
    )
    add.add_argument(
        "--reporter-contact", help=t("anmelderens kontaktperson", "the reporter's contact person")
    )
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
    add.add_argument("--address", help=t("personens adresse", "the person's address"))
    add.add_argument(
        "--person-municipality",
        help=t("personens bopælskommune", "the person's home municipality"),
    )
    add.add_argument("--phone", help=t("personens telefonnummer", "the person's phone number"))
    add.add_argument("--email", help=t("personens e-mailadresse", "the person's e-mail address"))
    add.add_argument(
        "--school", help=t("skole, uddannelse eller arbejdsplads", "school, education or workplace")
    )
    add.add_argument(
        "--guardian",
        action="append",
        default=[],
        metavar="NAME;RELATION;CONTACT",
        help=t("forældremyndighedsindehaver (kan gentages)", "a guardian of a minor (repeatable)"),
    )
    add.add_argument(
        "--title",
        help=t(
            "kort overskrift på sagen, uden navne", "a short heading for the case, without names"
        ),
    )
    add.add_argument(
        "--follow-up",
        type=parse_date,
        metavar=DATE_HELP,
        help=t("sagens opfølgningsdato", "the case's follow-up date"),
    )
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
    lst.add_argument(
        "--status",
        action="append",
        default=[],
        choices=[s.value for s in CaseStatus],
        help=t("kun denne status (kan gentages)", "only this status (repeatable)"),
    )
    lst.add_argument(
        "--category",
        action="append",
        default=[],
        help=t("kun denne kategori (kode; kan gentages)", "only this category (code; repeatable)"),
    )
    lst.add_argument(
        "--municipality",
        help=t(
            "kun sager i den Infohus Kommune, hvis navn indeholder teksten",
            "only cases of the Infohus Kommune whose name contains the text",
        ),
    )
    lst.add_argument(
        "--lead",
        metavar="LOGIN",
        help=t(
            "kun sager med dette medlem som sagsansvarlig", "only cases with this member as lead"
        ),
    )
    lst.add_argument(
        "--group",
        help=t(
            "kun sager i denne adgangskreds (navn eller id)",
            "only cases in this access group (name or id)",
        ),
    )
    lst.add_argument(
        "--follow-up-due",
        type=parse_date,
        metavar=DATE_HELP,
        help=t(
            "kun sager med opfølgningsdato senest denne dag",
            "only cases with a follow-up date on or before this day",
        ),
    )
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
        "--purpose",
        default=Purpose.CASEWORK.value,
        choices=[p.value for p in Purpose],
        help=t(
            "formålet med opslaget, som det skrives i revisionsloggen (standard: sagsbehandling)",
            "the purpose of the read, as the audit log records it (default: sagsbehandling)",
        ),
    )
    show.set_defaults(handler=case_show)

    screen = case.add_parser(
        "screen",
        parents=both,
        help=t("registrér screeningens udfald", "record the screening outcome"),
    )
    screen.add_argument("case", help=number)
    screen.add_argument(
        "--outcome",
        required=True,
        choices=[o.value for o in ScreeningOutcome],
        help=t("screeningens udfald", "the screening outcome"),
    )
    screen.add_argument("--reason", help=reason)
    screen.add_argument("--reason-file", metavar="FILE", help=reason_file)
    screen.add_argument(
        "--legal-reference",
        help=t(
            "lovhjemmel, når en anden myndighed overtager (skal angives ved anden_myndighed)",
            "the legal reference when another authority takes over (required for anden_myndighed)",
        ),
    )
    screen.set_defaults(handler=case_screen)

    status = case.add_parser(
        "status",
        parents=both,
        help=t("giv en sag en anden status", "move a case to another status"),
    )
    status.add_argument("case", help=number)
    status.add_argument(
        "--to",
        required=True,
        choices=[s.value for s in CaseStatus],  # overdraget too: refused with what to do
        metavar="{" + ",".join(s.value for s in CaseStatus if s not in HANDOVER_ONLY) + "}",
        help=t("den nye status", "the new status"),
    )
    status.add_argument("--reason", help=reason)
    status.add_argument("--reason-file", metavar="FILE", help=reason_file)
    status.add_argument(
        "--closing-reason",
        choices=[r.value for r in ClosingReason],
        help=t(
            "afslutningsårsagen (påkrævet ved --to afsluttet; ellers ikke tilladt)",
            "the closing reason (required with --to afsluttet; not allowed otherwise)",
        ),
    )
    status.set_defaults(handler=case_status)

    assess = case.add_parser(
        "assess",
        parents=both,
        help=t("tilføj en vurdering (JSON-fil)", "add an assessment (JSON file)"),
    )
    assess.add_argument("case", help=number)
    assess.add_argument(
        "--file",
        required=True,
        metavar="FILE",
        help=t(
            "vurderingen som JSON (se docs/assessment-example.json); '-' er standardinput",
            "the assessment as JSON (see docs/assessment-example.json); '-' is standard input",
        ),
    )
    assess.set_defaults(handler=case_assess)

    measure = case.add_parser(
        "measure",
        parents=both,
        help=t("tilføj eller opdatér en indsats", "add or update a measure"),
    )
    measure.add_argument("case", help=number)
    measure.add_argument(
        "--type",
        choices=[m.value for m in MeasureType],
        help=t("indsatstypen (skal angives for en ny)", "the type of measure (required for a new)"),
    )
    measure.add_argument(
        "--owner",
        help=t(
            "myndigheden, der har ansvaret (skal angives for en ny)",
            "the owning authority (required for a new one)",
        ),
    )
    measure.add_argument(
        "--description",
        help=t(
            "hvad indsatsen går ud på (eller --description-file)",
            "what the measure is (or --description-file)",
        ),
    )
    measure.add_argument(
        "--description-file",
        metavar="FILE",
        help=t(
            "beskrivelsen fra en fil ('-' er standardinput)",
            "the description from a file ('-' is standard input)",
        ),
    )
    measure.add_argument(
        "--start", type=parse_date, metavar=DATE_HELP, help=t("startdato", "the start date")
    )
    measure.add_argument(
        "--end", type=parse_date, metavar=DATE_HELP, help=t("slutdato", "the end date")
    )
    measure.add_argument(
        "--status",
        choices=[m.value for m in MeasureStatus],
        help=t(
            "indsatsens status (standard for en ny: planlagt)",
            "the measure's status (default for a new one: planlagt)",
        ),
    )
    measure.add_argument("--outcome", help=t("indsatsens resultat", "the measure's outcome"))
    measure.add_argument(
        "--update",
        metavar="MEASURE_ID",
        help=t(
            "ret denne indsats i stedet for at tilføje en ny: det, du ikke angiver, forbliver "
            "som det var (id fra 'infohus case show --json'; kræver --version)",
            "change this measure instead of adding one: what you do not give stays as it was "
            "(id from 'infohus case show --json'; needs --version)",
        ),
    )
    measure.add_argument(
        "--version",
        type=int,
        help=t("den version, du opdaterer", "the version you are updating"),
    )
    measure.set_defaults(handler=case_measure)

    journal = case.add_parser(
        "journal", parents=both, help=t("tilføj et journalnotat", "add a journal entry")
    )
    journal.add_argument("case", help=number)
    journal.add_argument(
        "--kind",
        default=JournalKind.NOTE.value,
        choices=[k.value for k in JournalKind],
        help=t("notatets art (standard: notat)", "the kind of entry (default: notat)"),
    )
    journal.add_argument(
        "--text", help=t("notatets tekst (eller --text-file)", "the entry's text (or --text-file)")
    )
    journal.add_argument(
        "--text-file",
        metavar="FILE",
        help=t(
            "teksten fra en fil ('-' er standardinput)",
            "the text from a file ('-' is standard input)",
        ),
    )
    journal.add_argument(
        "--corrects",
        metavar="ENTRY_ID",
        help=t(
            "id på det notat, som det nye retter (se 'infohus case show --json'); et gemt notat "
            "ændres aldrig",
            "the id of the entry this one corrects (see 'infohus case show --json'); a saved "
            "entry is never changed",
        ),
    )
    journal.set_defaults(handler=case_journal)

    disclose = case.add_parser(
        "disclose", parents=both, help=t("registrér en videregivelse", "record a disclosure")
    )
    disclose.add_argument("case", help=number)
    disclose.add_argument(
        "--from",
        dest="from_party",
        required=True,
        help=t("hvem der videregav oplysningerne", "who disclosed the information"),
    )
    disclose.add_argument(
        "--to",
        dest="to_party",
        required=True,
        help=t("hvem oplysningerne blev videregivet til", "who received the information"),
    )
    disclose.add_argument(
        "--what",
        help=t(
            "hvad der blev videregivet (eller --what-file)", "what was disclosed (or --what-file)"
        ),
    )
    disclose.add_argument(
        "--what-file",
        metavar="FILE",
        help=t(
            "hvad der blev videregivet, fra en fil ('-' er standardinput)",
            "what was disclosed, from a file ('-' is standard input)",
        ),
    )
    disclose.add_argument(
        "--basis",
        required=True,
        choices=[b.value for b in LegalBasis],
        help=t("hjemlen for videregivelsen", "the legal basis of the disclosure"),
    )
    disclose.add_argument(
        "--date",
        type=parse_date,
        metavar=DATE_HELP,
        help=t(
            "dagen for videregivelsen (standard: i dag)",
            "the day of the disclosure (default: today)",
        ),
    )
    disclose.set_defaults(handler=case_disclose)

    attach = case.add_parser("attach", help=t("bilag", "attachments")).add_subparsers(
        dest="attach_action", required=True, metavar="ACTION"
    )
    a_add = attach.add_parser(
        "add", parents=both, help=t("vedhæft en fil (krypteret)", "attach a file (encrypted)")
    )
    attachment = t(
        "bilagets id (se 'infohus case attach list')",
        "the attachment's id (see 'infohus case attach list')",
    )
    a_add.add_argument("case", help=number)
    a_add.add_argument("file", help=t("filen, der skal vedhæftes", "the file to attach"))
    a_list = attach.add_parser("list", parents=both, help=t("sagens bilag", "a case's attachments"))
    a_list.add_argument("case", help=number)
    a_get = attach.add_parser(
        "get", parents=both, help=t("gem et bilag i en fil", "save an attachment to a file")
    )
    a_get.add_argument("case", help=number)
    a_get.add_argument("id", help=attachment)
    a_get.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=t("filen, bilaget gemmes i", "the file to save it to"),
    )
    a_rm = attach.add_parser(
        "remove", parents=both, help=t("fjern et bilag", "remove an attachment")
    )
    a_rm.add_argument("case", help=number)
    a_rm.add_argument("id", help=attachment)
    for parser in (a_add, a_list, a_get, a_rm):
        parser.set_defaults(handler=case_attach)

    move = case.add_parser(
        "move",
        parents=both,
        help=t("flyt sagen til en anden adgangskreds", "move to another access group"),
    )
    move.add_argument("case", help=number)
    move.add_argument(
        "--group",
        required=True,
        help=t(
            "den adgangskreds, sagen flyttes til (navn eller id)",
            "the access group to move the case to (name or id)",
        ),
    )
    move.set_defaults(handler=case_move)

    return case
