"""``infohus case …``: intake, list and search, show, screening, status, assessment,
measures, journal, disclosures, attachments and moving. Long free text comes from a file or
standard input, never only from an argument."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from infohus_desktop.cli.commands import unlocked
from infohus_desktop.cli.io import emit_json, emit_table, t
from infohus_desktop.domain.assessment import (
    AssessmentInput,
    ConcernLevel,
    IndicatorAnswer,
    IndicatorState,
)
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import (
    TAMPERED_TEXT,
    Case,
    CaseSummary,
    Guardian,
    Intake,
    JournalKind,
    LegalBasis,
    MeasureStatus,
    MeasureType,
    Person,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.workflow import STATUS_LABELS, CaseStatus, ClosingReason
from infohus_desktop.services.cases.index import CaseFilter
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.services.core.exports import write_export_stream

DATE_HELP = "YYYY-MM-DD"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date ({DATE_HELP}): {text}") from exc


def read_text(
    args: argparse.Namespace, file_attr: str, text_attr: str | None = None, required: bool = True
) -> str:
    """Free text from ``--…-file FILE`` ('-' is standard input), or a short ``--…`` text."""
    path = getattr(args, file_attr, None)
    if path == "-":
        if getattr(args, "passphrase_stdin", False):
            # Both on standard input: the passphrase is the first line, the text the rest.
            if getattr(args, "early_passphrase", None) is None:
                args.early_passphrase = args.stdin.next_line()
            return str(args.stdin.rest()).strip()
        return sys.stdin.read().strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(
                f"Filen {path} kan ikke læses.", f"The file {path} cannot be read."
            ) from exc
    value = getattr(args, text_attr, None) if text_attr else None
    if value:
        return str(value)
    if required:
        flag = file_attr.replace("_", "-")
        raise InvalidInput(f"Angiv teksten med --{flag}.", f"Give the text with --{flag}.")
    return ""


def parse_id(text: str, what_da: str, what_en: str) -> uuid.UUID:
    """An id given on the command line; a typo is invalid input, not a crash."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{what_da} {text!r} er ikke et gyldigt id.", f"{what_en} {text!r} is not a valid id."
        ) from None


def summary_json(c: CaseSummary) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "number": c.number,
        "status": c.status.value,
        "category": c.category,
        "municipality": c.municipality,
        "group_id": str(c.group_id),
        "lead_member_id": str(c.lead_member_id) if c.lead_member_id else None,
        "follow_up": c.follow_up.isoformat() if c.follow_up else None,
        "received": c.received.isoformat(),
        "name": c.person_name,
        "cpr": c.person_cpr,
        "version": c.version,
        "tampered": c.tampered,
    }


