"""Which member keys to trust: a chain of coordinator signatures up to the pinned root.

The vault creator's key is the root: it certifies itself, and its fingerprint is pinned in
each workstation's local settings at creation (or by ``infohus vault trust``). Every other
member key must carry a signature of an *active coordinator* whose own key verifies the same
way. Anything else (a key swapped in the database, a forged certificate, a certificate by a
removed coordinator) is refused before a single key is wrapped to it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.keys import PublicKeys, fingerprint
from infohus_desktop.crypto.signing import (
    SignKeys,
    certificate_statement,
    key_retirement_statement,
    verify,
)
from infohus_desktop.domain.errors import UntrustedKey
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.schema import MemberKeyHistoryRow, MemberRow


def untrusted() -> UntrustedKey:
    return UntrustedKey(
        "En medlemsnøgle er ikke godkendt af en koordinator, eller den er udskiftet. "
        "Intet er krypteret til den; kontakt en koordinator.",
        "A member key is not certified by a coordinator, or it was swapped. Nothing was "
        "encrypted to it; contact a coordinator.",
    )


def public_keys(row: MemberRow) -> PublicKeys:
    return PublicKeys(bytes(row.kem_public), bytes(row.sign_public))


class TrustStore:
    """Verifies certificates once per unlocked session and remembers the verdicts."""

    def __init__(self, vault_id: uuid.UUID, root_id: uuid.UUID, pinned_root: str) -> None:
        self.vault_id = vault_id
        self.root_id = root_id
        self.pinned_root = pinned_root
        self._verified: dict[uuid.UUID, tuple[bytes, bytes, str, uuid.UUID]] = {}
        #: Per member: their current signing key when looked up, and the retired ones (a
        #: reset on another workstation changes the current key, which voids the entry).
        self._retired: dict[uuid.UUID, tuple[bytes | None, tuple[bytes, ...]]] = {}
        self._has_history: bool | None = None

    def forget(self) -> None:
        self._verified.clear()
        self._retired.clear()

    def verified_keys(self, session: Session, member_id: uuid.UUID) -> PublicKeys:
        row = session.get(MemberRow, member_id)
        if row is None:
            raise untrusted()
        self._verify_row(session, row, depth=0)
        return public_keys(row)

    def sign_keys(self, session: Session, member_id: uuid.UUID) -> SignKeys:
        """The member's verified signing keys, current and retired; raises if untrusted."""
        current = self.verified_keys(session, member_id).sign
        return SignKeys(current, self._retired_keys(session, member_id, depth=0))

    def sign_key_or_none(self, session: Session, member_id: uuid.UUID) -> SignKeys | None:
        try:
            return self.sign_keys(session, member_id)
        except UntrustedKey:
            return None

    def _retired_keys(
        self, session: Session, member_id: uuid.UUID, depth: int
    ) -> tuple[bytes, ...]:
        """The signing keys a passphrase reset retired, each vouched for by a coordinator
        whose own keys verify (a retirement signed before that coordinator's own reset
        holds with the key they had then). A record that does not verify is left out: what
        was signed with that key then fails to verify, which is what the checks report."""
        member = session.get(MemberRow, member_id)
        now = bytes(member.sign_public) if member is not None else None
        cached = self._retired.get(member_id)
        if cached is not None and cached[0] == now:
            return cached[1]
        if depth > 8 or not self.has_key_history(session):
            return ()
        keys = []
        for row in session.scalars(
            select(MemberKeyHistoryRow)
            .where(MemberKeyHistoryRow.member_id == member_id)
            .order_by(MemberKeyHistoryRow.generation.desc())
        ):
            voucher = session.get(MemberRow, row.retired_by)
            if voucher is None or not voucher.active or voucher.role != Role.COORDINATOR:
                continue
            try:
                current = self.verified_keys(session, row.retired_by).sign
            except UntrustedKey:
                continue
            voucher_keys = SignKeys(
                current,
                ()
                if row.retired_by == member_id
                else self._retired_keys(session, row.retired_by, depth + 1),
            )
            old = PublicKeys(bytes(row.kem_public), bytes(row.sign_public))
            statement = key_retirement_statement(self.vault_id, member_id, row.generation, old)
            if voucher_keys.verify(bytes(row.signature), statement):
                keys.append(old.sign)
        self._retired[member_id] = (now, tuple(keys))
        return tuple(keys)

    def has_key_history(self, session: Session) -> bool:
        """A vault of the previous form (before ``vault upgrade``) has no key history yet."""
        if self._has_history is None:
            self._has_history = inspect(session.connection()).has_table("member_key_history")
        return self._has_history

    def _verify_row(self, session: Session, row: MemberRow, depth: int) -> None:
        fingerprint_now = (
            bytes(row.kem_public),
            bytes(row.sign_public),
            row.role,
            row.organisation_id,
        )
        if self._verified.get(row.id) == fingerprint_now:
            return
        if depth > 32:
            raise untrusted()
        keys = public_keys(row)
        statement = certificate_statement(
            self.vault_id, row.id, row.organisation_id, row.role, keys
        )
        if row.id == self.root_id:
            if fingerprint(keys) != self.pinned_root or row.certified_by != row.id:
                raise untrusted()
            if not verify(keys.sign, bytes(row.certificate), statement):
                raise untrusted()
        else:
            if row.certified_by == row.id:
                raise untrusted()
            certifier = session.get(MemberRow, row.certified_by)
            if certifier is None or not certifier.active or certifier.role != Role.COORDINATOR:
                raise untrusted()
            self._verify_row(session, certifier, depth + 1)
            if not verify(bytes(certifier.sign_public), bytes(row.certificate), statement):
                raise untrusted()
        self._verified[row.id] = fingerprint_now
