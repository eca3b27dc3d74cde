"""The backup container on its own (crypto/backup_container.py): what it writes reads back, and
every crafted bad file — a flipped byte anywhere in the frame, a header changed and re-signed
wrongly, chunks moved, repeated, dropped or taken from another backup, the file cut at every
chunk boundary, data appended — is refused with one clear reason before a byte of plaintext
is used. The vault-level checks (manifest, signer, audit log) are in
tests/integration/test_backups.py."""

from __future__ import annotations

import io
import struct
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.backup_container import (
    CHUNK_SIZE,
    MAGIC,
    PREFIX_BYTES,
    SIGNATURE_BYTES,
    TAG_BYTES,
    BackupHeader,
    BackupWriter,
    KeySlot,
    open_file_key,
    plaintext_chunks,
    read_frame,
    seal_file_key,
)
from infohus_desktop.crypto.encoding import canonical_json
from infohus_desktop.crypto.keys import UserKeyPair
from infohus_desktop.domain.backups import BackupFault, BackupRejected
from infohus_desktop.domain.errors import WrongPassphrase

CHEAP = kdf.KdfParams(memory_kib=64, iterations=1, lanes=1)
PASSPHRASE = "lars' lange frase til kopien"
VAULT = uuid.UUID("7b52fd65-f6e4-4ba5-b313-ea1d1ac28cf8")


@pytest.fixture(autouse=True)
def _cheap_kdf() -> Iterator[None]:
    kdf._set_floor_for_tests(CHEAP)
    yield
    kdf._set_floor_for_tests(kdf.PRODUCTION_FLOOR)


class Holder:
    def __init__(self, login: str, passphrase: str) -> None:
        self.id = uuid.uuid4()
        self.login = login
        self.passphrase = passphrase
        self.keys = UserKeyPair.generate()
        self.salt = kdf.new_salt()
        self.sealed = self.keys.seal(kdf.derive_key(passphrase, self.salt, CHEAP), self.id, CHEAP)

    def slot(self, backup_id: uuid.UUID, file_key: bytes) -> KeySlot:
        return KeySlot(
            self.id,
            self.login,
            CHEAP.to_json(),
            self.salt,
            self.sealed,
            seal_file_key(file_key, backup_id, VAULT, self.id, self.keys.public()),
        )


@pytest.fixture(scope="module")
def holders() -> tuple[Holder, Holder]:
    kdf._set_floor_for_tests(CHEAP)
    return Holder("lars", PASSPHRASE), Holder("mette", "mettes lange frase til kopien")


def make(
    holders: tuple[Holder, ...], payload: bytes, signer: UserKeyPair | None = None
) -> tuple[bytes, BackupHeader]:
    backup_id, file_key = uuid.uuid4(), bytes(range(32))
    header = BackupHeader(
        backup_id=backup_id,
        vault_id=VAULT,
        created=datetime(2026, 12, 5, 10, 0, tzinfo=UTC),
        signer_id=holders[0].id,
        signer_login=holders[0].login,
        signer_key=holders[0].keys.public().sign,
        root_fingerprint="D112 53AE A4A6 1850 0AEB A892 94B7 ED75",
        schema="0018",
        engine="sqlite",
        slots=tuple(h.slot(backup_id, file_key) for h in holders),
    )
    out = io.BytesIO()
    writer = BackupWriter(out, header, file_key, signer or holders[0].keys)
    for start in range(0, len(payload), 10_000):  # written in pieces, as a dump does
        writer.write(payload[start : start + 10_000])
    writer.close()
    return out.getvalue(), header


def read_all(data: bytes, login: str = "lars", passphrase: str = PASSPHRASE) -> bytes:
    handle = io.BytesIO(data)
    frame = read_frame(handle)
    file_key, _keys = open_file_key(frame.header, login, passphrase)
    return b"".join(plaintext_chunks(handle, frame, file_key))


PAYLOAD = bytes(range(256)) * 1100  # 281,600 bytes: four full chunks and a short last one


def body_start(data: bytes) -> int:
    (length,) = struct.unpack(">I", data[10:14])
    return PREFIX_BYTES + length + SIGNATURE_BYTES


def fault_of(data: bytes, **kwargs: str) -> BackupFault:
    with pytest.raises(BackupRejected) as caught:
        read_all(data, **kwargs)
    assert caught.value.message("da").startswith("Sikkerhedskopien afvises:")
    return caught.value.fault


# -- what works ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])
def test_every_payload_size_reads_back(holders: tuple[Holder, Holder], size: int) -> None:
    payload = bytes((i * 7) % 251 for i in range(size))
    data, _header = make(holders, payload)
    assert read_all(data) == payload
    assert read_all(data, "mette", "mettes lange frase til kopien") == payload


