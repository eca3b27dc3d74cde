"""Backups of a real vault, on SQLite and PostgreSQL (issue 13): the round trip brings back
every row, deleted stays deleted, a backup that does not hold together is refused before a
target can be opened, and a restore never lands on an existing vault."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select, update

from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.domain.backups import (
    BackupFault,
    BackupRejected,
    RestorePending,
)
from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.errors import InvalidInput, WrongPassphrase
from infohus_desktop.domain.meetings import ItemKind, MeetingKind, NewAgendaItem, NewMeeting
from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.backups import restore as restoring
from infohus_desktop.services.backups.loader import Loader
from infohus_desktop.services.backups.register import read_register, register_path
from infohus_desktop.services.backups.restore import restore_file, verify_file
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine, url_for_path
from infohus_desktop.vault.schema import AuditEntryRow, DataKeyRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import COORDINATOR_PASS, District
from tests.integration.shared_demo import on_the_shared_demo

KEPT_NAME = "Bevaret Bentsen"
GONE_NAME = "Sentinel Sletsen"
GONE_CPR = "010203-4567"
JOURNAL = "Sentinelsætning om samtalen med familien"
ATTACHMENT = b"SENTINEL-BILAG-BYTES-0123456789" * 40
#: For checks of the file and the workstation, which no engine changes (the round trips, the
#: deletions and the refusals that write run on both).
SQLITE_ONLY = pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
#: Tables that the restore itself adds to (its unlock, its audit entry, its lock).
GROWING = {"audit_entries", "audit_checkpoints", "audit_sessions", "vault_settings"}


@pytest.fixture
def lars(district: District) -> MemberServices:
    return district.coordinator


def _workday(lars: MemberServices) -> tuple[str, str]:
    """A kept case with journal and attachment, and a closed case discussed at an approved
    meeting: the one a test deletes."""
    kept = lars.cases.open_case(new_case(KEPT_NAME, None), accept_duplicate=True).number
    lars.case_records.add_journal(kept, JournalKind.CONVERSATION, "Samtale med skolen")
    lars.attachments.add(kept, "notat.txt", io.BytesIO(ATTACHMENT))
    gone = lars.cases.open_case(new_case(GONE_NAME, GONE_CPR), accept_duplicate=True).number
    lars.case_records.add_journal(gone, JournalKind.CONVERSATION, JOURNAL)
    lars.attachments.add(gone, "bilag.txt", io.BytesIO(ATTACHMENT[::-1]))
    meeting = lars.meetings.plan(
        NewMeeting(
            MeetingKind.CASE,
            "Infohusmøde",
            datetime(2026, 11, 3, 9, tzinfo=UTC),
            local_infohus="Aarhus Kommune",
            chair_id=lars.member.id,
        )
    )
    item = lars.meetings.add_item(meeting.id, NewAgendaItem(ItemKind.CASE, "Sagen", gone))
    lars.meetings.record_notes(item.id, f"Drøftet: {GONE_NAME}", item.version)
    held = lars.meetings.mark_held(meeting.id, lars.meetings.get(meeting.id).summary.version)
    lars.meetings.approve(meeting.id, held.version)
    lars.cases.change_status(
        gone, CaseStatus.CLOSED, "Ingen grund til videre bekymring", ClosingReason.UNFOUNDED
    )
    return kept, gone


def _same(value: Any) -> str:
    """A value as both engines agree on it: a moment in UTC, bytes as bytes."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, memoryview):
        value = bytes(value)
    return repr(value)


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the database holds it, sorted."""
    engine = create_vault_engine(url)
    try:
        metadata = MetaData()
        with engine.connect() as connection:
            metadata.reflect(connection)
            return {
                table.name: sorted(
                    (tuple(_same(v) for v in row) for row in connection.execute(select(table))),
                )
                for table in metadata.sorted_tables
                if table.name != "alembic_version"
            }
    finally:
        engine.dispose()


def _unlock(url: str, login: str = "lars", passphrase: str = COORDINATOR_PASS) -> MemberServices:
    return Vault.open(url, LocalState()).unlock(login, passphrase, sleep=lambda _s: None)


def _backup(lars: MemberServices, tmp_path: Path, name: str = "kopi.ihk") -> Path:
    path = tmp_path / name
    report = lars.backups.create(path)
    assert report.size == path.stat().st_size and oct(path.stat().st_mode)[-3:] == "600"
    return path


# -- the round trip -------------------------------------------------------------------------------


def test_a_restored_vault_holds_every_row_and_verifies(
    district: District, lars: MemberServices, tmp_path: Path
) -> None:
    db_url = district.url
    kept, gone = _workday(lars)
    before = _rows(db_url)
    path = _backup(lars, tmp_path)
    target = tmp_path / "genskabt.sqlite"
    report = restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert report.cases == 2 and report.counts["case_attachments"] == 2
    after = _rows(url_for_path(target))
    for table, rows in before.items():
        if table in GROWING:
            assert set(rows) <= set(after[table]), table
        else:
            assert after[table] == rows, table
    restored = _unlock(url_for_path(target))
    try:
        assert {c.number for c in restored.cases.list()} == {kept, gone}
        case = restored.cases.show(kept)
        assert case.person.name == KEPT_NAME
        [attachment] = restored.attachments.list(kept)
        out = io.BytesIO()
        restored.attachments.read(kept, attachment.id, out)
        assert out.getvalue() == ATTACHMENT
        verification = restored.audit.verify()
        assert verification.ok, verification.problem
        actions = [e.action for e in restored.audit.list()]
        assert "backup.restore" in actions
        # The backup it came from is the restored vault's latest, not "never".
        status = restored.backups.status()
        assert status.last_backup is not None
        assert status.last_backup.replace(microsecond=0) == report.header.created.replace(
            microsecond=0
        )
    finally:
        restored.lock()
        restored.vault.close()


@pytest.mark.postgres
def test_a_district_moves_from_sqlite_to_the_server_and_back(
    sqlite_url: str, tmp_path: Path, pg_admin_url: str, cheap_kdf: None
) -> None:
    from tests.integration.conftest import built_district
    from tests.pgserver import throwaway_database

    with built_district(sqlite_url) as district:
        _workday(district.coordinator)
        before = _rows(sqlite_url)
        first = _backup(district.coordinator, tmp_path, "fra-fil.ihk")
    with throwaway_database(pg_admin_url) as server:
        restore_file(first, server, "lars", COORDINATOR_PASS)
        on_server = _unlock(server)
        try:
            second = _backup(on_server, tmp_path, "fra-server.ihk")
        finally:
            on_server.lock()
            on_server.vault.close()
    back = tmp_path / "tilbage.sqlite"
    restore_file(second, url_for_path(back), "lars", COORDINATOR_PASS)
    after = _rows(url_for_path(back))
    for table, rows in before.items():
        if table not in GROWING:
            assert after[table] == rows, table


@on_the_shared_demo
def test_the_demo_vault_comes_back_whole(shared_demo_url: str, tmp_path: Path) -> None:
    """A year of meetings, trend notes, referrals and incoming bundles: every row equal,
    and what the demo's members see in the restored vault is what they saw before."""
    before = _rows(shared_demo_url)
    lars = _unlock(shared_demo_url, "lars", DEMO_PASSPHRASES["lars"])
    try:
        path = _backup(lars, tmp_path)
        seen = _what_pia_sees(shared_demo_url)
    finally:
        lars.lock()
        lars.vault.close()
    target = url_for_path(tmp_path / "demo-genskabt.sqlite")
    report = restore_file(path, target, "lars", DEMO_PASSPHRASES["lars"])
    assert report.counts["trend_notes"] > 0 and report.counts["referrals"] > 0
    after = _rows(target)
    for table, rows in before.items():
        if table in GROWING:
            assert set(rows) <= set(after[table]), table
        else:
            assert after[table] == rows, table
    assert _what_pia_sees(target) == seen


