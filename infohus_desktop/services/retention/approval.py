"""The second person (four eyes) of what deletes cases sooner than the rules in force say:
a deletion before its time, retention rules that shorten a period, a case moved to a
retention class with a shorter period, and a handover to another Infohus (by bundle, or
recorded as made outside the program).
Each needs the DPO or another coordinator, who types their passphrase on the same
workstation; without that, one coordinator could shorten the rules (or a case's class, or
record a handover nobody made) and then delete every case the shorter period makes due,
which the early deletion's approval exists to prevent (user trial, review).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from infohus_desktop.domain.cases import RetentionClass
from infohus_desktop.domain.errors import InfohusError, InvalidInput, WrongPassphrase
from infohus_desktop.domain.labels import RETENTION_LABELS
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.session import MemberSession


@dataclass(frozen=True, slots=True)
class Approval:
    """The second person: the DPO or another coordinator, with their passphrase."""

    login: str
    passphrase: str = field(repr=False)  # never in a traceback or a log line


def prove_approver(
    ms: MemberSession, approval: Approval, what_da: str, what_en: str
) -> tuple[uuid.UUID, str]:
    """The approver's id and login, once their passphrase is proven (one key derivation; a
    wrong one counts as a failed unlock of that member) and their role allows it. ``what``
    names what is approved ("en sletning før tid")."""
    try:
        member = ms.vault.prove(approval.login, approval.passphrase)
    except WrongPassphrase:
        raise WrongApprover() from None
    if member.id == ms.member.id:
        raise InvalidInput(
            "Godkendelsen skal komme fra en anden end dig selv.",
            "The approval must come from someone other than yourself.",
        )
    if member.role not in (Role.COORDINATOR, Role.DPO):
        raise InvalidInput(
            f"Kun DPO'en eller en anden koordinator kan godkende {what_da}.",
            f"Only the DPO or another coordinator can approve {what_en}.",
        )
    return member.id, member.login


class WrongApprover(WrongPassphrase):
    """The approver's login or passphrase did not prove them: said as theirs, not the
    member's own (second user trial: "Forkert bruger eller adgangsfrase" read as one's own)."""

    def __init__(self) -> None:
        InfohusError.__init__(
            self,
            "Godkenderens bruger eller adgangsfrase er forkert. Intet er gemt.",
            "The approver's login or passphrase is wrong. Nothing was saved.",
        )


class NeedsApproval(InvalidInput):
    """Refused for want of the second person: an early deletion, shorter rules, a shorter
    class. The window opens its approval box; the command line names ``--approver``."""


class ClassApprovalNeeded(NeedsApproval):
    """A case moved to a retention class with a shorter period (or while the rules that say
    so were changed outside the program), saved without the second person."""

    def __init__(self, number: str, retention: RetentionClass, tampered: bool = False) -> None:
        name_da, name_en = RETENTION_LABELS[retention]
        if tampered:
            what_da = (
                "Slettereglerne er ændret uden om programmet, så det kan ikke ses, om "
                f"opbevaringen »{name_da}« giver {number} en kortere periode."
            )
            what_en = (
                "The retention rules were changed outside the program, so it cannot be seen "
                f"whether the retention '{name_en}' gives {number} a shorter period."
            )
        else:
            what_da = (
                f"Opbevaringen »{name_da}« giver {number} en kortere periode: sagen slettes "
                "tidligere."
            )
            what_en = (
                f"The retention '{name_en}' gives {number} a shorter period: the case is "
                "deleted sooner."
            )
        super().__init__(
            f"{what_da} Det kræver godkendelse af DPO'en eller en anden koordinator, som en "
            "sletning før tid.",
            f"{what_en} That needs the approval of the DPO or another coordinator, as an early "
            "deletion does.",
        )
        self.number, self.retention, self.tampered = number, retention, tampered


class HandoverNeedsApproval(NeedsApproval):
    """A handover to another Infohus, by bundle or recorded as made outside the program,
    without the second person."""

    def __init__(self, outside: bool = False) -> None:
        if outside:
            why_da = (
                "intet i programmet viser, at sagen er sendt, og den slettes efter perioden "
                "for overdragne sager"
            )
            why_en = (
                "nothing in the program shows that the case was sent, and it is deleted after "
                "the period for handed-over cases"
            )
            what_da, what_en = "En overdragelse uden om programmet", "A handover made outside"
            what_en += " the program"
        else:
            why_da = (
                "hele sagen videregives, og her slettes den efter perioden for overdragne sager"
            )
            why_en = (
                "the whole case is disclosed, and here it is deleted after the period for "
                "handed-over cases"
            )
            what_da, what_en = "En overdragelse", "A handover"
        super().__init__(
            f"{what_da} kræver godkendelse af DPO'en eller en anden koordinator: {why_da}.",
            f"{what_en} needs the approval of the DPO or another coordinator: {why_en}.",
        )