def case_json(case: Case) -> dict[str, Any]:
    p = case.person
    return {
        **summary_json(case.summary),
        "title": case.title,
        "person": {
            "name": p.name,
            "cpr": p.cpr,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "sex": p.sex.value,
            "address": p.address,
            "municipality": p.municipality,
            "phone": p.phone,
            "email": p.email,
            "school_or_work": p.school_or_work,
            "guardians": [
                {"name": g.name, "relation": g.relation, "contact": g.contact} for g in p.guardians
            ],
        },
        "intake": {
            "source": case.intake.source.value,
            "received": case.intake.received.isoformat(),
            "reporter_organisation": case.intake.reporter_organisation,
            "reporter_contact": case.intake.reporter_contact,
            "anonymous": case.intake.anonymous,
            "observed": case.intake.observed,
            "answers": [{"question": q, "answer": a} for q, a in case.intake.answers],
        },
        "lead_organisation_id": (
            str(case.summary.lead_organisation_id) if case.summary.lead_organisation_id else None
        ),
        "participating_organisations": list(case.participating_organisations),
        "retention": case.retention.value,
        "closing_reason": case.closing_reason.value if case.closing_reason else None,
        "information": [
            {
                "id": str(i.id),
                "authority": i.authority,
                "asked": i.asked.isoformat(),
                "answer": i.answer,
                "legal_basis": i.legal_basis.value,
                "by": i.by_login,
            }
            for i in case.information
        ],
        "history": [
            {
                "at": h.at.isoformat(),
                "by": h.by_login,
                "from": h.old.value if h.old else None,
                "to": h.new.value,
                "reason": h.reason,
                "closing_reason": h.closing_reason.value if h.closing_reason else None,
            }
            for h in case.history
        ],
        "screenings": [
            {
                "id": str(s.id),
                "at": s.at.isoformat(),
                "by": s.by_login,
                "outcome": s.outcome.value,
                "reason": s.reason,
                "legal_reference": s.legal_reference,
            }
            for s in case.screenings
        ],
        "measures": [
            {
                "id": str(m.id),
                "type": m.type.value,
                "owner": m.owner,
                "status": m.status.value,
                "start": m.start.isoformat() if m.start else None,
                "end": m.end.isoformat() if m.end else None,
                "outcome": m.outcome,
                "version": m.version,
            }
            for m in case.measures
        ],
        "journal": [
            {
                "id": str(j.id),
                "at": j.at.isoformat(),
                "by": j.by_login,
                "kind": j.kind.value,
                "text": j.text,
                "corrects": str(j.corrects) if j.corrects else None,
            }
            for j in case.journal
        ],
        "disclosures": [
            {
                "id": str(d.id),
                "on": d.on.isoformat(),
                "from": d.from_party,
                "to": d.to_party,
                "what": d.what,
                "legal_basis": d.legal_basis.value,
            }
            for d in case.disclosures
        ],
        "attachments": [
            {"id": str(a.id), "filename": a.filename, "size": a.size, "media_type": a.media_type}
            for a in case.attachments
        ],
        "assessments": len(case.assessment_ids),
    }


def _status_label(status: CaseStatus) -> str:
    da, en = STATUS_LABELS[status]
    return t(da, en)


# -- handlers -------------------------------------------------------------------------------


def case_add(args: argparse.Namespace) -> int:
    guardians = []
    for spec in args.guardian:
        name, _, rest = spec.partition(";")
        relation, _, contact = rest.partition(";")
        guardians.append(Guardian(name.strip(), relation.strip(), contact.strip()))
    person = Person(
        name=args.name,
        cpr=args.cpr or None,
        address=args.address or "",
        municipality=args.person_municipality or "",
        phone=args.phone or "",
        email=args.email or "",
        school_or_work=args.school or "",
        guardians=tuple(guardians),
    )
    intake = Intake(
        source=Source(args.source),
        received=args.received or date.today(),
        reporter_organisation=args.reporter_org or "",
        reporter_contact="" if args.anonymous else (args.reporter_contact or ""),
        anonymous=args.anonymous,
        observed=read_text(args, "concern_file"),
        answers=tuple(_answers(args.answers_file)),
    )
    new = NewCase(
        person=person,
        intake=intake,
        category=args.category,
        municipality=args.municipality,
        group=args.group,
        title=args.title or "",
        follow_up=args.follow_up,
    )
    with unlocked(args) as session:
        summary = session.cases.open_case(new, accept_duplicate=args.accept_duplicate)
    if args.json:
        emit_json(summary_json(summary))
    else:
        print(t(f"Sagen {summary.number} er oprettet.", f"Case {summary.number} was opened."))
    return 0


def _answers(path: str | None) -> list[tuple[str, str]]:
    if not path:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [(str(q), str(a)) for q, a in data.items()]
    except (OSError, ValueError, AttributeError) as exc:
        raise InvalidInput(
            "Svarfilen skal være et JSON-objekt {spørgsmål: svar}.",
            "The answers file must be a JSON object {question: answer}.",
        ) from exc


