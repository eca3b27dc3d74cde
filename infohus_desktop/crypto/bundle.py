"""The bundle container (docs/BUNDLE.md has the byte layout; keep the two in step).

``magic(8) ‖ version(u16) ‖ header length(u32) ‖ header (canonical JSON) ‖ signature(64) ‖
chunks``. The sender's Ed25519 key signs everything before the signature. The header carries a
random 256-bit file key sealed with HPKE to the recipient; the payload is cut into 64 KiB
chunks, each sealed with AES-256-GCM under a key derived from the file key, with the chunk
counter and a last-chunk flag in the nonce (age's STREAM) and the hash of the signed header
as associated data. The signed header fixes the payload length, so the chunk layout of a
valid bundle is fully determined: a missing, extra, reordered or altered chunk cannot pass.

This module knows no database and no Qt; :mod:`.bundle_writer` writes the format. The
reader is a set of steps the import service runs in the order of SECURITY.md (:func:`parse`
→ :func:`verify_signature` → :func:`check_recipient` → :func:`check_validity` →
:func:`decrypt`); every refusal is a :class:`~infohus_desktop.domain.bundles.BundleRejected`
with a reason code.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infohus_desktop.crypto.bundle_keys import (
    FINGERPRINT_RE,
    parse_uuid,
    valid_organisation,
)
from infohus_desktop.crypto.encoding import b64, canonical_json, lp, unb64
from infohus_desktop.crypto.keys import KemPrivateKey
from infohus_desktop.crypto.signing import verify
from infohus_desktop.crypto.strict_json import StrictJsonError, loads_canonical
from infohus_desktop.domain.bundles import (
    BundleInfo,
    BundleKind,
    BundleRejected,
    Party,
    RejectReason,
)
from infohus_desktop.domain.errors import TamperedData

MAGIC = b"\x89IHB\r\n\x1a\n"
FORMAT_VERSION = 1
CHUNK_SIZE = 64 * 1024
TAG_BYTES = 16
SIGNATURE_BYTES = 64
FILE_KEY_BYTES = 32
SEALED_FILE_KEY_BYTES = 1168  # HPKE enc (1088 + 32) ‖ AES-256-GCM(32-byte key) (48)
PREFIX_BYTES = len(MAGIC) + 2 + 4
MAX_HEADER_BYTES = 64 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
#: A bundle may be valid for at most this long; the exporter's default is shorter.
MAX_VALIDITY = timedelta(days=90)
DEFAULT_VALIDITY = timedelta(days=30)
#: How far ``created`` may lie in the future of the importing machine's clock.
CLOCK_SKEW = timedelta(minutes=5)
_FILE_KEY_LABEL = b"infohus/bundle/file-key/v1"
_PAYLOAD_LABEL = b"infohus/bundle/payload/v1"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_HEADER_FIELDS = frozenset(
    {
        "bundle",
        "chunk_size",
        "created",
        "expires",
        "file_key",
        "format",
        "kind",
        "payload_length",
        "recipient",
        "sender",
    }
)


def chunk_count(payload_length: int) -> int:
    """Chunks of a payload: an empty payload still has one (empty, last) chunk."""
    return max(1, -(-payload_length // CHUNK_SIZE))


def body_length(payload_length: int) -> int:
    return payload_length + TAG_BYTES * chunk_count(payload_length)


MAX_BUNDLE_BYTES = (
    PREFIX_BYTES + MAX_HEADER_BYTES + SIGNATURE_BYTES + body_length(MAX_PAYLOAD_BYTES)
)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: object) -> datetime:
    if not isinstance(text, str) or len(text) != 20:
        raise ValueError("bad time")
    moment = datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    if format_time(moment) != text:
        raise ValueError("bad time")
    return moment


def file_key_info(bundle_id: uuid.UUID, kind: str, sender_fp: str, recipient_fp: str) -> bytes:
    """HPKE ``info``: binds the sealed file key to this bundle, its kind and both parties,
    so it cannot be lifted into another bundle or re-signed by another sender."""
    return lp(
        _FILE_KEY_LABEL, bundle_id.bytes, kind.encode(), sender_fp.encode(), recipient_fp.encode()
    )


def payload_key(file_key: bytes, bundle_id: uuid.UUID) -> bytes:
    return HKDF(SHA256(), 32, salt=bundle_id.bytes, info=_PAYLOAD_LABEL).derive(file_key)


def chunk_nonce(counter: int, last: bool) -> bytes:
    """age's STREAM nonce: an 11-byte big-endian counter and a last-chunk flag byte."""
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def prefix(header_bytes: bytes, version: int = FORMAT_VERSION) -> bytes:
    """Magic, version and header length: what precedes the header."""
    return MAGIC + version.to_bytes(2, "big") + len(header_bytes).to_bytes(4, "big")


