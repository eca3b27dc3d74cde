"""Listening for other workstations' commits on a PostgreSQL vault (``LISTEN``).

One background thread with one connection of its own, so that neither the GUI thread nor the
service worker ever waits for a notification. The connection comes from the vault's engine
(``raw_connection`` then ``detach``): whatever the engine does to connect (TLS settings, a
service file, a password asked for) holds for it too, and it leaves the pool, so it never
serves a unit of work. When the connection drops the thread connects again at once; if that
fails it calls ``on_lost`` and tries again after 0.5 s, doubling to 30 s. After a reconnect
``on_reconnect`` is called, because notices sent while it was away are lost (``NOTIFY``
keeps nothing for an absent listener).

The listener is the one part of an idle window that talks to the server, so ``on_lost`` is
how the window learns of an outage while nobody works in it: without it the bar saying the
connection is lost waited for the member's next click. A connection dropped while the
server still answers (its backend ended by an administrator, an idle timeout) is no outage:
the immediate reconnect succeeds, and nothing is said.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

#: Failures that mean "the server is not reachable now": try again later.
_CONNECTION_TROUBLE = (psycopg.Error, DBAPIError, OSError)


class ChangeListener:
    """A thread that hands every payload on ``channel`` to ``deliver`` (on that thread)."""

    def __init__(
        self,
        engine: Engine,
        channel: str,
        deliver: Callable[[str], None],
        on_reconnect: Callable[[], None] = lambda: None,
        on_lost: Callable[[], None] = lambda: None,
        *,
        poll: float = 0.25,
        first_delay: float = 0.5,
        max_delay: float = 30.0,
        keepalive: float = 20.0,
    ) -> None:
        self._engine = engine
        self._channel = channel
        self._deliver = deliver
        self._on_reconnect = on_reconnect
        self._on_lost = on_lost
        self._poll, self._first_delay, self._max_delay = poll, first_delay, max_delay
        self._keepalive = keepalive
        self._stop = threading.Event()
        #: Set while a connection is listening (tests wait for it before writing).
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="infohus-live-updates", daemon=True)

    # -- control (any thread) -----------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end; it does within ``poll`` seconds (or when a connection
        attempt under way gives up). Does not wait: see :meth:`join`."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True when it has."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # -- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        delay = self._first_delay
        connected_before = False
        told_lost = False
        while not self._stop.is_set():
            connection = self._connect()
            if connection is None:
                if connected_before and not told_lost and not self._stop.is_set():
                    # The server does not answer: the vault's server link shows the bar,
                    # and its probe clears it when the server is back.
                    self._safely(self._on_lost)
                    told_lost = True
                self._stop.wait(delay)
                delay = min(delay * 2, self._max_delay)
                continue
            opened = time.monotonic()
            try:
                if connected_before:
                    self._safely(self._on_reconnect)
                connected_before, told_lost = True, False
                delay = self._first_delay
                self._listen(connection)
            except _CONNECTION_TROUBLE:
                pass  # dropped: connect again at once (above), and say so if that fails
            finally:
                self.listening.clear()
                _close_quietly(connection)
            if not self._stop.is_set() and time.monotonic() - opened < self._first_delay:
                # Dropped as soon as it was made: not a loop of connections at full speed.
                self._stop.wait(delay)
                delay = min(delay * 2, self._max_delay)

    @staticmethod
    def _safely(call: Callable[..., object], *args: object) -> None:
        """One notice's handling failing (a malformed payload from whoever may NOTIFY, a
        window already closing) must not end the listener for the rest of the session."""
        with contextlib.suppress(Exception):
            call(*args)

    def _connect(self) -> psycopg.Connection[Any] | None:
        try:
            pooled = self._engine.raw_connection()
        except _CONNECTION_TROUBLE:
            return None
        connection = pooled.driver_connection
        pooled.detach()  # ours alone: it never goes back to the pool
        if not isinstance(connection, psycopg.Connection):
            pooled.close()
            return None
        try:
            connection.rollback()  # the pool's ping may have opened a transaction
            connection.autocommit = True
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        except _CONNECTION_TROUBLE:
            _close_quietly(connection)
            return None
        return connection

    def _listen(self, connection: psycopg.Connection[Any]) -> None:
        self.listening.set()
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            for notice in connection.notifies(timeout=self._poll):
                quiet_since = time.monotonic()
                if notice.channel == self._channel:
                    self._safely(self._deliver, notice.payload)
                if self._stop.is_set():
                    return
            if time.monotonic() - quiet_since > self._keepalive:
                # A connection that died without a word is found out here, not never.
                connection.execute("SELECT 1")
                quiet_since = time.monotonic()


def _close_quietly(connection: psycopg.Connection[Any]) -> None:
    with contextlib.suppress(*_CONNECTION_TROUBLE):
        connection.close()
