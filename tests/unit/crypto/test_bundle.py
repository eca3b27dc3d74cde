"""The bundle format: round trips, an independent reader of docs/BUNDLE.md, streaming, limits."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.crypto.bundle_payload import encode_payload, parse_payload
from infohus_desktop.crypto.bundle_writer import BundleWriter, seal
from infohus_desktop.crypto.keys import KemPrivateKey
from infohus_desktop.crypto.signing import verify
from infohus_desktop.domain.bundles import BundleKind, BundleRejected, RejectReason
from tests.unit.crypto.bundle_craft import Crafter

SENDER = BundleIdentity(uuid.uuid4(), "Infohus Østjylland", os.urandom(32))
RECIPIENT = BundleIdentity(uuid.uuid4(), "PET's exitprogram", os.urandom(32))
NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


def open_bundle(data: bytes, now: datetime = NOW) -> bytearray:
    """The reader's steps in their order, as the import service runs them."""
    sealed = bundle.parse(data)
    bundle.verify_signature(sealed, SENDER.public().sign)
    bundle.check_recipient(sealed, RECIPIENT.fingerprint)
    bundle.check_validity(sealed, now)
    return bundle.decrypt(sealed, RECIPIENT.kem)


def seal_bytes(payload: bytes, now: datetime = NOW, **kw: object) -> bytes:
    out = io.BytesIO()
    seal(SENDER, RECIPIENT.public(), BundleKind.REFERRAL, payload, out, now=now, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def independent_read(data: bytes, kem: KemPrivateKey, sender_sign: bytes) -> bytes:
    """A second reader written from docs/BUNDLE.md alone (no import of the reader)."""
    assert data[:8] == b"\x89IHB\r\n\x1a\n"
    assert int.from_bytes(data[8:10], "big") == 1
    hlen = int.from_bytes(data[10:14], "big")
    header_bytes = data[14 : 14 + hlen]
    header = json.loads(header_bytes)
    signature = data[14 + hlen : 14 + hlen + 64]
    assert verify(sender_sign, signature, data[: 14 + hlen])
    bid = uuid.UUID(header["bundle"])

    def lp(*parts: bytes) -> bytes:
        return b"".join(len(p).to_bytes(4, "big") + p for p in parts)

    info = lp(
        b"infohus/bundle/file-key/v1",
        bid.bytes,
        header["kind"].encode(),
        header["sender"]["fingerprint"].encode(),
        header["recipient"]["fingerprint"].encode(),
    )
    file_key = kem.open(base64.b64decode(header["file_key"]), info)
    key = HKDF(SHA256(), 32, salt=bid.bytes, info=b"infohus/bundle/payload/v1").derive(file_key)
    aad = hashlib.sha256(data[: 14 + hlen]).digest()
    body = data[14 + hlen + 64 :]
    n = max(1, -(-header["payload_length"] // 65536))
    out, pos = b"", 0
    for i in range(n):
        size = min(65536, header["payload_length"] - i * 65536) + 16
        nonce = i.to_bytes(11, "big") + (b"\x01" if i == n - 1 else b"\x00")
        out += AESGCM(key).decrypt(nonce, body[pos : pos + size], aad)
        pos += size
    assert pos == len(body)
    return out


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 65536, 3 * 65536 + 5])
def test_round_trip_at_chunk_edges(size: int) -> None:
    payload = os.urandom(size)
    data = seal_bytes(payload)
    assert bytes(open_bundle(data)) == payload
    assert independent_read(data, RECIPIENT.kem, SENDER.public().sign) == payload
    chunks = max(1, -(-size // 65536))
    assert len(data) == 14 + int.from_bytes(data[10:14], "big") + 64 + size + 16 * chunks


def test_independent_writer_is_read() -> None:
    """A bundle built from parts by the test's own writer opens with the module's reader."""
    payload = os.urandom(150_000)
    crafted = Crafter(SENDER, RECIPIENT.public(), payload, NOW).build()
    assert bytes(open_bundle(crafted)) == payload


def test_header_is_canonical_and_inspectable() -> None:
    data = seal_bytes(b"x" * 10)
    sealed = bundle.parse(data)
    hlen = int.from_bytes(data[10:14], "big")
    obj = json.loads(data[14 : 14 + hlen])
    assert (
        data[14 : 14 + hlen]
        == json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    info = sealed.header.info()
    assert info.kind == "referral"
    assert info.sender.organisation == "Infohus Østjylland"
    assert info.sender.vault_id == SENDER.vault_id
    assert info.sender.fingerprint == SENDER.fingerprint
    assert info.recipient_fingerprint == RECIPIENT.fingerprint
    assert info.created == NOW
    assert info.expires == NOW + bundle.DEFAULT_VALIDITY
    assert info.payload_length == 10
    assert hlen < 4096


def test_each_bundle_has_its_own_id_and_file_key() -> None:
    a, b = seal_bytes(b"same"), seal_bytes(b"same")
    assert bundle.parse(a).header.bundle_id != bundle.parse(b).header.bundle_id
    assert a[-20:] != b[-20:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    payload=st.binary(min_size=0, max_size=200_000),
    cuts=st.lists(st.integers(min_value=0, max_value=200_000), max_size=8),
)
def test_streamed_writes_round_trip(payload: bytes, cuts: list[int]) -> None:
    """However the payload is cut into writes, the bundle is the same bytes of plaintext."""
    out = io.BytesIO()
    writer = BundleWriter(out, SENDER, RECIPIENT.public(), BundleKind.REFERRAL, len(payload), NOW)
    edges = sorted({0, len(payload), *(c for c in cuts if c <= len(payload))})
    for start, end in itertools.pairwise(edges):
        writer.write(memoryview(payload)[start:end])
    writer.close()
    assert bytes(open_bundle(out.getvalue())) == payload


json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53) + 1, 2**53 - 1), st.text(max_size=40)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
    min_size=1,
    max_size=30,
).filter(lambda n: n.strip() == n and n not in {".", ".."})


@settings(max_examples=40, deadline=None)
@given(
    data=st.dictionaries(st.text(max_size=12), json_value, max_size=6),
    files=st.lists(
        st.tuples(names, st.sampled_from(["application/pdf", "text/plain"]), st.binary()),
        max_size=3,
    ),
)
def test_random_payloads_round_trip(data: dict, files: list[tuple[str, str, bytes]]) -> None:
    payload = encode_payload("referral", data, files)
    opened = parse_payload(open_bundle(seal_bytes(payload)), "referral")
    assert opened.data == data
    assert [(e.name, e.media_type, bytes(body)) for e, body in opened.attachments] == files


def test_writer_refuses_a_payload_of_another_length() -> None:
    writer = BundleWriter(io.BytesIO(), SENDER, RECIPIENT.public(), BundleKind.REFERRAL, 10, NOW)
    with pytest.raises(ValueError, match="more payload"):
        writer.write(b"x" * 11)
    writer.write(b"x" * 9)
    with pytest.raises(ValueError, match="less payload"):
        writer.close()


@pytest.mark.parametrize("days", [0, 91])
def test_writer_refuses_validity_out_of_range(days: int) -> None:
    with pytest.raises(ValueError, match="validity"):
        seal_bytes(b"x", validity=timedelta(days=days))


def test_validity_edges() -> None:
    data = seal_bytes(b"x", now=NOW, validity=timedelta(days=1))
    sealed = bundle.parse(data)
    bundle.check_validity(sealed, NOW - bundle.CLOCK_SKEW)  # a slow clock is tolerated
    bundle.check_validity(sealed, NOW + timedelta(days=1))  # the last valid second
    with pytest.raises(BundleRejected) as early:
        bundle.check_validity(sealed, NOW - bundle.CLOCK_SKEW - timedelta(seconds=1))
    assert early.value.reason is RejectReason.NOT_YET_VALID
    with pytest.raises(BundleRejected) as late:
        bundle.check_validity(sealed, NOW + timedelta(days=1, seconds=1))
    assert late.value.reason is RejectReason.EXPIRED


def test_decrypt_failure_releases_nothing() -> None:
    """A bad last chunk: the reader raises; no partial plaintext escapes."""
    data = bytearray(seal_bytes(os.urandom(200_000)))
    data[-1] ^= 1
    with pytest.raises(BundleRejected) as info:
        open_bundle(bytes(data))
    assert info.value.reason is RejectReason.DECRYPT


def test_rejection_messages_are_bilingual_and_name_no_content() -> None:
    for reason in RejectReason:
        err = BundleRejected(reason)
        assert err.da.startswith("Pakken er afvist") and err.en.startswith("Bundle rejected")
        assert not any(ch in err.en for ch in "æøåÆØÅ")
        assert err.exit_code == 7
