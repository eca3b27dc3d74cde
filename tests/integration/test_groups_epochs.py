"""Access groups: epochs on removal, trust before wrapping, role rules."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from infohus_desktop.crypto.keys import UserKeyPair, group_key_info
from infohus_desktop.domain.errors import (
    AccessDenied,
    TamperedData,
    UntrustedKey,
)
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.schema import (
    GroupKeyWrapRow,
    GroupMembershipRow,
    GroupRow,
    MemberRow,
)
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def _group(district: District, name: str) -> uuid.UUID:
    return next(g.id for g in district.coordinator.groups.list() if g.name == name)


def _all_wraps(district: District) -> list[GroupKeyWrapRow]:
    with district.open().uow() as session:
        rows = session.scalars(select(GroupKeyWrapRow)).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_removed_member_unwraps_no_later_key(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    district.enrol("gitte", "Gitte Lund", "police", Role.MEMBER)
    mette_keys: UserKeyPair = mette.keyring.user_keys
    vault_id = mette.vault.vault_id
    before = {(w.group_id, w.epoch) for w in _all_wraps(district) if w.member_id == mette.member.id}
    assert len(before) == 4  # directory, network, casework, Aarhus og politiet

    district.coordinator.accounts.remove("mette")
    # Further rotations after the removal, too.
    district.coordinator.groups.remove_member("Aarhus Kommune og politiet", "jens")
    district.coordinator.groups.add_member("Aarhus Kommune og politiet", "jens")

    wraps = _all_wraps(district)
    assert not [w for w in wraps if w.member_id == mette.member.id]
    tried = 0
    for wrap in wraps:
        # Mette's private key against every wrap made for anyone since: nothing opens.
        with pytest.raises(TamperedData):
            mette_keys.kem.open(
                bytes(wrap.sealed),
                group_key_info(vault_id, wrap.group_id, wrap.epoch, mette.member.id),
            )
        with pytest.raises(TamperedData):
            mette_keys.kem.open(
                bytes(wrap.sealed),
                group_key_info(vault_id, wrap.group_id, wrap.epoch, wrap.member_id),
            )
        tried += 1
    assert tried >= 8

    # Every remaining member unwraps every current key of their groups.
    for login in ("lars", "jens", "gitte"):
        session = district.unlock(login)
        with session.vault.uow() as db:
            for membership in db.scalars(
                select(GroupMembershipRow).where(GroupMembershipRow.member_id == session.member.id)
            ):
                group = db.get(GroupRow, membership.group_id)
                assert group is not None
                key = session.keyring.group_key(db, group.id)
                assert len(key) == 32
                # ...and every earlier epoch through the chain.
                for epoch in range(1, group.epoch + 1):
                    session.keyring.group_key(db, group.id, epoch)


def test_epoch_increments_and_rewraps_data_keys(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    group_id = _group(district, "Aarhus Kommune og politiet")
    keyring = district.coordinator.keyring
    with district.coordinator.transaction() as db:
        data_key = keyring.new_data_key(db, group_id)
    secret = data_key.encrypt(b"case text", _ctx())
    district.coordinator.groups.remove_member("Aarhus Kommune og politiet", "mette")
    fresh = district.unlock("lars")
    with fresh.vault.uow() as db:
        group = db.get(GroupRow, group_id)
        assert group is not None and group.epoch == 2
        assert fresh.keyring.field_key_by_id(db, data_key.key_id).decrypt(secret, _ctx()) == (
            b"case text"
        )


def _ctx():  # type: ignore[no-untyped-def]
    from infohus_desktop.crypto.aead import FieldContext

    return FieldContext("cases", "summary", uuid.UUID(int=1), uuid.UUID(int=1))


def test_swapped_public_key_is_refused_before_wrapping(district: District) -> None:
    district.coordinator.accounts.add(
        "mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, "mettes første lange frase"
    )
    attacker = UserKeyPair.generate().public()
    with district.open().uow() as db:
        db.execute(
            update(MemberRow)
            .where(MemberRow.login == "mette")
            .values(kem_public=attacker.kem, version=MemberRow.version + 1)
        )
    wraps_before = len(_all_wraps(district))
    with pytest.raises(UntrustedKey):
        district.coordinator.groups.add_member("Randers Kommune og politiet", "mette")
    assert len(_all_wraps(district)) == wraps_before


def test_forged_certificate_is_refused(district: District) -> None:
    district.enrol("gitte", "Gitte Lund", "police", Role.MEMBER)
    gitte = district.sessions["gitte"]
    # Gitte (a member, not a coordinator) certifies a key of her own making.
    from infohus_desktop.crypto.signing import certificate_statement

    forged = UserKeyPair.generate().public()
    with district.open().uow() as db:
        row = db.scalar(select(MemberRow).where(MemberRow.login == "gitte"))
        assert row is not None
        statement = certificate_statement(
            gitte.vault.vault_id, row.id, row.organisation_id, row.role, forged
        )
        db.execute(
            update(MemberRow).where(MemberRow.login == "lars").values(version=MemberRow.version)
        )
        fake = MemberRow(
            id=uuid.uuid4(),
            login="mallory",
            name=row.name,
            organisation_id=row.organisation_id,
            role="member",
            kem_public=forged.kem,
            sign_public=forged.sign,
            certified_by=row.id,
            certificate=gitte.keyring.user_keys.sign(statement),
            kdf_salt=row.kdf_salt,
            kdf_params=row.kdf_params,
            sealed_keys=row.sealed_keys,
            must_change_passphrase=False,
            active=True,
            failed_unlocks=0,
            created_at=row.created_at,
        )
        db.add(fake)
    with pytest.raises(UntrustedKey):
        district.coordinator.groups.add_member("Randers Kommune og politiet", "mallory")


def test_inserted_membership_row_grants_nothing(district: District) -> None:
    """A guest who edits the database to join a group does not get its key."""
    guest = district.enrol("karl", "Karl Kriminalforsorg", "kriminalforsorgen", Role.GUEST)
    group_id = _group(district, "Aarhus Kommune og politiet")
    with district.open().uow() as db:
        lars = db.scalar(select(MemberRow).where(MemberRow.login == "lars"))
        assert lars is not None
        db.add(
            GroupMembershipRow(
                group_id=group_id,
                member_id=guest.member.id,
                added_at=lars.created_at,
                added_by=lars.id,
                epoch=1,
                signature=b"\0" * 64,
            )
        )
    district.unlock("lars").lock()  # the unlock maintenance pass must not share the key
    assert not [
        w for w in _all_wraps(district) if w.member_id == guest.member.id and w.group_id == group_id
    ]


def test_role_rules(district: District) -> None:
    guest = district.enrol("karl", "Karl Kriminalforsorg", "kriminalforsorgen", Role.GUEST)
    with pytest.raises(AccessDenied):
        guest.accounts.add("x1", "X", "police", Role.MEMBER, "en lang nok adgangsfrase")
    with pytest.raises(AccessDenied):
        guest.groups.add("Gæstens egen")
    dpo = district.enrol("dorte", "Dorte Dpo", "Aarhus Kommune", Role.DPO)
    with pytest.raises(AccessDenied):
        district.coordinator.groups.add_member("Aarhus Kommune og politiet", "dorte")
    # The DPO reads the audit log but holds no key of a group with case content.
    assert dpo.audit.list(limit=5)
    with dpo.vault.uow() as db:
        kinds = {
            db.get(GroupRow, w.group_id).kind  # type: ignore[union-attr]
            for w in db.scalars(
                select(GroupKeyWrapRow).where(GroupKeyWrapRow.member_id == dpo.member.id)
            )
        }
    assert kinds == {GroupKind.DIRECTORY, GroupKind.NETWORK, GroupKind.AUDIT}
    with pytest.raises(AccessDenied):
        guest.audit.list()


def test_new_member_joins_their_organisations_groups(district: District) -> None:
    police = district.enrol("gitte", "Gitte Lund", "police", Role.MEMBER)
    aarhus = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    names = {g.name for g in police.groups.list() if police.member.id in g.member_ids}
    assert names == {
        "Alle brugere",
        "Hele Infohuset",
        "Sagsbehandlere",
        "Aarhus Kommune og politiet",
        "Randers Kommune og politiet",
    }
    names = {g.name for g in aarhus.groups.list() if aarhus.member.id in g.member_ids}
    assert names == {
        "Alle brugere",
        "Hele Infohuset",
        "Sagsbehandlere",
        "Aarhus Kommune og politiet",
    }


def test_coordinator_outside_a_group_leaves_rotation_to_its_members(district: District) -> None:
    """A municipal coordinator removes a police member from 'Kun politiet', which they are not
    in: the membership goes at once, and the next police member to unlock starts the epoch."""
    district.enrol("gitte", "Gitte Lund", "police", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "police", Role.MEMBER)
    district.coordinator.groups.add("Kun politiet", organisations=["police"])
    aarhus_coord = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.COORDINATOR)
    change = aarhus_coord.groups.remove_member("Kun politiet", "jens")
    assert not change.done_now
    group_id = _group(district, "Kun politiet")
    gitte = district.unlock("gitte")
    with gitte.vault.uow() as db:
        group = db.get(GroupRow, group_id)
        assert group is not None
        assert group.epoch == 2
    jens_id = district.sessions["jens"].member.id
    assert not [
        w for w in _all_wraps(district) if w.member_id == jens_id and w.group_id == group_id
    ]


def test_guest_enrolment_needs_org_kind_for_new_orgs(district: District) -> None:
    district.coordinator.accounts.add(
        "karl",
        "Karl K",
        "Region Midtjylland Psykiatri",
        Role.GUEST,
        "karls første lange frase",
        OrgKind.PSYCHIATRY,
    )
    orgs = {m.organisation_name: m.organisation_kind for m in district.coordinator.accounts.list()}
    assert orgs["Region Midtjylland Psykiatri"] == OrgKind.PSYCHIATRY


def _police_only(district: District) -> tuple[uuid.UUID, MemberServices]:
    district.enrol("gitte", "Gitte Lund", "police", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "police", Role.MEMBER)
    district.coordinator.groups.add("Kun politiet", organisations=["police"])
    outsider = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.COORDINATOR)
    return _group(district, "Kun politiet"), outsider


def _wrapped_to(district: District, group_id: uuid.UUID, member_id: uuid.UUID) -> list[int]:
    return [
        w.epoch for w in _all_wraps(district) if w.group_id == group_id and w.member_id == member_id
    ]


def test_junk_wrap_and_forged_membership_before_a_rotation_grant_nothing(
    district: District,
) -> None:
    """A guest with the database credentials plants a key row and a membership for themselves
    in a group, then a rotation happens: the new key is still not sealed to them."""
    group_id, outsider = _police_only(district)
    guest = district.enrol("karl", "Karl K", "kriminalforsorgen", Role.GUEST)
    with district.open().uow() as db:
        group = db.get(GroupRow, group_id)
        lars = db.scalar(select(MemberRow).where(MemberRow.login == "lars"))
        assert group is not None
        assert lars is not None
        db.add(
            GroupKeyWrapRow(
                group_id=group_id, epoch=group.epoch, member_id=guest.member.id, sealed=b"junk"
            )
        )
        db.add(
            GroupMembershipRow(
                group_id=group_id,
                member_id=guest.member.id,
                added_at=lars.created_at,
                added_by=lars.id,
                epoch=group.epoch,
                signature=b"\0" * 64,
            )
        )
    outsider.groups.remove_member("Kun politiet", "jens")  # a rotation is now due
    district.unlock("gitte")  # gitte's client starts the new epoch
    epochs = _wrapped_to(district, group_id, guest.member.id)
    assert 2 not in epochs


def test_replayed_membership_of_a_removed_member_grants_nothing(district: District) -> None:
    """Jens saved his signed membership row; after his removal (rotation pending) he puts it
    back. The epoch that follows is not sealed to him."""
    group_id, outsider = _police_only(district)
    jens_id = district.sessions["jens"].member.id
    with district.open().uow() as db:
        saved = db.get(GroupMembershipRow, (group_id, jens_id))
        assert saved is not None
        db.expunge(saved)
    assert not outsider.groups.remove_member("Kun politiet", "jens").done_now
    outsider.accounts.remove("jens")
    with district.open().uow() as db:
        db.merge(saved)
        db.execute(update(MemberRow).where(MemberRow.id == jens_id).values(active=True))
    district.unlock("gitte")
    assert _wrapped_to(district, group_id, jens_id) == []
    with district.open().uow() as db:
        group = db.get(GroupRow, group_id)
        assert group is not None
        assert group.epoch == 2


def test_audit_key_replaced_by_a_removed_coordinator_is_refused(district: District) -> None:
    from infohus_desktop.crypto.keys import KemPrivateKey
    from infohus_desktop.crypto.signing import epoch_key_statement
    from infohus_desktop.vault.schema import GroupEpochRow

    mette = district.enrol("mette", "Mette Fjord", "police", Role.COORDINATOR)
    keys, vault_id, mette_id = mette.keyring.user_keys, mette.vault.vault_id, mette.member.id
    mette.lock()
    district.coordinator.accounts.remove("mette")
    evil = KemPrivateKey.generate().public_bytes()
    with district.open().uow() as db:
        group_id = db.scalar(select(GroupRow.id).where(GroupRow.kind == "audit"))
        group = db.get(GroupRow, group_id)
        assert group is not None
        row = db.get(GroupEpochRow, (group_id, group.epoch))
        assert row is not None
        row.public_key = evil
        row.public_key_signature = keys.sign(
            epoch_key_statement(vault_id, group_id, group.epoch, evil)
        )
        row.signed_by = mette_id
    # Every entry (the login's too) is sealed to the audit key, so the unlock itself refuses
    # the forged key: nothing is written under it.
    with pytest.raises(TamperedData):
        district.unlock("lars")


def test_an_empty_group_gets_a_key_when_its_first_member_is_added(district: District) -> None:
    """Found by trying it: a group made empty, then the coordinator added to it, never got a
    key (the creator had left it, and the key went to nobody), so no case could be opened
    there however often they unlocked. Now adding the first member gives the group a fresh
    key at once; a member added while nobody could share it gets it at their next unlock."""
    lars = district.coordinator
    lars.groups.add("Tom kreds")
    change = lars.groups.add_member("Tom kreds", "lars")
    assert change.done_now
    case = lars.cases.open_case(new_case("Kreds Kredsen", group="Tom kreds"))
    assert lars.cases.show(case.number).summary.number == case.number

    lars.groups.add("Anden tom kreds")
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    assert lars.groups.add_member("Anden tom kreds", "mette").done_now
    again = district.unlock("mette")
    case = again.cases.open_case(new_case("Mettes Kreds", group="Anden tom kreds"))
    assert again.cases.show(case.number).summary.number == case.number
    assert mette.member.login == "mette"


def test_a_member_added_after_the_creator_left_gets_the_key_at_the_next_unlock(
    district: District,
) -> None:
    """The coordinator who makes a group for others leaves it and signs its next key
    generation on the way out; that list stays valid, so a member added later is given the
    key by the first member who unlocks (before, the list read as forged and nobody shared)."""
    lars = district.coordinator
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    karl = district.enrol("karl", "Karl Berg", "Aarhus Kommune", Role.MEMBER)
    lars.groups.add("Mettes kreds", ["mette"])
    assert not lars.groups.add_member("Mettes kreds", "karl").done_now  # lars has no key
    district.unlock("mette")  # shares it
    karl = district.unlock("karl")
    case = karl.cases.open_case(new_case("Karls Sag", group="Mettes kreds"))
    assert karl.cases.show(case.number).summary.number == case.number
