"""``session.retention``: the rules, the due list, holds, deletion and tombstones."""

from __future__ import annotations

from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.retention.deletion import Approval, CaseDeletion
from infohus_desktop.services.retention.due import DueList
from infohus_desktop.services.retention.holds import Holds
from infohus_desktop.services.retention.rules import RetentionRulesService
from infohus_desktop.services.retention.tombstones import Tombstones


class RetentionService:
    def __init__(self, ms: MemberSession) -> None:
        self.rules = RetentionRulesService(ms)
        self.due = DueList(ms).due
        self.holds = Holds(ms)
        self.delete = CaseDeletion(ms).delete
        self.delete_due = CaseDeletion(ms).delete_due
        self.tombstones = Tombstones(ms).list


__all__ = ["Approval", "RetentionService"]
