"""The payload of a backup: the vault's tables as a stream of length-prefixed JSON records.

``record = length (u32, big-endian) ‖ JSON (UTF-8)``, in this order:

* for each table, in foreign-key order: ``{"table": NAME, "columns": [[COLUMN, KIND], …]}``,
  then one JSON array per row (values in column order), then ``{"end": NAME, "rows": N}``;
* last, ``{"manifest": {…}}`` (services/backups/manifest.py), after which nothing may follow.

Values are written by *kind*, not by database type, so a backup made on SQLite restores into
PostgreSQL and back: ``bytes`` as Base64 (ciphertext, signatures, keys), ``uuid`` as its
lower-case text, ``moment`` as ISO 8601 in UTC with its offset, ``date`` as ``YYYY-MM-DD``,
``bool``, ``int`` and ``text`` as JSON; ``null`` for an empty column. Everything a column holds
is copied exactly — the rows' ciphertext, signatures and sealed copies of clear columns bind
their values, so a restored vault verifies only if every byte came back.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from sqlalchemy import Boolean, ColumnElement, Date, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

from infohus_desktop.domain.backups import BackupFault, BackupRejected

KINDS = frozenset({"bytes", "uuid", "moment", "date", "bool", "int", "text"})
#: Far above any row (an attachment chunk is 1 MiB, 1.4 MiB as Base64), far below memory.
MAX_RECORD_BYTES = 16 * 1024 * 1024
_LENGTH = struct.Struct(">I")


def content_fault() -> BackupRejected:
    return BackupRejected(BackupFault.CONTENT)


def kind_of(column: ColumnElement[Any]) -> str:
    """The payload kind of a column of the vault's models (decorated types by their name,
    since UUIDs are stored as text and ciphertext as bytes underneath)."""
    column_type: TypeEngine[Any] = column.type
    if isinstance(column_type, NullType) and column.foreign_keys:
        # A foreign key without its own type takes the referenced column's, once resolved.
        return kind_of(next(iter(column.foreign_keys)).column)
    name = type(column_type).__name__
    if name == "UUIDString":
        return "uuid"
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    for base, kind in (
        (LargeBinary, "bytes"),
        (DateTime, "moment"),
        (Date, "date"),
        (Boolean, "bool"),
        (Integer, "int"),
        (String, "text"),
        (Text, "text"),
    ):
        if isinstance(column_type, base):
            return kind
    raise TypeError(f"no backup kind for column {column}")


# -- values ------------------------------------------------------------------------------------


def _moment(value: datetime) -> str:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "bytes": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "uuid": str,
    "moment": _moment,
    "date": lambda v: v.isoformat(),
    "bool": bool,
    "int": int,
    "text": str,
}


def encode_value(kind: str, value: Any) -> Any:
    return None if value is None else _ENCODE[kind](value)


def _decode_bytes(value: Any) -> bytes:
    if not isinstance(value, str):
        raise content_fault()
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise content_fault() from None


def _decode_uuid(value: Any) -> str:
    if not isinstance(value, str):
        raise content_fault()
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise content_fault() from None
    if str(parsed) != value:
        raise content_fault()
    return value


def _decode_moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise content_fault()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise content_fault() from None
    if moment.tzinfo is None or moment.utcoffset() != UTC.utcoffset(None):
        raise content_fault()
    return moment


def _decode_date(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise content_fault()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise content_fault() from None


def _exact(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:  # true is not 1, 1 is not true
            raise content_fault()
        return value

    return check


_DECODE: dict[str, Callable[[Any], Any]] = {
    "bytes": _decode_bytes,
    "uuid": _decode_uuid,
    "moment": _decode_moment,
    "date": _decode_date,
    "bool": _exact(bool),
    "int": _exact(int),
    "text": _exact(str),
}


def decode_value(kind: str, value: Any) -> Any:
    """The value as the target database takes it (UUIDs as their text: the restore writes
    through reflected tables, where they are plain strings)."""
    return None if value is None else _DECODE[kind](value)


# -- records ------------------------------------------------------------------------------------


def frame(record: Any) -> bytes:
    data = json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return _LENGTH.pack(len(data)) + data


class RecordWriter:
    """Writes records into a sink (the backup writer), counting rows per table."""

    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink
        self.counts: dict[str, int] = {}

    def table(self, name: str, columns: list[tuple[str, str]], rows: Iterable[list[Any]]) -> None:
        self._sink.write(frame({"table": name, "columns": [list(c) for c in columns]}))
        count = 0
        batch = bytearray()
        for row in rows:
            batch += frame(row)
            count += 1
            if len(batch) >= 256 * 1024:
                self._sink.write(batch)
                batch.clear()
        if batch:
            self._sink.write(batch)
        self._sink.write(frame({"end": name, "rows": count}))
        self.counts[name] = count

    def manifest(self, manifest: dict[str, Any]) -> None:
        self._sink.write(frame({"manifest": manifest}))


def read_records(chunks: Iterable[bytes]) -> Iterator[Any]:
    """Parse the records out of the decrypted chunks; a record cut by the end of the stream,
    an oversized record or one that is not JSON is a content fault."""
    buffer = bytearray()
    position = 0
    for chunk in chunks:
        if position:
            del buffer[:position]
            position = 0
        buffer += chunk
        while len(buffer) - position >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(buffer, position)
            if length > MAX_RECORD_BYTES:
                raise content_fault()
            end = position + _LENGTH.size + length
            if end > len(buffer):
                break
            raw = bytes(buffer[position + _LENGTH.size : end])
            position = end
            try:
                yield json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise content_fault() from None
    if len(buffer) != position:
        raise content_fault()


__all__ = [
    "KINDS",
    "RecordWriter",
    "decode_value",
    "encode_value",
    "frame",
    "kind_of",
    "read_records",
]
