"""The audit log read for a verification: raw rows in chain order and their canonical bytes.

A verification reads every entry once (the routine check: every new one). Building an ORM
instance, three ``uuid.UUID`` objects and a dict for ``json.dumps(sort_keys=True)`` per entry
was most of its cost; SHA-256 itself is a small part. So the walk reads one streamed Core
``SELECT`` of the columns as the database stores them (ids stay the text they are stored as),
and :func:`canonical_fast` writes an entry's canonical JSON straight from those values, byte
for byte what :func:`canonical_reference` (the definition, through ``canonical_json``) gives
(``tests/unit/vault/test_audit_walk.py`` holds the two against each other over generated
entries).

The fast form uses a stored id as it is; the definition uses ``str(uuid.UUID(stored))``. The
two differ only for an id not stored in the form the program writes it (upper case, say),
which a verification then checks against the definition too (:func:`entry_digest`), so what
holds and what does not is exactly as before.
"""

from __future__ import annotations

import binascii
import hashlib
import json.encoder
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, String, func, select, type_coerce
from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import b64, canonical_json
from infohus_desktop.vault.schema import AuditEntryRow
from infohus_desktop.vault.types import UUIDString

#: An entry as stored: the columns of :data:`COLUMNS`, in that order.
RawEntry = tuple[Any, ...]

COLUMNS = (
    "seq",
    "id",
    "at",
    "session_id",
    "body",
    "signature",
    "prev_hash",
    "entry_hash",
    # format 1 only
    "actor_id",
    "actor_login",
    "organisation_id",
    "workstation",
    "action",
    "object_id",
    "purpose",
    "detail_epoch",
    "detail",
)
SEQ, ID, AT, SESSION, BODY, SIGNATURE, PREV, HASH = range(8)
#: Where the format-1 columns are: every one of them is empty in a format-2 entry.
LEGACY = slice(8, len(COLUMNS))
NO_LEGACY = (None,) * (len(COLUMNS) - 8)

#: Rows a walk holds at a time.
WALK_BATCH = 2000

#: The string encoder ``json.dumps(..., ensure_ascii=False)`` itself uses (C when available).
_string = json.encoder.encode_basestring


def _column(name: str) -> ColumnElement[Any]:
    column = AuditEntryRow.__table__.c[name]
    # An id as the text it is stored as: no uuid.UUID made for it.
    return type_coerce(column, String) if isinstance(column.type, UUIDString) else column


def raw_entries(session: Session, after: int = 0, batch: int | None = None) -> Iterator[RawEntry]:
    """Every entry after ``after`` by ``seq``, as stored: one statement, streamed ``batch``
    (:data:`WALK_BATCH`) rows at a time (a server-side cursor on PostgreSQL), so a walk over
    500,000 entries holds one batch in memory and asks the database once whatever the log's
    length."""
    table = AuditEntryRow.__table__
    query = (
        select(*(_column(name) for name in COLUMNS))
        .where(table.c.seq > after)
        .order_by(table.c.seq)
        .execution_options(yield_per=batch or WALK_BATCH)
    )
    for rows in session.connection().execute(query).partitions():
        yield from rows


def _b64_json(data: Any) -> str:
    return "null" if data is None else '"' + binascii.b2a_base64(data, newline=False).decode() + '"'


def canonical_fast(row: RawEntry) -> bytes | None:
    """A format-2 entry's canonical JSON straight from its stored values; None for anything
    else (a format-1 entry, or a value of a type the program never stores), which
    :func:`canonical_reference` encodes."""
    seq, entry_id, at, session_id = row[SEQ], row[ID], row[AT], row[SESSION]
    if (
        type(seq) is not int
        or type(entry_id) is not str
        or type(at) is not str
        or type(session_id) is not str
    ):
        return None
    body, signature = row[BODY], row[SIGNATURE]
    if not (body is None or type(body) is bytes) or not (
        signature is None or type(signature) is bytes
    ):
        return None
    return (
        f'{{"at":{_string(at)},"body":{_b64_json(body)},"id":{_string(entry_id)},"seq":{seq},'
        f'"session":{_string(session_id)},"sig":{_b64_json(signature)},"v":2}}'
    ).encode()


def _uuid_text(value: Any) -> str:
    """An id as ``str(uuid.UUID(...))`` gives it from the stored value (as the ORM reads it)."""
    return str(uuid.UUID(value))


