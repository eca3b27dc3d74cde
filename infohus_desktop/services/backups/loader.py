"""Loading a backup's records into an empty target, in one transaction, and proving it.

The target's schema is made by the migrations at the backup's revision; rows go in through
the *reflected* tables (plain types, so ciphertext is written as the bytes it is). What the
loader refuses, it refuses before the transaction commits, so the target is left as empty
as it was:

* a record stream that is not tables, rows and a final manifest, or a table, column or value
  the target does not have (``content``);
* counts that differ from the manifest's, or a manifest for another backup (``content``);
* a signer who is not a certified, active coordinator of the vault in the backup, or whose
  key is not the one that signed the header (``signer``);
* an audit log that does not verify, or whose head differs from the manifest's (``audit``).

**Deleted stays deleted.** Deletion records (services/backups/register.py) whose case is in
the backup and not among its tombstones are re-applied while loading: their signatures are
checked through the trust tables as soon as those are in, the case's rows and every row that
hangs on them (parts, referrals, attachments and their chunks, statistics codes, its data
key) are never written, and meeting items about the case are kept without their case, to be
sealed again as "Sagen er slettet" by the restoring coordinator (services/backups/restore.py).
``vault_info`` goes in last, with a ``restore_pending`` mark that only the finished restore
removes: a vault cut off mid-way cannot be opened.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from alembic import command
from sqlalchemy import Connection, MetaData, Table, delete, insert, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from infohus_desktop.crypto.backup_container import BackupHeader
from infohus_desktop.domain.backups import RESTORE_PENDING, BackupFault, BackupRejected
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.backups.records import KINDS, content_fault, decode_value
from infohus_desktop.services.backups.register import DeletionRecord
from infohus_desktop.services.retention.tombstones import tombstone_statement
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.engine import database_error
from infohus_desktop.vault.migrate import alembic_config, head_revision
from infohus_desktop.vault.schema import MemberRow
from infohus_desktop.vault.trust import TrustStore

_BATCH_ROWS = 500
_BATCH_BYTES = 8 * 1024 * 1024
#: Rows of these tables are held back until the deletion records are decided.
_HELD_BACK = ("data_keys", "vault_info")


@dataclass(slots=True)
class LoadResult:
    counts: dict[str, int]
    manifest: dict[str, Any]
    audit_head: int
    applied: list[DeletionRecord] = field(default_factory=list)
    ignored: int = 0
    blanked_items: list[uuid.UUID] = field(default_factory=list)


def prepare_schema(connection: Connection, revision: str) -> MetaData:
    """Make the vault's tables at the backup's revision and reflect them."""
    script_head = head_revision()
    if revision != script_head and not _known_revision(revision):
        raise BackupRejected(BackupFault.SCHEMA)
    command.upgrade(alembic_config(connection), revision)
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


class Loader:
    def __init__(
        self,
        connection: Connection,
        metadata: MetaData,
        header: BackupHeader,
        deletions: Iterable[DeletionRecord] = (),
    ) -> None:
        self.connection = connection
        self.metadata = metadata
        self.header = header
        self._candidates = {record.case_id: record for record in deletions}
        self._applied: dict[str, DeletionRecord] = {}  # by case id
        self._ignored = 0
        self._counts: dict[str, int] = {}
        self._held: dict[str, list[dict[str, Any]]] = {name: [] for name in _HELD_BACK}
        #: Primary keys of rows not written, per table (their children go too).
        self._dropped: dict[str, set[str]] = {}
        self._blanked: list[str] = []
        self._keys_to_drop: set[str] = set()
        self._backup_tombstones: set[str] = set()
        self._vault_root: str | None = None
        self._fk_parents = {
            table.name: [(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys]
            for table in metadata.sorted_tables
        }

    # -- the stream ---------------------------------------------------------------------------

    def load(self, records: Iterator[Any]) -> LoadResult:
        manifest: dict[str, Any] | None = None
        for record in records:
            if manifest is not None:
                raise content_fault()  # nothing may follow the manifest
            if isinstance(record, dict) and set(record) == {"manifest"}:
                manifest = record["manifest"]
                continue
            if not isinstance(record, dict) or set(record) != {"table", "columns"}:
                raise content_fault()
            self._load_table(record, records)
        if not isinstance(manifest, dict):
            raise content_fault()
        self._check_manifest(manifest)
        self._finish()
        head = self._check_audit(manifest)
        return LoadResult(
            counts=dict(self._counts),
            manifest=manifest,
            audit_head=head,
            applied=list(self._applied.values()),
            ignored=self._ignored,
            blanked_items=[uuid.UUID(i) for i in self._blanked],
        )

    def _load_table(self, opening: dict[str, Any], records: Iterator[Any]) -> None:
        name, columns = opening["table"], opening["columns"]
        table = self.metadata.tables.get(name) if isinstance(name, str) else None
        if table is None or name in self._counts or not isinstance(columns, list):
            raise content_fault()
        names: list[str] = []
        kinds: list[str] = []
        for column in columns:
            if (
                not isinstance(column, list)
                or len(column) != 2
                or column[0] not in table.columns
                or column[1] not in KINDS
                or column[0] in names
            ):
                raise content_fault()
            names.append(column[0])
            kinds.append(column[1])
        pk = [c.name for c in table.primary_key.columns]
        pk_index = names.index(pk[0]) if len(pk) == 1 and pk[0] in names else None
        # A row that refers to a row of its own table (a journal correction) must follow it.
        own = [c for c, parent in self._fk_parents.get(name, ()) if parent == name]
        ordered: list[dict[str, Any]] | None = [] if own and pk_index is not None else None
        batch: list[dict[str, Any]] = []
        size = 0
        count = 0
        for record in records:
            if isinstance(record, dict):
                if set(record) != {"end", "rows"} or record["end"] != name:
                    raise content_fault()
                if type(record["rows"]) is not int or record["rows"] != count:
                    raise content_fault()
                break
            if not isinstance(record, list) or len(record) != len(names):
                raise content_fault()
            count += 1
            row = {n: decode_value(k, v) for n, k, v in zip(names, kinds, record, strict=True)}
            key = str(record[pk_index]) if pk_index is not None else None
            if not self._keep(table, row, key):
                continue
            if name in self._held:
                self._held[name].append(row)
                continue
            if ordered is not None:
                ordered.append(row)
                continue
            batch.append(row)
            size += sum(len(v) for v in row.values() if isinstance(v, (bytes, str)))
            if len(batch) >= _BATCH_ROWS or size >= _BATCH_BYTES:
                self._insert(table, batch)
                batch, size = [], 0
        else:
            raise content_fault()  # the stream ended inside the table
        if ordered:
            rows = _parents_first(ordered, pk[0], own)
            for start in range(0, len(rows), _BATCH_ROWS):
                self._insert(table, rows[start : start + _BATCH_ROWS])
        if batch:
            self._insert(table, batch)
        self._counts[name] = count
        if name == "case_tombstones":
            self._decide_deletions()

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        try:
            self.connection.execute(insert(table), rows)
        except InfohusError:
            raise
        except OperationalError as exc:
            # The target failed (a full disk, a lost server), not the backup: blaming the
            # file would have a coordinator throw a good backup away in a disaster.
            raise database_error(exc) from None
        except Exception as exc:  # a constraint the rows break: the backup is not consistent
            raise content_fault() from exc

    # -- deletions ------------------------------------------------------------------------------

    def _keep(self, table: Table, row: dict[str, Any], key: str | None) -> bool:
        """Whether the row is written; rows of a deleted case and what hangs on them are not."""
        name = table.name
        if name == "case_tombstones":
            self._backup_tombstones.add(str(row["id"]))
            return True
        if name == "vault_info":
            return True
        if name == "cases" and row["id"] in self._applied:
            self._drop(name, key)
            self._keys_to_drop.add(str(row["data_key_id"]))
            return False
        if name == "meeting_items" and row.get("case_id") in self._applied:
            # The item stays in the minutes; its text goes with the case's key.
            row["deleted_case_id"] = row["case_id"]
            row["case_id"] = None
            self._blanked.append(str(row["id"]))
            self._dropped.setdefault(name, set()).add(str(row["id"]))
            return True
        for column, parent in self._fk_parents.get(name, ()):
            value = row.get(column)
            if value is not None and str(value) in self._dropped.get(parent, ()):
                self._drop(name, key)
                return False
        return True

    def _drop(self, table: str, key: str | None) -> None:
        if key is not None:
            self._dropped.setdefault(table, set()).add(key)

    def _decide_deletions(self) -> None:
        """After the tombstones (and so the members and trust tables) are in: which deletion
        records apply, each checked against its coordinator's signature."""
        pending = [
            r
            for case_id, r in self._candidates.items()
            if str(case_id) not in self._backup_tombstones
        ]
        if not pending:
            self._release_held_keys()
            return
        trust = self._trust()
        stones = self.metadata.tables["case_tombstones"]
        with Session(bind=self.connection) as session:
            for record in pending:
                if self._signed(session, trust, record):
                    self._applied[str(record.case_id)] = record
                    if record.data_key_id is not None:
                        self._keys_to_drop.add(str(record.data_key_id))
                else:
                    self._ignored += 1
        for record in self._applied.values():
            self._insert(stones, [record.decoded_tombstone()])
        self._release_held_keys()

    def _signed(self, session: Session, trust: TrustStore, record: DeletionRecord) -> bool:
        row = record.tombstone_row()
        signer = session.get(MemberRow, row.deleted_by)
        if signer is None or signer.role != Role.COORDINATOR.value:
            return False
        try:
            keys = trust.sign_keys(session, row.deleted_by)
        except InfohusError:
            return False
        return keys.verify(bytes(row.signature), tombstone_statement(self.header.vault_id, row))

    def _trust(self) -> TrustStore:
        info = self._held["vault_info"]
        if len(info) != 1 or info[0].get("root_member_id") is None:
            raise content_fault()
        return TrustStore(
            self.header.vault_id,
            uuid.UUID(info[0]["root_member_id"]),
            self.header.root_fingerprint,
        )

    def _release_held_keys(self) -> None:
        keys = [r for r in self._held["data_keys"] if str(r["id"]) not in self._keys_to_drop]
        self._held["data_keys"] = []
        table = self.metadata.tables["data_keys"]
        for start in range(0, len(keys), _BATCH_ROWS):
            self._insert(table, keys[start : start + _BATCH_ROWS])

    def _finish(self) -> None:
        """The data keys of cases deleted elsewhere (their record did not know the key), then
        vault_info and the restore-pending mark."""
        dropped_keys = self._keys_to_drop
        if dropped_keys:
            table = self.metadata.tables["data_keys"]
            cases = self.metadata.tables["cases"]
            used = set(self.connection.scalars(select(cases.c.data_key_id)))
            orphans = [k for k in dropped_keys if k not in used]
            if orphans:
                self.connection.execute(delete(table).where(table.c.id.in_(orphans)))
        info = self._held["vault_info"]
        if len(info) != 1 or str(info[0].get("vault_id")) != str(self.header.vault_id):
            raise content_fault()
        self._insert(self.metadata.tables["vault_info"], info)
        settings = self.metadata.tables["vault_settings"]
        self._insert(settings, [{"key": RESTORE_PENDING, "value": str(self.header.backup_id)}])
        if self.connection.dialect.name == "postgresql":
            self._reset_sequences()

    def _reset_sequences(self) -> None:
        for table in self.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            if len(pk) != 1 or pk[0].type.python_type is not int:
                continue
            sequence = self.connection.scalar(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
            )
            if sequence:
                self.connection.execute(
                    text(
                        f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM "  # noqa: S608
                        f"{table.name}), 1), (SELECT MAX({pk[0].name}) FROM {table.name}) "
                        "IS NOT NULL)"
                    ),
                    {"s": sequence},
                )

    # -- the checks --------------------------------------------------------------------------

    def _check_manifest(self, manifest: dict[str, Any]) -> None:
        counts = manifest.get("counts")
        expected = {t.name for t in self.metadata.sorted_tables} - {"alembic_version"}
        if set(self._counts) != expected or not isinstance(manifest.get("audit_head"), dict | None):
            raise content_fault()  # a table left out, or a head that is not one
        if (
            manifest.get("backup") != str(self.header.backup_id)
            or manifest.get("vault") != str(self.header.vault_id)
            or counts != self._counts
        ):
            raise content_fault()
        listed = manifest.get("deletions")
        if (
            not isinstance(listed, list)
            or {d.get("case") for d in listed if isinstance(d, dict)} != self._backup_tombstones
            or len(listed) != len(self._backup_tombstones)
        ):
            raise content_fault()

    def _check_audit(self, manifest: dict[str, Any]) -> int:
        trust = self._trust()
        with Session(bind=self.connection) as session:
            signer = session.get(MemberRow, self.header.signer_id)
            try:
                keys = trust.sign_keys(session, self.header.signer_id)
            except InfohusError:
                raise BackupRejected(BackupFault.SIGNER) from None
            if (
                signer is None
                or signer.role != Role.COORDINATOR.value
                or keys.current != self.header.signer_key
            ):
                raise BackupRejected(BackupFault.SIGNER)
            result = audit_chain.verify_chain(
                session,
                self.header.vault_id,
                lambda member: trust.sign_key_or_none(session, member),
                [],
            )
            head = manifest.get("audit_head")
            if not result.ok:
                raise BackupRejected(BackupFault.AUDIT)
            if head is not None and (
                head.get("seq") != result.head_seq or head.get("hash") != result.head_hash
            ):
                raise BackupRejected(BackupFault.AUDIT)
            return result.head_seq


def _parents_first(rows: list[dict[str, Any]], pk: str, refs: list[str]) -> list[dict[str, Any]]:
    """The rows in an order where each row comes after the rows of its table it refers to."""
    present = {str(row[pk]) for row in rows}
    placed: set[str] = set()
    out: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        later = []
        for row in waiting:
            parents = {str(row[c]) for c in refs if row[c] is not None} & present
            if parents <= placed:
                out.append(row)
                placed.add(str(row[pk]))
            else:
                later.append(row)
        if len(later) == len(waiting):
            raise content_fault()  # a cycle: no consistent vault has one
        waiting = later
    return out


__all__ = ["LoadResult", "Loader", "prepare_schema"]
