"""Exporting a bundle from the app onto a full disk: the dialog says the file could not be
written, stays open, and the referral is still a draft (it becomes "sent by bundle" only once
the file is in place); with room on the disk the same dialog succeeds."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.bundle_export import BundleExportDialog
from tests.integration import bundle_fixtures
from tests.integration.bundle_fixtures import Pair

MakeCtx = Callable[[MemberServices], AppContext]
pair = bundle_fixtures.pair


def test_a_full_disk_leaves_the_draft_and_says_so(
    qtbot,  # type: ignore[no-untyped-def]
    make_ctx: MakeCtx,
    pair: Pair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "henvisning.infohus"
    real_replace = os.replace

    def full(src: str, dst: object) -> None:
        if Path(str(dst)) == target:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)  # type: ignore[arg-type]

    ctx = make_ctx(pair.sender)
    dialog = BundleExportDialog(ctx, pair.referral, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.recipients.count() == 1, timeout=10000)
    dialog.choose_file = lambda: target  # type: ignore[method-assign]
    monkeypatch.setattr(os, "replace", full)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=20000)
    assert dialog.error.text() == ("Filen kunne ikke skrives (disken er fuld). Intet er gemt.")
    assert dialog.isVisible() and dialog.written is None
    assert list(folder.iterdir()) == []
    assert pair.sender.referrals.show(pair.referral.id).status is ReferralStatus.DRAFT
    monkeypatch.undo()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    assert [p.name for p in folder.iterdir()] == ["henvisning.infohus"]
    assert dialog.saved is not None and dialog.saved.status is ReferralStatus.SENT
