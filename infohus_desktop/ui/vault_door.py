"""A vault as the unlock screen knows it: its name, its location and its logins, and the way
to open it fully.

The services behind :class:`~infohus_desktop.services.front_door.Vault` (SQLAlchemy's ORM,
the schema, the crypto of the unlock) take most of a cold start to import, and the unlock
screen needs none of them to list its members (issue 17). So the window first *peeks* at an
SQLite vault with the standard library (:mod:`infohus_desktop.vault.peek`), shows the unlock
screen, and once it lists the members opens the vault the full way on the worker, while the
member types the passphrase. Every method that touches the database or imports the services
runs on the worker (``ui/tasks.py``): :meth:`VaultDoor.at`, :meth:`logins`, :meth:`open` and
:meth:`close`. The worker runs its tasks one at a time in order, so an unlock submitted after
the full open finds the vault open; one submitted before would open it itself.

The peek is the only read of a vault that may come before the crypto self-test has passed
(the window's worker gate, ``ui/tasks.py``): it reads the names the unlock screen shows and
nothing else. :meth:`at` passes the gate before it opens a vault the full way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from infohus_desktop.local_state import LocalState
from infohus_desktop.vault.peek import VaultPeek, peek_sqlite

if TYPE_CHECKING:
    from infohus_desktop.services.front_door import Vault


class VaultDoor:
    def __init__(
        self, url: str, local: LocalState, peek: VaultPeek | None = None, vault: Vault | None = None
    ) -> None:
        assert peek is not None or vault is not None
        self.url, self.local = url, local
        self._peek = peek
        #: The peek's logins are shown once, on the first unlock screen; later ones (after a
        #: lock) ask the open vault, which sees members added since.
        self._peek_logins_spent = False
        #: Set on the worker by :meth:`open`; read on the GUI thread only after that task.
        self.vault = vault

    @classmethod
    def at(
        cls, url: str, local: LocalState, before_open: Callable[[], None] = lambda: None
    ) -> VaultDoor:
        """Worker: the light read when it can answer, else the vault opened the full way
        (a PostgreSQL vault, one with migrations to run, or one that is not a vault, whose
        error is then the services' own), after ``before_open`` (the self-test's gate)."""
        peek = peek_sqlite(url)
        if peek is not None:
            return cls(url, local, peek=peek)
        before_open()
        return cls(url, local, vault=_open(url, local))

    @classmethod
    def of(cls, vault: Vault) -> VaultDoor:
        """The door of a vault already open (a new vault, made by the wizard)."""
        return cls(vault.url, vault.local, vault=vault)

    @property
    def infohus_name(self) -> str:
        if self.vault is not None:
            return self.vault.infohus_name
        assert self._peek is not None
        return self._peek.infohus_name

    @property
    def location(self) -> str:
        if self.vault is not None:
            return self.vault.location
        assert self._peek is not None
        return self._peek.location

    def peeked_logins(self) -> list[str] | None:
        """GUI thread: the peek's logins if they have not been shown yet, else None (then
        :meth:`logins` asks the vault on the worker). Memory only: the peek read them."""
        if self._peek is None or self._peek_logins_spent:
            return None
        self._peek_logins_spent = True
        return list(self._peek.logins)

    def logins(self) -> list[str]:
        """Worker: the active logins; the peek's the first time, then the vault's own."""
        if self._peek is not None and not self._peek_logins_spent:
            self._peek_logins_spent = True
            return list(self._peek.logins)
        return self.open().logins()

    def open(self) -> Vault:
        """Worker: the vault with its services, opened once; the feature services and the
        modules of the work areas made at unlock are then imported too, while the member is
        still typing (``front_door.load_features``, ``work_area.load_views``)."""
        if self.vault is None:
            self.vault = _open(self.url, self.local)
            from infohus_desktop.services.front_door import load_features
            from infohus_desktop.ui.work_area import load_views

            load_features()
            load_views()
        return self.vault

    def close(self) -> None:
        """Worker: release the vault's connections, if it was opened."""
        if self.vault is not None:
            self.vault.close()


def _open(url: str, local: LocalState) -> Vault:
    from infohus_desktop.services.front_door import Vault

    return Vault.open(url, local)
