"""Statistics over the district's cases and trend notes, for a period, as counts only.

Who: coordinators and members, and only while they hold the casework group's key. The counts
cover every case of the district, also those in access groups the caller is not in: counts are
what the network shares (DOMAIN.md "Statistics"); guests see only their shared cases and the DPO
supervises through the audit log, so neither gets statistics. A period is snapped to whole
calendar months (``domain.statistics.whole_months``) so that runs cannot be differenced down
to one day's cases. Every computation and export is audited with the period used.

How: every case has one record of statistics codes in ``case_statistics`` (status,
category, source, Infohus Kommune, received month, age band, sex, latest level and
screening outcome, measures, referrals), sealed to the casework group's key and kept
current by the flush (services/core/case_codes.py). The statistics decrypt every record and
count in memory: no code is a clear column (issue 20). Deleted cases count in the period they
were received from the record they left (services/statistics/kept_counts.py), so earlier
periods keep their figures.

The sections themselves are built in ``services/statistics/sections.py``; adding one
(referrals) is one builder and one line in its ``SECTION_BUILDERS``.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from infohus_desktop.crypto.aead import Ciphertext, FieldKey
from infohus_desktop.domain.access import STATISTICS_ROLES
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import AccessDenied, UpgradeDue
from infohus_desktop.domain.statistics import (
    Section,
    Statistics,
    StatisticsAction,
    whole_months,
)
from infohus_desktop.domain.statistics_codes import CaseCodes
from infohus_desktop.reports.statistics_csv import statistics_csv
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.cases.settings import CaseSettings
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.case_codes import open_codes, write_codes
from infohus_desktop.services.core.case_meta import open_meta
from infohus_desktop.services.core.session import MemberSession, denied
from infohus_desktop.services.statistics.kept_counts import load_kept
from infohus_desktop.services.statistics.query import PeriodRecords, StatisticsQuery
from infohus_desktop.services.statistics.sections import SECTION_BUILDERS
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.old_form import has_old_columns
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow


class StatisticsService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def _require(self, session: Session) -> None:
        self.ms.require()
        if self.ms.member.role not in STATISTICS_ROLES:
            raise denied()
        if casework_group_id(self.ms, session) not in readable_group_ids(self.ms, session):
            raise AccessDenied(
                "Statistik kræver sagsbehandlernes nøgle; spørg koordinatoren.",
                "Statistics need the caseworkers' key; ask the coordinator.",
            )

    def _audited(
        self, action: StatisticsAction, period_from: date, period_to: date
    ) -> tuple[date, date]:
        """Check the caller, snap the period to whole months and audit the period used (what
        was disclosed), before anything is counted. Returns the period used."""
        period_from, period_to = whole_months(period_from, period_to)
        with self.ms.uow() as session:
            self._require(session)
        self.ms.audited_read(
            action, None, Purpose.ADMINISTRATION, f"period={period_from}..{period_to}"
        )
        return period_from, period_to

    def compute(self, period_from: date, period_to: date) -> Statistics:
        """Counts for the whole months from ``period_from``'s month to ``period_to``'s (both
        included; the result's period says which). Audited before anything is decrypted."""
        return self._compute(*self._audited(StatisticsAction.COMPUTE, period_from, period_to))

    def _compute(self, period_from: date, period_to: date) -> Statistics:
        """Only ever called with a period :func:`whole_months` has snapped."""

        with self.ms.uow() as session:
            if has_old_columns(session):
                raise UpgradeDue()
            records = [*self._live(session), *load_kept(self.ms, session)]
            q = StatisticsQuery(
                self.ms,
                session,
                period_from,
                period_to,
                CaseSettings(self.ms).categories(session),
                PeriodRecords.of_period(records, period_from, period_to),
            )
            sections: list[Section] = []
            for build in SECTION_BUILDERS:
                made = build(q)
                if isinstance(made, Section):
                    sections.append(made)
                elif made is not None:
                    sections.extend(made)
        return Statistics(period_from, period_to, q.new_cases, tuple(sections))

    def _live(self, session: Session) -> list[CaseCodes]:
        """Every live case's record, decrypted (and so authenticated) with its key's epoch.
        A record of the first form (age and sex only) is not counted; the upgrade and
        :meth:`refresh_codes` rewrite those."""
        keys: dict[uuid.UUID, FieldKey] = {}
        out: list[CaseCodes] = []
        for case_id, payload in session.execute(
            select(CaseStatisticsRow.case_id, CaseStatisticsRow.payload)
        ):
            key = keys.get(payload.key_id)
            if key is None:
                key = keys[payload.key_id] = self.ms.keyring.field_key_by_id(
                    session, payload.key_id
                )
            codes = open_codes(key, case_id, payload)
            if codes is not None:
                out.append(codes)
        return out

    # -- exports ----------------------------------------------------------------------------

    def statistics_pdf(self, period_from: date, period_to: date, language: str = "da") -> bytes:
        """The anonymised PDF (counts below 5 as "< 5"). Building it is audited; printing
        and saving it are audited by :meth:`audit_export`."""

        stats = self._compute(*self._audited(StatisticsAction.PDF, period_from, period_to))
        # ReportLab is imported when the first PDF is built (on the worker), not when the
        # unlock loads this service (issue 17).
        from infohus_desktop.reports.statistics import render_statistics_pdf

        return render_statistics_pdf(
            stats, self._printed_by(), language, header_left=self._infohus()
        )

    def statistics_csv(self, period_from: date, period_to: date, language: str = "da") -> bytes:
        """The CSV (UTF-8 with BOM, ``;``), with the same suppression as the PDF. Audited."""

        used = self._audited(StatisticsAction.CSV, period_from, period_to)
        return statistics_csv(self._compute(*used), language)

    def audit_export(self, period_from: date, period_to: date, action: str) -> None:
        """The audit entry the PDF preview writes before it prints (``"print"``) or saves
        (``"save"``) the document it shows."""
        what = StatisticsAction.PRINT if action == "print" else StatisticsAction.SAVE
        period_from, period_to = whole_months(period_from, period_to)
        self.ms.audited_read(
            what, None, Purpose.ADMINISTRATION, f"period={period_from}..{period_to}"
        )

    def _infohus(self) -> str:
        name = self.ms.vault.infohus_name
        return name if name.casefold().startswith("infohus") else f"Infohus {name}"

    def _printed_by(self) -> str:
        return f"{self.ms.member.name} ({self.ms.member.login})"

    # -- the sealed codes -------------------------------------------------------------------

    def refresh_codes(self) -> int:
        """Write the statistics record of every case this member can read whose record is
        missing or of the first form (cases written by a member who did not hold the
        casework key yet, or before the records existed). Returns how many were written."""

        with self.ms.transaction() as session:
            self._require(session)
            written = refresh_records(self.ms, session)
            self.ms.record(
                session, StatisticsAction.REFRESH, None, Purpose.ADMINISTRATION, str(written)
            )
            return written


def refresh_records(ms: MemberSession, session: Session) -> int:
    """Rewrite the missing and first-form records of the cases ``ms`` can read, in the
    caller's transaction. Returns how many were written."""
    groups = readable_group_ids(ms, session)
    sealing = ms.keyring.group_field_key(session, casework_group_id(ms, session))
    current = {
        case_id
        for case_id, payload in session.execute(
            select(CaseStatisticsRow.case_id, CaseStatisticsRow.payload)
        )
        if _is_record(ms, session, case_id, payload)
    }
    rows = [
        row
        for row in session.scalars(
            select(CaseRow)
            .options(defer(CaseRow.intake), defer(CaseRow.details))
            .where(CaseRow.group_id.in_(groups))
        )
        if row.id not in current
    ]
    ms.keyring.preload_data_keys(session, (r.data_key_id for r in rows))
    for row in rows:
        key = ms.keyring.field_key_by_id(session, row.data_key_id)
        open_meta(row, key, ms.vault.sealed_meta_required)
        write_codes(session, sealing, row, key)
    return len(rows)


def _is_record(ms: MemberSession, session: Session, case_id: uuid.UUID, payload: bytes) -> bool:
    key = ms.keyring.field_key_by_id(session, Ciphertext(payload).key_id)
    return open_codes(key, case_id, payload) is not None
