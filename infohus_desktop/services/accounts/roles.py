"""A member's role changed by a coordinator, and what follows from it.

The role is part of the member's certificate (the coordinator signs login, organisation, role
and keys together), so a change is a new certificate by the acting coordinator. The groups a
member belongs to *because of* the role follow it in the same transaction: a new coordinator
joins the audit group; a member made guest leaves the network, the casework group and their
Infohus Kommune; a data protection officer never stays in a group that holds case content.
Every group left starts a new key epoch (the member may have kept the old key), exactly as a
removal does. Groups a coordinator added the member to by hand stay, except content groups
for a DPO.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.members import GroupKind, Member
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.services.accounts.enrolment import automatic_groups
from infohus_desktop.services.accounts.groups import CONTENT_GROUP_KINDS
from infohus_desktop.services.accounts.vouching import recertify, take_over_vouching
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.members import member_row_by_login, to_member
from infohus_desktop.vault.schema import (
    GroupMembershipRow,
    GroupOrganisationRow,
    GroupRow,
    MemberRow,
    OrganisationRow,
)

#: Groups a member is in by role or organisation alone; only these follow a role change.
_AUTOMATIC_KINDS = (GroupKind.DIRECTORY, GroupKind.NETWORK, GroupKind.AUDIT, GroupKind.CASEWORK)


@dataclass(frozen=True, slots=True)
class RoleChange:
    """The member after the change, how many groups they joined and left, and how many of
    those joins or new epochs wait for a holder of the group's key to unlock."""

    member: Member
    joined: int
    left: int
    pending: int


def _automatic_now(session: Session, row: MemberRow, new_role: Role) -> set[uuid.UUID]:
    """The groups ``row`` is in that a change to ``new_role`` may take away: the system
    groups, the groups its organisation belongs to (joined through it) and, for a new DPO,
    every content group."""
    org_groups = set(
        session.scalars(
            select(GroupOrganisationRow.group_id).where(
                GroupOrganisationRow.organisation_id == row.organisation_id
            )
        )
    )
    out = set()
    for group_id, kind in session.execute(
        select(GroupRow.id, GroupRow.kind)
        .join(GroupMembershipRow, GroupMembershipRow.group_id == GroupRow.id)
        .where(GroupMembershipRow.member_id == row.id)
    ):
        if kind in _AUTOMATIC_KINDS or group_id in org_groups:
            out.add(group_id)
        elif new_role == Role.DPO and kind in CONTENT_GROUP_KINDS:
            out.add(group_id)  # a DPO keeps no content group, hand-made ones included
    return out


def change_role(ms: MemberSession, login: str, role: Role) -> RoleChange:
    ms.require(Role.COORDINATOR)
    with ms.transaction() as session:
        row = member_row_by_login(session, login)
        if row.id == ms.member.id:
            raise AccessDenied(
                "Du kan ikke ændre din egen rolle; bed en anden koordinator.",
                "You cannot change your own role; ask another coordinator.",
            )
        old = Role(row.role)
        if old == role:
            raise InvalidInput(
                "Medlemmet har allerede den rolle.", "The member already has that role."
            )
        organisation_kind = _organisation_kind(session, row)
        if role == Role.COORDINATOR and organisation_kind not in (
            OrgKind.POLICE,
            OrgKind.MUNICIPALITY,
        ):
            raise InvalidInput(
                "Koordinatorer kommer fra politiet eller en kommune.",
                "Coordinators come from the police or a municipality.",
            )
        before = _automatic_now(session, row, role)
        row.role = role.value
        recertify(ms, session, row)
        session.flush()
        if old == Role.COORDINATOR:
            take_over_vouching(ms, session, row.id)
        after = set(automatic_groups(session, ms, row))
        left = sorted(before - after, key=str)
        joined = sorted(after - before - _member_of(session, row.id), key=str)
        pending = 0
        for group_id in left:
            pending += not ms.keyring.remove_from_group(session, group_id, row.id)
        for group_id in joined:
            pending += not ms.keyring.add_to_group(session, group_id, row.id)
        ms.record(session, AuditAction.MEMBER_ROLE, row.id, detail=f"{login}: {old} -> {role}")
        session.flush()
        return RoleChange(to_member(session, ms.keyring, row), len(joined), len(left), pending)


def _organisation_kind(session: Session, row: MemberRow) -> OrgKind:
    org = session.get(OrganisationRow, row.organisation_id)
    assert org is not None
    return OrgKind(org.kind)


def _member_of(session: Session, member_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        session.scalars(
            select(GroupMembershipRow.group_id).where(GroupMembershipRow.member_id == member_id)
        )
    )
