"""A sent referral leaves its mark in the case: the case moves to ``henvist`` through the
case workflow where the workflow allows it (history row with the reason, the audit entry of
any status change), else the sending is noted in the case's journal and the status stays.
Sent by hand and sent as a bundle; both engines (``district``)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.workflow import CaseStatus
from tests.integration.bundle_fixtures import sender_vault
from tests.integration.case_fixtures import fill_case, new_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ADULT_CPR, COMPLETE, mette

YESTERDAY = date.today() - timedelta(days=1)


def _case_actions(district: District, case_id: object) -> list[tuple[str, str | None]]:
    """The case's status and journal audit entries, oldest first, as the coordinator reads
    the log."""
    entries = sorted(district.coordinator.audit.list(), key=lambda e: e.seq)
    return [
        (e.action, e.detail)
        for e in entries
        if e.object_id == str(case_id) and e.action in ("case.status", "case.journal")
    ]


def test_sending_moves_a_case_in_the_infohus_to_henvist(district: District) -> None:
    m = mette(district)
    case = fill_case(m, "Ali Ærø", ADULT_CPR, "Aarhus Kommune")  # i_infohus
    before = m.cases.show(case.number)
    referral = m.referrals.create(case.number, "pet_exit", COMPLETE)
    before_audit = _case_actions(district, case.id)
    m.referrals.change_status(referral.id, ReferralStatus.SENT, how="sikker_mail", on=YESTERDAY)
    after = m.cases.show(case.number)
    assert after.summary.status is CaseStatus.REFERRED
    last = after.history[-1]
    assert (last.old, last.new, last.by_login) == (
        CaseStatus.IN_INFOHUS,
        CaseStatus.REFERRED,
        "mette",
    )
    assert last.reason == (
        f"Henvist til PET's exitprogram (EXIT) (sendt {YESTERDAY:%d.%m.%Y}, sikker mail)."
    )
    assert len(after.history) == len(before.history) + 1
    assert after.journal == before.journal  # the status history says it; no second note
    # The audit entry of a manual status change, naming the case.
    assert _case_actions(district, case.id)[len(before_audit) :] == [
        ("case.status", "i_infohus->henvist")
    ]
    # The workflow goes on from there as from any henvist case.
    m.cases.change_status(case.number, CaseStatus.MEASURES, "EXIT har taget over")


@pytest.mark.parametrize("status", [CaseStatus.RECEIVED, CaseStatus.SCREENING])
def test_a_status_the_workflow_keeps_gets_a_journal_note(
    district: District, status: CaseStatus
) -> None:
    m = mette(district)
    case = m.cases.open_case(new_case("Bo Bæk", ADULT_CPR), accept_duplicate=True)
    if status is CaseStatus.SCREENING:
        m.cases.change_status(case.number, CaseStatus.SCREENING, "Forhåndstjek")
    before = m.cases.show(case.number)
    referral = m.referrals.create(case.number, "kommunal_exit", COMPLETE)
    m.referrals.change_status(referral.id, ReferralStatus.SENT, how="post", on=YESTERDAY)
    after = m.cases.show(case.number)
    assert after.summary.status is status
    assert after.history == before.history
    label = "Modtaget" if status is CaseStatus.RECEIVED else "Screening"
    assert [(j.kind.value, j.text, j.by_login) for j in after.journal[len(before.journal) :]] == [
        (
            "notat",
            f"Henvist til Kommunalt exitprogram (sendt {YESTERDAY:%d.%m.%Y}, post). "
            f"Sagens status »{label}« er ikke ændret.",
            "mette",
        )
    ]
    assert _case_actions(district, case.id)[-1] == ("case.journal", "notat")


def test_a_second_referral_of_a_henvist_case_is_noted_in_the_journal(
    district: District,
) -> None:
    m = mette(district)
    case = fill_case(m, "Ali Ærø", ADULT_CPR, "Aarhus Kommune")
    first = m.referrals.create(case.number, "pet_exit", COMPLETE)
    m.referrals.change_status(first.id, ReferralStatus.SENT, how="email")
    middle = m.cases.show(case.number)
    second = m.referrals.create(case.number, "kriminalforsorgen", COMPLETE)
    m.referrals.change_status(second.id, ReferralStatus.SENT, how="email")
    after = m.cases.show(case.number)
    assert after.summary.status is CaseStatus.REFERRED
    assert after.history == middle.history
    assert after.journal[-1].text.startswith("Henvist til Kriminalforsorgen (sendt ")
    assert after.journal[-1].text.endswith("Sagens status »Henvist« er ikke ændret.")


def test_a_refused_send_changes_neither_referral_nor_case(district: District) -> None:
    m = mette(district)
    case = fill_case(m, "Ali Ærø", ADULT_CPR, "Aarhus Kommune")
    draft = m.referrals.create(case.number, "pet_exit", prefill=False)  # required fields empty
    before = m.cases.show(case.number)
    with pytest.raises(InvalidInput):
        m.referrals.change_status(draft.id, ReferralStatus.SENT, how="email")
    after = m.cases.show(case.number)
    assert after.summary.status is CaseStatus.IN_INFOHUS
    assert (after.history, after.journal) == (before.history, before.journal)
    assert after.summary.version == before.summary.version
    assert m.referrals.show(draft.id).status is ReferralStatus.DRAFT


def test_a_bundle_sent_moves_the_case_to_henvist(district: District, tmp_path: Path) -> None:
    """The bundle export marks the draft sent (method: encrypted bundle) through the same
    step, so the case follows it."""
    sender = district.coordinator
    sender.bundles.export_public_key()  # makes the vault's bundle key
    receiver = sender_vault(tmp_path / "exit.sqlite")
    try:
        card, fingerprint = receiver.bundles.export_public_key()
    finally:
        receiver.lock()
        receiver.vault.close()
    exit_id = str(sender.bundles.add_recipient("EXIT", card, fingerprint).id)
    case = fill_case(sender, "Ali Ærø", ADULT_CPR, "Aarhus Kommune")
    draft = sender.referrals.create(case.number, "pet_exit", COMPLETE)
    assert sender.bundles.export_referral(draft.id, exit_id, [])
    assert sender.referrals.show(draft.id).status is ReferralStatus.SENT
    after = sender.cases.show(case.number)
    assert after.summary.status is CaseStatus.REFERRED
    today = date.today()
    assert after.history[-1].reason == (
        f"Henvist til PET's exitprogram (EXIT) (sendt {today:%d.%m.%Y}, krypteret pakke)."
    )
    assert _case_actions(district, case.id)[-1] == ("case.status", "i_infohus->henvist")
    # Exporting the sent referral again (a lost file) moves nothing twice.
    history = after.history
    sender.bundles.export_referral(draft.id, exit_id, [])
    assert sender.cases.show(case.number).history == history
