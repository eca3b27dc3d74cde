"""The members as the administration lists them: who, from where, in which role, whether
they still must choose their own passphrase, and when they last unlocked.

The last unlock comes from the audit log (its ``login`` entries), which only the audit group
(coordinators and the DPO) can open: the members table holds no such time, so a reader of the
database learns nothing from it. The walk runs newest first and stops as soon as every member
listed has been seen; the session's audit index keeps it cheap the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from infohus_desktop.domain.audit import AuditAction, AuditFilter
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Organisation, Role
from infohus_desktop.services.audit.reading import LogReading
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.members import list_member_rows, to_member, to_organisation
from infohus_desktop.vault.schema import GroupMembershipRow, OrganisationRow


@dataclass(frozen=True, slots=True)
class RosterEntry:
    member: Member
    #: The last successful unlock, or None when there is none (or it was pruned from the log).
    last_unlock: datetime | None
    #: How many access groups the member is in: each gets a new key if they are removed.
    groups: int


def roster(ms: MemberSession, include_removed: bool = True) -> list[RosterEntry]:
    ms.require(Role.COORDINATOR, Role.DPO)
    ms.audited_read(AuditAction.MEMBER_LIST, detail="administration")
    with ms.uow() as session:
        members = [
            to_member(session, ms.keyring, row)
            for row in list_member_rows(session, include_removed)
        ]
        groups = dict(
            session.execute(
                select(GroupMembershipRow.member_id, func.count()).group_by(
                    GroupMembershipRow.member_id
                )
            ).all()
        )
    last = _last_unlocks(ms, {m.login for m in members})
    return [RosterEntry(m, last.get(m.login), int(groups.get(m.id, 0))) for m in members]


def _last_unlocks(ms: MemberSession, logins: set[str]) -> dict[str, datetime]:
    found: dict[str, datetime] = {}
    for entry in LogReading(ms, signatures=False).matching(AuditFilter(action="login")):
        if entry.action != AuditAction.LOGIN or entry.actor_login in found:
            continue
        found[entry.actor_login] = entry.at
        if found.keys() >= logins:
            break
    return found


def organisations(ms: MemberSession) -> list[Organisation]:
    """Every organisation of the district, by name (public bodies: names in clear)."""
    ms.require()
    with ms.uow() as session:
        rows = session.scalars(select(OrganisationRow).order_by(OrganisationRow.name))
        return [to_organisation(row) for row in rows]