def _what_pia_sees(url: str) -> tuple[Any, ...]:
    pia = _unlock(url, "pia", DEMO_PASSPHRASES["pia"])
    try:
        return (
            [(c.number, c.person_name, c.status) for c in pia.cases.list()],
            [(m.id, m.title) for m in pia.meetings.list()],
            [(n.id, n.content) for n in pia.trends.list()],
            [(r.id, r.status) for r in pia.referrals.list()],
            pia.audit.verify().ok,
        )
    finally:
        pia.lock()
        pia.vault.close()


# -- deleted stays deleted --------------------------------------------------------------------


def test_a_case_deleted_after_the_backup_does_not_come_back(
    district: District, lars: MemberServices, tmp_path: Path, infohus_home: Path
) -> None:
    db_url = district.url
    kept, gone = _workday(lars)
    engine = create_vault_engine(db_url)
    with engine.connect() as c:
        person = bytes(c.scalar(select(CaseRow.person).where(CaseRow.number == gone)))
    engine.dispose()
    path = _backup(lars, tmp_path)
    lars.retention.delete(gone, "Slettefrist udløbet", today=add_months(date.today(), 30))
    register = register_path(LocalState(), lars.vault.vault_id)
    with register.open("ab") as damaged:  # a byte that is no UTF-8 damages its line only
        damaged.write(b"\xff\xfe\n")
    [record] = read_register(register)
    assert record.number == gone and record.data_key_id is not None

    target = tmp_path / "genskabt.sqlite"
    report = restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert report.deletions_applied == (gone,) and report.deletions_ignored == 0
    data = b"".join(p.read_bytes() for p in tmp_path.glob("genskabt.sqlite*"))
    assert person[20:60] not in data, "the deleted case's ciphertext reached the restored file"
    for sentinel in (GONE_NAME.encode(), GONE_CPR.encode(), JOURNAL.encode(), ATTACHMENT[:31]):
        assert sentinel not in data
    assert not list(tmp_path.glob(".genskabt.sqlite.restore-*"))
    restored = _unlock(url_for_path(target))
    try:
        assert [c.number for c in restored.cases.list()] == [kept]
        assert [t.number for t in restored.retention.tombstones()] == [gone]
        [meeting] = restored.meetings.list()
        [item] = restored.meetings.get(meeting.id).items
        assert item.deleted_on == date.today() and item.notes == "" and item.case_number is None
        assert restored.audit.verify().ok
    finally:
        restored.lock()
        restored.vault.close()


