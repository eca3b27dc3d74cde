"""Referrals received in a bundle from another organisation (the exit programme's side).

The bundle code verifies a bundle (SECURITY.md, every check in order) and then hands the
decrypted referral to :meth:`IncomingReferrals.store` inside its own transaction, so the replay
marker, the stored referral and the audit entry commit together or not at all. An incoming
referral gets a data key of its own, wrapped under the receiving vault's casework group
(services/accounts/casework.py): every coordinator and member can read it, the DPO and
guests hold no key that opens it. Its payload carries the sender's name, the
values and the sender's field definitions (labels travel with the values, since the two
vaults' forms may differ); attachments are stored in 1 MiB chunks like case attachments.
"""

from __future__ import annotations

import builtins
import hashlib
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput, NotFound, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referrals import (
    FieldValue,
    IncomingAttachment,
    IncomingReferral,
    Programme,
    ReferralAction,
    ReferralForm,
)
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.cases.reader import Logins, utc
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.codecs.referrals import (
    dumps,
    form_from_json,
    form_to_json,
    loads,
    values_from_json,
)
from infohus_desktop.vault.referral_schema import (
    IncomingAttachmentChunkRow,
    IncomingAttachmentRow,
    IncomingReferralRow,
)

CHUNK_BYTES = 1024 * 1024
_READERS = (Role.COORDINATOR, Role.MEMBER)


@dataclass(frozen=True, slots=True)
class IncomingAttachmentData:
    """One attachment as the bundle carried it (already verified and decrypted)."""

    filename: str
    media_type: str
    data: bytes


def _ctx(table: str, column: str, row_id: uuid.UUID) -> FieldContext:
    return FieldContext(table, column, row_id, None)


def _chunk_ctx(attachment_id: uuid.UUID, idx: int, last: bool) -> FieldContext:
    tail = "last" if last else "more"
    return _ctx("incoming_referral_attachment_chunks", f"data:{idx}:{tail}", attachment_id)


def _not_found() -> NotFound:
    return NotFound("Ingen sådan indgående henvisning.", "No such incoming referral.")


def _broken() -> TamperedData:
    return TamperedData(
        "Bilaget er ufuldstændigt eller ændret og kan ikke læses.",
        "The attachment is incomplete or altered and cannot be read.",
    )


