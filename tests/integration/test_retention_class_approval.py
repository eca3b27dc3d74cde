"""A case's own retention class under four eyes, on SQLite and PostgreSQL: a class that
deletes the case sooner than its class does now needs the DPO or another coordinator, as a
shorter rule and an early deletion do (review: a coordinator who set a closed case to
*minimal* made it due at once, and `retention delete-due` deleted it unapproved)."""

from __future__ import annotations

from datetime import date

import pytest

from infohus_desktop.domain.cases import CaseSummary, RetentionClass
from infohus_desktop.domain.errors import InvalidInput, WrongPassphrase
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.retention.approval import Approval
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import edit_stored_rules, tamper
from tests.integration.test_cli_cases import CaseCli, refused
from tests.integration.test_cli_cases import cli as cli  # the fixture

RULES = {
    "closing_reasons": {reason.value: 12 for reason in ClosingReason},
    "classes": {"minimal": 3, "forlaenget": 48},
    "audit_months": 24,
}


@pytest.fixture
def lars(district: District, approval: Approval) -> MemberServices:
    district.coordinator.retention.rules.set(RULES, approval)
    return district.coordinator


def _case(session: MemberServices, closed: bool = True) -> CaseSummary:
    case = session.cases.open_case(new_case("Klasse Klausen", None), accept_duplicate=True)
    if not closed:
        return case
    return session.cases.change_status(
        case.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED
    )


def _due_on(session: MemberServices, number: str) -> date:
    [entry] = [e for e in session.retention.due(within_days=4000) if e.number == number]
    return entry.delete_on


def _class(session: MemberServices, number: str) -> RetentionClass:
    return session.cases.show(number).retention


def test_a_shorter_class_on_a_closed_case_needs_a_second_person(
    district: District, lars: MemberServices, approval: Approval
) -> None:
    case = _case(lars)
    due = _due_on(lars, case.number)
    assert due == add_months(date.today(), 12)
    minimal = CaseEdit(retention=RetentionClass.MINIMAL)
    with pytest.raises(InvalidInput) as caught:
        lars.cases.edit(case.number, case.version, minimal)
    assert f"Opbevaringen »Minimal« giver {case.number} en kortere periode" in (
        caught.value.message("da")
    )
    assert "needs the approval of the DPO or another coordinator" in caught.value.message("en")
    # Nothing changed: not the class, not the day the case is due.
    assert _class(lars, case.number) is RetentionClass.STANDARD
    assert _due_on(lars, case.number) == due
    # Not from oneself, not from a member who is not a coordinator, not with a wrong phrase.
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for who, passphrase, fragment in (
        ("lars", district.passphrases["lars"], "anden end dig selv"),
        ("mette", district.passphrases["mette"], "Kun DPO'en eller en anden koordinator"),
    ):
        with pytest.raises(InvalidInput) as caught:
            lars.cases.edit(case.number, case.version, minimal, approval=Approval(who, passphrase))
        assert fragment in caught.value.message("da")
    with pytest.raises(WrongPassphrase) as wrong:
        lars.cases.edit(
            case.number, case.version, minimal, approval=Approval("vibeke", "forkert frase her")
        )
    assert wrong.value.message("da").startswith("Godkenderens bruger eller adgangsfrase")
    assert _class(lars, case.number) is RetentionClass.STANDARD

    lars.cases.edit(case.number, case.version, minimal, approval=approval)
    assert _class(lars, case.number) is RetentionClass.MINIMAL
    assert _due_on(lars, case.number) == add_months(date.today(), 3)
    [entry] = [b for _, b in opened_since(lars) if b.action == "case.edit"][-1:]
    assert entry.detail == "fields=['retention'] retention=minimal approved_by=vibeke"


def test_a_longer_class_needs_nobody_and_going_back_from_it_does(
    lars: MemberServices, approval: Approval
) -> None:
    case = _case(lars)
    extended = lars.cases.edit(
        case.number, case.version, CaseEdit(retention=RetentionClass.EXTENDED)
    )
    assert _due_on(lars, case.number) == add_months(date.today(), 48)
    [entry] = [b for _, b in opened_since(lars) if b.action == "case.edit"][-1:]
    assert entry.detail == "fields=['retention'] retention=forlaenget"  # nobody needed to
    back = CaseEdit(retention=RetentionClass.STANDARD)
    with pytest.raises(InvalidInput, match="Standard"):
        lars.cases.edit(case.number, extended.version, back)
    lars.cases.edit(case.number, extended.version, back, approval=approval)
    assert _due_on(lars, case.number) == add_months(date.today(), 12)


def test_an_open_case_counts_every_reason_it_could_be_closed_with(
    lars: MemberServices, approval: Approval
) -> None:
    """An open case has no deletion date yet; the class still decides it once the case is
    closed, whatever the reason, so a shorter one is approved now, not at closing."""
    case = _case(lars, closed=False)
    minimal = CaseEdit(retention=RetentionClass.MINIMAL)
    with pytest.raises(InvalidInput, match="kortere periode"):
        lars.cases.edit(case.number, case.version, minimal)
    lars.cases.edit(case.number, case.version, minimal, approval=approval)
    closed = lars.cases.change_status(
        case.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.MEASURES_DONE
    )
    assert _due_on(lars, closed.number) == add_months(date.today(), 3)


