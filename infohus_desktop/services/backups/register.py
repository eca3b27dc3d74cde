"""The deletion register: deleted stays deleted, also when an older backup is put back.

Every deletion leaves a tombstone in the vault, signed by the coordinator who deleted the case
(services/retention/tombstones.py). The same record is kept in three places:

* in the vault (``case_tombstones``), and so in every later backup, whose manifest lists it;
* on each workstation, in ``checkpoints/<vault id>.deletions.jsonl`` beside the checkpoint
  file: appended when this workstation deletes a case, and brought up to date at every unlock
  with the tombstones other workstations wrote (one count query when nothing is new);
* in a file a coordinator copies from another workstation (``backup restore --deletions``).

A restore removes every case a known register lists before the vault can be opened. A record
is used only if its coordinator's signature verifies against the restored vault's trust
chain, so a line added to the file by hand cannot delete a case.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.local_state import LocalState
from infohus_desktop.private_files import make_private_dir
from infohus_desktop.services.backups.records import decode_value, encode_value, kind_of
from infohus_desktop.vault.retention_schema import TombstoneRow

if TYPE_CHECKING:
    from infohus_desktop.services.core.session import MemberSession


@functools.cache
def _tombstone_kinds() -> dict[str, str]:
    import infohus_desktop.vault.models  # noqa: F401  (every table, so foreign keys resolve)

    return {column.name: kind_of(column) for column in TombstoneRow.__table__.columns}


@dataclass(frozen=True, slots=True)
class DeletionRecord:
    """One deleted case: its tombstone row (as payload values) and its former data key."""

    case_id: uuid.UUID
    number: str
    data_key_id: uuid.UUID | None
    tombstone: dict[str, Any]  # column → encoded value

    def to_json(self, vault_id: uuid.UUID) -> dict[str, Any]:
        return {
            "vault": str(vault_id),
            "case": str(self.case_id),
            "number": self.number,
            "data_key": str(self.data_key_id) if self.data_key_id else None,
            "tombstone": self.tombstone,
        }

    @classmethod
    def from_json(cls, raw: Any) -> DeletionRecord:
        if not isinstance(raw, dict) or not isinstance(raw.get("tombstone"), dict):
            raise ValueError("not a deletion record")
        stone = raw["tombstone"]
        if set(stone) != set(_tombstone_kinds()):
            raise ValueError("tombstone columns")
        for name, kind in _tombstone_kinds().items():
            decode_value(kind, stone[name])  # raises on a malformed value
        case_id = uuid.UUID(str(raw["case"]))
        if stone["id"] != str(case_id) or stone["number"] != raw["number"]:
            raise ValueError("tombstone does not match")
        key = raw.get("data_key")
        return cls(case_id, str(raw["number"]), uuid.UUID(key) if key else None, stone)

    def decoded_tombstone(self) -> dict[str, Any]:
        return {
            name: decode_value(_tombstone_kinds()[name], v) for name, v in self.tombstone.items()
        }

    def tombstone_row(self) -> TombstoneRow:
        """A detached row, for checking the signature with the retention service's code."""
        values = self.decoded_tombstone()
        for name in ("id", "local_infohus_id", "deleted_by", "approved_by"):
            if values[name] is not None:
                values[name] = uuid.UUID(values[name])
        values["payload"] = Ciphertext(values["payload"])
        return TombstoneRow(**values)


def record_of(row: TombstoneRow, data_key_id: uuid.UUID | None) -> DeletionRecord:
    stone = {
        name: encode_value(kind, getattr(row, name)) for name, kind in _tombstone_kinds().items()
    }
    return DeletionRecord(row.id, row.number, data_key_id, stone)


def register_path(local: LocalState, vault_id: uuid.UUID) -> Path:
    checkpoints = local.checkpoint_file(vault_id)
    return checkpoints.with_name(f"{vault_id}.deletions.jsonl")


def read_register(path: Path, vault_id: uuid.UUID | None = None) -> list[DeletionRecord]:
    """The records of a register file (this vault's only, when given); a damaged line is
    skipped (its case stays as the backup has it, and the restore says how many)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    records: dict[uuid.UUID, DeletionRecord] = {}
    for line in data.splitlines():  # bytes: a byte that is no UTF-8 damages its line only
        try:
            raw = json.loads(line)
            if vault_id is not None and raw.get("vault") != str(vault_id):
                continue
            record = DeletionRecord.from_json(raw)
        except (ValueError, TypeError, AttributeError, KeyError):
            continue
        records.setdefault(record.case_id, record)
    return list(records.values())


def remember(local: LocalState, vault_id: uuid.UUID, records: list[DeletionRecord]) -> None:
    """Append records this workstation's register does not have yet (0600, fsynced)."""
    path = register_path(local, vault_id)
    known = {r.case_id for r in read_register(path, vault_id)}
    lines = [
        json.dumps(r.to_json(vault_id), separators=(",", ":"), sort_keys=True) + "\n"
        for r in records
        if r.case_id not in known
    ]
    if not lines:
        return
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())


def catch_up(session: Session, local: LocalState, vault_id: uuid.UUID) -> None:
    """Copy into this workstation's register the tombstones other workstations wrote: one
    count when nothing is new. The data key of a case deleted elsewhere is not known here
    (it went with the case); a restore then removes that key row after loading."""
    path = register_path(local, vault_id)
    known = read_register(path, vault_id)
    count = int(session.scalar(select(func.count()).select_from(TombstoneRow)) or 0)
    if count <= len(known):
        return
    ids = {r.case_id for r in known}
    rows = session.scalars(select(TombstoneRow).where(TombstoneRow.id.not_in(ids))).all()
    remember(local, vault_id, [record_of(row, None) for row in rows])


def remember_deletions(ms: MemberSession) -> None:
    """Bring this workstation's register up to date with the vault's: at every unlock
    (``front_door.Vault.unlock``). Here and not on the backup service, so that an unlock,
    the first step of every command, does not import the backups' and bundles' cryptography
    for it (seven modules, about 10 ms by ``-X importtime``; issue 17)."""
    with ms.uow() as session:
        catch_up(session, ms.vault.local, ms.vault.vault_id)


__all__ = [
    "DeletionRecord",
    "catch_up",
    "read_register",
    "record_of",
    "register_path",
    "remember",
    "remember_deletions",
]
