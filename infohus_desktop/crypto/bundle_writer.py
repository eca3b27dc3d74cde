"""Writing a bundle: a sink that encrypts a payload of known length chunk by chunk.

The layout is in :mod:`infohus_desktop.crypto.bundle` and docs/BUNDLE.md; this module only
produces it. An exporter announces the payload length, then streams the payload through
:meth:`BundleWriter.write` (a file-like sink, so the attachment service can write a decrypted
attachment straight into it), then calls :meth:`BundleWriter.close`.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infohus_desktop.crypto.bundle import (
    CHUNK_SIZE,
    DEFAULT_VALIDITY,
    FILE_KEY_BYTES,
    MAX_PAYLOAD_BYTES,
    MAX_VALIDITY,
    BundleHeader,
    chunk_count,
    chunk_nonce,
    file_key_info,
    payload_key,
    prefix,
)
from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.crypto.keys import PublicKeys, hpke_seal
from infohus_desktop.domain.bundles import BundleKind, Party


class BundleWriter:
    """A write-only sink that encrypts a payload of known length into ``out`` chunk by
    chunk, so a large attachment can stream from the vault into the bundle: at most one
    chunk of plaintext is buffered here."""

    def __init__(
        self,
        out: BinaryIO,
        identity: BundleIdentity,
        recipient: PublicKeys,
        kind: BundleKind,
        payload_length: int,
        now: datetime | None = None,
        validity: timedelta = DEFAULT_VALIDITY,
        bundle_id: uuid.UUID | None = None,
    ) -> None:
        if not 0 <= payload_length <= MAX_PAYLOAD_BYTES:
            raise ValueError("payload too large for a bundle")
        if not timedelta(0) < validity <= MAX_VALIDITY:
            raise ValueError("validity out of range")
        created = (now or datetime.now(UTC)).replace(microsecond=0)
        bundle_id = bundle_id or uuid.uuid4()
        file_key = os.urandom(FILE_KEY_BYTES)
        sender_fp, recipient_fp = identity.fingerprint, recipient.fingerprint()
        self.header = BundleHeader(
            bundle_id=bundle_id,
            kind=str(kind),
            sender=Party(identity.vault_id, identity.organisation, sender_fp),
            recipient_fingerprint=recipient_fp,
            created=created,
            expires=created + validity,
            payload_length=payload_length,
            sealed_file_key=hpke_seal(
                file_key, recipient, file_key_info(bundle_id, str(kind), sender_fp, recipient_fp)
            ),
        )
        signed = prefix(self.header.encode()) + self.header.encode()
        self._aad = hashlib.sha256(signed).digest()
        self._aead = AESGCM(payload_key(file_key, bundle_id))
        self._out = out
        self._chunks = chunk_count(payload_length)
        self._remaining = payload_length
        self._counter = 0
        self._buffer = bytearray()
        out.write(signed)
        out.write(identity.signing.sign(signed))

    def _target(self) -> int:
        """Plaintext size of the chunk now being filled."""
        if self._counter < self._chunks - 1:
            return CHUNK_SIZE
        return self.header.payload_length - CHUNK_SIZE * (self._chunks - 1)

    def _emit(self) -> None:
        last = self._counter == self._chunks - 1
        nonce = chunk_nonce(self._counter, last)
        self._out.write(self._aead.encrypt(nonce, bytes(self._buffer), self._aad))
        self._buffer.clear()
        self._counter += 1

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        if len(view) > self._remaining:
            raise ValueError("more payload than announced")
        self._remaining -= len(view)
        written = len(view)
        while view:
            room = self._target() - len(self._buffer)
            self._buffer += view[:room]
            view = view[room:]
            if len(self._buffer) == self._target() and self._counter < self._chunks - 1:
                self._emit()
        return written

    def close(self) -> None:
        """Seal the last chunk. The payload must be exactly as long as announced."""
        if self._remaining or self._counter != self._chunks - 1:
            raise ValueError("less payload than announced")
        self._emit()


def seal(
    identity: BundleIdentity,
    recipient: PublicKeys,
    kind: BundleKind,
    payload: bytes,
    out: BinaryIO,
    now: datetime | None = None,
    validity: timedelta = DEFAULT_VALIDITY,
) -> BundleHeader:
    """Write a whole bundle of an in-memory payload (tests, small bundles)."""
    writer = BundleWriter(out, identity, recipient, kind, len(payload), now, validity)
    writer.write(payload)
    writer.close()
    return writer.header
