"""Helpers for referral tests: a case with a referral, and a complete set of answers."""

from __future__ import annotations

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referrals import Referral
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import fill_case
from tests.integration.conftest import District

#: Answers to the required fields the prefill cannot know.
COMPLETE = {
    "reason": "Personen har selv spurgt til en vej ud af miljøet.",
    "person_informed": "ja",
    "person_consent": "ja",
    "legal_basis": "samtykke",
}
ADULT_CPR = "0101901234"  # born 1 January 1990


def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def jens(district: District) -> MemberServices:
    """A member of Randers: outside every Aarhus case's access group."""
    return district.enrol("jens", "Jens Lund", "Randers Kommune", Role.MEMBER)


def case_with_draft(
    session: MemberServices, name: str = "Ali Ærø", cpr: str | None = ADULT_CPR
) -> tuple[CaseSummary, Referral]:
    case = fill_case(session, name, cpr, "Aarhus Kommune")
    return case, session.referrals.create(case.number, "pet_exit")


def ready_draft(session: MemberServices, cpr: str | None = ADULT_CPR) -> Referral:
    _case, draft = case_with_draft(session, cpr=cpr)
    return session.referrals.edit(draft.id, draft.version, COMPLETE)
