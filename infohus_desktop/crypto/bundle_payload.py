"""The plaintext inside a bundle: a manifest in canonical JSON, then the attachments' bytes.

``manifest length(u32) ‖ manifest ‖ attachment 1 ‖ attachment 2 ‖ …``. The manifest is
``{"attachments": [{"media_type", "name", "sha256", "size"}…], "data": {…}, "kind": …}``;
the attachments follow in manifest order, raw (no base64), so 20 MB of files cost 20 MB, and
an exporter can stream them through :class:`~infohus_desktop.crypto.bundle.BundleWriter`
once their sizes and hashes are known. The reader checks every length adds up exactly and
every hash matches; the kind-specific ``data`` is validated by the service that stores it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from infohus_desktop.crypto.encoding import canonical_json
from infohus_desktop.crypto.strict_json import StrictJsonError, loads_canonical
from infohus_desktop.domain.bundles import BundleRejected, RejectReason

MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_ATTACHMENTS = 100
MAX_NAME_CHARS = 255
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LENGTH_BYTES = 4


@dataclass(frozen=True, slots=True)
class AttachmentEntry:
    """An attachment as the manifest lists it."""

    name: str
    media_type: str
    sha256: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {
            "media_type": self.media_type,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
        }

    @classmethod
    def of(cls, name: str, media_type: str, data: bytes) -> AttachmentEntry:
        return cls(name, media_type, hashlib.sha256(data).hexdigest(), len(data))


@dataclass(frozen=True, slots=True)
class Payload:
    kind: str
    data: dict[str, Any]
    attachments: list[tuple[AttachmentEntry, memoryview]]


def valid_name(name: object) -> bool:
    return (
        isinstance(name, str)
        and 0 < len(name) <= MAX_NAME_CHARS
        and name.strip() == name
        and name not in {".", ".."}
        and not any(ch in "/\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name)
    )


def manifest_prefix(kind: str, data: dict[str, Any], attachments: list[AttachmentEntry]) -> bytes:
    """Length and manifest: the first bytes of the payload, before the attachments."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValueError("too many attachments")
    for entry in attachments:
        if not valid_name(entry.name) or not _MEDIA_TYPE.match(entry.media_type):
            raise ValueError("attachment name or media type not allowed in a bundle")
    manifest = canonical_json(
        {"attachments": [a.to_json() for a in attachments], "data": data, "kind": kind}
    )
    if len(manifest) > MAX_MANIFEST_BYTES:
        raise ValueError("manifest too large")
    return len(manifest).to_bytes(_LENGTH_BYTES, "big") + manifest


def payload_length(prefix: bytes, attachments: list[AttachmentEntry]) -> int:
    return len(prefix) + sum(a.size for a in attachments)


def encode_payload(kind: str, data: dict[str, Any], files: list[tuple[str, str, bytes]]) -> bytes:
    """A whole payload in memory (tests and small bundles)."""
    entries = [AttachmentEntry.of(name, media, body) for name, media, body in files]
    return manifest_prefix(kind, data, entries) + b"".join(body for _n, _m, body in files)


def _entry(obj: object) -> AttachmentEntry:
    if not isinstance(obj, dict) or set(obj) != {"media_type", "name", "sha256", "size"}:
        raise ValueError("attachment fields")
    name, media, sha, size = obj["name"], obj["media_type"], obj["sha256"], obj["size"]
    if not valid_name(name) or not isinstance(media, str) or not _MEDIA_TYPE.match(media):
        raise ValueError("attachment name")
    if not isinstance(sha, str) or not _SHA256.match(sha) or type(size) is not int or size < 0:
        raise ValueError("attachment hash or size")
    return AttachmentEntry(name, media, sha, size)


def _manifest(raw: bytes | memoryview, kind: str) -> tuple[dict[str, Any], list[AttachmentEntry]]:
    """The canonical manifest of ``kind``: its data and its attachments' entries."""
    try:
        obj = loads_canonical(raw, MAX_MANIFEST_BYTES)
        if not isinstance(obj, dict) or set(obj) != {"attachments", "data", "kind"}:
            raise ValueError("manifest fields")
        if not isinstance(obj["data"], dict) or not isinstance(obj["attachments"], list):
            raise ValueError("manifest types")
        if len(obj["attachments"]) > MAX_ATTACHMENTS:
            raise ValueError("too many attachments")
        entries = [_entry(item) for item in obj["attachments"]]
    except (StrictJsonError, ValueError) as exc:
        raise BundleRejected(RejectReason.PAYLOAD) from exc
    if obj["kind"] != kind:
        raise BundleRejected(RejectReason.KIND)
    return obj["data"], entries


