"""`infohus backup …` as a coordinator (or a scheduled task) runs it: the exit codes a script
checks, one line on stderr for every refusal, and the words a person reads."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.local_state import LocalState
from tests.integration.conftest import COORDINATOR_PASS, District, built_district


@pytest.fixture
def district(sqlite_url: str, cheap_kdf: None) -> Iterator[District]:
    """SQLite only: the command line is the same on both engines (the services' tests run
    on both)."""
    with built_district(sqlite_url) as d:
        yield d


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "lars.pass"
    path.write_text(COORDINATOR_PASS + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), stdin=StdinLines())
    out, err = capsys.readouterr()
    return code, out, err


def test_the_backup_commands_from_create_to_drill(
    district: District,
    sqlite_url: str,
    tmp_path: Path,
    passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault = sqlite_url.split("///", 1)[1]
    me = ["--user", "lars", "--passphrase-file", str(passphrase_file)]
    copy = tmp_path / "kopi.ihk"

    code, out, err = run(capsys, "backup", "status", "--vault", vault, *me)
    assert (code, err) == (0, "") and "Seneste sikkerhedskopi: aldrig" in out

    code, out, err = run(capsys, "backup", "create", "--out", str(copy), "--vault", vault, *me)
    assert (code, err) == (0, ""), err
    assert f"Gemt i {copy}." in out and "kan åbnes af: lars" in out

    code, out, _err = run(capsys, "backup", "inspect", str(copy))
    assert code == 0 and "Kun hovedet og dets underskrift er kontrolleret" in out
    code, out, _err = run(capsys, "backup", "inspect", str(copy), "--json")
    header = json.loads(out)
    assert code == 0 and header["created_by"] == "lars" and header["key_holders"] == ["lars"]

    code, out, err = run(capsys, "backup", "verify", str(copy), *me)
    assert (code, err) == (0, "") and "Sikkerhedskopien er i orden" in out

    code, out, err = run(capsys, "backup", "drill", str(copy), "--vault", vault, *me, "--json")
    assert (code, err) == (0, ""), err
    report = json.loads(out)
    assert report["audit_head"] > 0 and report["cases_read"] == 0
    code, out, err = run(capsys, "backup", "drill", str(copy), "--vault", vault, *me)
    assert (code, err) == (0, ""), err
    # Danish: a decimal comma (the user trial read "5.3 s").
    assert re.search(r"Øvelsen lykkedes på \d+,\d s: 0 sager læst", out), out

    # The restore, as on a new computer after the old one was lost.
    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "ny-computer"))
    target = tmp_path / "genskabt.sqlite"
    again = ["backup", "restore", str(copy), "--vault", str(target), *me]
    code, out, err = run(capsys, *again)
    assert code == 2 and "velkomstbrevet" in err and "--fingerprint" in err
    code, out, err = run(capsys, *again, "--fingerprint", "0000 1111 2222")
    assert code == 2 and "Fingeraftrykket passer ikke med sikkerhedskopiens rodnøgle" in err
    assert "kender under samme id" not in err  # this computer knows no vault yet
    folder = ["backup", "restore", str(copy), "--vault", str(tmp_path), *me]
    code, out, err = run(capsys, *folder, "--fingerprint", header["root_fingerprint"])
    assert code == 2 and "Der er en mappe med det navn" in err
    assert LocalState().pin(uuid.UUID(header["vault"])) is None  # nothing remembered
    code, out, err = run(capsys, *again, "--fingerprint", header["root_fingerprint"].lower())
    assert (code, err) == (0, ""), err
    assert f"Genskabt i {target}." in out
    assert "kendte boksen" not in out  # a new computer knew the vault nowhere else
    assert "intet sletteregister" in out  # nor what was deleted elsewhere since the backup
    code, out, err = run(capsys, *again)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "allerede en boks" in err
    code, out, err = run(capsys, "case", "list", "--vault", str(target), *me)
    assert (code, err) == (0, ""), err

    monkeypatch.setenv("INFOHUS_LANG", "en")
    code, out, err = run(
        capsys, "backup", "status", "--vault", str(target), *me, "--reminder-days", "14"
    )
    assert (code, err) == (0, ""), err
    assert "Reminder after 14 days" in out and "Last restore drill: " in out


def test_refusals_have_their_exit_codes(
    district: District,
    sqlite_url: str,
    tmp_path: Path,
    passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = sqlite_url.split("///", 1)[1]
    me = ["--user", "lars", "--passphrase-file", str(passphrase_file)]
    copy = tmp_path / "kopi.ihk"
    assert run(capsys, "backup", "create", "--out", str(copy), "--vault", vault, *me)[0] == 0

    damaged = tmp_path / "beskadiget.ihk"
    data = bytearray(copy.read_bytes())
    data[-100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    code, out, err = run(capsys, "backup", "verify", str(damaged), *me)
    assert (code, out) == (7, "") and err.count("\n") == 1
    assert "Sikkerhedskopien afvises: en del af indholdet kan ikke dekrypteres" in err

    # A mistyped name is no backup to reject (7): there is no file (2).
    for command in ("verify", "inspect"):
        extra = me if command == "verify" else []
        code, out, err = run(
            capsys, "backup", command, str(tmp_path / "stavet-forkert.ihk"), *extra
        )
        assert (code, out) == (2, ""), err
        assert "Der er ingen fil" in err and "afvises" not in err

    wrong = tmp_path / "forkert.pass"
    wrong.write_text("ikke lars' frase\n", encoding="utf-8")
    code, _out, err = run(
        capsys, "backup", "verify", str(copy), "--user", "lars", "--passphrase-file", str(wrong)
    )
    assert code == 3 and "Forkert bruger eller adgangsfrase" in err

    # A member who holds no key to the backup is refused access (4): the file is sound.
    code, out, err = run(capsys, "backup", "verify", str(copy), "--user", "mette", *me[2:])
    assert (code, out) == (4, "") and "du er ikke blandt de koordinatorer" in err

    code, _out, err = run(capsys, "backup", "restore", str(copy), *me)
    assert code == 2 and "--vault NY_FIL eller --db-url URL" in err

    code, _out, err = run(
        capsys,
        "backup",
        "create",
        "--out",
        str(tmp_path / "ingen" / "k.ihk"),
        "--vault",
        vault,
        *me,
    )
    assert code == 2 and f"Mappen {tmp_path / 'ingen'} findes ikke" in err


def test_a_restore_beside_the_live_vault_says_which_copy_this_workstation_now_knows(
    district: District,
    sqlite_url: str,
    tmp_path: Path,
    passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Restored into a new file on the workstation that knows the vault: the restored copy
    is the vault here from now on (the rollback guard cannot keep two), and the command says
    so, with the way back and the way to try a backup without switching."""
    vault = sqlite_url.split("///", 1)[1]
    me = ["--user", "lars", "--passphrase-file", str(passphrase_file)]
    copy = tmp_path / "kopi.ihk"
    assert run(capsys, "backup", "create", "--out", str(copy), "--vault", vault, *me)[0] == 0
    target = tmp_path / "ved-siden-af.sqlite"
    code, out, err = run(capsys, "backup", "restore", str(copy), "--vault", str(target), *me)
    assert (code, err) == (0, ""), err
    assert f"Bemærk: denne arbejdsstation kendte boksen på {vault}." in out
    assert "infohus vault accept-restore" in out and "infohus backup drill" in out
    # No case of the vault was ever deleted here, so there is no register to apply.
    assert "denne arbejdsstation har intet sletteregister for boksen" in out
    assert "--deletions FIL" in out
    # As said: the old copy, opened here, is refused as another copy.
    code, _out, err = run(capsys, "case", "list", "--vault", vault, *me)
    assert code == 7, err
    # Restored once more elsewhere: the copy left behind is now the first restore's.
    other = tmp_path / "endnu-en.sqlite"
    code, out, _err = run(
        capsys, "backup", "restore", str(copy), "--vault", str(other), *me, "--json"
    )
    assert code == 0 and json.loads(out)["left_behind"] == str(target)
    assert json.loads(out)["deletions_note"] == "none"
