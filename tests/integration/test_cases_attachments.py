"""Concern cases, part 4: attachments (*bilag*), encrypted in chunks under the case key.

Byte-for-byte round trips at the chunk boundaries, every way of damaging the stored chunks,
the size cap, removal, and a 50 MB file that streams through without being held in memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import InvalidInput, NotFound, TamperedData
from infohus_desktop.services.cases import attachments as attachments
from infohus_desktop.services.cases.attachments import AttachmentService
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import AttachmentChunkRow, AttachmentRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MIB = 1024 * 1024


def _case(district: District) -> tuple[MemberServices, str]:
    lars = district.coordinator
    return lars, lars.cases.open_case(new_case("Bilag Bilagsen", None)).number


def _add(ms: MemberServices, ref: str, data: bytes, name: str = "bilag.bin") -> uuid.UUID:
    return ms.attachments.add(ref, name, io.BytesIO(data)).id


def _read(ms: MemberServices, ref: str, attachment_id: uuid.UUID) -> bytes:
    sink = io.BytesIO()
    ms.attachments.read(ref, attachment_id, sink)
    return sink.getvalue()


def _stored(district: District) -> tuple[int, int]:
    """How many attachment rows and chunk rows the database holds."""
    with district.open().uow() as session:
        return (
            session.scalar(select(func.count()).select_from(AttachmentRow)) or 0,
            session.scalar(select(func.count()).select_from(AttachmentChunkRow)) or 0,
        )


def test_round_trip_byte_for_byte_at_the_chunk_boundaries(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    lars, ref = _case(district)
    chunk = attachments.CHUNK_BYTES
    files = {f"real-{n}.bin": os.urandom(n) for n in (0, 1, chunk, chunk + 1)}
    ids = {name: _add(lars, ref, data, name) for name, data in files.items()}

    monkeypatch.setattr(attachments, "CHUNK_BYTES", 64)
    small = {f"small-{n}.bin": os.urandom(n) for n in (0, 63, 64, 65, 64 * 7, 64 * 7 + 1)}
    ids |= {name: _add(lars, ref, data, name) for name, data in small.items()}
    files |= small

    with district.open().uow() as session:
        chunks = dict(session.execute(select(AttachmentRow.id, AttachmentRow.chunks)).all())
    for name, data in files.items():
        size = 64 if name.startswith("small") else chunk
        assert chunks[ids[name]] == max(1, -(-len(data) // size)), name
        assert _read(lars, ref, ids[name]) == data, name

    listed = {a.filename: a for a in district.unlock("lars").cases.show(ref).attachments}
    assert {name: a.size for name, a in listed.items()} == {n: len(d) for n, d in files.items()}
    assert {a.by_login for a in listed.values()} == {"lars"}

    # The file name loses any path; the media type follows the name unless given.
    info = lars.attachments.add(ref, "C:\\Users\\lars\\Skrivebord\\Notat.pdf", io.BytesIO(b"%"))
    assert (info.filename, info.media_type) == ("Notat.pdf", "application/pdf")
    info = lars.attachments.add(ref, "/tmp/x/lyd", io.BytesIO(b"x"), media_type="audio/ogg")
    assert (info.filename, info.media_type) == ("lyd", "audio/ogg")
    with pytest.raises(InvalidInput):
        lars.attachments.add(ref, "C:\\mappe\\", io.BytesIO(b"x"))


def _chunk(session: Session, attachment_id: uuid.UUID, idx: int) -> bytes:
    return bytes(
        session.execute(
            text("SELECT data FROM case_attachment_chunks WHERE attachment_id = :a AND idx = :i"),
            {"a": str(attachment_id), "i": idx},
        ).scalar_one()
    )


def _set_chunk(session: Session, attachment_id: uuid.UUID, idx: int, data: bytes) -> None:
    session.execute(
        text("UPDATE case_attachment_chunks SET data = :d WHERE attachment_id = :a AND idx = :i"),
        {"d": data, "a": str(attachment_id), "i": idx},
    )


def _drop_chunk(session: Session, attachment_id: uuid.UUID, idx: int) -> None:
    session.execute(
        text("DELETE FROM case_attachment_chunks WHERE attachment_id = :a AND idx = :i"),
        {"a": str(attachment_id), "i": idx},
    )


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_damaged_chunks_are_refused(district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments, "CHUNK_BYTES", 64)
    lars, ref = _case(district)
    data = os.urandom(64 * 5 + 10)  # six chunks, the last one short
    last = 5
    donor = _add(lars, ref, os.urandom(64 * 5 + 10), "donor.bin")

    def swap(s: Session, a: uuid.UUID) -> None:
        one, two = _chunk(s, a, 1), _chunk(s, a, 2)
        _set_chunk(s, a, 1, two)
        _set_chunk(s, a, 2, one)

    def drop_last_and_fix_count(s: Session, a: uuid.UUID) -> None:
        _drop_chunk(s, a, last)
        s.execute(
            text("UPDATE case_attachments SET chunks = chunks - 1 WHERE id = :a"), {"a": str(a)}
        )

    damage: dict[str, Callable[[Session, uuid.UUID], None]] = {
        "flipped byte in a middle chunk": lambda s, a: _set_chunk(
            s, a, 2, _flip(_chunk(s, a, 2), 40)
        ),
        "flipped byte in the tag of the last chunk": lambda s, a: _set_chunk(
            s, a, last, _flip(_chunk(s, a, last), len(_chunk(s, a, last)) - 1)
        ),
        "dropped middle chunk": lambda s, a: _drop_chunk(s, a, 3),
        "dropped first chunk": lambda s, a: _drop_chunk(s, a, 0),
        "swapped chunks": swap,
        "truncated last chunk": lambda s, a: _set_chunk(s, a, last, _chunk(s, a, last)[:-5]),
        "dropped last chunk": lambda s, a: _drop_chunk(s, a, last),
        "dropped last chunk, count fixed": drop_last_and_fix_count,
        "chunk from another attachment": lambda s, a: _set_chunk(s, a, 1, _chunk(s, donor, 1)),
        "size in clear changed": lambda s, a: s.execute(
            text("UPDATE case_attachments SET size = size - 10 WHERE id = :a"), {"a": str(a)}
        ),
    }
    accepted, refusals = [], []
    for what, harm in damage.items():
        attachment_id = _add(lars, ref, data)
        assert _read(lars, ref, attachment_id) == data  # intact before the damage
        with district.open().uow() as session:
            harm(session, attachment_id)
        try:
            _read(lars, ref, attachment_id)
        except TamperedData as exc:
            refusals.append(exc.message("en"))
        else:
            accepted.append(what)
    assert accepted == []
    # Damage to the chunks fails their AEAD; a clear count or size changed by SQL no longer
    # matches the attachment's sealed copy (its metadata binding) and is named as such.
    assert all(
        "altered" in message or "changed outside the program" in message for message in refusals
    )
    assert len(_read(lars, ref, donor)) == 64 * 5 + 10  # the donor itself is untouched


def test_the_size_cap_refuses_clearly_and_stores_nothing(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "CHUNK_BYTES", 256 * 1024)
    lars, ref = _case(district)
    capped = AttachmentService(lars, max_bytes=2 * MIB)
    with pytest.raises(InvalidInput) as caught:
        capped.add(ref, "for-stor.bin", io.BytesIO(os.urandom(2 * MIB + 1)))
    assert caught.value.message("en") == (
        "The attachment is larger than 2 MB and cannot be stored. Nothing was saved."
    )
    assert "2 MB" in caught.value.message("da")
    assert _stored(district) == (0, 0)
    assert lars.cases.show(ref).attachments == ()
    assert lars.audit.list(action="case.attachment.add") == []

    exactly = os.urandom(2 * MIB)
    attachment_id = capped.add(ref, "netop.bin", io.BytesIO(exactly)).id
    assert _read(lars, ref, attachment_id) == exactly
    assert _stored(district) == (1, 8)


def test_a_cap_below_one_megabyte_is_not_shown_as_zero(district: District) -> None:
    lars, ref = _case(district)
    with pytest.raises(InvalidInput) as caught:
        AttachmentService(lars, max_bytes=500 * 1024).add(
            ref, "x.bin", io.BytesIO(os.urandom(500 * 1024 + 1))
        )
    assert "larger than 500 KB" in caught.value.message("en")
    assert "0 MB" not in caught.value.message("da")
    assert _stored(district) == (0, 0)


def test_remove_deletes_every_chunk_and_is_audited(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "CHUNK_BYTES", 64)
    lars, ref = _case(district)
    keep = _add(lars, ref, b"behold" * 30, "behold.txt")
    gone = _add(lars, ref, os.urandom(64 * 4), "fjern.bin")
    assert _stored(district) == (2, 3 + 4)

    district.unlock("lars").attachments.remove(ref, gone)
    assert _stored(district) == (1, 3)
    assert [a.filename for a in lars.cases.show(ref).attachments] == ["behold.txt"]
    with pytest.raises(NotFound):
        _read(lars, ref, gone)
    with pytest.raises(NotFound):
        lars.attachments.remove(ref, gone)
    assert _read(lars, ref, keep) == b"behold" * 30

    case_id = lars.cases.show(ref).summary.id
    (removal,) = lars.audit.list(action="case.attachment.remove")
    assert (removal.object_id, removal.detail, removal.actor_login) == (
        str(case_id),
        str(gone),
        "lars",
    )
    reads = lars.audit.list(action="case.attachment.read")
    assert {e.detail for e in reads} == {str(keep), str(gone)}


class RandomSource:
    """A file-like source of random bytes, made as they are read: never whole in memory."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.sha256 = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = os.urandom(n)
        self.left -= n
        self.sha256.update(data)
        return data


class DigestSink:
    """Keeps only the length and the SHA-256 of what is written to it."""

    def __init__(self) -> None:
        self.size = 0
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self.sha256.update(data)
        return len(data)


def test_a_50_mb_attachment_streams_through_in_little_memory(district: District) -> None:
    lars, ref = _case(district)
    size = 50 * 1000 * 1000
    source, sink = RandomSource(size), DigestSink()
    tracemalloc.start()
    try:
        info = lars.attachments.add(ref, "video.mp4", source)  # type: ignore[arg-type]
        _, peak_add = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        lars.attachments.read(ref, info.id, sink)  # type: ignore[arg-type]
        _, peak_read = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.size, sink.size) == (size, size)
    assert sink.sha256.digest() == source.sha256.digest()
    assert peak_add < size // 2, f"add peaked at {peak_add / MIB:.1f} MiB"
    assert peak_read < size // 2, f"read peaked at {peak_read / MIB:.1f} MiB"
