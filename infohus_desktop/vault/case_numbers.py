"""Case numbering: the next serial of an Infohus Kommune's year, unique under concurrency.

The counter lives in ``case_counters`` (:class:`CaseCounterRow`), one row per Infohus Kommune
and year. Taking a serial is dialect-specific SQL, so it lives here in the vault and not in the
intake use case: SQLite holds the write lock for the whole transaction (every unit of work
begins ``IMMEDIATE``), so reading and bumping the row is enough; PostgreSQL first makes the row
if it is missing (``INSERT ... ON CONFLICT DO NOTHING``) and then locks it ``FOR UPDATE``, so
two clients opening a case at the same moment wait for each other instead of sharing a number.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from infohus_desktop.vault.case_schema import CaseCounterRow


def next_serial(session: Session, local_id: uuid.UUID, year: int) -> int:
    """Take the next serial of ``year`` for the Infohus Kommune ``local_id`` inside the
    caller's transaction; the number is the caller's once the transaction commits."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(
            insert(CaseCounterRow)
            .values(local_infohus_id=local_id, year=year, last_serial=0)
            .on_conflict_do_nothing()
        )
    counter = session.scalar(
        select(CaseCounterRow)
        .where(CaseCounterRow.local_infohus_id == local_id, CaseCounterRow.year == year)
        .with_for_update()
    )
    if counter is None:
        counter = CaseCounterRow(local_infohus_id=local_id, year=year, last_serial=0)
        session.add(counter)
    counter.last_serial += 1
    session.flush()
    return counter.last_serial
