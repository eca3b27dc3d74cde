"""Exporting a referral as an encrypted bundle, and (through
:mod:`~infohus_desktop.services.referrals.bundle_import`) importing one (SECURITY.md, BUNDLE.md).

Export streams: the manifest first, then each chosen case attachment straight from the
attachment service into the :class:`~infohus_desktop.crypto.bundle_writer.BundleWriter`,
so a 20 MB attachment is never held whole more than once. The referral is read as any read
of it is (``referral.read``), then the export is audited (``bundle.export``, committed before
an attachment is decrypted or a byte written); a draft referral is marked as sent "by
bundle" only once its file is complete and renamed into place.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_payload import AttachmentEntry, manifest_prefix, payload_length
from infohus_desktop.crypto.bundle_writer import BundleWriter
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.bundles import BundleAction, BundleInfo, BundleKind
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import Referral, missing_required, required_error
from infohus_desktop.services.cases.attachments import AttachmentService
from infohus_desktop.services.core.access import find_case
from infohus_desktop.services.core.exports import write_export_stream
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.referrals.bundle_import import (
    BundleImporter,
    ImportResult,
    Inspection,
)
from infohus_desktop.services.referrals.bundle_keys import USERS, BundleKeys, Recipient
from infohus_desktop.services.referrals.rules import check_minor_consent
from infohus_desktop.services.referrals.service import ReferralService
from infohus_desktop.vault.case_schema import AttachmentRow
from infohus_desktop.vault.codecs.referrals import form_to_json

__all__ = ["BundleService", "ImportResult", "Inspection"]

_EXPORTABLE = (ReferralStatus.DRAFT, ReferralStatus.SENT)


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


class Exported(NamedTuple):
    """A bundle written to its file: what it holds, and whether a draft was marked sent."""

    info: BundleInfo
    marked_sent: bool


class BundleService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms
        self.keys = BundleKeys(ms)
        self.importer = BundleImporter(ms, self.keys)

    # -- keys and register (see bundle_keys.py) ----------------------------------------------------

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
    ) -> Exported:
        """The CLI's and the app's path: stream the bundle into a private temporary file beside
        ``target``, fsync, rename; only then is a draft marked sent by bundle (said in the
        answer: the CLI tells its user, as the window shows the new status). If the file
        cannot be written (a full disk) the temporary file is removed, the referral stays as
        it was, and :class:`InvalidInput` says the file could not be written."""
        info, referral = write_export_stream(
            target,
            lambda sink: self._write(referral_id, recipient_id, sink, attachment_ids, validity),
        )
        return Exported(info, self._mark_sent(referral))

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

    def _mark_sent(self, referral: Referral) -> bool:
        """A draft is sent now, by bundle (True); a referral sent before stays as it is."""
        if referral.status is not ReferralStatus.DRAFT:
            return False
        ReferralService(self.ms).change_status(
            referral.id,
            ReferralStatus.SENT,
            how=SendMethod.BUNDLE,
            base_version=referral.version,
        )
        return True

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
        with self.ms.uow() as session:
            recipient = self.keys.recipient(session, recipient_id)
            self.keys.identity(session)  # fail before the audit entry if there is no identity
        referral = ReferralService(self.ms).show(referral_id)  # audited referral.read
        if referral.status not in _EXPORTABLE:
            raise InvalidInput(
                "Kun en kladde eller en sendt henvisning kan eksporteres som pakke.",
                "Only a draft or a sent referral can be exported as a bundle.",
            )
        today = datetime.now(UTC).date()
        ids = _attachment_ids(referral, attachment_ids)
        case_id = referral.summary.case_id
        with self.ms.uow() as session:
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
        with self.ms.uow() as session:
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
            AttachmentService(self.ms).read(str(case_id), attachment_id, writer)  # type: ignore[arg-type]
        writer.close()
        return writer.header.info(), referral

    def _attachment_entries(
        self, case_id: uuid.UUID, ids: list[uuid.UUID]
    ) -> list[AttachmentEntry]:
        """Name, type, size and SHA-256 of each chosen attachment, from its sealed metadata
        (the bytes are read once, while the bundle is written)."""
        entries = []
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.ATTACH_READ)
            for attachment_id in ids:
                row = session.get(AttachmentRow, attachment_id)
                if row is None or row.case_id != case_id:
                    raise NotFound("Intet sådant bilag i sagen.", "No such attachment in the case.")
                meta = handle.open_part(row)
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

    # -- import (bundle_import.py) -----------------------------------------------------------------

    def inspect(self, data: bytes, *, importing: bool = False) -> Inspection:
        return self.importer.inspect(data, importing=importing)

    def inspect_file(self, path: Path, *, importing: bool = False) -> Inspection:
        return self.importer.inspect_file(path, importing=importing)

    def import_file(self, path: Path, municipality: str | None = None) -> ImportResult:
        return self.importer.import_file(path, municipality)

    def import_bundle(self, data: bytes, municipality: str | None = None) -> ImportResult:
        return self.importer.import_bundle(data, municipality)
