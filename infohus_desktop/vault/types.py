"""Column types. :class:`EncryptedBlob` accepts only :class:`Ciphertext`, never plain text;
:class:`UTCDateTime` stores every moment as UTC."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.domain.errors import TamperedData


class StoredValueTampered(TamperedData, ValueError):
    """A clear column holds what the program never writes there: an id that is no UUID, a
    time that is no time (SQL written around the program). An expected error (exit 7, the
    window says the vault was changed), not a program error; and still a ``ValueError``, so
    the readers that list such a row as tampered (tampered_rows.py) keep doing so."""

    def __init__(self) -> None:
        super().__init__(
            "En værdi i boksen er ændret uden om programmet og kan ikke læses. Kontakt en "
            "koordinator.",
            "A value in the vault was changed outside the program and cannot be read. Contact "
            "a coordinator.",
        )


class PlaintextRefused(TypeError):
    """Raised when anything but a sealed :class:`Ciphertext` is bound to an encrypted column."""


class EncryptedBlob(TypeDecorator[Ciphertext]):
    """Holds field ciphertext. Encryption itself happens in the services, where the row id
    and case id (part of the associated data) are known; this type only guards the door."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        if not isinstance(value, Ciphertext):
            raise PlaintextRefused(
                f"encrypted column refuses {type(value).__name__}; encrypt it with a FieldKey"
            )
        return bytes(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Ciphertext | None:
        if value is None:
            return None
        return Ciphertext(bytes(value))

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        raise PlaintextRefused("encrypted values are never rendered as SQL literals")


#: The namespace of the stand-in ids of :func:`stored_id`.
_NO_UUID = uuid.UUID("6d1f3c52-4b0e-4c55-9a8e-2f1f7b0c9e41")


def stored_id(value: object) -> uuid.UUID:
    """An id as stored, as ``uuid.UUID`` reads it; for a value that is no UUID at all
    (written by SQL around the program, which :class:`UUIDString` cannot read) a stand-in
    made from it, the same for the same value: its row can be reported as tampered under
    that id instead of taking down whatever read it."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid5(_NO_UUID, repr(value))


class UUIDString(TypeDecorator[uuid.UUID]):
    """UUIDs as 36-character strings: the same on SQLite and PostgreSQL, readable in a dump."""

    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = uuid.UUID(str(value))
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except (ValueError, TypeError, AttributeError):
            raise StoredValueTampered() from None


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, stored as UTC. SQLite's ``DateTime`` writes an aware value's wall-clock time
    and drops its offset, so 10:00 Copenhagen time would read back as 10:00 UTC; converting
    on the way in makes both databases hand back the same instant (naive UTC on SQLite,
    aware on PostgreSQL), which the sealed copies of clear columns rely on."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """SQLite's own conversion of the stored text, which fails on a time that is no
        time, as :class:`StoredValueTampered` (PostgreSQL hands back times)."""
        convert = super().result_processor(dialect, coltype)
        if convert is None:
            return None

        def checked(value: Any) -> Any:
            try:
                return convert(value)
            except ValueError:
                raise StoredValueTampered() from None

        return checked
