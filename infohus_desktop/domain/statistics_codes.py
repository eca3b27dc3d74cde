"""The statistics codes of one case: everything the statistics count about it, and nothing else.

One record per case, live or deleted. A live case's record is sealed in ``case_statistics``
(rewritten whenever the case, its assessments, screenings, measures or referrals change); a
deleted case's record moves into ``statistics_kept`` with the status *slettet* and no case id.
The statistics count these records only, so they need no clear column at all (issue 20) and
earlier periods keep their figures after a deletion.

The record is coarse on purpose: the month a case was received (not the day), the age band
and sex of the person (not the birth date), the latest level and screening outcome (not the
history), measure types, and per referral sent the month, programme and status.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

#: The status a deleted case counts with in "Sager efter status nu".
DELETED = "slettet"


def month_of(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True, slots=True, order=True)
class ReferralCodes:
    sent_month: date
    programme: str
    status: str


@dataclass(frozen=True, slots=True)
class CaseCodes:
    """The statistics codes of one case (see the module's docstring)."""

    month: date
    local_infohus_id: str
    status: str
    category: str
    source: str
    age_group: str
    sex: str
    level: str | None
    screening: str | None
    measures: tuple[str, ...]
    referrals: tuple[ReferralCodes, ...]

    def deleted(self) -> CaseCodes:
        """The record a deleted case leaves: the same codes, status *slettet*."""
        return replace(self, status=DELETED)

    def to_json(self) -> dict[str, object]:
        return {
            "month": self.month.isoformat(),
            "local_infohus_id": self.local_infohus_id,
            "status": self.status,
            "category": self.category,
            "source": self.source,
            "age_group": self.age_group,
            "sex": self.sex,
            "level": self.level,
            "screening": self.screening,
            "measures": list(self.measures),
            "referrals": [
                [r.sent_month.isoformat(), r.programme, r.status] for r in self.referrals
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CaseCodes:
        """The record from its JSON; KeyError/TypeError/ValueError on anything else. A kept
        row written before records had a status counts as deleted."""

        def text(name: str) -> str:
            value = data[name]
            if not isinstance(value, str):
                raise TypeError(name)
            return value

        def optional(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) else None

        measures = data["measures"]
        referrals = data["referrals"]
        if not isinstance(measures, list) or not isinstance(referrals, list):
            raise TypeError("lists")
        return cls(
            month=date.fromisoformat(text("month")),
            local_infohus_id=text("local_infohus_id"),
            status=optional("status") or DELETED,
            category=text("category"),
            source=text("source"),
            age_group=text("age_group"),
            sex=text("sex"),
            level=optional("level"),
            screening=optional("screening"),
            measures=tuple(str(m) for m in measures),
            referrals=tuple(
                ReferralCodes(date.fromisoformat(str(r[0])), str(r[1]), str(r[2]))
                for r in referrals
            ),
        )
