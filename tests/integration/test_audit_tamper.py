"""Editing, deleting, reordering or truncating the audit log, or restoring an older copy of
the database, is detected by verification, at many positions."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, text, update

from infohus_desktop.domain.audit import AuditVerification
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.rollback import VaultRolledBack
from infohus_desktop.services.front_door import Vault
from infohus_desktop.vault.audit_chain import GENESIS, entry_hash
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.schema import AuditCheckpointRow, AuditEntryRow
from tests.integration.conftest import (
    COORDINATOR_PASS,
    District,
    module_database,
    shared_district,
    vault_copy,
)

POSITIONS = ["1", "2", "37", "99", "100", "101", "150", "last-1", "last"]
#: Where the log is tampered with, per engine: every position on SQLite; on PostgreSQL the
#: first entry, a checkpoint boundary and the end (the chain and its checks are the same code
#: on both; a district per position on PostgreSQL was the slowest module of the suite).
WHERE = pytest.mark.parametrize(
    ("db_url", "where"),
    [("sqlite", p) for p in POSITIONS]
    + [
        pytest.param("postgresql", p, marks=pytest.mark.postgres, id=f"postgresql-{p}")
        for p in ("1", "100", "last")
    ],
    indirect=["db_url"],
)


def _fill_the_log(district: District) -> None:
    """About 240 entries, with checkpoints every 100 and at every lock."""
    for round_ in range(3):
        session = district.unlock("lars")
        with session.transaction() as db:
            for i in range(75):
                session.record(db, "case.read", f"IH-2026-{i:04d}", detail=f"round {round_}")
        session.lock()


@pytest.fixture(scope="module")
def busy_vaults(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], tuple[str, Path]]]:
    """The district with its filled log, built once per engine for the module: ``engine ->
    (url, home)``, the closed vault and its workstation's local state. Each test changes a
    copy (``db_url``); building it per test was most of the module's time."""
    built: dict[str, tuple[str, Path]] = {}
    with ExitStack() as stack:

        def vault(engine: str) -> tuple[str, Path]:
            if engine not in built:
                url = stack.enter_context(module_database(engine, request, tmp_path_factory))
                home = tmp_path_factory.mktemp("busy-home") / "home"
                with shared_district(url, home) as district:
                    _fill_the_log(district)
                built[engine] = (url, home)
            return built[engine]

        yield vault


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "postgresql"],
)
def db_url(
    request: pytest.FixtureRequest,
    busy_vaults: Callable[[str], tuple[str, Path]],
    tmp_path: Path,
    infohus_home: Path,
) -> Iterator[str]:
    """This test's copy of the busy vault (same engines, ids and marks as the suite's
    ``db_url``), with the local state it was built with in this test's home."""
    url, home = busy_vaults(request.param)
    with vault_copy(url, home, infohus_home, tmp_path, request) as copy:
        yield copy


@pytest.fixture
def busy(db_url: str, cheap_kdf: None) -> Iterator[tuple[District, int]]:
    """The copy, with lars unlocked as the verifier and then a coordinator's lock: the log's
    last entries are an unlock and a lock, as the tampering positions expect."""
    vault = Vault.open(db_url, LocalState())
    coordinator = vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
    district = District(db_url, coordinator)
    # Unlocked before any tampering: an unlock after it is refused by the rollback check
    # (test_rollback.py), and what is tested here is what verify finds.
    district.sessions["verifier"] = district.unlock("lars")
    coordinator.lock()
    engine = create_vault_engine(district.url)
    with engine.connect() as connection:
        last = connection.scalar(select(AuditEntryRow.seq).order_by(AuditEntryRow.seq.desc()))
    engine.dispose()
    assert last is not None
    assert last > 230
    try:
        yield district, last
    finally:
        for session in [coordinator, *district.sessions.values()]:
            session.lock()
        district.close()


def _position(name: str, last: int) -> int:
    return {"last": last, "last-1": last - 1}.get(name) or int(name)


def _verify(district: District) -> AuditVerification:
    """Verify with the session unlocked before the tampering."""
    return district.sessions["verifier"].audit.verify()


def _tamper(district: District, change: Callable[[Engine], None]) -> None:
    engine = create_vault_engine(district.url)
    try:
        with engine.begin() as connection:
            change(connection)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_untouched_log_verifies(busy: tuple[District, int]) -> None:
    district, last = busy
    result = _verify(district)
    assert result.ok, result.problem
    assert result.entries >= last
    assert result.first_bad_seq is None


@WHERE
def test_edited_entry_is_found_exactly(busy: tuple[District, int], where: str) -> None:
    district, last = busy
    seq = _position(where, last)
    _tamper(
        district,
        lambda c: c.execute(
            update(AuditEntryRow).where(AuditEntryRow.seq == seq).values(purpose="indsigt")
        ),
    )
    result = _verify(district)
    assert not result.ok
    assert result.first_bad_seq == seq