def test_the_header_is_canonical_and_names_no_content(holders: tuple[Holder, Holder]) -> None:
    data, header = make(holders, PAYLOAD)
    assert data.startswith(MAGIC)
    frame = read_frame(io.BytesIO(data))
    assert frame.header == header
    raw = data[PREFIX_BYTES : body_start(data) - SIGNATURE_BYTES]
    assert raw == canonical_json(header.to_json())
    assert b"\x00\x01\x02\x03" not in data[body_start(data) :]  # the payload is not in clear


def test_a_wrong_passphrase_and_a_stranger_are_told_apart(holders: tuple[Holder, Holder]) -> None:
    data, _header = make(holders, PAYLOAD)
    with pytest.raises(WrongPassphrase):
        read_all(data, "lars", "ikke lars' frase")
    assert fault_of(data, login="pia", passphrase=PASSPHRASE) is BackupFault.NO_KEY


# -- crafted bad files: each refused with its reason --------------------------------------------


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _frame_positions(data: bytes) -> list[tuple[str, int]]:
    start = body_start(data)
    header_end = start - SIGNATURE_BYTES
    return [
        ("magic", 0),
        ("magic-last", 7),
        ("version", 9),
        ("length-high", 10),
        ("length-low", 13),
        ("header-start", PREFIX_BYTES),
        ("header-middle", (PREFIX_BYTES + header_end) // 2),
        ("header-end", header_end - 1),
        ("signature-start", header_end),
        ("signature-end", start - 1),
    ]


def test_a_flipped_bit_anywhere_in_the_frame_is_refused(holders: tuple[Holder, Holder]) -> None:
    data, _header = make(holders, PAYLOAD)
    expected = {
        "magic": {BackupFault.MAGIC},
        "magic-last": {BackupFault.MAGIC},
        "version": {BackupFault.VERSION},
        "length-high": {BackupFault.HEADER},
        "length-low": {BackupFault.HEADER, BackupFault.LENGTH},
        "header-start": {BackupFault.HEADER},
        "header-middle": {BackupFault.HEADER, BackupFault.SIGNATURE},
        "header-end": {BackupFault.HEADER},
        "signature-start": {BackupFault.SIGNATURE},
        "signature-end": {BackupFault.SIGNATURE},
    }
    for name, at in _frame_positions(data):
        assert fault_of(_flip(data, at)) in expected[name], name


def test_a_flipped_bit_in_any_chunk_is_refused(holders: tuple[Holder, Holder]) -> None:
    data, _header = make(holders, PAYLOAD)
    start, sealed = body_start(data), CHUNK_SIZE + TAG_BYTES
    chunks = (len(data) - start + sealed - 1) // sealed
    for index in range(chunks):
        for offset in (0, 100, sealed - 1):  # ciphertext start, middle, tag
            at = min(start + index * sealed + offset, len(data) - 1)
            assert fault_of(_flip(data, at)) is BackupFault.DECRYPT, (index, offset)


def test_every_cut_at_a_chunk_boundary_is_refused(holders: tuple[Holder, Holder]) -> None:
    data, _header = make(holders, PAYLOAD)
    start, sealed = body_start(data), CHUNK_SIZE + TAG_BYTES
    boundaries = list(range(start, len(data), sealed))
    assert len(boundaries) == 5
    for cut in boundaries:
        assert fault_of(data[:cut]) is BackupFault.LENGTH, cut
    for cut in (start + 5, start + sealed + 17, len(data) - 1):  # and inside chunks
        assert fault_of(data[:cut]) in {BackupFault.LENGTH, BackupFault.DECRYPT}, cut


def test_a_cut_inside_the_frame_is_refused(holders: tuple[Holder, Holder]) -> None:
    data, _header = make(holders, PAYLOAD)
    for cut in (0, 3, 8, 12, PREFIX_BYTES + 10, body_start(data) - 1):
        assert fault_of(data[:cut]) in {BackupFault.MAGIC, BackupFault.LENGTH}, cut


@pytest.mark.parametrize("extra", [b"\x00", b"x" * 16, b"y" * (CHUNK_SIZE + TAG_BYTES)])
def test_data_after_the_last_chunk_is_refused(holders: tuple[Holder, Holder], extra: bytes) -> None:
    data, _header = make(holders, PAYLOAD)
    assert fault_of(data + extra) in {BackupFault.LENGTH, BackupFault.DECRYPT}


def test_moved_repeated_dropped_and_foreign_chunks_are_refused(
    holders: tuple[Holder, Holder],
) -> None:
    data, _header = make(holders, PAYLOAD)
    other, _ = make(holders, PAYLOAD)
    start, sealed = body_start(data), CHUNK_SIZE + TAG_BYTES
    head = data[:start]
    chunks = [data[i : i + sealed] for i in range(start, len(data), sealed)]
    foreign = [other[i : i + sealed] for i in range(body_start(other), len(other), sealed)]
    crafted = {
        "swapped": [chunks[1], chunks[0], *chunks[2:]],
        "repeated": [chunks[0], chunks[0], *chunks[2:]],
        "dropped-middle": [chunks[0], *chunks[2:]],
        "last-dropped": chunks[:-1],
        "last-moved-up": [*chunks[:2], chunks[-1]],
        "foreign-first": [foreign[0], *chunks[1:]],
        "foreign-last": [*chunks[:-1], foreign[-1]],
        "extra-full-chunk": [*chunks[:-1], chunks[0], chunks[-1]],
    }
    for name, parts in crafted.items():
        assert fault_of(head + b"".join(parts)) in {BackupFault.DECRYPT, BackupFault.LENGTH}, name


def test_another_members_signature_over_the_same_header_is_refused(
    holders: tuple[Holder, Holder],
) -> None:
    """The header names lars's key; mette signing it (or anyone else) does not pass."""
    data, _header = make(holders, PAYLOAD, signer=holders[1].keys)
    assert fault_of(data) is BackupFault.SIGNATURE


def _reheader(data: bytes, change: dict[str, object], signer: UserKeyPair) -> bytes:
    """The header rewritten and correctly signed by ``signer``, the body kept."""
    import json

    start = body_start(data)
    obj = json.loads(data[PREFIX_BYTES : start - SIGNATURE_BYTES])
    obj.update(change)
    encoded = canonical_json(obj)
    prefix = MAGIC + struct.pack(">HI", 1, len(encoded))
    return prefix + encoded + signer.sign(prefix + encoded) + data[start:]


def test_a_re_signed_header_cannot_move_the_chunks(holders: tuple[Holder, Holder]) -> None:
    """Whoever holds a signing key can sign a new header, but the chunks are bound to the
    hash of the header they were written under: new id, vault or date and they fail."""
    data, _header = make(holders, PAYLOAD)
    lars = holders[0].keys
    for change in (
        {"created": "2026-12-06T10:00:00Z"},
        {"engine": "postgresql"},
        {"schema": "0017"},
    ):
        assert fault_of(_reheader(data, change, lars)) is BackupFault.DECRYPT, change
    # A new backup or vault id also changes what the file key was sealed to.
    for change in ({"backup": str(uuid.uuid4())}, {"vault": str(uuid.uuid4())}):
        assert fault_of(_reheader(data, change, lars)) is BackupFault.DECRYPT, change


@pytest.mark.parametrize(
    "change",
    [
        {"format": 2},
        {"format": True},
        {"chunk_size": 4096},
        {"engine": "mysql"},
        {"schema": "../0018"},
        {"root": "not a fingerprint"},
        {"created": "2026-12-05 10:00:00"},
        {"backup": "7B52FD65-F6E4-4BA5-B313-EA1D1AC28CF8"},
        {"keys": []},
        {"keys": "lars"},
        {"created_by": {"login": "lars"}},
        {"extra": 1},
    ],
)
def test_a_malformed_header_is_refused_even_when_signed(
    holders: tuple[Holder, Holder], change: dict[str, object]
) -> None:
    data, _header = make(holders, PAYLOAD)
    assert fault_of(_reheader(data, change, holders[0].keys)) is BackupFault.HEADER


def test_a_key_slot_with_weak_kdf_parameters_is_refused(holders: tuple[Holder, Holder]) -> None:
    """A forged slot cannot lower the key derivation's cost below the floor."""
    import json

    data, _header = make(holders, PAYLOAD)
    start = body_start(data)
    obj = json.loads(data[PREFIX_BYTES : start - SIGNATURE_BYTES])
    obj["keys"][0]["kdf"] = kdf.KdfParams(memory_kib=8, iterations=1, lanes=1).to_json()
    assert fault_of(_reheader(data, obj, holders[0].keys)) is BackupFault.HEADER


def test_not_a_backup_is_told_so(holders: tuple[Holder, Holder]) -> None:
    for data in (b"", b"SQLite format 3\x00", b"\x89IHB\r\n\x1a\n" + bytes(100), b"\x89IHK"):
        assert fault_of(data) in {BackupFault.MAGIC, BackupFault.LENGTH}
