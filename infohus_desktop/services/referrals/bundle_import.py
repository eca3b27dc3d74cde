"""Importing a bundle: every check of docs/BUNDLE.md §6 in its order, and the audit of
every attempt.

Size caps, the signature against a pinned sender key, this vault's identity and the
recipient, replay (an unseen id, inside its validity), full decryption before anything is
released, strict schema validation — and then the referral, its attachments, the replay
marker and the audit entry are stored in ONE transaction. Any refusal raises
:class:`~infohus_desktop.domain.bundles.BundleRejected` and changes nothing but one audit
entry ``bundle.import.rejected`` carrying the reason code; so does every other failure of an
attempt (an unreadable file, this vault's identity missing or altered: their own codes;
anything else: ``failed``, and the original error goes on).
"""

from __future__ import annotations

import mmap
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.crypto.bundle_payload import (
    LimitedReader,
    Payload,
    PayloadStream,
    parse_payload,
    read_manifest,
    scan_payload,
)
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.bundles import (
    BundleAction,
    BundleInfo,
    BundleKind,
    BundleRejected,
    BundleUnreadable,
    RejectReason,
)
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound, TamperedData
from infohus_desktop.domain.referrals import (
    KEY_PATTERN,
    FieldType,
    Programme,
    Section,
    check_values,
)
from infohus_desktop.services.cases import transfer_payload
from infohus_desktop.services.cases.transfer import (
    CaseTransfers,
    TransferReceived,
    refuse_without_municipality,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.referrals.bundle_keys import USERS, BundleKeys, Recipient
from infohus_desktop.services.referrals.incoming import IncomingAttachmentData
from infohus_desktop.services.referrals.service import ReferralService
from infohus_desktop.vault.codecs.referrals import form_from_json
from infohus_desktop.vault.referral_schema import (
    BundleIdentityRow,
    IncomingReferralRow,
    SeenBundleRow,
)

_DATA_FIELDS = frozenset({"form", "referral", "sent_on", "values"})
_FORM_FIELD_KEYS = frozenset(
    {"builtin", "choices", "key", "label_da", "label_en", "order", "required", "section", "type"}
)
T = TypeVar("T")


def _check_form(form: object) -> None:
    """The sender's form exactly as BUNDLE.md §4 has it: each field with its nine keys, each
    of its JSON type, a key of the key pattern, unique keys, known types and sections, and
    choices as [code, label_da, label_en] strings. ``form_from_json`` alone is lenient (it
    reads the vault's own stored settings): it would read ``"required": "no"`` as required,
    a string ``order`` as a number and drop unknown keys. ValueError otherwise."""
    if not isinstance(form, list):
        raise ValueError("form")
    keys: set[str] = set()
    for item in form:
        if not isinstance(item, dict) or set(item) != _FORM_FIELD_KEYS:
            raise ValueError("form field")
        key, choices = item["key"], item["choices"]
        if not isinstance(key, str) or not KEY_PATTERN.match(key) or key in keys:
            raise ValueError("form key")
        keys.add(key)
        if not all(isinstance(item[k], str) for k in ("label_da", "label_en", "type", "section")):
            raise ValueError("form text")
        if item["type"] not in set(FieldType) or item["section"] not in set(Section):
            raise ValueError("form type")
        if type(item["required"]) is not bool or type(item["builtin"]) is not bool:
            raise ValueError("form flag")
        if type(item["order"]) is not int:
            raise ValueError("form order")
        if not isinstance(choices, list) or not all(
            isinstance(c, list) and len(c) == 3 and all(isinstance(t, str) for t in c)
            for c in choices
        ):
            raise ValueError("form choices")


@dataclass(frozen=True, slots=True)
class Inspection:
    """A bundle's signed header, the pinned sender it verified against, and whether it is
    addressed to this vault. Nothing is decrypted."""

    info: BundleInfo
    sender_name: str
    for_this_vault: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    #: The incoming referral's id, or for a case transfer the new case's id.
    incoming_id: uuid.UUID
    bundle_id: uuid.UUID
    sender_name: str
    attachments: int
    kind: BundleKind = BundleKind.REFERRAL
    #: A case transfer: the new case, its original number and the duplicate check's hits.
    case: TransferReceived | None = None


class BundleImporter:
    """The import half of :class:`~infohus_desktop.services.referrals.bundles.BundleService`."""

    def __init__(self, ms: MemberSession, keys: BundleKeys) -> None:
        self.ms = ms
        self.keys = keys

    def inspect(self, data: bytes, *, importing: bool = False) -> Inspection:
        """The header of a bundle whose signature verified against a pinned sender."""
        self.ms.require(*USERS)
        return self._inspect(lambda: data, importing)

    def inspect_file(self, path: Path, *, importing: bool = False) -> Inspection:
        """:meth:`inspect` of a file, its size checked before a byte is read. ``importing``:
        this is the first step of an import (the app's import dialog), so a refusal — or a
        bundle not for this vault — is that attempt's one ``bundle.import.rejected`` entry
        rather than a ``bundle.inspect`` one."""
        self.ms.require(*USERS)
        return self._inspect(lambda: self._read_file(path), importing)

    def _inspect(self, read: Callable[[], bytes | memoryview], importing: bool) -> Inspection:
        state: dict[str, bundle.SealedBundle] = {}

        def check() -> tuple[Inspection, Recipient]:
            data = read()
            with self.ms.uow() as session:
                sealed, sender = self._authenticate(session, data)
                state["sealed"] = sealed
                own = self._own_row(session)
            for_us = own is not None and own.fingerprint == sealed.header.recipient_fingerprint
            return Inspection(sealed.header.info(), sender.name, for_us), sender

        if importing:
            seen, sender = self._attempt(check, BundleAction.IMPORT_REJECTED, "reason", state)
        else:
            seen, sender = self._attempt(check, BundleAction.INSPECT, "rejected", state)
        if importing and not seen.for_this_vault:
            self._record(
                BundleAction.IMPORT_REJECTED,
                state["sealed"],
                f"reason {RejectReason.RECIPIENT.value}",
            )
        else:
            self._record(BundleAction.INSPECT, state["sealed"], f"from {sender.id}")
        return seen

    def _read_file(self, path: Path) -> memoryview:
        """A bundle file, its size checked before a byte is read (the first cap), mapped
        rather than read: a transferred case of 256 MiB is not copied into memory, its
        chunks are read from the file as they are decrypted."""
        try:
            if path.stat().st_size > bundle.MAX_BUNDLE_BYTES:
                raise BundleRejected(RejectReason.TOO_LARGE)
            with path.open("rb") as handle:
                try:
                    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except ValueError:  # an empty file cannot be mapped
                    return memoryview(b"")
            return memoryview(mapped)
        except OSError:
            raise BundleUnreadable from None

    def import_file(self, path: Path, municipality: str | None = None) -> ImportResult:
        """:meth:`import_bundle` of a file (the CLI's and the app's path); a file too large
        or unreadable is a rejected import like any other. ``municipality``: the Infohus
        Kommune a transferred case is opened in (required for a case transfer)."""
        self.ms.require(*USERS)
        state: dict[str, bundle.SealedBundle] = {}
        return self._attempt(
            lambda: self._import(self._read_file(path), state, municipality),
            BundleAction.IMPORT_REJECTED,
            "reason",
            state,
        )

    def import_bundle(self, data: bytes, municipality: str | None = None) -> ImportResult:
        """Verify, decrypt and store an incoming referral or transferred case; see the module
        docstring."""
        self.ms.require(*USERS)
        state: dict[str, bundle.SealedBundle] = {}
        return self._attempt(
            lambda: self._import(data, state, municipality),
            BundleAction.IMPORT_REJECTED,
            "reason",
            state,
        )

    def _attempt(
        self,
        work: Callable[[], T],
        action: BundleAction,
        verb: str,
        state: dict[str, bundle.SealedBundle],
    ) -> T:
        """Run one attempt; whatever stops it writes exactly one audit entry ``action`` with
        the reason code (a check's own, else ``failed``), then the error goes on unchanged."""
        try:
            return work()
        except Exception as exc:
            reason = getattr(exc, "reason", None)  # BundleRejected, BundleUnreadable
            if not isinstance(reason, RejectReason):
                reason = RejectReason.FAILED
            self._record(action, state.get("sealed"), f"{verb} {reason.value}")
            raise

    def _own_row(self, session: Session) -> BundleIdentityRow | None:
        """This vault's identity row, or None; a row that does not verify is a refusal."""
        try:
            return self.keys.identity_row(session)
        except TamperedData:
            raise BundleRejected(RejectReason.IDENTITY) from None

    def _own_identity(self, session: Session) -> BundleIdentity:
        """This vault's private identity; missing, altered or out of reach is a refusal."""
        try:
            return self.keys.identity(session)
        except (NotFound, TamperedData, AccessDenied):
            raise BundleRejected(RejectReason.IDENTITY) from None

    def _authenticate(
        self, session: Session, data: bytes | memoryview
    ) -> tuple[bundle.SealedBundle, Recipient]:
        """Steps 1 and 2: the size caps and structure, then the signature of a pinned sender."""
        sealed = bundle.parse(data)
        header = sealed.header
        try:
            sender = self.keys.sender(session, header.sender.fingerprint)
        except TamperedData:
            sender = None  # a register row that does not verify is no trusted sender
        if sender is None or sender.peer_vault_id != header.sender.vault_id:
            raise BundleRejected(RejectReason.UNKNOWN_SENDER)
        bundle.verify_signature(sealed, sender.keys.sign)
        return sealed, sender

    def _import(
        self,
        data: bytes | memoryview,
        state: dict[str, bundle.SealedBundle],
        municipality: str | None,
    ) -> ImportResult:
        with self.ms.uow() as session:
            sealed, sender = self._authenticate(session, data)
            state["sealed"] = sealed
            header = sealed.header
            own = self._own_row(session)
            if own is None:
                raise BundleRejected(RejectReason.IDENTITY)
            bundle.check_recipient(sealed, own.fingerprint)
            if self._seen(session, header.bundle_id):
                raise BundleRejected(RejectReason.REPLAY)
            bundle.check_validity(sealed, datetime.now(UTC))
            if header.kind not in (BundleKind.REFERRAL, BundleKind.CASE_TRANSFER):
                raise BundleRejected(RejectReason.KIND)
            if header.kind == BundleKind.CASE_TRANSFER and not municipality:
                raise refuse_without_municipality()
            identity = self._own_identity(session)
        if header.kind == BundleKind.CASE_TRANSFER:
            return self._import_case(sealed, identity, sender, str(municipality))
        plain = bundle.decrypt(sealed, identity.kem)
        payload = parse_payload(plain, header.kind)
        values, form, sent_on = self._validate_referral(payload.data)
        attachments = self._attachments(payload)

        def store(session: Session) -> uuid.UUID:
            return ReferralService(self.ms).store_incoming(
                session,
                bundle_id=str(header.bundle_id),
                sender=sender.name,
                values=values,
                form=form,
                attachments=attachments,
                sent_on=sent_on,
            )

        try:
            incoming_id = self._commit(
                header,
                sender,
                store,
                lambda i: f"from {sender.id} incoming {i} attachments {len(attachments)}",
            )
        except InvalidInput:
            raise BundleRejected(RejectReason.PAYLOAD) from None
        return ImportResult(incoming_id, header.bundle_id, sender.name, len(attachments))

    def _commit(
        self,
        header: bundle.BundleHeader,
        sender: Recipient,
        store: Callable[[Session], T],
        detail: Callable[[T], str],
    ) -> T:
        """Step 7: what ``store`` writes, the bundle id in ``bundles_seen`` and the audit
        entry, in one transaction; a concurrent second import of the id is ``replay``."""
        try:
            with self.ms.transaction() as session:
                if self._seen(session, header.bundle_id):  # a concurrent import won
                    raise BundleRejected(RejectReason.REPLAY)
                stored = store(session)
                session.add(
                    SeenBundleRow(
                        bundle_id=header.bundle_id,
                        sender_id=sender.id,
                        kind=header.kind,
                        imported_at=datetime.now(UTC),
                        imported_by=self.ms.member.id,
                    )
                )
                session.flush()
                self.ms.record(
                    session, BundleAction.IMPORT, header.bundle_id, Purpose.CASEWORK, detail(stored)
                )
        except IntegrityError:
            raise BundleRejected(RejectReason.REPLAY) from None
        return stored

    def _import_case(
        self,
        sealed: bundle.SealedBundle,
        identity: BundleIdentity,
        sender: Recipient,
        municipality: str,
    ) -> ImportResult:
        """Steps 5-7 for a transferred case, streamed: a first pass authenticates every chunk,
        holding one at a time and keeping only the manifest, which is parsed after the last
        chunk; then the second pass stores the case, its attachments flowing from the file
        into the vault's chunks inside the one transaction, each hash checked as it passes
        (a mismatch rolls everything back)."""
        header = sealed.header
        file_key = bundle.open_file_key(sealed, identity.kem)
        data, entries = scan_payload(
            bundle.plaintext_chunks(sealed, file_key), header.kind, header.payload_length
        )
        try:
            data = transfer_payload.check(data)
        except ValueError as exc:
            raise BundleRejected(RejectReason.PAYLOAD) from exc
        transfers = CaseTransfers(self.ms)
        stream = PayloadStream(bundle.plaintext_chunks(sealed, file_key))
        read_manifest(stream, header.kind)  # the second pass starts at the first attachment
        received = self._commit(
            header,
            sender,
            lambda session: transfers.store_incoming(
                session,
                data,
                [(e, LimitedReader(stream, e.size)) for e in entries],
                municipality,
                header.bundle_id,
                sender.name,
            ),
            lambda r: f"from {sender.id} case {r.case_id} attachments {len(entries)}",
        )
        # The duplicate check after the case is in (an audited read of its own, which a
        # refused import must not leave behind): hits beside the new case, never merged.
        received = transfers.with_duplicates(received, data)
        return ImportResult(
            received.case_id,
            header.bundle_id,
            sender.name,
            len(entries),
            BundleKind.CASE_TRANSFER,
            received,
        )

    @staticmethod
    def _seen(session: Session, bundle_id: uuid.UUID) -> bool:
        return (
            session.get(SeenBundleRow, bundle_id) is not None
            or session.scalar(
                select(IncomingReferralRow.id).where(
                    IncomingReferralRow.bundle_id == str(bundle_id)
                )
            )
            is not None
        )

    @staticmethod
    def _validate_referral(data: dict[str, Any]) -> tuple[dict[str, Any], Any, date | None]:
        """Step 6, the referral half: exactly the fields of a referral, a well-formed form,
        and values that are valid answers to that form's fields."""
        try:
            if set(data) != _DATA_FIELDS or not isinstance(data["sent_on"], str):
                raise ValueError("fields")
            uuid.UUID(str(data["referral"]))
            sent_on = date.fromisoformat(data["sent_on"])
            _check_form(data["form"])
            form = form_from_json(data["form"])
            if not isinstance(data["values"], dict):
                raise ValueError("values")
            values = check_values(form, data["values"])
            if values.get("programme") not in set(Programme):
                raise ValueError("programme")
        except (ValueError, TypeError, InvalidInput, TamperedData) as exc:
            raise BundleRejected(RejectReason.PAYLOAD) from exc
        return values, form, sent_on

    @staticmethod
    def _attachments(payload: Payload) -> list[IncomingAttachmentData]:
        return [
            IncomingAttachmentData(entry.name, entry.media_type, body)  # type: ignore[arg-type]
            for entry, body in payload.attachments
        ]

    def _record(
        self, action: BundleAction, sealed: bundle.SealedBundle | None, detail: str
    ) -> None:
        """One audit entry in its own transaction (a rejection changes nothing else)."""
        object_id = sealed.header.bundle_id if sealed is not None else None
        with self.ms.transaction() as session:
            self.ms.record(session, action, object_id, Purpose.CASEWORK, detail)
