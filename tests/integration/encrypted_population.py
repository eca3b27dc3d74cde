"""A district with rows in every encrypted column, and the exact context each value was
sealed with: the `populated` fixture and `stored_values` of test_encrypted_columns.py.

Every feature that adds an `EncryptedBlob` column adds its rows here (``populate``) and, if its
context is not ``(table, column, row.id, row.case_id or None)``, a line to ``_CONTEXTS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import RowMapping, Table, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.audit import CheckOutcome
from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.meetings import (
    DecisionKind,
    GuestInput,
    ItemKind,
    MeetingKind,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import DEFAULT_FORM
from infohus_desktop.domain.trends import AreaKind, Development, SourceKind, TrendContent
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.referrals.incoming import IncomingAttachmentData
from infohus_desktop.vault.case_schema import AttachmentRow
from infohus_desktop.vault.meeting_schema import MeetingItemRow
from infohus_desktop.vault.referral_schema import IncomingAttachmentRow, ReferralRow
from infohus_desktop.vault.row_binding import BINDINGS
from tests.integration.bundle_fixtures import sender_vault
from tests.integration.case_fixtures import fill_case, new_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ready_draft

#: Columns that can only ever hold one row per vault, so one database cannot give them two.
ONE_PER_VAULT = {("bundle_identities", "secret")}  # BundleKeys._create_identity: only if none


@dataclass(frozen=True)
class Stored:
    """One encrypted value as it lies in the database, and where it belongs."""

    ctx: FieldContext
    value: bytes


Row = RowMapping


def _default(session: Session, table: str, column: str, row: Row) -> FieldContext:
    """A row's own id, and its own case id if it has one (a case is its own case)."""
    case_id = row.get("case_id") or (row["id"] if table == "cases" else None)
    return FieldContext(table, column, row["id"], case_id)


def _chunk(parent: Any, with_case: bool) -> Callable[[Session, str, str, Row], FieldContext]:
    """Chunks are sealed under ``data:<idx>:last|more`` with the parent attachment's id."""

    def ctx(session: Session, table: str, column: str, row: Row) -> FieldContext:
        owner = session.get(parent, row["attachment_id"])
        assert owner is not None
        tail = "last" if row["idx"] == owner.chunks - 1 else "more"
        case_id = owner.case_id if with_case else None
        return FieldContext(table, f"{column}:{row['idx']}:{tail}", row["attachment_id"], case_id)

    return ctx


def _via(parent: Any, link: str) -> Callable[[Session, str, str, Row], FieldContext]:
    """Rows sealed with the case id of the row they hang on (None for a meeting-wide one)."""

    def ctx(session: Session, table: str, column: str, row: Row) -> FieldContext:
        owner = session.get(parent, row[link]) if row[link] is not None else None
        return FieldContext(table, column, row["id"], owner.case_id if owner else None)

    return ctx


def _case_keyed(session: Session, table: str, column: str, row: Row) -> FieldContext:
    return FieldContext(table, column, row["case_id"], row["case_id"])  # case_statistics


#: Tables whose context is not ``_default``; read from the code that seals each of them.
_CONTEXTS: dict[str, Callable[[Session, str, str, Row], FieldContext]] = {
    "case_attachment_chunks": _chunk(AttachmentRow, with_case=True),  # services/attachments
    "incoming_referral_attachment_chunks": _chunk(IncomingAttachmentRow, with_case=False),
    "case_statistics": _case_keyed,  # services/case_statistics._context
    "referral_status_changes": _via(ReferralRow, "referral_id"),  # the case's handle.seal
    "meeting_decisions": _via(MeetingItemRow, "item_id"),  # meeting_store.item_key
    "meeting_action_items": _via(MeetingItemRow, "item_id"),
    "meeting_addenda": _via(MeetingItemRow, "item_id"),  # item_id None: the meeting's
}


def _bound_meta(session: Session, table: str, column: str, row: Row) -> FieldContext:
    return FieldContext(table, column, row["id"])  # vault/row_binding._context


#: Tables whose ``meta`` column is the sealed copy of vault/row_binding.py (no case in it).
_BOUND = {model.__tablename__ for model in BINDINGS}


def stored_values(session: Session, table: Table, column: str) -> list[Stored]:
    """Every value of a column, with the context its associated data was made from."""
    if column == "meta" and table.name in _BOUND:
        context = _bound_meta
    else:
        context = _CONTEXTS.get(table.name, _default)
    return [
        Stored(context(session, table.name, column, row), bytes(row[column]))
        for row in session.execute(select(table)).mappings()
    ]


# -- the rows ---------------------------------------------------------------------------------


