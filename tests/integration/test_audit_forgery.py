"""Someone who can write the database (a server operator, a copied laptop file) attacks the
audit log as the independent review did, with plain SQL and the product's own recipes.
Every entry is signed by its actor, so the forgery is found at the forged entry, even on a
workstation that holds no checkpoint lines of its own."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.keys import UserKeyPair
from infohus_desktop.domain.audit import AuditVerification
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_sealing import AuditBody, AuditWriter
from infohus_desktop.vault.audit_walk import COLUMNS, canonical_reference
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.schema import (
    AuditCheckpointRow,
    AuditEntryRow,
    GroupEpochRow,
    GroupRow,
    MemberRow,
)
from tests.integration.conftest import District


@pytest.fixture
def logged(district: District) -> tuple[District, MemberServices]:
    """Mette has read some cases; the log has a few hundred entries and checkpoints."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for round_ in range(3):
        with mette.transaction() as db:
            for i in range(60):
                mette.record(db, "case.read", f"case-{round_}-{i}", detail=f"runde {round_}")
    mette.lock()
    district.sessions.pop("mette")
    return district, mette


def _with_db(url: str, change: Callable[[Session], None]) -> None:
    engine = create_vault_engine(url)
    try:
        with Session(engine) as session, session.begin():
            change(session)
    finally:
        engine.dispose()


def _attacker_writer(session: Session, vault_id: uuid.UUID) -> AuditWriter:
    """The audit group's public key is in clear: anyone can seal a body to it."""
    audit = session.scalars(select(GroupRow).where(GroupRow.kind == GroupKind.AUDIT)).one()
    epoch = session.get(GroupEpochRow, (audit.id, audit.epoch))
    assert epoch is not None and epoch.public_key is not None
    return AuditWriter(vault_id, epoch.epoch, bytes(epoch.public_key))


def _mette_id(session: Session) -> uuid.UUID:
    return session.scalars(select(MemberRow.id).where(MemberRow.login == "mette")).one()


def _forged_body(session: Session, action: str = "case.read") -> AuditBody:
    return AuditBody(
        actor_id=_mette_id(session),
        actor_login="mette",
        organisation_id=None,
        workstation="mettes-pc",
        action=action,
        object_id="AAR-2026-0002",
        purpose="sagsbehandling",
        detail=None,
    )


def _verify_as(
    district: District, login: str, local: LocalState | None = None
) -> AuditVerification:
    if local is None:
        session = district.unlock(login)
    else:
        vault = Vault.open(district.url, local)
        district.opened.append(vault)
        vault.trust_root(vault.root_fingerprint())
        session = vault.unlock(login, district.passphrases[login], sleep=lambda _s: None)
    try:
        return session.audit.verify()
    finally:
        session.lock()


@pytest.mark.parametrize("signed_by", ["nobody", "an outsider's key"])
def test_an_entry_appended_in_a_members_name_is_found_and_shown_as_forged(
    logged: tuple[District, MemberServices], signed_by: str
) -> None:
    district, mette = logged
    vault_id = mette.vault.vault_id
    forged: list[int] = []

    def append(session: Session) -> None:
        sign = None if signed_by == "nobody" else UserKeyPair.generate().sign
        row = audit_chain.append(
            session,
            vault_id,
            audit_chain.NewEntry(_forged_body(session), _attacker_writer(session, vault_id), sign),
        )
        forged.append(row.seq)

    _with_db(district.url, append)
    result = _verify_as(district, "lars")
    assert not result.ok
    assert result.first_bad_seq == forged[0]
    lars = district.unlock("lars")
    shown = next(e for e in lars.audit.list(limit=20) if e.seq == forged[0])
    assert (shown.actor_login, shown.action, shown.signature_ok) == ("mette", "case.read", False)
    real = next(
        e for e in lars.audit.list(limit=50) if e.actor_login == "mette" and e.seq < forged[0]
    )
    assert real.signature_ok is True