def parse_payload(plain: bytearray | bytes, kind: str) -> Payload:
    """Step 6, the generic half of schema validation: the manifest is canonical, its kind
    is the header's, and the attachments fill the rest of the payload exactly, each with
    the hash the manifest states."""
    view = memoryview(plain)
    length = int.from_bytes(view[:_LENGTH_BYTES], "big") if len(view) >= _LENGTH_BYTES else -1
    if not 0 <= length <= MAX_MANIFEST_BYTES or _LENGTH_BYTES + length > len(view):
        raise BundleRejected(RejectReason.PAYLOAD)
    data, entries = _manifest(view[_LENGTH_BYTES : _LENGTH_BYTES + length], kind)
    offset = _LENGTH_BYTES + length
    if offset + sum(e.size for e in entries) != len(view):
        raise BundleRejected(RejectReason.PAYLOAD)
    attachments = []
    for entry in entries:
        body = view[offset : offset + entry.size]
        if hashlib.sha256(body).hexdigest() != entry.sha256:
            raise BundleRejected(RejectReason.PAYLOAD)
        attachments.append((entry, body))
        offset += entry.size
    return Payload(kind, data, attachments)


class PayloadStream:
    """The decrypted payload as a stream of bytes over :func:`bundle.plaintext_chunks`:
    ``read(n)`` hands out at most ``n`` bytes, holding at most one chunk beyond them."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and not self._done:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            size = len(self._buffer)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def at_end(self) -> bool:
        return not self.read(1) and self._done


class LimitedReader:
    """At most ``size`` bytes of ``stream``, hashed as they pass: one attachment."""

    def __init__(self, stream: PayloadStream, size: int) -> None:
        self._stream = stream
        self._left = size
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        want = self._left if size < 0 else min(size, self._left)
        data = self._stream.read(want)
        if len(data) != want:
            raise BundleRejected(RejectReason.PAYLOAD)
        self._left -= len(data)
        self.digest.update(data)
        return data


def read_manifest(stream: PayloadStream, kind: str) -> tuple[dict[str, Any], list[AttachmentEntry]]:
    """Step 6's generic half on a stream: the canonical manifest of ``kind``; the stream is
    then at the first attachment."""
    length = int.from_bytes(stream.read(_LENGTH_BYTES).rjust(_LENGTH_BYTES, b"\xff"), "big")
    if length > MAX_MANIFEST_BYTES:
        raise BundleRejected(RejectReason.PAYLOAD)
    raw = stream.read(length)
    if len(raw) != length:
        raise BundleRejected(RejectReason.PAYLOAD)
    return _manifest(raw, kind)


def scan_payload(
    chunks: Iterator[bytes], kind: str, payload_length: int
) -> tuple[dict[str, Any], list[AttachmentEntry]]:
    """The first pass of a streamed import (:func:`bundle.plaintext_chunks`): every chunk
    authenticated, one at a time, keeping only the manifest's bytes; only after the last
    chunk is the manifest parsed, and the attachments' sizes must fill the payload exactly.
    Their hashes are checked as the second pass stores them (:class:`LimitedReader`)."""
    stream = PayloadStream(chunks)
    length = int.from_bytes(stream.read(_LENGTH_BYTES).rjust(_LENGTH_BYTES, b"\xff"), "big")
    raw = stream.read(min(length, MAX_MANIFEST_BYTES))
    while stream.read(1 << 20):  # the rest authenticates; nothing of it is kept
        pass
    if length > MAX_MANIFEST_BYTES or len(raw) != length:
        raise BundleRejected(RejectReason.PAYLOAD)
    data, entries = _manifest(raw, kind)
    if _LENGTH_BYTES + length + sum(e.size for e in entries) != payload_length:
        raise BundleRejected(RejectReason.PAYLOAD)
    return data, entries
