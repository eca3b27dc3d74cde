"""The trend note (*tendensnotat*, DOMAIN.md "Trend note"): a worrying trend, not a person.

A trend note belongs to the district's network and is readable by every member of its access
group. Its codes (theme, development, area kind), dates and ids stay in clear so lists can be
filtered and the statistics can count notes by theme and quarter; everything typed (title,
area, description, kinds of sources as a list of codes, follow-up text) is encrypted under the
note's group key.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

#: Themes besides the vault's case categories (which are themes too): a trend need not fit
#: an ideology (conspiracy milieus, fascination of violence, online harassment).
EXTRA_THEMES: dict[str, tuple[str, str]] = {
    "konspiration": ("Konspirationsmiljøer", "Conspiracy milieus"),
    "voldsfascination": ("Fascination af ekstrem vold", "Fascination of extreme violence"),
    "online_had": ("Online had og chikane", "Online hate and harassment"),
    "polarisering": ("Polarisering mellem grupper", "Polarisation between groups"),
}

TITLE_MAX = 200
TEXT_MAX = 20_000
AREA_MAX = 200


class AreaKind(enum.StrEnum):
    """Where the trend is seen. The name of the place or platform is free text."""

    MUNICIPALITY = "kommune"
    DISTRICT = "politikreds"
    ONLINE = "online"


AREA_KIND_LABELS: dict[AreaKind, tuple[str, str]] = {
    AreaKind.MUNICIPALITY: ("Kommune", "Municipality"),
    AreaKind.DISTRICT: ("Politikreds", "Police district"),
    AreaKind.ONLINE: ("Online platform", "Online platform"),
}


class Development(enum.StrEnum):
    RISING = "stigende"
    STABLE = "stabil"
    FALLING = "faldende"


DEVELOPMENT_LABELS: dict[Development, tuple[str, str]] = {
    Development.RISING: ("Stigende", "Rising"),
    Development.STABLE: ("Stabil", "Stable"),
    Development.FALLING: ("Faldende", "Falling"),
}


class SourceKind(enum.StrEnum):
    """Kinds of sources a trend rests on: codes, never the names of informants."""

    CASES = "sager"
    SCHOOL = "skole"
    SOCIAL_SERVICES = "socialforvaltning"
    POLICE = "politi"
    SSP = "ssp"
    CIVIL_SOCIETY = "civilsamfund"
    OPEN_SOURCES = "aabne_kilder"
    SOCIAL_MEDIA = "sociale_medier"
    NATIONAL = "nationale_vurderinger"
    OTHER = "andet"


SOURCE_KIND_LABELS: dict[SourceKind, tuple[str, str]] = {
    SourceKind.CASES: ("Infohusets sager", "The Infohus's cases"),
    SourceKind.SCHOOL: ("Skoler og uddannelser", "Schools and education"),
    SourceKind.SOCIAL_SERVICES: ("Socialforvaltning", "Social services"),
    SourceKind.POLICE: ("Politiets oplysninger", "Police information"),
    SourceKind.SSP: ("SSP-samarbejdet", "SSP co-operation"),
    SourceKind.CIVIL_SOCIETY: ("Foreninger og civilsamfund", "Associations and civil society"),
    SourceKind.OPEN_SOURCES: ("Åbne kilder og medier", "Open sources and media"),
    SourceKind.SOCIAL_MEDIA: ("Sociale medier", "Social media"),
    SourceKind.NATIONAL: ("Nationale vurderinger (fx PET/CFE)", "National assessments (PET/CFE)"),
    SourceKind.OTHER: ("Andet", "Other"),
}


class TrendAction(enum.StrEnum):
    """The audit actions of the trend feature."""

    CREATE = "trend.create"
    EDIT = "trend.edit"
    READ = "trend.read"
    LIST = "trend.list"
    SEARCH = "trend.search"
    LINK = "trend.link"
    UNLINK = "trend.unlink"
    ACCESS = "trend.access"
    #: The user saved text although the personal-data check found something.
    PERSONAL_DATA_CONFIRMED = "trend.personal_data_confirmed"
    #: Names of case persons were decrypted (in memory) for the personal-data check.
    NAME_CHECK = "trend.name_check"
    #: A read met a note changed outside the program (vault/row_binding.py).
    TAMPERED = "trend.tampered"


@dataclass(frozen=True, slots=True)
class TrendContent:
    """What a user types or picks for a note: the input of create and edit."""

    title: str
    period_from: date
    period_to: date
    area_kind: AreaKind
    area: str
    theme: str
    description: str = ""
    source_kinds: tuple[SourceKind, ...] = ()
    development: Development = Development.STABLE
    follow_up: date | None = None

    def texts(self) -> dict[str, str]:
        """The free-text fields by field name, for the personal-data check."""
        return {"title": self.title, "area": self.area, "description": self.description}


@dataclass(frozen=True, slots=True)
class TrendSummary:
    """One line of a list, and what the meetings feature shows in an agenda item."""

    id: uuid.UUID
    title: str
    theme: str
    period_from: date
    period_to: date


@dataclass(frozen=True, slots=True)
class TrendNote:
    """A note as a member of its access group reads it."""

    id: uuid.UUID
    content: TrendContent
    group_id: uuid.UUID
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    related: tuple[TrendSummary, ...] = field(default=())
    #: Changed outside the program (its sealed copy or text does not match): listed so it
    #: is seen, never opened; its content is empty.
    tampered: bool = False

    @property
    def summary(self) -> TrendSummary:
        c = self.content
        return TrendSummary(self.id, c.title, c.theme, c.period_from, c.period_to)


@dataclass(frozen=True, slots=True)
class TrendFilter:
    """List filters. A note matches a period if it overlaps it."""

    themes: frozenset[str] = frozenset()
    area_kind: AreaKind | None = None
    area: str = ""  # part of the area text, case-insensitive
    developments: frozenset[Development] = frozenset()
    period_from: date | None = None
    period_to: date | None = None


def quarter_of(day: date) -> str:
    """``2026-K4``: the quarter the statistics count a note in (by the start of its period)."""
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"
