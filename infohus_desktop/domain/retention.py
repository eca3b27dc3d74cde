"""Retention (*opbevaring*) and deletion of concern cases: the rules, the deletion date, holds.

No public rule fixes how long an Infohus keeps a case (DOMAIN.md): the Infohus sets the periods
with its data-protection officer, per closing reason, and a retention class can replace the
period for a case that needs a shorter or longer one. The product ships a starting point that
says it is one (``configured`` false) until a coordinator sets the rules.

A case gets its deletion date when it is closed: the day it was closed plus the period, and
loses it when it is reopened (the date is computed from the latest closing, so a change of the
rules moves every date). A hold (*sletteblokering*: a complaint, a court case, a request for
insight in progress) keeps a case until its end date, whatever its deletion date.
"""

from __future__ import annotations

import calendar
import enum
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from infohus_desktop.domain.cases import RetentionClass
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.workflow import ClosingReason


class RetentionAction(enum.StrEnum):
    """Audit actions of retention and deletion."""

    RULES = "retention.rules"
    DUE = "retention.due"
    HOLD = "case.hold"
    RELEASE = "case.hold.release"
    DELETE = "case.delete"
    TOMBSTONES = "retention.tombstones"


#: The audit log is kept at least this long (months), whatever a coordinator sets.
AUDIT_MONTHS_FLOOR = 13
#: Cases due within this many days are listed as coming up.
DUE_SOON_DAYS = 30
#: The longest period a rule may name: 50 years.
MAX_MONTHS = 600


@dataclass(frozen=True, slots=True)
class RetentionRules:
    """Months after closing, per closing reason; a class other than standard may replace it."""

    by_reason: dict[ClosingReason, int]
    by_class: dict[RetentionClass, int] = field(default_factory=dict)
    audit_months: int = AUDIT_MONTHS_FLOOR
    #: False for the shipped starting point: the Infohus has not set its own rules yet.
    configured: bool = False
    #: Months the sending Infohus keeps a case it handed over (*overdraget*) to another
    #: Infohus, after the day it did: the case lives on there; here it documents the handover.
    transferred: int = 6

    def months(self, reason: ClosingReason | None, retention: RetentionClass) -> int:
        """The period of a case: its class's if the class has one (not for standard),
        else its closing reason's."""
        if retention is not RetentionClass.STANDARD and retention in self.by_class:
            return self.by_class[retention]
        return self.by_reason.get(
            reason or ClosingReason.OTHER, self.by_reason[ClosingReason.OTHER]
        )


#: The starting point, until the Infohus sets its own with its DPO: two years after closing,
#: six months for a case closed as unfounded; the classes halve or extend that.
DEFAULT_RULES = RetentionRules(
    by_reason={
        ClosingReason.UNFOUNDED: 6,
        ClosingReason.POLICE: 24,
        ClosingReason.OTHER_AUTHORITY: 24,
        ClosingReason.MEASURES_DONE: 24,
        ClosingReason.MOVED_AWAY: 24,
        ClosingReason.OTHER: 24,
    },
    by_class={RetentionClass.MINIMAL: 6, RetentionClass.EXTENDED: 60},
    transferred=6,
)


def shortened_periods(old: RetentionRules, new: RetentionRules) -> list[tuple[str, str]]:
    """What ``new`` makes shorter than ``old``, as (Danish, English) names: the closing
    reasons and retention classes whose cases would be deleted sooner, the handed-over cases
    and the audit log. A shorter period deletes sooner, so it needs the second person an
    early deletion needs (services/retention/approval.py); a longer one does not."""
    from infohus_desktop.domain.labels import RETENTION_LABELS
    from infohus_desktop.domain.workflow import CLOSING_LABELS

    found: list[tuple[str, str]] = []
    for cls in RetentionClass:
        if cls is not RetentionClass.STANDARD and cls not in old.by_class | new.by_class:
            continue  # no period of its own on either side: it follows the reasons, named
        for reason in ClosingReason:
            if new.months(reason, cls) < old.months(reason, cls):
                name = (
                    CLOSING_LABELS[reason]
                    if cls is RetentionClass.STANDARD
                    else RETENTION_LABELS[cls]
                )
                if name not in found:
                    found.append(name)
    if new.transferred < old.transferred:
        found.append(("overdragne sager", "cases handed over"))
    if new.audit_months < old.audit_months:
        found.append(("revisionsloggen", "the audit log"))
    return found


def class_shortens(rules: RetentionRules, old: RetentionClass, new: RetentionClass) -> bool:
    """Whether moving a case from class ``old`` to ``new`` deletes it sooner under any
    closing reason: an open case may be closed with any, and a closed one reopened and
    closed again with another. Like a shorter rule, that needs the second person
    (services/retention/approval.py): otherwise one member could make a case due by its
    class and have it deleted with the due ones, unapproved."""
    return any(rules.months(r, new) < rules.months(r, old) for r in ClosingReason)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; the 31st becomes the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deletion_date(closed_on: date, months: int) -> date:
    return add_months(closed_on, months)


