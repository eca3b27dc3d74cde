"""Crafted bad bundles imported into a vault: each refused for its reason, with nothing
changed in the database but ONE audit entry ``bundle.import.rejected`` each."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity, decode_card
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.bundles import BundleRejected, RejectReason
from tests.integration.bundle_fixtures import (
    Pair,
    all_attachment_ids,
    assert_only_one_rejection,
    pair,
    snapshot,
)
from tests.unit.crypto.bundle_craft import (
    CHUNK,
    BadCase,
    Crafter,
    canon,
    catalogue,
    header_end,
    manifest_payload,
)

__all__ = ["pair"]
R = RejectReason


def _crafter(p: Pair) -> Crafter:
    """A crafter signing as the sender's real identity, with a real referral payload."""
    data = p.sender.bundles.export_referral(
        p.referral.id, p.exit_id, all_attachment_ids(p.sender, p.referral)
    )
    with p.receiver.vault.uow() as s:
        receiver_identity = p.receiver.bundles.keys.identity(s)
    with p.sender.vault.uow() as s:
        sender_identity = p.sender.bundles.keys.identity(s)
    payload = bytes(bundle.decrypt(bundle.parse(data), receiver_identity.kem))
    assert len(payload) > 2 * CHUNK
    return Crafter(sender_identity, decode_card(p.receiver_card).keys, payload)


def _referral_cases(c: Crafter) -> list[BadCase]:
    """Bundles sound in every byte whose referral breaks the referral's own schema."""
    length = int.from_bytes(c.payload[:4], "big")
    manifest = json.loads(c.payload[4 : 4 + length])
    files_blob = c.payload[4 + length :]
    out = []

    def case(name: str, change: dict) -> None:
        data = {**manifest["data"], **change}
        raw = canon({**manifest, "data": data})
        p = len(raw).to_bytes(4, "big") + raw + files_blob
        out.append(
            BadCase(
                name, c.build(c.header(payload_length=len(p)), payload=p), frozenset({R.PAYLOAD})
            )
        )

    values = manifest["data"]["values"]
    case("referral with an unknown field", {"values": {**values, "shoe_size": "44"}})
    case("referral without a programme", {"values": {**values, "programme": ""}})
    case("referral with an unknown programme", {"values": {**values, "programme": "mi5"}})
    case("referral with a number as a value", {"values": {**values, "reason": 7}})
    case("referral with a broken form", {"form": [{"key": "x"}]})
    case("referral with a bad sending date", {"sent_on": "23.11.2026"})
    case("referral with an extra field", {"note": "x"})
    no_values = manifest_payload(
        "referral", {k: v for k, v in manifest["data"].items() if k != "values"}, []
    )
    out.append(
        BadCase(
            "referral without values",
            c.build(c.header(payload_length=len(no_values)), payload=no_values),
            frozenset({R.PAYLOAD}),
        )
    )
    return out


def _expect_rejected(p: Pair, data: bytes, reasons: frozenset[RejectReason], name: str) -> None:
    before = snapshot(p.receiver)
    with pytest.raises(BundleRejected) as info:
        p.receiver.bundles.import_bundle(data)
    assert info.value.reason in reasons, f"{name}: {info.value.reason}"
    assert_only_one_rejection(p.receiver, before, name)


def test_crafted_bundles_are_rejected_and_change_nothing(pair: Pair) -> None:
    p = pair
    c = _crafter(p)
    stranger = BundleIdentity(uuid.uuid4(), "Nordjylland", os.urandom(32))
    cases = catalogue(c, stranger) + _referral_cases(c)
    assert len(cases) >= 60
    for case in cases:
        _expect_rejected(p, case.data, case.reasons, case.name)
    # The base every case broke is itself a valid bundle for this vault, imported once...
    good = c.build()
    p.receiver.bundles.import_bundle(good)
    # ... and then refused as a replay.
    _expect_rejected(p, good, frozenset({R.REPLAY}), "replayed")
    # The audit log still verifies, and each refusal names its reason (no content).
    assert p.receiver.audit.verify().ok
    details = [
        e.detail
        for e in p.receiver.audit.list(
            limit=1000, action="bundle.import.rejected", purpose=Purpose.SUPERVISION
        )
    ]
    assert len(details) == len(cases) + 1
    assert all(d is not None and d.startswith("reason ") for d in details)
    assert {d.split()[1] for d in details} <= {r.value for r in RejectReason}


def test_truncated_bundles_are_rejected_and_change_nothing(pair: Pair) -> None:
    """Cut at every byte of the prefix, header and signature, and at every chunk boundary."""
    p = pair
    data = p.sender.bundles.export_referral(
        p.referral.id, p.exit_id, all_attachment_ids(p.sender, p.referral)
    )
    body = header_end(data) + 64
    cuts = set(range(body + 1))
    offset = body
    while offset < len(data):
        cuts.update({offset, offset + 1, offset - 1})
        offset += CHUNK + 16
    cuts.add(len(data) - 1)
    before = snapshot(p.receiver)
    for cut in sorted(c for c in cuts if 0 <= c < len(data)):
        with pytest.raises(BundleRejected) as info:
            p.receiver.bundles.import_bundle(data[:cut])
        assert info.value.reason in {R.MAGIC, R.LENGTH}, cut
    after = snapshot(p.receiver)
    rejected = after.head_seq - before.head_seq
    assert rejected == len([c for c in cuts if 0 <= c < len(data)])
    grown = {t: n - before.counts[t] for t, n in after.counts.items() if n != before.counts[t]}
    assert set(grown) <= {"audit_entries", "audit_checkpoints", "audit_sessions"}
    assert grown["audit_entries"] == rejected
    # Nothing of the referral arrived; the intact bundle still imports.
    p.receiver.bundles.import_bundle(data)
