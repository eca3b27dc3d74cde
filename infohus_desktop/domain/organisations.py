"""Organisations and roles of an Infohus (DOMAIN.md, "People and organisations")."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from infohus_desktop.domain.errors import InvalidInput


class OrgKind(enum.StrEnum):
    POLICE = "police"
    MUNICIPALITY = "municipality"
    KRIMINALFORSORGEN = "kriminalforsorgen"
    PSYCHIATRY = "psychiatry"
    IMMIGRATION = "immigration"
    PET = "pet"
    OTHER = "other"


ORG_KIND_LABELS_DA: dict[OrgKind, str] = {
    OrgKind.POLICE: "Politikreds",
    OrgKind.MUNICIPALITY: "Kommune",
    OrgKind.KRIMINALFORSORGEN: "Kriminalforsorgen",
    OrgKind.PSYCHIATRY: "Psykiatri",
    OrgKind.IMMIGRATION: "Udlændingemyndighed",
    OrgKind.PET: "PET",
    OrgKind.OTHER: "Anden",
}


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    MEMBER = "member"
    GUEST = "guest"
    DPO = "dpo"


@dataclass(frozen=True, slots=True)
class Organisation:
    """A public body. Its name is not personal data and is stored in clear."""

    id: uuid.UUID
    kind: OrgKind
    name: str


@dataclass(frozen=True, slots=True)
class LocalInfohus:
    """An Infohus Kommune: one municipality with the police district, and its access group."""

    id: uuid.UUID
    municipality_id: uuid.UUID
    name: str
    group_id: uuid.UUID
    case_prefix: str


#: Words a user may type for an organisation's kind (Danish and English), in the CLI and
#: when the first coordinator names their organisation.
ORG_KIND_WORDS: dict[str, OrgKind] = {
    "police": OrgKind.POLICE,
    "politi": OrgKind.POLICE,
    "politikreds": OrgKind.POLICE,
    "municipality": OrgKind.MUNICIPALITY,
    "kommune": OrgKind.MUNICIPALITY,
    "kriminalforsorgen": OrgKind.KRIMINALFORSORGEN,
    "psychiatry": OrgKind.PSYCHIATRY,
    "psykiatri": OrgKind.PSYCHIATRY,
    "immigration": OrgKind.IMMIGRATION,
    "pet": OrgKind.PET,
    "other": OrgKind.OTHER,
    "anden": OrgKind.OTHER,
}


#: A case number starts with its Infohus Kommune's prefix (``AAR-2026-0001``).
PREFIX_MAX = 8


def check_prefix(prefix: str) -> str:
    """A case-number prefix: 1-8 ASCII letters or digits, in capitals."""
    prefix = prefix.strip().upper()
    if not prefix or not prefix.isalnum() or not prefix.isascii() or len(prefix) > PREFIX_MAX:
        raise InvalidInput(
            "Sagspræfikset skal være 1-8 bogstaver (A-Z) eller tal.",
            "The case prefix must be 1-8 letters (A-Z) or digits.",
        )
    return prefix


_DANISH_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA"})


def suggest_prefix(municipality: str) -> str:
    """The first three letters of the municipality's name (``Aarhus Kommune`` → ``AAR``),
    the prefix a coordinator most likely wants when they give none."""
    letters = "".join(c for c in municipality.upper().translate(_DANISH_LETTERS) if c.isalnum())
    letters = "".join(c for c in letters if c.isascii())
    return letters[:3] or "IH"
