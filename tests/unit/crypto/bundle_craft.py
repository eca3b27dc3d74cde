"""Crafting bundles for tests: valid ones built from parts, and a catalogue of bad ones.

The builder assembles a bundle from its parts (magic, version, header dict or raw header
bytes, signing key, chunks) the way docs/BUNDLE.md describes, *without* the module under
test's writer, so each part can be broken on its own. The catalogue is shared by the unit
tests (the crypto steps) and the integration tests (a whole import into a vault).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.crypto.keys import PublicKeys, hpke_seal
from infohus_desktop.domain.bundles import RejectReason

MAGIC = b"\x89IHB\r\n\x1a\n"
CHUNK = 65536
R = RejectReason


def lp(*parts: bytes) -> bytes:
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


def canon(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_payload(
    kind: str, data: dict[str, Any], files: list[tuple[str, str, bytes]], raw: bytes | None = None
) -> bytes:
    entries = [
        {"media_type": m, "name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
        for n, m, b in files
    ]
    manifest = (
        raw if raw is not None else canon({"attachments": entries, "data": data, "kind": kind})
    )
    return len(manifest).to_bytes(4, "big") + manifest + b"".join(b for _n, _m, b in files)


@dataclass
class Crafter:
    """Builds bundles from ``sender`` to ``recipient`` with every part overridable."""

    sender: BundleIdentity
    recipient: PublicKeys
    payload: bytes
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    kind: str = "referral"

    def header(self, **over: Any) -> dict[str, Any]:
        """A correct header dict; the sealed file key is produced in :meth:`build`."""
        h: dict[str, Any] = {
            "bundle": str(uuid.uuid4()),
            "chunk_size": CHUNK,
            "created": stamp(self.now - timedelta(minutes=1)),
            "expires": stamp(self.now + timedelta(days=30)),
            "file_key": None,
            "format": 1,
            "kind": self.kind,
            "payload_length": len(self.payload),
            "recipient": {"fingerprint": self.recipient.fingerprint()},
            "sender": {
                "fingerprint": self.sender.fingerprint,
                "organisation": self.sender.organisation,
                "vault": str(self.sender.vault_id),
            },
        }
        h.update(over)
        return h

    def build(
        self,
        header: dict[str, Any] | None = None,
        *,
        raw_header: bytes | None = None,
        payload: bytes | None = None,
        version: int = 1,
        magic: bytes = MAGIC,
        sign_key: ed25519.Ed25519PrivateKey | None = None,
        file_key: bytes | None = None,
        seal_to: PublicKeys | None = None,
        info_over: dict[str, str] | None = None,
        chunk_size: int = CHUNK,
        mangle_chunks: Callable[[list[bytes]], list[bytes]] | None = None,
        aad_over: bytes | None = None,
        last_flag_at: int | None = None,
        tail: bytes = b"",
    ) -> bytes:
        payload = self.payload if payload is None else payload
        h = dict(header or self.header(payload_length=len(payload)))
        file_key = file_key or os.urandom(32)
        bundle_id = uuid.UUID(h["bundle"]) if isinstance(h.get("bundle"), str) else uuid.uuid4()
        if h.get("file_key", "") is None:
            info = {
                "bundle": h["bundle"],
                "kind": h["kind"],
                "sender": h["sender"]["fingerprint"],
                "recipient": h["recipient"]["fingerprint"],
            }
            info.update(info_over or {})
            sealed = hpke_seal(
                file_key,
                seal_to or self.recipient,
                lp(
                    b"infohus/bundle/file-key/v1",
                    uuid.UUID(info["bundle"]).bytes,
                    info["kind"].encode(),
                    info["sender"].encode(),
                    info["recipient"].encode(),
                ),
            )
            h["file_key"] = base64.b64encode(sealed).decode()
        header_bytes = raw_header if raw_header is not None else canon(h)
        signed = magic + version.to_bytes(2, "big") + len(header_bytes).to_bytes(4, "big")
        signed += header_bytes
        signature = (sign_key or self.sender.signing).sign(signed)
        key = HKDF(SHA256(), 32, salt=bundle_id.bytes, info=b"infohus/bundle/payload/v1").derive(
            file_key
        )
        aead = AESGCM(key)
        aad = aad_over if aad_over is not None else hashlib.sha256(signed).digest()
        pieces = [payload[i : i + chunk_size] for i in range(0, len(payload), chunk_size)] or [b""]
        last_at = len(pieces) - 1 if last_flag_at is None else last_flag_at
        chunks = [
            aead.encrypt(i.to_bytes(11, "big") + (b"\x01" if i == last_at else b"\x00"), p, aad)
            for i, p in enumerate(pieces)
        ]
        if mangle_chunks is not None:
            chunks = mangle_chunks(chunks)
        return signed + signature + b"".join(chunks) + tail


def flip(data: bytes, index: int, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[index] ^= 1 << bit
    return bytes(out)


def header_end(bundle: bytes) -> int:
    """Offset of the signature: 14 + header length."""
    return 14 + int.from_bytes(bundle[10:14], "big")


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


@dataclass(frozen=True)
class BadCase:
    name: str
    data: bytes
    reasons: frozenset[RejectReason]


def catalogue(c: Crafter, stranger: BundleIdentity) -> list[BadCase]:
    """At least 60 bad bundles, each with the reason(s) it must be refused for.

    ``c.payload`` must span at least three chunks; ``stranger`` is an identity nobody pinned.
    """
    assert len(c.payload) > 2 * CHUNK
    out: list[BadCase] = []

    def add(name: str, data: bytes, *reasons: RejectReason) -> None:
        out.append(BadCase(name, data, frozenset(reasons)))

    good = c.build()
    end = header_end(good)
    body = end + 64

    # -- framing and size caps --------------------------------------------------------------
    add("empty file", b"", R.MAGIC)
    for i in range(8):
        add(f"magic byte {i} flipped", flip(good, i), R.MAGIC)
    add("magic only", MAGIC, R.LENGTH)
    add("zip file", b"PK\x03\x04" + good[4:], R.MAGIC)
    add("version 0 (downgrade)", c.build(version=0), R.VERSION)
    add("version 2 (unknown)", c.build(version=2), R.VERSION)
    add("version 65535", c.build(version=0xFFFF), R.VERSION)
    add("header format 0, frame 1", c.build(c.header(format=0)), R.VERSION)
    add("header format 2, frame 1", c.build(c.header(format=2)), R.VERSION)
    add(
        "header length 64 KiB + 1",
        good[:10] + (65537).to_bytes(4, "big") + good[14:] + bytes(65537),
        R.TOO_LARGE,
    )
    add("header length 4 GiB", good[:10] + b"\xff\xff\xff\xff" + good[14:], R.TOO_LARGE)
    add(
        "header length beyond the file",
        good[:10] + (60000).to_bytes(4, "big") + good[14:200],
        R.LENGTH,
    )
    add(
        "payload length 256 MiB + 1",
        c.build(c.header(payload_length=256 * 1024 * 1024 + 1)),
        R.TOO_LARGE,
    )
    add(
        "payload length one more than sent",
        c.build(c.header(payload_length=len(c.payload) + 1)),
        R.LENGTH,
    )

    # -- header JSON ------------------------------------------------------------------------
    h = c.header()
    h["file_key"] = "AAAA"
    add("sealed file key too short", c.build(h), R.HEADER)
    # Raw variants start from the header of a valid bundle: each differs by its one defect.
    base = json.loads(good[14:end])

    def raw(text: bytes, name: str, *reasons: RejectReason) -> None:
        add(name, c.build(raw_header=text), *(reasons or (R.HEADER,)))

    sample = canon(base)
    raw(json.dumps(base, sort_keys=True, ensure_ascii=False).encode(), "header with white space")
    backwards = dict(reversed(list(base.items())))
    raw(
        json.dumps(backwards, separators=(",", ":"), ensure_ascii=False).encode(),
        "header keys unsorted",
    )
    raw(
        sample.replace(b'"kind":"referral"', b'"kind":"\\u0072eferral"'),
        "needless escape in header",
    )
    raw(
        sample.replace(b'"chunk_size":65536', b'"chunk_size":65536,"chunk_size":65536'),
        "duplicate key in header",
    )
    raw(sample[:-1] + b',"zz":' + canon(nested(40)) + b"}", "header nested 40 deep")
    raw(
        sample[:-1] + b',"zz":' + b"[" * 5000 + b"0" + b"]" * 5000 + b"}", "header nested 5000 deep"
    )
    raw(sample.replace(b'"format":1', b'"format":1.0'), "float in header")
    raw(sample.replace(b'"format":1', b'"format":NaN'), "NaN in header")
    raw(b"\xef\xbb\xbf" + sample, "header with a byte order mark")
    raw(sample.replace(b'"kind":"referral"', b'"kind":"r\xe9ferral"'), "header not UTF-8")
    raw(canon([base]), "header is a list")
    raw(b"", "empty header")
    raw(sample + b" ", "trailing space after the header JSON")
    for key in ("bundle", "expires", "recipient", "sender"):
        raw(canon({k: v for k, v in base.items() if k != key}), f"header without {key}")
    add("header with an extra field", c.build({**c.header(), "note": "hi"}), R.HEADER)
    add("bundle id in upper case", c.build(c.header(bundle=str(uuid.uuid4()).upper())), R.HEADER)
    add("time with fractions", c.build(c.header(created="2026-11-23T04:00:00.5Z")), R.HEADER)
    add("time without zone", c.build(c.header(created="2026-11-23T04:00:00")), R.HEADER)
    add("chunk size 1024", c.build(c.header(chunk_size=1024), chunk_size=1024), R.HEADER)
    add("negative payload length", c.build(c.header(payload_length=-1)), R.HEADER)
    add("payload length true", c.build(c.header(payload_length=True)), R.HEADER)
    fp_lower = {"fingerprint": c.recipient.fingerprint().lower()}
    add("recipient fingerprint lower case", c.build(c.header(recipient=fp_lower)), R.HEADER)
    add("unknown kind", c.build(c.header(kind="minutes")), R.KIND)

    # -- signature and sender ---------------------------------------------------------------
    add("signature bit flipped", flip(good, end + 10), R.SIGNATURE)
    add("signature zeroed", good[:end] + bytes(64) + good[body:], R.SIGNATURE)
    add("signed by a stranger claiming the sender", c.build(sign_key=stranger.signing), R.SIGNATURE)
    organisation = c.sender.organisation.encode()
    at = good.index(organisation, 14)
    add("organisation name altered", flip(good, at, 5), R.SIGNATURE)
    add("expiry extended after signing", _swap_expiry(good, c), R.SIGNATURE)
    strange = Crafter(stranger, c.recipient, c.payload, c.now)
    add("unknown sender", strange.build(), R.UNKNOWN_SENDER)
    other_vault = c.header()
    other_vault["sender"] = {**other_vault["sender"], "vault": str(uuid.uuid4())}
    add("pinned key, other vault id", c.build(other_vault), R.UNKNOWN_SENDER)

    # -- recipient, time --------------------------------------------------------------------
    to_stranger = Crafter(c.sender, stranger.public(), c.payload, c.now)
    add("encrypted to another recipient", to_stranger.build(), R.RECIPIENT)
    add("recipient fingerprint swapped to ours", c.build(seal_to=stranger.public()), R.DECRYPT)
    past = c.now - timedelta(days=40)
    add(
        "expired",
        c.build(c.header(created=stamp(past), expires=stamp(past + timedelta(days=30)))),
        R.EXPIRED,
    )
    future = c.now + timedelta(hours=2)
    add(
        "not yet valid",
        c.build(c.header(created=stamp(future), expires=stamp(future + timedelta(days=1)))),
        R.NOT_YET_VALID,
    )
    add(
        "expires before created",
        c.build(c.header(expires=stamp(c.now - timedelta(days=2)))),
        R.HEADER,
    )
    add("valid for 91 days", c.build(c.header(expires=stamp(c.now + timedelta(days=91)))), R.HEADER)

    # -- the encrypted payload --------------------------------------------------------------
    chunks = len(c.payload) // CHUNK + 1
    sizes = [min(CHUNK, len(c.payload) - i * CHUNK) + 16 for i in range(chunks)]
    offset = body
    for i, size in enumerate(sizes):
        add(f"bit flipped in chunk {i}", flip(good, offset + size // 2), R.DECRYPT)
        add(f"tag of chunk {i} altered", flip(good, offset + size - 1, 7), R.DECRYPT)
        offset += size
    add("last chunk missing", good[: len(good) - sizes[-1]], R.LENGTH)
    add(
        "last chunk missing, length adjusted",
        c.build(
            c.header(payload_length=2 * CHUNK), payload=c.payload[: 2 * CHUNK], last_flag_at=99
        ),
        R.DECRYPT,
    )
    add("no last-chunk flag", c.build(last_flag_at=99), R.DECRYPT)
    add("last-chunk flag on the first chunk", c.build(last_flag_at=0), R.DECRYPT)
    add(
        "chunks 0 and 1 swapped",
        c.build(mangle_chunks=lambda ch: [ch[1], ch[0], *ch[2:]]),
        R.DECRYPT,
    )
    add(
        "chunk 0 duplicated over chunk 1",
        c.build(mangle_chunks=lambda ch: [ch[0], ch[0], *ch[2:]]),
        R.DECRYPT,
    )
    other = c.build()
    add("chunks of another bundle", good[:body] + other[header_end(other) + 64 :], R.DECRYPT)
    add("file key of another bundle", _graft_key(c), R.DECRYPT)
    add(
        "file key sealed for another bundle id",
        c.build(info_over={"bundle": str(uuid.uuid4())}),
        R.DECRYPT,
    )
    add(
        "file key sealed naming another sender",
        c.build(info_over={"sender": stranger.fingerprint}),
        R.DECRYPT,
    )
    add(
        "chunks bound to another header", c.build(aad_over=hashlib.sha256(b"x").digest()), R.DECRYPT
    )
    for n in (1, 16, 65552):
        add(f"{n} bytes of trailing data", good + bytes(n), R.LENGTH)
    add(
        "an empty chunk appended",
        good + AESGCM(os.urandom(32)).encrypt(bytes(12), b"", b""),
        R.LENGTH,
    )

    # -- the decrypted payload --------------------------------------------------------------
    files = [("a.txt", "text/plain", b"a" * 300)]
    data = {"values": {"x": "y"}}

    def payload(name: str, p: bytes, *reasons: RejectReason) -> None:
        add(name, c.build(c.header(payload_length=len(p)), payload=p), *(reasons or (R.PAYLOAD,)))

    ok_manifest = canon({"attachments": [], "data": data, "kind": c.kind})
    payload(
        "manifest with white space",
        manifest_payload(c.kind, data, [], json.dumps(json.loads(ok_manifest)).encode()),
    )
    payload(
        "manifest with a duplicate key",
        manifest_payload(c.kind, data, [], ok_manifest.replace(b'"kind"', b'"kind":"x","kind"')),
    )
    payload("manifest nested 40 deep", manifest_payload(c.kind, {"values": nested(40)}, []))
    payload("float in the manifest", manifest_payload(c.kind, {"values": {"x": 1.5}}, []))
    payload("manifest of another kind", manifest_payload("case-transfer", data, []), R.KIND)
    payload("manifest length beyond the payload", (10**6).to_bytes(4, "big") + ok_manifest)
    payload("payload of three bytes", b"\x00\x00\x00")
    payload(
        "manifest without data",
        manifest_payload(c.kind, data, [], canon({"attachments": [], "kind": c.kind})),
    )
    good_files = manifest_payload(c.kind, data, files)
    payload("attachment one byte short", good_files[:-1])
    payload("attachment one byte long", good_files + b"a")
    payload("attachment altered", good_files[:-1] + b"b")
    payload(
        "attachment named ../etc/passwd",
        manifest_payload(c.kind, data, [("../etc/passwd", "text/plain", b"x")]),
    )
    payload(
        "attachment with a bad media type",
        manifest_payload(c.kind, data, [("a.txt", "Text/Plain; x", b"x")]),
    )
    return out


def _swap_expiry(good: bytes, c: Crafter) -> bytes:
    """Replace the expiry date in the signed header by a later one of the same length."""
    end = header_end(good)
    header = good[14:end]
    obj = json.loads(header)
    later = stamp(datetime.strptime(obj["expires"], "%Y-%m-%dT%H:%M:%SZ") + timedelta(days=365))
    new = header.replace(obj["expires"].encode(), later.encode())
    assert len(new) == len(header) and new != header
    return good[:14] + new + good[end:]


def _graft_key(c: Crafter) -> bytes:
    """A bundle whose sealed file key is replaced by one from another bundle with the same
    id and parties, re-signed by the true sender: the key opens, the chunks do not."""
    header = c.header()
    first = c.build(header)
    obj = json.loads(first[14 : header_end(first)])
    second = c.build({**header, "file_key": None})  # same id, new file key
    obj2 = json.loads(second[14 : header_end(second)])
    obj2["file_key"] = obj["file_key"]
    h2 = canon(obj2)
    signed = MAGIC + (1).to_bytes(2, "big") + len(h2).to_bytes(4, "big") + h2
    rest = second[header_end(second) + 64 :]
    return signed + c.sender.signing.sign(signed) + rest