@SQLITE_ONLY
def test_a_workstation_that_never_saw_the_deletion_learns_it_from_a_register_file(
    district: District, lars: MemberServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, gone = _workday(lars)
    path = _backup(lars, tmp_path)
    lars.retention.delete(gone, "Slettefrist udløbet", today=add_months(date.today(), 30))
    register = register_path(LocalState(), lars.vault.vault_id)
    copied = tmp_path / "register-fra-politiet.jsonl"
    copied.write_bytes(register.read_bytes())
    fingerprint = lars.vault.pinned_root()

    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "ny-computer"))
    with pytest.raises(InvalidInput, match="fingeraftryk"):
        restore_file(path, url_for_path(tmp_path / "a.sqlite"), "lars", COORDINATOR_PASS)
    # Without the register the case comes back, and the report says this computer had none
    # (the user trial: it came back without a word) ...
    bare = restore_file(
        path, url_for_path(tmp_path / "a.sqlite"), "lars", COORDINATOR_PASS, fingerprint=fingerprint
    )
    assert bare.deletions_note == "none" and bare.deletions_applied == ()
    # ... with it, it does not; a line forged into the file is ignored, not obeyed.
    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "tredje-computer"))
    forged = tmp_path / "forfalsket.jsonl"
    line = copied.read_text().splitlines()[0]
    forged.write_text(line.replace(gone, kept) + "\n")
    report = restore_file(
        path,
        url_for_path(tmp_path / "b.sqlite"),
        "lars",
        COORDINATOR_PASS,
        fingerprint=fingerprint,
        extra_registers=[copied],
    )
    assert report.deletions_applied == (gone,) and report.deletions_note == ""
    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "fjerde-computer"))
    report = restore_file(
        path,
        url_for_path(tmp_path / "c.sqlite"),
        "lars",
        COORDINATOR_PASS,
        fingerprint=fingerprint,
        extra_registers=[forged],
    )
    assert report.deletions_applied == () and report.deletions_ignored == 1


# -- refusals ---------------------------------------------------------------------------------


def test_a_restore_never_lands_on_an_existing_vault(
    district: District, lars: MemberServices, tmp_path: Path
) -> None:
    db_url = district.url
    path = _backup(lars, tmp_path)
    existing = tmp_path / "findes.sqlite"
    existing.write_bytes(b"en anden boks")
    with pytest.raises(InvalidInput, match="allerede en boks"):
        restore_file(path, url_for_path(existing), "lars", COORDINATOR_PASS)
    assert existing.read_bytes() == b"en anden boks"
    if not db_url.startswith("sqlite"):
        with pytest.raises(InvalidInput, match="allerede en boks"):
            restore_file(path, db_url, "lars", COORDINATOR_PASS)
    with pytest.raises(WrongPassphrase):
        restore_file(path, url_for_path(tmp_path / "ny.sqlite"), "lars", "forkert frase")
    assert not (tmp_path / "ny.sqlite").exists()


def test_a_backup_of_a_tampered_log_is_refused_and_writes_nothing(
    district: District, lars: MemberServices, tmp_path: Path
) -> None:
    db_url = district.url
    _workday(lars)
    engine = create_vault_engine(db_url)
    with engine.begin() as c:
        c.execute(update(AuditEntryRow).where(AuditEntryRow.seq == 3).values(at="2020-01-01T00"))
    engine.dispose()
    path = _backup(lars, tmp_path)
    with pytest.raises(BackupRejected) as caught:
        verify_file(path, "lars", COORDINATOR_PASS)
    assert caught.value.fault is BackupFault.AUDIT
    target = tmp_path / "genskabt.sqlite"
    with pytest.raises(BackupRejected):
        restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert sorted(p.name for p in tmp_path.iterdir() if "genskabt" in p.name) == []


