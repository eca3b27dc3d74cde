"""The demo vault's bundles: its own key, three pinned organisations, one received referral
(that the same seed gives the same partners is in test_demo.py's determinism test)."""

from __future__ import annotations

from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from tests.integration.shared_demo import on_the_shared_demo


@on_the_shared_demo
def test_demo_vault_has_recipients_and_a_received_referral(shared_demo_url: str) -> None:
    with Vault.open(shared_demo_url, LocalState()) as vault:
        lars = vault.unlock("lars", DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
        names = [r.name for r in lars.bundles.recipients()]
        assert names == ["Exit Aarhus", "Infohus Sydjylland", "PET's exitprogram"]
        (incoming,) = lars.referrals.incoming()
        assert incoming.sender == "Infohus Sydjylland"
        assert incoming.values["person_consent"] == "ja"
        assert [a.filename for a in incoming.attachments] == ["overdragelsesnotat.txt"]
        _card, fingerprint = lars.bundles.export_public_key()
        assert len(fingerprint) == 39
        lars.lock()
