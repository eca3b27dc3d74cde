"""The referral to an exit programme (*henvisning*, DOMAIN.md "Referral"): its form and the data
it carries.

No public national form exists, so the form is the Infohus's own: :data:`DEFAULT_FIELDS` is a
sensible default that a coordinator adjusts per vault (add fields, rename labels, reorder, mark
required; ``services/referrals/settings.py``). A referral's content is a mapping of field key to
value, JSON-native so that it seals as one payload and travels unchanged in a bundle:

- ``text``, ``long_text``, ``choice`` (a choice code), ``yes_no_unknown`` (``ja``/``nej``/
  ``ukendt``) and ``date`` (ISO ``YYYY-MM-DD``) hold a ``str``; empty is ``""``.
- ``list`` holds a ``list[str]`` (one line per item); empty is ``[]``.

The workflow lives in :mod:`infohus_desktop.domain.referral_workflow`.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod

#: The value of one field: text/choice/date/yes-no as ``str``, a list as ``list[str]``.
FieldValue = str | list[str]

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_TEXT = 20_000  # characters in one field; a referral is a form, not a case file
MAX_ITEMS = 200  # items in one list field


class ReferralAction(enum.StrEnum):
    """Audit actions of the referral feature."""

    CREATE = "referral.create"
    EDIT = "referral.edit"
    STATUS = "referral.status"
    READ = "referral.read"
    LIST = "referral.list"
    CASE_LIST = "referral.case_list"
    PDF = "referral.pdf"
    PRINT = "referral.print"
    SAVE = "referral.save"
    FORM_CHANGE = "referral.form.change"
    INCOMING_STORE = "referral.incoming.store"
    INCOMING_LIST = "referral.incoming.list"
    INCOMING_READ = "referral.incoming.read"
    INCOMING_PDF = "referral.incoming.pdf"
    INCOMING_PRINT = "referral.incoming.print"
    INCOMING_SAVE = "referral.incoming.save"
    #: A read met a referral (or a received one) changed outside the program.
    TAMPERED = "referral.tampered"


class FieldType(enum.StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    YES_NO_UNKNOWN = "yes_no_unknown"
    DATE = "date"
    LIST = "list"


class Section(enum.StrEnum):
    """Headings of the form, in the order the form and the PDF show them."""

    RECIPIENT = "modtager"
    REFERRER = "henviser"
    PERSON = "person"
    GROUNDS = "begrundelse"
    CONSENT = "samtykke"
    PRACTICAL = "praktisk"
    OTHER = "oevrigt"


SECTION_LABELS: dict[Section, tuple[str, str]] = {
    Section.RECIPIENT: ("Modtager", "Recipient"),
    Section.REFERRER: ("Henviser", "Referred by"),
    Section.PERSON: ("Personen", "The person"),
    Section.GROUNDS: ("Begrundelse og vurdering", "Grounds and assessment"),
    Section.CONSENT: ("Kendskab og samtykke", "Knowledge and consent"),
    Section.PRACTICAL: ("Hastegrad, kontakt og bilag", "Urgency, contacts and attachments"),
    Section.OTHER: ("Øvrige oplysninger", "Other information"),
}


class Programme(enum.StrEnum):
    """The recipient programme: a clear code, so lists can filter and statistics count."""

    PET_EXIT = "pet_exit"
    MUNICIPAL_EXIT = "kommunal_exit"
    KRIMINALFORSORGEN = "kriminalforsorgen"
    OTHER = "andet"


PROGRAMME_LABELS: dict[Programme, tuple[str, str]] = {
    Programme.PET_EXIT: ("PET's exitprogram (EXIT)", "PET's exit programme (EXIT)"),
    Programme.MUNICIPAL_EXIT: ("Kommunalt exitprogram", "Municipal exit programme"),
    Programme.KRIMINALFORSORGEN: ("Kriminalforsorgen", "Prison and Probation Service"),
    Programme.OTHER: ("Anden modtager", "Other recipient"),
}

YES, NO, UNKNOWN = "ja", "nej", "ukendt"
YES_NO_LABELS: dict[str, tuple[str, str]] = {
    YES: ("Ja", "Yes"),
    NO: ("Nej", "No"),
    UNKNOWN: ("Ukendt", "Unknown"),
}


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label_da: str
    label_en: str


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of the form. ``builtin`` fields are known to the service (the programme, the
    consent answers, the person's birth date): they can be renamed, reordered and made
    required, but never removed or retyped."""

    key: str
    label_da: str
    label_en: str
    type: FieldType
    required: bool
    order: int
    section: Section
    choices: tuple[Choice, ...] = ()
    builtin: bool = True

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_da

    def empty(self) -> FieldValue:
        return [] if self.type is FieldType.LIST else ""


