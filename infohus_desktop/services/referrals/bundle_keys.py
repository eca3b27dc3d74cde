"""The vault's bundle identity and the register of pinned organisations (docs/BUNDLE.md).

Key model: the *vault*, not a member, is the party of a bundle. Its identity is one 256-bit
secret from which the receiving HPKE key and the Ed25519 bundle-signing key are derived; the
secret is sealed under the casework group's key (services/accounts/casework.py), so coordinators and
members (who may send and receive referrals) can use it and guests and the DPO cannot. Removing
a member does not revoke the identity: a new epoch of the group keeps it readable to the
remaining members (the ``previous_key`` chain), and whoever read it while a member may have
kept it. Making a new identity is not built yet (docs/BUNDLE.md §5). A coordinator creates
it and signs its public halves, as they sign member certificates, so a key swapped in the
database is refused.

The register holds the key cards of other organisations, each pinned by a coordinator after
the fingerprint was confirmed out of band, and signed by that coordinator. It is both the
list of recipients a bundle may be encrypted to and the list of senders whose bundles are
accepted: nothing is imported from an organisation nobody pinned.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext
from infohus_desktop.crypto.bundle_keys import BundleIdentity, KeyCard, decode_card, encode_card
from infohus_desktop.crypto.encoding import b64
from infohus_desktop.crypto.keys import PublicKeys, fingerprint, normalize_fingerprint
from infohus_desktop.crypto.signing import SignKeys, statement
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.bundles import BundleAction
from infohus_desktop.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    TamperedData,
    UntrustedKey,
)
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.referral_schema import BundleIdentityRow, BundleRecipientRow
from infohus_desktop.vault.schema import MemberRow

USERS = (Role.COORDINATOR, Role.MEMBER)
MAX_RECIPIENT_NAME = 200


@dataclass(frozen=True, slots=True)
class Recipient:
    """A pinned organisation, verified and decrypted."""

    id: uuid.UUID
    name: str
    organisation: str
    peer_vault_id: uuid.UUID
    fingerprint: str
    keys: PublicKeys
    added_at: datetime


def no_identity() -> NotFound:
    return NotFound(
        "Boksen har endnu ingen pakkenøgle. En koordinator opretter den med "
        "»infohus keys export-public FIL«.",
        "The vault has no bundle key yet. A coordinator creates it with "
        "'infohus keys export-public FILE'.",
    )


def _tampered_register() -> UntrustedKey:
    return UntrustedKey(
        "En nøgle i pakkeregistret er ikke underskrevet af en koordinator, eller den er ændret.",
        "A key in the bundle register is not signed by a coordinator, or it was altered.",
    )


def _identity_statement(vault_id: uuid.UUID, row: BundleIdentityRow) -> bytes:
    return statement(
        "bundle-identity",
        vault_id,
        id=str(row.id),
        fingerprint=row.fingerprint,
        kem=b64(bytes(row.kem_public)),
        sign=b64(bytes(row.sign_public)),
    )


def _recipient_statement(vault_id: uuid.UUID, row: BundleRecipientRow, name: str) -> bytes:
    return statement(
        "bundle-recipient",
        vault_id,
        id=str(row.id),
        name=name,
        peer=str(row.peer_vault_id),
        fingerprint=row.fingerprint,
        kem=b64(bytes(row.kem_public)),
        sign=b64(bytes(row.sign_public)),
    )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class BundleKeys:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- signatures --------------------------------------------------------------------------

    def _coordinator_key(self, session: Session, member_id: uuid.UUID) -> SignKeys:
        """The verified signing keys of an active coordinator (the signer of a register row)."""
        member = session.get(MemberRow, member_id)
        if member is None or not member.active or member.role != Role.COORDINATOR:
            raise _tampered_register()
        return self.ms.keyring.trust.sign_keys(session, member_id)

    def _group_key_ctx(self, table: str, column: str, row_id: uuid.UUID) -> FieldContext:
        return FieldContext(table, column, row_id, None)

    # -- the vault's identity ----------------------------------------------------------------

    def identity_row(self, session: Session) -> BundleIdentityRow | None:
        """The current identity row, its coordinator signature verified."""
        row = session.scalars(
            select(BundleIdentityRow).order_by(BundleIdentityRow.created_at.desc()).limit(1)
        ).first()
        if row is None:
            return None
        signer = self._coordinator_key(session, row.created_by)
        public = PublicKeys(bytes(row.kem_public), bytes(row.sign_public))
        if fingerprint(public) != row.fingerprint or not signer.verify(
            bytes(row.signature), _identity_statement(self.ms.vault.vault_id, row)
        ):
            raise _tampered_register()
        return row

    def identity(self, session: Session) -> BundleIdentity:
        """The private identity; the derived public keys must be the signed ones."""
        self.ms.require(*USERS)
        row = self.identity_row(session)
        if row is None:
            raise no_identity()
        key = self.ms.keyring.field_key_by_id(session, Ciphertext(row.secret).key_id)
        secret = key.decrypt(row.secret, self._group_key_ctx("bundle_identities", "secret", row.id))
        ident = BundleIdentity(self.ms.vault.vault_id, self.ms.vault.infohus_name, secret)
        if ident.fingerprint != row.fingerprint:
            raise _tampered_register()
        return ident

    def _create_identity(self, session: Session) -> BundleIdentityRow:
        self.ms.require(Role.COORDINATOR)
        secret = os.urandom(32)
        ident = BundleIdentity(self.ms.vault.vault_id, self.ms.vault.infohus_name, secret)
        casework = casework_group_id(self.ms, session)
        key = self.ms.keyring.group_field_key(session, casework)
        row_id = uuid.uuid4()
        public = ident.public()
        row = BundleIdentityRow(
            id=row_id,
            fingerprint=ident.fingerprint,
            kem_public=public.kem,
            sign_public=public.sign,
            secret=key.encrypt(secret, self._group_key_ctx("bundle_identities", "secret", row_id)),
            created_at=datetime.now(UTC),
            created_by=self.ms.member.id,
            signature=b"",
        )
        row.signature = self.ms.keyring.user_keys.sign(
            _identity_statement(self.ms.vault.vault_id, row)
        )
        session.add(row)
        session.flush()
        self.ms.record(session, BundleAction.IDENTITY_CREATE, row.id, Purpose.ADMINISTRATION)
        return row

    def export_public(self) -> tuple[bytes, str]:
        """The key card of this vault (made on first use by a coordinator) and its
        fingerprint, to be read to the other organisation out of band."""
        self.ms.require(*USERS)
        with self.ms.transaction() as session:
            row = self.identity_row(session)
            if row is None:
                if self.ms.member.role != Role.COORDINATOR:
                    raise no_identity()
                row = self._create_identity(session)
            ident = self.identity(session)
            self.ms.record(session, BundleAction.KEY_EXPORT, row.id, Purpose.ADMINISTRATION)
            return encode_card(ident.card(), ident.signing), ident.fingerprint

    # -- the register ------------------------------------------------------------------------

    @staticmethod
    def read_card(data: bytes) -> KeyCard:
        """Parse a key card file (before a coordinator confirms its fingerprint)."""
        return decode_card(data)

    def add_recipient(self, name: str, card_data: bytes, confirmed_fingerprint: str) -> Recipient:
        """Pin another organisation's key card. ``confirmed_fingerprint`` is what the
        coordinator heard from the other side; it must equal the card's."""
        self.ms.require(Role.COORDINATOR)
        name = " ".join(name.split())
        if not name or len(name) > MAX_RECIPIENT_NAME:
            raise InvalidInput(
                "Modtageren skal have et navn på højst 200 tegn.",
                "The recipient needs a name of at most 200 characters.",
            )
        card = decode_card(card_data)
        if normalize_fingerprint(confirmed_fingerprint) != card.fingerprint:
            raise InvalidInput(
                "Fingeraftrykket passer ikke med nøglekortet. Intet er gemt; bekræft "
                "fingeraftrykket med modtageren igen.",
                "The fingerprint does not match the key card. Nothing was saved; confirm "
                "the fingerprint with the recipient again.",
            )
        with self.ms.transaction() as session:
            own = self.identity_row(session)
            if own is not None and own.fingerprint == card.fingerprint:
                raise InvalidInput("Det er boksens egen nøgle.", "That is this vault's own key.")
            if session.scalar(
                select(BundleRecipientRow.id).where(
                    BundleRecipientRow.fingerprint == card.fingerprint
                )
            ):
                raise Conflict(
                    "Denne nøgle er allerede i registret.", "This key is already in the register."
                )
            casework = casework_group_id(self.ms, session)
            key = self.ms.keyring.group_field_key(session, casework)
            row_id, at = uuid.uuid4(), datetime.now(UTC)
            row = BundleRecipientRow(
                id=row_id,
                fingerprint=card.fingerprint,
                peer_vault_id=card.vault_id,
                kem_public=card.keys.kem,
                sign_public=card.keys.sign,
                payload=key.encrypt(
                    dumps({"name": name, "organisation": card.organisation}),
                    self._group_key_ctx("bundle_recipients", "payload", row_id),
                ),
                added_at=at,
                added_by=self.ms.member.id,
                signature=b"",
            )
            row.signature = self.ms.keyring.user_keys.sign(
                _recipient_statement(self.ms.vault.vault_id, row, name)
            )
            session.add(row)
            session.flush()
            self.ms.record(
                session,
                BundleAction.RECIPIENT_ADD,
                row.id,
                Purpose.ADMINISTRATION,
                f"fingerprint {card.fingerprint}",
            )
            return self._recipient(session, row)

    def _recipient(self, session: Session, row: BundleRecipientRow) -> Recipient:
        """Decrypt and verify one register row; a row that fails is never used."""
        key = self.ms.keyring.field_key_by_id(session, Ciphertext(row.payload).key_id)
        try:
            payload = loads(
                key.decrypt(
                    row.payload, self._group_key_ctx("bundle_recipients", "payload", row.id)
                )
            )
        except TamperedData:
            raise _tampered_register() from None
        name = str(payload.get("name", ""))
        keys = PublicKeys(bytes(row.kem_public), bytes(row.sign_public))
        signer = self._coordinator_key(session, row.added_by)
        if fingerprint(keys) != row.fingerprint or not signer.verify(
            bytes(row.signature), _recipient_statement(self.ms.vault.vault_id, row, name)
        ):
            raise _tampered_register()
        return Recipient(
            row.id,
            name,
            str(payload.get("organisation", "")),
            row.peer_vault_id,
            row.fingerprint,
            keys,
            _utc(row.added_at),
        )

    def recipients(self) -> list[Recipient]:
        self.ms.require(*USERS)
        self.ms.audited_read(BundleAction.RECIPIENT_LIST, None, Purpose.ADMINISTRATION)
        with self.ms.uow() as session:
            rows = session.scalars(select(BundleRecipientRow).order_by(BundleRecipientRow.added_at))
            return sorted((self._recipient(session, r) for r in rows), key=lambda r: r.name)

    def recipient(self, session: Session, ref: uuid.UUID | str) -> Recipient:
        """A pinned recipient by id, fingerprint or (unique) name."""
        self.ms.require(*USERS)
        text = str(ref).strip()
        row: BundleRecipientRow | None = None
        try:
            row = session.get(BundleRecipientRow, uuid.UUID(text))
        except ValueError:
            row = session.scalar(
                select(BundleRecipientRow).where(
                    BundleRecipientRow.fingerprint == normalize_fingerprint(text)
                )
            )
        if row is not None:
            return self._recipient(session, row)
        wanted = " ".join(text.split()).casefold()
        matches = [
            r
            for r in (
                self._recipient(session, r) for r in session.scalars(select(BundleRecipientRow))
            )
            if r.name.casefold() == wanted
        ]
        if len(matches) != 1:
            raise NotFound(
                f"Ingen modtager »{text}« i registret (se »infohus recipient list«).",
                f"No recipient '{text}' in the register (see 'infohus recipient list').",
            )
        return matches[0]

    def sender(self, session: Session, sender_fingerprint: str) -> Recipient | None:
        """The pinned organisation with this fingerprint, verified; None if none."""
        row = session.scalar(
            select(BundleRecipientRow).where(BundleRecipientRow.fingerprint == sender_fingerprint)
        )
        return None if row is None else self._recipient(session, row)
