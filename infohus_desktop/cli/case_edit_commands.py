"""``infohus case edit|information|assessments|indicators|categories``: changing a case's
person, intake and case data safely, the information gathered from authorities, the
assessment history with what changed, and the vault's configurable lists."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from infohus_desktop.cli.approval_args import add_approver_flags, approval_from, approver_named
from infohus_desktop.cli.args import DATE_HELP, case_help, parse_date, read_text
from infohus_desktop.cli.case_shapes import summary_json
from infohus_desktop.cli.io import emit_json, t, unreadable
from infohus_desktop.cli.person_input import guardians_of, person_from_file
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.cases import LegalBasis, RetentionClass
from infohus_desktop.domain.errors import InvalidInput

#: Person fields that ``case edit`` sets from a flag of the same name.
PERSON_FLAGS = ("name", "cpr", "address", "phone", "email", "school_or_work")

#: The help of each of them: (Danish, English).
_PERSON_FLAG_HELP = {
    "name": ("personens navn", "the person's name"),
    "cpr": ("CPR-nummer ('' fjerner det)", "CPR number ('' removes it)"),
    "address": ("personens adresse", "the person's address"),
    "phone": ("personens telefonnummer", "the person's phone number"),
    "email": ("personens e-mailadresse", "the person's e-mail address"),
    "school_or_work": ("skole, uddannelse eller arbejdsplads", "school, education or workplace"),
}


def case_edit(args: argparse.Namespace) -> int:
    """Read the case, apply the flags, save against the version read (or ``--version``):
    a save by someone else in between is a conflict, never an overwrite."""
    approval = approval_from(args)  # the second person's passphrase, asked for first
    with unlocked(args) as session:
        case = session.cases.show(args.case)
        base_version = args.version if args.version is not None else case.summary.version
        person = case.person
        changed_person: dict[str, Any] = dict(person_from_file(args) or {})
        if "guardians" in changed_person:
            changed_person["guardians"] = guardians_of(changed_person)
        changed_person.update(
            {f: getattr(args, f) for f in PERSON_FLAGS if getattr(args, f) is not None}
        )
        if changed_person:
            person = replace(person, **changed_person)
            if "cpr" in changed_person and not changed_person["cpr"]:
                person = replace(person, cpr=None, birth_date=None)
        lead_id = None
        if args.lead:
            lead = next((m for m in session.accounts.list() if m.login == args.lead), None)
            if lead is None:
                raise InvalidInput(
                    f"Ukendt sagsansvarlig {args.lead}.", f"Unknown lead {args.lead}."
                )
            lead_id = lead.id
        from infohus_desktop.services.cases.editing import CaseEdit

        edit = CaseEdit(
            person=person if changed_person else None,
            title=args.title,
            category=args.category,
            follow_up=args.follow_up,
            clear_follow_up=args.no_follow_up,
            lead_member_id=lead_id,
            lead_organisation_id=(
                session.cases.organisation_id(args.lead_org) if args.lead_org else None
            ),
            participating_organisations=tuple(args.participant) if args.participant else None,
            retention=RetentionClass(args.retention) if args.retention else None,
        )
        # The case as read is the base for naming conflicting fields only when it is the
        # version being changed; with an older --version the edited fields are named.
        base = case if base_version == case.summary.version else None
        with approver_named(approval):
            summary = session.cases.edit(
                args.case, base_version, edit, base=base, approval=approval
            )
    if args.json:
        emit_json(summary_json(summary))
    else:
        print(
            t(
                f"{summary.number} er gemt (version {summary.version}).",
                f"{summary.number} was saved (version {summary.version}).",
            )
        )
    return 0


def case_information(args: argparse.Namespace) -> int:
    answer = read_text(args, "answer_file", "answer")
    with unlocked(args) as session:
        info = session.cases.add_information(
            args.case, args.authority, args.asked or date.today(), answer, LegalBasis(args.basis)
        )
    if args.json:
        emit_json({"id": str(info.id)})
    else:
        print(t("Oplysningerne er registreret.", "The information was recorded."))
    return 0


def case_assessments(args: argparse.Namespace) -> int:
    """Every assessment, oldest first, and what changed in the latest one."""
    with unlocked(args) as session:
        history = session.case_records.assessments(args.case)
        changes = session.case_records.changes_since_previous(args.case)
    if args.json:
        emit_json(
            {
                "assessments": [
                    {
                        "id": str(a.id),
                        "at": a.created_at.isoformat(),
                        "by": a.by_login,
                        "level": a.content.level.value,
                        "assessed_on": a.content.assessed_on.isoformat(),
                        "rationale": a.content.rationale,
                        "serious_signs": [i.code for i in a.serious_present()],
                        "indicators": {
                            code: {"state": ans.state.value, "comment": ans.comment}
                            for code, ans in sorted(a.content.answers.items())
                        },
                    }
                    for a in history
                ],
                "changes_since_previous": [
                    {"what": c.what, "before": c.before, "after": c.after} for c in changes
                ],
            }
        )
        return 0
    for a in history:
        serious = ", ".join(t(i.label_da, i.label_en) for i in a.serious_present())
        print(
            f"{a.content.assessed_on.strftime('%d.%m.%Y')}  {a.content.level.value}  {a.by_login}"
            + (f"  {t('Alvorlige tegn', 'Serious signs')}: {serious}" if serious else "")
        )
    if changes:
        print(t("Ændret siden forrige vurdering:", "Changed since the previous assessment:"))
        for c in changes:
            print(f"  {c.what}: {c.before} → {c.after}")
    return 0


def _load_json(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable(path, exc) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"Filen {path} er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}).",
            f"The file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}).",
        ) from None


def case_indicators(args: argparse.Namespace) -> int:
    from infohus_desktop.services.cases.settings import indicators_to_json

    with unlocked(args) as session:
        if args.set:
            indicators = session.case_settings.set_indicators(_load_json(args.set))
        else:
            indicators = session.case_settings.indicators()
    if args.json:
        emit_json(indicators_to_json(indicators))
        return 0
    for i in indicators:
        flag = " !" if i.serious else ""
        print(f"{i.part.value:24} {i.code:24} {t(i.label_da, i.label_en)}{flag}")
    return 0


def case_categories(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        if args.set:
            categories = session.case_settings.set_categories(_load_json(args.set))
        else:
            categories = session.case_settings.categories()
    if args.json:
        emit_json({code: list(labels) for code, labels in categories.items()})
        return 0
    for code, (da, en) in categories.items():
        print(f"{code:24} {t(da, en)}")
    return 0


def add_case_edit_parsers(case: Any, both: list[argparse.ArgumentParser]) -> None:
    edit = case.add_parser(
        "edit",
        parents=both,
        help=t("ret person, sagsansvarlig, opfølgning, …", "change person, lead, follow-up, …"),
    )
    number = case_help()
    edit.add_argument("case", help=number)
    edit.add_argument(
        "--version",
        type=int,
        help=t(
            "den version, du ændrer (der meldes en konflikt, hvis en anden har gemt siden)",
            "the version you are changing (a conflict is reported if someone saved since)",
        ),
    )
    edit.add_argument(
        "--person-file",
        metavar="FILE",
        help=t(
            "ændrede personfelter som JSON (som ved 'infohus case add'); '-' er standardinput",
            "changed person fields as JSON (as for 'infohus case add'); '-' is standard input",
        ),
    )
    for flag in PERSON_FLAGS:
        edit.add_argument(
            f"--{flag.replace('_', '-')}",
            dest=flag,
            # As an argument it is on the process list and in the shell's history: said
            # here as well as warned at the terminal (person_input.warn_visible_arguments).
            help=t(
                f"{_PERSON_FLAG_HELP[flag][0]}; kan ses af andre brugere på computeren",
                f"{_PERSON_FLAG_HELP[flag][1]}; visible to other local users",
            ),
        )
    edit.add_argument(
        "--title",
        help=t(
            "kort overskrift på sagen, uden navne", "a short heading for the case, without names"
        ),
    )
    edit.add_argument(
        "--category",
        help=t(
            "kategoriens kode (se 'infohus case categories')",
            "the category's code (see 'infohus case categories')",
        ),
    )
    edit.add_argument(
        "--follow-up",
        type=parse_date,
        metavar=DATE_HELP,
        help=t("ny opfølgningsdato", "a new follow-up date"),
    )
    edit.add_argument(
        "--no-follow-up",
        action="store_true",
        help=t("fjern opfølgningsdatoen", "remove the follow-up date"),
    )
    edit.add_argument(
        "--lead",
        metavar="LOGIN",
        help=t("det sagsansvarlige medlem", "the lead member (sagsansvarlig)"),
    )
    edit.add_argument(
        "--lead-org",
        metavar="ORGANISATION",
        help=t(
            "den sagsansvarlige organisation: dens navn eller et ord for dens art",
            "the lead organisation: its name or a word for its kind",
        ),
    )
    edit.add_argument(
        "--participant",
        action="append",
        metavar="ORGANISATION",
        help=t(
            "en deltagende organisation (kan gentages; erstatter listen)",
            "a participating organisation (repeat; replaces the list)",
        ),
    )
    edit.add_argument(
        "--retention",
        choices=[r.value for r in RetentionClass],
        help=t("den opbevaringsregel, sagen følger", "the retention rule the case follows"),
    )
    add_approver_flags(
        edit,
        t(
            "for en opbevaring, der sletter sagen tidligere: DPO'en eller en anden koordinator",
            "for a retention that deletes the case sooner: the DPO or another coordinator",
        ),
    )
    edit.set_defaults(handler=case_edit)

    info = case.add_parser(
        "information",
        parents=both,
        help=t("oplysninger fra en myndighed", "information from an authority"),
    )
    info.add_argument("case", help=number)
    info.add_argument(
        "--authority", required=True, help=t("den myndighed, der er spurgt", "the authority asked")
    )
    info.add_argument(
        "--asked",
        type=parse_date,
        metavar=DATE_HELP,
        help=t(
            "dagen, myndigheden blev spurgt (standard: i dag)",
            "the day it was asked (default: today)",
        ),
    )
    info.add_argument(
        "--answer",
        help=t(
            "myndighedens svar: hvilke oplysninger den har (eller --answer-file)",
            "the authority's answer: what it holds (or --answer-file)",
        ),
    )
    info.add_argument(
        "--answer-file",
        metavar="FILE",
        help=t(
            "svaret fra en fil ('-' er standardinput)",
            "the answer from a file ('-' is standard input)",
        ),
    )
    info.add_argument(
        "--basis",
        required=True,
        choices=[b.value for b in LegalBasis],
        help=t("hjemlen for at indhente oplysningerne", "the legal basis for obtaining it"),
    )
    info.set_defaults(handler=case_information)

    history = case.add_parser(
        "assessments",
        parents=both,
        help=t(
            "vurderingernes historik og hvad der er ændret", "assessment history and what changed"
        ),
    )
    history.add_argument("case", help=number)
    history.set_defaults(handler=case_assessments)

    for name, handler, what in (
        (
            "indicators",
            case_indicators,
            t(
                "vis eller fastsæt boksens indikatorer til vurderinger",
                "show or set the vault's assessment indicators",
            ),
        ),
        (
            "categories",
            case_categories,
            t(
                "vis eller fastsæt boksens sagskategorier",
                "show or set the vault's case categories",
            ),
        ),
    ):
        parser = case.add_parser(name, parents=both, help=what)
        parser.add_argument(
            "--set",
            metavar="FILE",
            help=t("erstat listen (koordinator; JSON)", "replace the list (coordinator; JSON)"),
        )
        parser.set_defaults(handler=handler)
