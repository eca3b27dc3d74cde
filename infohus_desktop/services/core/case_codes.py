"""Each case's statistics codes, sealed to the casework group and kept current by the flush.

Why a second copy: the statistics count every case of the district, also the cases a member
cannot read, and the codes they count (status, category, source, received month, the
person's age band and sex, the latest level and screening outcome, measures, referrals) are
sealed under each case's own key (issue 20). So whenever a unit of work writes a case or a
part that changes its codes, its commit writes the case's whole record
(:class:`~infohus_desktop.domain.statistics_codes.CaseCodes`) into ``case_statistics``,
sealed under the casework group's current key with the case id in the associated data
(accounts/casework.py: coordinators and members; not the network group, which also holds
the DPO, who never reads case content). The flushes note the cases (``after_flush``) and the
commit writes each one's record once (``before_commit``), so that no write path can forget
it and a service that flushes a case five times computes it once.

- Someone with the database but no key sees one ciphertext per case, rewritten when the case
  changes: that a case changed, which the update time says anyway.
- A casework member decrypts the codes of cases they cannot read. The app shows them only
  as counts, with "< 5" for small ones. With the file and their key they could pair a record
  with a case row's number and Infohus Kommune: that is the residual risk, and why the
  codes are coarse (month, age band) and hold no text.
- A writer who does not hold the casework key (a key share still pending) writes no record;
  the case's record then lags until a member with both keys writes the case or runs
  ``StatisticsService.refresh_codes``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain
from typing import TypeVar

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.statistics import age_group
from infohus_desktop.domain.statistics_codes import CaseCodes, ReferralCodes, month_of
from infohus_desktop.services.core.case_meta import key_of_opened, open_meta, open_part_meta
from infohus_desktop.vault.case_schema import AssessmentRow, CaseRow, MeasureRow, ScreeningRow
from infohus_desktop.vault.codecs.cases import dumps, loads, person_from_json
from infohus_desktop.vault.group_keys import GroupKeys
from infohus_desktop.vault.referral_schema import ReferralRow
from infohus_desktop.vault.row_binding import KEYRING_INFO, REQUIRED_INFO, open_row
from infohus_desktop.vault.sealed_values import changed_since_flush
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow

TABLE, COLUMN = "case_statistics", "payload"
P = TypeVar("P")
#: The rows whose writing can change a case's codes.
_PARTS = (AssessmentRow, ScreeningRow, MeasureRow, ReferralRow)


def _context(case_id: uuid.UUID) -> FieldContext:
    return FieldContext(TABLE, COLUMN, case_id, case_id)


def seal_codes(key: FieldKey, case_id: uuid.UUID, codes: CaseCodes) -> Ciphertext:
    return key.encrypt(dumps(codes.to_json()), _context(case_id))


def open_codes(key: FieldKey, case_id: uuid.UUID, payload: bytes) -> CaseCodes | None:
    """The record, or None for a record of the first form (age band and sex only, written
    before the statistics stopped counting clear columns). TamperedData if it does not open
    or is not a record."""
    try:
        data = loads(key.decrypt(payload, _context(case_id)))
        if "month" not in data:
            return None
        return CaseCodes.from_json(data)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise TamperedData(
            "Statistikdata kan ikke læses.", "Statistics data cannot be read."
        ) from exc


@dataclass(frozen=True, slots=True)
class PartCodes:
    """What a case's parts add to its record: the latest level of concern and screening
    outcome, and the measure types."""

    level: str | None
    screening: str | None
    measures: tuple[str, ...]
    referrals: tuple[ReferralCodes, ...]


def opened_part_codes(session: Session, row: CaseRow, key: FieldKey, required: bool) -> PartCodes:
    """The part codes of a case whose key the writer holds: its assessments, screenings and
    measures opened (their codes are sealed), the latest by time."""

    def opened(model: type[P]) -> list[P]:
        rows = session.scalars(
            select(model).where(model.case_id == row.id).order_by(model.at, model.id)  # type: ignore[attr-defined]
        )
        out = []
        for part in rows:
            open_part_meta(row, key, part, required)
            out.append(part)
        return out

    assessments = opened(AssessmentRow)
    screenings = opened(ScreeningRow)
    referrals = []
    for referral in session.scalars(select(ReferralRow).where(ReferralRow.case_id == row.id)):
        open_row(lambda _key_id: key, session, referral, required)  # under the case's key
        if referral.sent_on is not None:
            referrals.append(
                ReferralCodes(month_of(referral.sent_on), referral.programme, referral.status)
            )
    return PartCodes(
        level=assessments[-1].level if assessments else None,
        screening=screenings[-1].outcome if screenings else None,
        measures=tuple(sorted(m.type for m in opened(MeasureRow))),
        referrals=tuple(sorted(referrals)),
    )


#: The part codes of a case that has no parts yet.
NO_PARTS = PartCodes(level=None, screening=None, measures=(), referrals=())


def compute_codes(
    session: Session,
    row: CaseRow,
    key: FieldKey,
    required: bool = True,
    parts: PartCodes | None = None,
) -> CaseCodes:
    """The codes of an opened case row, from its values, its person and its parts as this
    transaction sees them (``parts`` when the caller knows them: a case opened in this
    transaction without parts has none to read)."""
    person = person_from_json(
        loads(key.decrypt(row.person, FieldContext("cases", "person", row.id, row.id)))
    )
    return record_of(
        session,
        row,
        {"status": row.status, "category": row.category, "source": row.source},
        row.received,
        (age_group(person.birth_date, row.received).value, person.sex.value),
        opened_part_codes(session, row, key, required) if parts is None else parts,
    )


def record_of(
    session: Session,
    row: CaseRow,
    codes: dict[str, str],
    received: date,
    age_and_sex: tuple[str, str],
    parts: PartCodes,
) -> CaseCodes:
    """A case's record from its own codes (status, category, source), received date, age band
    and sex, and what its parts and referrals say."""
    return CaseCodes(
        month=month_of(received),
        local_infohus_id=str(row.local_infohus_id),
        status=codes["status"],
        category=codes["category"],
        source=codes["source"],
        age_group=age_and_sex[0],
        sex=age_and_sex[1],
        level=parts.level,
        screening=parts.screening,
        measures=parts.measures,
        referrals=parts.referrals,
    )


def first_form(key: FieldKey, case_id: uuid.UUID, payload: bytes) -> tuple[str, str]:
    """Age band and sex from a record of the first form (see :func:`open_codes`)."""
    try:
        data = loads(key.decrypt(payload, _context(case_id)))
        return str(data["age_group"]), str(data["sex"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TamperedData(
            "Statistikdata kan ikke læses.", "Statistics data cannot be read."
        ) from exc


def casework_key(keys: GroupKeys, session: Session) -> FieldKey | None:
    """The casework group's current key, or None if the vault or the writer has none."""
    group = keys.system_group_id(session, GroupKind.CASEWORK.value)
    if group is None:
        return None
    try:
        return keys.group_field_key(session, group)
    except AccessDenied:
        return None


