"""Declared settings of the desktop app: key, default, type and allowed range in one place.

They live in the workstation's ``settings.json`` (``LocalState`` preferences), next to the
pinned root fingerprints; none of them is personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from infohus_desktop.local_state import LocalState

#: SECURITY.md: lock after 5 minutes idle, configurable from 1 to 30.
IDLE_LOCK_DEFAULT_MINUTES = 5
IDLE_LOCK_RANGE = (1, 30)
#: A name or CPR number copied to the clipboard is cleared after this long, and on lock.
CLIPBOARD_CLEAR_SECONDS = 15
LANGUAGES = ("da", "en")


@dataclass(frozen=True, slots=True)
class UiSettings:
    language: str = "da"
    idle_lock_minutes: int = IDLE_LOCK_DEFAULT_MINUTES
    #: The start page shows persons' names only when the member chose it on this computer.
    overview_names: bool = False


def load_settings(local: LocalState) -> UiSettings:
    lang = local.get("language", "da")
    minutes = local.get("idle_lock_minutes", IDLE_LOCK_DEFAULT_MINUTES)
    if lang not in LANGUAGES:
        lang = "da"
    if not isinstance(minutes, int) or not IDLE_LOCK_RANGE[0] <= minutes <= IDLE_LOCK_RANGE[1]:
        minutes = IDLE_LOCK_DEFAULT_MINUTES
    return UiSettings(lang, minutes, local.get("overview_names", False) is True)


def has_own_idle_lock(local: LocalState) -> bool:
    """Whether this workstation's user chose an idle time (else the Infohus's default, set by
    a coordinator under Administration, applies after unlock)."""
    return local.get("idle_lock_minutes") is not None


def save_settings(local: LocalState, settings: UiSettings) -> None:
    low, high = IDLE_LOCK_RANGE
    local.set("language", settings.language if settings.language in LANGUAGES else "da")
    local.set("idle_lock_minutes", max(low, min(high, settings.idle_lock_minutes)))
    local.set("overview_names", bool(settings.overview_names))
