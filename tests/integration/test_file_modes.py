"""Every file the product makes is 0600 and every folder it makes 0700, whatever the umask
(issue 18, "Private files"): the SQLite vault and its -wal/-shm, the folders it is made in, the
settings, the checkpoint file, the bug log, the backup before a migration, and every kind of
export the CLI writes. The tests run under umask 022, the usual one, under which the vault and
its -wal/-shm used to be 0644 and readable by every local account (SQLite only: PostgreSQL
keeps no file here)."""

from __future__ import annotations

import io
import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infohus_desktop import bug_log
from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from infohus_desktop.vault import checkpoint_file, migrate
from infohus_desktop.vault.engine import url_for_path
from tests.integration.bundle_fixtures import Pair, all_attachment_ids, pair
from tests.integration.conftest import COORDINATOR_PASS
from tests.integration.test_cli_bundles import Cli, clis
from tests.integration.test_cli_cases import CaseCli, new_case_cli

__all__ = ["clis", "pair"]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """SQLite only: the files are what is tested."""
    return sqlite_url


@pytest.fixture
def cli(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    cheap_kdf: None,
) -> CaseCli:
    """test_cli_cases.py's district, made by the command line in this test under umask 022
    (not copied from a vault built once, under whatever umask was then in force): the
    vault's own file and folders are among the files tested."""
    return new_case_cli(db_url, tmp_path, capsys, monkeypatch)


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_private_files(*paths: Path | str) -> None:
    found = {str(p): oct(mode(p)) for p in paths}
    assert found == {str(p): oct(0o600) for p in paths}


def assert_private_dirs(*paths: Path | str) -> None:
    found = {str(p): oct(mode(p)) for p in paths}
    assert found == {str(p): oct(0o700) for p in paths}


def assert_wal_and_shm_private(url: str) -> None:
    """Open the vault as a client would and look at the -wal/-shm while it is open."""
    vault = Vault.open(url, LocalState())
    try:
        with vault.engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM members").all()
            path = Path(vault.location)
            wal, shm = (path.with_name(path.name + s) for s in ("-wal", "-shm"))
            assert wal.exists() and shm.exists()
            assert_private_files(path, wal, shm)
    finally:
        vault.close()


def passfile(tmp_path: Path) -> str:
    path = tmp_path / "lars.pass"
    path.write_text(COORDINATOR_PASS + "\n", encoding="utf-8")
    return str(path)


INIT = ["init", "--infohus", "Østjylland", "--login", "lars", "--name", "Lars Holm"]