def _meetings(district: District, case: CaseSummary) -> None:
    """A case meeting (a case item, an orientation item, a guest, decisions, action items,
    approved with a meeting-wide and an item addendum) and a network meeting."""
    lars = district.coordinator
    svc = lars.meetings
    meeting = svc.plan(
        NewMeeting(
            MeetingKind.CASE,
            "Infohusmøde Aarhus",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            place="Rådhuset",
            local_infohus="Aarhus Kommune",
            chair_id=lars.member.id,
            minute_taker_id=district.sessions["mette"].member.id,
        )
    )
    svc.add_guest(meeting.id, GuestInput("Gæst Ågesen", "SSP Aarhus", "gaest@example.invalid"))
    case_item = svc.add_item(meeting.id, NewAgendaItem(ItemKind.CASE, "Sagen", case.number))
    orient = svc.add_item(
        meeting.id, NewAgendaItem(ItemKind.ORIENTATION, "Orientering", organisation="Skolen")
    )
    for item in (case_item, orient):
        svc.record_notes(item.id, "Noter om punktet", item.version)
        svc.add_decision(item.id, DecisionKind.RECOMMENDATION, "Anbefaling", "Kommunen")
        svc.add_action_item(item.id, NewActionItem("Opgave", date(2026, 12, 9), owner_name="Bo"))
    held = svc.mark_held(meeting.id, svc.get(meeting.id).version)
    svc.approve(meeting.id, held.version)
    svc.add_addendum(meeting.id, "Tillæg til referatet")
    svc.add_addendum(meeting.id, "Tillæg til sagen", case_item.id)
    svc.plan(NewMeeting(MeetingKind.NETWORK, "Netværksmøde", datetime(2026, 12, 2, tzinfo=UTC)))


def _trends(district: District) -> None:
    content = TrendContent(
        title="Tendens i Aarhus",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        area_kind=AreaKind.ONLINE,
        area="En platform",
        theme="konspiration",
        description="Beskrivelse",
        source_kinds=(SourceKind.OPEN_SOURCES,),
        development=Development.RISING,
    )
    mette = district.sessions["mette"]
    first = mette.trends.create(content)
    second = mette.trends.create(content)
    mette.trends.link(first.id, second.id)


def _referrals(district: District, draft_case: CaseSummary) -> None:
    """A referral sent and received (two status changes), and a draft on another case."""
    mette = district.sessions["mette"]
    sent = ready_draft(mette)
    sent = mette.referrals.change_status(sent.id, ReferralStatus.SENT, how="bundle")
    mette.referrals.change_status(sent.id, ReferralStatus.RECEIVED, "Modtaget")
    mette.referrals.create(draft_case.number, "pet_exit")


def _bundles(district: District, tmp_path: Path) -> None:
    """This vault's identity and two pinned senders; one referral imported from a bundle
    (its attachment in several chunks) and one stored directly with an attachment."""
    lars = district.coordinator
    card, fingerprint = lars.bundles.export_public_key()
    for n, name in enumerate(["Nordjylland", "Sydjylland"]):
        sender = sender_vault(tmp_path / f"sender{n}.sqlite")
        try:
            sender.groups.add_municipality("Aarhus Kommune", "AAR")
            sender_card, sender_fp = sender.bundles.export_public_key()
            lars.bundles.add_recipient(f"Infohus {name}", sender_card, sender_fp)
            if n == 0:
                sender.bundles.add_recipient("EXIT", card, fingerprint)
                draft = ready_draft(sender)
                cases = sender.cases.show(draft.summary.case_number)
                ids = [str(a.id) for a in cases.attachments]
                assert ids, "the bundle must carry an attachment"
                lars.bundles.import_bundle(sender.bundles.export_referral(draft.id, "EXIT", ids))
        finally:
            sender.lock()
            sender.vault.close()
    with lars.transaction() as session:
        lars.referrals.store_incoming(
            session,
            bundle_id="encrypted-columns",
            sender="Infohus Sydjylland",
            values={"programme": "pet_exit", "person_name": "Dina Ø"},
            form=DEFAULT_FORM,
            attachments=[IncomingAttachmentData("b.txt", "text/plain", b"indhold " * 9)],
        )


def _retention(district: District, cases: list[CaseSummary]) -> None:
    """Two holds on living cases, and two deleted cases' tombstones."""
    lars = district.coordinator
    for case in cases[:2]:
        lars.retention.holds.add(case.number, "Klage til Datatilsynet", date(2099, 1, 1))
    far = date(2099, 1, 1)
    for n in range(2):
        gone = lars.cases.open_case(new_case(f"Slettet Slettesen {n}"), accept_duplicate=True)
        lars.cases.change_status(
            gone.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED
        )
        lars.retention.delete(gone.number, "Slettefrist udløbet", today=far)
    for seq in (1, 2):
        lars.spot_checks.record(seq, CheckOutcome.IN_ORDER, "Opslaget var begrundet")


def populate(district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> District:
    """Two members open two cases each with every part; then a meeting on a case, trend notes,
    referrals and bundles, so every encrypted column has rows (two or more; see
    ``ONE_PER_VAULT``). Every value is readable with the coordinator's keyring: all cases are
    in the Aarhus group, the rest under the network, local or casework groups Lars is in."""
    from infohus_desktop.services.cases import attachments
    from infohus_desktop.services.referrals import incoming as referral_incoming

    monkeypatch.setattr(attachments, "CHUNK_BYTES", 16)  # several chunks from a small file
    monkeypatch.setattr(referral_incoming, "CHUNK_BYTES", 32)
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "police", Role.MEMBER)
    cases = [
        fill_case(district.sessions[login], name, f"0{n + 1}0190-12{n}3", "Aarhus Kommune")
        for login, names in (("mette", ["Anna Ørsted", "Bo Ærø"]), ("jens", ["Carl Å", "Dina Ø"]))
        for n, name in enumerate(names)
    ]
    _meetings(district, cases[0])
    _trends(district)
    _referrals(district, cases[1])
    _bundles(district, tmp_path)
    _retention(district, cases)
    return district
