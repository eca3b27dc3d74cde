"""The retention rules of a vault: months after closing per closing reason and retention class.

The rules decide when a case is deleted, so a database writer must not be able to change
them: they are stored in ``vault_settings`` (clear: they are vocabulary, not personal data)
with the Ed25519 signature of the coordinator who set them (services/core/signed_settings.py,
statement ``retention-rules``), and a stored value that does not verify through that
coordinator's certificate is refused with :class:`TamperedData`; unlike the vocabulary, the
rules were signed from their first version, so no vault holds them unsigned. Until a
coordinator sets them, the shipped starting point applies and says so (``configured``
false). Rules that shorten a period in force need the DPO or another coordinator to approve
them (services/retention/approval.py), as a deletion before its time does: otherwise one
coordinator could make every case due and delete them all.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import (
    DEFAULT_RULES,
    RetentionAction,
    RetentionRules,
    rules_from_json,
    rules_to_json,
    shortened_periods,
)
from infohus_desktop.services.core import signed_settings
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.core.signed_settings import SignedSetting
from infohus_desktop.services.retention.approval import Approval, NeedsApproval, prove_approver

RULES_KEY = "retention.rules"
RULES = SignedSetting(
    RULES_KEY,
    "retention-rules",
    "Slettereglerne er ændret uden om programmet, og listen over sager til sletning kan ikke "
    "laves.",
    "The retention rules were changed outside the program, and the list of cases due cannot "
    "be made.",
    "En koordinator må sætte dem igen (Til sletning → Sletteregler).",
    "A coordinator must set them again (Deletion → Rules).",
    lambda data: rules_to_json(rules_from_json(data)),
    field="rules",
    unsigned_before_format_4=False,
)


class RetentionRulesService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def get(self, session: Session | None = None) -> RetentionRules:
        """The vault's rules, checked against their signer; every member may read them."""
        self.ms.require()
        if session is None:
            with self.ms.uow() as own:
                return self.get(own)
        stored = signed_settings.read(self.ms, session, RULES).value
        if stored is None:
            return DEFAULT_RULES
        try:
            return rules_from_json(stored)
        except (ValueError, InvalidInput):  # signed, yet no rules this version reads
            raise RULES.tampered() from None

    def for_editing(self, session: Session | None = None) -> tuple[RetentionRules, bool]:
        """The rules the coordinator's editor starts from, and whether the stored ones were
        changed outside the program (then the shipped rules, to be set again)."""
        try:
            return self.get(session), False
        except TamperedData:
            return DEFAULT_RULES, True

    def set(self, data: object, approval: Approval | None = None) -> RetentionRules:
        """Replace the rules (a coordinator; audited). ``data`` is the JSON of
        ``infohus retention rules --set FILE``; :class:`InvalidInput` names what is wrong.
        Rules that shorten a period in force need ``approval`` (four eyes), as an early
        deletion does, and so does any rule set over stored rules changed outside the
        program (no baseline to compare with): :class:`ApprovalNeeded` otherwise."""
        self.ms.require(Role.COORDINATOR)
        rules = rules_from_json(data)
        rules_json = rules_to_json(rules)
        approver = None
        if approval is not None:  # the key derivation, before the transaction
            _id, approver = prove_approver(
                self.ms, approval, "kortere sletteregler", "shorter retention rules"
            )
        detail = json.dumps(rules_json, sort_keys=True)
        with self.ms.transaction() as session:
            # Compared inside the writing transaction: rules another coordinator saved a
            # moment ago are the ones this save would shorten.
            current, tampered = self.for_editing(session)
            shorter = shortened_periods(current, rules)
            if (shorter or tampered) and approver is None:
                raise ApprovalNeeded(shorter, tampered)
            if approver is not None and (shorter or tampered):
                detail += f" approved_by={approver}"
            signed_settings.write(self.ms, session, RULES, rules_json)
            self.ms.record(session, RetentionAction.RULES, None, Purpose.ADMINISTRATION, detail)
        return rules


class ApprovalNeeded(NeedsApproval):
    """Rules that shorten a period (or replace rules changed outside the program), saved
    without the second person."""

    def __init__(self, shorter: list[tuple[str, str]], tampered: bool = False) -> None:
        if shorter:
            da = ", ".join(f"»{name_da}«" for name_da, _ in shorter)
            en = ", ".join(f"'{name_en}'" for _, name_en in shorter)
            what_da = f"Reglerne gør perioden kortere for {da}: sager slettes tidligere."
            what_en = f"The rules shorten the period for {en}: cases are deleted sooner."
        else:
            what_da = (
                "De gemte sletteregler er ændret uden om programmet, så det kan ikke ses, om "
                "de nye er kortere."
            )
            what_en = (
                "The stored retention rules were changed outside the program, so it cannot be "
                "seen whether the new ones are shorter."
            )
        super().__init__(
            f"{what_da} Det kræver godkendelse af DPO'en eller en anden koordinator, som en "
            "sletning før tid.",
            f"{what_en} That needs the approval of the DPO or another coordinator, as an early "
            "deletion does.",
        )
        self.shorter = shorter
        self.tampered = tampered
