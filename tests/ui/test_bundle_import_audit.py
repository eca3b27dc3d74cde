"""The import dialog leaves every check to the service, so a file it refuses is audited like
any rejected import: one clear message in the dialog, one ``bundle.import.rejected`` entry
with the reason code, nothing else stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from infohus_desktop.crypto import bundle
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.bundle_import import BundleImportDialog
from tests.integration import bundle_fixtures
from tests.integration.bundle_fixtures import Pair, assert_only_one_rejection, snapshot

MakeCtx = Callable[[MemberServices], AppContext]
pair = bundle_fixtures.pair


def too_large(folder: Path) -> Path:
    path = folder / "stor.infohus"
    with path.open("wb") as f:
        f.truncate(bundle.MAX_BUNDLE_BYTES + 1)  # sparse
    return path


def unreadable(folder: Path) -> Path:
    path = folder / "en-mappe.infohus"
    path.mkdir()
    return path


@pytest.mark.parametrize(
    ("make_file", "reason", "message"),
    [
        (
            too_large,
            "too-large",
            "Pakken er afvist: filen er for stor til at være en pakke. Intet er ændret.",
        ),
        (unreadable, "unreadable", "Filen kan ikke læses. Intet er importeret."),
    ],
)
def test_a_refused_file_is_audited_once_and_shown(
    qtbot,  # type: ignore[no-untyped-def]
    make_ctx: MakeCtx,
    pair: Pair,
    tmp_path: Path,
    make_file: Callable[[Path], Path],
    reason: str,
    message: str,
) -> None:
    receiver = pair.receiver
    path = make_file(tmp_path)
    before = snapshot(receiver)
    ctx = make_ctx(receiver)
    dialog = BundleImportDialog(ctx, path, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10000)
    assert dialog.error.text() == message
    assert dialog.status.text() == "Pakken kan ikke importeres."
    assert not dialog.ok_button.isEnabled() and dialog.imported is None
    assert_only_one_rejection(receiver, before, reason)
    (entry,) = receiver.audit.list(
        limit=1, action="bundle.import.rejected", purpose=Purpose.SUPERVISION
    )
    assert entry.detail == f"reason {reason}"