class IncomingReferrals:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def store(
        self,
        session: Session,
        *,
        bundle_id: str,
        sender: str,
        values: Mapping[str, FieldValue],
        form: ReferralForm,
        attachments: Collection[IncomingAttachmentData] = (),
        sent_on: date | None = None,
    ) -> uuid.UUID:
        self.ms.require(*_READERS)
        clean = values_from_json(dict(values))
        try:
            programme = Programme(str(clean.get("programme", Programme.OTHER.value)))
        except ValueError:
            programme = Programme.OTHER
        if not bundle_id or len(bundle_id) > 64:
            raise InvalidInput("Ugyldigt pakke-id.", "Invalid bundle id.")
        casework = casework_group_id(self.ms, session)
        key = self.ms.keyring.new_data_key(session, casework)
        incoming_id, at = uuid.uuid4(), datetime.now(UTC)
        payload = {
            "sender": sender,
            "values": clean,
            "form": form_to_json(form),
            "sent_on": sent_on.isoformat() if sent_on else None,
        }
        session.add(
            IncomingReferralRow(
                id=incoming_id,
                bundle_id=bundle_id,
                group_id=casework,
                data_key_id=key.key_id,
                programme=programme.value,
                received_at=at,
                received_by=self.ms.member.id,
                payload=key.encrypt(
                    dumps(payload), _ctx("incoming_referrals", "payload", incoming_id)
                ),
            )
        )
        session.flush()
        for position, attachment in enumerate(attachments):
            self._store_attachment(session, key, incoming_id, position, attachment)
        self.ms.record(
            session,
            ReferralAction.INCOMING_STORE,
            incoming_id,
            Purpose.CASEWORK,
            f"bundle {bundle_id} {len(attachments)} attachments",
        )
        return incoming_id

    def _store_attachment(
        self,
        session: Session,
        key: FieldKey,
        incoming_id: uuid.UUID,
        position: int,
        attachment: IncomingAttachmentData,
    ) -> None:
        attachment_id = uuid.uuid4()
        data = attachment.data
        count = max(1, -(-len(data) // CHUNK_BYTES))
        meta = {
            "filename": attachment.filename,
            "media_type": attachment.media_type,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        session.add(
            IncomingAttachmentRow(
                id=attachment_id,
                incoming_id=incoming_id,
                position=position,
                size=len(data),
                chunks=count,
                payload=key.encrypt(
                    dumps(meta), _ctx("incoming_referral_attachments", "payload", attachment_id)
                ),
            )
        )
        session.flush()
        view = memoryview(data)
        for idx in range(count):
            part = bytes(view[idx * CHUNK_BYTES : (idx + 1) * CHUNK_BYTES])
            chunk = IncomingAttachmentChunkRow(
                attachment_id=attachment_id,
                idx=idx,
                data=key.encrypt(part, _chunk_ctx(attachment_id, idx, idx == count - 1)),
            )
            session.add(chunk)
            session.flush()
            session.expunge(chunk)

    # -- reading ----------------------------------------------------------------------------

    def _checked(self, session: Session, row: object, incoming_id: uuid.UUID) -> None:
        """The row's clear values as sealed, or ``RowTampered`` (noted for the audit log)."""
        try:
            self.ms.check_bound(session, row)
        except TamperedData:
            self.ms.note_tampered(incoming_id, incoming_id.hex[:8], ReferralAction.TAMPERED)
            raise

    def _read_or_tampered(
        self, session: Session, row: IncomingReferralRow, login: Logins
    ) -> IncomingReferral:
        """One bad referral must not take the list down: it is listed as tampered."""
        try:
            return self._read(session, row, login)
        except TamperedData:
            self.ms.note_tampered(row.id, row.id.hex[:8], ReferralAction.TAMPERED)
        return IncomingReferral(
            id=row.id,
            bundle_id="",
            sender="",
            received_at=datetime.min.replace(tzinfo=UTC),
            received_by_login="",
            programme=Programme.PET_EXIT,
            values={},
            form=ReferralForm(()),
            tampered=True,
        )

    def _read(self, session: Session, row: IncomingReferralRow, login: Logins) -> IncomingReferral:
        self._checked(session, row, row.id)
        key = self.ms.keyring.field_key_by_id(session, row.data_key_id)
        payload = loads(key.decrypt(row.payload, _ctx("incoming_referrals", "payload", row.id)))
        attachments = []
        for a in session.scalars(
            select(IncomingAttachmentRow)
            .where(IncomingAttachmentRow.incoming_id == row.id)
            .order_by(IncomingAttachmentRow.position)
        ):
            self._checked(session, a, row.id)
            meta = loads(
                key.decrypt(a.payload, _ctx("incoming_referral_attachments", "payload", a.id))
            )
            attachments.append(
                IncomingAttachment(
                    a.id,
                    str(meta.get("filename", "")),
                    str(meta.get("media_type", "")),
                    a.size,
                    str(meta.get("sha256", "")),
                )
            )
        return IncomingReferral(
            id=row.id,
            bundle_id=row.bundle_id,
            sender=str(payload.get("sender", "")),
            received_at=utc(row.received_at),
            received_by_login=login(row.received_by),
            programme=Programme(row.programme),
            values=values_from_json(payload.get("values")),
            form=form_from_json(payload.get("form")),
            attachments=tuple(attachments),
        )

    def _readable_rows(self, session: Session) -> builtins.list[IncomingReferralRow]:

        groups = readable_group_ids(self.ms, session)
        return builtins.list(
            session.scalars(
                select(IncomingReferralRow)
                .where(IncomingReferralRow.group_id.in_(groups))
                .order_by(IncomingReferralRow.received_at.desc())
            )
        )

    def list(self) -> builtins.list[IncomingReferral]:
        self.ms.require(*_READERS)
        self.ms.audited_read(ReferralAction.INCOMING_LIST, None, Purpose.CASEWORK)
        with self.ms.uow() as session:
            login = Logins(session)
            out = [
                self._read_or_tampered(session, row, login) for row in self._readable_rows(session)
            ]
        self.ms.report_tampered()
        return out

    def _row(self, session: Session, incoming_id: uuid.UUID) -> IncomingReferralRow:
        self.ms.require(*_READERS)
        row = session.get(IncomingReferralRow, incoming_id)
        if row is None or row not in self._readable_rows(session):
            raise _not_found()
        return row

    def show(self, incoming_id: uuid.UUID) -> IncomingReferral:
        with self.ms.uow() as session:
            self._row(session, incoming_id)
        self.ms.audited_read(ReferralAction.INCOMING_READ, incoming_id, Purpose.CASEWORK)
        with self.ms.uow() as session:
            return self._read(session, self._row(session, incoming_id), Logins(session))

    def read_attachment(
        self, incoming_id: uuid.UUID, attachment_id: uuid.UUID, sink: BinaryIO
    ) -> IncomingAttachment:
        """Write one attachment's bytes to ``sink``; checked chunk by chunk and by SHA-256."""
        with self.ms.uow() as session:
            self._row(session, incoming_id)
        self.ms.audited_read(
            ReferralAction.INCOMING_READ, incoming_id, Purpose.CASEWORK, str(attachment_id)
        )
        with self.ms.uow() as session:
            row = self._row(session, incoming_id)
            a = session.get(IncomingAttachmentRow, attachment_id)
            if a is None or a.incoming_id != row.id:
                raise NotFound("Intet sådant bilag.", "No such attachment.")
            self._checked(session, row, row.id)
            self._checked(session, a, row.id)
            key = self.ms.keyring.field_key_by_id(session, row.data_key_id)
            meta = loads(
                key.decrypt(a.payload, _ctx("incoming_referral_attachments", "payload", a.id))
            )
            digest, total, expected = hashlib.sha256(), 0, 0
            for chunk in session.scalars(
                select(IncomingAttachmentChunkRow)
                .where(IncomingAttachmentChunkRow.attachment_id == a.id)
                .order_by(IncomingAttachmentChunkRow.idx)
            ):
                if chunk.idx != expected:
                    raise _broken()
                data = key.decrypt(
                    chunk.data, _chunk_ctx(a.id, chunk.idx, chunk.idx == a.chunks - 1)
                )
                digest.update(data)
                sink.write(data)
                total += len(data)
                expected += 1
            if expected != a.chunks or total != a.size or digest.hexdigest() != meta.get("sha256"):
                raise _broken()
            return IncomingAttachment(
                a.id, str(meta["filename"]), str(meta["media_type"]), a.size, str(meta["sha256"])
            )

    # -- the PDF and its print/save audit ----------------------------------------------------

    def pdf(self, incoming_id: uuid.UUID, language: str = "da") -> bytes:
        """The incoming referral as the same filing form (with the sender's labels)."""

        with self.ms.uow() as session:
            self._row(session, incoming_id)
        self.ms.audited_read(ReferralAction.INCOMING_PDF, incoming_id, Purpose.CASEWORK)
        with self.ms.uow() as session:
            incoming = self._read(session, self._row(session, incoming_id), Logins(session))
        # ReportLab is imported when the first PDF is built (on the worker), not when the
        # unlock loads this service (issue 17).
        from infohus_desktop.reports.referral_form import render_incoming

        return render_incoming(incoming, self.ms.member, language, self.ms.vault.infohus_name)

    def record_output(self, incoming_id: uuid.UUID, action: str) -> None:
        kinds = {"print": ReferralAction.INCOMING_PRINT, "save": ReferralAction.INCOMING_SAVE}
        if action not in kinds:
            raise InvalidInput("Ukendt handling.", "Unknown action.")
        with self.ms.transaction() as session:
            self._row(session, incoming_id)
            self.ms.record(session, kinds[action], incoming_id, Purpose.CASEWORK)


def _as_uuid(ref: uuid.UUID | str) -> uuid.UUID:
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(str(ref).strip())
    except ValueError:
        raise _not_found() from None


class IncomingMixin:
    """The incoming-referral methods of ``session.referrals`` (``ReferralService``)."""

    ms: MemberSession

    # -- incoming referrals (received in a bundle) -----------------------------------------

    def store_incoming(
        self,
        session: Session,
        *,
        bundle_id: str,
        sender: str,
        values: Mapping[str, FieldValue],
        form: ReferralForm,
        attachments: Collection[IncomingAttachmentData] = (),
        sent_on: date | None = None,
    ) -> uuid.UUID:
        """Store a referral that arrived in a verified bundle, in the CALLER's transaction
        (the bundle import records its replay marker and audit entry in the same one)."""
        return IncomingReferrals(self.ms).store(
            session,
            bundle_id=bundle_id,
            sender=sender,
            values=values,
            form=form,
            attachments=attachments,
            sent_on=sent_on,
        )

    def incoming(self) -> builtins.list[IncomingReferral]:
        """Incoming referrals (without attachment bytes), newest first; audited."""
        return IncomingReferrals(self.ms).list()

    def show_incoming(self, incoming_id: uuid.UUID | str) -> IncomingReferral:
        return IncomingReferrals(self.ms).show(_as_uuid(incoming_id))

    def incoming_pdf(self, incoming_id: uuid.UUID | str, language: str = "da") -> bytes:
        """An incoming referral as the filing form PDF; audited like the referral's own."""
        return IncomingReferrals(self.ms).pdf(_as_uuid(incoming_id), language)

    def incoming_output_audit(
        self, incoming_id: uuid.UUID | str
    ) -> Callable[[MemberSession, str], None]:
        """The ``audit(session, action)`` for the preview of an incoming referral's PDF."""
        return lambda ms, action: IncomingReferrals(ms).record_output(_as_uuid(incoming_id), action)