def _c(code: str, da: str, en: str) -> Choice:
    return Choice(code, da, en)


_T, _L, _CH = FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE
_YN, _D, _LI = FieldType.YES_NO_UNKNOWN, FieldType.DATE, FieldType.LIST
_S = Section

URGENCY_CHOICES = (
    _c("normal", "Normal", "Normal"),
    _c("haster", "Haster", "Urgent"),
    _c("akut", "Akut", "Acute"),
)
LEGAL_BASIS_CHOICES = (
    _c("samtykke", "Samtykke", "Consent"),
    _c("rpl_115", "Retsplejelovens § 115", "Administration of Justice Act s. 115"),
    _c("barnets_lov", "Barnets lov", "Children's Act"),
    _c("serviceloven", "Serviceloven", "Social Services Act"),
    _c("andet", "Andet (se bemærkning)", "Other (see note)"),
)


def _f(
    order: int,
    key: str,
    da: str,
    en: str,
    type_: FieldType,
    section: Section,
    required: bool = False,
    choices: tuple[Choice, ...] = (),
) -> FormField:
    return FormField(key, da, en, type_, required, order, section, choices)


#: The shipped form. Keys are stable: stored referrals and bundles refer to them.
DEFAULT_FIELDS: tuple[FormField, ...] = (
    _f(10, "programme", "Modtagerprogram", "Recipient programme", _CH, _S.RECIPIENT, True,
       tuple(_c(p.value, *PROGRAMME_LABELS[p]) for p in Programme)),
    _f(20, "recipient_unit", "Modtagende enhed", "Receiving unit", _T, _S.RECIPIENT),
    _f(30, "referring_organisation", "Henvisende myndighed", "Referring authority", _T,
       _S.REFERRER, True),
    _f(40, "referring_contact", "Kontaktperson hos henviser (navn, telefon, e-mail)",
       "Contact at the referrer (name, phone, e-mail)", _T, _S.REFERRER, True),
    _f(50, "person_name", "Navn", "Name", _T, _S.PERSON, True),
    _f(60, "person_cpr", "CPR-nummer", "CPR number", _T, _S.PERSON),
    _f(70, "person_birth_date", "Fødselsdato", "Date of birth", _D, _S.PERSON),
    _f(80, "person_address", "Adresse", "Address", _T, _S.PERSON),
    _f(90, "person_municipality", "Bopælskommune", "Municipality of residence", _T, _S.PERSON),
    _f(100, "person_contact", "Telefon og e-mail", "Phone and e-mail", _T, _S.PERSON),
    _f(110, "guardians", "Forældremyndighedsindehavere", "Guardians", _LI, _S.PERSON),
    _f(120, "concern", "Bekymringen", "The concern", _L, _S.GROUNDS),
    _f(130, "reason", "Begrundelse for henvisningen", "Reason for the referral", _L,
       _S.GROUNDS, True),
    _f(140, "assessment_summary", "Sammenfatning af vurderingen", "Assessment summary", _L,
       _S.GROUNDS),
    _f(150, "risk_factors", "Risikofaktorer", "Risk factors", _LI, _S.GROUNDS),
    _f(160, "protective_factors", "Beskyttende faktorer", "Protective factors", _LI, _S.GROUNDS),
    _f(170, "measures_tried", "Afprøvede indsatser", "Measures tried", _LI, _S.GROUNDS),
    _f(180, "person_informed", "Personen er orienteret om henvisningen",
       "The person knows of the referral", _YN, _S.CONSENT, True),
    _f(190, "person_consent", "Personen samtykker til henvisningen",
       "The person consents to the referral", _YN, _S.CONSENT, True),
    _f(200, "guardians_informed", "Forældremyndighedsindehaverne er orienteret (under 18 år)",
       "The guardians know of the referral (under 18)", _YN, _S.CONSENT),
    _f(210, "guardians_consent", "Forældremyndighedsindehaverne samtykker (under 18 år)",
       "The guardians consent (under 18)", _YN, _S.CONSENT),
    _f(220, "consent_note", "Bemærkning om samtykke", "Note on consent", _L, _S.CONSENT),
    _f(230, "urgency", "Hastegrad", "Urgency", _CH, _S.PRACTICAL, True, URGENCY_CHOICES),
    _f(240, "contact_persons", "Kontaktpersoner", "Contact persons", _LI, _S.PRACTICAL),
    _f(250, "attachments", "Bilag", "Attachments", _LI, _S.PRACTICAL),
    _f(260, "legal_basis", "Hjemmel til videregivelse", "Legal basis for disclosure", _CH,
       _S.PRACTICAL, True, LEGAL_BASIS_CHOICES),
    _f(270, "legal_basis_note", "Bemærkning om hjemmel", "Note on the legal basis", _T,
       _S.PRACTICAL),
)  # fmt: skip