def case_list(args: argparse.Namespace) -> int:
    filters = CaseFilter(
        statuses=frozenset(CaseStatus(s) for s in args.status),
        categories=frozenset(args.category),
        municipality=args.municipality,
        follow_up_due_by=args.follow_up_due,
    )
    with unlocked(args) as session:
        if args.group:
            group_id = session.cases.group_id(args.group)
            filters = CaseFilter(**{**_as_dict(filters), "group_id": group_id})
        if args.lead:
            lead = next((m for m in session.accounts.list() if m.login == args.lead), None)
            if lead is None:
                raise InvalidInput(
                    f"Ukendt sagsansvarlig {args.lead}.", f"Unknown lead {args.lead}."
                )
            filters = CaseFilter(**{**_as_dict(filters), "lead_member_id": lead.id})
        cases = session.cases.list(filters, args.search)
    if args.json:
        emit_json([summary_json(c) for c in cases])
        return 0
    emit_table(
        [
            t("Sag", "Case"),
            t("Status", "Status"),
            t("Kategori", "Category"),
            t("Kommune", "Municipality"),
            t("Navn", "Name"),
            t("Modtaget", "Received"),
            t("Opfølgning", "Follow-up"),
        ],
        [
            [
                c.number,
                "" if c.tampered else _status_label(c.status),
                c.category,
                c.municipality,
                t(*TAMPERED_TEXT) if c.tampered else c.person_name,
                "" if c.tampered else c.received.strftime("%d.%m.%Y"),
                c.follow_up.strftime("%d.%m.%Y") if c.follow_up else "",
            ]
            for c in cases
        ],
    )
    return 0


def _as_dict(filters: CaseFilter) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in CaseFilter.__dataclass_fields__}


