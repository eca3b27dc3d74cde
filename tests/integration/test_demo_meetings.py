"""The demo vault's meetings: 12 months of both kinds, minutes approved for past meetings,
planned ones ahead, action items open, overdue and closed; each Infohus sees its own."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.domain.meetings import ActionStatus, ItemKind, MeetingKind, MeetingStatus
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from tests.integration.shared_demo import SHARED_DEMO_TODAY, on_the_shared_demo

TODAY = SHARED_DEMO_TODAY


@on_the_shared_demo
def test_demo_has_a_year_of_meetings(shared_demo_url: str) -> None:
    vault = Vault.open(shared_demo_url, LocalState())
    try:
        lars = vault.unlock("lars", DEMO_PASSPHRASES["lars"], sleep=lambda _s: None)
        meetings = lars.meetings.list()
        kinds = Counter(m.kind for m in meetings)
        assert kinds[MeetingKind.NETWORK] >= 12 and kinds[MeetingKind.CASE] >= 36
        assert {m.forum for m in meetings if m.kind is MeetingKind.CASE} == {
            "Aarhus Kommune",
            "Randers Kommune",
            "Silkeborg Kommune",
        }
        starts = [m.starts_at.date() for m in meetings]
        assert min(starts) <= TODAY - timedelta(days=330) and max(starts) > TODAY
        for m in meetings:
            past = m.starts_at.date() < TODAY
            assert (m.status in (MeetingStatus.APPROVED, MeetingStatus.SENT)) == past, m
        assert any(m.status is MeetingStatus.SENT for m in meetings)

        approved = [m for m in meetings if m.status.locked and m.kind is MeetingKind.CASE]
        decided = [lars.meetings.get(m.id) for m in approved[:6]]
        assert any(i.kind is ItemKind.CASE and i.decisions for f in decided for i in f.items)
        full = decided[0]
        assert (
            full.approved_at is not None and full.approved_at.date() > full.summary.starts_at.date()
        )
        network = lars.meetings.get(next(m.id for m in meetings if m.kind is MeetingKind.NETWORK))
        assert all(i.kind is not ItemKind.CASE for i in network.items)
        # Network meetings discuss the trend notes of the month before them, by the note.
        network_ids = [m.id for m in meetings if m.kind is MeetingKind.NETWORK]
        trend_items = [
            i
            for meeting_id in network_ids
            for i in lars.meetings.get(meeting_id).items
            if i.kind is ItemKind.TREND
        ]
        assert len(trend_items) >= 20 and all(i.trend_title for i in trend_items)
        assert any(i.notes for i in trend_items)
        assert trend_items[0].subject_id is not None
        discussed = lars.meetings.for_trend_note(trend_items[0].subject_id)
        assert network_ids[0] in {m.id for m in discussed}

        open_items = lars.meetings.open_action_items()
        assert any(a.overdue(TODAY) for a in open_items)
        assert any(not a.overdue(TODAY) for a in open_items)
        closed = [
            a
            for m in approved[:6]
            for i in lars.meetings.get(m.id).items
            for a in i.action_items
            if a.status is ActionStatus.DONE
        ]
        assert closed and all(a.closed_by_name and a.closed_at for a in closed)

        # Randers' coordinator sees Randers' and the network's meetings, not Aarhus'.
        sanne = vault.unlock("sanne", DEMO_PASSPHRASES["sanne"], sleep=lambda _s: None)
        forums = {m.forum for m in sanne.meetings.list()}
        assert "Aarhus Kommune" not in forums and "Randers Kommune" in forums
        # The note narrowed to the police is on the next network meeting: withheld for her.
        planned = lars.meetings.get(network_ids[0])
        assert planned.status is MeetingStatus.PLANNED
        hers = sanne.meetings.get(network_ids[0]).items
        withheld = [i for i in hers if i.kind is ItemKind.TREND and i.withheld]
        assert len(withheld) == 1 and withheld[0].trend_title is None
        assert len([i for i in planned.items if i.kind is ItemKind.TREND]) > 1
        sanne.lock()
        lars.lock()
    finally:
        vault.close()
