"""The bundle format: round trips, a second reader and writer written from docs/BUNDLE.md
(``bundle_second``), streaming, limits."""

from __future__ import annotations

import ast
import io
import itertools
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity, decode_card, encode_card
from infohus_desktop.crypto.bundle_payload import encode_payload, parse_payload
from infohus_desktop.crypto.bundle_writer import BundleWriter, seal
from infohus_desktop.domain.bundles import BundleKind, BundleRejected, RejectReason
from tests.unit.crypto import bundle_second as second
from tests.unit.crypto.bundle_craft import Crafter

SENDER = BundleIdentity(uuid.uuid4(), "Infohus Østjylland", os.urandom(32))
RECIPIENT_SECRET = os.urandom(32)
RECIPIENT = BundleIdentity(uuid.uuid4(), "PET's exitprogram", RECIPIENT_SECRET)
#: The same identity as docs/BUNDLE.md §5 derives it, for the second reader.
SPEC_RECIPIENT = second.Identity(RECIPIENT_SECRET, RECIPIENT.vault_id, RECIPIENT.organisation)
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


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 65536, 3 * 65536 + 5])
def test_round_trip_at_chunk_edges(size: int) -> None:
    payload = os.urandom(size)
    data = seal_bytes(payload)
    assert bytes(open_bundle(data)) == payload
    header, plain = second.read(data, SPEC_RECIPIENT, SENDER.public().sign)
    assert plain == payload and header["payload_length"] == size
    chunks = max(1, -(-size // 65536))
    assert len(data) == 14 + int.from_bytes(data[10:14], "big") + 64 + size + 16 * chunks


def test_second_implementation_imports_nothing_of_the_product() -> None:
    """``bundle_second`` is written from docs/BUNDLE.md alone: stdlib and cryptography."""
    tree = ast.parse(Path(second.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    assert roots <= {"__future__", "base64", "hashlib", "json", "os", "uuid", "dataclasses",
                     "datetime", "typing", "cryptography"}, roots  # fmt: skip


def test_second_identity_and_key_cards_agree_with_the_product() -> None:
    """§5: the same secret gives the same keys and fingerprint; each side reads the
    other's key card."""
    assert SPEC_RECIPIENT.kem_public == RECIPIENT.public().kem
    assert SPEC_RECIPIENT.sign_public == RECIPIENT.public().sign
    assert SPEC_RECIPIENT.fingerprint == RECIPIENT.fingerprint
    product_card = encode_card(RECIPIENT.card(), RECIPIENT.signing)
    assert SPEC_RECIPIENT.card() == product_card  # Ed25519 is deterministic
    card = second.read_card(product_card)
    assert (card.fingerprint, card.vault, card.organisation) == (
        RECIPIENT.fingerprint, RECIPIENT.vault_id, RECIPIENT.organisation,
    )  # fmt: skip
    assert decode_card(SPEC_RECIPIENT.card()).fingerprint == RECIPIENT.fingerprint


def test_second_writer_is_read_by_the_product() -> None:
    """§1–§4: a bundle from the second writer opens with the product's reader, and the
    payload parses; the same writer with a chunk size of 32768 is refused (§2)."""
    sender = second.Identity(os.urandom(32), uuid.uuid4(), "Infohus Sydvest")
    card = second.read_card(encode_card(RECIPIENT.card(), RECIPIENT.signing))
    files = [("notat.txt", "text/plain", os.urandom(70_000))]
    plain = second.payload("referral", {"x": ["ja", ""]}, files)
    data = second.write(sender, card, "referral", plain, NOW)
    sealed = bundle.parse(data)
    bundle.verify_signature(sealed, sender.sign_public)
    bundle.check_recipient(sealed, RECIPIENT.fingerprint)
    bundle.check_validity(sealed, NOW)
    opened = parse_payload(bundle.decrypt(sealed, RECIPIENT.kem), "referral")
    assert opened.data == {"x": ["ja", ""]}
    assert [(e.name, e.media_type, bytes(b)) for e, b in opened.attachments] == files
    assert sealed.header.sender.organisation == "Infohus Sydvest"
    half = second.write(sender, card, "referral", plain, NOW, chunk_size=32768)
    with pytest.raises(BundleRejected) as refused:
        bundle.parse(half)
    assert refused.value.reason is RejectReason.HEADER


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
