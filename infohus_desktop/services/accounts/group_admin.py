"""The administration's view of the access groups and the Infohus Kommuner: who is in each
group, who holds its current key and who still waits for it; renaming a group; renaming an
Infohus Kommune or giving it another case-number prefix.

A group's name is sealed under the directory key (every member reads it; a reader of the
database does not). An Infohus Kommune's group is named after its municipality and follows a
rename; the system groups keep their names. A new prefix numbers the cases opened from then
on; existing case numbers never change (they are printed on minutes and referral forms).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.labels import LOCAL_GROUP_SUFFIX
from infohus_desktop.domain.members import AccessGroup, GroupKind
from infohus_desktop.domain.organisations import LocalInfohus, Role, check_prefix
from infohus_desktop.services.accounts.groups import (
    GroupService,
    group_name_context,
    refuse_taken_prefix,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import (
    GroupKeyWrapRow,
    GroupOrganisationRow,
    GroupRow,
    LocalInfohusRow,
    MemberRow,
    OrganisationRow,
)


@dataclass(frozen=True, slots=True)
class GroupDetail:
    """One access group as the administration shows it. Logins, sorted."""

    group: AccessGroup
    members: tuple[str, ...]
    holders: tuple[str, ...]
    waiting: tuple[str, ...]
    organisations: tuple[str, ...]


def group_details(ms: MemberSession) -> list[GroupDetail]:
    ms.require(Role.COORDINATOR, Role.DPO)
    service = GroupService(ms)
    groups = service.list()
    out = []
    with ms.uow() as session:
        logins = dict(session.execute(select(MemberRow.id, MemberRow.login)).all())
        org_names = dict(session.execute(select(OrganisationRow.id, OrganisationRow.name)).all())
        for group in groups:
            row = session.get(GroupRow, group.id)
            assert row is not None
            holders = session.scalars(
                select(GroupKeyWrapRow.member_id).where(
                    GroupKeyWrapRow.group_id == row.id, GroupKeyWrapRow.epoch == row.epoch
                )
            )
            orgs = session.scalars(
                select(GroupOrganisationRow.organisation_id).where(
                    GroupOrganisationRow.group_id == row.id
                )
            )
            out.append(
                GroupDetail(
                    group,
                    _logins(logins, group.member_ids),
                    _logins(logins, holders),
                    _logins(logins, ms.keyring.waiting(session, row)),
                    tuple(sorted(org_names.get(o, "?") for o in orgs)),
                )
            )
    return out


def _logins(logins: dict[uuid.UUID, str], ids: Iterable[uuid.UUID]) -> tuple[str, ...]:
    return tuple(sorted(logins.get(i, "?") for i in ids))


def rename_group(ms: MemberSession, current: str, name: str) -> AccessGroup:
    ms.require(Role.COORDINATOR)
    name = _clean_name(name, ("Adgangskredsen", "The access group"))
    service = GroupService(ms)
    with ms.transaction() as session:
        row = service.find(session, current)
        if row.kind != GroupKind.CUSTOM:
            raise InvalidInput(
                "Kun adgangskredse, koordinatorerne selv har oprettet, kan omdøbes; en Infohus "
                "Kommunes kreds hedder som kommunen.",
                "Only access groups the coordinators made can be renamed; an Infohus "
                "Kommune's group is named after the municipality.",
            )
        _refuse_taken_group_name(ms, session, name, row.id)
        row.name = _directory_key(ms, session).encrypt_text(name, group_name_context(row.id))
        ms.record(session, AuditAction.GROUP_RENAME, row.id)
        session.flush()
        return service._to_group(session, row)


def change_municipality(
    ms: MemberSession, current: str, name: str | None = None, prefix: str | None = None
) -> LocalInfohus:
    """Rename an Infohus Kommune's municipality and its group, or set its case prefix."""
    ms.require(Role.COORDINATOR)
    with ms.transaction() as session:
        local, org = _find_local(session, current)
        if name is not None:
            name = _clean_name(name, ("Kommunen", "The municipality"))
            taken = session.scalar(
                select(OrganisationRow.id).where(
                    OrganisationRow.name == name, OrganisationRow.id != org.id
                )
            )
            if taken is not None:
                raise InvalidInput(f"{name} findes allerede.", f"{name} already exists.")
            org.name = name
            group = session.get(GroupRow, local.group_id)
            assert group is not None
            group.name = _directory_key(ms, session).encrypt_text(
                name + LOCAL_GROUP_SUFFIX[0], group_name_context(group.id)
            )
        if prefix is not None:
            prefix = check_prefix(prefix)
            refuse_taken_prefix(session, prefix, local.id)
            local.case_prefix = prefix
        ms.record(session, AuditAction.MUNICIPALITY_CHANGE, local.id)
        session.flush()
        return LocalInfohus(local.id, org.id, org.name, local.group_id, local.case_prefix)


def _find_local(session: Session, wanted: str) -> tuple[LocalInfohusRow, OrganisationRow]:
    for local in session.scalars(select(LocalInfohusRow)):
        org = session.get(OrganisationRow, local.municipality_id)
        assert org is not None
        if wanted.strip().casefold() in (org.name.casefold(), local.case_prefix.casefold()) or (
            wanted == str(local.id)
        ):
            return local, org
    raise NotFound(
        f"Ingen Infohus Kommune hedder {wanted!r}.", f"No Infohus Kommune is named {wanted!r}."
    )


def _clean_name(name: str, what: tuple[str, str]) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput(f"{what[0]} skal have et navn.", f"{what[1]} needs a name.")
    return name


def _directory_key(ms: MemberSession, session: Session) -> FieldKey:
    return ms.keyring.group_field_key(
        session, ms.vault.system_group_id(session, GroupKind.DIRECTORY)
    )


def _refuse_taken_group_name(
    ms: MemberSession, session: Session, name: str, own_id: uuid.UUID
) -> None:
    for other in session.scalars(select(GroupRow).where(GroupRow.id != own_id)):
        key = ms.keyring.field_key_by_id(session, other.name.key_id)
        if key.decrypt_text(other.name, group_name_context(other.id)).casefold() == (
            name.casefold()
        ):
            raise InvalidInput(
                "Der findes allerede en adgangskreds med det navn.",
                "An access group with that name already exists.",
            )


class GroupAdministration:
    """The front door's ``group_admin``: the Administration area's group and Infohus Kommune
    calls, each with its role check and audit entry."""

    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def details(self) -> list[GroupDetail]:
        return group_details(self.ms)

    def rename(self, current: str, name: str) -> AccessGroup:
        return rename_group(self.ms, current, name)

    def change_municipality(
        self, current: str, name: str | None = None, prefix: str | None = None
    ) -> LocalInfohus:
        return change_municipality(self.ms, current, name, prefix)
