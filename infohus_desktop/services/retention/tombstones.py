"""Tombstones: what stays of a deleted case, signed by the coordinator who deleted it.

The stone is read by coordinators and the DPO (the audit group, whose key seals the reason);
its signature is checked through the signer's certificate, so a stone changed or made up in
the database reads as tampered. Every member who reads a meeting sees only that an item's
case was deleted, and when (``deleted_at`` is clear).
"""

from __future__ import annotations

import builtins
import hashlib
import uuid
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.crypto.signing import statement
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InfohusError, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import RetentionAction, Tombstone
from infohus_desktop.domain.workflow import ClosingReason
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.codecs.cases import loads
from infohus_desktop.vault.members import as_utc
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.schema import LocalInfohusRow, MemberRow, OrganisationRow


def tombstone_statement(vault_id: uuid.UUID, row: TombstoneRow) -> bytes:
    """What the deleting coordinator signs (also checked by a restore: services/backups/)."""
    return statement(
        "case-tombstone",
        vault_id,
        case=str(row.id),
        number=row.number,
        infohus=str(row.local_infohus_id),
        received=row.received.isoformat(),
        closed=row.closed_on.isoformat() if row.closed_on else None,
        deleted_at=as_utc(row.deleted_at).isoformat(),
        deleted_by=str(row.deleted_by),
        approved_by=str(row.approved_by) if row.approved_by else None,
        payload=hashlib.sha256(bytes(row.payload)).hexdigest(),
    )


def sign_tombstone(ms: MemberSession, row: TombstoneRow) -> None:
    row.signature = ms.keyring.user_keys.sign(tombstone_statement(ms.vault.vault_id, row))


def _tampered(number: str) -> TamperedData:
    return TamperedData(
        f"Sletningen af sag {number} er ændret uden om programmet.",
        f"The deletion record of case {number} was changed outside the program.",
    )


def tombstone_of(
    session: Session, row: TombstoneRow, sealed: dict[str, object] | None = None
) -> Tombstone:
    """The stone as a reader sees it; ``sealed`` is its opened payload (the reason typed and
    the closing reason), when the caller could open it."""
    sealed = sealed or {}
    logins = dict(
        session.execute(
            select(MemberRow.id, MemberRow.login).where(
                MemberRow.id.in_([m for m in (row.deleted_by, row.approved_by) if m])
            )
        ).all()
    )
    municipality = session.scalar(
        select(OrganisationRow.name)
        .join(LocalInfohusRow, LocalInfohusRow.municipality_id == OrganisationRow.id)
        .where(LocalInfohusRow.id == row.local_infohus_id)
    )
    try:
        code = sealed.get("closing_reason")
        closing = ClosingReason(str(code)) if code else None
    except ValueError:
        closing = None
    return Tombstone(
        case_id=row.id,
        number=row.number,
        municipality=municipality or "",
        received=row.received,
        closed_on=row.closed_on,
        deleted_at=as_utc(row.deleted_at).date(),
        closing_reason=closing,
        deleted_by=logins.get(row.deleted_by, "?"),
        reason=str(sealed.get("reason", "")),
        approved_by=logins.get(row.approved_by) if row.approved_by else None,
    )


class Tombstones:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def list(self) -> builtins.list[Tombstone]:
        """Every deleted case, newest first, with the reason (coordinators and the DPO;
        audited). A stone that does not verify is listed as tampered, with no reason; one
        such stone took the whole list down, and with it the deletion screen's list of cases
        due. ``audit verify`` still fails naming it."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        self.ms.audited_read(RetentionAction.TOMBSTONES, None, Purpose.SUPERVISION)
        with self.ms.uow() as session:
            rows = session.scalars(
                select(TombstoneRow).order_by(TombstoneRow.deleted_at.desc())
            ).all()
            stones = [self._read_or_tampered(session, row) for row in rows]
        self.ms.report_tampered()
        return stones

    def _read_or_tampered(self, session: Session, row: TombstoneRow) -> Tombstone:
        try:
            return self.read(session, row)
        except TamperedData:
            self.ms.note_tampered(row.id, row.number)
            return replace(tombstone_of(session, row), reason="", tampered=True)

    def read(self, session: Session, row: TombstoneRow) -> Tombstone:
        self.check(session, row)
        try:
            key = self.ms.keyring.field_key_by_id(session, row.payload.key_id)
            data = loads(
                key.decrypt(row.payload, FieldContext("case_tombstones", "payload", row.id))
            )
        except InfohusError:
            raise _tampered(row.number) from None
        return tombstone_of(session, row, data)

    def check(self, session: Session, row: TombstoneRow) -> None:
        """The stone is as its coordinator signed it (any member may check this)."""
        signer = session.get(MemberRow, row.deleted_by)
        try:
            keys = self.ms.keyring.trust.sign_keys(session, row.deleted_by)
        except InfohusError:
            raise _tampered(row.number) from None
        if signer is None or signer.role != Role.COORDINATOR.value:
            raise _tampered(row.number)
        if not keys.verify(bytes(row.signature), tombstone_statement(self.ms.vault.vault_id, row)):
            raise _tampered(row.number)
