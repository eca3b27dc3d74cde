"""The reference of the case benchmarks (``tests.benchmarks.bench_cases``): a plain SQLite table
with the vault's case columns in clear (person, intake and details as JSON text), filled with
the same synthetic cases, and the same work done on it as on the vault: select the group's rows
and build the list's dicts, a ``LIKE`` search and a Python filter over the dicts, and one save,
an insert and an update with their commits (each timed here, on its own).

Its own module because the comparison (``tests.benchmarks.compare``) takes the same table and
operations as its plain SQLite reference.
"""

from __future__ import annotations

import json
import time
import uuid

from sqlalchemy import (
    Column,
    Date,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from infohus_desktop.domain.cases import RetentionClass, case_number
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.index import checked_person
from infohus_desktop.vault.codecs.cases import dumps, intake_to_json, person_to_json
from tests.benchmarks.cases_vault import Json, Synthetic, now

plain_metadata = MetaData()
plain_cases = Table(
    "plain_cases",
    plain_metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), unique=True),
    Column("local_infohus_id", String(36)),
    Column("year", Integer),
    Column("serial", Integer),
    Column("group_id", String(36), index=True),
    Column("data_key_id", String(36)),
    Column("status", String(16), index=True),
    Column("category", String(32)),
    Column("source", String(24)),
    Column("received", Date),
    Column("follow_up", Date),
    Column("lead_organisation_id", String(36)),
    Column("lead_member_id", String(36)),
    Column("retention", String(16)),
    Column("closing_reason", String(32)),
    Column("cpr_index", Integer, index=True),
    Column("cpr_epoch", Integer),
    Column("person", Text),  # the same JSON as the sealed payload, in clear
    Column("intake", Text),
    Column("details", Text),
    Column("created_at", String(40)),
    Column("created_by", String(36)),
    Column("updated_at", String(40)),
    Column("version", Integer),
    Column("spare", LargeBinary),
)


def plain_row(
    synthetic: Synthetic, number: str, local_id: str, group_id: str, member_id: str
) -> Json:
    person = checked_person(synthetic.person)
    at = now().isoformat()
    return {
        "id": str(uuid.uuid4()),
        "number": number,
        "local_infohus_id": local_id,
        "year": synthetic.intake.received.year,
        "serial": int(number.rsplit("-", 1)[1]),
        "group_id": group_id,
        "data_key_id": str(uuid.uuid4()),
        "status": CaseStatus.RECEIVED.value,
        "category": synthetic.category,
        "source": synthetic.intake.source.value,
        "received": synthetic.intake.received,
        "follow_up": synthetic.follow_up,
        "lead_organisation_id": member_id,
        "lead_member_id": member_id,
        "retention": RetentionClass.STANDARD.value,
        "closing_reason": None,
        "cpr_index": None,
        "cpr_epoch": None,
        "person": dumps(person_to_json(person)).decode(),
        "intake": dumps(intake_to_json(synthetic.intake)).decode(),
        "details": dumps({"title": synthetic.title, "participants": []}).decode(),
        "created_at": at,
        "created_by": member_id,
        "updated_at": at,
        "version": 1,
        "spare": None,
    }


def build_plain(engine: Engine, cases: list[Synthetic], group_id: str, member_id: str) -> None:
    plain_metadata.create_all(engine)
    local_id = str(uuid.uuid4())
    serials: dict[int, int] = {}
    rows = []
    for synthetic in cases:
        year = synthetic.intake.received.year
        serials[year] = serials.get(year, 0) + 1
        rows.append(
            plain_row(
                synthetic,
                case_number("AAR", year, serials[year]),
                local_id,
                group_id,
                member_id,
            )
        )
    with engine.begin() as connection:
        for start in range(0, len(rows), 10_000):
            connection.execute(insert(plain_cases), rows[start : start + 10_000])


def plain_summaries(engine: Engine, group_id: str) -> list[Json]:
    """Select the group's rows and build the list's dicts, parsing the person JSON."""
    out = []
    with engine.connect() as connection:
        for r in connection.execute(select(plain_cases).where(plain_cases.c.group_id == group_id)):
            person = json.loads(r.person)
            out.append(
                {
                    "id": r.id,
                    "number": r.number,
                    "status": r.status,
                    "category": r.category,
                    "group_id": r.group_id,
                    "lead_member_id": r.lead_member_id,
                    "follow_up": r.follow_up,
                    "received": r.received,
                    "name": person["name"],
                    "cpr": person["cpr"],
                    "version": r.version,
                }
            )
    out.sort(key=lambda c: (c["received"], c["number"]), reverse=True)
    return out


def plain_like(engine: Engine, group_id: str, text: str) -> list[Json]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(plain_cases.c.id, plain_cases.c.number, plain_cases.c.person).where(
                plain_cases.c.group_id == group_id, plain_cases.c.person.like(f"%{text}%")
            )
        ).all()
    return [{"id": r.id, "number": r.number, "name": json.loads(r.person)["name"]} for r in rows]


def plain_filter(summaries: list[Json], text: str) -> list[Json]:
    wanted = text.casefold().split()
    return [s for s in summaries if all(w in s["name"].casefold() for w in wanted)]


def plain_save(
    engine: Engine, synthetic: Synthetic, number: str, group_id: str, member_id: str
) -> tuple[float, float]:
    """One insert + commit, then one update of the details (read, change, write) + commit;
    the seconds of each."""
    with engine.connect() as connection:
        row = plain_row(synthetic, number, str(uuid.uuid4()), group_id, member_id)
        started = time.perf_counter()
        connection.execute(insert(plain_cases), row)
        connection.commit()
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        details = connection.execute(
            select(plain_cases.c.details).where(plain_cases.c.id == row["id"])
        ).scalar_one()
        changed = {**json.loads(details), "title": "Rettet titel"}
        connection.execute(
            update(plain_cases)
            .where(plain_cases.c.id == row["id"], plain_cases.c.version == 1)
            .values(
                details=dumps(changed).decode(),
                updated_at=now().isoformat(),
                version=plain_cases.c.version + 1,
            )
        )
        connection.commit()
        updated = time.perf_counter() - started
        # Not timed: the plain table stays at N rows for the next repetition's list.
        connection.execute(delete(plain_cases).where(plain_cases.c.id == row["id"]))
        connection.commit()
        return inserted, updated
