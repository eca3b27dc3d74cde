"""No meeting text (title, place, guests, notes, decisions, action items, addenda) reaches
the SQLite file or its WAL in clear."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

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
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import new_vault

SENTINELS = [
    "Mødetitel Qwæøå Sentinel",
    "Lokale Zyxåø Sentinel",
    "Beskrivelse Sentinel Qqq",
    "Gæst Sentinelsen Æbleø",
    "gaest.sentinel@example.invalid",
    "Gæsteorganisation Sentinelø",
    "Punkttitel Sentinel Øxq",
    "Orienterende Myndighed Sentinelå",
    "Noter om sagen Sentinel æøå",
    "Anbefaling Sentinel Øjeblik",
    "Myndighed Sentinel Åby",
    "Opgave Sentinel Ærinde",
    "Opgaveejer Sentinel Ølby",
    "Tillæg Sentinel Ærgerligt",
    "Netværk Sentinel Ørkenvind",
]


def _scan(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        for sentinel in SENTINELS:
            for needle in (sentinel.encode(), sentinel.encode("utf-16-le")):
                if needle in data:
                    found.append(f"{sentinel!r} in {path.name}")
    return found


def test_no_meeting_text_in_the_database_file(
    tmp_path: Path, sqlite_url: str, cheap_kdf: None
) -> None:
    lars = new_vault(sqlite_url)
    lars.groups.add_municipality("Aarhus Kommune", "AAR")
    lars.accounts.add("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, "mettes lange frase")
    case = lars.cases.open_case(new_case("Åge Ærløse"))
    svc = lars.meetings
    meeting = svc.plan(
        NewMeeting(
            MeetingKind.CASE,
            SENTINELS[0],
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            place=SENTINELS[1],
            description=SENTINELS[2],
            local_infohus="Aarhus Kommune",
            chair_id=lars.member.id,
        )
    )
    svc.add_guest(meeting.id, GuestInput(SENTINELS[3], SENTINELS[5], SENTINELS[4]))
    case_item = svc.add_item(meeting.id, NewAgendaItem(ItemKind.CASE, SENTINELS[6], case.number))
    orient = svc.add_item(
        meeting.id, NewAgendaItem(ItemKind.ORIENTATION, SENTINELS[6], organisation=SENTINELS[7])
    )
    for item in (case_item, orient):
        svc.record_notes(item.id, SENTINELS[8], item.version)
        svc.add_decision(item.id, DecisionKind.RECOMMENDATION, SENTINELS[9], SENTINELS[10])
        svc.add_action_item(
            item.id, NewActionItem(SENTINELS[11], date(2026, 12, 9), owner_name=SENTINELS[12])
        )
    current = svc.get(meeting.id)
    current = svc.mark_held(meeting.id, current.version)
    svc.approve(meeting.id, current.version)
    svc.add_addendum(meeting.id, SENTINELS[13])
    svc.add_addendum(meeting.id, SENTINELS[13], case_item.id)
    network = svc.plan(
        NewMeeting(MeetingKind.NETWORK, SENTINELS[14], datetime(2026, 12, 2, tzinfo=UTC))
    )
    # Everything reads back, so the text really went in.
    got = svc.get(meeting.id)
    assert got.summary.title == SENTINELS[0] and got.items[0].notes == SENTINELS[8]
    assert got.participants[-1].email == SENTINELS[4]
    assert svc.get(network.id).summary.title == SENTINELS[14]
    svc.minutes_pdf(meeting.id)

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    assert not _scan(files)
    lars.lock()
    lars.vault.engine.dispose()
    assert not _scan([p for p in tmp_path.rglob("*") if p.is_file()])
