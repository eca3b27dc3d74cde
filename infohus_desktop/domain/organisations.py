"""Organisations and roles of an Infohus (DOMAIN.md, "People and organisations")."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass


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
