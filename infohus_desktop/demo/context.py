"""The context of one demo build: what every build step needs, in one object.

The steps (organisation, persons, case plans, case lives) share the vault, the members'
sessions and *one* seeded random generator and Faker: drawing from them in a fixed order is
what makes the same seed give the same vault.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from faker import Faker

from infohus_desktop.domain.assessment import Indicator
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.services.front_door import MemberServices, Vault

#: ``progress(done, total)``, called after each case.
Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass
class DemoContext:
    """What a build step needs: the vault, each member's session, the seeded generators.
    Later issues (meetings, trend notes, referrals) write their steps against this."""

    vault: Vault
    sessions: dict[str, MemberServices]
    rng: random.Random
    fake: Faker
    today: date
    indicators: tuple[Indicator, ...] = ()
    used_cpr: set[str] = field(default_factory=set)
    #: How many months back the meetings go.
    meeting_months: int = 12
    #: How many of each thing were made ("case", "case.moved", "journal.correction", ...).
    made: Counter[str] = field(default_factory=Counter)

    def days_before(self, days: int) -> date:
        """The day ``days`` before the demo's today: cases lie in the 12 months before it."""
        return self.today - timedelta(days=days)

    def cap(self, day: date) -> date:
        """``day``, or today if later: no date a user types may lie in the future."""
        return min(day, self.today)


def weighted(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    """One of ``pairs``' values, drawn by weight (one draw from ``rng``)."""
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


class StoryClock:
    """The moments of a story told over days (a case's life, a referral's steps), for
    :func:`~infohus_desktop.services.core.clock.played_at`: from 9.00 Danish time on the
    story's day, two minutes later at every stamp (so the history keeps its order and a
    seed gives the same times), never later than the real now."""

    def __init__(self, day: date) -> None:
        self.day, self.stamps = day, 0

    def on(self, day: date) -> None:
        """The story moves on to ``day`` (the same day keeps counting)."""
        if day != self.day:
            self.day, self.stamps = day, 0

    def __call__(self) -> datetime:
        at = datetime.combine(self.day, time(9, 0), COPENHAGEN) + timedelta(minutes=2 * self.stamps)
        self.stamps += 1
        return min(at.astimezone(UTC), datetime.now(UTC))
