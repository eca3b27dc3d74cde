"""The demo's trend notes: twelve months of them, through the real service, with nothing the
personal-data check would flag, some edited, some linked, one only for the police."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from infohus_desktop import demo
from infohus_desktop.domain.trends import Development
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from infohus_desktop.services.trends.personal_data_check import NameRegister, find_personal_data
from tests.integration.shared_demo import SHARED_DEMO_TODAY, on_the_shared_demo


@on_the_shared_demo
def test_the_demo_has_a_year_of_trend_notes(shared_demo_url: str) -> None:
    today = SHARED_DEMO_TODAY
    vault = Vault.open(shared_demo_url, LocalState())
    try:
        lars = vault.unlock("lars", demo.DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
        jonas = vault.unlock("jonas", demo.DEMO_PASSPHRASES["jonas"], sleep=lambda _s: None)
        notes = lars.trends.list()
        assert len(notes) >= 24
        months = {(n.content.period_from.year, n.content.period_from.month) for n in notes}
        assert len(months) == 12
        assert min(n.content.period_from for n in notes) >= today - timedelta(days=366)
        assert max(n.content.period_to for n in notes) <= today
        assert len({n.content.theme for n in notes}) >= 5
        assert {n.content.development for n in notes} == set(Development)
        assert len({n.created_by for n in notes}) >= 4
        assert any(n.version > 1 for n in notes)
        assert sum(bool(lars.trends.get(n.id).related) for n in notes[:10]) >= 1
        # Nothing a check against every case person's name would flag.
        names = NameRegister(c.person_name for c in lars.cases.list())
        assert len(names) >= 20
        for note in notes:
            assert find_personal_data(note.content.texts(), names) == []
        # One note is only for the police: a municipal member does not see it.
        hidden = Counter(n.id for n in notes) - Counter(n.id for n in jonas.trends.list())
        assert len(hidden) == 1
        lars.lock()
        jonas.lock()
    finally:
        vault.close()
