"""The review's attacks on the clear columns of meetings, trend notes and referrals, replayed
by direct SQL as a server operator (or anyone with the vault file) could: each is reported as
tampering of that row, the lists show the other rows, and an edit through the program does
not launder the changed value into a fresh sealed copy."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, select, text, update

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.meetings import (
    ItemKind,
    MeetingKind,
    MeetingStatus,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referrals import DEFAULT_FORM
from infohus_desktop.domain.trends import AreaKind, Development, TrendContent
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.meeting_schema import ActionItemRow, MeetingItemRow, MeetingRow
from infohus_desktop.vault.referral_schema import IncomingReferralRow, ReferralRow
from infohus_desktop.vault.row_binding import RowTampered
from infohus_desktop.vault.trend_schema import TrendNoteRow
from tests.integration.audit_reading import opened_since
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ready_draft
from tests.integration.sql_tamper import tamper
from tests.integration.test_cli_cases import CaseCli, refused
from tests.integration.test_cli_cases import cli as cli  # the fixture
from tests.integration.test_cli_trends import NOTE as CLI_NOTE
from tests.integration.test_cli_trends import add

_sql = tamper


def _actions(reader: MemberServices, since: int) -> list[tuple[str, object]]:
    return [(body.action, body.object_id) for _, body in opened_since(reader, since)]


def _last_seq(reader: MemberServices) -> int:
    entries = opened_since(reader)
    return entries[-1][0] if entries else 0


# -- meetings ---------------------------------------------------------------------------------


def _two_meetings(lars: MemberServices) -> tuple[object, object]:
    svc = lars.meetings
    first = svc.plan(
        NewMeeting(
            MeetingKind.NETWORK,
            "Netværksmøde januar",
            datetime(2027, 1, 12, 9, tzinfo=UTC),
            chair_id=lars.member.id,
        )
    )
    item = svc.add_item(
        first.id, NewAgendaItem(ItemKind.ORIENTATION, "Orientering", organisation="Politiet")
    )
    svc.add_action_item(
        item.id, NewActionItem("Skolerne orienteres", date(2027, 2, 1), owner_id=lars.member.id)
    )
    svc.add_action_item(
        item.id, NewActionItem("Status til næste møde", date(2027, 3, 1), owner_name="Bo")
    )
    second = svc.plan(
        NewMeeting(
            MeetingKind.NETWORK,
            "Netværksmøde februar",
            datetime(2027, 2, 9, 9, tzinfo=UTC),
            chair_id=lars.member.id,
        )
    )
    return first, second


def test_a_meeting_given_another_meetings_copy_is_named_and_the_list_shows_the_others(
    district: District,
) -> None:
    """The status is no column (issue 20): the attack left is another meeting's copy."""
    lars = district.coordinator
    first, second = _two_meetings(lars)
    third = lars.meetings.plan(
        NewMeeting(
            MeetingKind.NETWORK,
            "Netværksmøde december",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            chair_id=lars.member.id,
        )
    )
    _move_copy(district.url, MeetingRow, third.id, first.id)
    reader = district.unlock("lars")
    since = _last_seq(reader)
    listed = {m.id: m for m in reader.meetings.list()}
    assert listed[first.id].tampered and listed[first.id].title == ""
    assert not listed[second.id].tampered
    assert listed[second.id].title == "Netværksmøde februar"
    assert ("meeting.tampered", str(first.id)) in _actions(reader, since)
    with pytest.raises(RowTampered) as caught:
        reader.meetings.get(first.id)
    assert caught.value.message("da").startswith("Et møde er ændret uden om programmet")
    assert caught.value.message("en").startswith("A meeting was changed outside the program")
    # The later meeting reads on; the earlier one's open action items it would carry are
    # listed as tampered, not taken from a meeting whose values cannot be trusted.
    later = reader.meetings.get(second.id)
    assert later.summary.status is MeetingStatus.PLANNED
    assert later.carried_action_items and all(a.tampered for a in later.carried_action_items)


