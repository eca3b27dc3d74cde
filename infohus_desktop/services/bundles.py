"""Exporting a referral as an encrypted bundle, and importing one (SECURITY.md, BUNDLE.md).

Export streams: the manifest first, then each chosen case attachment straight from the
attachment service into the :class:`~infohus_desktop.crypto.bundle_writer.BundleWriter`,
so a 20 MB attachment is never held whole more than once. The referral is read as any read
of it is (``referral.read``), then the export is audited (``bundle.export``, committed before
an attachment is decrypted or a byte written); a draft referral is marked as sent "by
bundle" only once its file is complete and renamed into place.

Import runs every check of SECURITY.md in its order — size caps, the signature against a
pinned sender key, the recipient, replay (an unseen id, inside its validity), full
decryption before anything is released, strict schema validation — and then stores the
referral, its attachments, the replay marker and the audit entry in ONE transaction. Any
refusal raises :class:`~infohus_desktop.domain.bundles.BundleRejected` and changes nothing
but one audit entry ``bundle.import.rejected`` carrying the reason code; so does every other
failure of an attempt (an unreadable file, this vault's identity missing or altered: their own
codes; anything else: ``failed``, and the original error goes on).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_keys import BundleIdentity
from infohus_desktop.crypto.bundle_payload import (
    AttachmentEntry,
    Payload,
    manifest_prefix,
    parse_payload,
    payload_length,
)
from infohus_desktop.crypto.bundle_writer import BundleWriter
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.bundles import (
    BundleAction,
    BundleInfo,
    BundleKind,
    BundleRejected,
    RejectReason,
)
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound, TamperedData
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import (
    Referral,
    check_values,
    missing_required,
    required_error,
)
from infohus_desktop.services.bundle_keys import USERS, BundleKeys, Recipient
from infohus_desktop.services.case_access import find_case
from infohus_desktop.services.exports import write_export_stream
from infohus_desktop.services.referral_incoming import IncomingAttachmentData
from infohus_desktop.services.referral_rules import check_minor_consent
from infohus_desktop.services.session import MemberSession
from infohus_desktop.vault.case_schema import AttachmentRow
from infohus_desktop.vault.referral_schema import (
    BundleIdentityRow,
    IncomingReferralRow,
    SeenBundleRow,
)
from infohus_desktop.vault.repositories.referral_codec import form_from_json, form_to_json

_EXPORTABLE = (ReferralStatus.DRAFT, ReferralStatus.SENT)
_DATA_FIELDS = frozenset({"form", "referral", "sent_on", "values"})
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Inspection:
    """A bundle's signed header, the pinned sender it verified against, and whether it is
    addressed to this vault. Nothing is decrypted."""

    info: BundleInfo
    sender_name: str
    for_this_vault: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    incoming_id: uuid.UUID
    bundle_id: uuid.UUID
    sender_name: str
    attachments: int


def _attachment_ids(
    referral: Referral, chosen: Iterable[uuid.UUID | str] | None
) -> list[uuid.UUID]:
    raw = referral.values.get("attachments") if chosen is None else list(chosen)
    items = [raw] if isinstance(raw, str) else list(raw or [])
    try:
        ids = [uuid.UUID(str(a)) for a in items]
    except ValueError:
        raise NotFound("Intet sådant bilag i sagen.", "No such attachment in the case.") from None
    if len(set(ids)) != len(ids):
        raise InvalidInput("Et bilag er valgt to gange.", "An attachment is chosen twice.")
    return ids


class BundleService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms
        self.keys = BundleKeys(ms)

    # -- keys and register (see services/bundle_keys.py) ------------------------------------

    def export_public_key(self) -> tuple[bytes, str]:
        return self.keys.export_public()

    def add_recipient(self, name: str, card: bytes, confirmed_fingerprint: str) -> Recipient:
        return self.keys.add_recipient(name, card, confirmed_fingerprint)

    def recipients(self) -> list[Recipient]:
        return self.keys.recipients()

    # -- export ------------------------------------------------------------------------------

    def export_referral(
        self,
        referral_id: uuid.UUID | str,
        recipient_id: uuid.UUID | str,
        attachment_ids: Iterable[uuid.UUID | str] | None = None,
    ) -> bytes:
        """The bundle as bytes (tests, the demo); ``None`` attachments: the referral's own. A
        draft is marked sent once the bytes are complete. To save a file, use
        :meth:`export_referral_to_file`, which marks it only once the file is in place."""
        out = io.BytesIO()
        _info, referral = self._write(referral_id, recipient_id, out, attachment_ids)
        self._mark_sent(referral)
        return out.getvalue()

    def export_referral_to_file(
        self,
        referral_id: uuid.UUID | str,
        recipient_id: uuid.UUID | str,
        target: Path,
        attachment_ids: Iterable[uuid.UUID | str] | None = None,
        validity: timedelta = bundle.DEFAULT_VALIDITY,
    ) -> BundleInfo:
        """The CLI's and the app's path: stream the bundle into a private temporary file beside
        ``target``, fsync, rename; only then is a draft marked sent by bundle. If the file
        cannot be written (a full disk) the temporary file is removed, the referral stays as
        it was, and :class:`InvalidInput` says the file could not be written."""
        info, referral = write_export_stream(
            target,
            lambda sink: self._write(referral_id, recipient_id, sink, attachment_ids, validity),
        )
        self._mark_sent(referral)
        return info

    def write_referral(
        self,
        referral_id: uuid.UUID | str,
        recipient_id: uuid.UUID | str,
        out: BinaryIO,
        attachment_ids: Iterable[uuid.UUID | str] | None = None,
        validity: timedelta = bundle.DEFAULT_VALIDITY,
    ) -> BundleInfo:
        """Write the bundle to ``out`` and change nothing else: the referral's status is the
        business of whoever knows that ``out`` was kept (:meth:`export_referral_to_file`)."""
        return self._write(referral_id, recipient_id, out, attachment_ids, validity)[0]

    def _mark_sent(self, referral: Referral) -> None:
        if referral.status is ReferralStatus.DRAFT:
            self.ms.referrals.change_status(
                referral.id,
                ReferralStatus.SENT,
                how=SendMethod.BUNDLE,
                base_version=referral.version,
            )

    def _write(
        self,
        referral_id: uuid.UUID | str,
        recipient_id: uuid.UUID | str,
        out: BinaryIO,
        attachment_ids: Iterable[uuid.UUID | str] | None = None,
        validity: timedelta = bundle.DEFAULT_VALIDITY,
    ) -> tuple[BundleInfo, Referral]:
        """Write the bundle to ``out``; the referral as read, for the caller to mark. If this
        raises, the caller must discard what reached ``out``."""
        self.ms.require(*USERS)
        with self.ms.vault.uow() as session:
            recipient = self.keys.recipient(session, recipient_id)
            self.keys.identity(session)  # fail before the audit entry if there is no identity
        referral = self.ms.referrals.show(referral_id)  # audited referral.read
        if referral.status not in _EXPORTABLE:
            raise InvalidInput(
                "Kun en kladde eller en sendt henvisning kan eksporteres som pakke.",
                "Only a draft or a sent referral can be exported as a bundle.",
            )
        today = datetime.now(UTC).date()
        ids = _attachment_ids(referral, attachment_ids)
        case_id = referral.summary.case_id
        with self.ms.vault.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.STATUS)
            missing = missing_required(referral.form, referral.values)
            if missing:
                raise required_error(missing)
            check_minor_consent(referral.values, handle, today)
        self.ms.audited_read(
            BundleAction.EXPORT,
            case_id,
            Purpose.CASEWORK,
            f"referral {referral.id} to {recipient.id} attachments {len(ids)}",
        )
        entries = self._attachment_entries(case_id, ids)
        data = self._referral_data(referral, entries, today)
        prefix = manifest_prefix(BundleKind.REFERRAL, data, entries)
        with self.ms.vault.uow() as session:
            identity = self.keys.identity(session)
        writer = BundleWriter(
            out,
            identity,
            recipient.keys,
            BundleKind.REFERRAL,
            payload_length(prefix, entries),
            validity=validity,
        )
        writer.write(prefix)
        for attachment_id in ids:
            self.ms.attachments.read(str(case_id), attachment_id, writer)  # type: ignore[arg-type]
        writer.close()
        return writer.header.info(), referral

    def _attachment_entries(
        self, case_id: uuid.UUID, ids: list[uuid.UUID]
    ) -> list[AttachmentEntry]:
        """Name, type, size and SHA-256 of each chosen attachment, from its sealed metadata
        (the bytes are read once, while the bundle is written)."""
        entries = []
        with self.ms.vault.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.ATTACH_READ)
            for attachment_id in ids:
                row = session.get(AttachmentRow, attachment_id)
                if row is None or row.case_id != case_id:
                    raise NotFound("Intet sådant bilag i sagen.", "No such attachment in the case.")
                meta = handle.open("case_attachments", "payload", row.id, row.payload)
                entries.append(
                    AttachmentEntry(
                        str(meta["filename"]),
                        str(meta["media_type"]),
                        str(meta["sha256"]),
                        row.size,
                    )
                )
        return entries

    @staticmethod
    def _referral_data(
        referral: Referral, entries: list[AttachmentEntry], today: date
    ) -> dict[str, Any]:
        """The referral as the recipient reads it: the sender's form (labels travel with the
        values), the values of its fields, and the attachments by file name, not case id."""
        values: dict[str, Any] = {
            f.key: referral.values[f.key] for f in referral.form.fields if f.key in referral.values
        }
        if referral.form.get("attachments") is not None:
            values["attachments"] = [e.name for e in entries]
        return {
            "form": form_to_json(referral.form),
            "referral": str(referral.id),
            "sent_on": (referral.summary.sent_on or today).isoformat(),
            "values": values,
        }

    # -- import ------------------------------------------------------------------------------

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

    def _inspect(self, read: Callable[[], bytes], importing: bool) -> Inspection:
        state: dict[str, bundle.SealedBundle] = {}

        def check() -> tuple[Inspection, Recipient]:
            data = read()
            with self.ms.vault.uow() as session:
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

    def _read_file(self, path: Path) -> bytes:
        """A bundle file, its size checked before a byte is read (the first cap)."""
        try:
            if path.stat().st_size > bundle.MAX_BUNDLE_BYTES:
                raise BundleRejected(RejectReason.TOO_LARGE)
            return path.read_bytes()
        except OSError:
            raise BundleRejected(RejectReason.UNREADABLE) from None

    def import_file(self, path: Path) -> ImportResult:
        """:meth:`import_bundle` of a file (the CLI's and the app's path); a file too large
        or unreadable is a rejected import like any other."""
        self.ms.require(*USERS)
        state: dict[str, bundle.SealedBundle] = {}
        return self._attempt(
            lambda: self._import(self._read_file(path), state),
            BundleAction.IMPORT_REJECTED,
            "reason",
            state,
        )

    def import_bundle(self, data: bytes) -> ImportResult:
        """Verify, decrypt and store an incoming referral; see the module docstring."""
        self.ms.require(*USERS)
        state: dict[str, bundle.SealedBundle] = {}
        return self._attempt(
            lambda: self._import(data, state), BundleAction.IMPORT_REJECTED, "reason", state
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
            reason = exc.reason if isinstance(exc, BundleRejected) else RejectReason.FAILED
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

    def _authenticate(self, session: Session, data: bytes) -> tuple[bundle.SealedBundle, Recipient]:
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

    def _import(self, data: bytes, state: dict[str, bundle.SealedBundle]) -> ImportResult:
        with self.ms.vault.uow() as session:
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
            if header.kind != BundleKind.REFERRAL:
                raise BundleRejected(RejectReason.KIND)
            identity = self._own_identity(session)
        plain = bundle.decrypt(sealed, identity.kem)
        payload = parse_payload(plain, header.kind)
        values, form, sent_on = self._validate_referral(payload.data)
        attachments = self._attachments(payload)
        try:
            with self.ms.transaction() as session:
                if self._seen(session, header.bundle_id):  # a concurrent import won
                    raise BundleRejected(RejectReason.REPLAY)
                incoming_id = self.ms.referrals.store_incoming(
                    session,
                    bundle_id=str(header.bundle_id),
                    sender=sender.name,
                    values=values,
                    form=form,
                    attachments=attachments,
                    sent_on=sent_on,
                )
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
                    session,
                    BundleAction.IMPORT,
                    header.bundle_id,
                    Purpose.CASEWORK,
                    f"from {sender.id} incoming {incoming_id} attachments {len(attachments)}",
                )
        except IntegrityError:
            raise BundleRejected(RejectReason.REPLAY) from None
        except InvalidInput:
            raise BundleRejected(RejectReason.PAYLOAD) from None
        return ImportResult(incoming_id, header.bundle_id, sender.name, len(attachments))

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
            form = form_from_json(data["form"])
            if not isinstance(data["values"], dict):
                raise ValueError("values")
            values = check_values(form, data["values"])
            if not values.get("programme"):
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