def test_init_at_the_default_place_makes_every_missing_folder_0700(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cheap_kdf: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "a" / "b" / "home"
    monkeypatch.setenv("INFOHUS_HOME", str(home))
    code = main([*INIT, "--org", "police", "--passphrase-file", passfile(tmp_path)])
    assert (code, capsys.readouterr().err) == (0, "")
    vault = home / "vaults" / "infohus.sqlite"
    assert_private_dirs(tmp_path / "a", tmp_path / "a" / "b", home, home / "vaults")
    assert_private_files(vault, home / "settings.json")
    assert json.loads((home / "settings.json").read_text())["vaults"]  # the pin is in it
    assert_wal_and_shm_private(url_for_path(vault))


def test_init_with_vault_path(
    tmp_path: Path, infohus_home: Path, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "distrikt.sqlite"
    args = [*INIT, "--org", "police", "--passphrase-file", passfile(tmp_path)]
    assert main([*args, "--vault", str(vault)]) == 0
    assert capsys.readouterr().err == ""
    assert_private_files(vault, infohus_home / "settings.json")
    assert_private_dirs(infohus_home)
    assert not list(tmp_path.glob("distrikt.sqlite-*"))  # closed cleanly: WAL checkpointed
    assert_wal_and_shm_private(url_for_path(vault))


def test_demo_vault_and_its_checkpoint_file(
    tmp_path: Path, infohus_home: Path, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "demo.sqlite"
    args = ["demo", "--vault", str(vault), "--cases", "5", "--months", "1", "--json"]
    code = main(args, StdinLines(io.StringIO()))
    assert code == 0, capsys.readouterr().err
    vault_id = json.loads(capsys.readouterr().out)["vault_id"]
    checkpoint = LocalState().checkpoint_file(vault_id)
    assert checkpoint.stat().st_size > 0  # the demo writes more than 100 audit entries
    assert_private_files(vault, checkpoint, infohus_home / "settings.json")
    assert_private_dirs(infohus_home, infohus_home / "checkpoints")
    assert_wal_and_shm_private(url_for_path(vault))


def test_demo_at_the_default_place(
    infohus_home: Path, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--cases", "0", "--months", "1", "--json"], StdinLines(io.StringIO())) == 0
    capsys.readouterr()
    assert_private_dirs(infohus_home, infohus_home / "vaults")
    assert_private_files(infohus_home / "vaults" / "demo.sqlite")


def test_every_export_of_the_cli(cli: CaseCli) -> None:
    out = cli.tmp / "ud"
    out.mkdir()
    case = cli.add_case("mette", "Ali Hansen")
    number = case["number"]
    note = cli.file("notat.txt", "Fortroligt notat\n")
    attached = cli.as_("mette", "case", "attach", "add", number, note, "--json").json()
    cli.ok("mette", "case", "attach", "get", number, attached["id"], "--out", str(out / "kopi"))

    referral = cli.as_(
        "mette", "referral", "add", number, "--programme", "pet_exit", "--json"
    ).json()
    cli.ok("mette", "referral", "pdf", referral["id"], "--out", str(out / "henvisning.pdf"))

    stats = ("--from", "2026-01-01", "--to", "2026-12-31")
    cli.ok("mette", "stats", *stats, "--pdf", str(out / "s.pdf"), "--csv", str(out / "s.csv"))

    meeting = cli.as_(
        "lars", "meeting", "add", "--kind", "infohusmoede", "--title", "Infohusmøde Aarhus",
        "--start", "2026-12-01T09:00", "--end", "2026-12-01T11:00",
        "--municipality", "Aarhus Kommune", "--chair", "lars", "--minute-taker", "mette",
        "--json",
    ).json()  # fmt: skip
    short = meeting["short_id"]
    cli.ok("lars", "meeting", "item", "add", short, "--kind", "sag", "--case", number)
    cli.ok("lars", "meeting", "ics", short, "--out", str(out / "invitation.ics"))
    cli.ok("lars", "meeting", "agenda", short, "--pdf", str(out / "dagsorden.pdf"))

    written = sorted(out.iterdir())
    assert [p.name for p in written] == sorted(
        ["kopi", "henvisning.pdf", "s.pdf", "s.csv", "invitation.ics", "dagsorden.pdf"]
    )
    assert_private_files(*written)
    assert_wal_and_shm_private(cli.url)


def test_bundle_export_and_a_received_attachment(
    pair: Pair, clis: tuple[Cli, Cli], tmp_path: Path
) -> None:
    receiver, sender = clis
    bundle = tmp_path / "henvisning.ihb"
    args = ["referral", "export", str(pair.referral.id), "--to", "EXIT", "--out", str(bundle)]
    for attachment in all_attachment_ids(pair.sender, pair.referral):
        args += ["--attachment", attachment]
    code, _out, err = sender(*args, "--days", "7")
    assert (code, err) == (0, ""), err
    code, _out, err = receiver("bundle", "import", str(bundle))
    assert (code, err) == (0, ""), err
    code, out, _ = receiver("bundle", "incoming", "--json")
    (incoming,) = json.loads(out)
    code, out, _ = receiver("bundle", "incoming", incoming["id"], "--json")
    first = json.loads(out)["attachments"][0]
    saved = tmp_path / "modtaget.bin"
    code, _out, err = receiver(
        "bundle", "incoming", incoming["id"], "--attachment", first["id"], "--out", str(saved)
    )
    assert (code, err) == (0, ""), err
    assert_private_files(bundle, saved, tmp_path / "nord.sqlite")


def test_backup_before_a_migration_is_private_even_from_a_wider_vault(
    tmp_path: Path,
    infohus_home: Path,
    cheap_kdf: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = tmp_path / "gammel.sqlite"
    args = [*INIT, "--org", "police", "--passphrase-file", passfile(tmp_path)]
    assert main([*args, "--vault", str(vault)]) == 0
    capsys.readouterr()
    vault.chmod(0o644)  # as an older version left it
    monkeypatch.setattr(migrate, "pending_revisions", lambda _engine: ["older"])
    monkeypatch.setattr(migrate, "upgrade_automatic", lambda _engine: None)
    Vault.open(url_for_path(vault), LocalState()).close()
    (backup,) = tmp_path.glob("gammel.sqlite.before-migration-*")
    assert backup.read_bytes()[:16] == b"SQLite format 3\x00"
    assert_private_files(backup)


def test_checkpoint_file_and_its_folder(infohus_home: Path) -> None:
    path = LocalState().checkpoint_file(uuid.uuid4())
    checkpoint_file.append_checkpoint_line(path, "{}")
    assert_private_files(path)
    assert_private_dirs(infohus_home, path.parent)
    path.chmod(0o644)  # an older file is tightened on the next line
    checkpoint_file.append_checkpoint_line(path, "{}")
    assert_private_files(path)
    assert path.read_text() == "{}\n{}\n"


def test_bug_log_and_its_folder(infohus_home: Path) -> None:
    try:
        raise RuntimeError("Ali Hansen 150108-4123")
    except RuntimeError as exc:
        bug_log.log_bug(exc)
    log = Path(bug_log.log_path())
    assert "RuntimeError" in log.read_text() and "Ali" not in log.read_text()
    assert_private_files(log)
    assert_private_dirs(infohus_home, log.parent)
    log.chmod(0o644)  # as logging used to make it
    try:
        raise ValueError
    except ValueError as exc:
        bug_log.log_bug(exc)
    assert_private_files(log)


def test_local_settings(infohus_home: Path) -> None:
    LocalState().set("language", "en")
    assert_private_dirs(infohus_home)
    assert_private_files(infohus_home / "settings.json")
    assert not [p for p in infohus_home.iterdir() if p.name != "settings.json"]
