"""Assembling referrals from their rows: the whole referral under its case key, and the list
rows (clear columns plus the case number and the person's name from the case summaries the
member's session already holds)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from infohus_desktop.domain.cases import AttachmentInfo, CaseSummary
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import (
    Programme,
    Referral,
    ReferralAction,
    ReferralForm,
    ReferralSummary,
    StatusEvent,
)
from infohus_desktop.services.cases.reader import Logins, utc
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import CaseHandle, readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import AttachmentRow, CaseRow
from infohus_desktop.vault.codecs.referrals import payload_from_json
from infohus_desktop.vault.referral_schema import ReferralRow, ReferralStatusRow


def summary_of(row: ReferralRow, number: str, person_name: str) -> ReferralSummary:
    return ReferralSummary(
        id=row.id,
        case_id=row.case_id,
        case_number=number,
        status=ReferralStatus(row.status),
        programme=Programme(row.programme),
        referral_date=row.referral_date,
        sent_on=row.sent_on,
        updated_at=utc(row.updated_at),
        version=row.version,
        person_name=person_name,
    )


def _attachments(
    session: Session, handle: CaseHandle, chosen: object, login: Logins
) -> tuple[AttachmentInfo, ...]:
    if not isinstance(chosen, list) or not chosen:
        return ()
    wanted = []
    for text in chosen:
        try:
            wanted.append(uuid.UUID(text))
        except ValueError:
            continue
    rows = {
        r.id: r
        for r in session.scalars(
            select(AttachmentRow).where(
                AttachmentRow.case_id == handle.row.id, AttachmentRow.id.in_(wanted)
            )
        )
    }
    out = []
    for attachment_id in wanted:
        r = rows.get(attachment_id)
        if r is None:
            continue  # removed from the case since; the referral keeps its id
        meta = handle.open_part(r)
        out.append(
            AttachmentInfo(
                r.id,
                str(meta.get("filename", "")),
                str(meta.get("media_type", "")),
                r.size,
                utc(r.at),
                login(r.by_member),
            )
        )
    return tuple(out)


def read_referral(
    ms: MemberSession,
    session: Session,
    row: ReferralRow,
    handle: CaseHandle,
    form: ReferralForm,
) -> Referral:

    login = Logins(session)
    checked(ms, session, row)
    values = payload_from_json(handle.open("referrals", "payload", row.id, row.payload))
    history = []
    for event in session.scalars(
        select(ReferralStatusRow)
        .where(ReferralStatusRow.referral_id == row.id)
        .order_by(ReferralStatusRow.at)
    ):
        checked(ms, session, event, row)
        reason = handle.open("referral_status_changes", "payload", event.id, event.payload)
        history.append(
            StatusEvent(
                at=utc(event.at),
                by_login=login(event.by_member),
                old=ReferralStatus(event.old_status) if event.old_status else None,
                new=ReferralStatus(event.new_status),
                on=event.on,
                reason=str(reason.get("reason", "")),
                how=SendMethod(event.how) if event.how else None,
            )
        )
    cases = CaseService(ms)
    case = cases.summary(session, handle, cases.municipalities(session))
    return Referral(
        summary=summary_of(row, case.number, case.person_name),
        values=values,
        history=tuple(history),
        form=form,
        created_by_login=login(row.created_by),
        attachments=_attachments(session, handle, values.get("attachments"), login),
    )


def _case_summaries(
    ms: MemberSession, session: Session, case_ids: set[uuid.UUID]
) -> dict[uuid.UUID, CaseSummary]:
    """Summaries of just these cases: from the session's cache while their version is
    unchanged, else decrypted now (not the whole case list: a vault of 100,000 cases with a
    few referrals must not decrypt every person to list them)."""

    service = CaseService(ms)
    out: dict[uuid.UUID, CaseSummary] = {}
    rows = session.scalars(
        select(CaseRow)
        .options(defer(CaseRow.intake), defer(CaseRow.details))
        .where(CaseRow.id.in_(case_ids))
    ).all()
    municipalities: dict[uuid.UUID, str] | None = None
    for row in rows:
        cached = ms.case_cache.get(row.id.int)
        if cached is not None and cached.version == row.version:
            out[row.id] = cached
            continue
        if municipalities is None:
            municipalities = service.municipalities(session)
        key = ms.keyring.field_key_by_id(session, row.data_key_id)
        out[row.id] = service.summary(session, CaseHandle(row, key), municipalities)
    return out


def list_referrals(
    ms: MemberSession,
    session: Session,
    statuses: frozenset[ReferralStatus],
    programmes: frozenset[Programme],
    case_id: uuid.UUID | None,
) -> list[ReferralSummary]:
    """Referrals of readable cases, newest referral date first."""
    groups = readable_group_ids(ms, session)
    query = (
        select(ReferralRow)
        .join(CaseRow, CaseRow.id == ReferralRow.case_id)
        .where(CaseRow.group_id.in_(groups))
    )
    if case_id is not None:
        query = query.where(ReferralRow.case_id == case_id)
    rows = list(session.scalars(query))
    if not rows:
        return []
    cases = _case_summaries(ms, session, {row.case_id for row in rows})
    # A tampered row is noted here and audited by the caller once this unit of work is closed.
    out = [_summary_or_tampered(ms, session, row, cases.get(row.case_id)) for row in rows]
    # Status and programme are sealed (issue 20): chosen once the rows are opened.
    wanted = [
        r
        for r in out
        if r.tampered
        or (
            (not statuses or r.status in statuses) and (not programmes or r.programme in programmes)
        )
    ]
    return sorted(wanted, key=lambda r: (r.referral_date, r.updated_at), reverse=True)


def checked(
    ms: MemberSession, session: Session, row: object, referral: ReferralRow | None = None
) -> None:
    """The row's clear values as sealed, or ``RowTampered`` (noted for the audit log)."""
    try:
        ms.check_bound(session, row)
    except TamperedData:
        owner = referral if referral is not None else row
        assert isinstance(owner, ReferralRow)
        ms.note_tampered(owner.id, owner.id.hex[:8], ReferralAction.TAMPERED)
        raise


def _summary_or_tampered(
    ms: MemberSession, session: Session, row: ReferralRow, case: CaseSummary | None
) -> ReferralSummary:
    """One bad referral must not take the list down: it is listed as tampered."""
    number = case.number if case is not None and not case.tampered else ""
    try:
        checked(ms, session, row)
        return summary_of(row, number, case.person_name if case is not None else "")
    except TamperedData:
        pass
    return ReferralSummary(
        id=row.id,
        case_id=row.case_id,
        case_number=number,
        status=ReferralStatus.DRAFT,
        programme=Programme.PET_EXIT,
        referral_date=date.min,
        sent_on=None,
        updated_at=datetime.min.replace(tzinfo=UTC),
        version=row.version,
        tampered=True,
    )
