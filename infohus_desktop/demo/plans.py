"""Planning the demo's cases before any is made: when each is received, where, from which
source, about what, about whom, and how its life goes (:data:`KINDS`).

Planning first, playing later is what gives the coverage: from 16 cases up every kind of life
occurs once (the rarest first), every source and category at least once, a due follow-up
date exists, and a few persons come back in a later case, so every status, screening outcome
and closing reason and the duplicate check have something to show.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from infohus_desktop.demo.context import DemoContext, weighted
from infohus_desktop.demo.members import MUNICIPALITIES, Municipality
from infohus_desktop.demo.people import address, new_person
from infohus_desktop.domain.cases import DEFAULT_CATEGORIES, Person, Source


@dataclass(frozen=True, slots=True)
class Kind:
    """How a case's life goes: the final status, how old it must be, how common it is."""

    name: str
    min_days: int
    max_days: int
    weight: int


KINDS: tuple[Kind, ...] = (
    Kind("received", 0, 21, 10),
    Kind("screening", 0, 45, 5),
    Kind("more_info", 3, 120, 5),
    Kind("infohus", 10, 364, 8),
    Kind("measures", 30, 364, 10),
    Kind("follow_up", 90, 364, 7),
    Kind("referred", 60, 364, 3),
    Kind("transferred", 45, 364, 2),
    Kind("closed_unfounded", 5, 364, 12),
    Kind("closed_police", 5, 364, 5),
    Kind("closed_other_authority", 5, 364, 6),
    Kind("closed_done", 150, 364, 10),
    Kind("closed_moved", 45, 364, 3),
    Kind("closed_other", 0, 364, 2),
    Kind("reopened", 90, 364, 2),
    Kind("reopened_infohus", 200, 364, 1),
)

SOURCE_WEIGHTS: tuple[tuple[Source, int], ...] = (
    (Source.SCHOOL, 28),
    (Source.SOCIAL_SERVICES, 14),
    (Source.JOB_CENTRE, 8),
    (Source.POLICE, 16),
    (Source.FAMILY, 10),
    (Source.HOTLINE, 8),
    (Source.PSYCHIATRY, 6),
    (Source.KRIMINALFORSORGEN, 5),
    (Source.OTHER, 5),
)
CATEGORY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("hoejreekstremisme", 35),
    ("militant_islamisme", 30),
    ("anden_uklar", 25),
    ("venstreekstremisme", 10),
)


@dataclass
class Plan:
    """One case to be made; :mod:`.case_lives` plays it through the services."""

    received: date
    muni: Municipality
    kind: str = ""
    source: Source = Source.SCHOOL
    category: str = "anden_uklar"
    shared: bool = False
    cpr_known: bool = True
    person: Person | None = None
    follow_up: date | None = None
    repeat_of: int | None = None


def _received_dates(ctx: DemoContext, n: int) -> list[date]:
    """Stratified over the 364 days before today, weekends moved to a working day."""
    out = []
    for i in range(n):
        days = min(364, int((i + ctx.rng.random()) * 365 / max(n, 1)))
        day = ctx.days_before(days)
        if day.weekday() >= 5:
            monday = day + timedelta(days=7 - day.weekday())
            day = monday if monday <= ctx.today else day - timedelta(days=day.weekday() - 4)
        out.append(day)
    return sorted(out)


