"""A member's first keys and the groups they join by role and organisation: shared by the
vault's creation, enrolment and a role change."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.keys import UserKeyPair
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.casework import CASEWORK_ROLES, find_casework_group
from infohus_desktop.services.accounts.groups import AUTO_JOIN_ROLES
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import GroupMembershipRow, GroupOrganisationRow, MemberRow


def enrol_keys(
    member_id: uuid.UUID, passphrase: str, derived: kdf.DerivedKey | None = None
) -> tuple[UserKeyPair, bytes, kdf.KdfParams, bytes]:
    """New key pairs sealed under a calibrated Argon2id key of ``passphrase``.

    ``derived``: that key, derived by the caller with :meth:`kdf.DerivedKey.fresh` (a new
    salt, parameters at least the floor, which are checked again here)."""
    keys = UserKeyPair.generate()
    if derived is None:
        params, salt = kdf.calibrate(), kdf.new_salt()
        key = kdf.derive_key(passphrase, salt, params)
    else:
        params, salt = kdf.KdfParams.from_json(derived.params_json), derived.salt
        key = derived.key
    return keys, salt, params, keys.seal(key, member_id, params)


def automatic_groups(session: Session, ms: MemberSession, row: MemberRow) -> list[uuid.UUID]:
    """The groups a member belongs to by role and organisation (DOMAIN.md):
    everyone is in the directory; coordinators, members and the DPO in the network; the
    coordinators and the DPO in the audit group; coordinators and members (never the DPO) in
    the casework group and in the groups their organisation belongs to (their Infohus
    Kommune; for the police, all of them). A vault made before the casework group existed
    gets it, with every coordinator and member, at a coordinator's next unlock."""
    role = Role(row.role)
    groups = [ms.vault.system_group_id(session, GroupKind.DIRECTORY)]
    if role != Role.GUEST:
        groups.append(ms.vault.system_group_id(session, GroupKind.NETWORK))
    if role in (Role.COORDINATOR, Role.DPO):
        groups.append(ms.vault.system_group_id(session, GroupKind.AUDIT))
    casework = find_casework_group(session)
    if role in CASEWORK_ROLES and casework is not None:
        groups.append(casework)
    if role in AUTO_JOIN_ROLES:
        groups += list(
            session.scalars(
                select(GroupOrganisationRow.group_id).where(
                    GroupOrganisationRow.organisation_id == row.organisation_id
                )
            )
        )
    return groups


def join_automatic_groups(ms: MemberSession, session: Session, member_id: uuid.UUID) -> list[str]:
    """Add the member to their automatic groups; returns the ids of groups whose key waits
    for one of their members to unlock."""
    row = session.get(MemberRow, member_id)
    assert row is not None
    pending = []
    for group_id in automatic_groups(session, ms, row):
        if session.get(GroupMembershipRow, (group_id, member_id)) is not None:
            continue
        if not ms.keyring.add_to_group(session, group_id, member_id):
            pending.append(str(group_id))
    return pending
