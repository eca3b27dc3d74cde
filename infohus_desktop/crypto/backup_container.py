"""The backup container: a vault's rows, encrypted to its coordinators and signed by the one
who made it (docs/SECURITY.md §14 has the layout; keep the two in step).

``magic(8) ‖ version(u16) ‖ header length(u32) ‖ header (canonical JSON) ‖ signature(64) ‖
chunks`` — the frame of the bundle format (docs/BUNDLE.md §1 and §3) with its own magic and
two differences that follow from what a backup is:

* **Many key holders.** The random 256-bit file key is sealed with HPKE to *each* active
  coordinator's key, and beside each sealed copy the header carries that coordinator's
  passphrase-sealed private keys, KDF parameters and salt, exactly as the vault's ``members``
  row holds them. So one coordinator's passphrase opens the backup after every workstation
  and the database are lost, and nothing else does. The cost is stated in SECURITY.md: whoever
  holds the file can try passphrases offline, as they could with a copy of the vault.
* **Length not announced.** A snapshot is streamed as it is read, so the header cannot say how
  long the payload is. The last chunk carries the last-chunk flag in its nonce (age's STREAM),
  so a file cut at any point, at a chunk boundary or not, and a file with anything appended
  are both refused; the manifest at the end of the payload then fixes every table's row count.

The signature is checked against the signer's key in the header before anything else is
trusted; that key is then proven to be the certified key of a coordinator of the backed-up
vault once its trust tables are decrypted (services/backups/checks.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.bundle import chunk_nonce, format_time, parse_time
from infohus_desktop.crypto.bundle_keys import FINGERPRINT_RE, parse_uuid
from infohus_desktop.crypto.encoding import b64, canonical_json, lp, unb64
from infohus_desktop.crypto.keys import PublicKeys, UserKeyPair, hpke_seal
from infohus_desktop.crypto.signing import verify
from infohus_desktop.crypto.strict_json import StrictJsonError, loads_canonical
from infohus_desktop.domain.backups import BackupFault, BackupRejected
from infohus_desktop.domain.errors import InvalidInput, TamperedData, WrongPassphrase

MAGIC = b"\x89IHK\r\n\x1a\n"  # K for "kopi"; the bundle's is IHB
FORMAT_VERSION = 1
CHUNK_SIZE = 64 * 1024
TAG_BYTES = 16
SIGNATURE_BYTES = 64
FILE_KEY_BYTES = 32
SEALED_FILE_KEY_BYTES = 1168
PREFIX_BYTES = len(MAGIC) + 2 + 4
MAX_HEADER_BYTES = 64 * 1024
ENGINES = frozenset({"sqlite", "postgresql"})
_FILE_KEY_LABEL = b"infohus/backup/file-key/v1"
_PAYLOAD_LABEL = b"infohus/backup/payload/v1"
_LOGIN_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")
_SCHEMA_RE = re.compile(r"^[0-9a-z_]{1,32}$")
_HEADER_FIELDS = frozenset(
    {
        "backup",
        "chunk_size",
        "created",
        "created_by",
        "engine",
        "format",
        "keys",
        "root",
        "schema",
        "vault",
    }
)
_SIGNER_FIELDS = frozenset({"login", "member", "sign"})
_SLOT_FIELDS = frozenset({"file_key", "kdf", "login", "member", "salt", "sealed_keys"})


@dataclass(frozen=True, slots=True)
class KeySlot:
    """One coordinator who can open the backup: their sealed keys and the sealed file key."""

    member_id: uuid.UUID
    login: str
    kdf_params: str
    salt: bytes
    sealed_keys: bytes
    sealed_file_key: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "file_key": b64(self.sealed_file_key),
            "kdf": self.kdf_params,
            "login": self.login,
            "member": str(self.member_id),
            "salt": b64(self.salt),
            "sealed_keys": b64(self.sealed_keys),
        }


@dataclass(frozen=True, slots=True)
class BackupHeader:
    backup_id: uuid.UUID
    vault_id: uuid.UUID
    created: datetime
    signer_id: uuid.UUID
    signer_login: str
    signer_key: bytes  # Ed25519 public key, 32 bytes
    root_fingerprint: str
    schema: str
    engine: str
    slots: tuple[KeySlot, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "backup": str(self.backup_id),
            "chunk_size": CHUNK_SIZE,
            "created": format_time(self.created),
            "created_by": {
                "login": self.signer_login,
                "member": str(self.signer_id),
                "sign": b64(self.signer_key),
            },
            "engine": self.engine,
            "format": FORMAT_VERSION,
            "keys": [slot.to_json() for slot in self.slots],
            "root": self.root_fingerprint,
            "schema": self.schema,
            "vault": str(self.vault_id),
        }

    def encode(self) -> bytes:
        return canonical_json(self.to_json())

    def slot(self, login: str) -> KeySlot:
        wanted = login.strip().lower()
        for slot in self.slots:
            if slot.login == wanted:
                return slot
        raise BackupRejected(BackupFault.NO_KEY)


def file_key_info(backup_id: uuid.UUID, vault_id: uuid.UUID, member_id: uuid.UUID) -> bytes:
    return lp(_FILE_KEY_LABEL, backup_id.bytes, vault_id.bytes, member_id.bytes)


def payload_key(file_key: bytes, backup_id: uuid.UUID) -> bytes:
    return HKDF(SHA256(), 32, salt=backup_id.bytes, info=_PAYLOAD_LABEL).derive(file_key)


def prefix(header_bytes: bytes) -> bytes:
    return MAGIC + struct.pack(">HI", FORMAT_VERSION, len(header_bytes))


def seal_file_key(
    file_key: bytes,
    backup_id: uuid.UUID,
    vault_id: uuid.UUID,
    member_id: uuid.UUID,
    public: PublicKeys,
) -> bytes:
    return hpke_seal(file_key, public, file_key_info(backup_id, vault_id, member_id))


# -- writing ------------------------------------------------------------------------------------


class BackupWriter:
    """A write-only sink that encrypts the payload chunk by chunk into ``out``. At most one
    chunk of plaintext is buffered; :meth:`close` seals the last chunk with its flag."""

    def __init__(
        self, out: BinaryIO, header: BackupHeader, file_key: bytes, signer: UserKeyPair
    ) -> None:
        encoded = header.encode()
        if len(encoded) > MAX_HEADER_BYTES:
            raise InvalidInput(
                "For mange koordinatorer til én sikkerhedskopi.",
                "Too many coordinators for one backup.",
            )
        signed = prefix(encoded) + encoded
        self._aad = hashlib.sha256(signed).digest()
        self._aead = AESGCM(payload_key(file_key, header.backup_id))
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self.written = 0
        out.write(signed)
        out.write(signer.sign(signed))
        self.written += len(signed) + SIGNATURE_BYTES

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed by close(), with its flag.
        while len(self._buffer) > CHUNK_SIZE:
            self._emit(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, plain: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(chunk_nonce(self._counter, last), plain, self._aad)
        self._out.write(sealed)
        self.written += len(sealed)
        self._counter += 1


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenedFrame:
    """A parsed, signature-checked header and where the chunks start."""

    header: BackupHeader
    header_hash: bytes
    body_offset: int


def read_frame(handle: BinaryIO) -> OpenedFrame:
    """Parse the frame and check the signature against the header's signer key. Reads at most
    ``PREFIX_BYTES + MAX_HEADER_BYTES + 64`` bytes; decrypts nothing."""
    try:
        start = handle.read(PREFIX_BYTES)
    except OSError as exc:
        raise BackupRejected(BackupFault.UNREADABLE) from exc
    if len(start) < len(MAGIC) or start[: len(MAGIC)] != MAGIC:
        raise BackupRejected(BackupFault.MAGIC)
    if len(start) < PREFIX_BYTES:
        raise BackupRejected(BackupFault.LENGTH)
    version, length = struct.unpack(">HI", start[len(MAGIC) :])
    if version != FORMAT_VERSION:
        raise BackupRejected(BackupFault.VERSION)
    if not 0 < length <= MAX_HEADER_BYTES:
        raise BackupRejected(BackupFault.HEADER)
    encoded = handle.read(length)
    signature = handle.read(SIGNATURE_BYTES)
    if len(encoded) != length or len(signature) != SIGNATURE_BYTES:
        raise BackupRejected(BackupFault.LENGTH)
    header = _parse_header(encoded)
    signed = start + encoded
    if not verify(header.signer_key, signature, signed):
        raise BackupRejected(BackupFault.SIGNATURE)
    return OpenedFrame(header, hashlib.sha256(signed).digest(), len(signed) + SIGNATURE_BYTES)


def _parse_header(encoded: bytes) -> BackupHeader:
    try:
        obj = loads_canonical(encoded, MAX_HEADER_BYTES)
        return _header_from_json(obj)
    except (StrictJsonError, ValueError, TypeError, KeyError, InvalidInput) as exc:
        raise BackupRejected(BackupFault.HEADER) from exc


def _text(value: object, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError("bad text")
    return value


def _fields(obj: object, names: frozenset[str]) -> dict[str, Any]:
    if not isinstance(obj, dict) or obj.keys() != names:
        raise ValueError("wrong fields")
    return obj


def _bytes(value: object, size: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    raw = unb64(value)
    if size is not None and len(raw) != size:
        raise ValueError("wrong size")
    return raw


def _header_from_json(obj: object) -> BackupHeader:
    fields = _fields(obj, _HEADER_FIELDS)
    for name, wanted in (("format", FORMAT_VERSION), ("chunk_size", CHUNK_SIZE)):
        if type(fields[name]) is not int or fields[name] != wanted:  # true is not 1
            raise ValueError(name)
    if fields["engine"] not in ENGINES:
        raise ValueError("engine")
    signer = _fields(fields["created_by"], _SIGNER_FIELDS)
    raw_slots = fields["keys"]
    if not isinstance(raw_slots, list) or not raw_slots:
        raise ValueError("keys")
    slots: list[KeySlot] = []
    for raw in raw_slots:
        slot = _fields(raw, _SLOT_FIELDS)
        params = kdf.KdfParams.from_json(_text(slot["kdf"], re.compile(r"^.{1,200}$")))
        slots.append(
            KeySlot(
                member_id=parse_uuid(slot["member"]),
                login=_text(slot["login"], _LOGIN_RE),
                kdf_params=params.to_json(),
                salt=_bytes(slot["salt"], 16),
                sealed_keys=_bytes(slot["sealed_keys"]),
                sealed_file_key=_bytes(slot["file_key"], SEALED_FILE_KEY_BYTES),
            )
        )
        if params.to_json() != slot["kdf"]:
            raise ValueError("kdf not canonical")
    if len({s.login for s in slots}) != len(slots):
        raise ValueError("duplicate key holder")
    root = fields["root"]
    if not isinstance(root, str) or not FINGERPRINT_RE.match(root):
        raise ValueError("root")
    return BackupHeader(
        backup_id=parse_uuid(fields["backup"]),
        vault_id=parse_uuid(fields["vault"]),
        created=parse_time(fields["created"]),
        signer_id=parse_uuid(signer["member"]),
        signer_login=_text(signer["login"], _LOGIN_RE),
        signer_key=_bytes(signer["sign"], 32),
        root_fingerprint=root,
        schema=_text(fields["schema"], _SCHEMA_RE),
        engine=fields["engine"],
        slots=tuple(slots),
    )


def open_file_key(header: BackupHeader, login: str, passphrase: str) -> tuple[bytes, UserKeyPair]:
    """One key derivation for the named coordinator's slot; a wrong passphrase raises
    :class:`WrongPassphrase`, a slot whose sealed file key does not open, ``decrypt``."""
    slot = header.slot(login)
    try:
        params = kdf.KdfParams.from_json(slot.kdf_params)
        key = kdf.derive_key(passphrase, slot.salt, params)
        keys = UserKeyPair.unseal(slot.sealed_keys, key, slot.member_id, params)
    except InvalidInput:
        raise WrongPassphrase() from None
    try:
        file_key = keys.kem.open(
            slot.sealed_file_key, file_key_info(header.backup_id, header.vault_id, slot.member_id)
        )
    except TamperedData as exc:
        raise BackupRejected(BackupFault.DECRYPT) from exc
    if len(file_key) != FILE_KEY_BYTES:
        raise BackupRejected(BackupFault.DECRYPT)
    return file_key, keys


def plaintext_chunks(handle: BinaryIO, frame: OpenedFrame, file_key: bytes) -> Iterator[bytes]:
    """Decrypt the chunks in order. A chunk is yielded only after it authenticated; the
    iterator ends only after the chunk with the last-chunk flag, with nothing after it."""
    aead = AESGCM(payload_key(file_key, frame.header.backup_id))
    size = CHUNK_SIZE + TAG_BYTES
    handle.seek(frame.body_offset)
    try:
        current = handle.read(size)
        counter = 0
        while True:
            following = handle.read(size) if len(current) == size else b""
            last = not following
            if len(current) < TAG_BYTES:
                raise BackupRejected(BackupFault.LENGTH)
            yield _open_chunk(aead, counter, current, last, frame.header_hash)
            if last:
                return
            current = following
            counter += 1
    except OSError as exc:
        raise BackupRejected(BackupFault.UNREADABLE) from exc


def _open_chunk(aead: AESGCM, counter: int, sealed: bytes, last: bool, aad: bytes) -> bytes:
    try:
        return aead.decrypt(chunk_nonce(counter, last), sealed, aad)
    except InvalidTag:
        pass
    # Tell a cut or lengthened file from an altered one: the chunk opens with the other flag.
    try:
        aead.decrypt(chunk_nonce(counter, not last), sealed, aad)
    except InvalidTag:
        raise BackupRejected(BackupFault.DECRYPT) from None
    raise BackupRejected(BackupFault.LENGTH)


def new_backup_id() -> uuid.UUID:
    return uuid.uuid4()


def new_file_key() -> bytes:
    return os.urandom(FILE_KEY_BYTES)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


__all__ = [
    "MAGIC",
    "BackupHeader",
    "BackupWriter",
    "KeySlot",
    "OpenedFrame",
    "open_file_key",
    "plaintext_chunks",
    "read_frame",
    "seal_file_key",
]