@SQLITE_ONLY
def test_a_backup_made_by_a_member_who_is_no_coordinator_is_refused(
    district: District, lars: MemberServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone with a member's key and the database could write a backup themselves; its
    signer must be a certified coordinator of the vault in it."""
    from infohus_desktop.domain.organisations import Role

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    monkeypatch.setattr(type(mette), "require", lambda self, *roles, **kw: None)
    path = tmp_path / "mettes.ihk"
    mette.backups.create(path)
    with pytest.raises(BackupRejected) as caught:
        verify_file(path, "lars", COORDINATOR_PASS)
    assert caught.value.fault is BackupFault.SIGNER


@SQLITE_ONLY
def test_a_manifest_that_disagrees_with_the_content_is_refused(
    lars: MemberServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infohus_desktop.services.backups import service

    monkeypatch.setattr(
        service, "tombstone_ids", lambda _c: [{"case": "x", "number": "y", "deleted_at": "z"}]
    )
    path = _backup(lars, tmp_path)
    with pytest.raises(BackupRejected) as caught:
        verify_file(path, "lars", COORDINATOR_PASS)
    assert caught.value.fault is BackupFault.CONTENT


@SQLITE_ONLY
def test_a_pinned_vault_with_another_root_refuses_the_backup(
    lars: MemberServices, tmp_path: Path
) -> None:
    path = _backup(lars, tmp_path)
    local = LocalState()
    pin = local.pin(lars.vault.vault_id)
    assert pin is not None
    pin.root_fingerprint = "0000 0000 0000 0000 0000 0000 0000 0000"
    local.save_pin(pin)
    with pytest.raises(BackupRejected) as caught:
        restore_file(path, url_for_path(tmp_path / "x.sqlite"), "lars", COORDINATOR_PASS)
    assert caught.value.fault is BackupFault.VAULT


# -- faults during create and restore ------------------------------------------------------


@SQLITE_ONLY
def test_a_full_disk_during_create_leaves_no_file(
    lars: MemberServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infohus_desktop.crypto import backup_container

    real = backup_container.BackupWriter._emit

    def full(self: Any, plain: bytes, last: bool) -> None:
        if last:  # the disk fills up at the end, after most of the file was written
            raise OSError(28, "No space left on device")
        real(self, plain, last)

    monkeypatch.setattr(backup_container.BackupWriter, "_emit", full)
    folder = tmp_path / "kopier"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="kunne ikke skrives"):
        lars.backups.create(folder / "kopi.ihk")
    assert list(folder.iterdir()) == []
    assert lars.backups.status().last_backup is None


def test_a_full_disk_during_a_restore_blames_the_disk_not_the_backup(
    lars: MemberServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a disaster a coordinator must not throw a good backup away: a target that fails
    (here a full disk) says so, where it said the backup disagreed with its contents."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from infohus_desktop.domain.errors import VaultUnavailable
    from infohus_desktop.services.backups import loader

    path = _backup(lars, tmp_path)
    real = loader.insert

    def full(table: Any) -> Any:
        if table.name == "members":
            raise OperationalError(
                "INSERT", {}, sqlite3.OperationalError("database or disk is full")
            )
        return real(table)

    monkeypatch.setattr(loader, "insert", full)
    with pytest.raises(VaultUnavailable) as caught:
        restore_file(path, url_for_path(tmp_path / "ny.sqlite"), "lars", COORDINATOR_PASS)
    assert caught.value.message("da").startswith("Disken er fuld.")
    assert not (tmp_path / "ny.sqlite").exists()


def test_a_restore_cut_off_at_any_step_leaves_nothing_that_opens(
    district: District, lars: MemberServices, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    db_url = district.url
    path = _backup(lars, tmp_path)
    target = tmp_path / "genskabt.sqlite"

    def killed(*_a: Any, **_k: Any) -> Any:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:  # while loading
        m.setattr(Loader, "_check_audit", killed)
        with pytest.raises(KeyboardInterrupt):
            restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert [p.name for p in tmp_path.iterdir() if "genskabt" in p.name] == []
    with monkeypatch.context() as m:  # after loading, before the finishing step
        m.setattr(restoring, "seal_deleted_items", killed, raising=False)
        m.setattr("infohus_desktop.services.retention.deletion.seal_deleted_items", killed)
        with pytest.raises(KeyboardInterrupt):
            restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert [p.name for p in tmp_path.iterdir() if "genskabt" in p.name] == []
    if not db_url.startswith("sqlite"):
        from tests.pgserver import throwaway_database

        admin = os.environ["INFOHUS_TEST_PG_URL"]
        with throwaway_database(admin) as server, monkeypatch.context() as m:
            m.setattr("infohus_desktop.services.retention.deletion.seal_deleted_items", killed)
            with pytest.raises(KeyboardInterrupt):
                restore_file(path, server, "lars", COORDINATOR_PASS)
            m.undo()
            with Vault.open(server, LocalState()) as vault, pytest.raises(RestorePending):
                vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)


@SQLITE_ONLY
def test_a_deletion_made_elsewhere_reaches_this_workstation_at_unlock(
    district: District, lars: MemberServices, tmp_path: Path
) -> None:
    """Another workstation deleted the case: this one learns it from the vault's tombstones
    at its next unlock (without the data key, which went with the case), and a restore of an
    older backup still removes the case and its key."""
    kept, gone = _workday(lars)
    engine = create_vault_engine(lars.vault.url)
    with engine.connect() as c:
        gone_key = c.scalar(select(CaseRow.data_key_id).where(CaseRow.number == gone))
    engine.dispose()
    path = _backup(lars, tmp_path)
    lars.retention.delete(gone, "Slettefrist udløbet", today=add_months(date.today(), 30))
    register = register_path(LocalState(), lars.vault.vault_id)
    register.unlink()  # as if the deletion had been made on another workstation
    district.unlock("lars").lock()
    [record] = read_register(register, lars.vault.vault_id)
    assert record.number == gone and record.data_key_id is None
    target = tmp_path / "genskabt.sqlite"
    report = restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert report.deletions_applied == (gone,)
    restored = _unlock(url_for_path(target))
    try:
        assert [c.number for c in restored.cases.list()] == [kept]
        assert restored.audit.verify().ok
    finally:
        restored.lock()
        restored.vault.close()
    engine = create_vault_engine(url_for_path(target))
    with engine.connect() as c:  # the key row was loaded, then removed in the same transaction
        left = c.scalar(
            select(func.count()).select_from(DataKeyRow).where(DataKeyRow.id == gone_key)
        )
    engine.dispose()
    assert gone_key is not None and left == 0


@SQLITE_ONLY
def test_what_a_killed_restore_left_goes_at_the_next_restore_to_that_name(
    district: District, lars: MemberServices, tmp_path: Path
) -> None:
    from infohus_desktop.private_files import STALE_AFTER_SECONDS

    path = _backup(lars, tmp_path)
    target = tmp_path / "genskabt.sqlite"
    old = datetime.now(UTC).timestamp() - STALE_AFTER_SECONDS - 60
    left = [tmp_path / f".genskabt.sqlite.restore-k1ll3d.tmp{end}" for end in ("", "-wal")]
    for leftover in left:
        leftover.write_bytes(b"SQLite format 3\x00 halvt genskabt")
        os.utime(leftover, (old, old))
    restore_file(path, url_for_path(target), "lars", COORDINATOR_PASS)
    assert target.is_file() and not any(p.exists() for p in left)


def test_a_drill_names_the_cases_it_cannot_read_and_does_not_count(
    lars: MemberServices, district: District, tmp_path: Path
) -> None:
    """A case changed in the vault by SQL is copied as it is (the backup reads no case); the
    drill restored it, could not read it, and said only "the data cannot be read", with no
    case named. It now names the case, reads the others, and is not recorded as done."""
    from infohus_desktop.domain.backups import DrillFoundUnreadableCases
    from tests.integration.sql_tamper import flip_person, tamper

    numbers = [
        lars.cases.open_case(new_case(name), accept_duplicate=True).number
        for name in ("Ali Andersen", "Bo Bertelsen", "Cai Clausen")
    ]
    tamper(district.url, flip_person(numbers[1]))
    fresh = district.unlock("lars")
    copy = tmp_path / "kopi.ihk"
    fresh.backups.create(copy)
    with pytest.raises(DrillFoundUnreadableCases) as caught:
        fresh.backups.drill(copy, COORDINATOR_PASS)
    said = caught.value.message("da")
    assert "kun læse 2 af 3 sager" in said
    assert numbers[1] in said and numbers[0] not in said and numbers[2] not in said
    assert "Bertelsen" not in said
    assert caught.value.exit_code == 7
    assert numbers[1] in caught.value.message("en")
    assert fresh.backups.status().last_drill is None
