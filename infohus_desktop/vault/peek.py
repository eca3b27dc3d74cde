"""The unlock screen's view of an SQLite vault, read with the standard library's ``sqlite3``.

To list the members the unlock screen needs the district's name and the active logins, both
kept in clear. Reading them through the vault services would load SQLAlchemy's ORM, the
schema and the services first, most of a cold start (issue 17), so this reads them with a
plain connection instead, on the worker thread like every database access. It answers only
when the vault is exactly as the services would find it (an SQLite file, the schema at the
packaged head, the vault's info row present); anything else, and every error, returns None,
and the caller opens the vault the full way, which migrates or reports as it always has.

The command line reads one thing more the same way: what a member's key derivation needs
(:func:`peek_member_kdf`), so that ``infohus`` can derive the key before it loads those
libraries (``services/accounts/key_ahead.py``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from infohus_desktop.vault.revisions import packaged_head
from infohus_desktop.vault.urls import file_of_url

_SQLITE_PREFIXES = ("sqlite+pysqlite:///", "sqlite:///")
#: ``domain.backups.RESTORE_PENDING``, spelled out: that module (with ``uuid``) took 4 ms of
#: the unlock screen's start (a test holds the two equal).
RESTORE_PENDING = "restore_pending"


@dataclass(frozen=True, slots=True)
class VaultPeek:
    """What the unlock screen shows of a vault before it is opened: no personal data."""

    infohus_name: str
    location: str
    logins: list[str]


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite vault URL (no query, not in memory), else None."""
    for prefix in _SQLITE_PREFIXES:
        if url.startswith(prefix):
            database = url[len(prefix) :]
            if not database or "?" in database or database.startswith((":", "file:", "~")):
                return None
            return Path(file_of_url(url))
    return None


def peek_sqlite(url: str) -> VaultPeek | None:
    """The name and active logins of the SQLite vault at ``url``, or None (see the module)."""
    connection = _connect_at_head(url)
    if connection is None:
        return None
    try:
        info = connection.execute("SELECT infohus_name FROM vault_info WHERE id = 1").fetchall()
        if len(info) != 1 or not isinstance(info[0][0], str):
            return None
        logins = connection.execute(
            "SELECT login FROM members WHERE active = 1 ORDER BY login"
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return VaultPeek(info[0][0], str(sqlite_file(url)), [str(login) for (login,) in logins])


@dataclass(frozen=True, slots=True)
class MemberKdf:
    """The inputs of an active member's key derivation besides the passphrase, as stored, and
    what decides whether the unlock would try it at all: the vault's id (is its root pinned
    here?) and whether a restore was cut off (``restore_pending``).

    Nothing secret, and nothing trusted: the unlock reads them again in its own transaction
    and uses a key derived from these only when they are the same (``VaultService.unlock``).
    """

    vault_id: str
    params_json: str
    salt: bytes
    failed_unlocks: int
    restore_pending: bool


def peek_member_kdf(url: str, login: str) -> MemberKdf | None:
    """The KDF parameters, salt and failure count of the active member ``login`` of the
    SQLite vault at ``url``, with the vault's id and restore mark; None as for the unlock
    screen's peek (see the module), and for an unknown login."""
    connection = _connect_at_head(url)
    if connection is None:
        return None
    try:
        info = connection.execute("SELECT vault_id FROM vault_info WHERE id = 1").fetchall()
        rows = connection.execute(
            "SELECT kdf_params, kdf_salt, failed_unlocks FROM members"
            " WHERE login = ? AND active = 1",
            (login.strip().lower(),),
        ).fetchall()
        pending = connection.execute(
            "SELECT 1 FROM vault_settings WHERE key = ?", (RESTORE_PENDING,)
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    if len(info) != 1 or len(rows) != 1:
        return None
    (vault_id,), (params_json, salt, failures) = info[0], rows[0]
    if not (
        isinstance(vault_id, str)
        and isinstance(params_json, str)
        and isinstance(salt, bytes)
        and type(failures) is int
    ):
        return None
    return MemberKdf(vault_id, params_json, salt, failures, bool(pending))


def _connect_at_head(url: str) -> sqlite3.Connection | None:
    """A connection to the SQLite vault at ``url`` when its schema is at the packaged head;
    else None, the connection closed. A path the system refuses (too long, a directory
    without access) is None too: the full open reports it as it always has."""
    path, head = sqlite_file(url), packaged_head()
    if path is None or head is None:
        return None
    try:
        if not path.is_file():
            return None
        # mode=rw: never creates a file (the services' open would report a missing vault).
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=10)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        connection.close()
        return None
    if revisions != [(head,)]:
        connection.close()
        return None
    return connection
