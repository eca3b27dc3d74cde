"""The vault's referral form: the shipped fields as a coordinator has adjusted them.

Like the case categories and indicators (``cases/settings.py``) the form is vocabulary, never
personal data, so it is stored in clear in ``vault_settings`` as JSON, signed by the
coordinator who set it (services/core/signed_settings.py): a label changed by SQL would
change what a consent answer seems to say. A coordinator may add
custom fields, rename labels, reorder, and mark fields required or not; the built-in fields
(the service depends on them: the programme, the consent answers, the birth date) can be
renamed and moved but never removed or retyped. A field removed from the form stays readable
in the referrals that already hold a value for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referrals import (
    ALWAYS_REQUIRED,
    DEFAULT_FIELDS,
    DEFAULT_FORM,
    KEY_PATTERN,
    Choice,
    FieldType,
    FormField,
    ReferralAction,
    ReferralForm,
    Section,
)
from infohus_desktop.services.core import signed_settings
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.core.signed_settings import SignedSetting
from infohus_desktop.vault.codecs.referrals import form_from_json, form_to_json

FORM_KEY = "referral.form"
MAX_FIELDS = 80
_DEFAULTS = {f.key: f for f in DEFAULT_FIELDS}


def _no_field(key: str) -> InvalidInput:
    return InvalidInput(f"Formularen har intet felt »{key}«.", f"The form has no field '{key}'.")


def _label(value: object, what_da: str, what_en: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > 120 or any(ch in text for ch in "\r\n"):
        raise InvalidInput(
            f"{what_da} skal være 1-120 tegn på én linje.",
            f"{what_en} must be 1-120 characters on one line.",
        )
    return text


def checked_form(fields: Sequence[FormField]) -> ReferralForm:
    """A form a coordinator may save: unique keys, every built-in field present as shipped
    (type, section and choices), choice fields with choices, the programme required."""
    seen: set[str] = set()
    out: list[FormField] = []
    for f in fields:
        if not KEY_PATTERN.match(f.key):
            raise InvalidInput(
                f"Feltnøglen {f.key!r} skal være 2-40 tegn a-z, 0-9 eller _, først et bogstav.",
                f"Field key {f.key!r} must be 2-40 characters a-z, 0-9 or _, first a letter.",
            )
        if f.key in seen:
            raise InvalidInput(f"Feltet {f.key} står to gange.", f"Field {f.key} appears twice.")
        seen.add(f.key)
        _label(f.label_da, f"Den danske tekst for {f.key}", f"The Danish label of {f.key}")
        _label(f.label_en, f"Den engelske tekst for {f.key}", f"The English label of {f.key}")
        shipped = _DEFAULTS.get(f.key)
        if shipped is not None:
            f = replace(f, type=shipped.type, choices=shipped.choices, builtin=True)
        elif f.builtin:
            f = replace(f, builtin=False)
        if f.type is FieldType.CHOICE and not f.choices:
            raise InvalidInput(
                f"Valgfeltet {f.key} skal have mindst ét valg.",
                f"Choice field {f.key} needs at least one choice.",
            )
        if f.key in ALWAYS_REQUIRED and not f.required:
            f = replace(f, required=True)
        out.append(f)
    for shipped in DEFAULT_FIELDS:
        if shipped.key not in seen:
            out.append(shipped)  # a built-in field cannot be removed: it comes back as shipped
    if len(out) > MAX_FIELDS:
        raise InvalidInput(
            f"Formularen kan højst have {MAX_FIELDS} felter.",
            f"The form can have at most {MAX_FIELDS} fields.",
        )
    return ReferralForm(tuple(out))


def form_from_input(data: object) -> ReferralForm:
    """A whole form as JSON (the CLI's ``--json`` file): checked, with clear messages."""
    try:
        form = form_from_json(data)
    except TamperedData:
        raise InvalidInput(
            "Formularen skal være en JSON-liste af felter med key, label_da, label_en, type, "
            "required, order, section og choices.",
            "The form must be a JSON list of fields with key, label_da, label_en, type, "
            "required, order, section and choices.",
        ) from None
    return checked_form(form.fields)


def _form_json(data: object) -> object:
    return form_to_json(form_from_input(data))


FORM = SignedSetting(
    FORM_KEY,
    "referral-form",
    "Henvisningsformularen er ændret uden om programmet, og ingen henvisning kan udfyldes.",
    "The referral form was changed outside the program, and no referral can be filled in.",
    "En koordinator må gemme den igen (Henvisninger → Formular …).",
    "A coordinator must save it again (Referrals → Form …).",
    _form_json,
)


class ReferralFormSettings:
    """Read by every member (vocabulary); changed by a coordinator, audited."""

    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def form(self, session: Session | None = None) -> ReferralForm:
        """The vault's form; :class:`TamperedData` when it does not verify."""
        if session is None:
            with self.ms.uow() as own:
                return self.form(own)
        stored = signed_settings.read(self.ms, session, FORM).value
        if stored is None:
            return DEFAULT_FORM
        try:
            return checked_form(form_from_json(stored).fields)
        except (InvalidInput, TamperedData):
            # Only an unsigned form from an earlier version can fail here (a signed one was
            # checked before it was signed): it must not stop referrals.
            return DEFAULT_FORM

    def for_editing(self) -> tuple[ReferralForm, bool]:
        """The form the coordinator's editor starts from, and whether the stored one was
        changed outside the program (then the shipped form, to be saved again)."""
        self.ms.require()
        try:
            return self.form(), False
        except TamperedData:
            return DEFAULT_FORM, True

    def _save(self, form: ReferralForm, detail: str) -> ReferralForm:
        self.ms.require(Role.COORDINATOR)
        form = checked_form(form.fields)
        with self.ms.transaction() as session:
            signed_settings.write(self.ms, session, FORM, form_to_json(form))
            self.ms.record(session, ReferralAction.FORM_CHANGE, None, detail=detail)
        return form

    def set_form(self, data: object) -> ReferralForm:
        """Replace the whole form (JSON as :func:`form_to_json` writes it)."""
        self.ms.require(Role.COORDINATOR)
        return self._save(form_from_input(data), "set")

    def reset(self) -> ReferralForm:
        return self._save(DEFAULT_FORM, "reset")

    def add_field(
        self,
        key: str,
        label_da: str,
        label_en: str,
        type_: FieldType | str,
        section: Section | str = Section.OTHER,
        required: bool = False,
        choices: Sequence[tuple[str, str, str]] = (),
    ) -> ReferralForm:
        """Add a custom field at the end of its section."""
        self.ms.require(Role.COORDINATOR)
        form = self.form()
        if form.get(key) is not None:
            raise InvalidInput(f"Feltet {key} findes allerede.", f"Field {key} already exists.")
        try:
            kind, where = FieldType(type_), Section(section)
        except ValueError:
            types = ", ".join(t.value for t in FieldType)
            sections = ", ".join(s.value for s in Section)
            raise InvalidInput(
                f"Type skal være en af {types}; afsnit en af {sections}.",
                f"Type must be one of {types}; section one of {sections}.",
            ) from None
        in_section = [f.order for f in form.fields if f.section is where]
        order = (max(in_section) if in_section else max(f.order for f in form.fields)) + 1
        new = FormField(
            key.strip(),
            label_da.strip(),
            label_en.strip(),
            kind,
            required,
            order,
            where,
            tuple(Choice(*c) for c in choices),
            builtin=False,
        )
        return self._save(ReferralForm((*form.fields, new)), f"add {key}")

    def remove_field(self, key: str) -> ReferralForm:
        self.ms.require(Role.COORDINATOR)
        form = self.form()
        f = form.get(key)
        if f is None:
            raise _no_field(key)
        if f.builtin:
            raise InvalidInput(
                f"Feltet {key} hører til standardformularen og kan ikke fjernes.",
                f"Field {key} belongs to the standard form and cannot be removed.",
            )
        return self._save(
            ReferralForm(tuple(x for x in form.fields if x.key != key)), f"remove {key}"
        )

    def rename(
        self, key: str, label_da: str | None = None, label_en: str | None = None
    ) -> ReferralForm:
        self.ms.require(Role.COORDINATOR)
        form = self.form()
        f = form.get(key)
        if f is None:
            raise _no_field(key)
        changed = replace(
            f,
            label_da=f.label_da if label_da is None else label_da.strip(),
            label_en=f.label_en if label_en is None else label_en.strip(),
        )
        fields = tuple(changed if x.key == key else x for x in form.fields)
        return self._save(ReferralForm(fields), f"rename {key}")

    def set_required(self, key: str, required: bool) -> ReferralForm:
        self.ms.require(Role.COORDINATOR)
        form = self.form()
        f = form.get(key)
        if f is None:
            raise _no_field(key)
        if key in ALWAYS_REQUIRED and not required:
            raise InvalidInput(
                f"Feltet {key} er altid påkrævet.", f"Field {key} is always required."
            )
        fields = tuple(replace(x, required=required) if x.key == key else x for x in form.fields)
        return self._save(ReferralForm(fields), f"required {key}={required}")

    def reorder(self, keys: Sequence[str]) -> ReferralForm:
        """Put the named fields first, in this order; the others follow as they were."""
        self.ms.require(Role.COORDINATOR)
        form = self.form()
        for key in keys:
            if form.get(key) is None:
                raise _no_field(key)
        if len(set(keys)) != len(keys):
            raise InvalidInput("Et felt står to gange.", "A field appears twice.")
        rest = [f.key for f in form.fields if f.key not in set(keys)]
        position = {key: (n + 1) * 10 for n, key in enumerate([*keys, *rest])}
        fields = tuple(replace(f, order=position[f.key]) for f in form.fields)
        return self._save(ReferralForm(fields), "reorder")


def form_json(form: ReferralForm) -> list[dict[str, Any]]:
    """The JSON form of a form (CLI output, bundle payload)."""
    return form_to_json(form)
