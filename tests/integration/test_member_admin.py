"""Administration of members: a passphrase reset and a change of role (issue 14).

A reset gives the member new keys: they regain their groups (at once where the resetting
coordinator holds the key, else at the next unlock of a member who does), and everything they
signed before still verifies through the retired key the coordinator vouched for. A role
change re-certifies and moves the member in and out of the groups the role implies.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound, WrongPassphrase
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.schema import MemberKeyHistoryRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def test_a_reset_member_regains_every_group_and_their_old_signatures_hold(
    district: District,
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    lars = district.coordinator
    # A group the coordinator is not in: its key comes to mette from jens, not from lars.
    lars.groups.add("Kun Aarhus", member_logins=["mette", "jens"])
    aarhus = mette.cases.open_case(new_case("Ali Hansen", "0101051234"))
    private = mette.cases.open_case(new_case("Bo Berg", group="Kun Aarhus"))
    old_passphrase = district.passphrases["mette"]
    mette.lock()

    reset = lars.accounts.reset_passphrase("mette")
    assert reset.member.must_change_passphrase
    assert len(reset.passphrase.split()) >= 4
    assert reset.shared_now == 4  # directory, network, casework, Aarhus og politiet
    assert reset.waiting == 1  # Kun Aarhus

    with pytest.raises(WrongPassphrase):
        district.unlock("mette", old_passphrase)
    again = district.unlock("mette", reset.passphrase)
    again.accounts.change_passphrase(reset.passphrase, "mettes helt nye lange frase")
    assert again.cases.show(aarhus.number).person.name == "Ali Hansen"
    readable = {c.number for c in again.cases.list()}
    assert aarhus.number in readable and private.number not in readable

    district.unlock("jens").lock()  # jens holds the key of Kun Aarhus and shares it
    later = district.unlock("mette", "mettes helt nye lange frase")
    assert later.cases.show(private.number).person.name == "Bo Berg"

    # Everything mette signed before the reset (her audit entries, the cases' parts) holds.
    result = lars.audit.verify()
    assert result.ok, result.problem


def test_a_forged_key_history_does_not_vouch_for_old_signatures(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.open_case(new_case("Ali Hansen"))
    mette.lock()
    lars = district.coordinator
    lars.accounts.reset_passphrase("mette")
    assert lars.audit.verify().ok
    with lars.vault.uow() as session:
        row = session.scalars(select(MemberKeyHistoryRow)).one()
        row.signature = bytes(64)
        session.commit()
    result = district.unlock("lars").audit.verify()
    assert not result.ok
    assert result.first_bad_seq is not None


def test_what_a_reset_refuses(district: District) -> None:
    district.enrol("karl", "Karl Dam", "Randers Kommune", Role.COORDINATOR)
    karl = district.sessions["karl"]
    lars = district.coordinator
    with pytest.raises(AccessDenied, match="egen"):
        lars.accounts.reset_passphrase("lars")
    with pytest.raises(AccessDenied, match="rodnøglen"):
        karl.accounts.reset_passphrase("lars")  # the vault's creator holds the root key
    with pytest.raises(NotFound):
        lars.accounts.reset_passphrase("nobody")
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with pytest.raises(AccessDenied):
        district.sessions["mette"].accounts.reset_passphrase("karl")


def test_a_new_role_follows_into_the_groups_and_the_certificate(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Ali Hansen"))
    lars = district.coordinator
    with pytest.raises(AccessDenied):
        mette.audit.list(limit=1)

    change = lars.accounts.change_role("mette", Role.COORDINATOR)
    assert change.member.role is Role.COORDINATOR and change.joined == 1  # the audit group
    coordinator = district.unlock("mette")
    assert coordinator.audit.list(limit=1)
    # As a coordinator she enrols a member; then she becomes a guest: her certificate of
    # jens is taken over by lars, so jens's key stays trusted.
    coordinator.accounts.add(
        "jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER, "jens første lange frase"
    )
    change = lars.accounts.change_role("mette", Role.GUEST)
    assert change.left >= 3  # network, casework, audit, Aarhus og politiet
    guest = district.unlock("mette")
    assert case.number not in {c.number for c in guest.cases.list()}
    jens = district.unlock("jens", "jens første lange frase")
    jens.accounts.change_passphrase("jens første lange frase", "jens nye lange frase")
    assert case.number in {c.number for c in jens.cases.list()}
    assert lars.audit.verify().ok
    with pytest.raises(AccessDenied, match="egen"):
        lars.accounts.change_role("lars", Role.MEMBER)


def test_the_roster_shows_the_last_unlock_and_the_groups(created_district: District) -> None:
    district = created_district  # lars made the vault in this test
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars = district.coordinator
    lars.accounts.add("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER, "jens første lange frase")
    lars.accounts.remove("jens")
    entries = {e.member.login: e for e in lars.accounts.roster()}
    assert entries["mette"].last_unlock is not None
    assert entries["mette"].groups == 4
    assert entries["jens"].last_unlock is None and not entries["jens"].member.active
    assert entries["lars"].last_unlock is None  # made the vault, never unlocked it
    with pytest.raises(AccessDenied):
        district.sessions["mette"].accounts.roster()


def test_a_reset_waits_for_the_upgrade_of_a_previous_form_vault(district: District) -> None:
    from infohus_desktop.domain.errors import UpgradeDue
    from tests.integration.old_form import put_back_into_the_old_form

    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    put_back_into_the_old_form(district)
    lars = district.unlock("lars")
    with pytest.raises(UpgradeDue):
        lars.accounts.reset_passphrase("mette")
    assert lars.audit.verify().ok  # no key history to read, and none needed
    lars.accounts.remove("mette")  # what a removed coordinator vouched for: no history


def test_a_new_data_protection_officer_leaves_every_content_group(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars = district.coordinator
    lars.groups.add("Kun Aarhus", member_logins=["mette", "lars"])
    change = lars.accounts.change_role("mette", Role.DPO)
    assert change.member.role is Role.DPO
    groups = {g.name: g for g in lars.groups.list()}
    mette_id = change.member.id
    assert mette_id not in groups["Kun Aarhus"].member_ids
    assert mette_id not in groups["Aarhus Kommune og politiet"].member_ids
    assert mette_id not in groups["Sagsbehandlere"].member_ids
    assert (
        mette_id in groups["Revision"].member_ids
        and mette_id in groups["Hele Infohuset"].member_ids
    )


def test_a_first_passphrase_derived_once_serves_enrolment_unlock_and_change(
    district: District,
) -> None:
    """The demo's path (``kdf.DerivedKey.fresh``): one derivation of the first passphrase is
    the key of the enrolment, the first unlock and the change's proof; the stored salt and
    parameters are the ones it was derived with, so the passphrase typed later opens it."""
    lars = district.coordinator
    first = "mettes første lange frase"
    key = kdf.DerivedKey.fresh(first, kdf.calibrate())
    lars.accounts.add("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, first, derived=key)
    typed = district.unlock("mette", first)  # no derived key: the passphrase alone opens it
    typed.lock()
    mette = district.open().unlock("mette", first, derived=key)
    other = kdf.DerivedKey.fresh("en helt anden lang frase", kdf.calibrate())
    for wrong in (other, kdf.DerivedKey(key.params_json, key.salt, bytes(32))):
        # Another passphrase's key is not used (its salt differs); a key for these very
        # inputs that is not the passphrase's is refused by the unseal. Nothing changes.
        with pytest.raises(WrongPassphrase):
            mette.accounts.change_passphrase("forkert", "mettes nye lange frase", wrong)
    mette.accounts.change_passphrase(first, "mettes nye lange frase", derived_current=key)
    with pytest.raises(WrongPassphrase):
        district.unlock("mette", first)
    assert not district.unlock("mette", "mettes nye lange frase").member.must_change_passphrase


def test_a_derived_key_below_the_floor_enrols_nobody(district: District) -> None:
    lars = district.coordinator
    weak = kdf.DerivedKey('{"alg":"argon2id","m":32,"t":1,"p":1}', kdf.new_salt(), bytes(32))
    with pytest.raises(InvalidInput, match="uden for de tilladte grænser"):
        lars.accounts.add(
            "mette",
            "Mette Fjord",
            "Aarhus Kommune",
            Role.MEMBER,
            "mettes første lange frase",
            None,
            weak,
        )
    assert "mette" not in {m.login for m in lars.accounts.list()}
