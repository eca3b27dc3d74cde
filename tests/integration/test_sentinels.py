"""No name, CPR number, passphrase or typed sentence reaches the disk in clear."""

from __future__ import annotations

import traceback
from pathlib import Path

from infohus_desktop.cli.commands import log_bug
from infohus_desktop.crypto import kdf
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import Vault
from tests.integration.conftest import TEST_FLOOR

SENTINELS = [
    "Sentinelius Ærbødig-Qvist",
    "Zørgensen Blindtekst",
    "Gruppe Qwxyzæøå",
    "070761-4285",
    "0707614285",
    "Dette er en sætning som ingen må kunne læse",
    "hemmelig sentinel adgangsfrase",
]


def _encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("latin-1", "ignore")]


def _scan(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if not path.is_file():
            continue
        data = path.read_bytes()
        for sentinel in SENTINELS:
            for needle in _encodings(sentinel):
                if needle and needle in data:
                    found.append(f"{sentinel!r} in {path.name}")
    return found


def _files(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_sentinels_never_reach_database_wal_or_logs(tmp_path: Path, sqlite_url: str) -> None:
    kdf._set_floor_for_tests(TEST_FLOOR)
    try:
        session = Vault.create(
            sqlite_url,
            NewVault("Østjylland", "lars", SENTINELS[0], "police", OrgKind.POLICE, SENTINELS[6]),
            LocalState(),
        )
        session.groups.add_municipality("Aarhus Kommune")
        session.accounts.add(
            "mette", SENTINELS[1], "Aarhus Kommune", Role.MEMBER, "mettes første lange frase"
        )
        session.groups.add(SENTINELS[2], member_logins=["mette"])
        # Search criteria and justifications go into sealed audit details.
        with session.transaction() as db:
            session.record(db, "case.search", detail=f"CPR {SENTINELS[3]} / {SENTINELS[4]}")
            session.record(db, "case.read", detail=SENTINELS[5])
        assert [m.name for m in session.accounts.list()] == [SENTINELS[0], SENTINELS[1]]
        # A bug whose message carries personal data is logged without the message.
        try:
            raise RuntimeError(f"bug while handling {SENTINELS[0]} {SENTINELS[4]}")
        except RuntimeError as exc:
            log_bug(exc, traceback.extract_tb(exc.__traceback__))

        wal = Path(str(sqlite_url.split("///", 1)[1]) + "-wal")
        assert wal.exists()  # the scan below includes a live WAL
        assert not _scan(_files(tmp_path))
        session.lock()
        session.vault.engine.dispose()
        files = _files(tmp_path)
        assert any(p.name == "infohus.log" for p in files)
        assert any(p.suffix == ".jsonl" for p in files)  # checkpoint file, scanned too
        assert not _scan(files)
    finally:
        kdf._set_floor_for_tests(kdf.PRODUCTION_FLOOR)


def test_scanner_finds_a_planted_sentinel(tmp_path: Path) -> None:
    """The scan above would fail if a sentinel were there."""
    planted = tmp_path / "x.bin"
    planted.write_bytes(b"\x00" + SENTINELS[0].encode("utf-16-le") + b"\x00")
    assert _scan([planted])
