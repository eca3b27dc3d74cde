"""Pruning the audit log after its retention period (issue 12), on SQLite and PostgreSQL: the
old entries go behind a summary signed by the coordinator, ``audit verify`` still checks the
chain from the summary on, the next unlock is not taken for a rollback, and a changed or
forged summary breaks the verification. Nothing goes before 13 months (or the rules' period),
and a log that does not verify is not pruned."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Connection, delete, func, select, update

from infohus_desktop.domain.errors import AccessDenied, InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.workflow import ClosingReason
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts import rollback
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault import audit_prunings
from infohus_desktop.vault.schema import AuditEntryRow, AuditPruningRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import tamper

TODAY = date.today()
#: A day on which everything written so far is older than 13 months.
LATER = add_months(TODAY, 14)


def _work(session: MemberServices) -> str:
    case = session.cases.open_case(new_case("Pruned Person"), accept_duplicate=True)
    session.cases.show(case.number)
    return case.number


def _count(district: District, table: type[AuditEntryRow] | type[AuditPruningRow]) -> int:
    counted: list[int] = []
    tamper(
        district.url,
        lambda c: counted.append(int(c.scalar(select(func.count()).select_from(table)) or 0)),
    )
    return counted[0]


def test_old_entries_go_behind_a_signed_summary_and_the_log_still_verifies(
    district: District,
) -> None:
    lars = district.coordinator
    number = _work(lars)
    lars.lock()  # this workstation signs the head into its checkpoint file
    lars = district.unlock("lars")
    vault_id = lars.vault.vault_id
    seen_seq, _ = rollback.last_seen(LocalState().checkpoint_file(vault_id), vault_id) or (0, "")

    with pytest.raises(InvalidInput) as caught:
        lars.audit_pruning.prune()  # today: nothing is 13 months old
    assert "intet at beskære" in caught.value.message("da")
    plan = lars.audit_pruning.plan(LATER)
    assert plan.first_seq == 1 and plan.entries >= seen_seq > 0
    assert plan.limit == add_months(LATER, -13)

    pruned = lars.audit_pruning.prune(LATER)
    assert pruned.entries >= plan.entries
    assert _count(district, AuditEntryRow) < 10  # the prune's own entries and after
    result = lars.audit.verify()
    assert result.ok, result.problem
    assert result.pruned_entries == pruned.entries

    # Work goes on, the next unlock compares with a checkpoint inside the pruned range.
    again = district.unlock("lars")
    again.cases.show(number)
    assert again.audit.verify().ok
    entries = again.audit.list(action="audit.prune")
    assert [e.detail for e in entries] == [
        f"entries={pruned.entries} seq=1..{pruned.last_seq} before={pruned.limit.isoformat()}"
    ]
    assert entries[0].purpose == "sletning"


def test_the_rules_period_is_kept_and_only_a_coordinator_prunes(district: District) -> None:
    lars = district.coordinator
    lars.retention.rules.set(
        {"closing_reasons": {r.value: 12 for r in ClosingReason}, "audit_months": 24},
        district.approval(),
    )
    assert lars.audit_pruning.plan(LATER).entries == 0
    assert lars.audit_pruning.plan(add_months(TODAY, 25)).entries > 0
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    dorte = district.enrol("dorte", "Dorte DPO", "Aarhus Kommune", Role.DPO)
    with pytest.raises(AccessDenied):
        mette.audit_pruning.plan(LATER)
    assert dorte.audit_pruning.plan(add_months(TODAY, 25)).entries > 0  # the DPO may look
    with pytest.raises(AccessDenied):
        dorte.audit_pruning.prune(add_months(TODAY, 25))


def test_a_changed_summary_breaks_the_verification(district: District) -> None:
    lars = district.coordinator
    _work(lars)
    pruned = lars.audit_pruning.prune(LATER)

    def fewer(c: Connection) -> None:
        c.execute(update(AuditPruningRow).values(entries=pruned.entries - 1, first_seq=2))

    tamper(district.url, fewer)
    result = lars.audit.verify()
    assert not result.ok
    assert "summary of pruned entries" in (result.problem or "")


def test_a_summary_forged_by_a_member_breaks_the_verification(district: District) -> None:
    """A member with write access to the database and her own signing key tries to cut her
    reads out of the log behind a summary of her own."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    _work(lars)
    mette.cases.list()
    last = _count(district, AuditEntryRow)

    def forge(c: Connection) -> None:
        head, at = c.execute(
            select(AuditEntryRow.entry_hash, AuditEntryRow.at).where(AuditEntryRow.seq == last)
        ).one()
        row = AuditPruningRow(
            last_seq=last,
            first_seq=1,
            entries=last,
            head_hash=head,
            first_at=at,
            last_at=at,
            pruned_at=at,
            pruned_by=mette.member.id,
            signature=b"",
        )
        row.signature = mette.keyring.user_keys.sign(
            audit_prunings.pruning_statement(mette.vault.vault_id, row)
        )
        c.execute(delete(AuditEntryRow))
        c.execute(
            AuditPruningRow.__table__.insert().values(
                {col.name: getattr(row, col.key) for col in AuditPruningRow.__table__.columns}
            )
        )

    tamper(district.url, forge)
    result = lars.audit.verify()
    assert not result.ok
    assert "not signed by a coordinator" in (result.problem or "")


def test_a_log_that_does_not_verify_is_not_pruned(district: District) -> None:
    lars = district.coordinator
    _work(lars)
    before = _count(district, AuditEntryRow)
    tamper(
        district.url,
        lambda c: c.execute(
            update(AuditEntryRow)
            .where(AuditEntryRow.seq == 2)
            .values(at="2020-01-01T00:00:00.000000Z")
        ),
    )
    with pytest.raises(TamperedData) as caught:
        lars.audit_pruning.prune(LATER)
    assert "beskæres ikke" in caught.value.message("da")
    assert _count(district, AuditPruningRow) == 0
    assert _count(district, AuditEntryRow) > before  # the verification's own entry, nothing gone
