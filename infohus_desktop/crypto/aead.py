"""Field encryption: AES-256-GCM with the associated data of SECURITY.md.

Format: ``version(1) ‖ key id(16) ‖ nonce(12) ‖ ciphertext ‖ tag(16)``; the associated data is
``version ‖ table ‖ column ‖ row id ‖ case id ‖ key id``, so a value copied to another row,
column, case or key fails to decrypt instead of decrypting to something else. Nonces are 96
random bits: at the volumes of one Infohus (far below 2**32 messages per key) a collision is
negligible.

The only way to obtain a :class:`Ciphertext` is :meth:`FieldKey.encrypt` (or reading one back
from the database), and the vault's encrypted column type accepts nothing else: a plain ``str``
or ``bytes`` cannot reach an encrypted column by mistake.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infohus_desktop.crypto.encoding import lp, uuid_bytes
from infohus_desktop.domain.errors import TamperedData

FIELD_VERSION = 1
KEY_ID_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES
_WRAP_LABEL = b"infohus/data-key/v1"


class Ciphertext(bytes):
    """Bytes known to be a sealed field. Constructed only by this module and the column type."""

    __slots__ = ()

    @property
    def key_id(self) -> uuid.UUID:
        if len(self) < HEADER_BYTES + TAG_BYTES:
            raise tampered()
        return uuid.UUID(bytes=bytes(self[1 : 1 + KEY_ID_BYTES]))


def tampered() -> TamperedData:
    return TamperedData(
        "Krypterede data kunne ikke læses: de er ændret eller hører til et andet sted.",
        "Encrypted data could not be read: it was altered or belongs elsewhere.",
    )


@dataclass(frozen=True, slots=True)
class FieldContext:
    """Where a value lives. Part of the associated data."""

    table: str
    column: str
    row_id: uuid.UUID
    case_id: uuid.UUID | None = None


def associated_data(ctx: FieldContext, key_id: uuid.UUID) -> bytes:
    return bytes([FIELD_VERSION]) + lp(
        ctx.table.encode(),
        ctx.column.encode(),
        ctx.row_id.bytes,
        uuid_bytes(ctx.case_id),
        key_id.bytes,
    )


class FieldKey:
    """A 256-bit key with an id: a case data key, or a group's epoch key."""

    __slots__ = ("_aead", "key_id")

    def __init__(self, key_id: uuid.UUID, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("field keys are 256 bits")
        self.key_id = key_id
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, ctx: FieldContext) -> Ciphertext:
        nonce = os.urandom(NONCE_BYTES)
        body = self._aead.encrypt(nonce, plaintext, associated_data(ctx, self.key_id))
        return Ciphertext(bytes([FIELD_VERSION]) + self.key_id.bytes + nonce + body)

    def decrypt(self, value: Ciphertext | bytes, ctx: FieldContext) -> bytes:
        data = bytes(value)
        if (
            len(data) < HEADER_BYTES + TAG_BYTES
            or data[0] != FIELD_VERSION
            or data[1 : 1 + KEY_ID_BYTES] != self.key_id.bytes
        ):
            raise tampered()
        nonce = data[1 + KEY_ID_BYTES : HEADER_BYTES]
        try:
            return self._aead.decrypt(nonce, data[HEADER_BYTES:], associated_data(ctx, self.key_id))
        except InvalidTag as exc:
            raise tampered() from exc

    def encrypt_text(self, text: str, ctx: FieldContext) -> Ciphertext:
        return self.encrypt(text.encode("utf-8"), ctx)

    def decrypt_text(self, value: Ciphertext | bytes, ctx: FieldContext) -> str:
        return self.decrypt(value, ctx).decode("utf-8")


def wrap_key(wrapping: bytes, key: bytes, label: bytes) -> bytes:
    """Wrap a key under another with AES-256-GCM; ``label`` binds what and where it is."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(wrapping).encrypt(nonce, key, lp(_WRAP_LABEL, label))


def unwrap_key(wrapping: bytes, wrapped: bytes, label: bytes) -> bytes:
    try:
        return AESGCM(wrapping).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], lp(_WRAP_LABEL, label)
        )
    except (InvalidTag, ValueError) as exc:
        raise tampered() from exc