def case_show(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        case = session.cases.show(args.case, Purpose(args.purpose))
    if args.json:
        emit_json(case_json(case))
        return 0
    s, p = case.summary, case.person
    print(f"{s.number}  {_status_label(s.status)}  {s.category}  {s.municipality}")
    print(
        f"{t('Person', 'Person')}: {p.name}" + (f"  CPR {p.cpr[:6]}-{p.cpr[6:]}" if p.cpr else "")
    )
    print(
        f"{t('Modtaget', 'Received')}: {case.intake.received.strftime('%d.%m.%Y')} "
        f"({case.intake.source.value})"
    )
    print(f"{t('Observeret', 'Observed')}: {case.intake.observed}")
    print(f"{t('Historik', 'History')}:")
    for h in case.history:
        print(
            f"  {h.at.strftime('%d.%m.%Y %H.%M')}  {h.by_login}  {_status_label(h.new)}  {h.reason}"
        )
    for j in case.journal:
        print(f"  {t('Journal', 'Journal')} {j.at.strftime('%d.%m.%Y')} {j.kind.value}: {j.text}")
    return 0


def case_screen(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason")
    with unlocked(args) as session:
        session.cases.screen(
            args.case, ScreeningOutcome(args.outcome), reason, args.legal_reference or ""
        )
    print(t("Screeningen er registreret.", "The screening was recorded."))
    return 0


def case_status(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason")
    closing = ClosingReason(args.closing_reason) if args.closing_reason else None
    with unlocked(args) as session:
        summary = session.cases.change_status(args.case, CaseStatus(args.to), reason, closing)
    print(
        t(
            f"{summary.number} har nu status {_status_label(summary.status)}.",
            f"{summary.number} is now {_status_label(summary.status)}.",
        )
    )
    return 0


def case_assess(args: argparse.Namespace) -> int:
    """The assessment comes as a JSON file: see ``docs/assessment-example.json``."""
    try:
        raw = json.loads(read_text(args, "file"))
        content = AssessmentInput(
            answers={
                code: IndicatorAnswer(IndicatorState(a["state"]), a.get("comment", ""))
                for code, a in raw.get("indicators", {}).items()
            },
            main_problems=raw.get("main_problems", ""),
            resources=raw.get("resources", ""),
            focus_areas=tuple(raw.get("focus_areas", [])),
            level=ConcernLevel(raw["level"]),
            rationale=raw.get("rationale", ""),
            assessors=tuple(raw.get("assessors", [])),
            assessed_on=date.fromisoformat(raw.get("date") or date.today().isoformat()),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(
            "Vurderingsfilen kan ikke læses; se docs/assessment-example.json.",
            "The assessment file cannot be read; see docs/assessment-example.json.",
        ) from exc
    with unlocked(args) as session:
        session.case_records.assess(args.case, content)
        changes = session.case_records.changes_since_previous(args.case)
    if args.json:
        emit_json([{"what": c.what, "before": c.before, "after": c.after} for c in changes])
    else:
        print(t("Vurderingen er gemt.", "The assessment was saved."))
        for c in changes:
            print(f"  {c.what}: {c.before} → {c.after}")
    return 0


def case_measure(args: argparse.Namespace) -> int:
    if args.update and args.version is None:
        raise InvalidInput(
            "Angiv --version: den version af indsatsen, du ændrer (se 'case show --json').",
            "Give --version: the version of the measure you change (see 'case show --json').",
        )
    measure = MeasureInput(
        type=MeasureType(args.type),
        owner=args.owner,
        description=read_text(args, "description_file", "description", required=False),
        start=args.start,
        end=args.end,
        status=MeasureStatus(args.status),
        outcome=args.outcome or "",
    )
    with unlocked(args) as session:
        if args.update:
            result = session.case_records.update_measure(
                args.case, parse_id(args.update, "Indsatsen", "The measure"), args.version, measure
            )
        else:
            result = session.case_records.add_measure(args.case, measure)
    if args.json:
        emit_json({"id": str(result.id), "version": result.version})
    else:
        print(t(f"Indsatsen er gemt ({result.id}).", f"The measure was saved ({result.id})."))
    return 0


def case_journal(args: argparse.Namespace) -> int:
    text = read_text(args, "text_file", "text")
    with unlocked(args) as session:
        entry = session.case_records.add_journal(
            args.case,
            JournalKind(args.kind),
            text,
            parse_id(args.corrects, "Notatet", "The entry") if args.corrects else None,
        )
    if args.json:
        emit_json({"id": str(entry.id), "at": entry.at.isoformat()})
    else:
        print(
            t(f"Journalnotatet er gemt ({entry.id}).", f"The journal entry was saved ({entry.id}).")
        )
    return 0


def case_disclose(args: argparse.Namespace) -> int:
    what = read_text(args, "what_file", "what")
    with unlocked(args) as session:
        session.case_records.add_disclosure(
            args.case,
            args.date or date.today(),
            args.from_party,
            args.to_party,
            what,
            LegalBasis(args.basis),
        )
    if LegalBasis(args.basis).is_section_115:
        print(
            t(
                "Bemærk: oplysninger efter retsplejelovens § 115 må ikke videregives til "
                "efterforskning af straffesager.",
                "Note: information exchanged under § 115 of the Administration of Justice Act "
                "may not be passed on for a criminal investigation.",
            ),
            file=sys.stderr,
        )
    print(t("Videregivelsen er registreret.", "The disclosure was recorded."))
    return 0


def case_attach(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        if args.attach_action == "add":
            try:
                stream = open(args.file, "rb")  # noqa: SIM115 (closed below, errors mapped)
            except OSError:
                raise InvalidInput(
                    f"Filen {args.file} kan ikke læses.", f"The file {args.file} cannot be read."
                ) from None
            with stream:
                info = session.attachments.add(args.case, Path(args.file).name, stream)
            result: Any = {"id": str(info.id), "filename": info.filename, "size": info.size}
            message = t(
                f"Bilaget {info.filename} er gemt ({info.id}).",
                f"The attachment {info.filename} was saved ({info.id}).",
            )
        elif args.attach_action == "list":
            items = session.attachments.list(args.case)
            result = [
                {
                    "id": str(a.id),
                    "filename": a.filename,
                    "size": a.size,
                    "media_type": a.media_type,
                }
                for a in items
            ]
            message = "\n".join(f"{a.id}  {a.filename}  {a.size}" for a in items)
        elif args.attach_action == "get":
            _get_attachment(session, args)
            result = {"written": args.out}
            message = t(
                f"Bilaget er skrevet til {args.out}.", f"The attachment was written to {args.out}."
            )
        else:
            session.attachments.remove(args.case, parse_id(args.id, "Bilaget", "The attachment"))
            result = {"removed": args.id}
            message = t("Bilaget er fjernet.", "The attachment was removed.")
    if args.json:
        emit_json(result)
    elif message:
        print(message)
    return 0


def _get_attachment(session: Any, args: argparse.Namespace) -> None:
    """Into a private temporary file beside the target, renamed only when complete."""
    target = Path(args.out).expanduser().resolve()
    attachment_id = parse_id(args.id, "Bilaget", "The attachment")
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    write_export_stream(
        target, lambda sink: session.attachments.read(args.case, attachment_id, sink)
    )


def case_move(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        summary = session.cases.move(args.case, args.group)
    print(
        t(
            f"{summary.number} er flyttet til adgangskredsen '{args.group}'.",
            f"{summary.number} was moved to the access group '{args.group}'.",
        )
    )
    return 0


# -- parser ---------------------------------------------------------------------------------


def add_case_parser(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    case = sub.add_parser("case", help="concern cases").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )

    add = case.add_parser("add", parents=both, help="open a case from a concern")
    add.add_argument("--name", required=True, help="the person's name")
    add.add_argument("--cpr", help="CPR number, if known")
    add.add_argument("--category", required=True)
    add.add_argument("--group", help="access group (default: the Infohus Kommune's)")
    add.add_argument("--municipality", help="the Infohus Kommune (default: your own)")
    add.add_argument(
        "--concern-file",
        required=True,
        metavar="FILE",
        help="what was observed ('-' reads standard input)",
    )
    add.add_argument("--source", default=Source.OTHER.value, choices=[s.value for s in Source])
    add.add_argument("--received", type=_date, metavar=DATE_HELP)
    add.add_argument("--reporter-org")
    add.add_argument("--reporter-contact")
    add.add_argument("--anonymous", action="store_true", help="the reporter is anonymous")
    add.add_argument("--answers-file", metavar="FILE", help="intake answers as JSON")
    add.add_argument("--address")
    add.add_argument("--person-municipality")
    add.add_argument("--phone")
    add.add_argument("--email")
    add.add_argument("--school", help="school, education or workplace")
    add.add_argument("--guardian", action="append", default=[], metavar="NAME;RELATION;CONTACT")
    add.add_argument("--title")
    add.add_argument("--follow-up", type=_date, metavar=DATE_HELP)
    add.add_argument(
        "--accept-duplicate",
        action="store_true",
        help="open the case although the person may be known already",
    )
    add.set_defaults(handler=case_add)

    lst = case.add_parser("list", parents=both, help="list and search the cases you can read")
    lst.add_argument("--status", action="append", default=[], choices=[s.value for s in CaseStatus])
    lst.add_argument("--category", action="append", default=[])
    lst.add_argument("--municipality")
    lst.add_argument("--lead", metavar="LOGIN")
    lst.add_argument("--group")
    lst.add_argument("--follow-up-due", type=_date, metavar=DATE_HELP)
    lst.add_argument("--search", help="case number, name or CPR")
    lst.set_defaults(handler=case_list)

    show = case.add_parser("show", parents=both)
    show.add_argument("case", help="case number or id")
    show.add_argument(
        "--purpose", default=Purpose.CASEWORK.value, choices=[p.value for p in Purpose]
    )
    show.set_defaults(handler=case_show)

    screen = case.add_parser("screen", parents=both)
    screen.add_argument("case")
    screen.add_argument("--outcome", required=True, choices=[o.value for o in ScreeningOutcome])
    screen.add_argument("--reason")
    screen.add_argument("--reason-file", metavar="FILE")
    screen.add_argument("--legal-reference")
    screen.set_defaults(handler=case_screen)

    status = case.add_parser("status", parents=both)
    status.add_argument("case")
    status.add_argument("--to", required=True, choices=[s.value for s in CaseStatus])
    status.add_argument("--reason")
    status.add_argument("--reason-file", metavar="FILE")
    status.add_argument("--closing-reason", choices=[r.value for r in ClosingReason])
    status.set_defaults(handler=case_status)

    assess = case.add_parser("assess", parents=both, help="add an assessment (JSON file)")
    assess.add_argument("case")
    assess.add_argument("--file", required=True, metavar="FILE")
    assess.set_defaults(handler=case_assess)

    measure = case.add_parser("measure", parents=both, help="add or update a measure")
    measure.add_argument("case")
    measure.add_argument("--type", required=True, choices=[m.value for m in MeasureType])
    measure.add_argument("--owner", required=True, help="the owning authority")
    measure.add_argument("--description")
    measure.add_argument("--description-file", metavar="FILE")
    measure.add_argument("--start", type=_date, metavar=DATE_HELP)
    measure.add_argument("--end", type=_date, metavar=DATE_HELP)
    measure.add_argument(
        "--status", default=MeasureStatus.PLANNED.value, choices=[m.value for m in MeasureStatus]
    )
    measure.add_argument("--outcome")
    measure.add_argument("--update", metavar="MEASURE_ID")
    measure.add_argument("--version", type=int, help="the version you are updating")
    measure.set_defaults(handler=case_measure)

    journal = case.add_parser("journal", parents=both, help="add a journal entry")
    journal.add_argument("case")
    journal.add_argument(
        "--kind", default=JournalKind.NOTE.value, choices=[k.value for k in JournalKind]
    )
    journal.add_argument("--text")
    journal.add_argument("--text-file", metavar="FILE")
    journal.add_argument("--corrects", metavar="ENTRY_ID")
    journal.set_defaults(handler=case_journal)

    disclose = case.add_parser("disclose", parents=both, help="record a disclosure")
    disclose.add_argument("case")
    disclose.add_argument("--from", dest="from_party", required=True)
    disclose.add_argument("--to", dest="to_party", required=True)
    disclose.add_argument("--what")
    disclose.add_argument("--what-file", metavar="FILE")
    disclose.add_argument("--basis", required=True, choices=[b.value for b in LegalBasis])
    disclose.add_argument("--date", type=_date, metavar=DATE_HELP)
    disclose.set_defaults(handler=case_disclose)

    attach = case.add_parser("attach", help="attachments").add_subparsers(
        dest="attach_action", required=True, metavar="ACTION"
    )
    a_add = attach.add_parser("add", parents=both)
    a_add.add_argument("case")
    a_add.add_argument("file")
    a_list = attach.add_parser("list", parents=both)
    a_list.add_argument("case")
    a_get = attach.add_parser("get", parents=both)
    a_get.add_argument("case")
    a_get.add_argument("id")
    a_get.add_argument("--out", required=True, metavar="FILE")
    a_rm = attach.add_parser("remove", parents=both)
    a_rm.add_argument("case")
    a_rm.add_argument("id")
    for parser in (a_add, a_list, a_get, a_rm):
        parser.set_defaults(handler=case_attach)

    move = case.add_parser("move", parents=both, help="move to another access group")
    move.add_argument("case")
    move.add_argument("--group", required=True)
    move.set_defaults(handler=case_move)

    from infohus_desktop.cli.case_edit_commands import add_case_edit_parsers

    add_case_edit_parsers(case, both)
