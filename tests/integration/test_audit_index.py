"""The session's in-memory index of the opened audit log (services/audit/index.py) gives the
same answers as opening every entry: per member, organisation, action (and its sub-actions),
purpose, case and period, page by page; it takes in entries written since; it goes at lock
and after a pruning; an entry changed in the database after it was indexed is shown as it is
now, marked unsigned. SQLite and PostgreSQL (``district``)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from infohus_desktop.domain.audit import AuditEntry, AuditFilter, Purpose
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import add_months
from infohus_desktop.services.audit.index import AuditIndex
from infohus_desktop.services.audit.reading import BATCH, INDEX_KEY, LogReading
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import tamper


def _every_entry(session: MemberServices, filters: AuditFilter) -> list[int]:
    """The answer without the index: every entry opened and held against the filter."""
    period = AuditFilter(since=filters.since, until=filters.until)  # matches() leaves it to SQL
    everything = LogReading(session)._by_period(period, None, BATCH)
    return [e.seq for e in everything if filters.matches(e)]


def _listed(session: MemberServices, filters: AuditFilter) -> list[AuditEntry]:
    return session.audit.list(10_000, filters=filters)


def _worked(district: District) -> tuple[MemberServices, MemberServices, list[str]]:
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    numbers = [mette.cases.open_case(new_case(f"Indeks {n}")).number for n in range(3)]
    for number in numbers:
        mette.cases.show(number)
        lars.cases.show(number, Purpose.MEETING_PREP)
    mette.cases.show(numbers[0])
    return lars, mette, numbers


def test_the_index_answers_as_opening_every_entry_would(district: District) -> None:
    lars, mette, numbers = _worked(district)
    case_ids = lars.audit.case_ids(numbers[0])
    aarhus = mette.member.organisation_id
    filters = [
        AuditFilter(login="mette"),
        AuditFilter(action="case"),  # case.read, case.create, … (a whole action or its start)
        AuditFilter(action="case.read", login="lars"),
        AuditFilter(purpose=Purpose.MEETING_PREP.value),
        AuditFilter(object_ids=case_ids),
        AuditFilter(organisation_id=aarhus, since=date.today() - timedelta(days=1)),
        AuditFilter(login="mette", until=date.today() - timedelta(days=2)),  # nothing then
        AuditFilter(login="nobody"),
    ]
    for wanted in filters:
        listed = [e.seq for e in _listed(lars, wanted)]
        assert listed == _every_entry(lars, wanted), wanted
    assert [e.seq for e in _listed(lars, AuditFilter(object_ids=case_ids))]  # not empty
    assert isinstance(lars.memory.get(INDEX_KEY), AuditIndex)

    # Page by page, as the view scrolls.
    wanted = AuditFilter(login="mette")
    whole = [e.seq for e in _listed(lars, wanted)]
    pages: list[int] = []
    before = None
    while True:
        page = lars.audit.list(3, before, filters=wanted)
        if not page:
            break
        pages += [e.seq for e in page]
        before = page[-1].seq
    assert pages == whole
    assert all(e.signature_ok for e in _listed(lars, wanted))


def test_entries_written_since_are_found_and_lock_and_pruning_drop_the_index(
    district: District,
) -> None:
    lars, mette, numbers = _worked(district)
    wanted = AuditFilter(login="mette", action="case.read")
    before = [e.seq for e in _listed(lars, wanted)]
    mette.cases.show(numbers[2])
    after = [e.seq for e in _listed(lars, wanted)]
    assert len(after) == len(before) + 1 and after[1:] == before
    lars.audit_pruning.prune(add_months(date.today(), 14))  # every entry so far goes
    assert INDEX_KEY not in lars.memory
    assert _listed(lars, wanted) == []
    lars.lock()
    assert lars.memory == {}


def test_an_entry_changed_after_it_was_indexed_shows_as_it_is_now(district: District) -> None:
    lars, _mette, _numbers = _worked(district)
    wanted = AuditFilter(login="mette", action="case.read")
    newest = _listed(lars, wanted)[0]

    def garble(c: object) -> None:
        c.execute(  # type: ignore[attr-defined]
            update(AuditEntryRow).where(AuditEntryRow.seq == newest.seq).values(body=b"x" * 80)
        )

    tamper(district.url, garble)
    [shown] = [e for e in _listed(lars, wanted) if e.seq == newest.seq]
    assert shown.signature_ok is False and shown.actor_login == "?"
    assert not lars.audit.verify().ok
