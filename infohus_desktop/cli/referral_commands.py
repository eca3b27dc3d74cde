"""``infohus referral …``: add (prefilled from the case), edit, list, show, status, pdf, and
the coordinator's form. Field values come as ``--field key=value`` (repeat a list field's key
for each item) or as a JSON object in a file (``--json FILE``, '-' is standard input)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from infohus_desktop.cli.args import (
    DATE_HELP,
    add_file_language,
    file_language,
    parse_date,
    read_text,
)
from infohus_desktop.cli.io import emit_json, emit_table, saved_to, t, tampered_json, tampered_row
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.referral_workflow import (
    REFERRAL_STATUS_LABELS,
    SEND_METHOD_LABELS,
    ReferralStatus,
    SendMethod,
)
from infohus_desktop.domain.referrals import (
    PROGRAMME_LABELS,
    SECTION_LABELS,
    YES_NO_LABELS,
    FieldType,
    Programme,
    Referral,
    ReferralForm,
    ReferralSummary,
)
from infohus_desktop.services.core.exports import write_export
from infohus_desktop.vault.codecs.referrals import form_to_json


def _status(status: ReferralStatus) -> str:
    return t(*REFERRAL_STATUS_LABELS[status])


def summary_json(r: ReferralSummary) -> dict[str, Any]:
    shape = _summary_shape(r)
    if r.tampered:
        return tampered_json(shape, ("id", "case_id", "case"))
    return shape | {"tampered": False}


def _summary_shape(r: ReferralSummary) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "case_id": str(r.case_id),
        "case": r.case_number,
        "name": r.person_name,
        "status": r.status.value,
        "programme": r.programme.value,
        "referral_date": r.referral_date.isoformat(),
        "sent_on": r.sent_on.isoformat() if r.sent_on else None,
        "version": r.version,
    }


def referral_json(r: Referral) -> dict[str, Any]:
    return {
        **summary_json(r.summary),
        "created_by": r.created_by_login,
        "values": r.values,
        "attachments": [
            {"id": str(a.id), "filename": a.filename, "size": a.size} for a in r.attachments
        ],
        "history": [
            {
                "at": e.at.isoformat(),
                "by": e.by_login,
                "from": e.old.value if e.old else None,
                "to": e.new.value,
                "on": e.on.isoformat(),
                "reason": e.reason,
                "how": e.how.value if e.how else None,
            }
            for e in r.history
        ],
    }


def parse_fields(args: argparse.Namespace, form: ReferralForm) -> dict[str, object]:
    """``--json FILE`` first, then each ``--field key=value`` on top of it."""
    values: dict[str, object] = {}
    if getattr(args, "json_file", None):
        args.file = args.json_file
        try:
            data = json.loads(read_text(args, "file"))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise InvalidInput(
                "JSON-filen skal være et objekt {felt: værdi}.",
                "The JSON file must be an object {field: value}.",
            )
        values.update(data)
    lists: dict[str, list[str]] = {}
    for spec in getattr(args, "field", []) or []:
        key, sep, value = spec.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(
                f"Skriv felter som nøgle=værdi: {key!r}.", f"Write fields as key=value: {key!r}."
            )
        f = form.get(key)
        if f is not None and f.type is FieldType.LIST:
            lists.setdefault(key, []).append(value)
        else:
            values[key] = value
    values.update(lists)
    return values


def _value_text(referral: Referral, key: str) -> str:
    value = referral.values.get(key)
    f = referral.form.get(key)
    if isinstance(value, list):
        if key == "attachments":
            names = {str(a.id): a.filename for a in referral.attachments}
            return "; ".join(names.get(v, v) for v in value)
        return "; ".join(value)
    if not value:
        return ""
    if f is not None and f.type is FieldType.YES_NO_UNKNOWN and value in YES_NO_LABELS:
        return t(*YES_NO_LABELS[value])
    if f is not None and f.type is FieldType.CHOICE:
        for c in f.choices:
            if c.code == value:
                return t(c.label_da, c.label_en)
    return value


def _print_referral(r: Referral) -> None:
    print(
        f"{r.summary.case_number}  {_status(r.status)}  {t(*PROGRAMME_LABELS[r.summary.programme])}"
    )
    print(f"id {r.id}  version {r.version}")
    for section, fields in r.form.by_section():
        print(f"\n== {t(*SECTION_LABELS[section])}")
        for f in fields:
            mark = " *" if f.required else ""
            print(f"{t(f.label_da, f.label_en)}{mark}: {_value_text(r, f.key)}")
    print(f"\n== {t('Forløb', 'History')}")
    for e in r.history:
        how = f" ({t(*SEND_METHOD_LABELS[e.how])})" if e.how else ""
        why = f": {e.reason}" if e.reason else ""
        print(f"{e.on:%d.%m.%Y}  {_status(e.new)}{how}  {e.by_login}{why}")


# -- handlers -------------------------------------------------------------------------------


def referral_add(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        values = parse_fields(args, session.referrals.form())
        referral = session.referrals.create(
            args.case, args.programme, values, prefill=not args.no_prefill
        )
        missing = session.referrals.missing_fields(referral.values, referral.form)
    if args.json:
        emit_json(referral_json(referral))
        return 0
    print(t(f"Henvisningen er oprettet som kladde: {referral.id}", f"Draft created: {referral.id}"))
    if missing:
        da = ", ".join(f.label_da for f in missing)
        en = ", ".join(f.label_en for f in missing)
        print(t(f"Mangler før afsendelse: {da}", f"Missing before sending: {en}"))
    return 0


def referral_edit(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        values = parse_fields(args, session.referrals.form())
        referral = session.referrals.edit(args.id, args.version, values)
    if args.json:
        emit_json(referral_json(referral))
    else:
        print(t(f"Gemt (version {referral.version}).", f"Saved (version {referral.version})."))
    return 0


def referral_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        if args.case:
            items = session.referrals.for_case(args.case)
            if args.status:
                items = [r for r in items if r.status.value in args.status]
        else:
            items = session.referrals.list(args.status, args.programme)
    if args.json:
        emit_json([summary_json(r) for r in items])
        return 0
    headers = [t("Sag", "Case"), t("Navn", "Name"), "Status", t("Program", "Programme")]
    headers += [t("Dato", "Date"), "Id"]
    emit_table(
        headers,
        [
            tampered_row(6, 1, {0: r.case_number, 5: r.id.hex[:8]})
            if r.tampered
            else [
                r.case_number,
                r.person_name,
                _status(r.status),
                t(*PROGRAMME_LABELS[r.programme]),
                r.referral_date.strftime("%d.%m.%Y"),
                r.id.hex[:8],
            ]
            for r in items
        ],
    )
    return 0


def referral_show(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        referral = session.referrals.show(args.id)
    if args.json:
        emit_json(referral_json(referral))
    else:
        _print_referral(referral)
    return 0


def referral_status(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason", required=False)
    with unlocked(args) as session:
        referral = session.referrals.change_status(
            args.id, args.new_status, reason, args.how, args.date, args.version
        )
    if args.json:
        emit_json(referral_json(referral))
    else:
        print(
            t(
                f"Henvisningen er nu {_status(referral.status)}.",
                f"The referral is now {_status(referral.status)}.",
            )
        )
    return 0


def checked_target(target_name: str) -> Path:
    """The file to write, checked before anything is built (and audited) for it."""
    target = Path(target_name).expanduser().resolve()
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    return target


def write_private(target_name: str, data: bytes) -> Path:
    """Atomically, mode 0600: a private temporary file beside the target, then renamed."""
    target = checked_target(target_name)
    write_export(target, data)
    return target


def referral_pdf(args: argparse.Namespace) -> int:
    checked_target(args.out)
    with unlocked(args) as session:
        pdf = session.referrals.referral_pdf(args.id, file_language(args))
        target = write_private(args.out, pdf)
        session.referrals.record_output(args.id, "save")
    print(saved_to(target))
    return 0


def referral_form(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        settings = session.referrals.settings
        if args.form_action == "set":
            args.file = args.file_name
            try:
                data = json.loads(read_text(args, "file"))
            except ValueError:
                raise InvalidInput(
                    "Filen er ikke gyldig JSON.", "The file is not valid JSON."
                ) from None
            form = settings.set_form(data)
        elif args.form_action == "reset":
            form = settings.reset()
        else:
            form = session.referrals.form()
    if args.json or args.form_action == "show":
        emit_json(form_to_json(form))
    else:
        print(t("Formularen er gemt.", "The form was saved."))
    return 0


# -- parser ---------------------------------------------------------------------------------


def add_referral_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> Any:
    """Register `infohus referral …`; the returned subparsers take `referral export`."""
    """Register the commands on the top-level subparsers."""
    referral_parser = sub.add_parser(
        "referral", help=t("henvisninger til exitprogrammer", "referrals to exit programmes")
    )
    referral_subparsers = referral_parser.add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    referral = referral_subparsers
    statuses = [s.value for s in ReferralStatus]
    ref = t(
        "henvisningens id eller første 8+ hex-cifre (se 'infohus referral list')",
        "the referral's id or first 8+ hex digits (see 'infohus referral list')",
    )
    field = t(
        "et felt som nøgle=værdi (kan gentages; et listefelts nøgle gentages for hver værdi; "
        "se 'infohus referral form show')",
        "a field as key=value (repeatable; repeat a list field's key for each value; "
        "see 'infohus referral form show')",
    )

    add = referral.add_parser(
        "add",
        parents=both,
        help=t(
            "en kladde til en henvisning, udfyldt på forhånd fra sagen",
            "a draft referral, prefilled from the case",
        ),
    )
    add.add_argument("case", help=t("sagsnummer eller id", "case number or id"))
    add.add_argument(
        "--programme",
        required=True,
        choices=[p.value for p in Programme],
        help=t("det modtagende program", "the receiving programme"),
    )
    add.add_argument("--field", action="append", default=[], metavar="KEY=VALUE", help=field)
    add.add_argument(
        "--json-file",
        metavar="FILE",
        help=t(
            "feltværdier som et JSON-objekt (--json udskriver JSON)",
            "field values as a JSON object (--json prints JSON)",
        ),
    )
    add.add_argument(
        "--no-prefill",
        action="store_true",
        help=t("begynd med en tom formular", "start from an empty form"),
    )
    add.set_defaults(handler=referral_add)

    edit = referral.add_parser(
        "edit", parents=both, help=t("ret felter i en kladde", "change fields of a draft")
    )
    edit.add_argument("id", help=ref)
    edit.add_argument(
        "--version",
        type=int,
        required=True,
        help=t("den version, du retter", "the version you are editing"),
    )
    edit.add_argument("--field", action="append", default=[], metavar="KEY=VALUE", help=field)
    edit.add_argument(
        "--json-file",
        metavar="FILE",
        help=t(
            "feltværdier som et JSON-objekt (--json udskriver JSON)",
            "field values as a JSON object (--json prints JSON)",
        ),
    )
    edit.set_defaults(handler=referral_edit)

    lst = referral.add_parser(
        "list",
        parents=both,
        help=t("henvisninger i de sager, du kan læse", "referrals of the cases you can read"),
    )
    lst.add_argument(
        "--status",
        action="append",
        default=[],
        choices=statuses,
        help=t("kun denne status (kan gentages)", "only this status (repeatable)"),
    )
    lst.add_argument(
        "--programme",
        action="append",
        default=[],
        choices=[p.value for p in Programme],
        help=t("kun dette program (kan gentages)", "only this programme (repeatable)"),
    )
    lst.add_argument("--case", help=t("kun denne sags henvisninger", "only this case's referrals"))
    lst.set_defaults(handler=referral_list)

    show = referral.add_parser(
        "show", parents=both, help=t("en henvisning med dens formular", "a referral with its form")
    )
    show.add_argument("id", help=ref)
    show.set_defaults(handler=referral_show)

    status = referral.add_parser(
        "status",
        parents=both,
        help=t("før henvisningen videre til næste trin", "move the referral on"),
    )
    status.add_argument("id", help=ref)
    status.add_argument(
        "new_status",
        metavar="NEW_STATUS",
        choices=statuses,
        help=t("den nye status: %(choices)s", "the new status: %(choices)s"),
    )
    status.add_argument("--reason", help=t("begrundelse eller resultat", "reason or outcome"))
    status.add_argument(
        "--reason-file",
        metavar="FILE",
        help=t(
            "begrundelse eller resultat fra en fil ('-' er standardinput)",
            "reason or outcome from a file ('-' is standard input)",
        ),
    )
    status.add_argument(
        "--how",
        choices=[m.value for m in SendMethod],
        help=t("hvordan den blev sendt", "how it was sent"),
    )
    status.add_argument(
        "--date",
        type=parse_date,
        metavar=DATE_HELP,
        help=t("dagen (standard: i dag)", "the day (default today)"),
    )
    status.add_argument("--version", type=int, help=t("den version, du så", "the version you saw"))
    status.set_defaults(handler=referral_status)

    pdf = referral.add_parser(
        "pdf", parents=both, help=t("henvisningsformularen som PDF", "the referral form as PDF")
    )
    pdf.add_argument("id", help=ref)
    pdf.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=t("PDF-filen, der skal skrives", "the PDF file to write"),
    )
    add_file_language(pdf, "formularens", "the form")
    pdf.set_defaults(handler=referral_pdf)

    form = referral.add_parser(
        "form", help=t("boksens henvisningsformular", "the vault's referral form")
    ).add_subparsers(dest="form_action", required=True, metavar="ACTION")
    f_show = form.add_parser(
        "show", parents=both, help=t("henvisningsformularens felter", "the referral form's fields")
    )
    f_set = form.add_parser(
        "set",
        parents=both,
        help=t("erstat formularen (koordinator)", "replace the form (coordinator)"),
    )
    f_set.add_argument(
        "file_name",
        metavar="FILE",
        help=t("formularen som JSON ('-': standardinput)", "the form as JSON ('-': stdin)"),
    )
    f_reset = form.add_parser(
        "reset", parents=both, help=t("tilbage til standardformularen", "back to the shipped form")
    )
    for parser in (f_show, f_set, f_reset):
        parser.set_defaults(handler=referral_form)

    return referral_subparsers
