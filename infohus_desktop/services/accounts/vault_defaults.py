"""What the Infohus decides for every workstation unless the workstation chose itself: for now
how long an unlocked window may stand idle before it locks (SECURITY.md §7: 5 minutes, 1-30).

The value is a vault setting in clear (a number is no personal data). A workstation whose user
set their own time in Settings keeps it; the others take this one at unlock. A writer of the
database can change it only within the same 1-30 minutes a user may choose.
"""

from __future__ import annotations

import json

from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import SettingRow

IDLE_LOCK_KEY = "idle_lock_minutes"
IDLE_LOCK_RANGE = (1, 30)


class VaultDefaults:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def idle_lock_minutes(self) -> int | None:
        """The Infohus's idle time in minutes, or None when it set none (or it is out of
        range: then the program's own default applies)."""
        self.ms.require(allow_initial_passphrase=True)
        with self.ms.uow() as session:
            row = session.get(SettingRow, IDLE_LOCK_KEY)
            value = _parse(row.value) if row is not None else None
        low, high = IDLE_LOCK_RANGE
        return value if value is not None and low <= value <= high else None

    def set_idle_lock_minutes(self, minutes: int) -> int:
        self.ms.require(Role.COORDINATOR)
        low, high = IDLE_LOCK_RANGE
        if not low <= minutes <= high:
            raise InvalidInput(
                f"Vælg mellem {low} og {high} minutter.",
                f"Choose between {low} and {high} minutes.",
            )
        with self.ms.transaction() as session:
            row = session.get(SettingRow, IDLE_LOCK_KEY)
            if row is None:
                session.add(SettingRow(key=IDLE_LOCK_KEY, value=json.dumps(minutes)))
            else:
                row.value = json.dumps(minutes)
            self.ms.record(session, AuditAction.VAULT_SETTINGS, detail=f"{IDLE_LOCK_KEY}={minutes}")
        return minutes


def _parse(text: str) -> int | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
