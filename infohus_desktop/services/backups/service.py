"""``session.backups``: make a backup, drill a restore, and the reminder's facts.

A backup is made by a coordinator of the open vault and opened by any of its coordinators
(docs/SECURITY.md §14, "Whose key opens a backup"). The file is written atomically and
privately (services/core/exports.py); the ``backup.create`` entry is written once the file is
complete, and the time goes into the vault (``backup_last_created``) for the reminder every
coordinator sees after the configured number of days (7 unless set, 1-90).

A drill restores the file into a private temporary directory with a workstation state of its
own (so this workstation's checkpoint file and register are read, never changed), unlocks it
as the coordinator, reads every case they may read, verifies the whole audit log, reports
counts and time, and removes everything; a drill that succeeded is recorded
(``backup_last_drill``) and audited.

The restore side (and Alembic, which it needs) is imported where it is used. An unlock brings
the deletion register up to date through ``register.remember_deletions`` directly, so that
it does not import this module and the backup container's cryptography either.
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.backup_container import (
    BackupHeader,
    BackupWriter,
    KeySlot,
    new_backup_id,
    new_file_key,
    now_utc,
    seal_file_key,
)
from infohus_desktop.domain.backups import (
    LAST_CREATED,
    BackupAction,
    BackupFault,
    BackupRejected,
    BackupReport,
    BackupStatus,
    DrillFoundUnreadableCases,
)
from infohus_desktop.domain.errors import InvalidInput, TamperedData, UntrustedKey
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState, VaultPin
from infohus_desktop.private_files import remove_stale
from infohus_desktop.services.backups.records import RecordWriter
from infohus_desktop.services.backups.register import register_path
from infohus_desktop.services.backups.snapshot import (
    audit_state,
    consistent_reader,
    dump,
    tombstone_ids,
)
from infohus_desktop.services.core.exports import write_export_stream
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.engine import is_sqlite, url_for_path
from infohus_desktop.vault.migrate import current_revision, head_revision
from infohus_desktop.vault.schema import MemberRow, SettingRow

LAST_DRILL = "backup_last_drill"
REMINDER_DAYS = "backup_reminder_days"
DEFAULT_REMINDER_DAYS = 7
REMINDER_RANGE = (1, 90)

#: The drill's scratch folder in the system's temporary folder.
DRILL_PREFIX = "infohus-drill-"


class Backups:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- create -----------------------------------------------------------------------------

    def create(self, out: Path) -> BackupReport:
        """Write a backup of the whole vault to ``out``; see the module docstring."""
        self.ms.require(Role.COORDINATOR)
        started = time.monotonic()
        vault = self.ms.vault
        engine = vault.uow.engine
        schema = current_revision(engine)
        if schema != head_revision():
            raise InvalidInput(
                "Boksen skal opgraderes, før der kan laves en sikkerhedskopi (infohus vault "
                "upgrade).",
                "The vault must be upgraded before a backup can be made (infohus vault upgrade).",
            )
        backup_id, file_key = new_backup_id(), new_file_key()
        with self.ms.uow() as session:
            slots = self._key_slots(session, backup_id, file_key)
        header = BackupHeader(
            backup_id=backup_id,
            vault_id=vault.vault_id,
            created=now_utc(),
            signer_id=self.ms.member.id,
            signer_login=self.ms.member.login,
            signer_key=self.ms.keyring.user_keys.public().sign,
            root_fingerprint=vault.pinned_root(),
            schema=schema or "",
            engine="sqlite" if is_sqlite(engine) else "postgresql",
            slots=slots,
        )

        def fill(sink: BinaryIO) -> tuple[dict[str, Any], int]:
            writer = BackupWriter(sink, header, file_key, self.ms.keyring.user_keys)
            records = RecordWriter(writer)  # type: ignore[arg-type]
            with consistent_reader(vault.url, engine) as connection:
                state = audit_state(connection)
                deletions = tombstone_ids(connection)
                dump(connection, records)
            manifest = {
                "backup": str(backup_id),
                "vault": str(vault.vault_id),
                "created": header.created.isoformat(),
                "created_by": str(self.ms.member.id),
                "schema": header.schema,
                "counts": records.counts,
                "deletions": deletions,
                **state,
            }
            records.manifest(manifest)
            writer.close()
            return manifest, writer.written

        manifest, size = write_export_stream(out, fill)
        head = (manifest.get("audit_head") or {}).get("seq", 0)
        with self.ms.transaction() as session:
            self.ms.record(
                session,
                BackupAction.CREATE,
                backup_id,
                detail=f"cases={manifest['counts'].get('cases', 0)} audit_head={head} bytes={size}",
            )
            _set(session, LAST_CREATED, header.created.isoformat())
        from infohus_desktop.services.backups.restore import header_info

        return BackupReport(
            header=header_info(header),
            counts=manifest["counts"],
            audit_head=head,
            size=size,
            seconds=time.monotonic() - started,
        )

    def _key_slots(
        self, session: Session, backup_id: uuid.UUID, file_key: bytes
    ) -> tuple[KeySlot, ...]:
        """Every active coordinator, each key checked through the trust chain first: a key
        swapped in the database must not receive the file key."""
        rows = session.scalars(
            select(MemberRow)
            .where(MemberRow.role == Role.COORDINATOR.value, MemberRow.active.is_(True))
            .order_by(MemberRow.login)
        ).all()
        slots = []
        for row in rows:
            public = self.ms.keyring.trust.verified_keys(session, row.id)
            slots.append(
                KeySlot(
                    member_id=row.id,
                    login=row.login,
                    kdf_params=kdf.KdfParams.from_json(row.kdf_params).to_json(),
                    salt=bytes(row.kdf_salt),
                    sealed_keys=bytes(row.sealed_keys),
                    sealed_file_key=seal_file_key(
                        file_key, backup_id, self.ms.vault.vault_id, row.id, public
                    ),
                )
            )
        return tuple(slots)

    # -- drill ------------------------------------------------------------------------------

    def drill(self, path: Path, passphrase: str) -> BackupReport:
        """Restore ``path`` into a temporary vault, read it, verify it, throw it away."""
        from infohus_desktop.services.accounts.rollback import VaultRolledBack
        from infohus_desktop.services.accounts.vault import VaultService
        from infohus_desktop.services.audit.log import AuditService
        from infohus_desktop.services.backups.restore import inspect_file, restore_file
        from infohus_desktop.services.cases.service import CaseService

        self.ms.require(Role.COORDINATOR)
        vault = self.ms.vault
        if inspect_file(path).vault_id != vault.vault_id:
            raise BackupRejected(BackupFault.VAULT)
        started = time.monotonic()
        remove_stale(Path(tempfile.gettempdir()), f"{DRILL_PREFIX}*")  # a killed drill's copy
        with tempfile.TemporaryDirectory(prefix=DRILL_PREFIX) as scratch:
            local = LocalState(Path(scratch) / "home")
            local.save_pin(VaultPin(vault.vault_id, vault.pinned_root(), "drill"))
            url = url_for_path(Path(scratch) / "drill.sqlite")
            own = register_path(vault.local, vault.vault_id)
            restored = restore_file(
                path,
                url,
                self.ms.member.login,
                passphrase,
                local=local,
                extra_registers=[own] if own.is_file() else [],
            )
            copy = VaultService.open(url, local)
            _without_fsync(copy.uow.engine)
            try:
                reader = copy.unlock(self.ms.member.login, passphrase)
                try:
                    cases = CaseService(reader)
                    summaries = cases.list()
                    unreadable = [s.number for s in summaries if s.tampered]
                    for summary in summaries:
                        if summary.tampered:
                            continue
                        try:
                            cases.show(summary.number)
                        except (UntrustedKey, VaultRolledBack):
                            raise  # the whole copy, not this case: as before, it aborts
                        except TamperedData:
                            # This case's rows or ciphertext (a plain TamperedData from a
                            # field that does not decrypt, CaseTampered, RowTampered).
                            unreadable.append(summary.number)
                    verification = AuditService(reader).verify()
                finally:
                    reader.lock()
            finally:
                copy.close()
        if not verification.ok:
            raise BackupRejected(BackupFault.AUDIT)
        if unreadable:
            raise DrillFoundUnreadableCases(sorted(unreadable), len(summaries) - len(unreadable))
        seconds = time.monotonic() - started
        with self.ms.transaction() as session:
            self.ms.record(
                session,
                BackupAction.DRILL,
                restored.header.backup_id,
                detail=f"cases_read={len(summaries)} audit_head={restored.audit_head} "
                f"seconds={seconds:.1f}",
            )
            _set(session, LAST_DRILL, datetime.now(UTC).replace(microsecond=0).isoformat())
        return BackupReport(
            header=restored.header,
            counts=restored.counts,
            audit_head=restored.audit_head,
            size=restored.size,
            seconds=seconds,
            deletions_applied=restored.deletions_applied,
            deletions_ignored=restored.deletions_ignored,
            cases_read=len(summaries),
        )

    # -- the reminder -----------------------------------------------------------------------

    def status(self) -> BackupStatus:
        """When the last backup and drill were, and after how many days to remind."""
        self.ms.require()
        with self.ms.uow() as session:
            values = {
                row.key: row.value
                for row in session.scalars(
                    select(SettingRow).where(
                        SettingRow.key.in_((LAST_CREATED, LAST_DRILL, REMINDER_DAYS))
                    )
                )
            }
        return BackupStatus(
            last_backup=_moment(values.get(LAST_CREATED)),
            last_drill=_moment(values.get(LAST_DRILL)),
            reminder_days=_days(values.get(REMINDER_DAYS)),
        )

    def set_reminder_days(self, days: int) -> int:
        self.ms.require(Role.COORDINATOR)
        low, high = REMINDER_RANGE
        if not low <= days <= high:
            raise InvalidInput(
                f"Vælg mellem {low} og {high} dage.", f"Choose between {low} and {high} days."
            )
        with self.ms.transaction() as session:
            _set(session, REMINDER_DAYS, json.dumps(days))
            self.ms.record(session, BackupAction.SETTINGS, detail=f"{REMINDER_DAYS}={days}")
        return days


def _without_fsync(engine: Engine) -> None:
    """The drill's copy is thrown away: its reads' audit entries need not reach the disk
    (one fsync per case read made a drill of 10,000 cases take two minutes)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    engine.dispose()  # connections opened before the listener go


def _set(session: Session, key: str, value: str) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _days(text: str | None) -> int:
    try:
        value = json.loads(text) if text else DEFAULT_REMINDER_DAYS
    except ValueError:
        return DEFAULT_REMINDER_DAYS
    low, high = REMINDER_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return DEFAULT_REMINDER_DAYS


__all__ = ["Backups"]