def plan_cases(ctx: DemoContext, n: int) -> list[Plan]:
    """The plans of ``n`` cases, in order of receipt, with the coverage the module promises."""
    rng = ctx.rng
    muni_weights = [(m, m.weight) for m in MUNICIPALITIES]
    plans = [Plan(day, weighted(rng, muni_weights)) for day in _received_dates(ctx, n)]
    for muni, plan in zip(
        MUNICIPALITIES, rng.sample(plans, min(n, len(MUNICIPALITIES))), strict=False
    ):
        plan.muni = muni
    ages = [(ctx.today - p.received).days for p in plans]
    # Every kind once (the rarest statuses and outcomes first), then the rest by weight.
    free = list(range(n))
    rng.shuffle(free)
    for kind in KINDS:
        if not free:
            break
        fits = [i for i in free if kind.min_days <= ages[i] <= kind.max_days]
        pick = fits[0] if fits else min(free, key=lambda i: _distance(kind, ages[i]))
        plans[pick].kind = kind.name
        free.remove(pick)
    for i in free:
        fitting = [(k.name, k.weight) for k in KINDS if k.min_days <= ages[i] <= k.max_days]
        plans[i].kind = weighted(rng, fitting)
    for plan in plans:
        plan.source = weighted(rng, SOURCE_WEIGHTS)
        plan.category = weighted(rng, CATEGORY_WEIGHTS)
    _cover(rng, plans, "source", list(Source))
    _cover(rng, plans, "category", list(DEFAULT_CATEGORIES))
    for plan in plans:
        plan.shared = plan.muni.name == "Aarhus Kommune" and (
            plan.source == Source.KRIMINALFORSORGEN or rng.random() < 0.08
        )
        plan.cpr_known = rng.random() < 0.85 or plan.source == Source.POLICE
        plan.follow_up = _follow_up(ctx, plan)
    aarhus = [p for p in plans if p.muni.name == "Aarhus Kommune"]
    if aarhus and not any(p.shared for p in aarhus) and n >= 10:
        rng.choice(aarhus).shared = True
    if plans and not any(p.follow_up and p.follow_up < ctx.today for p in plans):
        old = [p for p in plans if p.follow_up and p.received < ctx.days_before(20)]
        if old:
            rng.choice(old).follow_up = ctx.days_before(rng.randint(1, 20))
    for plan in plans:
        plan.person = new_person(ctx, plan.received, plan.muni)
    _repeat_persons(ctx, plans)
    for plan in plans:
        plan.shared = plan.shared and plan.muni.name == "Aarhus Kommune"
    return plans


def _distance(kind: Kind, age: int) -> int:
    """Days by which ``age`` misses the kind's range: for placing a kind no case fits."""
    return max(kind.min_days - age, age - kind.max_days, 0)


def _cover(rng: random.Random, plans: list[Plan], attr: str, values: Sequence[object]) -> None:
    """Make sure every value occurs: give missing ones to cases whose value occurs twice."""
    for value in values:
        counts: dict[object, int] = {}
        for plan in plans:
            counts[getattr(plan, attr)] = counts.get(getattr(plan, attr), 0) + 1
        if counts.get(value):
            continue
        spare = [p for p in plans if counts[getattr(p, attr)] > 1]
        if spare:
            setattr(rng.choice(spare), attr, value)


def _follow_up(ctx: DemoContext, plan: Plan) -> date | None:
    """A follow-up date for a case left open; about a quarter are due already."""
    if plan.kind not in ("more_info", "infohus", "measures", "follow_up", "referred", "reopened"):
        return None
    if ctx.rng.random() < 0.25:
        return ctx.cap(max(plan.received, ctx.days_before(ctx.rng.randint(1, 30))))
    return ctx.today + timedelta(days=ctx.rng.randint(7, 90))


def _repeat_persons(ctx: DemoContext, plans: list[Plan]) -> None:
    """A few persons come back in a later case (one after moving to another municipality)."""
    n = len(plans)
    if n < 6:
        return
    pairs = max(2, n // 25)
    earlier = list(range(n // 2))
    later = list(range(n // 2, n))
    ctx.rng.shuffle(earlier)
    ctx.rng.shuffle(later)
    for k, (i, j) in enumerate(zip(earlier[:pairs], later[:pairs], strict=False)):
        first, second = plans[i], plans[j]
        if k == 0:
            others = [m for m in MUNICIPALITIES if m != first.muni]
            second.muni = ctx.rng.choice(others)
            second.shared = False
        else:
            second.muni = first.muni
        assert first.person is not None
        first.cpr_known = second.cpr_known = True
        second.person = replace(
            first.person,
            address=address(ctx, second.muni) if k == 0 else first.person.address,
            municipality=second.muni.name,
        )
        second.repeat_of = i
