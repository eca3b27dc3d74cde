"""A bundle export whose file cannot be written (a full disk) leaves the referral a draft, no
file and no temporary file, and says so clearly — through the service the app uses and
through ``infohus referral export``. A draft becomes "sent by bundle" only once the file is
renamed into place."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.crypto import bundle
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from tests.integration.bundle_fixtures import Pair, pair
from tests.integration.conftest import COORDINATOR_PASS

__all__ = ["pair"]


def disk_full_at(monkeypatch: pytest.MonkeyPatch, step: str, folder: Path) -> None:
    """Make ``os.fsync`` (the data reaching the disk) or ``os.replace`` (the rename) fail
    with ENOSPC for files in ``folder`` — what a full disk does to a write."""
    real = getattr(os, step)

    def full(*args: object) -> object:
        if step == "fsync" or str(args[1]).startswith(str(folder)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args)

    monkeypatch.setattr(os, step, full)


def assert_unchanged(p: Pair, folder: Path) -> None:
    after = p.sender.referrals.show(p.referral.id)
    assert after.status is ReferralStatus.DRAFT
    assert after.version == p.referral.version
    assert list(folder.iterdir()) == []  # neither the bundle nor a temporary file


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_the_service_marks_sent_only_after_the_file_is_in_place(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    p = pair
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "henvisning.infohus"
    with monkeypatch.context() as m:
        disk_full_at(m, step, folder)
        with pytest.raises(InvalidInput) as info:
            p.sender.bundles.export_referral_to_file(p.referral.id, p.exit_id, target)
    assert info.value.message("en") == (
        "The file could not be written (the disk is full). Nothing was saved."
    )
    assert_unchanged(p, folder)
    # With room on the disk: the file, whole, and only now the draft is sent by bundle.
    info_ok = p.sender.bundles.export_referral_to_file(p.referral.id, p.exit_id, target)
    assert bundle.parse(target.read_bytes()).header.bundle_id == info_ok.info.bundle_id
    assert info_ok.marked_sent
    sent = p.sender.referrals.show(p.referral.id)
    assert sent.status is ReferralStatus.SENT
    assert sent.history[-1].how is SendMethod.BUNDLE


def test_write_referral_alone_changes_no_status(pair: Pair, tmp_path: Path) -> None:
    """The sink variant cannot know whether its caller kept the bytes: it marks nothing."""
    with (tmp_path / "x.infohus").open("wb") as sink:
        pair.sender.bundles.write_referral(pair.referral.id, pair.exit_id, sink, [])
    assert pair.sender.referrals.show(pair.referral.id).status is ReferralStatus.DRAFT


def test_cli_export_on_a_full_disk_leaves_the_draft(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = pair
    folder = tmp_path / "out"
    folder.mkdir()
    passfile = tmp_path / "lars.pass"
    passfile.write_text(COORDINATOR_PASS + "\n", encoding="utf-8")
    argv = [
        "referral", "export", str(p.referral.id), "--to", "EXIT",
        "--out", str(folder / "henvisning.infohus"),
        "--vault", str(tmp_path / "nord.sqlite"), "--user", "lars",
        "--passphrase-file", str(passfile),
    ]  # fmt: skip
    with monkeypatch.context() as m:
        disk_full_at(m, "replace", folder)
        code = main(argv, StdinLines(io.StringIO("")))
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "Filen kunne ikke skrives (disken er fuld). Intet er gemt." in err
    assert_unchanged(p, folder)
    assert main(argv, StdinLines(io.StringIO(""))) == 0
    assert p.sender.referrals.show(p.referral.id).status is ReferralStatus.SENT
