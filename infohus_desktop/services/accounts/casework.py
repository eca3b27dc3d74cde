"""The casework group ("Sagsbehandlere"): every coordinator and member, never the DPO or a guest.

Why a group of its own: the network group ("Hele Infohuset") also holds the DPO, who reads the
audit log and spot-checks but never case content (DOMAIN.md, docs/SECURITY.md §10). What
comes from cases or persons but belongs to no single case's access group (incoming referrals,
the vault's bundle identity and register, the per-case statistics codes) is sealed under this
group's key, so a DPO's own keyring cannot open it, whatever a service's role check says.

The vault makes the group at creation. A vault made before the group existed gets it at the
next unlock of a coordinator (:func:`ensure_casework_group`): the coordinator makes epoch 1 and
seals it to every active coordinator and member whose key verifies. Until then the features
that need it refuse with a clear message (:func:`casework_group_id`) instead of failing.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.labels import SYSTEM_GROUP_NAMES
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.groups import create_group_row
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import GroupRow, MemberRow

CASEWORK_NAME = SYSTEM_GROUP_NAMES[GroupKind.CASEWORK][0]
#: Roles that belong to the casework group.
CASEWORK_ROLES = (Role.COORDINATOR, Role.MEMBER)


def no_casework_group() -> AccessDenied:
    return AccessDenied(
        "Sagsbehandlernes nøgle findes ikke endnu i denne boks. Den oprettes, næste gang en "
        "koordinator låser op; prøv derefter igen.",
        "The caseworkers' key does not exist in this vault yet. It is created the next time a "
        "coordinator unlocks; try again afterwards.",
    )


def find_casework_group(session: Session) -> uuid.UUID | None:
    """The casework group's id, or None in a vault made before the group existed."""
    return session.scalar(select(GroupRow.id).where(GroupRow.kind == GroupKind.CASEWORK.value))


def casework_group_id(ms: MemberSession, session: Session) -> uuid.UUID:
    """The casework group's id; AccessDenied (with the way out) if the vault has none yet."""
    try:
        return ms.vault.system_group_id(session, GroupKind.CASEWORK)  # cached per vault handle
    except TamperedData:  # raised only when no group of the kind exists
        raise no_casework_group() from None


def ensure_casework_group(ms: MemberSession, session: Session) -> uuid.UUID | None:
    """At a coordinator's unlock: make the casework group if the vault has none.

    Epoch 1 is sealed to every active coordinator and member whose key verifies (a member
    whose certificate does not verify is left out rather than failing every coordinator's
    unlock; no group shares a key with an unverified member anyway). Two coordinators
    unlocking at once make one group: the check is repeated under the audit chain's lock,
    which the creation's audit entry takes anyway. Returns the new group's id, or None when
    there was nothing to do or the caller is not a coordinator.
    """

    if ms.member.role != Role.COORDINATOR or find_casework_group(session) is not None:
        return None
    ms.vault.uow.lock_audit_chain(session)
    if find_casework_group(session) is not None:
        return None
    candidates = session.scalars(
        select(MemberRow.id).where(
            MemberRow.active.is_(True),
            MemberRow.role.in_([r.value for r in CASEWORK_ROLES]),
        )
    )
    members = sorted(
        {m for m in candidates if ms.keyring.trust.sign_key_or_none(session, m) is not None}
        | {ms.member.id},
        key=str,
    )
    directory = ms.keyring.group_field_key(
        session, ms.vault.system_group_id(session, GroupKind.DIRECTORY)
    )
    group_id = create_group_row(
        session, ms.keyring, GroupKind.CASEWORK, CASEWORK_NAME, members, directory
    )
    ms.record(session, AuditAction.GROUP_ADD, group_id, Purpose.ADMINISTRATION, "casework")
    return group_id


def maintain_keys(ms: MemberSession, session: Session) -> None:
    """The key upkeep at unlock (and after the first passphrase change): a coordinator makes a
    missing casework group first, so the keyring's upkeep can share it like any other."""
    ensure_casework_group(ms, session)
    ms.keyring.maintain(session)
