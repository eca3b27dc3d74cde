"""Members, access groups and their epochs."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from infohus_desktop.domain.organisations import OrgKind, Role


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