def write_codes(
    session: Session,
    sealing: FieldKey,
    row: CaseRow,
    case_key: FieldKey,
    required: bool = True,
    new: bool = False,
) -> None:
    """Write (or rewrite) the record of one opened case, in the caller's transaction. ``new``:
    the case was opened in this transaction and has no parts and no record yet."""
    codes = compute_codes(session, row, case_key, required, NO_PARTS if new else None)
    store(session, row.id, seal_codes(sealing, row.id, codes), new)


_INSERT_RECORD = insert(CaseStatisticsRow)


def store(session: Session, case_id: uuid.UUID, payload: Ciphertext, new: bool = False) -> None:
    """Insert or replace a case's sealed record with plain statements (this also runs inside
    a flush, where the unit of work must not be changed). ``new``: no record exists yet."""
    now = datetime.now(UTC)
    connection = session.connection()
    exists = (
        None
        if new
        else connection.scalar(
            select(CaseStatisticsRow.case_id).where(CaseStatisticsRow.case_id == case_id)
        )
    )
    if exists is None:
        # One statement built once: building it per case cost more than sending it.
        connection.execute(
            _INSERT_RECORD, {"case_id": case_id, "payload": payload, "updated_at": now}
        )
    else:
        connection.execute(
            update(CaseStatisticsRow)
            .where(CaseStatisticsRow.case_id == case_id)
            .values(payload=payload, updated_at=now)
        )


