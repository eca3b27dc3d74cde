"""What changed: the one small value every open screen gets after a change, to decide whether
to refresh.

Every change in the vault writes an audit entry in the same transaction (fail closed), so
the audit actions are already a complete, typed record of what a call changed. A committed
transaction's entries become a :class:`Changes`: the areas of the work that changed and the
ids of the objects, never any content. The app's worker hands it to the screens after each
call; the district server's live updates feed the same channel with other
workstations' changes (models: Anki's ``OpChanges``, Electrum's event listeners).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


class Area(enum.StrEnum):
    """A part of the work that a screen shows."""

    CASES = "cases"
    MEETINGS = "meetings"
    TRENDS = "trends"
    REFERRALS = "referrals"
    ACCOUNTS = "accounts"


#: The first word of an audit action names its area.
_AREA_OF_WORD: dict[str, Area] = {
    "case": Area.CASES,
    "retention": Area.CASES,
    "meeting": Area.MEETINGS,
    "trend": Area.TRENDS,
    "referral": Area.REFERRALS,
    "bundle": Area.REFERRALS,
    "member": Area.ACCOUNTS,
    "group": Area.ACCOUNTS,
    "municipality": Area.ACCOUNTS,
    "passphrase": Area.ACCOUNTS,
}

#: An action with one of these words only looks: reading, listing, searching, printing,
#: exporting and checking change nothing a screen shows.
_LOOKING_WORDS = frozenset(
    {
        "read",
        "list",
        "case_list",
        "search",
        "duplicate_check",
        "name_check",
        "pdf",
        "print",
        "save",
        "csv",
        "ics",
        "export",
        "inspect",
        "compute",
        "refresh",
        "verify",
        "rejected",
        "personal_data_confirmed",
        # A finding, not a change: a list that met a tampered row must not be asked to
        # reload by its own report (it would meet the row again, and again).
        "tampered",
        "due",
        "tombstones",
        "restore_accepted",
    }
)

#: Reading a setting: its own action, whose words would otherwise say "change".
_LOOKING_ACTIONS = frozenset({"case.categories", "case.indicators"})

#: Actions that change who holds which group's key: what a member may read changed, in
#: every area that keeps content by group, though no object of it did. A screen of those
#: areas reads again in full (a member removed from a group must not keep its cases on
#: screen until they refresh by hand).
_ACCESS_ACTIONS = frozenset({"group.member.add", "group.member.remove", "member.role"})
_CONTENT_AREAS = frozenset({Area.CASES, Area.MEETINGS, Area.TRENDS, Area.REFERRALS})

#: More objects than this in one value and the ids are dropped: "much changed in this
#: area" is then the useful message, and the value stays small.
MAX_OBJECTS = 500


def area_of(action: str) -> Area | None:
    """The area an audit action changes, or None when the action only looks or is no
    change of data (login, lock)."""
    words = action.split(".")
    if action in _LOOKING_ACTIONS or _LOOKING_WORDS.intersection(words):
        return None
    return _AREA_OF_WORD.get(words[0])


@dataclass(frozen=True, slots=True)
class ChangeOrigin:
    """Where a change made on another workstation came from (district server live updates).

    ``session`` is that unlock's random id (nothing about the person or the machine);
    ``member`` is the changing member's id sealed under the directory key, so that only a
    member can tell who it was (``services/core/change_notices.py``); ``at`` is when."""

    session: str
    member: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Changes:
    """Areas that changed, and the ids of the changed objects when there are few enough.

    ``objects`` empty with an area present means "something in this area changed".
    ``origin`` is set when another workstation made the change, None for this one's."""

    areas: frozenset[Area] = frozenset()
    objects: frozenset[str] = frozenset()
    origin: ChangeOrigin | None = None

    def __bool__(self) -> bool:
        return bool(self.areas)

    def touches(self, area: Area, object_id: object | None = None) -> bool:
        """Whether a screen showing ``area`` (or one object of it) should refresh."""
        if area not in self.areas:
            return False
        if object_id is None or not self.objects:
            return True
        return str(object_id) in self.objects

    def merged(self, other: Changes) -> Changes:
        if not other:
            return self
        if not self:
            return other
        objects = self.objects | other.objects
        if not self.objects or not other.objects or len(objects) > MAX_OBJECTS:
            objects = frozenset()
        origin = self.origin if self.origin == other.origin else None
        return Changes(self.areas | other.areas, objects, origin)

    @classmethod
    def of(cls, entries: Iterable[tuple[str, object | None]]) -> Changes:
        """The changes recorded by ``(action, object id)`` audit entries."""
        areas: set[Area] = set()
        objects: set[str] = set()
        whole_area = False
        for action, object_id in entries:
            area = area_of(action)
            if area is None:
                continue
            areas.add(area)
            if action in _ACCESS_ACTIONS:
                areas.update(_CONTENT_AREAS)
                whole_area = True  # the group's or member's id names nothing those screens show
            elif object_id is None:
                whole_area = True  # e.g. a setting: every object of the area may look different
            else:
                objects.add(str(object_id))
        if whole_area or len(objects) > MAX_OBJECTS:
            objects.clear()
        return cls(frozenset(areas), frozenset(objects))