@dataclass(frozen=True, slots=True)
class BundleHeader:
    bundle_id: uuid.UUID
    kind: str
    sender: Party
    recipient_fingerprint: str
    created: datetime
    expires: datetime
    payload_length: int
    sealed_file_key: bytes
    chunk_size: int = CHUNK_SIZE
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle": str(self.bundle_id),
            "chunk_size": self.chunk_size,
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "file_key": b64(self.sealed_file_key),
            "format": self.format_version,
            "kind": self.kind,
            "payload_length": self.payload_length,
            "recipient": {"fingerprint": self.recipient_fingerprint},
            "sender": {
                "fingerprint": self.sender.fingerprint,
                "organisation": self.sender.organisation,
                "vault": str(self.sender.vault_id),
            },
        }

    def encode(self) -> bytes:
        return canonical_json(self.to_json())

    @classmethod
    def from_json(cls, obj: object) -> BundleHeader:
        """Exactly the fields of format 1, each in its one spelling; ValueError otherwise."""
        if not isinstance(obj, dict) or set(obj) != _HEADER_FIELDS:
            raise ValueError("header fields")
        sender, recipient = obj["sender"], obj["recipient"]
        if not isinstance(sender, dict) or set(sender) != {"fingerprint", "organisation", "vault"}:
            raise ValueError("sender")
        if not isinstance(recipient, dict) or set(recipient) != {"fingerprint"}:
            raise ValueError("recipient")
        for fp in (sender["fingerprint"], recipient["fingerprint"]):
            if not isinstance(fp, str) or not FINGERPRINT_RE.match(fp):
                raise ValueError("fingerprint")
        for number in (obj["format"], obj["chunk_size"], obj["payload_length"]):
            if type(number) is not int or number < 0:
                raise ValueError("number")
        if not isinstance(obj["kind"], str) or not isinstance(obj["file_key"], str):
            raise ValueError("types")
        return cls(
            bundle_id=parse_uuid(obj["bundle"]),
            kind=obj["kind"],
            sender=Party(
                parse_uuid(sender["vault"]),
                valid_organisation(sender["organisation"]),
                sender["fingerprint"],
            ),
            recipient_fingerprint=recipient["fingerprint"],
            created=parse_time(obj["created"]),
            expires=parse_time(obj["expires"]),
            payload_length=obj["payload_length"],
            sealed_file_key=unb64(obj["file_key"]),
            chunk_size=obj["chunk_size"],
            format_version=obj["format"],
        )

    def info(self) -> BundleInfo:
        return BundleInfo(
            self.bundle_id,
            self.format_version,
            self.kind,
            self.sender,
            self.recipient_fingerprint,
            self.created,
            self.expires,
            self.payload_length,
        )


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SealedBundle:
    """A bundle whose structure and sizes passed; nothing is verified or decrypted yet."""

    header: BundleHeader
    signed: memoryview
    signature: bytes
    body: memoryview

    @property
    def header_hash(self) -> bytes:
        return hashlib.sha256(self.signed).digest()


def parse(data: bytes | bytearray | memoryview) -> SealedBundle:
    """Step 1, the size caps and the structure: magic, version, a header of at most 64 KiB
    in strict canonical JSON, a payload of at most 256 MiB, and exactly the bytes the
    header announces — no fewer (truncated, a chunk missing), no more (trailing data)."""
    view = memoryview(data).cast("B")
    if len(view) > MAX_BUNDLE_BYTES:
        raise BundleRejected(RejectReason.TOO_LARGE)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise BundleRejected(RejectReason.MAGIC)
    if len(view) < PREFIX_BYTES:
        raise BundleRejected(RejectReason.LENGTH)
    version = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 2], "big")
    if version != FORMAT_VERSION:
        raise BundleRejected(RejectReason.VERSION)
    header_length = int.from_bytes(view[len(MAGIC) + 2 : PREFIX_BYTES], "big")
    if header_length > MAX_HEADER_BYTES:
        raise BundleRejected(RejectReason.TOO_LARGE)
    end_of_header = PREFIX_BYTES + header_length
    if len(view) < end_of_header + SIGNATURE_BYTES:
        raise BundleRejected(RejectReason.LENGTH)
    try:
        obj = loads_canonical(view[PREFIX_BYTES:end_of_header], MAX_HEADER_BYTES)
        header = BundleHeader.from_json(obj)
    except (StrictJsonError, ValueError, TypeError) as exc:
        raise BundleRejected(RejectReason.HEADER) from exc
    if header.format_version != version:
        raise BundleRejected(RejectReason.VERSION)
    if header.kind not in set(BundleKind):
        raise BundleRejected(RejectReason.KIND)
    if header.payload_length > MAX_PAYLOAD_BYTES:
        raise BundleRejected(RejectReason.TOO_LARGE)
    if header.chunk_size != CHUNK_SIZE or len(header.sealed_file_key) != SEALED_FILE_KEY_BYTES:
        raise BundleRejected(RejectReason.HEADER)
    start = end_of_header + SIGNATURE_BYTES
    if len(view) - start != body_length(header.payload_length):
        raise BundleRejected(RejectReason.LENGTH)
    return SealedBundle(
        header,
        view[:end_of_header],
        bytes(view[end_of_header:start]),
        view[start:],
    )