_DUE = "infohus.records_due"
_GONE = "infohus.records_gone"
#: Cases opened in this transaction, and cases whose parts it wrote.
_OPENED = "infohus.records_opened"
#: ``Session.info``: the rows of the cases opened in the transaction (see note_opened).
_OPENED_ROWS = "infohus.records_opened_rows"
_PARTED = "infohus.records_parted"


@event.listens_for(Session, "after_flush")
def _note_records_due(session: Session, _flush: object) -> None:
    """Note every case this flush wrote, or whose assessments, screenings, measures or
    referrals it wrote: its record is rewritten once, at the commit (a service flushes a
    case several times in one transaction; the record is computed once)."""
    if session.info.get(KEYRING_INFO) is None:
        return
    due: set[uuid.UUID] = session.info.setdefault(_DUE, set())
    gone: set[uuid.UUID] = session.info.setdefault(_GONE, set())
    opened: set[uuid.UUID] = session.info.setdefault(_OPENED, set())
    parted: set[uuid.UUID] = session.info.setdefault(_PARTED, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, CaseRow):
            if obj in session.deleted:
                gone.add(obj.id)
            elif obj in session.new:
                due.add(obj.id)
                opened.add(obj.id)
            elif _codes_changed(obj):
                due.add(obj.id)
        elif isinstance(obj, _PARTS):
            due.add(obj.case_id)
            parted.add(obj.case_id)


def note_opened(session: Session, row: CaseRow) -> None:
    """A case opened in this transaction without the flush (``case_meta.insert_opened``):
    its record is written at the commit, as a flushed new case's is. The row is kept until
    then: the session holds an unchanged row only weakly, and would read it back."""
    session.info.setdefault(_DUE, set()).add(row.id)
    session.info.setdefault(_OPENED, set()).add(row.id)
    session.info.setdefault(_OPENED_ROWS, []).append(row)


#: The case row's values its record is made of (besides its parts and referrals).
_CODED = frozenset({"status", "category", "source", "received"})


def _codes_changed(row: CaseRow) -> bool:
    """Whether a saved case row changed a value its record holds: a code, the received date
    (month, age band), the person (age band, sex) or its Infohus Kommune. A journal entry or
    a new title touches the row without changing its record."""
    state = inspect(row)
    return bool(changed_since_flush(row) & _CODED) or any(
        state.attrs[name].history.has_changes() for name in ("person", "local_infohus_id")
    )


@event.listens_for(Session, "before_commit")
def _write_records_due(session: Session) -> None:
    """Write the records the transaction's flushes noted, in the same transaction."""
    keys = session.info.get(KEYRING_INFO)
    if keys is None:
        return
    session.flush()  # the last changes first: they may add cases, and the records read them
    due = session.info.pop(_DUE, set()) - session.info.pop(_GONE, set())
    # Opened here and given no assessment, screening, measure or referral: nothing to read.
    fresh = session.info.pop(_OPENED, set()) - session.info.pop(_PARTED, set())
    held = session.info.pop(_OPENED_ROWS, [])  # alive until the records below are written
    if not due:
        return
    sealing = casework_key(keys, session)
    if sealing is None:
        return
    required = bool(session.info.get(REQUIRED_INFO))
    for case_id in sorted(due):
        row = session.get(CaseRow, case_id)
        if row is None:
            continue
        case_key = key_of_opened(row) or keys.field_key_by_id(session, row.data_key_id)
        open_meta(row, case_key, required)
        write_codes(session, sealing, row, case_key, required, new=case_id in fresh)
    del held


@event.listens_for(Session, "after_rollback")
def _forget_records_due(session: Session) -> None:
    for name in (_DUE, _GONE, _OPENED, _OPENED_ROWS, _PARTED):
        session.info.pop(name, None)
