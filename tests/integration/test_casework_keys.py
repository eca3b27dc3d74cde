"""The casework group at the KEY level: the DPO and guests hold no key that opens an incoming
referral, the vault's bundle identity or a case's statistics codes, whatever the services'
role checks say; coordinators and members do. And a vault made before the group existed gets
it at a coordinator's unlock, without a crash before that."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import delete, select

from infohus_desktop.crypto.aead import Ciphertext, FieldContext
from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.referral_schema import BundleIdentityRow, IncomingReferralRow
from infohus_desktop.vault.schema import (
    DataKeyRow,
    GroupEpochRow,
    GroupKeyWrapRow,
    GroupMembershipRow,
    GroupRemovalRow,
    GroupRow,
)
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow
from tests.integration.bundle_fixtures import Pair, all_attachment_ids, pair
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

__all__ = ["pair"]  # the fixture, imported for pytest

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@dataclass(frozen=True)
class Sealed:
    """The three things under the casework key, as ids and ciphertext from the database."""

    incoming_id: uuid.UUID
    incoming_key_id: uuid.UUID
    incoming_payload: bytes
    identity_id: uuid.UUID
    identity_secret: bytes
    identity_fingerprint: str
    case_id: uuid.UUID
    codes: bytes


def _receive_and_open_a_case(p: Pair) -> Sealed:
    ids = all_attachment_ids(p.sender, p.referral)
    result = p.receiver.bundles.import_bundle(
        p.sender.bundles.export_referral(p.referral.id, p.exit_id, ids)
    )
    case = p.receiver.cases.open_case(new_case("Sara Sagsen"), accept_duplicate=True)
    with p.receiver.vault.uow() as s:
        incoming = s.get(IncomingReferralRow, result.incoming_id)
        identity = s.scalars(select(BundleIdentityRow)).one()
        codes = s.get(CaseStatisticsRow, case.id)
        assert incoming is not None and codes is not None
        return Sealed(
            incoming.id,
            incoming.data_key_id,
            bytes(incoming.payload),
            identity.id,
            bytes(identity.secret),
            identity.fingerprint,
            case.id,
            bytes(codes.payload),
        )


def _open_all(session: MemberServices, sealed: Sealed) -> tuple[dict, str, dict]:
    """Use only the member's own keyring and the database rows: no service, no role check."""
    keyring = session.keyring
    with session.vault.uow() as s:
        incoming_key = keyring.field_key_by_id(s, sealed.incoming_key_id)
        incoming = json.loads(
            incoming_key.decrypt(
                sealed.incoming_payload,
                FieldContext("incoming_referrals", "payload", sealed.incoming_id, None),
            )
        )
        identity_key = keyring.field_key_by_id(s, Ciphertext(sealed.identity_secret).key_id)
        secret = identity_key.decrypt(
            sealed.identity_secret,
            FieldContext("bundle_identities", "secret", sealed.identity_id, None),
        )
        ident = BundleIdentity(session.vault.vault_id, session.vault.infohus_name, secret)
        codes_key = keyring.field_key_by_id(s, Ciphertext(sealed.codes).key_id)
        codes = json.loads(
            codes_key.decrypt(
                sealed.codes,
                FieldContext("case_statistics", "payload", sealed.case_id, sealed.case_id),
            )
        )
    return incoming, ident.fingerprint, codes


def _assert_opens_nothing(session: MemberServices, sealed: Sealed) -> None:
    keyring = session.keyring
    with session.vault.uow() as s:
        casework = session.vault.system_group_id(s, GroupKind.CASEWORK)
        with pytest.raises(AccessDenied):
            keyring.group_key(s, casework)
        with pytest.raises(AccessDenied):
            keyring.data_key(s, sealed.incoming_key_id)
        with pytest.raises(AccessDenied):
            keyring.field_key_by_id(s, sealed.incoming_key_id)
        with pytest.raises(AccessDenied):
            keyring.field_key_by_id(s, Ciphertext(sealed.identity_secret).key_id)
        with pytest.raises(AccessDenied):
            keyring.field_key_by_id(s, Ciphertext(sealed.codes).key_id)
        assert not s.scalars(
            select(GroupKeyWrapRow).where(
                GroupKeyWrapRow.group_id == casework,
                GroupKeyWrapRow.member_id == session.member.id,
            )
        ).all()


