"""A vault older than this workstation last saw is refused at unlock, on SQLite and
PostgreSQL, until a coordinator accepts the restore (audited)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, update

from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts import rollback
from infohus_desktop.services.accounts.rollback import VaultRolledBack
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.schema import AuditCheckpointRow, AuditEntryRow
from tests.integration.audit_reading import opened_since
from tests.integration.conftest import District
from tests.integration.test_cli_cases import CaseCli, refused
from tests.integration.test_cli_cases import cli as cli  # the fixture


def _seen(district: District) -> tuple[int, str]:
    vault_id = district.coordinator.vault.vault_id
    seen = rollback.last_seen(LocalState().checkpoint_file(vault_id), vault_id)
    assert seen is not None, "a lock writes a checkpoint line"
    return seen


def _put_back_older_copy(district: District, before_seq: int) -> None:
    """What an older copy of the vault looks like to the audit log: its entries and
    checkpoints end before ``before_seq``."""
    engine = create_vault_engine(district.url)
    with engine.begin() as c:
        c.execute(delete(AuditCheckpointRow).where(AuditCheckpointRow.seq >= before_seq))
        c.execute(delete(AuditEntryRow).where(AuditEntryRow.seq >= before_seq))
    engine.dispose()


@pytest.fixture
def seen_district(district: District) -> District:
    """A district where mette worked and this workstation signed the head at her lock."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.lock()
    return district


def test_an_older_copy_is_refused_at_unlock_with_the_reason(seen_district: District) -> None:
    seq, _ = _seen(seen_district)
    _put_back_older_copy(seen_district, seq)
    with pytest.raises(VaultRolledBack) as caught:
        seen_district.unlock("mette")
    assert caught.value.exit_code == 7
    da = caught.value.message("da")
    assert da.startswith("Boksen er ældre end sidst set på denne computer")
    assert f"post {seq}" in da and "infohus vault accept-restore" in da
    assert caught.value.message("en").startswith("The vault is older than last seen")


def test_a_rewritten_log_is_refused_at_unlock(seen_district: District) -> None:
    seq, _ = _seen(seen_district)
    engine = create_vault_engine(seen_district.url)
    with engine.begin() as c:
        c.execute(update(AuditEntryRow).where(AuditEntryRow.seq == seq).values(entry_hash="0" * 64))
    engine.dispose()
    with pytest.raises(VaultRolledBack) as caught:
        seen_district.unlock("lars")
    assert caught.value.finding.diverged
    assert "passer ikke med det, denne computer sidst så" in caught.value.message("da")


def test_only_a_coordinator_accepts_the_restore_and_it_is_audited(
    seen_district: District,
) -> None:
    seq, _ = _seen(seen_district)
    vault_id = seen_district.coordinator.vault.vault_id
    home_file = LocalState().checkpoint_file(vault_id)
    _put_back_older_copy(seen_district, seq)
    vault = seen_district.open()
    with pytest.raises(AccessDenied):
        vault.unlock(
            "mette", seen_district.passphrases["mette"], lambda _s: None, accept_restore=True
        )
    lars = vault.unlock(
        "lars", seen_district.passphrases["lars"], lambda _s: None, accept_restore=True
    )
    assert vault.accepted_restore is not None and vault.accepted_restore.seen_seq == seq
    kept = list(home_file.parent.glob(f"{home_file.name}.before-restore-*"))
    assert len(kept) == 1, "the old checkpoint file is kept for the DPO"
    actions = [(b.action, b.detail) for _, b in opened_since(lars)]
    assert any(
        a == "vault.restore_accepted" and d is not None and f"seen={seq}" in d for a, d in actions
    )
    lars.lock()
    # From now on the restored vault is what this workstation has seen: members unlock.
    assert seen_district.unlock("mette").member.login == "mette"


def test_a_vault_as_seen_passes_also_after_more_work(seen_district: District) -> None:
    lars = seen_district.unlock("lars")
    for _ in range(3):
        lars.cases.list()
    lars.lock()
    vault = seen_district.open()
    with vault.uow() as session:
        assert rollback.find_rollback(session, LocalState(), vault.vault_id) is None
    assert seen_district.unlock("mette").member.login == "mette"


def test_a_checkpoint_file_of_another_vault_is_ignored() -> None:
    path = LocalState().checkpoint_file(uuid.uuid4())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"vault": "other", "seq": 5, "head": "x"}\nnot json\n', encoding="utf-8")
    assert rollback.last_seen(path, uuid.uuid4()) is None


def test_the_cli_refuses_with_exit_7_and_a_coordinator_accepts(cli: CaseCli) -> None:
    vault_id = uuid.UUID(cli.run("vault", "info", "--json", *cli.where).json()["vault_id"])
    seen = rollback.last_seen(LocalState().checkpoint_file(vault_id), vault_id)
    assert seen is not None
    engine = create_vault_engine(cli.url)
    with engine.begin() as c:
        c.execute(delete(AuditCheckpointRow).where(AuditCheckpointRow.seq >= seen[0]))
        c.execute(delete(AuditEntryRow).where(AuditEntryRow.seq >= seen[0]))
    engine.dispose()
    refused(cli.as_("mette", "case", "list"), 7, "Boksen er ældre end sidst set")
    refused(cli.as_("mette", "vault", "accept-restore"), 4, "Kun en koordinator")
    accepted = cli.as_("lars", "vault", "accept-restore")
    assert accepted.code == 0 and "Genskabelsen er godkendt" in accepted.out, accepted
    assert cli.as_("mette", "case", "list", "--json").json() == []
    again = cli.as_("lars", "vault", "accept-restore")
    assert "intet at godkende" in again.out
