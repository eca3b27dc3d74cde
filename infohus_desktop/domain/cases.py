"""The concern case (*bekymringssag*) and its parts, as DOMAIN.md describes them.

Plain dataclasses: what the services return and the UI shows. Free text and everything about
the person is encrypted in the vault; the codes here (status, category, source, outcome,
legal basis) are what stays in clear so lists can be filtered and counted.
"""

from __future__ import annotations

import enum
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar, dataclass_transform

from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason

#: Default categories (*bekymringstyper*); a vault can configure its own list.
DEFAULT_CATEGORIES: dict[str, tuple[str, str]] = {
    "hoejreekstremisme": ("Højreekstremisme", "Right-wing extremism"),
    "venstreekstremisme": ("Venstreekstremisme", "Left-wing extremism"),
    "militant_islamisme": ("Militant islamisme", "Militant Islamism"),
    "anden_uklar": ("Anden/uklar ideologi", "Other/unclear ideology"),
}


class Source(enum.StrEnum):
    """Where a concern came from."""

    SCHOOL = "skole"
    SOCIAL_SERVICES = "socialforvaltning"
    JOB_CENTRE = "jobcenter"
    POLICE = "politi"
    FAMILY = "familie"
    HOTLINE = "hotline"
    PSYCHIATRY = "psykiatri"
    KRIMINALFORSORGEN = "kriminalforsorgen"
    OTHER = "andet"


class ScreeningOutcome(enum.StrEnum):
    NO_FURTHER_ACTION = "ingen_videre_handling"
    MORE_INFORMATION = "mere_information"
    INFOHUS = "behandles_i_infohus"
    POLICE_ONLY = "haandteres_af_politiet"
    OTHER_AUTHORITY = "anden_myndighed"


class LegalBasis(enum.StrEnum):
    RPL_115_1_1 = "rpl_115_1_1"
    RPL_115_1_2 = "rpl_115_1_2"
    RPL_115_1_3 = "rpl_115_1_3"
    CONSENT = "samtykke"
    SERVICELOVEN = "serviceloven"
    BARNETS_LOV = "barnets_lov"
    OTHER = "andet"

    @property
    def is_section_115(self) -> bool:
        """§ 115 information may not be passed on for a criminal investigation."""
        return self.value.startswith("rpl_115")


class JournalKind(enum.StrEnum):
    NOTE = "notat"
    CONVERSATION = "samtale"
    PHONE = "telefon"
    MEETING = "moede"
    DECISION = "beslutning"


class MeasureType(enum.StrEnum):
    CONCERN_CONVERSATION = "bekymringssamtale"
    STREET_WORK = "opsoegende_relationsarbejde"
    MENTOR = "mentor"
    PARENT_COACH = "foraeldrecoach"
    PSYCHOLOGICAL_HELP = "psykologhjaelp"
    EDUCATION_JOB = "uddannelse_job"
    EXIT_PROGRAMME = "exitprogram"
    POLICE_INVESTIGATION = "efterforskning"
    OTHER = "andet"


class MeasureStatus(enum.StrEnum):
    PLANNED = "planlagt"
    RUNNING = "igangvaerende"
    COMPLETED = "afsluttet"
    STOPPED = "afbrudt"


class RetentionClass(enum.StrEnum):
    """Which retention rule applies; the periods are configured by the Infohus."""

    STANDARD = "standard"
    EXTENDED = "forlaenget"
    MINIMAL = "minimal"


@dataclass(frozen=True, slots=True)
class Guardian:
    name: str
    relation: str = ""
    contact: str = ""
    informed: bool = False


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    cpr: str | None = None  # ten digits, or None when unknown at intake
    birth_date: date | None = None
    sex: Sex = Sex.UNKNOWN
    address: str = ""
    municipality: str = ""
    phone: str = ""
    email: str = ""
    school_or_work: str = ""
    guardians: tuple[Guardian, ...] = ()


@dataclass(frozen=True, slots=True)
class Intake:
    source: Source
    received: date
    reporter_organisation: str = ""
    reporter_contact: str = ""  # empty when the reporter is anonymous
    anonymous: bool = False
    observed: str = ""
    answers: tuple[tuple[str, str], ...] = ()  # (question, answer) of the intake interview