def test_dpo_and_guest_keyrings_open_none_of_it_members_do(pair: Pair, district: District) -> None:
    sealed = _receive_and_open_a_case(pair)
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    karl = district.enrol(
        "karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN
    )
    for reader in (district.coordinator, mette):
        incoming, fingerprint, codes = _open_all(reader, sealed)
        assert incoming["sender"] == "Infohus Nordjylland"
        assert fingerprint == sealed.identity_fingerprint == pair.receiver_fp
        assert {"age_group", "sex", "status", "category", "month"} <= set(codes)
    # The DPO does hold the network key (trend notes, meetings): before this group existed
    # that key opened all three. It opens none of them now.
    with dorte.vault.uow() as s:
        dorte.keyring.group_key(s, dorte.vault.system_group_id(s, GroupKind.NETWORK))
    for outsider in (dorte, karl):
        _assert_opens_nothing(outsider, sealed)


def test_no_one_is_added_to_the_casework_group_by_hand(district: District) -> None:
    district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    district.enrol("karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN)
    for login in ("dorte", "karl"):
        with pytest.raises((AccessDenied, InvalidInput)):
            district.coordinator.groups.add_member("Sagsbehandlere", login)
    casework = [g for g in district.coordinator.groups.list() if g.kind == GroupKind.CASEWORK]
    assert len(casework) == 1
    assert casework[0].member_ids == {district.coordinator.member.id}


def test_a_removed_member_leaves_and_the_rest_still_read_and_receive(
    pair: Pair, district: District
) -> None:
    sealed = _receive_and_open_a_case(pair)
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    jens = district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    mette_id = mette.member.id
    district.coordinator.accounts.remove("mette")
    with district.open().uow() as s:
        casework = s.scalar(select(GroupRow).where(GroupRow.kind == GroupKind.CASEWORK.value))
        assert casework is not None and casework.epoch == 2
        holders = set(
            s.scalars(
                select(GroupKeyWrapRow.member_id).where(GroupKeyWrapRow.group_id == casework.id)
            )
        )
    assert mette_id not in holders and jens.member.id in holders
    # Earlier ciphertext stays readable through the previous-epoch chain, and bundles are
    # still received (the identity secret sealed in epoch 1 opens for jens at epoch 2).
    fresh = district.unlock("jens")
    incoming, fingerprint, _codes = _open_all(fresh, sealed)
    assert fingerprint == pair.receiver_fp and incoming["sender"] == "Infohus Nordjylland"
    assert fresh.referrals.incoming()


def _drop_casework_group(district: District) -> None:
    """What a vault made before the casework group looks like (after emptying its data)."""
    with district.open().uow() as s:
        group_id = s.scalar(select(GroupRow.id).where(GroupRow.kind == GroupKind.CASEWORK.value))
        s.execute(delete(CaseStatisticsRow))
        for table in (GroupKeyWrapRow, GroupMembershipRow, GroupRemovalRow, DataKeyRow):
            s.execute(delete(table).where(table.group_id == group_id))
        s.execute(delete(GroupEpochRow).where(GroupEpochRow.group_id == group_id))
        s.execute(delete(GroupRow).where(GroupRow.id == group_id))
        s.commit()


def test_an_older_vault_gets_the_group_at_a_coordinators_unlock(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("gitte", "Gitte Lund", "police", Role.COORDINATOR)
    district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    district.enrol("karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN)
    case = district.coordinator.cases.open_case(new_case("Sara Sagsen"), accept_duplicate=True)
    _drop_casework_group(district)

    # A member unlocks first: no crash; a case is still saved (its codes wait), statistics
    # refuse with the way out.
    mette = district.unlock("mette")
    mette.cases.open_case(new_case("Bo Bagsen"), accept_duplicate=True)
    with pytest.raises(AccessDenied) as refused:
        mette.statistics.compute(YEAR[0], YEAR[1])
    assert "koordinator" in str(refused.value)

    # A coordinator unlocks: the group is made for every coordinator and member.
    lars = district.unlock("lars")
    with lars.vault.uow() as s:
        group = s.scalar(select(GroupRow).where(GroupRow.kind == GroupKind.CASEWORK.value))
        assert group is not None and group.epoch == 1
        holders = set(
            s.scalars(select(GroupKeyWrapRow.member_id).where(GroupKeyWrapRow.group_id == group.id))
        )
    ids = {login: district.sessions[login].member.id for login in district.sessions}
    assert holders == {ids["lars"], ids["mette"], ids["gitte"]}
    assert [e for e in lars.audit.list() if e.action == "group.add" and e.detail == "casework"]

    # The member can now count; the codes of the older cases are filled in.
    mette = district.unlock("mette")
    assert mette.statistics.refresh_codes() == 2
    with mette.vault.uow() as s:
        assert s.get(CaseStatisticsRow, case.id) is not None
        assert s.get(CaseRow, case.id) is not None
    mette.statistics.compute(YEAR[0], YEAR[1])
    for login in ("dorte", "karl"):
        outsider = district.unlock(login)
        with outsider.vault.uow() as s, pytest.raises(AccessDenied):
            outsider.keyring.group_key(s, outsider.vault.system_group_id(s, GroupKind.CASEWORK))
