"""Access groups (*adgangskredse*) and the Infohus Kommune of each municipality."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.crypto.keys import new_symmetric_key
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound
from infohus_desktop.domain.labels import LOCAL_GROUP_SUFFIX
from infohus_desktop.domain.members import AccessGroup, GroupKind
from infohus_desktop.domain.organisations import (
    LocalInfohus,
    OrgKind,
    Role,
    check_prefix,
    suggest_prefix,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.members import member_row_by_login, resolve_organisation
from infohus_desktop.vault.schema import (
    GroupMembershipRow,
    GroupOrganisationRow,
    GroupRow,
    LocalInfohusRow,
    MemberRow,
    OrganisationRow,
)

#: Roles that join groups automatically through their organisation.
AUTO_JOIN_ROLES = (Role.COORDINATOR, Role.MEMBER)
#: Groups that hold case content; a DPO never belongs to one (they read the log, not cases).
CONTENT_GROUP_KINDS = (GroupKind.LOCAL, GroupKind.CUSTOM, GroupKind.CASEWORK)
#: System groups whose members follow from the roles alone: a coordinator cannot add to them
#: (a guest in the casework group would hold every incoming referral).
ROLE_GROUP_KINDS = (GroupKind.AUDIT, GroupKind.DIRECTORY, GroupKind.CASEWORK)


def group_name_context(group_id: uuid.UUID) -> FieldContext:
    return FieldContext("access_groups", "name", group_id)


def create_group_row(
    session: Session,
    keyring: Keyring,
    kind: GroupKind,
    name: str,
    member_ids: Iterable[uuid.UUID],
    name_key: FieldKey | None,
    group_id: uuid.UUID | None = None,
    own_key: tuple[uuid.UUID, bytes] | None = None,
) -> uuid.UUID:
    """Insert a group with epoch 1. Its name is sealed under ``name_key`` (the directory key).
    The directory itself passes ``name_key=None``: its name is sealed under its own first key,
    ``own_key`` (id and bytes) when the caller already used that key for the creator's name."""
    group_id = group_id or uuid.uuid4()
    first_key: FieldKey | None = None
    first_bytes: bytes | None = None
    if name_key is None:
        key_id, first_bytes = own_key or (uuid.uuid4(), new_symmetric_key())
        first_key = name_key = FieldKey(key_id, first_bytes)
    group = GroupRow(
        id=group_id,
        kind=kind.value,
        name=name_key.encrypt_text(name, group_name_context(group_id)),
        epoch=1,
        created_at=datetime.now(UTC),
    )
    session.add(group)
    session.flush()
    keyring.create_group_keys(session, group, member_ids, first_key, first_bytes)
    return group_id


