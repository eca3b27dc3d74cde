"""The demo vault's bundles: its own key, three pinned organisations, one received referral."""

from __future__ import annotations

from pathlib import Path

from infohus_desktop import demo
from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault


def test_demo_vault_has_recipients_and_a_received_referral(tmp_path: Path, cheap_kdf: None) -> None:
    url = f"sqlite+pysqlite:///{tmp_path}/demo.sqlite"
    demo.create_demo_vault(url, cases=12)
    with Vault.open(url, LocalState()) as vault:
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
    # The same seed gives the same synthetic partners.
    again = f"sqlite+pysqlite:///{tmp_path}/again.sqlite"
    demo.create_demo_vault(again, cases=12)
    prints = []
    for where in (url, again):
        with Vault.open(where, LocalState()) as vault:
            lars = vault.unlock("lars", DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
            prints.append(sorted(r.fingerprint for r in lars.bundles.recipients()))
            lars.lock()
    assert prints[0] == prints[1]
