"""``infohus case …``: intake, list and search, show, screening, status, assessment,
measures, journal, disclosures, attachments and moving. Long free text comes from a file or
standard input, never only from an argument."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infohus_desktop.cli.args import parse_id, read_text
from infohus_desktop.cli.case_shapes import (
    case_json,
    part_lines,
    person_lines,
    status_label,
    summary_json,
)
from infohus_desktop.cli.io import day_text, emit_json, emit_table, saved_to, t, unreadable
from infohus_desktop.cli.person_input import new_person
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.assessment import (
    AssessmentInput,
    ConcernLevel,
    IndicatorAnswer,
    IndicatorState,
)
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import (
    TAMPERED_TEXT,
    Intake,
    JournalKind,
    LegalBasis,
    MeasureStatus,
    MeasureType,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.labels import (
    JOURNAL_KIND_LABELS,
    MEASURE_STATUS_LABELS,
    MEASURE_TYPE_LABELS,
    RETENTION_LABELS,
    SOURCE_LABELS,
)
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason, check_chosen_status
from infohus_desktop.services.core.exports import write_export_stream

if TYPE_CHECKING:
    from infohus_desktop.services.cases.list_filter import CaseFilter
    from infohus_desktop.services.front_door import MemberServices

# The services (and SQLAlchemy with them) are imported by the handlers that use them, not
# here: building the ``case`` parser, for ``infohus case list`` or ``infohus case --help``,
# loads none of them (issue 17; tests/unit/test_cli_lazy_parser.py).

# -- handlers -------------------------------------------------------------------------------


def case_add(args: argparse.Namespace) -> int:
    from infohus_desktop.services.cases.intake import NewCase

    person = new_person(args)
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
    from infohus_desktop.services.cases.index import PossibleDuplicate

    with unlocked(args) as session:
        try:
            summary = session.cases.open_case(new, accept_duplicate=args.accept_duplicate)
        except PossibleDuplicate as exc:
            raise InvalidInput(
                f"{exc.da} Opret sagen alligevel med --accept-duplicate.",
                f"{exc.en} Open the case anyway with --accept-duplicate.",
            ) from None
    if args.json:
        emit_json(summary_json(summary))
    else:
        print(t(f"Sagen {summary.number} er oprettet.", f"Case {summary.number} was opened."))
    return 0


def _answers(path: str | None) -> list[tuple[str, str]]:
    if not path:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        return [(str(q), str(a)) for q, a in data.items()]
    except (OSError, ValueError, AttributeError) as exc:
        raise InvalidInput(
            "Svarfilen skal være et JSON-objekt {spørgsmål: svar}.",
            "The answers file must be a JSON object {question: answer}.",
        ) from exc


def case_list(args: argparse.Namespace) -> int:
    from infohus_desktop.services.cases.list_filter import CaseFilter

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
        categories = _category_words(session)
    if args.json:
        emit_json([summary_json(c) for c in cases])
        return 0
    statuses = {status: status_label(status) for status in CaseStatus}
    # Worked out once per value: a table repeats a few of each thousands of times.
    category_words = {code: category_label(categories, code) for code in categories}
    tampered_text = t(*TAMPERED_TEXT)
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
                "" if c.tampered else statuses[c.status],
                category_words.get(c.category, c.category),
                c.municipality,
                tampered_text if c.tampered else c.person_name,
                "" if c.tampered else day_text(c.received),
                day_text(c.follow_up),
            ]
            for c in cases
        ],
    )
    return 0


def category_label(categories: dict[str, tuple[str, str]], code: str) -> str:
    """The category in words, as the window shows it (the code when it is not in the list);
    ``--json`` keeps the code, which scripts depend on."""
    pair = categories.get(code)
    return t(*pair) if pair else code


def _category_words(session: MemberServices) -> dict[str, tuple[str, str]]:
    """The categories' words; codes, and the reason on stderr, when they were changed
    outside the program (the cases themselves are still read)."""
    categories, problem = session.case_settings.for_display()
    if problem is not None:
        print(problem.message(), file=sys.stderr)
    return categories


def _as_dict(filters: CaseFilter) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in type(filters).__dataclass_fields__}


def case_show(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        case = session.cases.show(args.case, Purpose(args.purpose))
        categories = _category_words(session)
    if args.json:
        emit_json(case_json(case))
        return 0
    s, p = case.summary, case.person
    category = category_label(categories, s.category)
    # The version: what 'case edit --version' takes (the command line had to read --json).
    print(
        f"{s.number}  {status_label(s.status)}  {category}  {s.municipality}  (version {s.version})"
    )
    if case.title:
        print(f"{t('Overskrift', 'Heading')}: {case.title}")
    if s.follow_up:
        print(f"{t('Opfølgning', 'Follow-up')}: {day_text(s.follow_up)}")
    # The class sets the deletion date with the closing reason (user trial: not shown).
    print(f"{t('Opbevaring', 'Retention')}: {t(*RETENTION_LABELS[case.retention])}")
    print(
        f"{t('Person', 'Person')}: {p.name}" + (f"  CPR {p.cpr[:6]}-{p.cpr[6:]}" if p.cpr else "")
    )
    for line in person_lines(p):
        print(f"  {line}")
    print(
        f"{t('Modtaget', 'Received')}: {case.intake.received.strftime('%d.%m.%Y')} "
        f"({t(*SOURCE_LABELS[case.intake.source])})"
    )
    print(f"{t('Observeret', 'Observed')}: {case.intake.observed}")
    print(f"{t('Historik', 'History')}:")
    for h in case.history:
        print(f"  {_local(h.at)}  {h.by_login}  {status_label(h.new)}  {h.reason}")
    for j in case.journal:
        kind = t(*JOURNAL_KIND_LABELS[j.kind])
        print(f"  {t('Journal', 'Journal')} {_local(j.at)} {kind}: {j.text}")
    if case.measures:
        print(f"{t('Indsatser', 'Measures')}:")
    for m in case.measures:
        period = "–".join(day_text(d) for d in (m.start, m.end) if d)
        print(
            f"  {t(*MEASURE_TYPE_LABELS[m.type])}  {m.owner}  {t(*MEASURE_STATUS_LABELS[m.status])}"
            + (f"  {period}" if period else "")
        )
        for text in (m.description, m.outcome):
            if text:
                print(f"    {text}")
    for line in part_lines(case):
        print(line)
    return 0


def _local(moment: datetime) -> str:
    """A moment as a person reads it: Copenhagen time (stored and ``--json``: UTC)."""
    return moment.astimezone(COPENHAGEN).strftime("%d.%m.%Y %H.%M")


def case_screen(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason")
    with unlocked(args) as session:
        session.cases.screen(
            args.case, ScreeningOutcome(args.outcome), reason, args.legal_reference or ""
        )
    print(t("Screeningen er registreret.", "The screening was recorded."))
    return 0


def case_status(args: argparse.Namespace) -> int:
    check_chosen_status(CaseStatus(args.to))  # before the reason it would ask for
    reason = read_text(args, "reason_file", "reason")
    closing = ClosingReason(args.closing_reason) if args.closing_reason else None
    with unlocked(args) as session:
        summary = session.cases.change_status(args.case, CaseStatus(args.to), reason, closing)
    print(
        t(
            f"{summary.number} har nu status {status_label(summary.status)}.",
            f"{summary.number} is now {status_label(summary.status)}.",
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
    """A new measure, or (``--update``) a change of one: only what is given changes."""
    from infohus_desktop.services.cases.records import MeasureInput

    given: dict[str, Any] = {
        "type": MeasureType(args.type) if args.type else None,
        "owner": args.owner,
        "description": read_text(args, "description_file", "description", required=False)
        if args.description is not None or args.description_file
        else None,
        "start": args.start,
        "end": args.end,
        "status": MeasureStatus(args.status) if args.status else None,
        "outcome": args.outcome,
    }
    given = {name: value for name, value in given.items() if value is not None}
    if args.update and args.version is None:
        raise InvalidInput(
            "Angiv --version: den version af indsatsen, du ændrer (se 'case show --json').",
            "Give --version: the version of the measure you change (see 'case show --json').",
        )
    if not args.update and not (args.type and args.owner):
        raise InvalidInput(
            "En ny indsats skal have --type og --owner.",
            "A new measure needs --type and --owner.",
        )
    with unlocked(args) as session:
        if args.update:
            result = session.case_records.change_measure(
                args.case,
                parse_id(args.update, "Indsatsen", "The measure"),
                args.version,
                lambda saved: replace(saved, **given),
            )
        else:
            result = session.case_records.add_measure(args.case, MeasureInput(**given))
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
            except OSError as exc:
                raise unreadable(args.file, exc) from None
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
            message = saved_to(args.out)
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
