"""``infohus vault upgrade``: the describing values leave the clear columns (issue 20).

A vault made by an earlier version keeps what describes its cases, case parts, referrals,
trend notes and meetings (statuses, categories, codes, dates, writers) in clear columns
beside the sealed copy of the same values. The program reads them from the copy already;
the upgrade removes the columns, so that someone with the database file or the server no
longer reads them.

What it does, as a coordinator, in **one transaction** (a kill leaves the old form or the
new, never a mix; a second run completes an interrupted one):

1. gives every row without a sealed copy (format 1 and 2) one, from its clear values, with
   its key: a row under a key the coordinator does not hold makes the upgrade stop with the
   number of such cases or notes, before anything is written;
2. writes every case's statistics record (services/core/case_codes.py) that is missing or of
   the first form: from the opened row where the coordinator can read the case, else from
   the clear columns (still there) and the first-form record's age band and sex, which the
   casework key opens;
3. applies the keyed migrations 0014 to 0017 (the columns and their indexes dropped) and
   writes ``vault.upgrade`` in the audit log.

A vault whose lists found case copies sealed before they held the listing (the person's
name and CPR number, issue 17) has those copies sealed anew, with it and at the same
version, in a transaction of its own that writes ``vault.upgrade`` first: a list then opens
one value per case for them too, and an older person written back by SQL is found when such
a case is opened.

A vault before format 4 then takes the step to it (format_step.py): its vocabulary signed
and, when the root coordinator runs the upgrade, the format raised.

Then, outside the transaction, the storage is rewritten (SQLite ``VACUUM`` and an emptied
write-ahead log; PostgreSQL ``VACUUM FULL`` of the narrowed tables) so no page keeps an old
value. A
run on an upgraded vault only repeats that step. Members who have not unlocked since keep
working: nothing of their keys or local state changes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Date, Engine, Table, column, select, table, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import flag_modified

from infohus_desktop.crypto.aead import FieldKey
from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.statistics import AgeGroup
from infohus_desktop.domain.statistics_codes import ReferralCodes, month_of
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.accounts.format_step import (
    FormatStep,
    check_shown,
    format_step_due,
    take_format_step,
)
from infohus_desktop.services.cases.summary_index import index_of
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.case_codes import (
    PartCodes,
    first_form,
    open_codes,
    record_of,
    seal_codes,
    store,
    write_codes,
)
from infohus_desktop.services.core.case_meta import (
    PART_FIELDS,
    CaseTampered,
    legacy_part_values,
    legacy_values,
    open_meta,
    opened_listing,
    person_listing,
    remember_key,
    seal_meta,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault import migrate
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import compact
from infohus_desktop.vault.old_form import has_old_columns
from infohus_desktop.vault.row_binding import BINDINGS, Rows
from infohus_desktop.vault.sealed_values import fill
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow
from infohus_desktop.vault.types import UUIDString

#: The tables whose storage the upgrade rewrites on PostgreSQL.
REWRITTEN = (
    "cases",
    *(model.__tablename__ for model in PART_FIELDS),
    *(model.__tablename__ for model, binding in BINDINGS.items() if binding.sealed),
)


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    upgraded: bool
    """False when the vault had been upgraded already (only the storage was rewritten)."""
    cases: int
    sealed: int
    """Rows of format 1 that got their sealed copy."""
    records: int
    """Statistics records written."""
    seconds: float
    listings: int = 0
    """Case copies sealed anew with their listing."""
    step: FormatStep | None = None
    """The step to format 4 (format_step.py), None when the vault was at 4 already."""


def upgrade_due(ms: MemberSession) -> bool:
    """Whether the vault waits for this upgrade (a cheap look at the schema's revision)."""
    return schema_upgrade_due(ms.vault.uow.engine)


def unlisted_cases(ms: MemberSession) -> int:
    """How many case copies this session's lists found sealed without their listing (an
    upgrade seals them anew; no statement)."""
    return len(index_of(ms).unlisted)


def schema_upgrade_due(engine: Engine) -> bool:
    """The same, for a vault opened but not unlocked (``vault info``)."""
    return migrate.keyed_upgrade_due(engine)


def upgrade_vault(
    ms: MemberSession,
    progress: Callable[[str], None] | None = None,
    shown: Mapping[str, str] | None = None,
) -> UpgradeReport:
    """Run the upgrade (see the module's docstring). Coordinators only. ``shown``: the
    digests of the unsigned settings the coordinator was shown (``PendingStep.shown``),
    which the step to format 4 signs only if they are still the values found."""
    ms.require()
    if ms.member.role is not Role.COORDINATOR:
        raise AccessDenied(
            "Kun en koordinator kan opgradere boksen.", "Only a coordinator can upgrade the vault."
        )
    if shown is not None and format_step_due(ms):
        check_shown(ms, shown)
    started = time.perf_counter()
    say = progress or (lambda _step: None)
    upgraded, cases, sealed, records = False, 0, 0, 0
    if upgrade_due(ms):
        with ms.transaction() as session:
            ms.vault.uow.lock_audit_chain(session)  # one upgrade at a time, as other writes
            if has_old_columns(session):
                say("seal")
                cases, sealed = _seal_format_one(ms, session)
                say("records")
                records = _write_records(ms, session)
                say("schema")
                migrate.upgrade_in(session.connection())
                ms.record(
                    session,
                    AuditAction.VAULT_UPGRADE,
                    None,
                    Purpose.ADMINISTRATION,
                    f"cases={cases} sealed={sealed} records={records}",
                )
                upgraded = True
    ms.vault.old_form = False
    listings = 0
    if index_of(ms).unlisted:
        say("listings")
        listings = _seal_listings(ms)
    step = None
    if format_step_due(ms):
        say("format")
        step = take_format_step(ms, shown)
    say("compact")
    compact(ms.vault.uow.engine, REWRITTEN)
    seconds = time.perf_counter() - started
    return UpgradeReport(upgraded, cases, sealed, records, seconds, listings, step)


#: Case rows loaded and sealed anew at a time by the listing step.
LISTING_BATCH = 500
_CASES = cast(Table, CaseRow.__table__)


def _seal_listings(ms: MemberSession) -> int:
    """Seal anew, with its listing, the copy of every case the session's lists found without
    one, in one transaction that records ``vault.upgrade`` before anything is opened. A case
    gone, out of this coordinator's groups, saved since with its listing, or whose copy or
    person does not open is left as it is (a list reads it as before, or as tampered)."""
    index = index_of(ms)
    wanted = [uuid.UUID(int=case_key) for case_key in sorted(index.unlisted)]
    resealed = 0
    with ms.transaction() as session:
        ms.vault.uow.lock_audit_chain(session)
        ms.record(
            session,
            AuditAction.VAULT_UPGRADE,
            None,
            Purpose.ADMINISTRATION,
            f"listings={len(wanted)}",
        )
        readable = readable_group_ids(ms, session)
        required = ms.vault.sealed_meta_required
        for start in range(0, len(wanted), LISTING_BATCH):
            chunk = wanted[start : start + LISTING_BATCH]
            rows = session.scalars(
                select(CaseRow)
                .options(defer(CaseRow.intake), defer(CaseRow.details))
                .where(CaseRow.id.in_(chunk), CaseRow.group_id.in_(readable))
            ).all()
            for row in rows:
                key = ms.keyring.field_key_by_id(session, row.data_key_id)
                try:
                    open_meta(row, key, required)
                except CaseTampered:
                    continue
                if opened_listing(row) is not None or person_listing(row, key) is None:
                    continue
                # The same copy at the same version, with the listing: nothing a member
                # reads changes, so no version moves and no open edit meets a conflict.
                resealed += (
                    session.connection()
                    .execute(
                        update(_CASES)
                        .where(_CASES.c.id == row.id, _CASES.c.version == row.version)
                        .values(meta=seal_meta(row, key, row.version))
                    )
                    .rowcount
                )
            session.expire_all()  # the rows above hold their old copies
    # A summary made from the person is the one the listing now gives: nothing to read again.
    index.unlisted.clear()
    return resealed


def _rows(session: Session) -> list[CaseRow]:
    return list(
        session.scalars(
            select(CaseRow).options(
                defer(CaseRow.person), defer(CaseRow.intake), defer(CaseRow.details)
            )
        )
    )


def _seal_format_one(ms: MemberSession, session: Session) -> tuple[int, int]:
    """Give every case row, case part, referral, trend note and received referral without a
    sealed copy one, from its clear values (the flush seals it with its key). Returns
    (cases, rows sealed); AccessDenied, before anything is written, when such a row's key is
    one this coordinator does not hold."""
    rows = {row.id: row for row in _rows(session)}
    bare: list[Any] = [row for row in rows.values() if row.meta is None]
    for model in PART_FIELDS:
        bare += session.scalars(select(model).where(model.meta.is_(None)))
    bound = [
        row
        for model, binding in BINDINGS.items()
        if binding.sealed
        for row in session.scalars(select(model).where(model.meta.is_(None)))
    ]
    readable = readable_group_ids(ms, session)
    unreachable = {
        case.id
        for case in (rows[getattr(r, "case_id", r.id)] for r in bare)
        if case.group_id not in readable
    }
    for row in bound:
        try:
            BINDINGS[type(row)].key(ms.keyring, Rows(session), row)
        except AccessDenied:
            unreachable.add(row.id)
    if unreachable:
        n = len(unreachable)
        raise AccessDenied(
            f"{n} sager eller notater fra før de forseglede kopier ligger i adgangskredse, du "
            "ikke har nøglen til. En koordinator, der er med i dem, skal opgradere boksen; "
            "intet er ændret.",
            f"{n} cases or notes from before the sealed copies lie in access groups whose key "
            "you do not hold. A coordinator who is in them must upgrade the vault; nothing was "
            "changed.",
        )
    for row in bare:
        case = rows[getattr(row, "case_id", row.id)]
        remember_key(case, ms.keyring.field_key_by_id(session, case.data_key_id))
        values = legacy_values(row) if row is case else legacy_part_values(row)
        if values is None:  # the columns were there a moment ago, in this transaction
            raise RuntimeError("a format-1 row without its clear values")
        fill(row, values)
        flag_modified(row, "meta")  # the flush seals the copy
    for row in bound:
        ms.check_bound(session, row)  # without a copy: its values from the old columns
        flag_modified(row, "meta")
    session.flush()
    return len(rows), len(bare) + len(bound)


def _write_records(ms: MemberSession, session: Session) -> int:
    """Write every case's statistics record that is missing or of the first form."""
    sealing = ms.keyring.group_field_key(session, casework_group_id(ms, session))
    first: dict[uuid.UUID, tuple[str, str]] = {}
    current: set[uuid.UUID] = set()
    keys: dict[uuid.UUID, FieldKey] = {}
    for case_id, payload in session.execute(
        select(CaseStatisticsRow.case_id, CaseStatisticsRow.payload)
    ):
        key = keys.get(payload.key_id)
        if key is None:
            key = keys[payload.key_id] = ms.keyring.field_key_by_id(session, payload.key_id)
        if open_codes(key, case_id, payload) is not None:
            current.add(case_id)
        else:
            first[case_id] = first_form(key, case_id, payload)
    readable = readable_group_ids(ms, session)
    written = 0
    for row in _rows(session):
        if row.id in current:
            continue
        if row.group_id in readable:
            case_key = ms.keyring.field_key_by_id(session, row.data_key_id)
            open_meta(row, case_key, ms.vault.sealed_meta_required)
            write_codes(session, sealing, row, case_key, ms.vault.sealed_meta_required)
        else:
            # A case this coordinator cannot read: from the clear columns, which the
            # statistics counted until now, and the first record's age band and sex.
            values = legacy_values(row)
            if values is None:
                raise RuntimeError("a case row without its clear values before the upgrade")
            codes = record_of(
                session,
                row,
                {name: str(values[name]) for name in ("status", "category", "source")},
                values["received"],
                first.get(row.id, (AgeGroup.UNKNOWN.value, Sex.UNKNOWN.value)),
                _clear_part_codes(session, row.id),
            )
            store(session, row.id, seal_codes(sealing, row.id, codes))
        written += 1
    return written


def _clear_part_codes(session: Session, case_id: uuid.UUID) -> PartCodes:
    """The part codes of a case this coordinator cannot read, from the parts' clear columns
    a vault of the previous form still has."""

    def latest(name: str, code: str) -> str | None:
        parts = table(
            name, column("case_id", UUIDString()), column("at"), column("id"), column(code)
        )
        value = session.scalar(
            select(parts.c[code])
            .where(parts.c.case_id == case_id)
            .order_by(parts.c.at.desc(), parts.c.id.desc())
            .limit(1)
        )
        return None if value is None else str(value)

    measures = table("case_measures", column("case_id", UUIDString()), column("type"))
    types = session.scalars(select(measures.c.type).where(measures.c.case_id == case_id))
    referrals = table(
        "referrals",
        column("case_id", UUIDString()),
        column("sent_on", Date()),
        column("programme"),
        column("status"),
    )
    sent = session.execute(
        select(referrals.c.sent_on, referrals.c.programme, referrals.c.status).where(
            referrals.c.case_id == case_id, referrals.c.sent_on.is_not(None)
        )
    )
    return PartCodes(
        level=latest("case_assessments", "level"),
        screening=latest("case_screenings", "outcome"),
        measures=tuple(sorted(str(t) for t in types)),
        referrals=tuple(
            sorted(ReferralCodes(month_of(day), str(p), str(st)) for day, p, st in sent if day)
        ),
    )


__all__ = ["UpgradeReport", "unlisted_cases", "upgrade_due", "upgrade_vault"]