def create_local_infohus(
    ms: MemberSession, session: Session, municipality_id: uuid.UUID, prefix: str
) -> LocalInfohus:
    """An Infohus Kommune: its access group holds the municipality's and the police's
    coordinators and members."""
    municipality = session.get(OrganisationRow, municipality_id)
    assert municipality is not None
    directory = ms.keyring.group_field_key(
        session, ms.vault.system_group_id(session, GroupKind.DIRECTORY)
    )
    name = municipality.name + LOCAL_GROUP_SUFFIX[0]
    police_ids = list(
        session.scalars(select(OrganisationRow.id).where(OrganisationRow.kind == OrgKind.POLICE))
    )
    members = _auto_members(session, [municipality_id, *police_ids])
    actor_in = ms.member.id in members
    group_id = create_group_row(
        session,
        ms.keyring,
        GroupKind.LOCAL,
        name,
        members if actor_in else [ms.member.id],
        directory,
    )
    for org_id in [municipality_id, *police_ids]:
        session.add(GroupOrganisationRow(group_id=group_id, organisation_id=org_id))
    row = LocalInfohusRow(
        id=uuid.uuid4(),
        municipality_id=municipality_id,
        group_id=group_id,
        case_prefix=prefix,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    if not actor_in:
        # The creator made the key and shares it, then leaves: a municipal coordinator of
        # another municipality never keeps this group's key.
        for member_id in members:
            ms.keyring.add_to_group(session, group_id, member_id)
        ms.keyring.remove_from_group(session, group_id, ms.member.id)
    return LocalInfohus(row.id, municipality_id, municipality.name, group_id, prefix)


def _auto_members(session: Session, org_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    return list(
        session.scalars(
            select(MemberRow.id).where(
                MemberRow.organisation_id.in_(org_ids),
                MemberRow.active.is_(True),
                MemberRow.role.in_([r.value for r in AUTO_JOIN_ROLES]),
            )
        )
    )


@dataclass(frozen=True, slots=True)
class GroupChange:
    """What a membership change did: whether the key was shared or the new epoch started
    now, or waits for a member of the group to unlock."""

    group: str
    done_now: bool
    epoch: int


class GroupService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def _to_group(self, session: Session, row: GroupRow) -> AccessGroup:
        key = self.ms.keyring.field_key_by_id(session, row.name.key_id)
        members = frozenset(
            session.scalars(
                select(GroupMembershipRow.member_id).where(GroupMembershipRow.group_id == row.id)
            )
        )
        return AccessGroup(
            id=row.id,
            kind=GroupKind(row.kind),
            name=key.decrypt_text(row.name, group_name_context(row.id)),
            epoch=row.epoch,
            member_ids=members,
            version=row.version,
        )

    def list(self) -> list[AccessGroup]:
        self.ms.require()
        with self.ms.transaction() as session:
            self.ms.record(session, AuditAction.GROUP_LIST)
        with self.ms.uow() as session:
            groups = [self._to_group(session, row) for row in session.scalars(select(GroupRow))]
        return sorted(groups, key=lambda g: (list(GroupKind).index(g.kind), g.name.casefold()))

    def waiting_for_keys(self) -> builtins.list[tuple[str, builtins.list[str]]]:
        """Per access group, the logins of members who still wait for its key ("venter på
        nøgle"), for the coordinator's start page; groups nobody waits for are left out."""
        self.ms.require(Role.COORDINATOR)
        with self.ms.transaction() as session:
            self.ms.record(session, AuditAction.GROUP_LIST, detail="waiting")
        out: builtins.list[tuple[str, builtins.list[str]]] = []
        with self.ms.uow() as session:
            logins = dict(session.execute(select(MemberRow.id, MemberRow.login)).all())
            for row in session.scalars(select(GroupRow)):
                waiting = self.ms.keyring.waiting(session, row)
                if waiting:
                    name = self._to_group(session, row).name
                    out.append((name, sorted(logins.get(m, "?") for m in waiting)))
        return sorted(out, key=lambda g: g[0].casefold())

    def find(self, session: Session, name_or_id: str) -> GroupRow:
        for row in session.scalars(select(GroupRow)):
            if str(row.id) == name_or_id:
                return row
            key = self.ms.keyring.field_key_by_id(session, row.name.key_id)
            if key.decrypt_text(row.name, group_name_context(row.id)).casefold() == (
                name_or_id.strip().casefold()
            ):
                return row
        raise NotFound(
            f"Ingen adgangskreds hedder {name_or_id!r}.",
            f"No access group is named {name_or_id!r}.",
        )

    def add(
        self, name: str, member_logins: Iterable[str] = (), organisations: Iterable[str] = ()
    ) -> AccessGroup:
        """A custom group, e.g. "kun politiet" or a case shared with a guest."""
        self.ms.require(Role.COORDINATOR)
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise InvalidInput(
                "Adgangskredsen skal have et navn.", "The access group needs a name."
            )
        with self.ms.transaction() as session:
            for existing in session.scalars(select(GroupRow)):
                key = self.ms.keyring.field_key_by_id(session, existing.name.key_id)
                if key.decrypt_text(existing.name, group_name_context(existing.id)).casefold() == (
                    name.casefold()
                ):
                    raise InvalidInput(
                        "Der findes allerede en adgangskreds med det navn.",
                        "An access group with that name already exists.",
                    )
            orgs = [resolve_organisation(session, text) for text in organisations]
            members = {member_row_by_login(session, login).id for login in member_logins}
            members.update(_auto_members(session, [org.id for org in orgs]))
            for member_id in members:
                _refuse_dpo(session, member_id, GroupKind.CUSTOM)
            directory = self.ms.keyring.group_field_key(
                session, self.ms.vault.system_group_id(session, GroupKind.DIRECTORY)
            )
            # The creator needs the key to share it, and leaves afterwards if not a member.
            group_id = create_group_row(
                session,
                self.ms.keyring,
                GroupKind.CUSTOM,
                name,
                sorted(members | {self.ms.member.id}),
                directory,
            )
            for org in orgs:
                session.add(GroupOrganisationRow(group_id=group_id, organisation_id=org.id))
            for member_id in members:
                self.ms.keyring.add_to_group(session, group_id, member_id)
            if self.ms.member.id not in members:
                self.ms.keyring.remove_from_group(session, group_id, self.ms.member.id)
            self.ms.record(session, AuditAction.GROUP_ADD, group_id)
            row = session.get(GroupRow, group_id)
            assert row is not None
            return self._to_group(session, row)

    def add_member(self, group: str, login: str) -> GroupChange:
        self.ms.require(Role.COORDINATOR)
        with self.ms.transaction() as session:
            row = self.find(session, group)
            member = member_row_by_login(session, login)
            _refuse_dpo(session, member.id, GroupKind(row.kind))
            if row.kind in ROLE_GROUP_KINDS:
                raise InvalidInput(
                    "Systemgrupper følger medlemmernes roller og kan ikke ændres her.",
                    "System groups follow the members' roles and cannot be changed here.",
                )
            done = self.ms.keyring.add_to_group(session, row.id, member.id)
            self.ms.record(session, AuditAction.GROUP_MEMBER_ADD, row.id, detail=member.login)
            return GroupChange(str(row.id), done, row.epoch)

    def remove_member(self, group: str, login: str) -> GroupChange:
        self.ms.require(Role.COORDINATOR)
        with self.ms.transaction() as session:
            row = self.find(session, group)
            member = member_row_by_login(session, login)
            if session.get(GroupMembershipRow, (row.id, member.id)) is None:
                raise NotFound(
                    f"{login} er ikke medlem af adgangskredsen.",
                    f"{login} is not a member of the access group.",
                )
            done = self.ms.keyring.remove_from_group(session, row.id, member.id)
            self.ms.record(session, AuditAction.GROUP_MEMBER_REMOVE, row.id, detail=member.login)
            return GroupChange(str(row.id), done, row.epoch)

    def local_infohuse(self) -> builtins.list[LocalInfohus]:
        self.ms.require()
        with self.ms.uow() as session:
            out = []
            for row in session.scalars(select(LocalInfohusRow)):
                org = session.get(OrganisationRow, row.municipality_id)
                assert org is not None
                out.append(LocalInfohus(row.id, org.id, org.name, row.group_id, row.case_prefix))
            return sorted(out, key=lambda li: li.name.casefold())

    def add_municipality(self, name: str, prefix: str | None = None) -> LocalInfohus:
        """A municipality of the district with its Infohus Kommune and access group; without
        a prefix, the case numbers start with the first three letters of its name."""
        self.ms.require(Role.COORDINATOR)
        name = " ".join(name.split())
        prefix = check_prefix(prefix if prefix is not None else suggest_prefix(name))
        if not name or len(name) > 200:
            raise InvalidInput("Kommunen skal have et navn.", "The municipality needs a name.")
        with self.ms.transaction() as session:
            refuse_taken_prefix(session, prefix)
            if session.scalar(select(OrganisationRow).where(OrganisationRow.name == name)):
                raise InvalidInput(f"{name} findes allerede.", f"{name} already exists.")
            org = OrganisationRow(id=uuid.uuid4(), kind=OrgKind.MUNICIPALITY.value, name=name)
            session.add(org)
            session.flush()
            local = create_local_infohus(self.ms, session, org.id, prefix)
            self.ms.record(session, AuditAction.MUNICIPALITY_ADD, local.id)
            return local


def refuse_taken_prefix(session: Session, prefix: str, own_id: uuid.UUID | None = None) -> None:
    """Two Infohus Kommuner with one prefix would give two cases the same number."""
    clash = session.scalar(
        select(LocalInfohusRow.id).where(
            LocalInfohusRow.case_prefix == prefix, LocalInfohusRow.id != own_id
        )
    )
    if clash is not None:
        raise InvalidInput(
            f"Præfikset {prefix} bruges allerede af et andet Infohus Kommune.",
            f"The prefix {prefix} is used by another Infohus Kommune.",
        )


def _refuse_dpo(session: Session, member_id: uuid.UUID, kind: GroupKind) -> None:
    member = session.get(MemberRow, member_id)
    if member is not None and member.role == Role.DPO and kind in CONTENT_GROUP_KINDS:
        raise AccessDenied(
            "En databeskyttelsesrådgiver kan ikke få adgang til sagsindhold.",
            "A data protection officer cannot be given access to case content.",
        )
