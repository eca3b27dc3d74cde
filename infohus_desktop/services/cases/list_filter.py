"""What ``session.cases.list`` filters by: the filter bar's choices and the search text,
applied to the decrypted summaries in memory (the database sees neither)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from infohus_desktop.domain.cases import CaseSummary, fold_name
from infohus_desktop.domain.workflow import CaseStatus


@dataclass(frozen=True, slots=True)
class CaseFilter:
    statuses: frozenset[CaseStatus] = frozenset()
    categories: frozenset[str] = frozenset()
    municipality: str | None = None
    lead_member_id: uuid.UUID | None = None
    lead_organisation_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    follow_up_due_by: date | None = None


def matches(case: CaseSummary, f: CaseFilter) -> bool:
    """Whether ``case`` passes every choice of ``f`` (empty choices pass everything)."""
    return (
        (not f.statuses or case.status in f.statuses)
        and (not f.categories or case.category in f.categories)
        and (not f.municipality or f.municipality.casefold() in case.municipality.casefold())
        and (f.lead_member_id is None or case.lead_member_id == f.lead_member_id)
        and (f.lead_organisation_id is None or case.lead_organisation_id == f.lead_organisation_id)
        and (f.group_id is None or case.group_id == f.group_id)
        and (
            f.follow_up_due_by is None
            or (case.follow_up is not None and case.follow_up <= f.follow_up_due_by)
        )
    )


def search_hit(case: CaseSummary, search: str | None) -> bool:
    """The search rule of ``cases.list(search=...)``: six or more digits within the CPR
    number, the text within the case number, or every word within the folded name."""
    if not search or not search.strip():
        return True
    text = search.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if case.person_cpr and len(digits) >= 6 and digits in case.person_cpr:
        return True
    if text.upper() in case.number:
        return True
    return all(part in fold_name(case.person_name) for part in fold_name(text).split())