@WHERE
def test_edit_with_recomputed_hashes_is_found(busy: tuple[District, int], where: str) -> None:
    """An attacker who knows the hash recipe rewrites the chain: the signed checkpoints
    (in the database and in the workstation's file) no longer match."""
    district, last = busy
    seq = _position(where, last)

    def rewrite(connection: Engine) -> None:
        connection.execute(  # type: ignore[attr-defined]
            update(AuditEntryRow).where(AuditEntryRow.seq == seq).values(actor_login="mallory")
        )
        _rehash(connection, seq)

    _tamper(district, rewrite)
    result = _verify(district)
    assert not result.ok
    assert result.first_bad_seq is not None
    assert result.first_bad_seq <= seq


def _rehash(connection: Engine, start: int) -> None:
    from sqlalchemy.orm import Session

    with Session(bind=connection) as session:  # type: ignore[arg-type]
        rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all()
        prev = GENESIS
        for row in rows:
            if row.seq >= start:
                row.prev_hash = prev
                row.entry_hash = entry_hash(prev, row)
            prev = row.entry_hash
        session.flush()


@WHERE
def test_deleted_entry_is_found(busy: tuple[District, int], where: str) -> None:
    district, last = busy
    seq = _position(where, last)
    _tamper(district, lambda c: c.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == seq)))
    result = _verify(district)
    assert not result.ok
    assert result.first_bad_seq is not None
    assert result.first_bad_seq <= seq


@WHERE
def test_reordered_entries_are_found(busy: tuple[District, int], where: str) -> None:
    district, last = busy
    seq = min(_position(where, last), last - 1)

    def swap(connection: Engine) -> None:
        run = connection.execute  # type: ignore[attr-defined]
        run(update(AuditEntryRow).where(AuditEntryRow.seq == seq).values(seq=-1))
        run(update(AuditEntryRow).where(AuditEntryRow.seq == seq + 1).values(seq=seq))
        run(update(AuditEntryRow).where(AuditEntryRow.seq == -1).values(seq=seq + 1))

    _tamper(district, swap)
    result = _verify(district)
    assert not result.ok
    assert result.first_bad_seq == seq


@WHERE
def test_truncation_is_found_even_with_database_checkpoints_removed(
    busy: tuple[District, int], where: str
) -> None:
    district, last = busy
    seq = _position(where, last)

    def truncate(connection: Engine) -> None:
        run = connection.execute  # type: ignore[attr-defined]
        run(delete(AuditEntryRow).where(AuditEntryRow.seq >= seq))
        run(delete(AuditCheckpointRow).where(AuditCheckpointRow.seq >= seq))

    _tamper(district, truncate)
    result = _verify(district)
    assert not result.ok
    assert result.first_bad_seq is not None
    assert result.first_bad_seq <= seq


def test_missing_checkpoint_file_is_found(busy: tuple[District, int]) -> None:
    district, _ = busy
    vault = district.open()
    path = vault.local.checkpoint_file(vault.vault_id)
    assert path.exists()
    path.unlink()
    result = _verify(district)
    assert not result.ok


def test_forged_checkpoint_line_is_found(busy: tuple[District, int]) -> None:
    district, _ = busy
    vault = district.open()
    path = vault.local.checkpoint_file(vault.vault_id)
    lines = path.read_text().splitlines()
    lines[-1] = lines[-1].replace('"sig": "', '"sig": "AAAA')
    path.write_text("\n".join(lines) + "\n")
    assert not _verify(district).ok


def test_restoring_an_older_copy_is_found(tmp_path: Path, sqlite_url: str, cheap_kdf: None) -> None:
    from tests.integration.conftest import new_vault

    session = new_vault(sqlite_url)
    district = District(sqlite_url, session)
    session.lock()
    session.vault.engine.dispose()
    database = Path(sqlite_url.split("///", 1)[1])
    older = tmp_path / "older.sqlite"
    shutil.copy2(database, older)
    later = district.unlock("lars")
    for i in range(20):
        later.audited_read("case.read", f"IH-2026-{i:04d}")
    later.lock()
    later.vault.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    shutil.copy2(older, database)
    # Found at the next unlock already, before anything is read or written (rollback.py).
    with pytest.raises(VaultRolledBack) as caught:
        district.unlock("lars")
    district.close()
    assert caught.value.finding.vault_seq < caught.value.finding.seen_seq


def test_tamper_is_reported_by_the_sql_of_a_real_tool(busy: tuple[District, int]) -> None:
    """Plain SQL, as someone with a database tool would do it."""
    district, _ = busy
    _tamper(
        district,
        lambda c: c.execute(
            text("UPDATE audit_entries SET workstation = 'elsewhere' WHERE seq = 5")
        ),
    )
    result = _verify(district)
    assert result.first_bad_seq == 5
