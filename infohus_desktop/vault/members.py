"""Members and organisations as domain objects; member names under the directory key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.crypto.keys import fingerprint
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import ORG_KIND_WORDS, Organisation, OrgKind, Role
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.schema import MemberRow, OrganisationRow
from infohus_desktop.vault.trust import public_keys

_MEMBERS = cast(Table, MemberRow.__table__)


def count_failed_unlock(session: Session, member_id: uuid.UUID) -> None:
    """One more failed unlock of a member, counted in the database, not through the row and
    its version: wrong passphrases typed for one login at once (on several workstations)
    each count, and none of them turns into a Conflict."""
    session.execute(
        update(_MEMBERS)
        .where(_MEMBERS.c.id == member_id)
        .values(failed_unlocks=_MEMBERS.c.failed_unlocks + 1, last_failed_at=datetime.now(UTC))
    )


def name_context(member_id: uuid.UUID) -> FieldContext:
    return FieldContext("members", "name", member_id)


def to_member(session: Session, keyring: Keyring, row: MemberRow) -> Member:
    org = session.get(OrganisationRow, row.organisation_id)
    assert org is not None
    key = keyring.field_key_by_id(session, row.name.key_id)
    return Member(
        id=row.id,
        login=row.login,
        name=key.decrypt_text(row.name, name_context(row.id)),
        organisation_id=org.id,
        organisation_name=org.name,
        organisation_kind=OrgKind(org.kind),
        role=Role(row.role),
        active=row.active,
        must_change_passphrase=row.must_change_passphrase,
        fingerprint=fingerprint(public_keys(row)),
        created_at=as_utc(row.created_at),
    )


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def member_row_by_login(session: Session, login: str) -> MemberRow:
    row = session.scalar(select(MemberRow).where(MemberRow.login == login))
    if row is None or not row.active:
        raise NotFound(
            f"Intet aktivt medlem med brugernavnet {login!r}.",
            f"No active member with the login {login!r}.",
        )
    return row


def list_member_rows(session: Session, include_removed: bool = False) -> list[MemberRow]:
    query = select(MemberRow).order_by(MemberRow.login)
    if not include_removed:
        query = query.where(MemberRow.active.is_(True))
    return list(session.scalars(query))


def to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(row.id, OrgKind(row.kind), row.name)


def resolve_organisation(
    session: Session, text: str, kind: OrgKind | None = None, create: bool = False
) -> OrganisationRow:
    """An organisation by name (case-insensitive), or by kind word when exactly one exists.

    With ``create`` and a ``kind``, an unknown name becomes a new organisation (not a
    municipality: those are added with their Infohus Kommune by ``municipality add``).
    """
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("Angiv en organisation.", "Name an organisation.")
    rows = list(session.scalars(select(OrganisationRow).order_by(OrganisationRow.name)))
    for row in rows:
        if row.name.casefold() == wanted.casefold():
            return row
    word_kind = ORG_KIND_WORDS.get(wanted.casefold())
    if word_kind is not None:
        matches = [r for r in rows if r.kind == word_kind]
        if len(matches) == 1:
            return matches[0]
        if not matches and word_kind != OrgKind.MUNICIPALITY and word_kind != OrgKind.POLICE:
            return _new_org(
                session, word_kind, wanted.capitalize() if word_kind != OrgKind.PET else "PET"
            )
        if len(matches) > 1:
            names = ", ".join(r.name for r in matches)
            raise InvalidInput(
                f"Der er flere organisationer af den slags; angiv navnet: {names}.",
                f"There are several organisations of that kind; give the name: {names}.",
            )
    if create and kind is not None and kind != OrgKind.MUNICIPALITY:
        return _new_org(session, kind, wanted)
    known = ", ".join(r.name for r in rows) or "-"
    raise NotFound(
        f"Ukendt organisation {wanted!r}. Kendte: {known}. En kommune tilføjes med "
        "'infohus municipality add'; andre med --org-kind.",
        f"Unknown organisation {wanted!r}. Known: {known}. Add a municipality with "
        "'infohus municipality add'; others with --org-kind.",
    )


def _new_org(session: Session, kind: OrgKind, name: str) -> OrganisationRow:
    row = OrganisationRow(id=uuid.uuid4(), kind=kind.value, name=name)
    session.add(row)
    session.flush()
    return row
