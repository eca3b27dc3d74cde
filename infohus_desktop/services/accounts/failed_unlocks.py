"""A failed unlock in the audit log, and counted against the member (SECURITY.md §6).

Nobody is authenticated when an unlock fails, so the entry is not signed (the verification
accepts that for this action only) and is sealed to the audit group's current public key,
after checking that a certified member signed that key. An unknown login is not recorded as
the actor: it may be a passphrase typed into the wrong field.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.orm import Session

from infohus_desktop.crypto.signing import epoch_key_statement
from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.local_state import LocalState
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_sealing import AuditBody, AuditWriter
from infohus_desktop.vault.engine import UnitOfWork
from infohus_desktop.vault.members import count_failed_unlock
from infohus_desktop.vault.schema import GroupEpochRow, GroupRow, MemberRow
from infohus_desktop.vault.trust import TrustStore


class _Vault(Protocol):
    """What of the open vault (``VaultService``) a failed unlock's entry needs."""

    uow: UnitOfWork
    local: LocalState

    @property
    def vault_id(self) -> uuid.UUID: ...

    def system_group_id(self, session: Session, kind: GroupKind) -> uuid.UUID: ...

    def root_id(self) -> uuid.UUID: ...

    def pinned_root(self) -> str: ...


def record(vault: _Vault, member_id: uuid.UUID | None) -> None:
    """Count the failure against ``member_id`` (None: no such member) and audit it."""
    with vault.uow() as session:
        actor_login = "?"
        org_id = None
        if member_id is not None:
            row = session.get(MemberRow, member_id)
            if row is not None:
                actor_login, org_id = row.login, row.organisation_id
                count_failed_unlock(session, member_id)
        vault.uow.lock_audit_chain(session)
        audit_chain.append(
            session,
            vault.vault_id,
            audit_chain.NewEntry(
                AuditBody(
                    actor_id=member_id,
                    actor_login=actor_login,
                    organisation_id=org_id,
                    workstation=vault.local.workstation(),
                    action=AuditAction.LOGIN_FAILED,
                    object_id=None,
                    purpose=Purpose.ADMINISTRATION,
                    detail=None,
                ),
                _writer(vault, session),
                sign=None,  # nobody is authenticated; verify accepts this only here
            ),
        )


def _writer(vault: _Vault, session: Session) -> AuditWriter:
    """A one-off writer sealed to the audit group's current public key, once a certified
    member is found to have signed that key."""
    group_id = vault.system_group_id(session, GroupKind.AUDIT)
    group = session.get(GroupRow, group_id)
    row = session.get(GroupEpochRow, (group_id, group.epoch)) if group else None
    if row is None or row.public_key is None or row.public_key_signature is None:
        raise TamperedData("Revisionsnøglen mangler.", "The audit key is missing.")
    trust = TrustStore(vault.vault_id, vault.root_id(), vault.pinned_root())
    signer = trust.sign_keys(session, row.signed_by) if row.signed_by else None
    statement = epoch_key_statement(vault.vault_id, group_id, row.epoch, bytes(row.public_key))
    if signer is None or not signer.verify(bytes(row.public_key_signature), statement):
        raise TamperedData(
            "Revisionsnøglen er ikke gyldigt underskrevet.",
            "The audit key is not validly signed.",
        )
    return AuditWriter(vault.vault_id, row.epoch, bytes(row.public_key))
