"""The words of what goes between Infohuse: referrals, their form, and the encrypted bundles
that carry a referral or a whole case (services/referrals and services/cases/transfer.py
write them)."""

from __future__ import annotations

import re
from collections.abc import Callable

from infohus_desktop.domain.audit_words.cases import UUID
from infohus_desktop.domain.audit_words.parts import (
    Names,
    Pair,
    Part,
    Reader,
    amount,
    by_value,
    either,
    fixed,
    ident,
    joined,
    keyed,
    quoted_items,
    same,
    shaped,
)
from infohus_desktop.domain.bundles import REJECT_MESSAGES
from infohus_desktop.domain.referral_workflow import REFERRAL_STATUS_LABELS
from infohus_desktop.domain.referrals import DEFAULT_FIELDS, PROGRAMME_LABELS

_REFERRAL_STATUSES = by_value(REFERRAL_STATUS_LABELS)
_PROGRAMMES = by_value(PROGRAMME_LABELS)
#: The shipped form's fields by key; a field the Infohus added is named by its key.
_FORM_FIELDS: dict[str, Pair] = {f.key: (f.label_da, f.label_en) for f in DEFAULT_FIELDS}
_REASONS: dict[str, Pair] = {
    str(reason.value): (da.rstrip("."), en.rstrip("."))
    for reason, (da, en) in REJECT_MESSAGES.items()
}
_ATTACHMENTS = amount(("{n} bilag", "{n} bilag"), ("{n} attachment", "{n} attachments"))


def _said(found: list[Pair | None]) -> list[Pair] | None:
    """Every part in words, or None (the detail is then shown as stored)."""
    return None if any(part is None for part in found) else [p for p in found if p is not None]


def _sentence(*parts: Pair | None) -> Pair | None:
    said = _said(list(parts))
    return None if said is None else joined(said)


def _enum_list(labels: dict[str, Pair], da: str, en: str) -> Part:
    """``['sendt']``: the codes a referral list was filtered by; before 2026-12 the list of
    the enums' ``repr`` (``[<ReferralStatus.SENT: 'sendt'>]``), which old entries keep. An
    empty list chose nothing and says nothing."""

    def part(value: str, _names: Names) -> Pair | None:
        inner = value[1:-1] if value.startswith("[") and value.endswith("]") else None
        if inner is None:
            return None
        found = quoted_items(value)
        if found is None:
            found = re.findall(r"<\w+\.\w+: '([^']*)'>", inner)
            if re.sub(r"<\w+\.\w+: '[^']*'>|,|\s", "", inner):
                return None  # something else in the list: shown as stored
        if not found:
            return ("", "")
        said = joined([labels.get(code, same(code)) for code in found])
        return (da.format(v=said[0]), en.format(v=said[1]))

    return part


_LIST_PARTS = keyed(
    {
        "statuses": _enum_list(_REFERRAL_STATUSES, "status: {v}", "status: {v}"),
        "programmes": _enum_list(_PROGRAMMES, "modtager: {v}", "recipient: {v}"),
    }
)


def _handed_over(match: re.Match[str], names: Names) -> Pair | None:
    """``to <recipient> [approved_by=<login>]``: a handover by bundle, and its approver."""
    to = ident("Til modtager {v}", "To recipient {v}")(match.group(1), names)
    if to is None or match.group(2) is None:
        return to
    approver = match.group(2)
    return (f"{to[0]}, godkendt af {approver}", f"{to[1]}, approved by {approver}")


def _referral_list(detail: str, names: Names) -> Pair | None:
    said = _LIST_PARTS(detail, names)
    if said is None:
        return None
    da = ", ".join(p for p in said[0].split(", ") if p)
    en = ", ".join(p for p in said[1].split(", ") if p)
    return (da, en) if da else ("Alle henvisninger", "All referrals")


def _form_change(detail: str, _names: Names) -> Pair | None:
    """The coordinator's change of the referral form: ``add <key>``, ``required <key>=True``."""
    match = re.fullmatch(r"(add|remove|rename|required) (\S+?)(?:=(True|False))?", detail)
    if match is None:
        return fixed(
            {
                "set": ("Hele skemaet indlæst", "The whole form loaded"),
                "reset": ("Sat tilbage til standardskemaet", "Reset to the standard form"),
                "reorder": ("Felterne ordnet", "Fields reordered"),
            }
        )(detail, _names)
    verb, key, required = match.groups()
    if (verb == "required") != (required is not None):
        return None
    field = _FORM_FIELDS.get(key, same(key))
    words = {
        "add": ("Felt tilføjet", "Field added"),
        "remove": ("Felt fjernet", "Field removed"),
        "rename": ("Felt omdøbt", "Field renamed"),
        "required": (
            ("Felt gjort obligatorisk", "Field made required")
            if required == "True"
            else ("Felt gjort valgfrit", "Field made optional")
        ),
    }[verb]
    return (f"{words[0]}: {field[0]}", f"{words[1]}: {field[1]}")


