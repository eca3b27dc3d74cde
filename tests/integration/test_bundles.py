"""Bundles between two vaults: key cards and the register, export, inspect, import, replay."""

from __future__ import annotations

import io
import os
import tracemalloc
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity, encode_card
from infohus_desktop.domain.bundles import BundleRejected, RejectReason
from infohus_desktop.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.services.referrals.incoming import IncomingReferrals
from infohus_desktop.vault.referral_schema import BundleRecipientRow, SeenBundleRow
from tests.integration.audit_reading import actions_since
from tests.integration.bundle_fixtures import (
    Pair,
    all_attachment_ids,
    assert_only_one_rejection,
    pair,
    snapshot,
)
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ready_draft

__all__ = ["pair"]  # the fixture, imported for pytest


def _export_all(p: Pair) -> bytes:
    ids = all_attachment_ids(p.sender, p.referral)
    return p.sender.bundles.export_referral(p.referral.id, p.exit_id, ids)


def test_round_trip_fields_and_attachments_identical(pair: Pair) -> None:
    p = pair
    case_files = {
        a.filename: a for a in p.sender.cases.show(p.referral.summary.case_number).attachments
    }
    data = _export_all(p)
    result = p.receiver.bundles.import_bundle(data)
    assert result.sender_name == "Infohus Nordjylland" and result.attachments == 3

    incoming = p.receiver.referrals.show_incoming(result.incoming_id)
    sent = p.sender.referrals.show(p.referral.id)
    assert incoming.bundle_id == str(result.bundle_id)
    assert incoming.sender == "Infohus Nordjylland"
    expected = {k: v for k, v in sent.values.items() if k != "attachments"}
    got = {k: v for k, v in incoming.values.items() if k != "attachments"}
    assert got == expected
    assert sorted(incoming.values["attachments"]) == sorted(case_files)
    assert [(f.key, f.label_da, f.label_en, f.type) for f in incoming.form.fields] == [
        (f.key, f.label_da, f.label_en, f.type) for f in sent.form.fields
    ]
    assert sorted(a.filename for a in incoming.attachments) == sorted(case_files)
    for a in incoming.attachments:
        received = io.BytesIO()
        IncomingReferrals(p.receiver).read_attachment(result.incoming_id, a.id, received)
        original = io.BytesIO()
        p.sender.attachments.read(
            p.referral.summary.case_number, case_files[a.filename].id, original
        )
        assert received.getvalue() == original.getvalue()
        assert a.media_type == case_files[a.filename].media_type
        if a.filename in p.files:
            assert received.getvalue() == p.files[a.filename]
    # Sending by bundle moved the draft on, with the method recorded.
    assert sent.status is ReferralStatus.SENT
    assert sent.history[-1].how is SendMethod.BUNDLE


def test_export_takes_the_referrals_own_attachments_by_default(pair: Pair) -> None:
    p = pair
    ids = all_attachment_ids(p.sender, p.referral)[:1]
    chosen = p.sender.referrals.edit(p.referral.id, p.referral.version, {"attachments": ids})
    result = p.receiver.bundles.import_bundle(
        p.sender.bundles.export_referral(chosen.id, "EXIT")  # by name
    )
    assert result.attachments == 1


def test_replay_is_rejected_and_changes_nothing_else(pair: Pair) -> None:
    p = pair
    data = _export_all(p)
    p.receiver.bundles.import_bundle(data)
    before = snapshot(p.receiver)
    with pytest.raises(BundleRejected) as info:
        p.receiver.bundles.import_bundle(data)
    assert info.value.reason is RejectReason.REPLAY
    assert_only_one_rejection(p.receiver, before, "replay")
    with p.receiver.vault.uow() as s:
        assert len(s.scalars(select(SeenBundleRow)).all()) == 1


def test_inspect_shows_the_signed_header_only(pair: Pair) -> None:
    p = pair
    data = _export_all(p)
    seen = p.receiver.bundles.inspect(data)
    assert seen.sender_name == "Infohus Nordjylland" and seen.for_this_vault
    assert seen.info.sender.organisation == "Nordjylland"
    assert seen.info.sender.fingerprint == p.sender_fp
    assert seen.info.recipient_fingerprint == p.receiver_fp
    assert seen.info.kind == "referral"
    assert (seen.info.expires - seen.info.created) == bundle.DEFAULT_VALIDITY
    # Inspecting stored nothing: the bundle still imports.
    p.receiver.bundles.import_bundle(data)


def test_the_sender_cannot_import_its_own_bundle(pair: Pair) -> None:
    """A vault pins others, not itself: its own bundle comes from an unknown sender."""
    data = _export_all(pair)
    with pytest.raises(BundleRejected) as info:
        pair.sender.bundles.import_bundle(data)
    assert info.value.reason is RejectReason.UNKNOWN_SENDER


def test_fingerprint_must_be_confirmed(pair: Pair) -> None:
    p = pair
    other = p.receiver  # a third party would do; the receiver adds the sender again
    with pytest.raises(InvalidInput):
        other.bundles.add_recipient(
            "Forkert", p.sender_card, "0000 0000 0000 0000 0000 0000 0000 0000"
        )
    with pytest.raises(Conflict):
        other.bundles.add_recipient("Igen", p.sender_card, p.sender_fp.lower().replace(" ", ""))
    with pytest.raises(InvalidInput):
        other.bundles.add_recipient("Mig selv", p.receiver_card, p.receiver_fp)
    assert [r.name for r in other.bundles.recipients()] == ["Infohus Nordjylland"]


