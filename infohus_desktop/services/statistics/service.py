"""Statistics over the district's cases and trend notes, for a period, as counts only.

Who: coordinators and members, and only while they hold the casework group's key. The counts
cover every case of the district, also those in access groups the caller is not in: counts are
what the network shares (DOMAIN.md "Statistics"); guests see only their shared cases and the DPO
supervises through the audit log, so neither gets statistics. A period is snapped to whole
calendar months (``domain.statistics.whole_months``) so that runs cannot be differenced down
to one day's cases. Every computation and export is audited with the period used.

How: the clear codes of ``cases`` and its parts (status, category, source, Infohus Kommune,
received date, assessment level, screening outcome, measure type) are counted in SQL with
GROUP BY; only the small per-case codes of ``case_statistics`` (age group, sex, sealed to the
casework group's key: services/cases/codes.py) are decrypted, one key per epoch. Deleted
cases count in the period they were received from the codes they left
(services/statistics/kept_counts.py), so earlier periods keep their figures.

The sections themselves are built in ``services/statistics/sections.py``; adding one
(referrals) is one builder and one line in its ``SECTION_BUILDERS``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.statistics import (
    Section,
    Statistics,
    StatisticsAction,
    whole_months,
)
from infohus_desktop.reports.statistics import render_statistics_pdf
from infohus_desktop.reports.statistics_csv import statistics_csv
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.cases.codes import seal_codes
from infohus_desktop.services.cases.settings import CaseSettings
from infohus_desktop.services.core.access import CaseHandle, readable_group_ids
from infohus_desktop.services.core.session import MemberSession, denied
from infohus_desktop.services.statistics.kept_counts import KeptCounts, load_kept
from infohus_desktop.services.statistics.query import StatisticsQuery
from infohus_desktop.services.statistics.sections import SECTION_BUILDERS
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import person_from_json
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow

#: Roles that may see statistics (with the casework group's key).
STATISTICS_ROLES = (Role.COORDINATOR, Role.MEMBER)


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
            new_cases = int(
                session.scalar(
                    select(func.count())
                    .select_from(CaseRow)
                    .where(CaseRow.received >= period_from, CaseRow.received <= period_to)
                )
                or 0
            )
            kept = KeptCounts.of_period(load_kept(self.ms, session), period_from, period_to)
            q = StatisticsQuery(
                self.ms,
                session,
                period_from,
                period_to,
                new_cases + len(kept.cases),
                CaseSettings(self.ms).categories(session),
                kept,
            )
            sections: list[Section] = []
            for build in SECTION_BUILDERS:
                made = build(q)
                if isinstance(made, Section):
                    sections.append(made)
                elif made is not None:
                    sections.extend(made)
        return Statistics(period_from, period_to, q.new_cases, tuple(sections))

    # -- exports ----------------------------------------------------------------------------

    def statistics_pdf(self, period_from: date, period_to: date, language: str = "da") -> bytes:
        """The anonymised PDF (counts below 5 as "< 5"). Building it is audited; printing
        and saving it are audited by :meth:`audit_export`."""

        stats = self._compute(*self._audited(StatisticsAction.PDF, period_from, period_to))
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
        """Write the age group and sex codes of every case this member can read that has
        none yet (cases made before the statistics existed). Returns how many were written."""

        with self.ms.transaction() as session:
            self._require(session)
            groups = readable_group_ids(self.ms, session)
            rows = session.scalars(
                select(CaseRow)
                .outerjoin(CaseStatisticsRow, CaseStatisticsRow.case_id == CaseRow.id)
                .where(CaseRow.group_id.in_(groups), CaseStatisticsRow.case_id.is_(None))
            ).all()
            self.ms.keyring.preload_data_keys(session, (r.data_key_id for r in rows))
            casework = casework_group_id(self.ms, session)
            key, now = self.ms.keyring.group_field_key(session, casework), datetime.now(UTC)
            for row in rows:  # none has codes yet: add without asking for each
                handle = CaseHandle(row, self.ms.keyring.field_key_by_id(session, row.data_key_id))
                person = person_from_json(handle.open_case("person"))
                payload = seal_codes(key, row.id, person, row.received)
                session.add(CaseStatisticsRow(case_id=row.id, payload=payload, updated_at=now))
            self.ms.record(
                session, StatisticsAction.REFRESH, None, Purpose.ADMINISTRATION, str(len(rows))
            )
            return len(rows)
