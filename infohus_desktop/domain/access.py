"""Who may do what with a case: the role rule. The other half of every check is cryptographic
and lives in the vault: a member outside the case's access group holds no key to it."""

from __future__ import annotations

import enum

from infohus_desktop.domain.organisations import Role


class CaseOp(enum.StrEnum):
    CREATE = "create"
    READ = "read"
    LIST = "list"
    EDIT = "edit"
    SCREEN = "screen"
    STATUS = "status"
    ASSESS = "assess"
    MEASURE = "measure"
    JOURNAL = "journal"
    DISCLOSE = "disclose"
    ATTACH_ADD = "attach_add"
    ATTACH_READ = "attach_read"
    ATTACH_REMOVE = "attach_remove"
    MOVE = "move"
    HOLD = "hold"
    DELETE = "delete"


C, M, G = Role.COORDINATOR, Role.MEMBER, Role.GUEST
#: Roles that may see statistics (with the casework group's key).
STATISTICS_ROLES = frozenset({C, M})
#: Roles that see the Administration area; only coordinators change anything in it.
ADMINISTRATION_ROLES = frozenset({C, Role.DPO})
#: Roles allowed each operation, for members of the case's access group. A guest (psychiatry,
#: Kriminalforsorgen) reads the cases shared with them and adds journal entries and
#: attachments; the DPO supervises through the audit log and never reads case content.
CASE_ROLES: dict[CaseOp, frozenset[Role]] = {
    CaseOp.CREATE: frozenset({C, M}),
    CaseOp.READ: frozenset({C, M, G}),
    CaseOp.LIST: frozenset({C, M, G}),
    CaseOp.EDIT: frozenset({C, M}),
    CaseOp.SCREEN: frozenset({C, M}),
    CaseOp.STATUS: frozenset({C, M}),
    CaseOp.ASSESS: frozenset({C, M}),
    CaseOp.MEASURE: frozenset({C, M}),
    CaseOp.JOURNAL: frozenset({C, M, G}),
    CaseOp.DISCLOSE: frozenset({C, M}),
    CaseOp.ATTACH_ADD: frozenset({C, M, G}),
    CaseOp.ATTACH_READ: frozenset({C, M, G}),
    CaseOp.ATTACH_REMOVE: frozenset({C, M}),
    CaseOp.MOVE: frozenset({C}),
    CaseOp.HOLD: frozenset({C, M}),
    CaseOp.DELETE: frozenset({C}),
}
