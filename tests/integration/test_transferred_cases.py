"""A case handed over to another Infohus (*overdraget*): it lives on there, so here it is read
only, and it is due for deletion the Infohus's ``transferred`` months after the handover
(issue 13). Until now such a case stayed editable and was never due."""

from __future__ import annotations

import io
from datetime import date

import pytest

from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.retention import DEFAULT_RULES, add_months, rules_from_json
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.retention.approval import Approval
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


@pytest.fixture
def lars(district: District) -> MemberServices:
    return district.coordinator


def _handed_over(lars: MemberServices, approval: Approval) -> str:
    number = lars.cases.open_case(new_case("Overdraget Olsen"), accept_duplicate=True).number
    lars.attachments.add(number, "notat.txt", io.BytesIO(b"bilag"))
    lars.cases.change_status(number, CaseStatus.SCREENING, "Screenes")
    lars.cases.change_status(number, CaseStatus.IN_INFOHUS, "Drøftes i Infohuset")
    lars.transfers.record_outside(number, "Infohus Fyn", "Personen er flyttet til Fyn", approval)
    return number


def test_a_handed_over_case_is_read_only(lars: MemberServices, approval: Approval) -> None:
    number = _handed_over(lars, approval)
    case = lars.cases.show(number)
    assert case.summary.status is CaseStatus.TRANSFERRED
    [attachment] = lars.attachments.list(number)
    lars.attachments.read(number, attachment.id, io.BytesIO())
    for change in (
        lambda: lars.case_records.add_journal(number, JournalKind.NOTE, "Efterskrift"),
        lambda: lars.attachments.add(number, "mere.txt", io.BytesIO(b"x")),
        lambda: lars.cases.change_status(number, CaseStatus.IN_INFOHUS, "Tilbage"),
    ):
        with pytest.raises(InvalidInput) as caught:
            change()
        assert "overdraget til et andet Infohus og kan kun læses" in caught.value.message("da")


def test_a_handed_over_case_is_due_after_the_transferred_period(
    lars: MemberServices, approval: Approval
) -> None:
    number = _handed_over(lars, approval)
    today = date.today()
    [entry] = lars.retention.due(today=add_months(today, DEFAULT_RULES.transferred))
    assert entry.number == number and entry.transferred and entry.closing_reason is None
    assert entry.closed_on == today
    assert entry.delete_on == add_months(today, DEFAULT_RULES.transferred)
    assert lars.retention.due(today=today) == []

    rules = lars.retention.rules.get()
    from infohus_desktop.domain.retention import rules_to_json

    lars.retention.rules.set({**rules_to_json(rules), "transferred": 3}, approval)
    [entry] = lars.retention.due(today=add_months(today, 3))
    assert entry.delete_on == add_months(today, 3)
    stone = lars.retention.delete(number, "Slettefrist udløbet", today=add_months(today, 3))
    assert stone.number == number and stone.closed_on == today
    assert [c.number for c in lars.cases.list()] == []


@pytest.mark.parametrize("months", [0, 601, "6", True])
def test_a_bad_transferred_period_is_refused(months: object) -> None:
    from infohus_desktop.domain.retention import rules_to_json

    with pytest.raises(InvalidInput, match="overdragne sager"):
        rules_from_json({**rules_to_json(DEFAULT_RULES), "transferred": months})
