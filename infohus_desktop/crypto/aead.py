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
from functools import lru_cache

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
#: ``lp(_WRAP_LABEL, label)`` up to the label's own length.
_WRAP_HEAD = len(_WRAP_LABEL).to_bytes(4, "big") + _WRAP_LABEL
#: The length prefix of a 16-byte id in ``lp``: row, case and key ids are all 16 bytes.
_ID_LENGTH = (16).to_bytes(4, "big")


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


@lru_cache(maxsize=256)
def field_prefix(table: str, column: str) -> bytes:
    """The start of a field's associated data, ``version ‖ lp(table, column)``: it depends on
    public names only, so it is made once per (table, column) instead of once per value (a
    cold list of 100,000 cases builds 200,000 of them). No key material is involved."""
    return bytes([FIELD_VERSION]) + lp(table.encode(), column.encode())


def row_binding(row_id: bytes, case_id: bytes) -> bytes:
    """The middle of the associated data, ``lp``-encoded row and case ids (16 bytes each;
    a value without a case binds 16 zero bytes): made once per row by a bulk read, for
    every field it opens of that row."""
    if len(row_id) != 16 or len(case_id) != 16:
        raise ValueError("ids in the associated data are 16 bytes")
    return b"".join((_ID_LENGTH, row_id, _ID_LENGTH, case_id))


_BINDING_BYTES = 2 * (4 + 16)


def bound_data(prefix: bytes, row_id: bytes, case_id: bytes, key_id: bytes) -> bytes:
    """The associated data from a :func:`field_prefix` and the 16-byte row, case and key ids:
    byte for byte ``version ‖ lp(table, column, row id, case id, key id)``."""
    if len(key_id) != 16:
        raise ValueError("ids in the associated data are 16 bytes")
    return b"".join((prefix, row_binding(row_id, case_id), _ID_LENGTH, key_id))


def associated_data(ctx: FieldContext, key_id: uuid.UUID) -> bytes:
    return bound_data(
        field_prefix(ctx.table, ctx.column),
        ctx.row_id.bytes,
        uuid_bytes(ctx.case_id),
        key_id.bytes,
    )


class FieldKey:
    """A 256-bit key with an id: a case data key, or a group's epoch key."""

    __slots__ = ("_aead", "_id", "_key_id", "_tail")

    def __init__(self, key_id: uuid.UUID, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("field keys are 256 bits")
        self._key_id: uuid.UUID | None = key_id
        self._id = key_id.bytes
        self._tail = _ID_LENGTH + self._id  # the associated data's last part
        self._aead = AESGCM(key)

    @classmethod
    def from_id_bytes(cls, key_id: bytes, key: bytes) -> FieldKey:
        """The same key from its id's 16 bytes: a bulk read names thousands of data keys
        and needs no ``uuid.UUID`` for any of them (``key_id`` is made when asked)."""
        if len(key) != 32 or len(key_id) != KEY_ID_BYTES:
            raise ValueError("field keys are 256 bits with a 16-byte id")
        self = cls.__new__(cls)
        self._key_id = None
        self._id = key_id
        self._tail = _ID_LENGTH + key_id
        self._aead = AESGCM(key)
        return self

    @property
    def key_id(self) -> uuid.UUID:
        if self._key_id is None:
            self._key_id = uuid.UUID(bytes=self._id)
        return self._key_id

    @property
    def id_bytes(self) -> bytes:
        return self._id

    def encrypt(self, plaintext: bytes, ctx: FieldContext) -> Ciphertext:
        nonce = os.urandom(NONCE_BYTES)
        body = self._aead.encrypt(nonce, plaintext, associated_data(ctx, self.key_id))
        return Ciphertext(bytes([FIELD_VERSION]) + self._id + nonce + body)

    def decrypt(self, value: Ciphertext | bytes, ctx: FieldContext) -> bytes:
        return self._open(
            value,
            bound_data(
                field_prefix(ctx.table, ctx.column),
                ctx.row_id.bytes,
                uuid_bytes(ctx.case_id),
                self._id,
            ),
        )

    def decrypt_at(self, value: bytes, prefix: bytes, binding: bytes) -> bytes:
        """:meth:`decrypt` for a bulk read that holds the ids as bytes: ``prefix`` from
        :func:`field_prefix`, ``binding`` from :func:`row_binding` (the row's and the
        case's ids). The associated data is the same bytes :meth:`decrypt` binds
        (tests/unit/crypto/test_crypto_aead.py)."""
        if len(binding) != _BINDING_BYTES:
            raise ValueError("a row binding is made by row_binding()")
        return self._open(value, prefix + binding + self._tail)

    def _open(self, value: Ciphertext | bytes, aad: bytes) -> bytes:
        data = value if type(value) is bytes else bytes(value)
        if (
            len(data) < HEADER_BYTES + TAG_BYTES
            or data[0] != FIELD_VERSION
            or data[1 : 1 + KEY_ID_BYTES] != self._id
        ):
            raise tampered()
        nonce = data[1 + KEY_ID_BYTES : HEADER_BYTES]
        try:
            return self._aead.decrypt(nonce, data[HEADER_BYTES:], aad)
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
    return KeyUnwrapper(wrapping).unwrap(wrapped, label)


class KeyUnwrapper:
    """:func:`unwrap_key` for many keys wrapped under one key (the data keys of a group
    epoch): the cipher is set up once, not once per key. Held for one bulk read only."""

    __slots__ = ("_aead",)

    def __init__(self, wrapping: bytes) -> None:
        try:
            self._aead = AESGCM(wrapping)
        except ValueError as exc:
            raise tampered() from exc

    def unwrap(self, wrapped: bytes, label: bytes) -> bytes:
        # lp(_WRAP_LABEL, label), with the first part's prefix made once.
        aad = _WRAP_HEAD + len(label).to_bytes(4, "big") + label
        try:
            return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        except (InvalidTag, ValueError) as exc:
            raise tampered() from exc
