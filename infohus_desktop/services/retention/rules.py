"""The retention rules of a vault: months after closing per closing reason and retention class.

The rules decide when a case is deleted, so a database writer must not be able to change
them: they are stored in ``vault_settings`` (clear: they are vocabulary, not personal data)
with the Ed25519 signature of the coordinator who set them, and a stored value that does not
verify through that coordinator's certificate is refused with :class:`TamperedData`. Until a
coordinator sets them, the shipped starting point applies and says so (``configured`` false).
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import b64, canonical_json, unb64
from infohus_desktop.crypto.signing import statement
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InfohusError, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import (
    DEFAULT_RULES,
    RetentionAction,
    RetentionRules,
    rules_from_json,
    rules_to_json,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import MemberRow, SettingRow

RULES_KEY = "retention.rules"


def _tampered() -> TamperedData:
    return TamperedData(
        "Slettereglerne er ændret uden om programmet. En koordinator må sætte dem igen.",
        "The retention rules were changed outside the program. A coordinator must set them again.",
    )


def _statement(vault_id: uuid.UUID, rules: dict[str, object], signer: uuid.UUID) -> bytes:
    return statement("retention-rules", vault_id, rules=rules, signer=str(signer))


class RetentionRulesService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def get(self, session: Session | None = None) -> RetentionRules:
        """The vault's rules, checked against their signer; every member may read them."""
        self.ms.require()
        if session is None:
            with self.ms.uow() as own:
                return self.get(own)
        row = session.get(SettingRow, RULES_KEY)
        if row is None:
            return DEFAULT_RULES
        try:
            stored = json.loads(row.value)
            rules_json, signer = stored["rules"], uuid.UUID(stored["signer"])
            signature = unb64(stored["signature"])
            rules = rules_from_json(rules_json)
        except (ValueError, KeyError, TypeError, InfohusError):
            raise _tampered() from None
        member = session.get(MemberRow, signer)
        try:
            keys = self.ms.keyring.trust.sign_keys(session, signer)
        except InfohusError:
            raise _tampered() from None
        statement_bytes = _statement(self.ms.vault.vault_id, rules_json, signer)
        if member is None or member.role != Role.COORDINATOR.value:
            raise _tampered()
        if not keys.verify(signature, statement_bytes):
            raise _tampered()
        return rules

    def set(self, data: object) -> RetentionRules:
        """Replace the rules (a coordinator; audited). ``data`` is the JSON of
        ``infohus retention rules --set FILE``; :class:`InvalidInput` names what is wrong."""
        self.ms.require(Role.COORDINATOR)
        rules = rules_from_json(data)
        rules_json = rules_to_json(rules)
        me = self.ms.member.id
        signature = self.ms.keyring.user_keys.sign(
            _statement(self.ms.vault.vault_id, rules_json, me)
        )
        value = canonical_json(
            {"rules": rules_json, "signer": str(me), "signature": b64(signature)}
        ).decode()
        with self.ms.transaction() as session:
            row = session.get(SettingRow, RULES_KEY)
            if row is None:
                session.add(SettingRow(key=RULES_KEY, value=value))
            else:
                row.value = value
            self.ms.record(
                session,
                RetentionAction.RULES,
                None,
                Purpose.ADMINISTRATION,
                json.dumps(rules_json, sort_keys=True),
            )
        return rules
