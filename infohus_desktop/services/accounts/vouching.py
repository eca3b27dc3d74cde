"""What a coordinator vouched for, taken over by another when the first one stops vouching.

A coordinator signs certificates (a member's keys, organisation and role), memberships and
removals of access groups, the retirement of a member's keys at a passphrase reset, and the
vault's vocabulary and retention rules (services/core/signed_settings.py). All of
them are only believed while the signer is an active coordinator (vault/trust.py,
vault/group_keys.py). When a coordinator is removed, becomes something else, or gets new keys,
the acting coordinator re-signs each of those statements, so that the members they enrolled
stay trusted and keep getting their groups' keys.

Only statements that verify with the departing coordinator's keys are re-signed: a row
forged into the database in their name stays as invalid as it was (re-signing it would
launder it).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.keys import PublicKeys
from infohus_desktop.crypto.signing import (
    certificate_statement,
    key_retirement_statement,
    membership_statement,
    removal_statement,
)
from infohus_desktop.services.accounts.format_step import SIGNED_SETTINGS
from infohus_desktop.services.core import signed_settings
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import (
    GroupMembershipRow,
    GroupRemovalRow,
    MemberKeyHistoryRow,
    MemberRow,
)
from infohus_desktop.vault.trust import public_keys


def certificate_of(ms: MemberSession, row: MemberRow) -> bytes:
    """``row``'s certificate statement as it is now."""
    return certificate_statement(
        ms.vault.vault_id, row.id, row.organisation_id, row.role, public_keys(row)
    )


def recertify(ms: MemberSession, session: Session, row: MemberRow) -> None:
    """A new certificate for ``row`` as it is now, signed by the acting coordinator."""
    row.certified_by = ms.member.id
    row.certificate = ms.keyring.user_keys.sign(certificate_of(ms, row))


def take_over_vouching(ms: MemberSession, session: Session, coordinator_id: uuid.UUID) -> None:
    """Re-sign, as the acting coordinator, what ``coordinator_id`` validly signed."""
    session.flush()
    ms.keyring.trust.forget()
    theirs = ms.keyring.trust.sign_key_or_none(session, coordinator_id)
    if theirs is None:
        return  # nothing they signed verifies now; nothing is taken over
    me, vault_id = ms.member.id, ms.vault.vault_id
    sign = ms.keyring.user_keys.sign
    for other in session.scalars(
        select(MemberRow).where(
            MemberRow.certified_by == coordinator_id, MemberRow.id != coordinator_id
        )
    ):
        if theirs.verify(bytes(other.certificate), certificate_of(ms, other)):
            recertify(ms, session, other)
    for membership in session.scalars(
        select(GroupMembershipRow).where(GroupMembershipRow.added_by == coordinator_id)
    ):
        said = membership_statement(
            vault_id, membership.group_id, membership.member_id, membership.epoch
        )
        if theirs.verify(bytes(membership.signature), said):
            membership.added_by, membership.signature = me, sign(said)
    for removal in session.scalars(
        select(GroupRemovalRow).where(GroupRemovalRow.removed_by == coordinator_id)
    ):
        said = removal_statement(vault_id, removal.group_id, removal.member_id, removal.epoch)
        if theirs.verify(bytes(removal.signature), said):
            removal.removed_by, removal.signature = me, sign(said)
    if ms.keyring.trust.has_key_history(session):  # the previous form keeps no history
        for retired in session.scalars(
            select(MemberKeyHistoryRow).where(MemberKeyHistoryRow.retired_by == coordinator_id)
        ):
            old = PublicKeys(bytes(retired.kem_public), bytes(retired.sign_public))
            said = key_retirement_statement(vault_id, retired.member_id, retired.generation, old)
            if theirs.verify(bytes(retired.signature), said):
                retired.retired_by, retired.signature = me, sign(said)
    for spec in SIGNED_SETTINGS:  # the vocabulary and the retention rules they set
        signed_settings.take_over(ms, session, spec, coordinator_id, theirs)
    session.flush()
    ms.keyring.trust.forget()
