"""The security review's finding, replayed on the demo vault: the DPO (dorthe) and the guest
(gitte), with their own keyrings and the database rows, open no incoming referral, not the
vault's bundle identity and no case's statistics codes; a member (pia) opens all of them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.vault.referral_schema import BundleIdentityRow, IncomingReferralRow
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow
from tests.integration.shared_demo import on_the_shared_demo


def _key_ids(session: MemberServices) -> list[uuid.UUID]:
    with session.vault.uow() as s:
        incoming = [r.data_key_id for r in s.scalars(select(IncomingReferralRow))]
        identity = [Ciphertext(r.secret).key_id for r in s.scalars(select(BundleIdentityRow))]
        codes = [Ciphertext(r.payload).key_id for r in s.scalars(select(CaseStatisticsRow))]
    assert incoming and identity and codes  # the demo has all three
    return incoming + identity + codes


@on_the_shared_demo
def test_demo_dpo_and_guest_hold_no_casework_key(shared_demo_url: str) -> None:
    with Vault.open(shared_demo_url, LocalState()) as vault:
        pia = vault.unlock("pia", DEMO_PASSPHRASES["pia"], sleep=lambda _s: None)
        key_ids = _key_ids(pia)
        with pia.vault.uow() as s:
            for key_id in key_ids:
                pia.keyring.field_key_by_id(s, key_id)
        pia.lock()
        for login in ("dorthe", "gitte"):
            outsider = vault.unlock(login, DEMO_PASSPHRASES[login], sleep=lambda _s: None)
            with outsider.vault.uow() as s:
                for key_id in key_ids:
                    with pytest.raises(AccessDenied):
                        outsider.keyring.field_key_by_id(s, key_id)
            outsider.lock()
