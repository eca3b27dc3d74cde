"""Referrals, part 2: who may read and change them (the case's rule), and the audit trail:
every read is logged, with the case as object and the referral in the detail, before anything
is decrypted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from infohus_desktop.domain.errors import AccessDenied, NotFound
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import ReferralAction
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.referral_schema import ReferralRow, ReferralStatusRow
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.conftest import District
from tests.integration.referral_fixtures import COMPLETE, case_with_draft, jens, mette


def _counts(session: MemberServices) -> tuple[int, int, int]:
    with session.vault.uow() as s:
        return (
            s.scalar(select(func.count()).select_from(ReferralRow)) or 0,
            s.scalar(select(func.count()).select_from(ReferralStatusRow)) or 0,
            s.scalar(select(func.max(AuditEntryRow.seq))) or 0,
        )


def test_an_outsider_cannot_read_list_or_change_a_referral(district: District) -> None:
    m = mette(district)
    case, draft = case_with_draft(m)
    outsider = jens(district)
    before = _counts(m)
    refusals = [
        lambda: outsider.referrals.show(draft.id),
        lambda: outsider.referrals.referral_pdf(draft.id),
        lambda: outsider.referrals.edit(draft.id, draft.version, {"reason": "x"}),
        lambda: outsider.referrals.change_status(draft.id, ReferralStatus.WITHDRAWN, "x"),
        lambda: outsider.referrals.record_output(draft.id, "print"),
    ]
    for attempt in refusals:
        with pytest.raises(NotFound) as refused:
            attempt()
        # the very answer a referral that does not exist gets
        assert refused.value.en == f"No referral {draft.id} among those you can read."
    with pytest.raises(NotFound):
        outsider.referrals.for_case(case.number)
    with pytest.raises(NotFound):
        outsider.referrals.create(case.number, "pet_exit", prefill=False)
    assert outsider.referrals.list() == []
    assert _counts(m)[:2] == before[:2]  # nothing written
    assert m.referrals.show(draft.id).version == draft.version


def test_a_guest_reads_a_shared_case_s_referral_but_cannot_change_it(district: District) -> None:
    m = mette(district)
    case, draft = case_with_draft(m)
    karl = district.enrol(
        "karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN
    )
    assert karl.referrals.list() == []
    district.coordinator.groups.add("Sag med Kriminalforsorgen", ["lars", "karl", "mette"])
    district.coordinator.cases.move(case.number, "Sag med Kriminalforsorgen")
    assert karl.referrals.show(draft.id).values["person_name"] == "Ali Ærø"
    with pytest.raises(AccessDenied):
        karl.referrals.edit(draft.id, draft.version, {"reason": "x"})
    with pytest.raises(AccessDenied):
        karl.referrals.change_status(draft.id, ReferralStatus.WITHDRAWN, "x")


def test_the_dpo_reads_no_referral(district: District) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m)
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    with pytest.raises(AccessDenied):
        dorte.referrals.show(draft.id)
    with pytest.raises(AccessDenied):
        dorte.referrals.list()


def test_every_read_and_change_is_audited_with_the_case(district: District) -> None:
    m = mette(district)
    case, draft = case_with_draft(m)
    r = m.referrals.edit(draft.id, draft.version, COMPLETE)
    m.referrals.change_status(r.id, ReferralStatus.SENT, how="email")
    m.referrals.show(r.id)
    m.referrals.list(["sendt"])
    m.referrals.for_case(case.number)
    m.referrals.referral_pdf(r.id)
    m.referrals.record_output(r.id, "print")
    m.referrals.output_audit(r.id)(m, "save")
    entries = district.coordinator.audit.list(limit=200)
    mine = [e for e in entries if e.actor_login == "mette" and e.action.startswith("referral.")]
    actions = [e.action for e in reversed(mine)]
    assert actions == [
        ReferralAction.CREATE,
        ReferralAction.EDIT,
        ReferralAction.STATUS,
        ReferralAction.READ,
        ReferralAction.LIST,
        ReferralAction.CASE_LIST,
        ReferralAction.PDF,
        ReferralAction.PRINT,
        ReferralAction.SAVE,
    ]
    for e in mine:
        if e.action != ReferralAction.LIST:
            assert e.object_id == str(case.id)
            assert e.purpose == "sagsbehandling"
    for e in mine:
        if e.action in (ReferralAction.READ, ReferralAction.PDF, ReferralAction.PRINT):
            assert e.detail == str(r.id)
    listing = next(e for e in mine if e.action == ReferralAction.LIST)
    assert listing.detail is not None and "sendt" in listing.detail
    status = next(e for e in mine if e.action == ReferralAction.STATUS)
    assert status.detail == f"{r.id} kladde->sendt"
    # the prefill read the case under the case's own audit actions
    assert {"case.read", "case.read.assessments"} <= {e.action for e in entries}


def test_a_read_is_audited_before_anything_is_decrypted(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m)
    from infohus_desktop.services.referrals import reader as referral_reader

    order: list[str] = []
    real_audit, real_read = m.audited_read, referral_reader.read_referral
    monkeypatch.setattr(
        m, "audited_read", lambda *a, **k: (order.append("audit"), real_audit(*a, **k))
    )
    monkeypatch.setattr(
        referral_reader,
        "read_referral",
        lambda *a, **k: (order.append("read"), real_read(*a, **k))[1],
    )
    m.referrals.show(draft.id)
    assert order == ["audit", "read"]


def test_an_unknown_or_malformed_id_is_not_found(district: District) -> None:
    m = mette(district)
    for ref in ("not-an-id", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            m.referrals.show(ref)
