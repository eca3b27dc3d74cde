"""Everything the opened case shows, read on the worker in one go."""

from __future__ import annotations

from dataclasses import dataclass

from infohus_desktop.domain.assessment import Assessment
from infohus_desktop.domain.cases import Case
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.case_format import CaseNames, load_names


@dataclass(frozen=True)
class CaseData:
    case: Case
    #: Oldest first, as the service returns them.
    assessments: list[Assessment]
    names: CaseNames

    @property
    def number(self) -> str:
        return self.case.summary.number

    @property
    def latest(self) -> Assessment | None:
        return self.assessments[-1] if self.assessments else None


def load_case(session: MemberServices, number: str, names: CaseNames | None) -> CaseData:
    """On the worker. Names (members, categories) are read on the first load only."""
    case = session.cases.show(number)
    assessments = session.case_records.assessments(case.summary.number)
    return CaseData(case, assessments, names or load_names(session))
