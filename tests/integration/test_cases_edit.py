"""Concern cases, part 2: editing safely (stale saves are conflicts), the journal that is
never changed, and moving a case to another access group."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date

import pytest
from sqlalchemy import delete, select, update

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.domain.cases import (
    JournalKind,
    MeasureStatus,
    MeasureType,
    ScreeningOutcome,
)
from infohus_desktop.domain.errors import AccessDenied, NotFound
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.attachments import AttachmentService
from infohus_desktop.services.cases.editing import CaseConflict, CaseEdit
from infohus_desktop.services.cases.records import CaseRecords, MeasureInput
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow, JournalIsImmutable, JournalRow
from infohus_desktop.vault.schema import DataKeyRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

AARHUS = "Aarhus Kommune og politiet"
RANDERS = "Randers Kommune og politiet"


def _aarhus_pair(district: District) -> tuple[MemberServices, MemberServices]:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    jens = district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    return mette, jens


def _assert_no_personal_data(error: Exception, *secrets: str) -> None:
    assert isinstance(error, CaseConflict)
    text = " ".join([error.da, error.en, str(error), repr(error.args), repr(error.fields)])
    for secret in secrets:
        assert secret not in text


# -- editing ----------------------------------------------------------------------------------


def test_a_stale_edit_is_a_conflict_naming_the_fields_and_loses_nothing(
    district: District,
) -> None:
    mette, jens = _aarhus_pair(district)
    ref = mette.cases.open_case(new_case("Anna Hansen", "0101901234")).number
    mettes_view = mette.cases.show(ref)
    jens_view = jens.cases.show(ref)

    saved = mette.cases.edit(
        ref,
        mettes_view.summary.version,
        CaseEdit(title="Mettes nye titel", follow_up=date(2026, 12, 24)),
    )
    assert saved.version > mettes_view.summary.version

    jens_person = replace(jens_view.person, phone="99887766", address="Jensvej 9, 8000 Aarhus")
    with pytest.raises(CaseConflict) as caught:
        jens.cases.edit(
            ref,
            jens_view.summary.version,
            CaseEdit(person=jens_person, title="Jens' titel"),
            base=jens_view,
        )
    assert caught.value.fields == ["follow_up", "title"]  # what Mette changed meanwhile
    assert (caught.value.base_version, caught.value.current_version) == (
        jens_view.summary.version,
        saved.version,
    )
    assert "Nothing was saved" in caught.value.message("en")
    # The fields in words, as the command line shows the message (the window shows both).
    assert "Det gælder: opfølgningsdato, overskrift." in caught.value.message("da")
    assert "It concerns: follow-up date, heading." in caught.value.message("en")
    cpr = CaseConflict(ref, 1, 2, ["person.cpr"])
    assert "Det gælder: CPR-nummer." in cpr.message("da")  # an abbreviation keeps its capitals
    _assert_no_personal_data(
        caught.value,
        "Anna",
        "Hansen",
        "0101901234",
        "Mettes nye titel",
        "Jens' titel",
        "Jensvej",
        "99887766",
        "2026-12-24",
    )
    # Without the case as read, the conflict names the fields this save wanted to change.
    with pytest.raises(CaseConflict) as caught:
        jens.cases.edit(ref, jens_view.summary.version, CaseEdit(person=jens_person))
    assert caught.value.fields == ["person"]

    after = district.unlock("lars").cases.show(ref)
    assert (after.title, after.summary.follow_up) == ("Mettes nye titel", date(2026, 12, 24))
    assert after.person == mettes_view.person  # nothing of Jens' stale save got in
    assert after.summary.version == saved.version

    # Reloaded, Jens saves his change on top of Mette's.
    reloaded = jens.cases.show(ref)
    jens.cases.edit(ref, reloaded.summary.version, CaseEdit(person=jens_person))
    final = mette.cases.show(ref)
    assert (final.person.phone, final.person.address) == ("99887766", "Jensvej 9, 8000 Aarhus")
    assert (final.title, final.summary.follow_up) == ("Mettes nye titel", date(2026, 12, 24))


def test_the_same_member_in_two_unlocks_conflicts_too(district: District) -> None:
    first = district.coordinator
    second = district.unlock("lars")  # lars on a second workstation
    ref = first.cases.open_case(new_case("Bo Bæk", None)).number
    seen_first, seen_second = first.cases.show(ref), second.cases.show(ref)

    first.cases.change_status(ref, CaseStatus.SCREENING, "Politiets forhåndstjek")
    with pytest.raises(CaseConflict) as caught:
        second.cases.edit(
            ref, seen_second.summary.version, CaseEdit(category="anden_uklar"), base=seen_second
        )
    assert caught.value.fields == ["status"]
    with pytest.raises(CaseConflict) as caught:
        second.cases.change_status(
            ref, CaseStatus.CLOSED, "Ubegrundet", base_version=seen_second.summary.version
        )
    assert caught.value.fields == ["status"]
    _assert_no_personal_data(caught.value, "Bo Bæk", "Ubegrundet", "forhåndstjek")

    now = first.cases.show(ref)
    assert now.summary.status == CaseStatus.SCREENING
    assert now.summary.category == seen_first.summary.category
    assert [h.new for h in now.history] == [CaseStatus.RECEIVED, CaseStatus.SCREENING]


def test_a_screening_saved_meanwhile_is_no_conflict_without_fields(district: District) -> None:
    mette, jens = _aarhus_pair(district)
    ref = mette.cases.open_case(new_case("Kaj Kajsen", None)).number
    seen = jens.cases.show(ref)
    mette.cases.screen(ref, ScreeningOutcome.INFOHUS, "Relevant for Infohuset")
    saved = jens.cases.edit(ref, seen.summary.version, CaseEdit(title="Jens' titel"), base=seen)
    now = mette.cases.show(ref)
    assert now.title == "Jens' titel" and saved.version == now.summary.version
    assert [s.reason for s in now.screenings] == ["Relevant for Infohuset"]  # nothing lost
    # Without the case as the user saw it, a newer version is still refused.
    with pytest.raises(CaseConflict) as caught:
        jens.cases.edit(ref, seen.summary.version, CaseEdit(title="Igen"))
    assert caught.value.fields == ["title"]


def test_a_stale_measure_update_is_a_conflict(district: District) -> None:
    mette, jens = _aarhus_pair(district)
    ref = mette.cases.open_case(new_case("Carl Carlsen", None)).number
    planned = MeasureInput(MeasureType.MENTOR, "Aarhus Kommune", "Mentor fra korpset")
    measure = mette.case_records.add_measure(ref, planned)
    assert measure.version == 1

    running = replace(planned, status=MeasureStatus.RUNNING, outcome="Godt i gang")
    updated = mette.case_records.update_measure(ref, measure.id, measure.version, running)
    assert updated.version == 2
    with pytest.raises(CaseConflict) as caught:
        jens.case_records.update_measure(
            ref,
            measure.id,
            measure.version,
            replace(planned, status=MeasureStatus.STOPPED, outcome="Jens' afbrydelse"),
        )
    assert caught.value.fields == ["measure"]
    _assert_no_personal_data(caught.value, "Carl", "Jens' afbrydelse", "Godt i gang", "Mentor")

    (shown,) = district.unlock("lars").cases.show(ref).measures
    assert (shown.status, shown.outcome, shown.version) == (
        MeasureStatus.RUNNING,
        "Godt i gang",
        2,
    )


# -- the journal ------------------------------------------------------------------------------


def test_no_service_offers_to_change_or_delete_a_journal_entry() -> None:
    # Every service a member session offers (they only keep the session until called).
    ms = MemberServices(None, None, None)  # type: ignore[arg-type]
    services = {
        type(getattr(ms, name))
        for name, attr in vars(MemberServices).items()
        if isinstance(attr, property) and name != "__weakref__"
    }
    assert {CaseService, CaseRecords, AttachmentService} <= services
    journal_methods = {
        f"{service.__name__}.{name}"
        for service in services
        for name, _ in inspect.getmembers(service, inspect.isfunction)
        if "journal" in name.lower() and not name.startswith("_")
    }
    # Both add an entry (write_journal inside a caller's transaction, for a referral sent);
    # the only way to amend one is a new entry that corrects it.
    assert journal_methods == {"CaseRecords.add_journal", "CaseRecords.write_journal"}
    for method in (CaseRecords.add_journal, CaseRecords.write_journal):
        assert "corrects" in inspect.signature(method).parameters
    assert not [f.name for f in fields(CaseEdit) if "journal" in f.name]


def test_saved_journal_entries_refuse_any_orm_change(district: District) -> None:
    lars = district.coordinator
    ref = lars.cases.open_case(new_case("Dan Dansk", None)).number
    entry = lars.case_records.add_journal(ref, JournalKind.PHONE, "Opkald fra skolen")
    other = lars.case_records.add_journal(ref, JournalKind.NOTE, "Et andet notat")
    uow = district.open().uow

    def change(row: JournalRow) -> None:
        row.kind = JournalKind.DECISION.value

    attempts: dict[str, Callable[[JournalRow], None]] = {
        "change kind": change,
        "point at another": lambda row: setattr(row, "corrects", other.id),
        "move in time": lambda row: setattr(row, "at", other.at),
        "swap payload": lambda row: setattr(row, "payload", Ciphertext(row.payload[:-1] + b"\x00")),
    }

    def save(attempt: Callable[[JournalRow], None]) -> None:
        with uow() as session:  # commits, as every service's unit of work does
            row = session.get(JournalRow, entry.id)
            assert row is not None
            attempt(row)

    for attempt in attempts.values():
        with pytest.raises(JournalIsImmutable):
            save(attempt)
    with pytest.raises(JournalIsImmutable), uow() as session:
        session.delete(session.get(JournalRow, entry.id))
    # ORM bulk statements skip the mapper events, and are refused as well.
    with pytest.raises(JournalIsImmutable), uow() as session:
        session.execute(
            update(JournalRow).where(JournalRow.id == entry.id).values(kind="beslutning")
        )
    with pytest.raises(JournalIsImmutable), uow() as session:
        session.execute(delete(JournalRow).where(JournalRow.id == entry.id))

    assert lars.cases.show(ref).journal == (entry, other)


def test_a_correction_is_a_new_entry_and_the_original_stays(district: District) -> None:
    mette, jens = _aarhus_pair(district)
    ref = mette.cases.open_case(new_case("Finn Finnsen", None)).number
    other_ref = mette.cases.open_case(new_case("Gert Gertsen", None)).number
    original = mette.case_records.add_journal(ref, JournalKind.CONVERSATION, "Samtale med mor")
    elsewhere = mette.case_records.add_journal(other_ref, JournalKind.NOTE, "Andet notat")

    correction = jens.case_records.add_journal(
        ref, JournalKind.NOTE, "Rettelse: samtalen var med far", corrects=original.id
    )
    journal = district.unlock("lars").cases.show(ref).journal
    assert journal == (original, correction)
    assert (journal[1].corrects, journal[1].by_login) == (original.id, "jens")
    assert (journal[0].text, journal[0].corrects) == ("Samtale med mor", None)

    for target in (elsewhere.id, uuid.uuid4()):
        with pytest.raises(NotFound):
            jens.case_records.add_journal(ref, JournalKind.NOTE, "Forkert rettelse", target)
    assert mette.cases.show(ref).journal == (original, correction)
    assert mette.cases.show(other_ref).journal == (elsewhere,)


# -- moving -----------------------------------------------------------------------------------


def _data_keys(district: District) -> dict[uuid.UUID, tuple[uuid.UUID, int, bytes, int]]:
    with district.open().uow() as session:
        return {
            row.id: (row.group_id, row.epoch, bytes(row.wrapped), row.version)
            for row in session.scalars(select(DataKeyRow))
        }


def _case_row(district: District, number: str) -> tuple[uuid.UUID, uuid.UUID, bytes]:
    with district.open().uow() as session:
        row = session.scalars(select(CaseRow).where(CaseRow.number == number)).one()
        return row.data_key_id, row.group_id, bytes(row.person)


def test_moving_a_case_rewraps_only_its_key_and_changes_who_can_read_it(
    district: District,
) -> None:
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    karl = district.enrol("karl", "Karl Rand", "Randers Kommune", Role.MEMBER)
    moved = lars.cases.open_case(new_case("Hans Flyttesen", "0707614285")).number
    stays = lars.cases.open_case(new_case("Ib Blivsen", None)).number
    randers = lars.cases.open_case(new_case("Jon Randersen", None, "Randers Kommune")).number
    assert {c.number for c in mette.cases.list()} == {moved, stays}
    assert mette.cases.show(moved).person.name == "Hans Flyttesen"  # key now in her memory
    with pytest.raises(NotFound):
        karl.cases.show(moved)

    groups = {g.name: g.id for g in lars.groups.list()}
    key_id, group_before, person_before = _case_row(district, moved)
    assert group_before == groups[AARHUS]
    keys_before = _data_keys(district)

    summary = lars.cases.move(moved, RANDERS)
    assert summary.group_id == groups[RANDERS]

    keys_after = _data_keys(district)
    assert set(keys_after) == set(keys_before)
    untouched = {k: v for k, v in keys_before.items() if k != key_id}
    assert {k: v for k, v in keys_after.items() if k != key_id} == untouched
    assert len(untouched) >= 2  # the other two cases' keys at least
    group, epoch, wrapped, _version = keys_after[key_id]
    assert group == groups[RANDERS]
    assert epoch == next(g.epoch for g in lars.groups.list() if g.name == RANDERS)
    assert wrapped != keys_before[key_id][2]
    # The same data key, re-wrapped: the case's ciphertext is not touched.
    assert _case_row(district, moved) == (key_id, groups[RANDERS], person_before)

    # The old group loses it, even in a session that had read it.
    with pytest.raises(NotFound):
        mette.cases.show(moved)
    assert {c.number for c in mette.cases.list()} == {stays}
    assert mette.cases.list(search="Flyttesen") == []
    fresh_mette = district.unlock("mette")
    with pytest.raises(AccessDenied), fresh_mette.vault.uow() as session:
        fresh_mette.keyring.data_key(session, key_id)
    # The new group gains it.
    assert {c.number for c in karl.cases.list()} == {moved, randers}
    case = district.unlock("karl").cases.show(moved)
    assert (case.person.name, case.person.cpr) == ("Hans Flyttesen", "0707614285")
    assert case.summary.municipality == "Aarhus Kommune"  # still the Aarhus case, by number
    moves = lars.audit.list(action="case.move")
    assert [e.object_id for e in moves] == [str(summary.id)]
    assert moves[0].detail == f"{groups[AARHUS]}->{groups[RANDERS]}"