def fold_name(name: str) -> str:
    """Names compare without case, accents as typed and extra spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


_Class = TypeVar("_Class")


@dataclass_transform(frozen_default=True)
def _frozen_for_type_checkers(cls: type[_Class]) -> type[_Class]:
    """A slotted dataclass, frozen for the type checker (mypy --strict refuses any assignment
    to its fields), not at run time: a frozen dataclass sets each field in ``__init__``
    through ``object.__setattr__``, 1.5 µs for a summary against 0.2 µs, and a cold list
    makes one per case (0.13 s at 100,000 cases, issue 17). Nothing hashes a summary."""
    return dataclass(slots=True)(cls)


@dataclass(frozen=True, slots=True)
class SummaryCodes:
    """The clear codes of a listed case that many cases share: its status and category, its
    Infohus Kommune (id and Kommune name), its access group and its lead, and whether its
    row was found tampered. A list makes one per combination and every case with that
    combination points at it (see :class:`CaseSummary`); the list's filters read nothing
    else. (The sealed codes a case is counted by are another thing: ``statistics_codes``.)"""

    status: CaseStatus
    category: str
    local_infohus_id: uuid.UUID
    municipality: str
    group_id: uuid.UUID
    lead_organisation_id: uuid.UUID | None
    lead_member_id: uuid.UUID | None
    #: The row was changed outside the program (its sealed copy, key or ciphertext does not
    #: match): its codes say nothing, and the case is listed so it is seen, never opened.
    tampered: bool = False


@_frozen_for_type_checkers
class CaseSummary:
    """One row of the case list: what filters and the search need.

    Kept small, as a list holds one per readable case (issue 17):
    - The case id is its 128-bit number (``key``, the UUID's ``int``, which also keys the
      session's cache), made a :class:`uuid.UUID` when asked for (:attr:`id`): a UUID object
      per listed case cost 56 bytes, 5 MiB with 100,000 cases listed.
    - The codes that repeat across cases are one shared :class:`SummaryCodes` (:attr:`codes`),
      read through the properties below: eight fields of their own made a summary 64 bytes
      larger, 6.1 MiB at 100,000 cases. Make one with :meth:`of` where the codes are not
      shared already."""

    key: int
    number: str
    codes: SummaryCodes
    follow_up: date | None
    received: date
    person_name: str
    person_cpr: str | None
    version: int

    @classmethod
    def of(
        cls,
        *,
        key: int,
        number: str,
        status: CaseStatus,
        category: str,
        local_infohus_id: uuid.UUID,
        municipality: str,
        group_id: uuid.UUID,
        lead_organisation_id: uuid.UUID | None,
        lead_member_id: uuid.UUID | None,
        follow_up: date | None,
        received: date,
        person_name: str,
        person_cpr: str | None,
        version: int,
        tampered: bool = False,
    ) -> CaseSummary:
        """A summary with codes of its own (one case, not a whole list)."""
        codes = SummaryCodes(
            status,
            category,
            local_infohus_id,
            municipality,
            group_id,
            lead_organisation_id,
            lead_member_id,
            tampered,
        )
        return cls(key, number, codes, follow_up, received, person_name, person_cpr, version)

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.key)

    @property
    def tampered(self) -> bool:
        """The row was changed outside the program: listed so it is seen, never opened.
        Only ``id`` and ``number`` are shown. (In the codes, as the rare case it is: a flag
        of every summary's own cost 16 bytes a case.)"""
        return self.codes.tampered

    @property
    def status(self) -> CaseStatus:
        return self.codes.status

    @property
    def category(self) -> str:
        return self.codes.category

    @property
    def local_infohus_id(self) -> uuid.UUID:
        return self.codes.local_infohus_id

    @property
    def municipality(self) -> str:
        return self.codes.municipality

    @property
    def group_id(self) -> uuid.UUID:
        return self.codes.group_id

    @property
    def lead_organisation_id(self) -> uuid.UUID | None:
        return self.codes.lead_organisation_id

    @property
    def lead_member_id(self) -> uuid.UUID | None:
        return self.codes.lead_member_id


#: What a list shows instead of a name for a tampered case.
TAMPERED_TEXT = (
    "kan ikke læses — ændret uden om programmet",
    "cannot be read — changed outside the program",
)


@dataclass(frozen=True, slots=True)
class StatusChange:
    at: datetime
    by_login: str
    old: CaseStatus | None
    new: CaseStatus
    reason: str
    closing_reason: ClosingReason | None


@dataclass(frozen=True, slots=True)
class Screening:
    id: uuid.UUID
    at: datetime
    by_login: str
    outcome: ScreeningOutcome
    reason: str
    legal_reference: str = ""


@dataclass(frozen=True, slots=True)
class InformationRequest:
    """Information gathered from one authority."""

    id: uuid.UUID
    authority: str
    asked: date
    answer: str
    legal_basis: LegalBasis
    by_login: str


@dataclass(frozen=True, slots=True)
class Measure:
    id: uuid.UUID
    type: MeasureType
    owner: str  # the owning authority: the Infohus recommends, the authority decides
    description: str
    start: date | None
    end: date | None
    status: MeasureStatus
    outcome: str
    version: int


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: uuid.UUID
    at: datetime
    by_login: str
    kind: JournalKind
    text: str
    corrects: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Disclosure:
    id: uuid.UUID
    on: date
    from_party: str
    to_party: str
    what: str
    legal_basis: LegalBasis
    by_login: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: uuid.UUID
    filename: str
    media_type: str
    size: int
    added: datetime
    by_login: str


@dataclass(frozen=True, slots=True)
class Case:
    """A whole case as one member may read it."""

    summary: CaseSummary
    person: Person
    intake: Intake
    title: str
    participating_organisations: tuple[str, ...]
    retention: RetentionClass
    closing_reason: ClosingReason | None
    history: tuple[StatusChange, ...] = ()
    screenings: tuple[Screening, ...] = ()
    information: tuple[InformationRequest, ...] = ()
    measures: tuple[Measure, ...] = ()
    journal: tuple[JournalEntry, ...] = ()
    disclosures: tuple[Disclosure, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    assessment_ids: tuple[uuid.UUID, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class DuplicateCheck:
    """The answer of the intake duplicate check; never more than case numbers."""

    known_in: tuple[str, ...]  # case numbers the member can read
    possibly_elsewhere: bool  # a CPR index match in a case the member cannot read

    @property
    def found(self) -> bool:
        return bool(self.known_in) or self.possibly_elsewhere


def case_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}-{year}-{serial:04d}"
