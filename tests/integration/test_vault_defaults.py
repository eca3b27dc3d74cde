"""The Infohus's default idle lock for workstations (issue 14, Administration → Indstillinger)."""

from __future__ import annotations

import pytest

from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.organisations import Role
from tests.integration.conftest import District


def test_a_coordinator_sets_the_default_and_a_member_reads_it(district: District) -> None:
    lars = district.coordinator
    assert lars.vault_defaults.idle_lock_minutes() is None
    assert lars.vault_defaults.set_idle_lock_minutes(12) == 12
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    assert mette.vault_defaults.idle_lock_minutes() == 12
    with pytest.raises(AccessDenied):
        mette.vault_defaults.set_idle_lock_minutes(30)
    for wrong in (0, 31):
        with pytest.raises(InvalidInput, match="mellem 1 og 30"):
            lars.vault_defaults.set_idle_lock_minutes(wrong)
    assert lars.vault_defaults.idle_lock_minutes() == 12
    assert any(e.action == "vault.settings" for e in lars.audit.list(limit=20))
