"""A passphrase reset for a member who forgot theirs (SECURITY.md §4, "Passphrase reset").

A forgotten passphrase cannot be recovered: it is the only key to the member's private keys,
and nobody else holds them. What a coordinator can do is give the member *new* keys:

1. a new key pair, sealed under a first passphrase the app generates and shows once (the
   member must change it at the first unlock, as after enrolment);
2. a new certificate for the new public keys, signed by the resetting coordinator;
3. the old public keys kept in ``member_key_history`` with the coordinator's signature over
   them, so everything the member signed before (audit entries, memberships they granted,
   key epochs they made) still verifies;
4. the member's copies of group keys, sealed to the lost key, deleted; the member stays in
   every group. The coordinator shares the keys they hold at once; every other group's key
   comes from the next member of that group who unlocks (the ordinary key upkeep).

Nothing is rotated: the old private key is lost, not stolen. If it may have been stolen (a
laptop taken, a passphrase seen), remove the member and enrol them again: that starts new
epochs for every group they were in.

The vault's creator holds the root key that every workstation has pinned; their keys cannot be
reset this way (a new root would have to be compared again on every workstation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from infohus_desktop.crypto.passphrase_words import generate_passphrase
from infohus_desktop.crypto.signing import key_retirement_statement
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import AccessDenied, UpgradeDue
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.enrolment import enrol_keys
from infohus_desktop.services.accounts.vouching import recertify, take_over_vouching
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.members import member_row_by_login, to_member
from infohus_desktop.vault.schema import (
    GroupKeyWrapRow,
    GroupMembershipRow,
    GroupRow,
    MemberKeyHistoryRow,
)
from infohus_desktop.vault.trust import public_keys


@dataclass(frozen=True, slots=True)
class PassphraseReset:
    """The member with new keys, their first passphrase (shown once, never stored), and how
    many of their groups' keys wait for another holder to unlock."""

    member: Member
    passphrase: str
    shared_now: int
    waiting: int


def reset_passphrase(ms: MemberSession, login: str) -> PassphraseReset:
    ms.require(Role.COORDINATOR)
    passphrase = generate_passphrase()
    with ms.uow() as session:
        row = member_row_by_login(session, login)
        _refuse(ms, row.id)
        member_id = row.id
        if not ms.keyring.trust.has_key_history(session):
            raise UpgradeDue()  # the previous form has nowhere to keep the old keys
    # The key derivation (about a second) runs before the transaction, not inside it.
    keys, salt, params, sealed = enrol_keys(member_id, passphrase)
    with ms.transaction() as session:
        row = member_row_by_login(session, login)
        _refuse(ms, row.id)
        generation = 1 + int(
            session.scalar(select(func.count()).where(MemberKeyHistoryRow.member_id == row.id)) or 0
        )
        old = public_keys(row)
        session.add(
            MemberKeyHistoryRow(
                member_id=row.id,
                generation=generation,
                kem_public=old.kem,
                sign_public=old.sign,
                retired_at=datetime.now(UTC),
                retired_by=ms.member.id,
                signature=ms.keyring.user_keys.sign(
                    key_retirement_statement(ms.vault.vault_id, row.id, generation, old)
                ),
            )
        )
        new = keys.public()
        row.kem_public, row.sign_public = new.kem, new.sign
        row.kdf_salt, row.kdf_params, row.sealed_keys = salt, params.to_json(), sealed
        row.must_change_passphrase = True
        row.failed_unlocks = 0
        recertify(ms, session, row)
        session.flush()
        if row.role == Role.COORDINATOR:
            # What they vouched for with the lost key, the acting coordinator vouches for now.
            take_over_vouching(ms, session, row.id)
        session.execute(delete(GroupKeyWrapRow).where(GroupKeyWrapRow.member_id == row.id))
        ms.keyring.trust.forget()
        shared = waiting = 0
        for group in session.scalars(
            select(GroupRow)
            .join(GroupMembershipRow, GroupMembershipRow.group_id == GroupRow.id)
            .where(GroupMembershipRow.member_id == row.id)
        ):
            mine = session.get(GroupKeyWrapRow, (group.id, group.epoch, ms.member.id))
            if mine is not None and ms.keyring.add_to_group(session, group.id, row.id):
                shared += 1
            else:
                waiting += 1
        ms.record(session, AuditAction.MEMBER_RESET, row.id, detail=login)
        session.flush()
        return PassphraseReset(to_member(session, ms.keyring, row), passphrase, shared, waiting)


def _refuse(ms: MemberSession, member_id: object) -> None:
    if member_id == ms.member.id:
        raise AccessDenied(
            "Du kan ikke nulstille din egen adgangsfrase; skift den med Skift adgangsfrase …, "
            "eller bed en anden koordinator.",
            "You cannot reset your own passphrase; change it with Change passphrase …, or ask "
            "another coordinator.",
        )
    if member_id == ms.keyring.trust.root_id:
        raise AccessDenied(
            "Boksens opretter har rodnøglen, som alle arbejdsstationer har godkendt; den kan "
            "ikke nulstilles (så skulle den sammenlignes igen på hver arbejdsstation).",
            "The vault's creator holds the root key every workstation has trusted; it cannot "
            "be reset (it would have to be compared again on every workstation).",
        )


def server_acceptance(guard_active: bool, member_id: object) -> tuple[str, str] | None:
    """What the coordinator must ask the server administrator after a reset on a PostgreSQL
    vault with the unlock guard (resources/sql/postgresql-unlock-guard.sql): the guard pinned
    the old signing key, and only the administrator may accept the new one. None without a guard."""
    if not guard_active:
        return None
    statement = f"SELECT infohus_guard.accept_new_key('{member_id}');"
    return (
        "Serveren har oplåsningsvagten: bed serveradministratoren godkende medlemmets nye "
        f"nøgle med {statement} Indtil da nulstilles tælleren af fejlforsøg ikke.",
        "The server has the unlock guard: ask the server administrator to accept the member's "
        f"new key with {statement} Until then the count of failed attempts is not reset.",
    )