BUILTIN_KEYS = frozenset(f.key for f in DEFAULT_FIELDS)
#: Fields whose ``required`` flag a coordinator cannot lift: the service depends on them.
ALWAYS_REQUIRED = frozenset({"programme"})


@dataclass(frozen=True, slots=True)
class ReferralForm:
    """A vault's form: its fields in display order."""

    fields: tuple[FormField, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(sorted(self.fields, key=lambda f: f.order)))

    def get(self, key: str) -> FormField | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def by_section(self) -> list[tuple[Section, list[FormField]]]:
        """Sections in their fixed order, each with its fields in form order."""
        return [
            (section, [f for f in self.fields if f.section is section])
            for section in Section
            if any(f.section is section for f in self.fields)
        ]


DEFAULT_FORM = ReferralForm(DEFAULT_FIELDS)


def _bad_value(f: FormField, da: str, en: str) -> InvalidInput:
    return InvalidInput(f"Feltet »{f.label_da}«: {da}", f"The field '{f.label_en}': {en}")


def check_value(f: FormField, value: object) -> FieldValue:
    """The value normalised for its field; :class:`InvalidInput` naming the field if wrong."""
    if f.type is FieldType.LIST:
        if isinstance(value, str):
            value = [line for line in value.splitlines()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _bad_value(f, "skal være en liste af tekster.", "must be a list of texts.")
        items = [v.strip() for v in value if v.strip()]
        if len(items) > MAX_ITEMS or any(len(v) > MAX_TEXT for v in items):
            raise _bad_value(f, "listen er for lang.", "the list is too long.")
        return items
    if not isinstance(value, str):
        raise _bad_value(f, "skal være tekst.", "must be text.")
    text = value.strip() if f.type is not FieldType.LONG_TEXT else value.rstrip()
    if len(text) > MAX_TEXT:
        raise _bad_value(
            f, f"højst {MAX_TEXT} tegn er tilladt.", f"at most {MAX_TEXT} characters allowed."
        )
    if not text:
        return ""
    if f.type is FieldType.CHOICE and text not in {c.code for c in f.choices}:
        codes = ", ".join(c.code for c in f.choices)
        raise _bad_value(f, f"vælg en af {codes}.", f"choose one of {codes}.")
    if f.type is FieldType.YES_NO_UNKNOWN and text not in YES_NO_LABELS:
        raise _bad_value(f, "svar ja, nej eller ukendt.", "answer ja, nej or ukendt.")
    if f.type is FieldType.DATE:
        try:
            text = date.fromisoformat(text).isoformat()
        except ValueError:
            raise _bad_value(
                f, "skriv datoen som ÅÅÅÅ-MM-DD.", "write the date as YYYY-MM-DD."
            ) from None
    return text


def check_values(form: ReferralForm, values: Mapping[str, object]) -> dict[str, FieldValue]:
    """Normalise the given values; unknown keys are refused (a typo must not vanish)."""
    out: dict[str, FieldValue] = {}
    for key, value in values.items():
        f = form.get(key)
        if f is None:
            raise InvalidInput(
                f"Formularen har intet felt »{key}«.", f"The form has no field '{key}'."
            )
        out[key] = check_value(f, value)
    return out


def is_answered(value: FieldValue | None) -> bool:
    return bool(value)


def missing_required(form: ReferralForm, values: Mapping[str, FieldValue]) -> list[FormField]:
    return [f for f in form.fields if f.required and not is_answered(values.get(f.key))]


def required_error(missing: list[FormField]) -> InvalidInput:
    """One message listing every missing field, in form order."""
    da = ", ".join(f"»{f.label_da}«" for f in missing)
    en = ", ".join(f"'{f.label_en}'" for f in missing)
    return InvalidInput(f"Udfyld de påkrævede felter: {da}.", f"Fill in the required fields: {en}.")


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """One step of the workflow: who, when, why, and for ``sendt`` how."""

    at: datetime
    by_login: str
    old: ReferralStatus | None
    new: ReferralStatus
    on: date
    reason: str = ""
    how: SendMethod | None = None


@dataclass(frozen=True, slots=True)
class ReferralSummary:
    """One row of a referral list: clear columns and the case number, nothing decrypted."""

    id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    status: ReferralStatus
    programme: Programme
    referral_date: date
    sent_on: date | None
    updated_at: datetime
    version: int
    person_name: str = ""  # from the case summary the member already decrypted
    #: Changed outside the program (its sealed copy does not match): listed so it is seen,
    #: never opened; only the case number is shown.
    tampered: bool = False


@dataclass(frozen=True, slots=True)
class Referral:
    """A whole referral as a member may read it. ``form`` is the vault's form at reading time;
    ``values`` may hold keys of fields a coordinator has since removed (kept, not lost)."""

    summary: ReferralSummary
    values: dict[str, FieldValue]
    history: tuple[StatusEvent, ...]
    form: ReferralForm = field(default=DEFAULT_FORM)
    created_by_login: str = ""
    #: The case attachments named in the ``attachments`` field that still exist.
    attachments: tuple[AttachmentInfo, ...] = ()

    @property
    def id(self) -> uuid.UUID:
        return self.summary.id

    @property
    def status(self) -> ReferralStatus:
        return self.summary.status

    @property
    def version(self) -> int:
        return self.summary.version


@dataclass(frozen=True, slots=True)
class IncomingReferral:
    """A referral received in a bundle from another organisation: its values with the
    sender's own field definitions, so it reads as it was sent."""

    id: uuid.UUID
    bundle_id: str
    sender: str
    received_at: datetime
    received_by_login: str
    programme: Programme
    values: dict[str, FieldValue]
    form: ReferralForm
    attachments: tuple[IncomingAttachment, ...] = ()
    #: Changed outside the program: listed so it is seen, with no value of it shown.
    tampered: bool = False


@dataclass(frozen=True, slots=True)
class IncomingAttachment:
    id: uuid.UUID
    filename: str
    media_type: str
    size: int
    sha256: str
