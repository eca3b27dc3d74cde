"""The demo's trend notes: twelve months of them, through the real service, with nothing the
personal-data check would flag, some edited, some linked, one only for the police."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from infohus_desktop import demo
from infohus_desktop.domain.trends import Development
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from infohus_desktop.services.trends.personal_data_check import NameRegister, find_personal_data


def test_the_demo_has_a_year_of_trend_notes(tmp_path: Path, cheap_kdf: None) -> None:
    today = date(2026, 11, 20)
    url = f"sqlite+pysqlite:///{tmp_path}/demo.sqlite"
    demo.create_demo_vault(url, cases=30, today=today)
    vault = Vault.open(url, LocalState())
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


def test_the_demo_notes_are_deterministic(tmp_path: Path, cheap_kdf: None) -> None:
    today = date(2026, 3, 15)

    def titles(name: str) -> list[tuple[str, str, date]]:
        url = f"sqlite+pysqlite:///{tmp_path}/{name}.sqlite"
        demo.create_demo_vault(url, cases=5, today=today)
        vault = Vault.open(url, LocalState())
        try:
            lars = vault.unlock("lars", demo.DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
            out = [
                (n.content.title, n.content.area, n.content.period_from) for n in lars.trends.list()
            ]
            lars.lock()
            return sorted(out)
        finally:
            vault.close()

    assert titles("a") == titles("b")