def _edited(match: re.Match[str], names: Names) -> Pair | None:
    fields = [_FORM_FIELDS.get(key, same(key)) for key in match.group(2).split(",")]
    return _sentence(
        ident("Henvisning {v}", "Referral {v}")(match.group(1), names),
        joined([("felter: ", "fields: "), joined(fields)], ""),
    )


def _status(match: re.Match[str], names: Names) -> Pair | None:
    old = _REFERRAL_STATUSES.get(match.group(2), same(match.group(2)))
    new = _REFERRAL_STATUSES.get(match.group(3), same(match.group(3)))
    return _sentence(
        ident("Henvisning {v}", "Referral {v}")(match.group(1), names),
        (f"{old[0]} → {new[0]}", f"{old[1]} → {new[1]}"),
    )


def _reason(da: str, en: str) -> Callable[[re.Match[str], Names], Pair]:
    """``reason <code>``: why a bundle was refused, as its error message says it."""

    def build(match: re.Match[str], _names: Names) -> Pair:
        said = _REASONS.get(match.group(1), same(match.group(1)))
        return (f"{da}: {said[0]}", f"{en}: {said[1]}")

    return build


_REFERRAL = ident("Henvisning {v}", "Referral {v}")
_RECIPIENT = ident("modtager {v}", "recipient {v}")
_SENDER = ident("Fra afsender {v}", "From sender {v}")

#: Action code → the reader of its detail.
WORDS: dict[str, Reader] = {
    "referral.create": _REFERRAL,
    "referral.read": _REFERRAL,
    "referral.pdf": _REFERRAL,
    "referral.print": _REFERRAL,
    "referral.save": _REFERRAL,
    "referral.edit": shaped(rf"({UUID}) (\S+)", _edited),
    "referral.status": shaped(rf"({UUID}) ([^\s>-]+)->([^\s>-]+)", _status),
    "referral.list": _referral_list,
    "referral.form.change": _form_change,
    "referral.incoming.read": ident("Bilag {v}", "Attachment {v}"),
    "referral.incoming.store": shaped(
        rf"bundle ({UUID}) (\d+) attachments",
        lambda m, n: _sentence(
            ident("Pakke {v}", "Bundle {v}")(m.group(1), n), _ATTACHMENTS(m.group(2), n)
        ),
    ),
    "referral.tampered": lambda d, _n: (f"Henvisning {d}", f"Referral {d}"),
    "bundle.export": either(
        shaped(
            rf"case-transfer to ({UUID}) attachments (\d+)",
            lambda m, n: _sentence(
                ("Sagen overdraget", "The case handed over"),
                _RECIPIENT(m.group(1), n),
                _ATTACHMENTS(m.group(2), n),
            ),
        ),
        shaped(
            rf"referral ({UUID}) to ({UUID}) attachments (\d+)",
            lambda m, n: _sentence(
                _REFERRAL(m.group(1), n), _RECIPIENT(m.group(2), n), _ATTACHMENTS(m.group(3), n)
            ),
        ),
    ),
    "case.transfer": either(
        shaped(
            rf"to ({UUID})(?: approved_by=(\S+))?",
            lambda m, n: _handed_over(m, n),
        ),
        fixed({"outside": ("Overdraget uden om programmet", "Handed over outside the program")}),
        shaped(
            r"outside approved_by=(\S+)",
            lambda m, _n: (
                f"Overdraget uden om programmet, godkendt af {m.group(1)}",
                f"Handed over outside the program, approved by {m.group(1)}",
            ),
        ),
    ),
    "case.import": shaped(
        rf"bundle ({UUID}) original=(\S+) attachments=(\d+)",
        lambda m, n: _sentence(
            ident("Pakke {v}", "Bundle {v}")(m.group(1), n),
            (f"sagsnummer hos afsender {m.group(2)}", f"sender's case number {m.group(2)}"),
            _ATTACHMENTS(m.group(3), n),
        ),
    ),
    "bundle.import": shaped(
        rf"from ({UUID}) (incoming|case) ({UUID}) attachments (\d+)",
        lambda m, n: _sentence(
            _SENDER(m.group(1), n),
            (
                ident("modtaget henvisning {v}", "received referral {v}")
                if m.group(2) == "incoming"
                else ident("ny sag {v}", "new case {v}")
            )(m.group(3), n),
            _ATTACHMENTS(m.group(4), n),
        ),
    ),
    "bundle.import.rejected": shaped(r"reason (\S+)", _reason("Afvist", "Refused")),
    "bundle.inspect": either(
        shaped(rf"from ({UUID})", lambda m, n: _SENDER(m.group(1), n)),
        shaped(r"rejected (\S+)", _reason("Afvist", "Refused")),
    ),
    "bundle.recipient.add": shaped(
        r"fingerprint (\S.*)",  # in groups of four, as the key card prints it
        lambda m, _n: (f"Fingeraftryk {m.group(1)}", f"Fingerprint {m.group(1)}"),
    ),
}