def test_an_edit_does_not_launder_a_value_changed_by_sql(district: District) -> None:
    """A clear value changed by SQL (here the minute taker) and then an edit of the meeting:
    the edit must not seal the changed value into a fresh copy."""
    lars = district.coordinator
    first, _ = _two_meetings(lars)
    other = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    _sql(
        district.url,
        lambda c: c.execute(
            update(MeetingRow)
            .where(MeetingRow.id == first.id)
            .values(minute_taker_id=str(other.member.id))
        ),
    )
    reader = district.unlock("lars")
    version = {m.id: m.version for m in reader.meetings.list()}[first.id]
    with pytest.raises(TamperedData):
        reader.meetings.mark_held(first.id, version)
    with pytest.raises(RowTampered):  # still tampered: nothing was sealed anew
        reader.meetings.get(first.id)


def test_an_action_item_given_another_items_copy_is_named_in_the_list_of_action_items(
    district: District,
) -> None:
    lars = district.coordinator
    first, _ = _two_meetings(lars)
    actions = lars.meetings.open_action_items()
    target, other = sorted(actions, key=lambda a: a.deadline or date.max)
    # The deadline is sealed (issue 20): the other item's copy, with its later deadline.
    _move_copy(district.url, ActionItemRow, other.id, target.id)
    reader = district.unlock("lars")
    listed = {a.id: a for a in reader.meetings.open_action_items()}
    assert listed[target.id].tampered and listed[target.id].deadline is None
    assert listed[other.id].text == "Status til næste møde" and not listed[other.id].tampered
    with pytest.raises(RowTampered) as caught:
        reader.meetings.get(first.id)
    assert "En opgave fra et møde" in caught.value.message("da")


def test_a_reordered_agenda_item_and_a_removed_copy_are_tampering(district: District) -> None:
    lars = district.coordinator
    first, second = _two_meetings(lars)
    _sql(
        district.url,
        lambda c: c.execute(
            update(MeetingItemRow).where(MeetingItemRow.meeting_id == first.id).values(position=7)
        ),
    )
    _sql(
        district.url,
        lambda c: c.execute(update(MeetingRow).where(MeetingRow.id == second.id).values(meta=None)),
    )
    reader = district.unlock("lars")
    for meeting in (first, second):
        with pytest.raises(RowTampered):
            reader.meetings.get(meeting.id)


# -- trend notes ------------------------------------------------------------------------------

NOTE = TrendContent(
    title="Rekruttering i gaming-fora",
    period_from=date(2026, 7, 1),
    period_to=date(2026, 9, 30),
    area_kind=AreaKind.ONLINE,
    area="Spilplatforme",
    theme="konspiration",
    development=Development.RISING,
)


def _move_copy(url: str, model: Any, source: uuid.UUID, target: uuid.UUID) -> None:
    """The sealed copy of one row written onto another: the theme, status or programme are
    no columns any more (issue 20), so this is what someone with the database can try."""

    def move(c: Connection) -> None:
        meta = c.scalar(select(model.meta).where(model.id == source))
        c.execute(update(model).where(model.id == target).values(meta=meta))

    _sql(url, move)


