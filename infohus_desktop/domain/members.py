"""Members, access groups and their epochs."""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import OrgKind, Role

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True, slots=True)
class Member:
    id: uuid.UUID
    login: str
    name: str
    organisation_id: uuid.UUID
    organisation_name: str
    organisation_kind: OrgKind
    role: Role
    active: bool
    must_change_passphrase: bool
    fingerprint: str
    created_at: datetime


class GroupKind(enum.StrEnum):
    """System groups are made by the vault; coordinators make the custom ones."""

    DIRECTORY = "directory"  # everyone, guests too: member names, group names
    NETWORK = "network"  # "Hele Infohuset": the district's network, lookup key for CPR
    #: "Sagsbehandlere": coordinators and members only (not the DPO, not guests). Holds what
    #: comes from cases or persons but is not one case's: incoming referrals, the vault's
    #: bundle identity, the per-case statistics codes. The DPO is in the network, so none of
    #: that may be under the network key (docs/SECURITY.md §10).
    CASEWORK = "casework"
    AUDIT = "audit"  # coordinators and the DPO: reads the audit details
    LOCAL = "local"  # an Infohus Kommune: the municipality and the police
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class AccessGroup:
    id: uuid.UUID
    kind: GroupKind
    name: str
    epoch: int
    member_ids: frozenset[uuid.UUID]
    version: int


def validate_login(login: str) -> str:
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise InvalidInput(
            "Brugernavnet skal være 2-64 tegn: små bogstaver a-z, tal, punktum, - og _.",
            "The login must be 2-64 characters: lower-case a-z, digits, dot, - and _.",
        )
    return login


def validate_name(name: str, what_da: str = "Navnet", what_en: str = "The name") -> str:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput(
            f"{what_da} skal udfyldes (højst 200 tegn).",
            f"{what_en} is required (at most 200 characters).",
        )
    return name
