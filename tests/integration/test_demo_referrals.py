"""The demo vault's referrals: every status, declined and withdrawn included, with dated
steps in the demo's past, readable by the municipal coordinators and the police."""

from __future__ import annotations

from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from tests.integration.shared_demo import SHARED_DEMO_TODAY, on_the_shared_demo


@on_the_shared_demo
def test_the_demo_has_referrals_in_every_status(shared_demo_url: str) -> None:
    today = SHARED_DEMO_TODAY
    vault = Vault.open(shared_demo_url, LocalState())
    try:
        lars = vault.unlock("lars", DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
        listed = lars.referrals.list()
        assert {r.status for r in listed} == set(ReferralStatus)
        for summary in listed:
            r = lars.referrals.show(summary.id)
            assert all(e.on <= today for e in r.history[1:])
            if r.status is not ReferralStatus.DRAFT and r.summary.sent_on:
                assert lars.referrals.missing_fields(r.values) == []
            for e in r.history:
                if e.new in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
                    assert e.reason
        assert len(listed) == 9
        lars.lock()
    finally:
        vault.close()


@on_the_shared_demo
def test_the_demo_plays_each_case_history_on_the_days_it_tells(shared_demo_url: str) -> None:
    """Status changes, screenings and journal entries carry the days of the case's story
    (they carried the build's own time: a case received in July had its whole history on the
    day the demo was built)."""
    from infohus_desktop.domain.danish_time import COPENHAGEN

    vault = Vault.open(shared_demo_url, LocalState())
    try:
        lars = vault.unlock("lars", DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
        days: set[object] = set()
        for summary in lars.cases.list():
            case = lars.cases.show(summary.number)
            moments = [h.at for h in case.history] + [j.at for j in case.journal]
            moments += [s.at for s in case.screenings]
            for at in moments:
                day = at.astimezone(COPENHAGEN).date()
                assert summary.received <= day <= SHARED_DEMO_TODAY, (summary.number, at)
                days.add(day)
            history = [h.at for h in case.history]
            assert history == sorted(history)  # in the order the story tells
        assert len(days) > 60  # a year of days, not the build's one
        lars.lock()
    finally:
        vault.close()