def verify_signature(bundle: SealedBundle, sign_public: bytes) -> None:
    """Step 2: the header is signed by the pinned key of the sender it names."""
    if not verify(sign_public, bundle.signature, bytes(bundle.signed)):
        raise BundleRejected(RejectReason.SIGNATURE)


def check_recipient(bundle: SealedBundle, own_fingerprint: str) -> None:
    """Step 3: the bundle is addressed to this vault's bundle identity."""
    if bundle.header.recipient_fingerprint != own_fingerprint:
        raise BundleRejected(RejectReason.RECIPIENT)


def check_validity(bundle: SealedBundle, now: datetime) -> None:
    """Step 4 (the time half; the service checks the bundle id was not seen before)."""
    header = bundle.header
    if header.expires <= header.created or header.expires - header.created > MAX_VALIDITY:
        raise BundleRejected(RejectReason.HEADER)
    if header.created > now + CLOCK_SKEW:
        raise BundleRejected(RejectReason.NOT_YET_VALID)
    if now > header.expires:
        raise BundleRejected(RejectReason.EXPIRED)


def open_file_key(bundle: SealedBundle, kem: KemPrivateKey) -> bytes:
    """Step 5's first half: the file key, sealed to this vault's identity."""
    header = bundle.header
    info = file_key_info(
        header.bundle_id, header.kind, header.sender.fingerprint, header.recipient_fingerprint
    )
    try:
        file_key = kem.open(header.sealed_file_key, info)
    except TamperedData as exc:
        raise BundleRejected(RejectReason.DECRYPT) from exc
    if len(file_key) != FILE_KEY_BYTES:
        raise BundleRejected(RejectReason.DECRYPT)
    return file_key


def plaintext_chunks(bundle: SealedBundle, file_key: bytes) -> Iterator[bytes]:
    """The payload chunk by chunk, each yielded only after it authenticated: for a payload
    too large to hold twice (a transferred case's attachments). A caller that stores
    anything walks the chunks once to the end first (every tag checked), then again to
    store: step 5's "nothing released until the last chunk authenticated" holds, and only
    one chunk is in memory at a time."""
    header = bundle.header
    aead = AESGCM(payload_key(file_key, header.bundle_id))
    aad = bundle.header_hash
    chunks = chunk_count(header.payload_length)
    for counter in range(chunks):
        start = counter * CHUNK_SIZE
        size = min(CHUNK_SIZE, header.payload_length - start)
        at = start + counter * TAG_BYTES
        nonce = chunk_nonce(counter, counter == chunks - 1)
        try:
            yield aead.decrypt(nonce, bytes(bundle.body[at : at + size + TAG_BYTES]), aad)
        except (InvalidTag, ValueError) as exc:
            raise BundleRejected(RejectReason.DECRYPT) from exc


def decrypt(bundle: SealedBundle, kem: KemPrivateKey) -> bytearray:
    """Step 5: open the file key and every chunk into one buffer. The buffer is returned
    only after the last chunk authenticated; on any failure it is wiped and dropped."""
    header = bundle.header
    file_key = open_file_key(bundle, kem)
    aead = AESGCM(payload_key(file_key, header.bundle_id))
    aad = bundle.header_hash
    plain = bytearray(header.payload_length)
    out = memoryview(plain)
    chunks = chunk_count(header.payload_length)
    try:
        for counter in range(chunks):
            start = counter * CHUNK_SIZE
            size = min(CHUNK_SIZE, header.payload_length - start)
            at = start + counter * TAG_BYTES
            sealed = bundle.body[at : at + size + TAG_BYTES]
            nonce = chunk_nonce(counter, counter == chunks - 1)
            aead.decrypt_into(nonce, sealed, aad, out[start : start + size])
    except (InvalidTag, ValueError) as exc:
        out[:] = bytes(len(plain))
        raise BundleRejected(RejectReason.DECRYPT) from exc
    finally:
        out.release()
    return plain