def test_a_class_no_shorter_under_the_closing_reason_still_needs_it(
    lars: MemberServices, approval: Approval
) -> None:
    """The user trial: a case closed as *ubegrundet* (the same period under both classes)
    was set to *minimal* unapproved, reopened and closed again as *indsats afsluttet*, and
    was due in 3 months instead of 12. Every reason counts, also for a closed case."""
    rules = lars.retention.rules.set(
        {**RULES, "closing_reasons": {**RULES["closing_reasons"], "ubegrundet": 3}}, approval
    )
    assert rules.months(ClosingReason.UNFOUNDED, RetentionClass.MINIMAL) == 3
    assert rules.months(ClosingReason.UNFOUNDED, RetentionClass.STANDARD) == 3
    case = _case(lars)  # closed as ubegrundet
    with pytest.raises(InvalidInput, match="kortere periode"):
        lars.cases.edit(case.number, case.version, CaseEdit(retention=RetentionClass.MINIMAL))
    assert _class(lars, case.number) is RetentionClass.STANDARD


def test_other_edits_need_no_approval(lars: MemberServices) -> None:
    """Only the class asks for the second person: the heading of a closed case does not."""
    case = _case(lars)
    saved = lars.cases.edit(case.number, case.version, CaseEdit(title="Ny overskrift"))
    assert saved.version > case.version
    assert _class(lars, case.number) is RetentionClass.STANDARD


def test_rules_changed_outside_the_program_leave_nothing_to_compare_with(
    district: District, lars: MemberServices, approval: Approval
) -> None:
    case = _case(lars)
    tamper(district.url, edit_stored_rules("classes", "forlaenget", 1))
    extended = CaseEdit(retention=RetentionClass.EXTENDED)
    with pytest.raises(InvalidInput) as caught:
        lars.cases.edit(case.number, case.version, extended)
    assert "ændret uden om programmet" in caught.value.message("da")
    lars.cases.edit(case.number, case.version, extended, approval=approval)
    assert _class(lars, case.number) is RetentionClass.EXTENDED


def test_the_cli_asks_for_the_approver(cli: CaseCli) -> None:
    number = cli.add_case("mette", "Klasse Klausen")["number"]
    cli.ok("mette", "case", "status", number, "--to", "afsluttet", "--reason", "Afklaret",
           "--closing-reason", "fraflyttet")  # fmt: skip
    refused(
        cli.as_("mette", "case", "edit", number, "--retention", "minimal"),
        2,
        f"Opbevaringen »Minimal« giver {number} en kortere periode",
        "kræver godkendelse af DPO'en eller en anden koordinator",
        "Angiv godkenderen med --approver LOGIN.",
    )
    # Named, but no passphrase file and no terminal: the approver's file is what is missing.
    refused(
        cli.as_("mette", "case", "edit", number, "--retention", "minimal", "--approver", "lars"),
        2,
        "Ingen adgangsfrase for lars: brug --approver-passphrase-file",
    )
    approver = ("--approver", "lars", "--approver-passphrase-file", cli.passfiles["lars"])
    saved = cli.as_("mette", "case", "edit", number, "--retention", "minimal", *approver)
    assert saved.code == 0 and f"{number} er gemt" in saved.out, saved
    shown = cli.as_("mette", "case", "show", number, "--json").json()
    assert shown["retention"] == "minimal"


def test_a_closing_stamped_before_the_cases_history_counts_from_its_last_change(
    lars: MemberServices,
) -> None:
    """The second user trial closed an open case on a workstation whose clock was set back
    to 2023, and deleted it the same day as long due. The closing ended the case, so it is
    counted from the last change in the case's history, whatever its own stamp says."""
    from datetime import UTC, datetime

    from infohus_desktop.services.core.clock import played_at

    case = _case(lars, closed=False)
    lars.cases.change_status(case.number, CaseStatus.SCREENING, "Screenes")
    with played_at(lambda: datetime(2023, 1, 10, 10, 5, tzinfo=UTC)):
        lars.cases.change_status(
            case.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.MEASURES_DONE
        )
    assert _due_on(lars, case.number) == add_months(date.today(), 12)
    with pytest.raises(InvalidInput, match="først til sletning"):
        lars.retention.delete(case.number, "Slettefristen er udløbet")


def test_a_member_releases_only_the_holds_they_set(
    district: District, lars: MemberServices
) -> None:
    """The second user trial: a member released a coordinator's hold, alone, and the case
    was due. A member may end their own hold; another's is a coordinator's to end."""
    from infohus_desktop.domain.errors import AccessDenied

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = _case(mette)
    until = date(2099, 1, 1)
    lars.retention.holds.add(case.number, "Klagesag hos Datatilsynet", until)
    with pytest.raises(AccessDenied) as caught:
        mette.retention.holds.release(case.number)
    assert "Kun en koordinator kan ophæve" in caught.value.message("da")
    assert len(lars.retention.holds.of_case(case.number)) == 1
    assert lars.retention.holds.release(case.number) == 1
    mette.retention.holds.add(case.number, "Anmodning om indsigt", until)
    assert mette.retention.holds.release(case.number) == 1


def test_a_version_not_made_yet_is_said_so(lars: MemberServices) -> None:
    """`case edit --version 999` said "changed by someone else (version 999 → 4)", though
    nobody had (second user trial)."""
    case = _case(lars)
    with pytest.raises(InvalidInput) as caught:
        lars.cases.edit(case.number, case.version + 50, CaseEdit(title="Ny"))
    assert caught.value.message("da") == (
        f"{case.number} har ingen version {case.version + 50}; sagen er i version {case.version}."
    )
