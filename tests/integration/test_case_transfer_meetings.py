"""A handover carries what meetings decided about the case, and reads nothing else of them:
the other cases on the same agenda are neither decrypted nor logged as read (before, the
handover read whole meetings, and a handover of one case showed in other citizens' insight
reports as a meeting preparation)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infohus_desktop.domain.meetings import (
    DecisionKind,
    ItemKind,
    Meeting,
    MeetingKind,
    NewAgendaItem,
    NewMeeting,
)
from tests.integration.audit_reading import opened_since
from tests.integration.bundle_fixtures import SENDER_APPROVAL, Pair, pair
from tests.integration.case_fixtures import fill_case

__all__ = ["pair"]  # the fixture, imported for pytest


def _case_meeting(p: Pair) -> Meeting:
    """A case meeting of the sender's Aarhus Kommune, chaired by its coordinator."""
    return p.sender.meetings.plan(
        NewMeeting(
            MeetingKind.CASE,
            "Infohusmøde",
            datetime(2026, 11, 3, 9, tzinfo=UTC),
            local_infohus="Aarhus Kommune",
            chair_id=p.sender.member.id,
        )
    )


def _last_seq(p: Pair) -> int:
    entries = opened_since(p.sender)
    return entries[-1][0]


def test_a_handover_carries_its_decisions_and_reads_no_other_case(
    pair: Pair, tmp_path: Path
) -> None:
    p = pair
    handed = fill_case(p.sender, "Tove Flytning", "150190-1234", "Aarhus Kommune")
    other = fill_case(p.sender, "Anden Person", "010101-1234", "Aarhus Kommune")
    meetings = p.sender.meetings
    meeting = _case_meeting(p)
    for case, text in ((handed, "Mentorforløb anbefales"), (other, "Anden persons anbefaling")):
        item = meetings.add_item(meeting.id, NewAgendaItem(ItemKind.CASE, "Drøftelse", case.number))
        meetings.add_decision(item.id, DecisionKind.RECOMMENDATION, text, "Aarhus Kommune")
    since = _last_seq(p)

    out = tmp_path / "overdragelse.ihb"
    p.sender.transfers.export(
        handed.number, "EXIT", out, "Personen er flyttet", approval=SENDER_APPROVAL
    )

    read = [b for seq, b in opened_since(p.sender, since)]
    assert str(other.id) not in {b.object_id for b in read}  # nothing of the other case
    [meeting_read] = [b for b in read if b.action == "meeting.case_item.read"]
    assert meeting_read.object_id == str(handed.id)
    assert meeting_read.purpose == "sagsbehandling"
    assert meeting_read.detail == f"meeting={meeting.id} action=case.transfer"
    assert "meeting.read" not in {b.action for b in read}

    result = p.receiver.bundles.import_file(out, "Aarhus Kommune")
    assert result.case is not None
    case = p.receiver.cases.show(result.case.number)
    [kept] = [a for a in case.attachments if a.filename.endswith(".json")]
    data_out = io.BytesIO()
    p.receiver.attachments.read(result.case.number, kept.id, data_out)
    decisions = json.loads(data_out.getvalue())["decisions"]
    assert decisions == [
        {
            "meeting": "2026-11-03",
            "kind": "anbefaling",
            "text": "Mentorforløb anbefales",
            "authority": "Aarhus Kommune",
        }
    ]
    assert "Mentorforløb anbefales" in case.journal[-1].text
    assert "Anden persons anbefaling" not in case.journal[-1].text


def test_a_meeting_changed_outside_the_program_stops_the_handover(
    pair: Pair, tmp_path: Path
) -> None:
    """Its decisions cannot be read, and a bundle without them would not say so: nothing is
    handed over, and the meeting is noted in the log."""
    from sqlalchemy import select, update

    from infohus_desktop.domain.errors import TamperedData
    from infohus_desktop.domain.workflow import CaseStatus
    from infohus_desktop.vault.engine import create_vault_engine
    from infohus_desktop.vault.meeting_schema import MeetingDecisionRow

    p = pair
    handed = fill_case(p.sender, "Tove Flytning", "150190-1234", "Aarhus Kommune")
    meetings = p.sender.meetings
    meeting = _case_meeting(p)
    item = meetings.add_item(meeting.id, NewAgendaItem(ItemKind.CASE, "Drøftelse", handed.number))
    first, second = (
        meetings.add_decision(item.id, DecisionKind.RECOMMENDATION, text, "Aarhus Kommune")
        for text in ("Mentorforløb anbefales", "Familien inddrages")
    )
    # The second decision's ciphertext in the first's row: each opens only as its own row.
    engine = create_vault_engine(p.sender.vault.url)
    with engine.begin() as c:
        other = c.scalar(
            select(MeetingDecisionRow.payload).where(MeetingDecisionRow.id == second.id)
        )
        c.execute(
            update(MeetingDecisionRow)
            .where(MeetingDecisionRow.id == first.id)
            .values(payload=other)
        )
    engine.dispose()
    out = tmp_path / "overdragelse.ihb"
    with pytest.raises(TamperedData) as caught:
        p.sender.transfers.export(
            handed.number, "EXIT", out, "Personen er flyttet", approval=SENDER_APPROVAL
        )
    assert "Intet er overdraget" in caught.value.message("da")
    assert not out.exists()
    assert p.sender.cases.show(handed.number).summary.status is CaseStatus.IN_INFOHUS
    noted = [b for _, b in opened_since(p.sender) if b.action == "meeting.tampered"]
    assert noted and noted[-1].object_id == str(meeting.id)
