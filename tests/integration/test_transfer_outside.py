"""*Overdraget* is set by a handover only, on SQLite and PostgreSQL: chosen as an ordinary
status it made a case read-only and due after the handed-over cases' six months without a
recipient or a disclosure (user trial). A handover made outside the program (secure mail, an
Infohus without the program) is recorded as one: the disclosure, the status and the
handover's entry together, by a coordinator."""

from __future__ import annotations

from datetime import date

import pytest

from infohus_desktop.domain.cases import LegalBasis
from infohus_desktop.domain.errors import InfohusError, InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import DEFAULT_RULES, add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.retention.approval import Approval
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.test_cli_cases import CaseCli, refused
from tests.integration.test_cli_cases import cli as cli  # the fixture


def _taken_up(session: MemberServices) -> str:
    number = session.cases.open_case(new_case("Flyt Flyttesen"), accept_duplicate=True).number
    session.cases.change_status(number, CaseStatus.SCREENING, "Screenes")
    session.cases.change_status(number, CaseStatus.IN_INFOHUS, "Drøftes i Infohuset")
    return number


def test_transferred_is_not_chosen_as_a_status(district: District) -> None:
    lars = district.coordinator
    number = _taken_up(lars)
    before = lars.cases.show(number)
    with pytest.raises(InvalidInput) as caught:
        lars.cases.change_status(number, CaseStatus.TRANSFERRED, "Flyttet til Fyn")
    assert "»Overdraget« vælges ikke som status" in caught.value.message("da")
    assert "records a handover made outside the program" in caught.value.message("en")
    after = lars.cases.show(number)
    assert after.summary.status is CaseStatus.IN_INFOHUS
    assert after.summary.version == before.summary.version


def test_a_handover_made_outside_is_recorded_whole(district: District) -> None:
    """With the second person: nothing in the program shows the case went anywhere, and the
    handed-over cases' period would let one coordinator make any case due in months."""
    lars = district.coordinator
    number = _taken_up(lars)
    with pytest.raises(InvalidInput) as caught:
        lars.transfers.record_outside(number, "Infohus Fyn", "Sendt med sikker post")
    assert "kræver godkendelse af DPO'en eller en anden koordinator" in caught.value.message("da")
    assert lars.cases.show(number).summary.status is CaseStatus.IN_INFOHUS
    with pytest.raises(InvalidInput, match="anden end dig selv"):
        lars.transfers.record_outside(
            number, "Infohus Fyn", "", Approval("lars", district.passphrases["lars"])
        )
    summary = lars.transfers.record_outside(
        number, "  Infohus   Fyn ", "Sendt med sikker post", district.approval()
    )
    assert summary.status is CaseStatus.TRANSFERRED
    case = lars.cases.show(number)
    assert case.history[-1].reason == (
        "Overdraget til Infohus Fyn uden om programmet: Sendt med sikker post"
    )
    [disclosure] = case.disclosures
    assert disclosure.to_party == "Infohus Fyn"
    assert disclosure.legal_basis is LegalBasis.RPL_115_1_1
    assert "uden om programmet" in disclosure.what and disclosure.on == date.today()
    [entry] = [b for _, b in opened_since(lars) if b.action == "case.transfer"]
    assert entry.detail == "outside approved_by=vibeke" and entry.purpose == "sagsbehandling"
    # As after a bundle: read-only, and due after the handed-over cases' period.
    with pytest.raises(InvalidInput, match="kan kun læses"):
        lars.cases.change_status(number, CaseStatus.MEASURES, "Tilbage")
    [due] = lars.retention.due(today=add_months(date.today(), DEFAULT_RULES.transferred))
    assert due.number == number and due.transferred


def test_only_a_coordinator_records_it_and_only_where_a_handover_may_be(
    district: District,
) -> None:
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    number = _taken_up(lars)
    with pytest.raises(InfohusError):
        mette.transfers.record_outside(number, "Infohus Fyn", "", district.approval())
    with pytest.raises(InvalidInput, match="Skriv hvilket Infohus"):
        lars.transfers.record_outside(number, " \u200b ")
    closed = lars.cases.change_status(number, CaseStatus.CLOSED, "Slut", ClosingReason.OTHER)
    with pytest.raises(InvalidInput) as caught:
        lars.transfers.record_outside(closed.number, "Infohus Fyn")
    assert "genåbnes først" in caught.value.message("da")
    assert lars.cases.show(number).disclosures == ()


def test_the_cli_records_an_outside_handover(cli: CaseCli) -> None:
    number = cli.add_case("mette", "Flyt Flyttesen")["number"]
    for step in ("screening", "i_infohus"):
        cli.ok("lars", "case", "status", number, "--to", step, "--reason", "Videre")
    for reason in (("--reason", "Flyttet"), ()):  # said first, not "give a reason"
        refused(
            cli.as_("lars", "case", "status", number, "--to", "overdraget", *reason),
            2,
            "»Overdraget« vælges ikke som status",
        )
    refused(
        cli.as_("lars", "case", "transfer", number, "--to", "Infohus Fyn"),
        2,
        "--outside",
    )
    refused(
        cli.as_("lars", "case", "transfer", number, "--to", "Infohus Fyn", "--outside"),
        2,
        "En overdragelse uden om programmet kræver godkendelse",
        "Angiv godkenderen med --approver LOGIN.",
    )
    cli.enrol("dorte", "Dorte Dal", "Aarhus Kommune", "dpo")
    approver = ("--approver", "dorte", "--approver-passphrase-file", cli.passfiles["dorte"])
    out = cli.ok(
        "lars", "case", "transfer", number, "--to", "Infohus Fyn", "--outside",
        "--reason", "Sendt med sikker post", *approver,
    )  # fmt: skip
    assert f"Sag {number} er registreret som overdraget uden om programmet" in out
    shown = cli.as_("lars", "case", "show", number, "--json").json()
    assert shown["status"] == "overdraget"
    assert "Opbevaring: Standard" in cli.ok("lars", "case", "show", number)
    other = cli.add_case("mette", "Anden Flytter")["number"]
    for step in ("screening", "i_infohus"):
        cli.ok("lars", "case", "status", other, "--to", step, "--reason", "Videre")
    said = cli.as_(
        "lars", "case", "transfer", other, "--to", "Infohus Fyn", "--outside", "--json",
        *approver,
    ).json()  # fmt: skip
    assert said == {"case": other, "recipient": "Infohus Fyn", "outside": True}
    assert "Ingen sager er slettet." in cli.ok("lars", "retention", "deleted")
