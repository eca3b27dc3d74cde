"""Reading audit entries in tests without writing one: the bodies are sealed, so a test opens
them the way the audit group does, with a coordinator's or the DPO's keys."""

from __future__ import annotations

from sqlalchemy import select

from infohus_desktop.domain.members import GroupKind
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.audit_sealing import AuditBody, AuditReader
from infohus_desktop.vault.schema import AuditEntryRow


def opened_since(reader_session: MemberServices, seq: int = 0) -> list[tuple[int, AuditBody]]:
    """(seq, body) of every entry after ``seq``, oldest first; ``reader_session`` is a
    member of the audit group."""
    ms = reader_session
    with ms.vault.uow() as s:
        group_id = ms.vault.system_group_id(s, GroupKind.AUDIT)
        reader = AuditReader(
            ms.vault.vault_id,
            lambda db, epoch: ms.keyring.audit_private_key(db, group_id, epoch),
        )
        rows = s.scalars(
            select(AuditEntryRow).where(AuditEntryRow.seq > seq).order_by(AuditEntryRow.seq)
        ).all()
        out = []
        for row in rows:
            assert row.session_id is not None and row.body is not None
            out.append((row.seq, reader.open(s, row.session_id, row.id, bytes(row.body))))
        return out


def actions_since(reader_session: MemberServices, seq: int = 0) -> list[str]:
    return [body.action for _, body in opened_since(reader_session, seq)]
