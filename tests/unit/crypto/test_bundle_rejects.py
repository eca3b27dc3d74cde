"""Crafted bad bundles through the reader's steps: each refused, for the reason it is bad."""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, datetime

import pytest

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.crypto.bundle_payload import encode_payload, parse_payload
from infohus_desktop.crypto.bundle_writer import seal
from infohus_desktop.domain.bundles import BundleKind, BundleRejected, RejectReason
from tests.unit.crypto.bundle_craft import CHUNK, BadCase, Crafter, catalogue, header_end

SENDER = BundleIdentity(uuid.uuid4(), "Infohus Østjylland", os.urandom(32))
RECIPIENT = BundleIdentity(uuid.uuid4(), "EXIT", os.urandom(32))
STRANGER = BundleIdentity(uuid.uuid4(), "Infohus Østjylland", os.urandom(32))
NOW = datetime.now(UTC).replace(microsecond=0)
PINNED = {SENDER.fingerprint: SENDER}
FILES = [("rapport.pdf", "application/pdf", os.urandom(150_000))]
PAYLOAD = encode_payload("referral", {"values": {"reason": "x"}}, FILES)


def open_all(data: bytes) -> None:
    """Every check of SECURITY.md that needs no database, in its order."""
    sealed = bundle.parse(data)
    pinned = PINNED.get(sealed.header.sender.fingerprint)
    if pinned is None or pinned.vault_id != sealed.header.sender.vault_id:
        raise BundleRejected(RejectReason.UNKNOWN_SENDER)
    bundle.verify_signature(sealed, pinned.public().sign)
    bundle.check_recipient(sealed, RECIPIENT.fingerprint)
    bundle.check_validity(sealed, NOW)
    parse_payload(bundle.decrypt(sealed, RECIPIENT.kem), sealed.header.kind)


CRAFTER = Crafter(SENDER, RECIPIENT.public(), PAYLOAD, NOW)
CASES = catalogue(CRAFTER, STRANGER)


def test_the_catalogue_is_large_and_its_valid_base_opens() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    open_all(CRAFTER.build())  # the base every case breaks is itself valid


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_crafted_bundle_is_rejected_for_its_reason(case: BadCase) -> None:
    with pytest.raises(BundleRejected) as info:
        open_all(case.data)
    assert info.value.reason in case.reasons


def _valid() -> bytes:
    out = io.BytesIO()
    seal(SENDER, RECIPIENT.public(), BundleKind.REFERRAL, PAYLOAD, out, now=NOW)
    return out.getvalue()


def test_truncated_at_every_header_byte_and_chunk_boundary() -> None:
    data = _valid()
    body = header_end(data) + 64
    cuts = list(range(body + 1))
    chunks = len(PAYLOAD) // CHUNK + 1
    for i in range(1, chunks + 1):
        cuts.append(body + min(i * (CHUNK + 16), len(data) - body))
        cuts.append(cuts[-1] - 1)
    for cut in cuts:
        if cut >= len(data):
            continue
        with pytest.raises(BundleRejected) as info:
            open_all(data[:cut])
        assert info.value.reason in {RejectReason.MAGIC, RejectReason.LENGTH}, cut


def test_every_header_byte_flipped_is_rejected() -> None:
    data = _valid()
    for index in range(header_end(data) + 64):
        altered = bytearray(data)
        altered[index] ^= 0x01
        with pytest.raises(BundleRejected):
            open_all(bytes(altered))


def test_oversized_input_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-file cap comes first (a real 256 MiB file is not allocated in a unit test)."""
    data = _valid()
    monkeypatch.setattr(bundle, "MAX_BUNDLE_BYTES", len(data) - 1)
    with pytest.raises(BundleRejected) as info:
        bundle.parse(data)
    assert info.value.reason is RejectReason.TOO_LARGE
