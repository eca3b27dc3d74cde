"""The link to a shared PostgreSQL server, and what a unit of work does when it breaks.

A server restart or a dropped network breaks the connection under a unit of work. Where it
breaks decides what is true afterwards:

* **Before COMMIT was sent** (a query, a flush, the ``before_commit`` work): the server throws
  the transaction away when it notices the broken connection. Nothing was saved; the same work
  may be done again as a new transaction. :class:`ConnectionLost` with ``saved=False``.
* **After COMMIT was sent, before its answer arrived**: the transaction may or may not have
  committed. Trying the SQL again blindly could apply it twice (a second journal entry, a case
  number taken twice, an audit entry twice). Instead the unit of work *asks*: every audited
  transaction appends an audit entry with a fresh client-made id (vault/audit_chain.py) in
  the same transaction as the change, so that id is the transaction's commit marker. On a
  fresh connection the unit of work first takes the audit chain's advisory lock (so the first
  attempt, if the server still runs it, has ended either way), then looks the marker up:
  present → the commit landed and the unit of work ends as if COMMIT had answered; absent →
  nothing was saved (``saved=False``); no answer within :data:`SETTLE_SECONDS` (the server is
  still away) → ``saved=None``, said honestly to the user, who checks before doing it again.
  A transaction without an audit entry has no marker: ``saved=None`` too.

:class:`ServerLink` tells whoever listens (the desktop window's banner) that the connection
was lost and that it is back, from whichever thread noticed; it knows no Qt.
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import ConnectionLost, VaultUnavailable
from infohus_desktop.vault.schema import AuditEntryRow

#: ``Session.info`` key of the id of the last audit entry the transaction appended.
COMMIT_MARKER = "infohus.commit_marker"
#: ``Session.info`` key: ask once, do not wait for the server (a transaction whose outcome
#: nobody waits for, such as the audit entry of a read that is then not shown).
ASK_ONCE = "infohus.ask_once"
#: How long a unit of work keeps asking whether an interrupted commit landed before it says
#: "unknown": a server restart takes seconds; a longer outage ends in ``saved=None``.
SETTLE_SECONDS = 20.0
#: The audit chain's advisory lock (engine.UnitOfWork.lock_audit_chain takes the same).
AUDIT_CHAIN_LOCK = 4711001

#: libpq settings a PostgreSQL URL gets unless it names them itself: give up connecting
#: after 10 s, and notice a silent network (no RST, no FIN) within about 20 s instead of the
#: operating system's minutes to hours.
CONNECTION_DEFAULTS = {
    "connect_timeout": "10",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "3",
    "keepalives_count": "3",
    "tcp_user_timeout": "20000",
}

# SQLSTATEs of a connection that is gone or cannot be had: class 08 (connection exception),
# and the server shutting down, crashing or starting up (57P01-57P03).
_GONE_STATES = ("57P01", "57P02", "57P03")

_commit = threading.local()

# Statements that change nothing a COMMIT would keep; anything else counts as a write.
_READING = re.compile(r"\s*(SELECT|SHOW|SET|BEGIN|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
_wrote: weakref.WeakKeyDictionary[Connection, bool] = weakref.WeakKeyDictionary()
_wrote_lock = threading.Lock()


def with_connection_defaults(url: URL) -> URL:
    """``url`` with :data:`CONNECTION_DEFAULTS` for what neither it nor the libpq service it
    names sets (a parameter in the URL wins over the service file, so a default may only
    fill what the service leaves open: without them a silently dead network holds a call,
    and the lock queued behind it, for as long as the operating system waits)."""
    given = set(url.query)
    service = url.query.get("service")
    if isinstance(service, str):
        from infohus_desktop.vault.server_tls import service_definition

        servicefile = url.query.get("servicefile")
        try:
            lines = service_definition(
                service, servicefile if isinstance(servicefile, str) else None, os.environ
            )
        except VaultUnavailable:
            return url  # the transport check says what is wrong with the service
        given |= {key for key, _value in lines}
    missing = {k: v for k, v in CONNECTION_DEFAULTS.items() if k not in given}
    return url.update_query_dict(missing) if missing else url


def is_connection_loss(exc: DBAPIError) -> bool:
    """Whether ``exc`` means the connection is gone or could not be made (as opposed to a
    refused statement, a deadlock or a lock timeout, which leave the connection usable)."""
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if orig is None:
        return False
    state = getattr(orig, "sqlstate", None)
    if state is None:
        # A client-side failure of the driver: connection refused, server closed the
        # connection, the connection is closed. The driver's own errors carry no SQLSTATE.
        return type(orig).__module__.startswith("psycopg") and type(orig).__name__ in (
            "OperationalError",
            "InterfaceError",
        )
    return str(state).startswith("08") or state in _GONE_STATES


def note_commit_sent(*_args: Any) -> None:
    """Engine ``commit`` event: COMMIT is about to go to the server on this thread."""
    _commit.sent = True


def note_statement(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    """Engine ``before_cursor_execute`` event: remember a connection that wrote (a session
    takes a new :class:`Connection` for each transaction, so nothing needs resetting)."""
    if not _READING.match(statement):
        with _wrote_lock:
            _wrote[connection] = True


def wrote(connection: Connection | None) -> bool:
    """Whether the transaction on ``connection`` sent anything but reads: a read-only
    transaction whose COMMIT went unanswered lost nothing."""
    if connection is None:
        return False
    with _wrote_lock:
        return _wrote.get(connection, False)


def reset_commit_sent() -> None:
    _commit.sent = False


def commit_was_sent() -> bool:
    return bool(getattr(_commit, "sent", False))


def nothing_saved() -> ConnectionLost:
    return ConnectionLost(
        # Said of a read as well as of a save: what a dialog holds stays in it.
        "Forbindelsen til serveren er afbrudt. Intet blev gemt. Prøv igen, når forbindelsen "
        "er tilbage; et åbent vindue beholder det, du har skrevet i det.",
        "The connection to the server was lost. Nothing was saved. Try again when the "
        "connection is back; an open window keeps what you typed in it.",
        saved=False,
    )


def unknown_if_saved(marker: uuid.UUID | None = None) -> ConnectionLost:
    return ConnectionLost(
        "Forbindelsen til serveren blev afbrudt, mens ændringen blev gemt, og det er uvist, "
        "om den nåede at blive gemt. Kontrollér det, når forbindelsen er tilbage, før du "
        "gemmer igen.",
        "The connection to the server was lost while the change was being saved, and it is "
        "unknown whether it was saved. Check when the connection is back, before you save "
        "again.",
        saved=None,
        marker=marker,
    )


Listener = Callable[[bool], None]


class ServerLink:
    """Whether the last contact with the server worked, and who wants to know when that
    changes. :meth:`lost` and :meth:`back` may be called from any thread; a listener is
    called on that thread with ``True`` (back) or ``False`` (lost), once per change."""

    def __init__(self) -> None:
        # Re-entrant: listeners are called under it (below), and one may ask ``up``.
        self._lock = threading.RLock()
        self._up = True
        self._listeners: list[Listener] = []

    @property
    def up(self) -> bool:
        return self._up

    def listen(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def lost(self) -> None:
        self._set(False)

    def back(self) -> None:
        if not self._up:  # the common case costs one attribute read
            self._set(True)

    def _set(self, up: bool) -> None:
        # Listeners are told under the lock, so that they hear the changes in the order
        # they happened: the live updates' thread (lost) and the worker (back) may change
        # it at once, and a window told "back, lost" while the link was up kept its bar
        # for good (review). A listener only queues a signal; it never waits.
        with self._lock:
            if self._up == up:
                return
            self._up = up
            for listener in list(self._listeners):
                listener(up)


class CommitCheck:
    """Find out whether an interrupted commit landed, by its marker (see the module text)."""

    def __init__(
        self,
        engine: Engine,
        settle_seconds: float = SETTLE_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.engine = engine
        self.settle_seconds = settle_seconds
        self.sleep = sleep

    def landed(self, marker: uuid.UUID, once: bool = False) -> bool | None:
        """``True``/``False`` as soon as the server answers; ``None`` if it has not within
        :attr:`settle_seconds` (at the first failure, if ``once``). Asks again on a fresh
        connection each time, never writes."""
        deadline = time.monotonic() + (0.0 if once else self.settle_seconds)
        delay = 0.1
        while True:
            try:
                return self._ask(marker)
            except DBAPIError:
                # The server is still away (or the first attempt still holds the chain lock
                # past the lock timeout): ask again until the deadline.
                pass
            if time.monotonic() + delay > deadline:
                return None
            self.sleep(delay)
            delay = min(delay * 2, 1.0)

    def _ask(self, marker: uuid.UUID) -> bool:
        with Session(self.engine) as session, session.begin():
            if self.engine.dialect.name != "sqlite":
                session.execute(text("SET LOCAL lock_timeout = '5s'"))
                session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_CHAIN_LOCK})"))
            found = session.scalar(select(AuditEntryRow.seq).where(AuditEntryRow.id == marker))
            return found is not None
