"""Reading a backup file without a vault: inspect its header, verify it, restore it.

These need no unlocked session: a restore is what a coordinator does after every workstation
and the database are lost, with nothing but the file and their passphrase. ``verify`` loads
the backup into an in-memory database and throws it away (nothing is written anywhere);
``restore`` loads it into an empty target:

* **SQLite**: a private temporary file beside the target, renamed into place only when the
  restore has finished, never over an existing file (a hard link refuses to replace one).
  A kill leaves a ``.restore-*.tmp`` file whose vault cannot be opened (see loader.py).
* **PostgreSQL**: one transaction on a database with no Infohus tables; the finishing step
  runs after it commits, and until it has, the vault refuses to unlock (``restore_pending``).

The finishing step unlocks the restored vault as the restoring coordinator (accepting, on a
workstation that saw a later state, the rollback: services/accounts/rollback.py), seals the
meeting items of re-applied deletions as "Sagen er slettet", writes the ``backup.restore``
audit entry and removes the pending mark.
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.pool import StaticPool

from infohus_desktop.crypto.backup_container import (
    BackupHeader,
    OpenedFrame,
    open_file_key,
    plaintext_chunks,
    read_frame,
)
from infohus_desktop.crypto.keys import normalize_fingerprint
from infohus_desktop.domain.backups import (
    LAST_CREATED,
    RESTORE_PENDING,
    BackupAction,
    BackupFault,
    BackupHeaderInfo,
    BackupRejected,
    BackupReport,
)
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.local_state import LocalState, VaultPin
from infohus_desktop.private_files import private_temp_file, remove_stale
from infohus_desktop.services.accounts.vault_format import seen_format_of
from infohus_desktop.services.backups.loader import Loader, LoadResult, prepare_schema
from infohus_desktop.services.backups.records import read_records
from infohus_desktop.services.backups.register import (
    DeletionRecord,
    read_register,
    register_path,
    remember,
)
from infohus_desktop.vault.engine import (
    create_vault_engine,
    describe_location,
    empty_wal,
    url_for_path,
)
from infohus_desktop.vault.schema_match import may_migrate
from infohus_desktop.vault.urls import file_of_url


def header_info(header: BackupHeader) -> BackupHeaderInfo:
    return BackupHeaderInfo(
        backup_id=header.backup_id,
        vault_id=header.vault_id,
        created=header.created,
        created_by=header.signer_login,
        root_fingerprint=header.root_fingerprint,
        schema=header.schema,
        engine=header.engine,
        key_holders=tuple(slot.login for slot in header.slots),
    )


@contextlib.contextmanager
def _open(path: Path) -> Iterator[BinaryIO]:
    try:
        handle = path.expanduser().open("rb")
    except FileNotFoundError as exc:  # a mistyped name: nothing to reject
        raise InvalidInput(f"Der er ingen fil {path}.", f"There is no file {path}.") from exc
    except OSError as exc:
        raise BackupRejected(BackupFault.UNREADABLE) from exc
    with handle:
        yield handle


def inspect_file(path: Path) -> BackupHeaderInfo:
    """The signed header: who made it, when, for which vault, who can open it. Nothing is
    decrypted; the signature is checked against the key the header names (which the full
    verification then proves to be a coordinator's of that vault)."""
    with _open(path) as handle:
        return header_info(read_frame(handle).header)


def _check_pin(header: BackupHeader, local: LocalState) -> None:
    pin = local.pin(header.vault_id)
    if pin is not None and pin.root_fingerprint and pin.root_fingerprint != header.root_fingerprint:
        raise BackupRejected(BackupFault.VAULT)


def _load(
    handle: BinaryIO,
    frame: OpenedFrame,
    file_key: bytes,
    connection: object,
    deletions: Iterable[DeletionRecord],
) -> LoadResult:
    metadata = prepare_schema(connection, frame.header.schema)  # type: ignore[arg-type]
    loader = Loader(connection, metadata, frame.header, deletions)  # type: ignore[arg-type]
    return loader.load(read_records(plaintext_chunks(handle, frame, file_key)))


def verify_file(
    path: Path, login: str, passphrase: str, local: LocalState | None = None
) -> BackupReport:
    """Every check of a restore, into a database in memory that is then dropped."""
    started = time.monotonic()
    local = local or LocalState()
    with _open(path) as handle:
        frame = read_frame(handle)
        _check_pin(frame.header, local)
        file_key, _keys = open_file_key(frame.header, login, passphrase)
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", _enforce_foreign_keys)
        try:
            with engine.connect() as connection:
                transaction = connection.begin()
                try:
                    result = _load(handle, frame, file_key, connection, ())
                finally:
                    transaction.rollback()
        finally:
            engine.dispose()
    return _report(frame.header, result, path, started)


def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """As strict as the vault's own connections: a row whose parent is missing is refused."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _report(
    header: BackupHeader,
    result: LoadResult,
    path: Path,
    started: float,
    target: str = "",
    applied: tuple[str, ...] = (),
    left_behind: str = "",
) -> BackupReport:
    return BackupReport(
        header=header_info(header),
        counts=result.counts,
        audit_head=result.audit_head,
        size=path.expanduser().stat().st_size,
        seconds=time.monotonic() - started,
        deletions_applied=applied,
        deletions_ignored=result.ignored,
        target=target,
        left_behind=left_behind,
    )


def restore_file(
    path: Path,
    target_url: str,
    login: str,
    passphrase: str,
    *,
    local: LocalState | None = None,
    fingerprint: str | None = None,
    extra_registers: Iterable[Path] = (),
) -> BackupReport:
    """Restore into an empty target; see the module docstring. ``fingerprint`` is the vault's
    root fingerprint as the user compared it (the welcome letter), needed when this
    workstation has not pinned the vault; ``extra_registers`` are register files copied from
    other workstations."""
    started = time.monotonic()
    local = local or LocalState()
    with _open(path) as handle:
        frame = read_frame(handle)
        header = frame.header
        _check_pin(header, local)
        if local.pin(header.vault_id) is None and fingerprint is None:
            raise InvalidInput(
                "Denne computer kender ikke boksen. Sammenlign rodnøglens fingeraftryk "
                f"{header.root_fingerprint} med velkomstbrevet, og angiv det med "
                "--fingerprint.",
                "This computer does not know the vault. Compare the root key's fingerprint "
                f"{header.root_fingerprint} with the welcome letter and give it with "
                "--fingerprint.",
            )
        if (
            fingerprint is not None
            and normalize_fingerprint(fingerprint) != header.root_fingerprint
        ):
            # Compared and typed: a mismatch is a typo or another vault's letter, not "another
            # vault than this computer knows" (it may know none), and never passed over.
            raise InvalidInput(
                "Fingeraftrykket passer ikke med sikkerhedskopiens rodnøgle "
                f"({header.root_fingerprint}). Sammenlign igen med velkomstbrevet. Intet er "
                "ændret.",
                "The fingerprint does not match the backup's root key "
                f"({header.root_fingerprint}). Compare with the welcome letter again. Nothing "
                "was changed.",
            )
        if target_url.startswith("sqlite"):
            _check_sqlite_target(_sqlite_target(target_url))
        file_key, _keys = open_file_key(header, login, passphrase)
        registers = list(extra_registers)
        deletions = _known_deletions(local, header.vault_id, registers)
        note = _deletions_note(local, header.vault_id, header.engine, registers)
        new_pin = local.pin(header.vault_id) is None
        seen_format = seen_format_of(local, header.vault_id)
        if new_pin:
            location = describe_location(target_url)
            local.save_pin(VaultPin(header.vault_id, header.root_fingerprint, location))

        def finish(url: str, result: LoadResult) -> tuple[str, ...]:
            return _finish(url, local, login, passphrase, header, result)

        try:
            if target_url.startswith("sqlite"):
                result, applied = _restore_sqlite(
                    handle, frame, file_key, target_url, deletions, finish
                )
            else:
                result = _restore_server(handle, frame, file_key, target_url, deletions)
                applied = finish(target_url, result)
        except BaseException:
            if new_pin:  # this workstation knew nothing of the vault before, and still does not
                local.forget_pin(header.vault_id)
            raise
    remember(local, header.vault_id, result.applied)
    # The restored copy is this vault on this workstation from now on: its checkpoint file
    # follows the restored log (the finishing unlock accepted the restore), so a copy left
    # elsewhere now reads as another, diverging copy (docs/SECURITY.md §14).
    pin = local.pin(header.vault_id)
    target = describe_location(target_url)
    left_behind = ""
    if pin is not None:
        if pin.location and pin.location != target:
            left_behind = pin.location
        pin.location = target
        local.save_pin(pin)
    report = _report(header, result, path, started, target, applied, left_behind)
    now = pin.format_version if pin is not None else 0
    lowered = seen_format if now < seen_format else 0
    return replace(report, format=now, format_lowered_from=lowered, deletions_note=note)


def _deletions_note(local: LocalState, vault_id: uuid.UUID, engine: str, given: list[Path]) -> str:
    """What the restore cannot know of deletions made after the backup (domain/backups.py
    ``DELETIONS_NOTES``). A workstation that never deleted a case of the vault has no
    register of its own; one of a server's vault knows only what it has seen, while other
    workstations delete too; a local vault's register is this workstation's whole story."""
    if given:
        read = any(read_register(path.expanduser(), vault_id) for path in given)
        return "" if read else "empty"
    if not register_path(local, vault_id).is_file():
        return "none"
    return "" if engine == "sqlite" else "partial"


def _known_deletions(
    local: LocalState, vault_id: uuid.UUID, extra: Iterable[Path]
) -> list[DeletionRecord]:
    records = {r.case_id: r for r in read_register(register_path(local, vault_id), vault_id)}
    for path in extra:
        if not path.expanduser().is_file():
            raise InvalidInput(
                "Sletteregistret kan ikke læses.", "The deletion register cannot be read."
            )
        for record in read_register(path.expanduser(), vault_id):
            records.setdefault(record.case_id, record)
    return list(records.values())


def _sqlite_target(target_url: str) -> Path:
    database = file_of_url(target_url)
    if not database:
        raise InvalidInput(
            "Angiv en fil til den genskabte boks.", "Give a file for the restored vault."
        )
    return Path(database)


def _check_sqlite_target(target: Path) -> None:
    """A new file in a folder that exists: checked before anything is read or remembered."""
    if target.is_dir():
        raise InvalidInput(
            "Der er en mappe med det navn; angiv en fil til den genskabte boks.",
            "A folder has that name; give a file for the restored vault.",
        )
    if target.exists():
        raise _refuse_existing()
    if not target.parent.is_dir():
        raise InvalidInput(
            "Mappen til den genskabte boks findes ikke.",
            "The folder for the restored vault does not exist.",
        )


def _refuse_existing() -> InvalidInput:
    return InvalidInput(
        "Der findes allerede en boks dér. En sikkerhedskopi genskabes kun i en ny, tom boks.",
        "A vault already exists there. A backup is only restored into a new, empty vault.",
    )


def _restore_sqlite(
    handle: BinaryIO,
    frame: OpenedFrame,
    file_key: bytes,
    target_url: str,
    deletions: list[DeletionRecord],
    finish: Callable[[str, LoadResult], tuple[str, ...]],
) -> tuple[LoadResult, tuple[str, ...]]:
    """Load and finish in a private temporary file; only a finished vault gets the name."""
    target = _sqlite_target(target_url)
    _check_sqlite_target(target)
    # What a killed restore to this name left (the file, its -wal and -shm).
    remove_stale(target.parent, f".{glob.escape(target.name)}.restore-*.tmp*")
    fd, tmp = private_temp_file(target.parent, f".{target.name}.restore-", ".tmp")
    os.close(fd)
    os.unlink(tmp)  # the vault engine makes the file itself, private
    temp = Path(tmp)
    engine = create_vault_engine(url_for_path(temp))
    try:
        with engine.begin() as connection:
            result = _load(handle, frame, file_key, connection, deletions)
        engine.dispose()
        applied = finish(url_for_path(temp), result)
        _finish_file(url_for_path(temp))
        if target.exists():
            raise _refuse_existing()
        os.link(temp, target)  # never over a file that appeared meanwhile
        os.unlink(temp)
    except BaseException:
        engine.dispose()
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise
    return result, applied


def _finish_file(url: str) -> None:
    """Leave one self-contained file: the write-ahead log folded in and removed."""
    engine = create_vault_engine(url)
    try:
        empty_wal(engine)
    finally:
        engine.dispose()


def _restore_server(
    handle: BinaryIO,
    frame: OpenedFrame,
    file_key: bytes,
    target_url: str,
    deletions: list[DeletionRecord],
) -> LoadResult:
    engine = create_vault_engine(target_url)
    try:
        with engine.begin() as connection:
            if not may_migrate(engine):
                raise InvalidInput(
                    "Den rolle, du er forbundet som, må ikke oprette boksens tabeller: genskab "
                    "som serverens ejerrolle i en database lavet med 'infohus server init "
                    "--without-schema', og kør så 'infohus server migrate' (docs/SERVER.md, "
                    "Sikkerhedskopier).",
                    "The role you are connected as may not create the vault's tables: restore "
                    "as the server's owner role into a database made with 'infohus server init "
                    "--without-schema', then run 'infohus server migrate' (docs/SERVER.md, "
                    "Backups).",
                )
            if inspect(connection).get_table_names():
                raise _refuse_existing()
            return _load(handle, frame, file_key, connection, deletions)
    finally:
        engine.dispose()


def _finish(
    target_url: str,
    local: LocalState,
    login: str,
    passphrase: str,
    header: BackupHeader,
    result: LoadResult,
) -> tuple[str, ...]:
    from infohus_desktop.services.accounts.vault import VaultService
    from infohus_desktop.services.retention.deletion import seal_deleted_items
    from infohus_desktop.vault.schema import SettingRow

    vault = VaultService.open(target_url, local)
    try:
        vault.finishing_restore = True
        session = vault.unlock(login, passphrase, accept_restore=True)
        try:
            with session.transaction() as db:
                seal_deleted_items(session, db, result.blanked_items)
                numbers = tuple(sorted(r.number for r in result.applied))
                session.record(
                    db,
                    BackupAction.RESTORE,
                    header.backup_id,
                    detail=(
                        f"created={header.created:%Y-%m-%dT%H:%M:%SZ} by={header.signer_login} "
                        f"audit_head={result.audit_head} deletions={len(numbers)}"
                    ),
                )
                pending = db.get(SettingRow, RESTORE_PENDING)
                if pending is not None:
                    db.delete(pending)
                # The backup itself is the restored vault's latest: its own record was
                # written in the live vault after the copy was taken, so the start page and
                # 'backup status' said "never" right after a restore from one.
                last = db.get(SettingRow, LAST_CREATED)
                if last is None or last.value < header.created.isoformat():
                    db.merge(SettingRow(key=LAST_CREATED, value=header.created.isoformat()))
        finally:
            session.lock()
    finally:
        vault.close()
    return numbers


__all__ = ["header_info", "inspect_file", "restore_file", "verify_file"]
