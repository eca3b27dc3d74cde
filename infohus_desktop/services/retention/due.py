"""The *Til sletning* list: closed cases, and cases handed over to another Infohus, whose
deletion date has passed or comes within 30 days, with number, Infohus Kommune, closing reason
and dates, never the person's name.

The deletion date is computed from the latest closing or handover (``case_status_changes``)
and the vault's rules (``transferred`` months for a case handed over), so it appears when a
case is closed, goes when it is reopened, and moves with the rules. Only cases of the
coordinator's own access groups are listed: every row is checked against its sealed copy
(with the case's key) before it is trusted, and a hold's reason is opened with it.
"""

from __future__ import annotations

import builtins
import contextlib
import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import RetentionClass
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import (
    DUE_SOON_DAYS,
    DueCase,
    Hold,
    RetentionAction,
    RetentionRules,
    deletion_date,
)
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.core.access import CaseHandle, readable_group_ids
from infohus_desktop.services.core.case_meta import open_meta
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.retention.rules import RetentionRulesService
from infohus_desktop.vault.case_schema import CaseRow, StatusChangeRow
from infohus_desktop.vault.members import as_utc
from infohus_desktop.vault.retention_schema import HoldRow
from infohus_desktop.vault.schema import LocalInfohusRow, MemberRow, OrganisationRow


def _closing(value: str | None) -> ClosingReason | None:
    try:
        return ClosingReason(value) if value else None
    except ValueError:
        return None


#: A case gets a deletion date when it ends: closed here, or handed over to another Infohus.
_ENDED = frozenset({CaseStatus.CLOSED.value, CaseStatus.TRANSFERRED.value})


class DueList:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def due(
        self, within_days: int = DUE_SOON_DAYS, today: date | None = None
    ) -> builtins.list[DueCase]:
        """Cases due now or within ``within_days``, earliest first (a coordinator; audited)."""
        self.ms.require(Role.COORDINATOR)
        today = today or date.today()
        self.ms.audited_read(RetentionAction.DUE, None, Purpose.DELETION, f"within={within_days}")
        # A window past the calendar's end (``--within 999999999``) is every case there is.
        horizon = (
            date.max
            if within_days > (date.max - today).days
            else today + timedelta(days=within_days)
        )
        with self.ms.uow() as session:
            rules = RetentionRulesService(self.ms).get(session)
            groups = readable_group_ids(self.ms, session)
            # The status is sealed: every readable case is opened (its copy only, not the
            # person), and the closed ones are kept.
            rows = session.scalars(
                select(CaseRow)
                .options(defer(CaseRow.person), defer(CaseRow.intake), defer(CaseRow.details))
                .where(CaseRow.group_id.in_(groups))
            ).all()
            with contextlib.suppress(TamperedData):  # each row then tries its own key
                self.ms.keyring.preload_data_keys(session, (row.data_key_id for row in rows))
            handles = []
            for row in rows:
                try:
                    key = self.ms.keyring.field_key_by_id(session, row.data_key_id)
                    open_meta(row, key, self.ms.vault.sealed_meta_required)
                except TamperedData:
                    self.ms.note_tampered(row.id, row.number)
                    continue
                if row.status in _ENDED:
                    handles.append(CaseHandle(row, key, self.ms.vault.sealed_meta_required))
            closed = self._closed_on(session, handles)
            names = self._municipalities(session)
            out = []
            for handle in handles:
                try:
                    entry = self._entry(session, handle, rules, closed.get(handle.row.id), names)
                except TamperedData:
                    self.ms.note_tampered(handle.row.id, handle.row.number)
                    continue
                if entry is not None and entry.delete_on <= horizon:
                    out.append(entry)
        self.ms.report_tampered()
        return sorted(out, key=lambda e: (e.delete_on, e.number))

    def entry(self, session: Session, handle: CaseHandle) -> DueCase | None:
        """The deletion date of one case (already found and checked), or None when open."""
        rules = RetentionRulesService(self.ms).get(session)
        closed = self._closed_on(session, [handle]).get(handle.row.id)
        return self._entry(session, handle, rules, closed, self._municipalities(session))

    def _entry(
        self,
        session: Session,
        handle: CaseHandle,
        rules: RetentionRules,
        closed_on: date | None,
        municipalities: dict[uuid.UUID, str],
    ) -> DueCase | None:
        row = handle.row
        if row.status not in _ENDED or closed_on is None:
            return None
        transferred = row.status == CaseStatus.TRANSFERRED.value
        reason = None if transferred else _closing(row.closing_reason)
        retention = RetentionClass(row.retention)
        months = rules.transferred if transferred else rules.months(reason, retention)
        return DueCase(
            case_id=row.id,
            number=row.number,
            municipality=municipalities.get(row.local_infohus_id, ""),
            closing_reason=reason,
            retention=retention,
            closed_on=closed_on,
            delete_on=deletion_date(closed_on, months),
            hold=self._hold(session, handle),
            transferred=transferred,
        )

    def _closed_on(
        self, session: Session, handles: builtins.list[CaseHandle]
    ) -> dict[uuid.UUID, date]:
        """The day of each ended case's closing (UTC date of the status change): the new
        status is sealed, so each case's status changes are opened with its key.

        The closing ended the case, so nothing in its history came after it: the day counted
        is the latest of every change, not the closing's own stamp alone. A workstation
        whose clock was set back closed an open case "in 2023" and deleted it the same day,
        unapproved (second user trial); the changes before the closing carry their true
        days, and the date is counted from the last of them."""
        by_id = {h.row.id: h for h in handles}
        latest: dict[uuid.UUID, date] = {}
        ended: set[uuid.UUID] = set()
        ids = list(by_id)
        for start in range(0, len(ids), 500):
            rows = session.scalars(
                select(StatusChangeRow)
                .where(StatusChangeRow.case_id.in_(ids[start : start + 500]))
                .order_by(StatusChangeRow.at, StatusChangeRow.id)
            )
            for row in rows:
                by_id[row.case_id].open_meta_of(row)
                day = as_utc(row.at).date()
                latest[row.case_id] = max(day, latest.get(row.case_id, day))
                if row.new_status in _ENDED:
                    ended.add(row.case_id)
        return {case_id: latest[case_id] for case_id in ended}

    def _hold(self, session: Session, handle: CaseHandle) -> Hold | None:
        """The active hold that lasts longest, opened and checked with the case's key."""
        rows = active_holds(session, handle)
        return hold_of(session, handle, rows[0]) if rows else None

    @staticmethod
    def _municipalities(session: Session) -> dict[uuid.UUID, str]:
        return dict(
            session.execute(
                select(LocalInfohusRow.id, OrganisationRow.name).join(
                    OrganisationRow, OrganisationRow.id == LocalInfohusRow.municipality_id
                )
            ).all()
        )


def active_holds(session: Session, handle: CaseHandle) -> builtins.list[HoldRow]:
    """The case's holds not released, opened and checked, the longest first (their dates
    are sealed: chosen in memory)."""
    active = [r for r in handle.parts(session, HoldRow) if r.released_at is None]
    return sorted(active, key=lambda r: r.until, reverse=True)


def hold_of(session: Session, handle: CaseHandle, row: HoldRow) -> Hold:
    data = handle.open_part(row)
    login = session.scalar(select(MemberRow.login).where(MemberRow.id == row.by_member)) or "?"
    return Hold(
        id=row.id,
        case_id=row.case_id,
        reason=str(data.get("reason", "")),
        until=row.until,
        by_login=login,
        at=as_utc(row.at).date(),
    )
