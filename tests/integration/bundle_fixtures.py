"""Two vaults that pinned each other's bundle keys, a referral ready to send, and a probe
that proves a refused import changed nothing but one audit entry."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.referrals import Referral
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.services.retention.approval import Approval
from infohus_desktop.vault.models import METADATA
from infohus_desktop.vault.schema import AuditCheckpointRow, AuditEntryRow, AuditSessionRow
from tests.integration.audit_reading import actions_since
from tests.integration.conftest import (
    COORDINATOR_PASS,
    District,
    VaultTemplate,
    cheap_floor,
    fill_from,
)
from tests.integration.referral_fixtures import ready_draft

#: Sizes of the extra attachments: together more than two 64 KiB bundle chunks.
EXTRA_FILES = {"udtalelse.pdf": 100_000, "skolens-notat.txt": 70_000}
#: The sender's DPO, who approves a handover (four eyes), with the passphrase she chose.
SENDER_APPROVAL = Approval("vibeke", "vibekes egen lange frase")


@dataclass
class Pair:
    """``sender`` (Infohus Nordjylland, SQLite) pinned ``receiver`` (the district under test,
    on either engine) as "EXIT", and the receiver pinned the sender."""

    receiver: MemberServices
    sender: MemberServices
    referral: Referral
    receiver_card: bytes
    receiver_fp: str
    sender_card: bytes
    sender_fp: str
    exit_id: str
    files: dict[str, bytes]


def sender_vault(path: Path) -> MemberServices:
    return Vault.create(
        f"sqlite+pysqlite:///{path}",
        NewVault(
            "Nordjylland", "lars", "Lars Nord", "Nordjyllands Politi", OrgKind.POLICE,
            COORDINATOR_PASS,
        ),
        LocalState(),
    )  # fmt: skip


def _build_sender(url: str, home: Path) -> None:
    with pytest.MonkeyPatch.context() as mp, cheap_floor():
        mp.setenv("INFOHUS_HOME", str(home))
        sender = sender_vault(Path(url.split("///", 1)[1]))
        try:
            sender.groups.add_municipality("Aarhus Kommune", "AAR")
            first = "vibekes første lange frase"
            sender.accounts.add("vibeke", "Vibeke Nord", "Nordjyllands Politi", Role.DPO, first)
            dpo = Vault.open(sender.vault.url, LocalState()).unlock(
                "vibeke", first, sleep=lambda _s: None
            )
            dpo.accounts.change_passphrase(first, SENDER_APPROVAL.passphrase)
            dpo.lock()
            dpo.vault.close()
        finally:
            sender.lock()
            sender.vault.close()


@pytest.fixture
def pair(
    district: District,
    tmp_path: Path,
    infohus_home: Path,
    vault_templates: Callable[[str, str, Callable[[str, Path], None]], VaultTemplate],
    request: pytest.FixtureRequest,
) -> Iterator[Pair]:
    """The sender is a copy of a Nordjylland vault with Aarhus Kommune, made once per test
    process (creating it was most of this fixture's time), unlocked by its coordinator; the
    pinning, the referral and its files are made here, per test, as before."""
    receiver = district.coordinator
    url = f"sqlite+pysqlite:///{tmp_path / 'nord.sqlite'}"
    fill_from(vault_templates("nord", "sqlite", _build_sender), url, infohus_home, request)
    sender = Vault.open(url, LocalState()).unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
    try:
        receiver_card, receiver_fp = receiver.bundles.export_public_key()
        sender_card, sender_fp = sender.bundles.export_public_key()
        receiver.bundles.add_recipient("Infohus Nordjylland", sender_card, sender_fp)
        exit_id = str(sender.bundles.add_recipient("EXIT", receiver_card, receiver_fp).id)
        draft = ready_draft(sender)
        files: dict[str, bytes] = {}
        case = draft.summary.case_number
        for name, size in EXTRA_FILES.items():
            files[name] = os.urandom(size)
            sender.attachments.add(case, name, io.BytesIO(files[name]))
        yield Pair(
            receiver, sender, draft, receiver_card, receiver_fp, sender_card, sender_fp,
            exit_id, files,
        )  # fmt: skip
    finally:
        sender.lock()
        sender.vault.close()


def all_attachment_ids(session: MemberServices, referral: Referral) -> list[str]:
    return [str(a.id) for a in session.cases.show(referral.summary.case_number).attachments]


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    head_seq: int
    head_hash: str


def snapshot(session: MemberServices) -> Snapshot:
    with session.vault.uow() as s:
        counts = {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in METADATA.sorted_tables
        }
        head = s.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).one()
        return Snapshot(counts, head.seq, head.entry_hash)


def assert_only_one_rejection(session: MemberServices, before: Snapshot, what: str) -> Snapshot:
    """Every table as before, but for ONE new audit entry ``bundle.import.rejected`` chained
    onto the old head (and the checkpoint the log signs at every 100th entry)."""
    after = snapshot(session)
    expected = dict(before.counts)
    expected[AuditEntryRow.__tablename__] += 1
    # A rejection before anyone unlocked on this session would need a writer of its own;
    # a session that already wrote uses its writer.
    expected[AuditSessionRow.__tablename__] = after.counts[AuditSessionRow.__tablename__]
    if after.head_seq % 100 == 0:
        expected[AuditCheckpointRow.__tablename__] += 1
    assert after.counts == expected, what
    assert after.head_seq == before.head_seq + 1, what
    with session.vault.uow() as s:
        entry = s.get(AuditEntryRow, after.head_seq)
        assert entry is not None
        assert entry.prev_hash == before.head_hash, what
    assert actions_since(session, before.head_seq) == ["bundle.import.rejected"], what
    return after
