"""Attachments (*bilag*): encrypted under the case key in 1 MiB chunks.

Each chunk is sealed with its index and a last-chunk flag in the associated data, so a chunk
moved, dropped, reordered or cut off at the end is refused, and a SHA-256 of the whole file in
the encrypted metadata is checked at the end. A 50 MB file streams through in chunks: it is
never held whole in memory, let alone twice.
"""

from __future__ import annotations

import builtins
import hashlib
import mimetypes
import uuid
from datetime import UTC
from typing import BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.errors import InvalidInput, NotFound, TamperedData
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core import clock
from infohus_desktop.services.core.access import CaseHandle, find_case
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import AttachmentChunkRow, AttachmentRow

CHUNK_BYTES = 1024 * 1024
#: The largest attachment accepted, by default. A vault setting may lower it.
MAX_BYTES = 100 * 1024 * 1024


def chunk_context(
    handle: CaseHandle, attachment_id: uuid.UUID, idx: int, last: bool
) -> FieldContext:
    return FieldContext(
        "case_attachment_chunks",
        f"data:{idx}:{'last' if last else 'more'}",
        attachment_id,
        handle.row.id,
    )


def _size_text(limit: int, decimal_mark: str, byte_word: str) -> str:
    """A limit as people read it: "100 MB", "1.5 MB", "500 KB" (never "0 MB")."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= size:
            text = f"{limit / size:.1f}".removesuffix(".0").replace(".", decimal_mark)
            return f"{text} {unit}"
    return f"{limit} {byte_word}"


def too_large(limit: int) -> InvalidInput:
    da, en = _size_text(limit, ",", "byte"), _size_text(limit, ".", "bytes")
    return InvalidInput(
        f"Bilaget er større end {da} og kan ikke gemmes. Intet er gemt.",
        f"The attachment is larger than {en} and cannot be stored. Nothing was saved.",
    )


def _read_full(stream: BinaryIO, size: int) -> bytes:
    parts = []
    remaining = size
    while remaining:
        part = stream.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


class AttachmentService:
    def __init__(self, ms: MemberSession, max_bytes: int = MAX_BYTES) -> None:
        self.ms = ms
        self.max_bytes = max_bytes

    def add(
        self, ref: str, filename: str, stream: BinaryIO, media_type: str | None = None
    ) -> AttachmentInfo:
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.ATTACH_ADD)
            return self.write(session, handle, filename, stream, media_type)

    def write(
        self,
        session: Session,
        handle: CaseHandle,
        filename: str,
        stream: BinaryIO,
        media_type: str | None = None,
    ) -> AttachmentInfo:
        """The attachment, chunk by chunk, in the caller's transaction (a transfer's import
        stores several with its case); the caller found the case for ``ATTACH_ADD``."""
        name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if not name:
            raise InvalidInput("Bilaget skal have et filnavn.", "The attachment needs a name.")
        media = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment_id, at = uuid.uuid4(), clock.now()
        digest = hashlib.sha256()
        size = idx = 0
        # The attachment row first (chunks refer to it); its size is filled in at the end.
        row = AttachmentRow(
            id=attachment_id,
            case_id=handle.row.id,
            at=at,
            by_member=self.ms.member.id,
            size=0,
            chunks=0,
            payload=handle.seal("case_attachments", "payload", attachment_id, {}),
        )
        session.add(row)
        session.flush()
        current = _read_full(stream, CHUNK_BYTES)
        while True:
            following = _read_full(stream, CHUNK_BYTES) if current else b""
            last = not following
            size += len(current)
            if size > self.max_bytes:
                raise too_large(self.max_bytes)
            digest.update(current)
            chunk = AttachmentChunkRow(
                attachment_id=attachment_id,
                idx=idx,
                data=handle.key.encrypt(current, chunk_context(handle, attachment_id, idx, last)),
            )
            session.add(chunk)
            session.flush()
            session.expunge(chunk)  # keep memory flat: the row is written, let it go
            idx += 1
            if last:
                break
            current = following
        row.size, row.chunks = size, idx
        row.payload = handle.seal(
            "case_attachments",
            "payload",
            attachment_id,
            {"filename": name, "media_type": media, "sha256": digest.hexdigest()},
        )
        session.flush()
        self.ms.record(
            session,
            "case.attachment.add",
            handle.row.id,
            Purpose.CASEWORK,
            f"{attachment_id} {size} bytes",
        )
        return AttachmentInfo(attachment_id, name, media, size, at, self.ms.member.login)

    def list(self, ref: str) -> builtins.list[AttachmentInfo]:
        return builtins.list(CaseService(self.ms).show(ref).attachments)

    def read(self, ref: str, attachment_id: uuid.UUID, sink: BinaryIO) -> AttachmentInfo:
        """Write the attachment's bytes to ``sink``, chunk by chunk. The read is audited
        first. If any chunk fails, :class:`TamperedData` is raised and the caller must discard
        what reached the sink (the CLI writes to a temporary file it deletes)."""
        with self.ms.uow() as session:
            case_id = find_case(self.ms, session, ref, CaseOp.ATTACH_READ).row.id
        self.ms.audited_read("case.attachment.read", case_id, Purpose.CASEWORK, str(attachment_id))
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.ATTACH_READ)
            row = session.get(AttachmentRow, attachment_id)
            if row is None or row.case_id != case_id:
                raise NotFound("Bilaget findes ikke i sagen.", "No such attachment in the case.")
            meta = handle.open_part(row)
            digest = hashlib.sha256()
            expected = total = 0
            # Closed on every way out: a refused chunk must not leave PostgreSQL's
            # server-side cursor (``yield_per``) open behind the exception.
            with session.scalars(
                select(AttachmentChunkRow)
                .where(AttachmentChunkRow.attachment_id == row.id)
                .order_by(AttachmentChunkRow.idx)
                .execution_options(yield_per=4)
            ) as chunks:
                for chunk in chunks:
                    if chunk.idx != expected:
                        raise _broken()
                    last = chunk.idx == row.chunks - 1
                    data = handle.key.decrypt(
                        chunk.data, chunk_context(handle, row.id, chunk.idx, last)
                    )
                    digest.update(data)
                    sink.write(data)
                    expected += 1
                    total += len(data)
                    session.expunge(chunk)
            # The size in clear is what lists show: it must be the size that was read.
            if (
                expected != row.chunks
                or total != row.size
                or digest.hexdigest() != meta.get("sha256")
            ):
                raise _broken()
            at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
            return AttachmentInfo(
                row.id, str(meta["filename"]), str(meta["media_type"]), row.size, at, ""
            )

    def remove(self, ref: str, attachment_id: uuid.UUID) -> None:
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.ATTACH_REMOVE)
            row = session.get(AttachmentRow, attachment_id)
            if row is None or row.case_id != handle.row.id:
                raise NotFound("Bilaget findes ikke i sagen.", "No such attachment in the case.")
            session.execute(
                delete(AttachmentChunkRow).where(AttachmentChunkRow.attachment_id == attachment_id)
            )
            session.delete(row)
            session.flush()
            self.ms.record(
                session,
                "case.attachment.remove",
                handle.row.id,
                Purpose.CASEWORK,
                str(attachment_id),
            )


def _broken() -> TamperedData:
    return TamperedData(
        "Bilaget er ufuldstændigt eller ændret og kan ikke læses.",
        "The attachment is incomplete or altered and cannot be read.",
    )
