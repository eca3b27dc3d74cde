"""Every failed import attempt writes exactly ONE ``bundle.import.rejected`` entry with a
reason code and no content (BUNDLE.md §6) — also the failures that are no fault of the bundle:
a file that cannot be read, a vault without a bundle identity or with an altered one, an
error while storing. The app's first step (inspecting the file it is about to import) counts
as the attempt too."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from infohus_desktop.crypto import bundle
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.bundles import BundleRejected, BundleUnreadable, RejectReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.referral_schema import BundleIdentityRow
from tests.integration.bundle_fixtures import (
    Pair,
    all_attachment_ids,
    assert_only_one_rejection,
    pair,
    sender_vault,
    snapshot,
)

__all__ = ["pair"]
R = RejectReason
PERSONAL_NAME = "Ali Ærø"  # a file name may name a person; it never reaches the log


def last_detail(session: MemberServices, action: str = "bundle.import.rejected") -> str:
    (entry,) = session.audit.list(limit=1, action=action, purpose=Purpose.SUPERVISION)
    assert entry.detail is not None
    return entry.detail


def expect_one_rejection(
    session: MemberServices, attempt, reason: RejectReason, error: type = BundleRejected
) -> BaseException:  # type: ignore[no-untyped-def]
    before = snapshot(session)
    with pytest.raises(error) as info:
        attempt()
    assert getattr(info.value, "reason", reason) is reason
    assert_only_one_rejection(session, before, str(reason))
    detail = last_detail(session)
    assert detail == f"reason {reason.value}"
    assert PERSONAL_NAME not in detail
    return info.value


def bundle_file(p: Pair, folder: Path) -> Path:
    data = p.sender.bundles.export_referral(
        p.referral.id, p.exit_id, all_attachment_ids(p.sender, p.referral)
    )
    path = folder / f"{PERSONAL_NAME}.infohus"
    path.write_bytes(data)
    return path


def test_a_file_that_cannot_be_read_is_one_rejection(pair: Pair, tmp_path: Path) -> None:
    receiver = pair.receiver
    missing = tmp_path / f"{PERSONAL_NAME}.infohus"
    folder = tmp_path / f"{PERSONAL_NAME}.mappe"
    folder.mkdir()
    for path in (missing, folder):
        exc = expect_one_rejection(
            receiver, lambda p=path: receiver.bundles.import_file(p), R.UNREADABLE, BundleUnreadable
        )
        assert PERSONAL_NAME not in exc.message("da") + exc.message("en")
        expect_one_rejection(
            receiver,
            lambda p=path: receiver.bundles.inspect_file(p, importing=True),
            R.UNREADABLE,
            BundleUnreadable,
        )


def test_a_file_too_large_is_refused_unread_as_one_rejection(pair: Pair, tmp_path: Path) -> None:
    receiver = pair.receiver
    huge = tmp_path / f"{PERSONAL_NAME}.infohus"
    with huge.open("wb") as f:
        f.truncate(bundle.MAX_BUNDLE_BYTES + 1)  # sparse: no disk used
    expect_one_rejection(receiver, lambda: receiver.bundles.import_file(huge), R.TOO_LARGE)
    expect_one_rejection(
        receiver, lambda: receiver.bundles.inspect_file(huge, importing=True), R.TOO_LARGE
    )
    # Outside an import (infohus bundle inspect) it is the inspection's one entry.
    before = snapshot(receiver)
    with pytest.raises(BundleRejected):
        receiver.bundles.inspect_file(huge)
    assert snapshot(receiver).head_seq == before.head_seq + 1
    assert last_detail(receiver, "bundle.inspect") == "rejected too-large"


def test_an_altered_identity_row_is_one_rejection(pair: Pair, tmp_path: Path) -> None:
    p = pair
    path = bundle_file(p, tmp_path)
    with p.receiver.vault.uow() as s:
        row = s.scalars(select(BundleIdentityRow)).one()
        row.signature = bytes(len(row.signature))  # no coordinator signed this
    expect_one_rejection(p.receiver, lambda: p.receiver.bundles.import_file(path), R.IDENTITY)
    expect_one_rejection(
        p.receiver, lambda: p.receiver.bundles.inspect_file(path, importing=True), R.IDENTITY
    )


def test_a_vault_without_a_bundle_identity_rejects_with_one_entry(
    pair: Pair, tmp_path: Path
) -> None:
    """A third vault pinned the sender but never made its own bundle key."""
    path = bundle_file(pair, tmp_path)
    third = sender_vault(tmp_path / "third.sqlite")
    try:
        third.bundles.add_recipient("Infohus Nordjylland", pair.sender_card, pair.sender_fp)
        exc = expect_one_rejection(third, lambda: third.bundles.import_file(path), R.IDENTITY)
        assert "pakkenøgle" in exc.message("da")
        # In the app the inspection already ends the attempt: not for this vault.
        before = snapshot(third)
        seen = third.bundles.inspect_file(path, importing=True)
        assert not seen.for_this_vault
        assert_only_one_rejection(third, before, "inspect")
        assert last_detail(third) == "reason recipient"
    finally:
        third.lock()
        third.vault.close()


def test_any_other_error_is_one_rejection_and_goes_on_unchanged(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = pair
    path = bundle_file(p, tmp_path)

    def broken(*_args: object, **_kw: object) -> uuid.UUID:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(type(p.receiver.referrals), "store_incoming", broken)
    expect_one_rejection(
        p.receiver, lambda: p.receiver.bundles.import_file(path), R.FAILED, RuntimeError
    )
    monkeypatch.undo()
    # Nothing was stored, so the same bundle still imports, with its own entry.
    assert p.receiver.bundles.import_file(path).attachments == 3
    assert last_detail(p.receiver, "bundle.import").startswith("from ")


def test_a_good_bundle_inspected_before_import_writes_one_inspect_entry(
    pair: Pair, tmp_path: Path
) -> None:
    p = pair
    path = bundle_file(p, tmp_path)
    before = snapshot(p.receiver)
    seen = p.receiver.bundles.inspect_file(path, importing=True)
    assert seen.for_this_vault and seen.sender_name == "Infohus Nordjylland"
    assert snapshot(p.receiver).head_seq == before.head_seq + 1
    assert last_detail(p.receiver, "bundle.inspect").startswith("from ")
    assert p.receiver.audit.list(limit=5, action="bundle.import.rejected") == []