def test_an_unsigned_old_format_entry_appended_after_the_signed_ones_is_found(
    logged: tuple[District, MemberServices],
) -> None:
    """The forger writes the old, unsigned form of an entry (as vaults made before entries
    were signed hold at their start), in Mette's name, chained with the product's own
    recipe. No signature is asked of such an entry, but none comes after a signed one:
    the audit group's check, a member's chain check and the list all name it."""
    district, _ = logged
    forged: list[int] = []

    def append(session: Session) -> None:
        c = session.connection()
        last = c.execute(
            select(AuditEntryRow.seq, AuditEntryRow.entry_hash, AuditEntryRow.at)
            .order_by(AuditEntryRow.seq.desc())
            .limit(1)
        ).one()
        row: dict[str, object] = dict.fromkeys(COLUMNS)
        row |= {
            "seq": last.seq + 1,
            "id": str(uuid.uuid4()),
            "at": last.at,
            "prev_hash": last.entry_hash,
            "actor_id": str(_mette_id(session)),
            "actor_login": "mette",
            "workstation": "mettes-pc",
            "action": "case.read",
            "object_id": "AAR-2026-0002",
            "purpose": "sagsbehandling",
        }
        canonical = canonical_reference(tuple(row[k] for k in COLUMNS))
        row["entry_hash"] = hashlib.sha256(last.entry_hash.encode() + canonical).hexdigest()
        c.execute(insert(AuditEntryRow.__table__).values(row))
        forged.append(last.seq + 1)

    _with_db(district.url, append)
    for login in ("lars", "mette"):  # the audit group's walk, and a member's
        result = _verify_as(district, login)
        assert not result.ok and result.first_bad_seq == forged[0], login
        assert result.problem_da is not None and "efter de underskrevne poster" in result.problem_da
    lars = district.unlock("lars")
    shown = next(e for e in lars.audit.list(limit=20) if e.seq == forged[0])
    assert (shown.actor_login, shown.signature_ok) == ("mette", False)


def test_an_old_entry_rewritten_and_rechained_without_checkpoints_is_found_on_a_new_workstation(
    logged: tuple[District, MemberServices], tmp_path: Path
) -> None:
    """The review's second attack: rewrite an old entry, re-chain every later hash, delete
    the database's checkpoints; then verify where no checkpoint file vouches for anything."""
    district, mette = logged
    vault_id = mette.vault.vault_id
    target: list[int] = []

    def rewrite(session: Session) -> None:
        mettes = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all()
        row = mettes[len(mettes) // 2]
        target.append(row.seq)
        writer = _attacker_writer(session, vault_id)
        writer.ensure_row(session)
        row.session_id = writer.id
        row.body = writer.seal(vault_id, row.id, _forged_body(session, "case.disclose"))
        prev = row.prev_hash
        for later in mettes[mettes.index(row) :]:
            later.prev_hash = prev
            later.entry_hash = audit_chain.entry_hash(prev, later)
            prev = later.entry_hash
        session.execute(delete(AuditCheckpointRow))

    _with_db(district.url, rewrite)
    fresh = LocalState(tmp_path / "second-workstation")
    result = _verify_as(district, "lars", fresh)
    assert not result.ok
    assert result.first_bad_seq == target[0]
    assert result.problem is not None and "not signed by the member it names" in result.problem


def test_a_flipped_byte_in_a_body_is_found_and_listed_as_unreadable(
    logged: tuple[District, MemberServices],
) -> None:
    district, _ = logged
    seqs: list[int] = []

    def flip(session: Session) -> None:
        row = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc())).first()
        assert row is not None and row.body is not None
        body = bytearray(row.body)
        body[-1] ^= 1
        row.body = bytes(body)
        seqs.append(row.seq)

    _with_db(district.url, flip)
    lars = district.unlock("lars")
    entry = next(e for e in lars.audit.list(limit=10) if e.seq == seqs[0])
    assert entry.signature_ok is False
    assert entry.detail is not None and "kan ikke læses" in entry.detail
    result = lars.audit.verify()
    assert not result.ok and result.first_bad_seq == seqs[0]


def test_a_failed_unlock_is_the_one_unsigned_entry_that_verifies(district: District) -> None:
    from infohus_desktop.domain.errors import WrongPassphrase

    vault = district.open()
    with pytest.raises(WrongPassphrase):
        vault.unlock("lars", "forkert adgangsfrase til boksen", sleep=lambda _s: None)
    lars = district.unlock("lars")
    failed = next(e for e in lars.audit.list(limit=10) if e.action == "login.failed")
    assert (failed.actor_login, failed.signature_ok) == ("lars", True)
    result = lars.audit.verify()
    assert result.ok, result.problem
    assert result.signatures_checked == result.entries - result.legacy_entries


def test_a_member_outside_the_audit_group_verifies_the_chain_but_cannot_read_entries(
    logged: tuple[District, MemberServices],
) -> None:
    district, _ = logged
    result = _verify_as(district, "mette")
    assert result.ok, result.problem
    assert result.signatures_checked is None


def test_the_database_holds_no_action_login_or_object_of_a_new_entry(
    logged: tuple[District, MemberServices],
) -> None:
    district, _ = logged
    engine = create_vault_engine(district.url)
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEntryRow)).mappings().all()
    engine.dispose()
    clear = [
        (r["actor_login"], r["action"], r["object_id"], r["purpose"], r["workstation"])
        for r in rows
    ]
    assert set(clear) == {(None, None, None, None, None)}
    if district.url.startswith("sqlite"):
        database = Path(district.url.split("///", 1)[1])
        raw = b"".join(
            Path(f"{database}{suffix}").read_bytes()
            for suffix in ("", "-wal")
            if Path(f"{database}{suffix}").exists()
        )
        for needle in (b"case.read", b"case-1-7", b"runde 1", b"mettes"):
            assert needle not in raw
