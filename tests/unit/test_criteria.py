"""The words a list's or a search's audit entry keeps: what was asked, and nothing else."""

from __future__ import annotations

import uuid
from datetime import date

from infohus_desktop.domain.criteria import criterion
from infohus_desktop.domain.trends import Development, TrendFilter
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.list_filter import CaseFilter


def test_only_the_choices_made_are_said_in_the_codes_the_cli_takes() -> None:
    lead = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")
    filters = CaseFilter(
        statuses=frozenset({CaseStatus.CLOSED, CaseStatus.RECEIVED}),
        municipality="Aarhus",
        lead_member_id=lead,
        follow_up_due_by=date(2026, 12, 31),
    )
    said = criterion(filters, "Andersen", due=True)
    assert said == (
        f"search='Andersen' statuses={CaseStatus.CLOSED.value},{CaseStatus.RECEIVED.value} "
        f"municipality='Aarhus' lead_member_id={lead} follow_up_due_by=2026-12-31 due=True"
    )
    assert "frozenset" not in said and "CaseFilter" not in said


def test_nothing_chosen_is_said_as_all() -> None:
    assert criterion(CaseFilter(), None) == "all"
    assert criterion(CaseFilter(), "", due=False) == "all"
    assert criterion(TrendFilter(developments=frozenset({Development.RISING})), None) == (
        f"developments={Development.RISING.value}"
    )
