"""`infohus keys|recipient|referral export|bundle …` in-process, as two coordinators would."""

from __future__ import annotations

import io
import json
import os
import stat
import uuid
from pathlib import Path

import pytest

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.crypto.bundle_keys import BundleIdentity, encode_card
from tests.integration.bundle_fixtures import Pair, all_attachment_ids, pair
from tests.integration.conftest import COORDINATOR_PASS, District

__all__ = ["pair"]


class Cli:
    def __init__(self, url: str, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.where = (
            ["--vault", url.split("///", 1)[1]] if url.startswith("sqlite") else ["--db-url", url]
        )
        self.capsys = capsys
        self.passfile = tmp / "lars.pass"
        self.passfile.write_text(COORDINATOR_PASS + "\n", encoding="utf-8")

    def __call__(self, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        self.capsys.readouterr()
        args = [*argv, *self.where, "--user", "lars", "--passphrase-file", str(self.passfile)]
        code = main(args, StdinLines(io.StringIO(stdin)))
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def clis(
    pair: Pair, district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Cli, Cli]:
    receiver = Cli(district.url, tmp_path, capsys)
    sender = Cli(f"sqlite+pysqlite:///{tmp_path / 'nord.sqlite'}", tmp_path, capsys)
    return receiver, sender


def _stranger_card(tmp: Path, name: str) -> tuple[Path, str]:
    ident = BundleIdentity(uuid.uuid4(), name, os.urandom(32))
    path = tmp / f"{name}.card"
    path.write_bytes(encode_card(ident.card(), ident.signing))
    return path, ident.fingerprint


def test_export_public_prints_the_fingerprint(
    pair: Pair, clis: tuple[Cli, Cli], tmp_path: Path
) -> None:
    receiver, _ = clis
    target = tmp_path / "exit.card"
    code, out, err = receiver("keys", "export-public", str(target))
    assert (code, err) == (0, "")
    assert pair.receiver_fp in out
    assert target.read_bytes() == pair.receiver_card
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    code, out, _ = receiver("keys", "export-public", str(target), "--json")
    assert json.loads(out)["fingerprint"] == pair.receiver_fp


def test_recipient_add_needs_the_fingerprint_confirmed(
    clis: tuple[Cli, Cli], tmp_path: Path
) -> None:
    receiver, _ = clis
    card, fp = _stranger_card(tmp_path, "Kriminalforsorgen")
    code, out, err = receiver("recipient", "add", "--name", "KF", "--key", str(card), stdin="nej\n")
    assert code == 2 and "Ikke bekræftet" in err and fp in out
    code, out, err = receiver("recipient", "add", "--name", "KF", "--key", str(card), stdin="")
    assert code == 2 and "sluttede, før svaret på spørgsmålet kom" in err  # not "adgangsfrasen"
    code, _, err = receiver(
        "recipient", "add", "--name", "KF", "--key", str(card),
        "--fingerprint", "0000 0000 0000 0000 0000 0000 0000 0000",
    )  # fmt: skip
    assert code == 2 and "Fingeraftrykket passer ikke" in err
    code, out, err = receiver("recipient", "add", "--name", "KF", "--key", str(card), stdin="ja\n")
    assert (code, err) == (0, "") and "KF er tilføjet" in out
    other, other_fp = _stranger_card(tmp_path, "Exit Syd")
    code, _, err = receiver(
        "recipient", "add", "--name", "Exit Syd", "--key", str(other), "--fingerprint",
        other_fp.replace(" ", "").lower(),
    )  # fmt: skip
    assert (code, err) == (0, "")
    code, out, _ = receiver("recipient", "list", "--json")
    assert sorted(r["name"] for r in json.loads(out)) == ["Exit Syd", "Infohus Nordjylland", "KF"]
    code, out, _ = receiver("recipient", "list")
    assert fp in out and "Exit Syd" in out
    bad = tmp_path / "bad.card"
    bad.write_bytes(card.read_bytes().replace(b"Kriminalforsorgen", b"Kriminalforsorgem"))
    code, _, err = receiver("recipient", "add", "--name", "X", "--key", str(bad), stdin="ja\n")
    assert code == 2 and "nøglekort" in err


def test_export_inspect_import(pair: Pair, clis: tuple[Cli, Cli], tmp_path: Path) -> None:
    receiver, sender = clis
    out_file = tmp_path / "henvisning.ihb"
    ids = all_attachment_ids(pair.sender, pair.referral)
    args = ["referral", "export", str(pair.referral.id), "--to", "EXIT", "--out", str(out_file)]
    for a in ids:
        args += ["--attachment", a]
    code, out, err = sender(*args, "--days", "7")
    assert (code, err) == (0, ""), err
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    assert pair.receiver_fp in out
    # The draft is sent now, and the user is told so; a second export leaves it as it is.
    assert "Henvisningen var en kladde og er nu markeret som sendt" in out
    again = tmp_path / "igen.ihb"
    code, out, err = sender(
        "referral", "export", str(pair.referral.id), "--to", "EXIT", "--out", str(again), "--json"
    )
    assert (code, err) == (0, ""), err
    assert json.loads(out)["marked_sent"] is False

    code, out, err = receiver("bundle", "inspect", str(out_file))
    assert (code, err) == (0, "")
    assert "Infohus Nordjylland" in out and pair.sender_fp in out and "Henvisning" in out
    assert "referral" not in out  # the kind in words, not its code (user trial)
    code, out, _ = receiver("bundle", "inspect", str(out_file), "--json")
    seen = json.loads(out)
    assert seen["for_this_vault"] is True and seen["sender"]["fingerprint"] == pair.sender_fp

    code, out, err = receiver("bundle", "import", str(out_file))
    assert (code, err) == (0, ""), err
    assert "Infohus Nordjylland" in out and "3 bilag" in out
    code, out, err = receiver("bundle", "import", str(out_file))
    assert code == 7 and "allerede importeret" in err and out == ""

    code, out, _ = receiver("bundle", "incoming", "--json")
    (listed,) = json.loads(out)
    assert listed["sender"] == "Infohus Nordjylland" and listed["attachments"] == 3
    code, out, _ = receiver("bundle", "incoming", listed["id"])
    assert "Fra Infohus Nordjylland" in out and "Personen har selv spurgt" in out
    code, out, _ = receiver("bundle", "incoming", listed["id"], "--json")
    shown = json.loads(out)
    (pdf,) = [a for a in shown["attachments"] if a["name"] == "udtalelse.pdf"]
    saved = tmp_path / "udtalelse.pdf"
    code, out, err = receiver(
        "bundle", "incoming", listed["id"], "--attachment", pdf["id"], "--out", str(saved)
    )
    assert (code, err) == (0, "")
    assert saved.read_bytes() == pair.files["udtalelse.pdf"]


def test_refusals_are_one_line_and_leave_no_file(
    pair: Pair, clis: tuple[Cli, Cli], tmp_path: Path
) -> None:
    receiver, sender = clis
    target = tmp_path / "x.ihb"
    code, _, err = sender(
        "referral", "export", str(pair.referral.id), "--to", "Ingen", "--out", str(target)
    )
    assert code == 5 and len(err.strip().splitlines()) == 1
    assert not target.exists() and not list(tmp_path.glob(".x.ihb.*"))
    junk = tmp_path / "junk.ihb"
    junk.write_bytes(b"PK\x03\x04 not a bundle")
    code, out, err = receiver("bundle", "import", str(junk))
    assert code == 7 and "ikke en Infohus-pakke" in err and out == ""
    code, _, err = receiver("bundle", "import", str(tmp_path / "missing.ihb"))
    assert code == 2 and "kan ikke læses" in err