def canonical_reference(row: RawEntry) -> bytes:
    """The definition (``audit_chain.canonical_entry`` of the row the ORM would read):
    ``canonical_json`` of the entry's fields, ids as ``uuid.UUID`` writes them. Raises
    ``ValueError``/``TypeError`` for a value the ORM could not read or encode either."""
    if row[SESSION] is not None:
        return canonical_json(
            {
                "v": 2,
                "seq": row[SEQ],
                "id": _uuid_text(row[ID]),
                "at": row[AT],
                "session": _uuid_text(row[SESSION]),
                "body": b64(row[BODY]) if row[BODY] is not None else None,
                "sig": b64(row[SIGNATURE]) if row[SIGNATURE] is not None else None,
            }
        )
    (actor, login, org, ws, action, obj, purpose, detail_epoch, detail) = row[LEGACY]
    return canonical_json(
        {
            "seq": row[SEQ],
            "id": _uuid_text(row[ID]),
            "at": row[AT],
            "actor": _uuid_text(actor) if actor is not None else None,
            "login": login,
            "org": _uuid_text(org) if org is not None else None,
            "ws": ws,
            "action": action,
            "object": obj,
            "purpose": purpose,
            "detail_epoch": detail_epoch,
            "detail": b64(detail) if detail is not None else None,
        }
    )


def entry_digest(prev: bytes, row: RawEntry) -> str | None:
    """The entry's hash after ``prev`` (the previous hash, ASCII) as the definition makes
    it, or None when the row cannot be encoded at all (an id that is no id, a text where
    bytes belong): such a row does not match the chain. The fast form first; the
    definition only when the fast one does not give the stored hash."""
    fast = canonical_fast(row)
    if fast is not None:
        digest = hashlib.sha256(prev + fast).hexdigest()
        if digest == row[HASH]:
            return digest
    try:
        return hashlib.sha256(prev + canonical_reference(row)).hexdigest()
    except (ValueError, TypeError, AttributeError, UnicodeError):
        return None


def entry_statement_fast(vault_id: str, row: RawEntry, entry_id: str, session_id: str) -> bytes:
    """What the actor of a format-2 entry signed (``crypto.signing.audit_entry_statement``),
    encoded directly: ``vault_id``, ``entry_id`` and ``session_id`` as ``str(uuid)`` gives
    them. Byte for byte ``signing.statement``'s canonical JSON (tested alongside)."""
    body = row[BODY]
    digest = hashlib.sha256(body if body is not None else b"").hexdigest()
    return (
        f'{{"at":{_string(row[AT])},"body":"{digest}","id":"{entry_id}","prev":'
        f'{_string(row[PREV])},"seq":{row[SEQ]},"session":"{session_id}",'
        f'"type":"audit-entry","v":1,"vault":"{vault_id}"}}'
    ).encode()


__all__ = [
    "AT",
    "BODY",
    "COLUMNS",
    "HASH",
    "ID",
    "LEGACY",
    "NO_LEGACY",
    "PREV",
    "SEQ",
    "SESSION",
    "SIGNATURE",
    "RawEntry",
    "canonical_fast",
    "canonical_reference",
    "entry_digest",
    "entry_statement_fast",
    "raw_entries",
]


def first_signed_seq(session: Session) -> int | None:
    """Where the signed (format 2) entries begin; None in a log that has none yet.

    Unsigned entries are the log of a vault made before entries were signed, and they can
    only come before this point: the program has written every entry since signed. An
    unsigned entry after it is one written into the database in a member's name, which no
    signature can disprove because none is asked of it; so its place alone betrays it."""
    return session.scalar(
        select(func.min(AuditEntryRow.seq)).where(AuditEntryRow.session_id.is_not(None))
    )


def first_unsigned_after_signed(session: Session, after: int = 0) -> int | None:
    """The first unsigned entry after ``after`` that comes after a signed one (see
    :func:`first_signed_seq`), or None."""
    signed = first_signed_seq(session)
    if signed is None:
        return None
    return session.scalar(
        select(func.min(AuditEntryRow.seq)).where(
            AuditEntryRow.session_id.is_(None), AuditEntryRow.seq > max(after, signed)
        )
    )


def unsigned_after_signed(n: int) -> tuple[str, str]:
    """The problem such an entry is, in Danish and English."""
    return (
        f"post {n} er uden underskrift, men kommer efter de underskrevne poster (skrevet uden "
        "om programmet)",
        f"entry {n} is unsigned but comes after the signed entries (written outside the program)",
    )
