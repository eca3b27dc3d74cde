"""Handing a case over to another Infohus (*overdragelse*), and taking one in.

**Out** (a coordinator): the whole case goes into a ``case-transfer`` bundle (docs/BUNDLE.md
§8) encrypted to a pinned recipient, its attachments streamed from the vault's chunks into
the file. The reading of the case is audited as any read; the export is audited before an
attachment is decrypted; the file is written privately and atomically. Only once the file is
in place does the case record the disclosure (retsplejelovens § 115, to the recipient) and
move to *overdraget*, in one transaction with the handover's audit entry: from then on it
is read-only here and due for deletion after the rules' ``transferred`` months. A full disk
leaves the case as it was, and removes the file.

**In** (through the bundle import, every check of BUNDLE.md §6 first): a new case in the
Infohus Kommune the importing member chooses, under a new number, with the person, intake,
title and category as sent; the sender's history in words in its journal ("Overdraget fra …"),
the data as it arrived kept as a JSON attachment, and the sent attachments as its own — all in
the import's one transaction. The duplicate check runs first; a hit is reported with the new
case's number, never merged.
"""

from __future__ import annotations

import contextlib
import io
import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.bundle_payload import (
    AttachmentEntry,
    LimitedReader,
    manifest_prefix,
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
from infohus_desktop.domain.cases import (
    CaseSummary,
    Intake,
    JournalKind,
    LegalBasis,
    RetentionClass,
)
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import (
    STATUS_LABELS,
    CaseStatus,
    check_transition,
    handover_hint,
    has_visible_text,
)
from infohus_desktop.services.cases import transfer_payload
from infohus_desktop.services.cases.attachments import AttachmentService
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.cases.records import CaseRecords
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core import clock
from infohus_desktop.services.core.access import find_case
from infohus_desktop.services.core.exports import write_export_stream
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings.case_decisions import case_decisions
from infohus_desktop.services.referrals.bundle_keys import BundleKeys
from infohus_desktop.services.retention.approval import (
    Approval,
    HandoverNeedsApproval,
    prove_approver,
)
from infohus_desktop.vault.case_schema import AttachmentRow
from infohus_desktop.vault.codecs.cases import intake_from_json, person_from_json

TRANSFER_ACTION = "case.transfer"


def _check_handover(number: str, status: CaseStatus) -> None:
    """Refuse a handover the workflow does not allow, saying what to do first."""
    hint = handover_hint(status)
    if hint is not None:
        da, en = STATUS_LABELS[status]
        raise InvalidInput(
            f"Sag {number} kan ikke overdrages med status »{da}«. {hint[0]}",
            f"Case {number} cannot be handed over with the status '{en}'. {hint[1]}",
        )


@dataclass(frozen=True, slots=True)
class Handover:
    """What a handover records here, by bundle or made outside the program."""

    number: str
    case_id: uuid.UUID
    on: date
    sender: str
    recipient: str
    what: str  # the disclosure's words
    status_reason: str
    detail: str  # the case.transfer entry's


@dataclass(frozen=True, slots=True)
class TransferSent:
    number: str
    recipient: str
    info: BundleInfo
    attachments: int


@dataclass(frozen=True, slots=True)
class TransferReceived:
    """The case made from a transfer, and what the duplicate check found beside it."""

    case_id: uuid.UUID
    number: str
    original_number: str
    sender: str
    attachments: int
    #: Case numbers this member can read that may be the same person (never merged).
    possible_duplicates: tuple[str, ...] = ()
    possibly_elsewhere: bool = False


class CaseTransfers:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- out ------------------------------------------------------------------------------------

    def export(
        self,
        case_ref: str,
        recipient_ref: uuid.UUID | str,
        target: Path,
        reason: str = "",
        validity: timedelta = bundle.DEFAULT_VALIDITY,
        approval: Approval | None = None,
    ) -> TransferSent:
        """See the module docstring. Refused before anything is read when the case cannot
        go to *overdraget* (closed, already handed over) or the recipient is not pinned.

        It needs the second person (``approval``, :class:`HandoverNeedsApproval` without):
        the whole case is disclosed, and here it is due after the handed-over cases'
        period. A coordinator who pinned a key card of their own making as "another
        Infohus" made any case due in months, alone (second user trial)."""
        self.ms.require(Role.COORDINATOR)
        reason = " ".join(reason.split())
        keys = BundleKeys(self.ms)
        with self.ms.uow() as session:
            recipient = keys.recipient(session, recipient_ref)
            keys.identity(session)  # no identity: refused before the audit entry
            handle = find_case(self.ms, session, case_ref, CaseOp.STATUS)
            status_reason = f"Overdraget til {recipient.name}" + (f": {reason}" if reason else "")
            _check_handover(handle.row.number, CaseStatus(handle.row.status))
            check_transition(
                CaseStatus(handle.row.status), CaseStatus.TRANSFERRED, status_reason, None
            )
            number, case_id = handle.row.number, handle.row.id
            sender = _infohus_name(session)
        if approval is None:
            raise HandoverNeedsApproval()
        _id, approver = prove_approver(self.ms, approval, "en overdragelse", "a handover")
        case = CaseService(self.ms).show(number)  # audited case.read
        assessments = CaseRecords(self.ms).assessments(number)
        decisions = self._decisions(case_id)
        entries = self._attachment_entries(case_id)
        self.ms.audited_read(
            BundleAction.EXPORT,
            case_id,
            Purpose.CASEWORK,
            f"case-transfer to {recipient.id} attachments {len(entries)}",
        )
        today = datetime.now(UTC).date()
        data = transfer_payload.build(case, assessments, decisions, sender, today, reason)
        try:
            # What the receiving Infohus will check, checked here first: a case it refuses
            # must not be marked handed over, and so read-only, in this one.
            transfer_payload.check(data)
            prefix = manifest_prefix(BundleKind.CASE_TRANSFER, data, [e for e, _id in entries])
        except ValueError:
            raise _too_large() from None

        def fill(sink: BinaryIO) -> BundleInfo:
            with self.ms.uow() as session:
                identity = keys.identity(session)
            writer = BundleWriter(
                sink,
                identity,
                recipient.keys,
                BundleKind.CASE_TRANSFER,
                payload_length(prefix, [e for e, _id in entries]),
                validity=validity,
            )
            writer.write(prefix)
            for _entry, attachment_id in entries:
                AttachmentService(self.ms).read(number, attachment_id, writer)  # type: ignore[arg-type]
            writer.close()
            return writer.header.info()

        info = write_export_stream(target, fill)
        # The file is in place: the handover is a fact, recorded in one transaction: the
        # disclosure (the case is still open for it), the status that makes the case
        # read-only, and the handover's own entry. Should it fail (a full disk, a lost
        # connection), the file goes again: "nothing was saved" must be true, and a second
        # attempt must not leave two importable copies of the case. (Three transactions
        # could leave a disclosure of a file that was removed, or a case handed over and
        # reported as not.)
        try:
            with self.ms.transaction() as session:
                self._record(
                    session,
                    Handover(
                        number,
                        case_id,
                        today,
                        sender,
                        recipient.name,
                        "Hele sagen overdraget til et andet Infohus"
                        + (f" ({len(entries)} bilag)" if entries else ""),
                        status_reason,
                        f"to {recipient.id} approved_by={approver}",
                    ),
                )
        except BaseException:
            with contextlib.suppress(OSError):
                target.expanduser().unlink()
            raise
        return TransferSent(number, recipient.name, info, len(entries))

    def record_outside(
        self,
        case_ref: str,
        recipient: str,
        reason: str = "",
        approval: Approval | None = None,
    ) -> CaseSummary:
        """Record a handover made outside the program (by secure mail, on paper, to an
        Infohus that does not use it): the disclosure, the status *overdraget* and the
        handover's entry, in one transaction, as :meth:`export` records its own, without a
        bundle. *Overdraget* is never chosen as an ordinary status (it makes the case
        read-only and due after the handed-over cases' period), so this is the way to say a
        case went elsewhere. ``recipient`` is the receiving Infohus in words.

        It needs the second person (``approval``, :class:`HandoverNeedsApproval` without),
        as a bundle's handover does, and more so: nothing in the program shows that the case
        went anywhere, and the handed-over cases' period, shorter than most, would otherwise
        let one coordinator make any case due in months (review)."""
        self.ms.require(Role.COORDINATOR)
        recipient, reason = " ".join(recipient.split()), " ".join(reason.split())
        if not has_visible_text(recipient):
            raise InvalidInput(
                "Skriv hvilket Infohus sagen er overdraget til.",
                "Say which Infohus the case was handed over to.",
            )
        with self.ms.uow() as session:  # what the case allows, before asking for anyone
            handle = find_case(self.ms, session, case_ref, CaseOp.STATUS)
            _check_handover(handle.row.number, CaseStatus(handle.row.status))
        if approval is None:
            raise HandoverNeedsApproval(outside=True)
        _id, approver = prove_approver(
            self.ms,
            approval,
            "en overdragelse uden om programmet",
            "a handover made outside the program",
        )
        status_reason = f"Overdraget til {recipient} uden om programmet" + (
            f": {reason}" if reason else ""
        )
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.STATUS)
            _check_handover(handle.row.number, CaseStatus(handle.row.status))
            number, case_id = handle.row.number, handle.row.id
            return self._record(
                session,
                Handover(
                    number,
                    case_id,
                    clock.now().date(),  # the day a demo case's story tells, else today
                    _infohus_name(session),
                    recipient,
                    "Hele sagen overdraget til et andet Infohus uden om programmet",
                    status_reason,
                    f"outside approved_by={approver}",
                ),
            )

    def _record(self, session: Session, handover: Handover) -> CaseSummary:
        """The handover as one fact, in the caller's transaction: the disclosure (the case
        is still open for it), the status that makes the case read-only, and the handover's
        own entry."""
        h = handover
        CaseRecords(self.ms).apply_disclosure(
            session, h.number, h.on, h.sender, h.recipient, h.what, LegalBasis.RPL_115_1_1
        )
        cases = CaseService(self.ms)
        handle = find_case(self.ms, session, h.number, CaseOp.STATUS)
        cases.apply_status(session, handle, CaseStatus.TRANSFERRED, h.status_reason)
        self.ms.record(session, TRANSFER_ACTION, h.case_id, Purpose.CASEWORK, h.detail)
        return cases.saved_summary(session, handle)  # the session's list shows it handed over

    def _attachment_entries(self, case_id: uuid.UUID) -> list[tuple[AttachmentEntry, uuid.UUID]]:
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.ATTACH_READ)
            rows = session.scalars(
                select(AttachmentRow)
                .where(AttachmentRow.case_id == case_id)
                .order_by(AttachmentRow.at, AttachmentRow.id)
            ).all()
            out = []
            for row in rows:
                meta = handle.open_part(row)
                entry = AttachmentEntry(
                    str(meta["filename"]), str(meta["media_type"]), str(meta["sha256"]), row.size
                )
                out.append((entry, row.id))
            return out

    def _decisions(self, case_id: uuid.UUID) -> list[dict[str, Any]]:
        """What meetings decided about the case: date, kind, text and owning authority, from
        every meeting this coordinator may read (the minutes themselves stay here). Only the
        case's own items are read, audited against it as part of the handover."""
        return [
            {
                "meeting": found.meeting_day.isoformat(),
                "kind": found.decision.kind.value,
                "text": found.decision.text,
                "authority": found.decision.authority,
            }
            for found in case_decisions(self.ms, case_id, Purpose.CASEWORK, TRANSFER_ACTION)
        ]

    # -- in -------------------------------------------------------------------------------------

    def with_duplicates(self, received: TransferReceived, data: dict[str, Any]) -> TransferReceived:
        """The intake's duplicate check for the arrived person (audited), beside the new case:
        the numbers of other cases this member can read, and whether one may exist beyond."""
        person = person_from_json(data["person"])
        found = CaseService(self.ms).check_duplicates(person.name, person.cpr, received.case_id)
        return replace(
            received,
            possible_duplicates=tuple(n for n in found.known_in if n != received.number),
            possibly_elsewhere=found.possibly_elsewhere,
        )

    def store_incoming(
        self,
        session: Session,
        data: dict[str, Any],
        attachments: list[tuple[AttachmentEntry, LimitedReader]],
        municipality: str,
        bundle_id: uuid.UUID,
        sender: str,
    ) -> TransferReceived:
        """The new case from checked ``data``, in the caller's transaction (the import's)."""
        person = person_from_json(data["person"])
        sent_intake = intake_from_json(data["intake"])
        intake = Intake(
            sent_intake.source,
            sent_intake.received,
            sent_intake.reporter_organisation,
            sent_intake.reporter_contact,
            sent_intake.anonymous,
            sent_intake.observed,
            sent_intake.answers,
        )
        service = CaseService(self.ms)
        categories = service.categories(session)
        sent = data["case"]
        category = sent["category"] if sent["category"] in categories else next(iter(categories))
        try:
            retention = RetentionClass(sent["retention"])
        except ValueError:
            retention = RetentionClass.STANDARD
        new = NewCase(
            person=person,
            intake=intake,
            title=sent["title"] or f"Overdraget sag {sent['number']}",
            category=category,
            municipality=municipality,
            retention=retention,
        )
        handle = service.open_in(session, new)
        text = transfer_payload.in_words(data, sender)
        if category != sent["category"]:
            text += f"\n\nKategori hos afsender: {sent['category']}"
        CaseRecords(self.ms).write_journal(session, handle, JournalKind.NOTE, text)
        files = AttachmentService(self.ms)
        original = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()
        files.write(
            session,
            handle,
            f"overdragelse-{sent['number']}.json",
            io.BytesIO(original),
            "application/json",
        )
        for entry, reader in attachments:  # in manifest order: they follow one another
            files.write(session, handle, entry.name, reader, entry.media_type)  # type: ignore[arg-type]
            if reader.digest.hexdigest() != entry.sha256:  # the file changed since the check
                raise BundleRejected(RejectReason.PAYLOAD)
        self.ms.record(
            session,
            "case.import",
            handle.row.id,
            Purpose.CASEWORK,
            f"bundle {bundle_id} original={sent['number']} attachments={len(attachments)}",
        )
        return TransferReceived(
            handle.row.id,
            handle.row.number,
            sent["number"],
            sender,
            len(attachments),
        )


def _too_large() -> InvalidInput:
    return InvalidInput(
        "Sagen kan ikke overdrages: en tekst i den er længere, eller den har flere dele, end "
        "det modtagende Infohus tager imod (højst 100.000 tegn i en tekst). Intet er sendt.",
        "The case cannot be handed over: a text in it is longer, or it has more parts, than "
        "the receiving Infohus accepts (at most 100,000 characters a text). Nothing was sent.",
    )


def _infohus_name(session: Session) -> str:
    from infohus_desktop.services.meetings.reader import infohus_name

    return infohus_name(session)


def refuse_without_municipality() -> InvalidInput:
    return InvalidInput(
        "En overdraget sag skal oprettes i et Infohus Kommune: vælg hvilket (--municipality).",
        "A transferred case must be opened in an Infohus Kommune: choose which (--municipality).",
    )


__all__ = ["CaseTransfers", "TransferReceived", "TransferSent", "refuse_without_municipality"]
