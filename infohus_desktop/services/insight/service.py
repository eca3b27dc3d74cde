"""``session.insight``: the citizen's insight report, as data and as a PDF.

Who: a coordinator, for the cases of the access groups whose keys they hold. The DPO holds
no case keys by design (the DPO supervises through the audit log and never reads case
content, SECURITY.md §5), so a DPO is refused with a message that says who can make it.

Auditing: a search by CPR number searches the coordinator's case list by it (one
``case.search`` entry, purpose *indsigt*, the criterion sealed), beside the blind index;
each case is read under one ``case.read`` entry with the purpose *indsigt*,
committed before the case is decrypted; the report itself is one ``insight.report`` entry
whose detail says how many cases it holds and whether staff names were included, never who
the person is.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cpr import normalize_cpr, parse_cpr
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound
from infohus_desktop.domain.insight import (
    DeletedCase,
    InsightAction,
    InsightCase,
    InsightReport,
    SearchBy,
)
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.reader import read_case
from infohus_desktop.services.cases.records import read_assessments
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import CaseHandle, find_case
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.insight import finding
from infohus_desktop.services.insight.log import log_lines
from infohus_desktop.services.referrals.reader import list_referrals
from infohus_desktop.services.retention.tombstones import Tombstones, tombstone_of
from infohus_desktop.vault.codecs.cases import person_from_json
from infohus_desktop.vault.retention_schema import TombstoneRow


def dpo_refused() -> AccessDenied:
    return AccessDenied(
        "DPO'en har ingen nøgle til sagernes indhold og kan ikke danne en indsigtsrapport. "
        "En koordinator i sagens adgangskreds må danne den; DPO'en kan følge med i loggen.",
        "The DPO holds no key to case content and cannot produce an insight report. A "
        "coordinator of the case's access group must produce it; the DPO can follow it in "
        "the log.",
    )


def _one_way() -> InvalidInput:
    return InvalidInput(
        "Angiv enten et CPR-nummer eller et sagsnummer.",
        "Give either a CPR number or a case number.",
    )


class InsightService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def build(
        self, cpr: str | None = None, case: str | None = None, with_staff_names: bool = False
    ) -> InsightReport:
        """Everything about one person, found by CPR number or by one of their case numbers
        (then all the cases of that case's person, or that case alone when it has no CPR
        number): the cases whole, the tombstone of a deleted case asked for by number, and
        every log line of those cases. Audited as the module says."""
        self._check_role()
        if (cpr is None) == (case is None):
            raise _one_way()
        # A number whose date does not exist is refused, as at intake: no case can hold it,
        # and a report saying "no cases" about it would read as an answer (user trial).
        digits = parse_cpr(cpr).number if cpr is not None else None
        deleted: list[DeletedCase] = []
        read: list[InsightCase] = []
        logged: dict[uuid.UUID, str] = {}
        elsewhere = False
        if case is not None:
            first, stone = self._by_number(case)
            if stone is not None:
                deleted.append(stone[1])
                logged[stone[0]] = stone[1].number
            if first is not None:
                read.append(first)
                digits = first.case.person.cpr
        if digits is not None:
            with self.ms.uow() as session:
                candidates = finding.by_cpr(self.ms, session, digits)
            elsewhere = candidates.possibly_elsewhere
            done = {c.case.summary.id for c in read}
            listed, unreadable = self._listed(digits)
            # A readable case changed outside the program may be the person's: the report
            # says so as it does for a case the issuer cannot read (as the duplicate check).
            elsewhere = elsewhere or unreadable
            for case_id in listed.keys() - set(candidates.case_ids):
                # Found by its sealed listing and not by the blind index: the index was
                # changed outside the program. Noted as tampered, and read all the same.
                self.ms.note_tampered(case_id, listed[case_id])
            for case_id in sorted({*candidates.case_ids, *listed}):
                if case_id not in done:
                    whole = self._read(str(case_id), digits)
                    if whole is not None:
                        read.append(whole)
        read.sort(key=lambda c: (c.case.summary.received, c.case.summary.number))
        logged.update({c.case.summary.id: c.case.summary.number for c in read})
        with self.ms.uow() as session:
            limited = finding.limited_to_groups(self.ms, session)
        lines = log_lines(self.ms, logged, with_staff_names)
        with self.ms.transaction() as session:
            self.ms.record(
                session,
                InsightAction.REPORT,
                None,
                Purpose.INSIGHT,
                f"by={'case' if case is not None else 'cpr'} cases={len(read)} "
                f"deleted={len(deleted)} log_lines={len(lines)} "
                f"staff_names={'yes' if with_staff_names else 'no'}",
            )
        person = read[0].case.person if read else None
        return InsightReport(
            searched_by=SearchBy.CASE if case is not None else SearchBy.CPR,
            searched_case=case.strip().upper() if case is not None else None,
            person_name=person.name if person else None,
            person_cpr=(person.cpr if person else None) or digits,
            cases=tuple(read),
            deleted=tuple(deleted),
            log=tuple(lines),
            with_staff_names=with_staff_names,
            limited_to_groups=limited,
            possibly_elsewhere=elsewhere,
            produced_at=datetime.now(UTC),
            produced_by=f"{self.ms.member.name} ({self.ms.member.login})",
            infohus_name=self.ms.vault.infohus_name,
        )

    def _listed(self, digits: str) -> tuple[dict[uuid.UUID, str], bool]:
        """The readable cases (id → number) whose sealed listing holds this CPR number: the
        case list searched by it, audited with the criterion (purpose *indsigt*). The blind
        index is a clear column; a case whose index was cleared or changed by SQL is found
        here all the same, so the citizen's report does not lose it. And whether a case the
        list could not read (changed outside the program) may be the person's."""
        listed = CaseService(self.ms).list(search=digits, purpose=Purpose.INSIGHT)
        found = {c.id: c.number for c in listed if not c.tampered and c.person_cpr == digits}
        return found, any(c.tampered for c in listed)

    # -- who ------------------------------------------------------------------------------

    def record_output(self, action: str) -> None:
        """Audit printing or saving a report shown in the app's preview (purpose indsigt)."""
        self._check_role()
        kinds = {"print": InsightAction.PRINT, "save": InsightAction.SAVE}
        if action not in kinds:
            raise InvalidInput("Ukendt handling.", "Unknown action.")
        with self.ms.transaction() as session:
            self.ms.record(session, kinds[action], None, Purpose.INSIGHT)

    def _check_role(self) -> None:
        self.ms.require()
        if self.ms.member.role is Role.DPO:
            raise dpo_refused()
        self.ms.require(Role.COORDINATOR)

    # -- reading ----------------------------------------------------------------------------

    def _by_number(
        self, number: str
    ) -> tuple[InsightCase | None, tuple[uuid.UUID, DeletedCase] | None]:
        """The case asked for, or the tombstone of a deleted one by that number."""
        with self.ms.uow() as session:
            try:
                case_id: uuid.UUID | None = find_case(self.ms, session, number, CaseOp.READ).row.id
            except NotFound:
                case_id = None
            stone = None if case_id is not None else self._tombstone(session, number)
        if case_id is None:
            if stone is None:
                raise NotFound(
                    f"Ingen sag {number} blandt de sager, du kan læse, og ingen slettet sag "
                    "med det nummer.",
                    f"No case {number} among the cases you can read, and no deleted case "
                    "with that number.",
                )
            return None, stone
        return self._read(str(case_id), None), None

    def _tombstone(self, session: Session, number: str) -> tuple[uuid.UUID, DeletedCase] | None:
        row = session.scalar(select(TombstoneRow).where(TombstoneRow.number == number.upper()))
        if row is None:
            return None
        Tombstones(self.ms).check(session, row)  # a stone changed outside the program fails
        stone = tombstone_of(session, row)
        return row.id, DeletedCase(
            number=stone.number,
            municipality=stone.municipality,
            received=stone.received,
            closed_on=stone.closed_on,
            deleted_on=stone.deleted_at,
        )

    def _read(self, ref: str, digits: str | None) -> InsightCase | None:
        """One case whole, under one audit entry (purpose *indsigt*) committed before it is
        decrypted. With ``digits``, a case whose CPR number is another (a blind-index
        collision) is left out."""
        with self.ms.uow() as session:
            case_id = find_case(self.ms, session, ref, CaseOp.READ).row.id
        self.ms.audited_read("case.read", case_id, Purpose.INSIGHT, "insight")
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.READ)
            if digits is not None:
                person = person_from_json(handle.open_case("person"))
                if person.cpr is None or normalize_cpr(person.cpr) != digits:
                    return None
            return self._whole(session, handle)

    def _whole(self, session: Session, handle: CaseHandle) -> InsightCase:
        cases = CaseService(self.ms)
        summary = cases.summary(session, handle, cases.municipalities(session))
        category = cases.categories(session).get(summary.category)
        return InsightCase(
            category=category or (summary.category, summary.category),
            case=read_case(session, handle, summary),
            assessments=tuple(read_assessments(self.ms, session, handle)),
            referrals=tuple(
                list_referrals(self.ms, session, frozenset(), frozenset(), handle.row.id)
            ),
        )