def rules_from_json(data: object) -> RetentionRules:
    """Validate rules as `infohus retention rules --set FILE` reads them; raise
    :class:`InvalidInput` naming what is wrong."""
    if not isinstance(data, dict):
        raise InvalidInput(
            "Slettereglerne skal være et JSON-objekt.", "The retention rules must be a JSON object."
        )
    by_reason = _months_map(data.get("closing_reasons"), ClosingReason, "closing_reasons")
    missing = sorted(set(ClosingReason) - by_reason.keys())
    if missing:
        raise InvalidInput(
            f"Der mangler en periode for afslutningsårsagen {', '.join(missing)}.",
            f"A period is missing for the closing reason {', '.join(missing)}.",
        )
    by_class = _months_map(data.get("classes", {}), RetentionClass, "classes")
    by_class.pop(RetentionClass.STANDARD, None)  # standard follows the closing reason
    audit = data.get("audit_months", AUDIT_MONTHS_FLOOR)
    if not isinstance(audit, int) or isinstance(audit, bool) or audit < AUDIT_MONTHS_FLOOR:
        raise InvalidInput(
            f"Revisionsloggen skal gemmes i mindst {AUDIT_MONTHS_FLOOR} måneder.",
            f"The audit log must be kept for at least {AUDIT_MONTHS_FLOOR} months.",
        )
    transferred = data.get("transferred", DEFAULT_RULES.transferred)
    if (
        not isinstance(transferred, int)
        or isinstance(transferred, bool)
        or not 1 <= transferred <= MAX_MONTHS
    ):
        raise InvalidInput(
            f"Perioden for overdragne sager skal være et helt antal måneder mellem 1 og "
            f"{MAX_MONTHS}.",
            f"The period of transferred cases must be whole months between 1 and {MAX_MONTHS}.",
        )
    return RetentionRules(by_reason, by_class, audit, configured=True, transferred=transferred)


def rules_to_json(rules: RetentionRules) -> dict[str, object]:
    return {
        "closing_reasons": {r.value: m for r, m in sorted(rules.by_reason.items())},
        "classes": {c.value: m for c, m in sorted(rules.by_class.items())},
        "audit_months": rules.audit_months,
        "transferred": rules.transferred,
        "configured": rules.configured,
    }


E = TypeVar("E", ClosingReason, RetentionClass)


def _months_map(raw: object, kind: type[E], name: str) -> dict[E, int]:
    if raw is None:
        raise InvalidInput(f"Reglerne mangler '{name}'.", f"The rules lack '{name}'.")
    if not isinstance(raw, dict):
        raise InvalidInput(
            f"'{name}' skal være et JSON-objekt.", f"'{name}' must be a JSON object."
        )
    out: dict[E, int] = {}
    for code, months in raw.items():
        try:
            key = kind(code)
        except ValueError:
            raise InvalidInput(
                f"Ukendt kode i '{name}': {code}.", f"Unknown code in '{name}': {code}."
            ) from None
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_MONTHS:
            da, en = _code_label(key)
            raise InvalidInput(
                f"Perioden for »{da}« ({code}) skal være et helt antal måneder mellem 1 og "
                f"{MAX_MONTHS}.",
                f"The period of '{en}' ({code}) must be whole months between 1 and {MAX_MONTHS}.",
            )
        out[key] = months
    return out


def _code_label(code: enum.Enum) -> tuple[str, str]:
    """A closing reason's or retention class's name, as the rules dialog shows it."""
    from infohus_desktop.domain.labels import RETENTION_LABELS
    from infohus_desktop.domain.workflow import CLOSING_LABELS

    if isinstance(code, ClosingReason):
        return CLOSING_LABELS[code]
    if isinstance(code, RetentionClass):
        return RETENTION_LABELS[code]
    return str(code.value), str(code.value)


@dataclass(frozen=True, slots=True)
class Hold:
    """A *sletteblokering*: the case is not deleted before ``until`` (or until released)."""

    id: uuid.UUID
    case_id: uuid.UUID
    reason: str
    until: date
    by_login: str
    at: date

    def active(self, today: date) -> bool:
        return self.until >= today


@dataclass(frozen=True, slots=True)
class DueCase:
    """One line of the *Til sletning* list: no name, no CPR, only what deciding needs."""

    case_id: uuid.UUID
    number: str
    municipality: str
    closing_reason: ClosingReason | None
    retention: RetentionClass
    closed_on: date
    delete_on: date
    hold: Hold | None = None
    #: Handed over to another Infohus (``closed_on`` is the day of the handover).
    transferred: bool = False

    def due(self, today: date) -> bool:
        return self.delete_on <= today

    def held(self, today: date) -> bool:
        return self.hold is not None and self.hold.active(today)


@dataclass(frozen=True, slots=True)
class Tombstone:
    """What stays of a deleted case: no name, CPR, text or key."""

    case_id: uuid.UUID
    number: str
    municipality: str
    received: date
    closed_on: date | None
    deleted_at: date
    closing_reason: ClosingReason | None
    deleted_by: str
    reason: str
    approved_by: str | None = None
    #: Its signature or sealed part does not verify: changed outside the program. Shown
    #: with its clear values as stored, and no reason.
    tampered: bool = False
