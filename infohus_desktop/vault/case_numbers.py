"""Case numbering: the next serial of an Infohus Kommune's year, unique under concurrency.

The counter lives in ``case_counters`` (:class:`CaseCounterRow`), one row per Infohus Kommune
and year. Taking a serial is dialect-specific SQL, so it lives here in the vault and not in the
intake use case: SQLite holds the write lock for the whole transaction (every unit of work
begins ``IMMEDIATE``), so bumping the row and reading it back (``UPDATE ... RETURNING``) is
enough; PostgreSQL makes the row or bumps it in one statement (``INSERT ... ON CONFLICT DO
UPDATE ... RETURNING``), which locks it until the transaction ends, so two clients opening a
case at the same moment wait for each other instead of sharing a number. Both are Core
statements on the transaction's connection: one round trip, where reading the row and
flushing its change through the ORM took two.
"""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import Table, and_, bindparam, select, update
from sqlalchemy.orm import Session

from infohus_desktop.vault.case_schema import CaseCounterRow


def next_serial(session: Session, local_id: uuid.UUID, year: int) -> int:
    """Take the next serial of ``year`` for the Infohus Kommune ``local_id`` inside the
    caller's transaction; the number is the caller's once the transaction commits."""
    dialect = session.get_bind().dialect
    connection = session.connection()
    if dialect.name != "sqlite":
        # Imported here: the PostgreSQL dialect loads its four drivers' modules and asyncio
        # (2 MiB and 40 ms), which an SQLite vault never uses (issue 17).
        from sqlalchemy.dialects.postgresql import insert

        # One statement: make the row or bump it, locked until the transaction ends.
        upsert = insert(_COUNTERS).values(local_infohus_id=local_id, year=year, last_serial=1)
        return int(
            connection.execute(
                upsert.on_conflict_do_update(
                    index_elements=[_COUNTERS.c.local_infohus_id, _COUNTERS.c.year],
                    set_={"last_serial": _COUNTERS.c.last_serial + 1},
                ).returning(_COUNTERS.c.last_serial)
            ).scalar_one()
        )
    if dialect.update_returning:  # SQLite 3.35 or later: bump and read in one statement
        taken = connection.execute(
            _BUMP_RETURNING, {"counter_local": local_id, "counter_year": year}
        ).scalar()
    else:
        taken = None
        if connection.execute(_BUMP, {"counter_local": local_id, "counter_year": year}).rowcount:
            taken = connection.execute(
                _LAST, {"counter_local": local_id, "counter_year": year}
            ).scalar()
    if taken is None:  # the year's first case of this Infohus Kommune
        connection.execute(
            _COUNTERS.insert().values(local_infohus_id=local_id, year=year, last_serial=1)
        )
        return 1
    return int(taken)


_COUNTERS = cast(Table, CaseCounterRow.__table__)
_THIS_ONE = and_(
    _COUNTERS.c.local_infohus_id == bindparam("counter_local"),
    _COUNTERS.c.year == bindparam("counter_year"),
)
_BUMP = update(_COUNTERS).where(_THIS_ONE).values(last_serial=_COUNTERS.c.last_serial + 1)
_BUMP_RETURNING = _BUMP.returning(_COUNTERS.c.last_serial)
_LAST = select(_COUNTERS.c.last_serial).where(_THIS_ONE)