def test_a_trend_note_given_another_notes_copy_is_named_and_the_list_shows_the_others(
    district: District,
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    changed = mette.trends.create(NOTE)
    intact = mette.trends.create(NOTE)
    _move_copy(district.url, TrendNoteRow, intact.id, changed.id)
    reader = district.unlock("mette")
    listed = {n.id: n for n in reader.trends.list()}
    assert listed[changed.id].tampered and listed[changed.id].content.title == ""
    assert listed[intact.id].content.title == NOTE.title
    # A filter on the changed theme still shows the tampered note, never hides it.
    assert changed.id in {n.id for n in reader.trends.list(search="ingen træf her")}
    with pytest.raises(RowTampered) as caught:
        reader.trends.get(changed.id)
    assert caught.value.message("da").startswith("En tendensnote er ændret")
    with pytest.raises(TamperedData):  # and an edit does not launder the theme
        reader.trends.edit(changed.id, changed.version, NOTE)
    lars = district.unlock("lars")
    assert ("trend.tampered", str(changed.id)) in _actions(lars, 0)


# -- referrals --------------------------------------------------------------------------------


def test_a_referral_given_another_referrals_copy_is_named_and_the_list_shows_the_others(
    district: District,
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    changed = ready_draft(mette, cpr=None)
    intact = ready_draft(mette, cpr=None)
    _move_copy(district.url, ReferralRow, intact.summary.id, changed.summary.id)
    reader = district.unlock("mette")
    listed = {r.id: r for r in reader.referrals.list()}
    assert listed[changed.summary.id].tampered
    assert listed[changed.summary.id].case_number == changed.summary.case_number
    assert not listed[intact.summary.id].tampered
    with pytest.raises(RowTampered) as caught:
        reader.referrals.show(changed.summary.id)
    assert caught.value.message("en").startswith("A referral was changed outside the program")
    assert reader.referrals.show(intact.summary.id).summary.status.value == "kladde"


def test_a_received_referral_changed_by_sql_is_listed_as_tampered(district: District) -> None:
    lars = district.coordinator
    ids = []
    for n in range(2):
        with lars.transaction() as session:
            ids.append(
                lars.referrals.store_incoming(
                    session,
                    bundle_id=f"tamper-{n}",
                    sender="Infohus Sydjylland",
                    values={"programme": "pet_exit", "person_name": "Dina Ø"},
                    form=DEFAULT_FORM,
                )
            )
    _move_copy(district.url, IncomingReferralRow, ids[1], ids[0])
    reader = district.unlock("lars")
    listed = {r.id: r for r in reader.referrals.incoming()}
    assert listed[ids[0]].tampered and listed[ids[0]].sender == ""
    assert listed[ids[1]].sender == "Infohus Sydjylland" and not listed[ids[1]].tampered
    with pytest.raises(RowTampered):
        reader.referrals.show_incoming(ids[0])


# -- the command line -------------------------------------------------------------------------


def test_the_cli_lists_a_tampered_note_by_id_only_and_refuses_to_show_it(cli: CaseCli) -> None:
    changed, intact = add(cli, *CLI_NOTE), add(cli, *CLI_NOTE)
    _move_copy(cli.url, TrendNoteRow, uuid.UUID(intact["id"]), uuid.UUID(changed["id"]))
    listed = {n["id"]: n for n in cli.as_("mette", "trend", "list", "--json").json()}
    assert listed[changed["id"]]["tampered"] is True
    assert listed[changed["id"]]["title"] is None and listed[changed["id"]]["theme"] is None
    assert listed[intact["id"]]["tampered"] is False
    assert listed[intact["id"]]["title"] == intact["title"]
    table = cli.as_("mette", "trend", "list")
    assert table.code == 0 and "kan ikke læses — ændret uden om programmet" in table.out
    refused(
        cli.as_("mette", "trend", "show", changed["id"]),
        7,
        "En tendensnote er ændret uden om programmet",
    )


def test_an_id_that_is_no_uuid_in_a_clear_column_is_tampering_not_a_program_error(
    district: District,
) -> None:
    """A meeting whose chair is written by SQL as "nobody": the list says the vault was
    changed outside the program (exit 7 on the command line), not an intern fejl."""
    lars = district.coordinator
    first, _second = _two_meetings(lars)
    _sql(
        district.url,
        lambda c: c.execute(
            text("UPDATE meetings SET chair_id = 'nobody' WHERE id = :id"), {"id": str(first.id)}
        ),
    )
    reader = district.unlock("lars")
    with pytest.raises(TamperedData) as caught:
        reader.meetings.list()
    assert caught.value.exit_code == 7
    assert caught.value.message("da").startswith("En værdi i boksen er ændret uden om programmet")