def test_only_coordinators_pin_keys_and_guests_touch_no_bundle(
    pair: Pair, district: District
) -> None:
    p = pair
    member = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with pytest.raises(AccessDenied):
        member.bundles.add_recipient("X", p.sender_card, p.sender_fp)
    assert [r.name for r in member.bundles.recipients()] == ["Infohus Nordjylland"]
    card, fp = member.bundles.export_public_key()  # exists already: members may export it
    assert fp == p.receiver_fp and card == p.receiver_card
    guest = district.enrol("karl", "Karl Gæst", "Kriminalforsorgen", Role.GUEST, None)
    with pytest.raises(AccessDenied):
        guest.bundles.import_bundle(_export_all(p))


def test_a_member_cannot_create_the_vault_identity(district: District) -> None:
    member = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with pytest.raises(NotFound):
        member.bundles.export_public_key()


def test_a_register_row_altered_in_the_database_is_no_trusted_sender(pair: Pair) -> None:
    p = pair
    data = _export_all(p)
    with p.receiver.vault.uow() as s:  # an attacker with the database swaps the pinned key
        s.execute(update(BundleRecipientRow).values(sign_public=bytes(32)))
    before = snapshot(p.receiver)
    with pytest.raises(BundleRejected) as info:
        p.receiver.bundles.import_bundle(data)
    assert info.value.reason is RejectReason.UNKNOWN_SENDER
    assert_only_one_rejection(p.receiver, before, "altered register")


def test_unknown_recipient_name_is_a_clear_error(pair: Pair) -> None:
    with pytest.raises(NotFound):
        pair.sender.bundles.export_referral(pair.referral.id, "Ingen Sådan", [])
    with pytest.raises(NotFound):
        pair.sender.bundles.export_referral(pair.referral.id, str(uuid.uuid4()), [])


def test_no_name_or_referral_text_reaches_the_database_file(pair: Pair, district: District) -> None:
    """The register's names and the imported referral are ciphertext: the SQLite file and
    its live WAL hold none of them."""
    if not district.url.startswith("sqlite"):
        pytest.skip("reads the SQLite file's bytes")
    p = pair
    stranger = BundleIdentity(uuid.uuid4(), "Kriminalforsorgen Qzx", os.urandom(32))
    card = encode_card(stranger.card(), stranger.signing)
    p.receiver.bundles.add_recipient("Sentinelprogrammet Qzx", card, stranger.fingerprint)
    assert p.receiver.bundles.import_bundle(_export_all(p)).attachments == 3
    path = Path(district.url.split("///", 1)[1])
    raw = b"".join(f.read_bytes() for f in (path, Path(f"{path}-wal")) if f.exists())
    assert "Østjylland".encode() in raw  # the control: the vault's name is kept in clear
    for secret in (
        "Sentinelprogrammet Qzx", "Kriminalforsorgen Qzx", "Infohus Nordjylland", "Ali Ærø",
        "0101901234", "Personen har selv spurgt", "udtalelse.pdf", "skolens-notat.txt",
    ):  # fmt: skip
        assert secret.encode() not in raw, secret
    assert p.files["udtalelse.pdf"][1000:1064] not in raw


def test_a_minor_s_referral_is_not_exported_without_the_guardians_answer(pair: Pair) -> None:
    """The export is a sending: the service refuses it before anything is built or audited."""
    p = pair
    minor = ready_draft(p.sender, cpr="0101124001")  # born 1 January 2012
    audit_before = snapshot(p.sender).head_seq
    with pytest.raises(InvalidInput, match="under 18"):
        p.sender.bundles.export_referral(minor.id, p.exit_id, [])
    assert p.sender.referrals.show(minor.id).status is ReferralStatus.DRAFT
    actions = actions_since(p.sender, audit_before)
    assert "bundle.export" not in actions
    answered = p.sender.referrals.edit(minor.id, minor.version, {"guardians_consent": "nej"})
    result = p.receiver.bundles.import_bundle(
        p.sender.bundles.export_referral(answered.id, p.exit_id, [])
    )
    assert (
        p.receiver.referrals.show_incoming(result.incoming_id).values["guardians_consent"] == "nej"
    )


def test_a_withdrawn_referral_is_not_exported(pair: Pair) -> None:
    p = pair
    gone = p.sender.referrals.change_status(p.referral.id, ReferralStatus.WITHDRAWN, "Fortrudt")
    with pytest.raises(InvalidInput):
        p.sender.bundles.export_referral(gone.id, p.exit_id, [])


def test_export_to_a_file_streams_the_attachments(pair: Pair, tmp_path: Path) -> None:
    """Memory does not grow with the attachment: 24 MB peaks like 8 MB (the vault's 1 MiB
    chunks go through the chunk encryptor to the file; nothing holds the whole file)."""
    p = pair
    case = p.referral.summary.case_number
    peaks = []
    for megabytes in (8, 24):
        data = os.urandom(megabytes * 1024 * 1024)
        attachment = p.sender.attachments.add(case, f"{megabytes}.pdf", io.BytesIO(data))
        target = tmp_path / f"{megabytes}.ihb"
        tracemalloc.start()
        try:
            with target.open("wb") as sink:
                p.sender.bundles.write_referral(p.referral.id, p.exit_id, sink, [attachment.id])
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        del data
        header = bundle.parse(target.read_bytes()).header
        assert header.payload_length > megabytes * 1024 * 1024
    assert peaks[1] - peaks[0] < 4 * 1024 * 1024, peaks
