"""The demo's assessments: a first one drawn to fit a concern level, later ones that build on
the one before.

A later assessment is a plausible next step, not a fresh draw: what was unknown mostly becomes
known, a few answers flip, the level moves at most one step (more often down), so the app's
"changes since the previous assessment" has something real to show.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from infohus_desktop.demo.context import weighted
from infohus_desktop.demo.members import (
    JOB_TITLES,
    POLICE_COORDINATOR,
    POLICE_MEMBER,
    Municipality,
    member,
)
from infohus_desktop.demo.texts import (
    INDICATOR_COMMENTS,
    MAIN_PROBLEMS,
    RATIONALE,
    RESOURCES,
)
from infohus_desktop.domain.assessment import (
    FOCUS_AREAS,
    AssessmentInput,
    ConcernLevel,
    Indicator,
    IndicatorAnswer,
    IndicatorState,
    Part,
)


def assessment(
    rng: random.Random,
    indicators: Sequence[Indicator],
    muni: Municipality,
    category: str,
    day: date,
    previous: AssessmentInput | None,
) -> AssessmentInput:
    """An assessment on ``day`` of a case in ``muni`` about ``category``, by the
    municipality's member (and often the police): the first, or the next after ``previous``."""
    if previous is None:
        level = weighted(
            rng, ((ConcernLevel.LOW, 25), (ConcernLevel.MEDIUM, 50), (ConcernLevel.HIGH, 25))
        )
        answers: dict[str, IndicatorAnswer] = {}
        for indicator in indicators:
            if rng.random() < 0.3:
                state = IndicatorState.UNKNOWN
            elif indicator.part == Part.RISK:
                chance = {ConcernLevel.LOW: 0.15, ConcernLevel.MEDIUM: 0.3, ConcernLevel.HIGH: 0.5}
                serious = 0.5 if indicator.serious else 1.0
                present = rng.random() < chance[level] * serious
                state = IndicatorState.PRESENT if present else IndicatorState.ABSENT
            else:
                state = IndicatorState.PRESENT if rng.random() < 0.5 else IndicatorState.ABSENT
            answers[indicator.code] = _answer(indicator.code, state)
        focus = tuple(sorted(rng.sample(list(FOCUS_AREAS), rng.randint(1, 3))))
        resources = rng.choice(RESOURCES)
    else:
        # What was unknown is now known, and a few things moved with the level.
        steps = list(ConcernLevel)
        index = steps.index(previous.level) + rng.choice((-1, -1, 0, 1))
        level = steps[max(0, min(index, len(steps) - 1))]
        answers = dict(previous.answers)
        for code, answer in previous.answers.items():
            if answer.state == IndicatorState.UNKNOWN and rng.random() < 0.7:
                state = IndicatorState.PRESENT if rng.random() < 0.35 else IndicatorState.ABSENT
                answers[code] = _answer(code, state)
            elif rng.random() < 0.12:
                flipped = (
                    IndicatorState.ABSENT
                    if answer.state == IndicatorState.PRESENT
                    else IndicatorState.PRESENT
                )
                answers[code] = _answer(code, flipped)
        focus = previous.focus_areas
        if rng.random() < 0.4:
            focus = tuple(sorted({*focus, rng.choice(list(FOCUS_AREAS))}))
        resources = previous.resources
        if rng.random() < 0.4:
            resources = rng.choice(RESOURCES)
    assessors = [f"{member(muni.member).name} ({JOB_TITLES[muni.member]})"]
    if rng.random() < 0.7:
        police = rng.choice((POLICE_MEMBER, POLICE_COORDINATOR))
        assessors.append(f"{member(police).name} ({JOB_TITLES[police]})")
    return AssessmentInput(
        answers=answers,
        main_problems=MAIN_PROBLEMS.get(category, MAIN_PROBLEMS["anden_uklar"]),
        resources=resources,
        focus_areas=focus,
        level=level,
        rationale=RATIONALE[level],
        assessors=tuple(assessors),
        assessed_on=day,
    )


def _answer(code: str, state: IndicatorState) -> IndicatorAnswer:
    """An answer with the comment a member would write for that indicator and state."""
    present, absent = INDICATOR_COMMENTS.get(code, ("", ""))
    comment = {IndicatorState.PRESENT: present, IndicatorState.ABSENT: absent}.get(state, "")
    return IndicatorAnswer(state, comment)
