"""What a deleted case leaves in the statistics: its codes, without the case.

DOMAIN.md: statistics of earlier periods keep their counts when a case is deleted after its
retention period. The live statistics count the cases in the vault, so a deletion would make
last year's figures shrink. Just before the case's rows go, the deletion writes the case's
*statistics codes* into one new row of ``statistics_kept``: the month it was received, its
Infohus Kommune, category and source, the age group and sex of the person, its latest level
of concern and screening outcome, its measure types, and per referral sent the month, the
programme and the status. Nothing else: no case id, no number, no date finer than a month, no
text. The row is sealed under the casework group's key (the key the age and sex codes are
counted with), with the row's own random id in the associated data, so a row cannot be copied
into another; the statistics decrypt every kept row (a few small ciphertexts per deleted case)
and count it in with the live cases, as a case whose status is now *slettet*.

The server learns that a kept row exists and how large it is, as it learns that a tombstone
exists; it cannot tell which tombstone a kept row belongs to from its content.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.statistics import age_group
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.core.access import CaseHandle
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import AssessmentRow, MeasureRow, ScreeningRow
from infohus_desktop.vault.codecs.cases import dumps, loads, person_from_json
from infohus_desktop.vault.referral_schema import ReferralRow
from infohus_desktop.vault.statistics_schema import KeptCountsRow

#: The status a deleted case counts with in "Sager efter status nu".
DELETED = "slettet"


def _month(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True, slots=True, order=True)
class KeptReferral:
    sent_month: date
    programme: str
    status: str


@dataclass(frozen=True, slots=True)
class KeptCase:
    """The statistics codes of one deleted case."""

    month: date
    local_infohus_id: str
    category: str
    source: str
    age_group: str
    sex: str
    level: str | None
    screening: str | None
    measures: tuple[str, ...]
    referrals: tuple[KeptReferral, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "month": self.month.isoformat(),
            "local_infohus_id": self.local_infohus_id,
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
    def from_json(cls, data: dict[str, object]) -> KeptCase:
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
            category=text("category"),
            source=text("source"),
            age_group=text("age_group"),
            sex=text("sex"),
            level=optional("level"),
            screening=optional("screening"),
            measures=tuple(str(m) for m in measures),
            referrals=tuple(
                KeptReferral(date.fromisoformat(str(r[0])), str(r[1]), str(r[2])) for r in referrals
            ),
        )


def _context(row_id: uuid.UUID) -> FieldContext:
    return FieldContext("statistics_kept", "payload", row_id)


def _latest(
    session: Session, row: type[AssessmentRow] | type[ScreeningRow], case_id: uuid.UUID, code: str
) -> str | None:
    value = session.scalar(
        select(getattr(row, code))
        .where(row.case_id == case_id)
        .order_by(row.at.desc(), row.id.desc())
        .limit(1)
    )
    return None if value is None else str(value)


def codes_of(session: Session, handle: CaseHandle) -> KeptCase:
    """The statistics codes of a case that is about to be deleted, read from its rows."""
    case = handle.row
    person = person_from_json(handle.open_case("person"))
    referrals = session.execute(
        select(ReferralRow.sent_on, ReferralRow.programme, ReferralRow.status).where(
            ReferralRow.case_id == case.id, ReferralRow.sent_on.is_not(None)
        )
    ).all()
    return KeptCase(
        month=_month(case.received),
        local_infohus_id=str(case.local_infohus_id),
        category=case.category,
        source=case.source,
        age_group=age_group(person.birth_date, case.received).value,
        sex=person.sex.value,
        level=_latest(session, AssessmentRow, case.id, "level"),
        screening=_latest(session, ScreeningRow, case.id, "outcome"),
        measures=tuple(
            sorted(
                str(t)
                for t in session.scalars(
                    select(MeasureRow.type).where(MeasureRow.case_id == case.id)
                )
            )
        ),
        referrals=tuple(
            sorted(
                KeptReferral(_month(sent), str(programme), str(status))
                for sent, programme, status in referrals
                if sent is not None
            )
        ),
    )


def keep(ms: MemberSession, session: Session, handle: CaseHandle) -> None:
    """Write the codes of ``handle``'s case into ``statistics_kept``, in the deletion's
    transaction. A coordinator without the casework key cannot: the deletion is refused
    rather than letting the case drop out of earlier periods' figures."""
    try:
        key = ms.keyring.group_field_key(session, casework_group_id(ms, session))
    except AccessDenied:
        raise AccessDenied(
            "Sletningen skal bevare sagens tal i statistikken, og det kræver "
            "sagsbehandlernes nøgle; spørg en anden koordinator.",
            "The deletion must keep the case's counts in the statistics, which needs the "
            "caseworkers' key; ask another coordinator.",
        ) from None
    row_id = uuid.uuid4()
    payload = key.encrypt(dumps(codes_of(session, handle).to_json()), _context(row_id))
    session.add(KeptCountsRow(id=row_id, payload=payload))


def _tampered() -> TamperedData:
    return TamperedData(
        "Statistiktal for slettede sager kan ikke læses (ændret uden om programmet).",
        "The statistics of deleted cases cannot be read (changed outside the program).",
    )


def load_kept(ms: MemberSession, session: Session) -> list[KeptCase]:
    """Every kept row, decrypted and checked (a row changed or copied outside the program
    fails, and the statistics say so rather than count wrong)."""
    keys: dict[uuid.UUID, FieldKey] = {}
    out: list[KeptCase] = []
    for row_id, payload in session.execute(select(KeptCountsRow.id, KeptCountsRow.payload)):
        key = keys.get(payload.key_id)
        if key is None:
            key = keys[payload.key_id] = ms.keyring.field_key_by_id(session, payload.key_id)
        try:
            out.append(KeptCase.from_json(loads(key.decrypt(payload, _context(row_id)))))
        except (TamperedData, KeyError, TypeError, ValueError, IndexError):
            raise _tampered() from None
    return out


@dataclass(frozen=True, slots=True)
class KeptCounts:
    """The kept cases of one period, counted the way the sections count live cases."""

    cases: tuple[KeptCase, ...]
    referrals: tuple[KeptReferral, ...]

    @classmethod
    def of_period(cls, kept: Iterable[KeptCase], start: date, end: date) -> KeptCounts:
        everything = list(kept)
        return cls(
            tuple(c for c in everything if start <= c.month <= end),
            tuple(r for c in everything for r in c.referrals if start <= r.sent_month <= end),
        )

    def column(self, name: str) -> Counter[str]:
        """Per status (always *slettet*), category, source or Infohus Kommune."""
        if name == "status":
            return Counter({DELETED: len(self.cases)} if self.cases else {})
        return Counter(str(getattr(c, name)) for c in self.cases)

    def codes(self, name: str) -> Counter[str]:
        """Per age group, sex, level or screening outcome (a case without one not counted)."""
        return Counter(v for c in self.cases if (v := getattr(c, name)) is not None)

    def measures(self) -> Counter[str]:
        return Counter(m for c in self.cases for m in c.measures)

    def referral_codes(self, name: str) -> Counter[str]:
        return Counter(str(getattr(r, name)) for r in self.referrals)


__all__ = ["DELETED", "KeptCase", "KeptCounts", "keep", "load_kept"]
