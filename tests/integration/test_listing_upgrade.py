"""Cases whose sealed copy an earlier version made without the listing (the person's name and
CPR number, issue 17): a coordinator's start page says how many the list found, and the
upgrade seals each anew with it, recorded in the audit log; nothing else of the cases
changes, and a member's start page says nothing (a member cannot upgrade)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.vault_upgrade import unlisted_cases, upgrade_vault
from infohus_desktop.services.core import case_meta
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import loads
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

EARLIER = [("Ane Før", "0101901234"), ("Bo Før", None), ("Cai Før", "0202902345")]


def _listings(ms: MemberServices) -> dict[str, bool]:
    """Per case number: does its sealed copy hold the listing (opened with ``ms``'s keys)."""
    out: dict[str, bool] = {}
    with ms.vault.uow() as db:
        for row in db.scalars(select(CaseRow)):
            key = ms.keyring.field_key_by_id(db, row.data_key_id)
            sealed = loads(key.decrypt(row.meta, FieldContext("cases", "meta", row.id, row.id)))
            out[row.number] = set(case_meta.LISTING_FIELDS) <= set(sealed)
    return out


def test_an_upgrade_seals_the_listing_into_copies_of_an_earlier_version(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with monkeypatch.context() as earlier_version:
        earlier_version.setattr(case_meta, "person_listing", lambda _row, _key: None)
        old = [
            mette.cases.open_case(new_case(name, cpr), accept_duplicate=True).number
            for name, cpr in EARLIER
        ]
    new = mette.cases.open_case(new_case("Dan Nu"), accept_duplicate=True).number
    lars = district.unlock("lars")
    assert _listings(lars) == {**dict.fromkeys(old, False), new: True}

    # The start page's list finds them: the coordinator is told, the member is not.
    assert lars.overview.build().unlisted == 3
    assert district.unlock("mette").overview.build().unlisted == 0
    before = {c.number: c for c in lars.cases.list()}

    report = upgrade_vault(lars)
    assert report.listings == 3 and not report.upgraded
    assert _listings(lars) == dict.fromkeys([*old, new], True)
    entries = [b for _, b in opened_since(lars) if b.action == "vault.upgrade"]
    assert [(b.actor_login, b.detail) for b in entries] == [("lars", "listings=3")]

    # Read afresh: the same names, CPR numbers and versions (the copies were sealed anew at
    # their version: an edit open meanwhile meets no conflict); the cases open (the person
    # matches the listing).
    fresh = district.unlock("lars")
    after = {c.number: c for c in fresh.cases.list()}
    assert unlisted_cases(fresh) == 0 and fresh.overview.build().unlisted == 0
    for number, was in before.items():
        now = after[number]
        assert (now.person_name, now.person_cpr, now.status) == (
            was.person_name,
            was.person_cpr,
            was.status,
        )
        assert now.version == was.version
        assert fresh.cases.show(number).person.name == was.person_name
    assert not upgrade_vault(fresh).listings  # nothing left to seal
