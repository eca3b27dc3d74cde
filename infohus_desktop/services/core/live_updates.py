"""Other workstations' changes, as they commit on a district server (PostgreSQL).

Every unit of work that commits a change sends one notice in its own transaction
(:meth:`MemberSession._announce`); :meth:`LiveUpdates.listen` starts the thread that receives
them and hands each one, as a :class:`Changes` with its origin, to the caller: the app
publishes it to the same feed as its own changes. A SQLite vault has one workstation, so
there is nothing to listen for. Who made a change is looked up only when a screen asks
(:meth:`LiveUpdates.changed_by`), on the worker, from the sealed id in the notice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from infohus_desktop.domain.change_notices import CHANNEL, decode_notice
from infohus_desktop.domain.changes import Area, ChangeOrigin, Changes
from infohus_desktop.services.core.change_notices import member_name, open_member
from infohus_desktop.services.core.session import MemberSession

if TYPE_CHECKING:  # psycopg under it: imported by listen(), for a PostgreSQL vault only
    from infohus_desktop.vault.change_listener import ChangeListener as ChangeListener

__all__ = ["MISSED", "LiveUpdates"]

#: What may have been missed while the connection was down: every area a list shows.
MISSED = Changes(frozenset({Area.CASES, Area.MEETINGS, Area.TRENDS, Area.REFERRALS}))


class LiveUpdates:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    @property
    def available(self) -> bool:
        return self.ms.vault.uow.announces

    def listen(self, deliver: Callable[[Changes], None]) -> ChangeListener | None:
        """Start listening (None on SQLite). ``deliver`` is called on the listener's
        thread, never for this unlock's own notices (their changes were delivered by the
        worker already). The caller stops the listener on lock."""
        if not self.available:
            return None
        # psycopg (the listener's driver) is imported only for a PostgreSQL vault: an
        # SQLite vault never needs it, and the unlock loads this module (issue 17).
        from infohus_desktop.vault.change_listener import ChangeListener

        own = self.ms.notice_id

        def received(payload: str) -> None:
            changes = decode_notice(payload)
            if changes is not None and changes.origin and changes.origin.session != own:
                # A feed already gone (the app quitting) must not end the listener's thread
                # with an error in the middle of its clean stop.
                with contextlib.suppress(RuntimeError):
                    deliver(changes)

        listener = ChangeListener(
            self.ms.vault.uow.engine,
            CHANNEL,
            received,
            lambda: deliver(MISSED),
            on_lost=self.ms.vault.server_link.lost,
        )
        listener.start()
        return listener

    def changed_by(self, origin: ChangeOrigin) -> str | None:
        """The display name of the member who made a change (names are readable to every
        member), or None when the notice does not say in a way this member can open."""
        self.ms.require()
        with self.ms.uow() as session:
            member_id = open_member(self.ms.keyring, session, origin.member, origin.session)
            if member_id is None:
                return None
            return member_name(self.ms.keyring, session, member_id)
