"""Reading and verifying the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from infohus_desktop.domain.audit import AuditAction, AuditEntry, AuditVerification, Purpose
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.session import MemberSession, detail_info
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.schema import AuditEntryRow


class AuditService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def verify(self) -> AuditVerification:
        """The whole chain, the database's checkpoints and this workstation's checkpoint file.

        The verification itself is audited *after* the walk, so it checks the log as it was.
        """
        self.ms.require()
        vault = self.ms.vault
        path = vault.local.checkpoint_file(vault.vault_id)
        pin = vault.local.pin(vault.vault_id)
        file_checkpoints = list(audit_chain.read_checkpoint_file(path, vault.vault_id))
        with vault.uow() as session:
            result = audit_chain.verify_chain(
                session,
                vault.vault_id,
                lambda signer: self.ms.keyring.trust.sign_key_or_none(session, signer),
                file_checkpoints,
            )
        if result.ok and pin is not None and pin.checkpoints_written and not path.exists():
            result = AuditVerification(
                False,
                result.entries,
                result.checkpoints,
                result.head_hash,
                1,
                "the workstation's checkpoint file is missing",
            )
        with self.ms.transaction() as session:
            self.ms.record(
                session,
                AuditAction.AUDIT_VERIFY,
                purpose=Purpose.SUPERVISION,
                detail="ok" if result.ok else f"bad at {result.first_bad_seq}",
            )
        return result

    def list(
        self,
        limit: int = 100,
        before_seq: int | None = None,
        action: str | None = None,
        actor_login: str | None = None,
        purpose: Purpose = Purpose.SUPERVISION,
    ) -> list[AuditEntry]:
        """Newest first, details decrypted (coordinators and the DPO hold the audit key)."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        self.ms.audited_read(AuditAction.AUDIT_LIST, purpose=purpose)
        with self.ms.vault.uow() as session:
            query = select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(limit)
            if before_seq is not None:
                query = query.where(AuditEntryRow.seq < before_seq)
            if action:
                query = query.where(AuditEntryRow.action == action)
            if actor_login:
                query = query.where(AuditEntryRow.actor_login == actor_login)
            group_id = self.ms.vault.system_group_id(session, GroupKind.AUDIT)
            entries = []
            for row in session.scalars(query):
                detail = None
                if row.detail is not None and row.detail_epoch is not None:
                    try:
                        key = self.ms.keyring.audit_private_key(session, group_id, row.detail_epoch)
                        detail = key.open(
                            bytes(row.detail),
                            detail_info(self.ms.vault.vault_id, row.id, row.detail_epoch),
                        ).decode("utf-8")
                    except TamperedData:
                        detail = "⚠ (kan ikke læses / unreadable)"
                entries.append(
                    AuditEntry(
                        seq=row.seq,
                        id=row.id,
                        at=datetime.fromisoformat(row.at.replace("Z", "+00:00")),
                        actor_id=row.actor_id,
                        actor_login=row.actor_login,
                        organisation_id=row.organisation_id,
                        workstation=row.workstation,
                        action=row.action,
                        object_id=row.object_id,
                        purpose=row.purpose,
                        detail=detail,
                        entry_hash=row.entry_hash,
                    )
                )
            return entries
