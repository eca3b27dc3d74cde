"""Verifying the audit log costs the same statements whatever the log's length, as a list of
cases does (test_case_list_queries.py): the entries come through one streamed statement, the
writer keys through one, each signer's keys are verified once per run. Before, the walk asked
once per 2,000 entries and the signature check once per unlock session (every 50 entries).

The rows are streamed 50 at a time here, so that a walk asking again per batch would show."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault import audit_chain, audit_walk
from infohus_desktop.vault.schema import AuditCheckpointRow
from tests.integration.conftest import District


def _statements_during_verify(session: MemberServices) -> tuple[int, int]:
    """(entries walked, statements) of a whole-log verification, up to the entry that audits
    the verification itself (whose checkpoint, every 100th entry, would add a few)."""
    seen: list[str] = []
    done = False

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        nonlocal done
        done = done or statement.lstrip().upper().startswith("INSERT INTO AUDIT_ENTRIES")
        if not done:  # after the verification's own entry: no longer counted
            seen.append(statement)

    event.listen(session.vault.engine, "before_cursor_execute", count)
    try:
        result = session.audit.verify()
    finally:
        event.remove(session.vault.engine, "before_cursor_execute", count)
    assert result.ok, result.problem
    return result.entries, len(seen)


def _write(mette: MemberServices, n: int) -> None:
    for _ in range(n):
        mette.audited_read("case.read", None, Purpose.CASEWORK)


def test_verification_asks_the_same_whatever_the_length_of_the_log(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_walk, "WALK_BATCH", 50)
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with lars.vault.uow() as session:
        written = audit_chain.head(session)[0]
    _write(mette, max(0, 100 - written))
    for who in (lars, mette):  # each member's keys verified once: the caches warm
        _statements_during_verify(who)
    small = {who.member.login: _statements_during_verify(who) for who in (lars, mette)}
    _write(mette, 900)
    big = {who.member.login: _statements_during_verify(who) for who in (lars, mette)}
    for login in ("lars", "mette"):  # lars also checks every signature; mette the chain
        (entries_small, statements_small), (entries_big, statements_big) = small[login], big[login]
        assert entries_small < 120 and entries_big >= 1000
        assert statements_big == statements_small, (login, small, big)


def test_a_routine_check_holds_only_the_checkpoints_since_its_mark(district: District) -> None:
    """The routine check (``new_only``) reads the database's and the file's checkpoints from
    where the last verification ended, not the whole year's: its work follows what is new."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    _write(mette, 1000)
    full = lars.audit.verify()
    assert full.ok and full.checkpoints >= 10
    _write(mette, 150)
    routine = lars.audit.verify(new_only=True)
    assert routine.ok and routine.verified_from == full.head_seq
    assert routine.entries == routine.head_seq - full.head_seq
    with lars.vault.uow() as session:
        since = session.scalar(
            select(func.count())
            .select_from(AuditCheckpointRow)
            .where(AuditCheckpointRow.seq >= full.head_seq)
        )
    assert since is not None and 0 < routine.checkpoints <= 2 * since < full.checkpoints
