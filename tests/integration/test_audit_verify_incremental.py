"""`audit verify --new-only` reads only what is new since this workstation's last good
verification; `audit verify` reads everything. What each finds (SQLite and PostgreSQL):

- a log rewritten before the mark and chained anew: the mark's hash no longer matches, the
  whole log is walked and the rewrite named;
- a row edited in place with its old hash left standing: only the full walk recomputes the
  hashes and finds it (SECURITY.md §6 says so);
- a mark not signed by a member of the vault is ignored.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Connection, delete, insert, select, update

from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.audit.verified_mark import VerifiedMark, mark_path, save
from infohus_desktop.vault.schema import (
    AuditCheckpointRow,
    AuditEntryRow,
    GroupMembershipRow,
    GroupRow,
)
from tests.integration.conftest import District
from tests.integration.sql_tamper import tamper


def test_new_only_reads_only_what_is_new_and_the_default_reads_all(district: District) -> None:
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    first = lars.audit.verify(new_only=True)  # no mark yet: the whole log
    assert first.ok and first.verified_from is None
    for _ in range(4):
        mette.cases.list()
    again = lars.audit.verify(new_only=True)
    assert again.ok and again.verified_from == first.head_seq
    # mette's four reads, lars's audit.verify entry after the first walk, nothing more
    assert again.entries == again.head_seq - first.head_seq == 5
    assert again.signatures_checked == 5
    full = lars.audit.verify()
    assert full.ok and full.verified_from is None and full.entries == full.head_seq


def test_a_rewrite_before_the_mark_is_found_and_an_edit_in_place_needs_the_full_walk(
    district: District,
) -> None:
    lars = district.coordinator
    mark = lars.audit.verify()
    lars.cases.list()

    def edit_in_place(c: Connection) -> None:
        c.execute(update(AuditEntryRow).where(AuditEntryRow.seq == 2).values(body=b"x" * 80))

    tamper(district.url, edit_in_place)
    routine = lars.audit.verify(new_only=True)
    assert routine.ok and routine.verified_from == mark.head_seq  # not read again
    full = lars.audit.verify()
    assert not full.ok and full.first_bad_seq == 2

    def rechain_at_the_mark(c: Connection) -> None:
        c.execute(
            update(AuditEntryRow)
            .where(AuditEntryRow.seq == routine.head_seq)  # where the last good check ended
            .values(entry_hash="0" * 64)
        )

    tamper(district.url, rechain_at_the_mark)
    found = lars.audit.verify(new_only=True)
    assert not found.ok and found.verified_from is None  # the mark no longer matched


def test_a_mark_not_signed_by_a_member_is_ignored(district: District) -> None:
    lars = district.coordinator
    lars.audit.verify()
    path = mark_path(lars)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["seq"] = raw["seq"] + 1000  # claims more than was verified
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = lars.audit.verify(new_only=True)
    assert result.ok and result.verified_from is None


def test_a_mark_a_crash_left_empty_or_old_costs_only_a_longer_walk(district: District) -> None:
    """The mark is written without fsync (it only saves work): after a crash it may be empty
    or an older one, and the routine check must then walk more, never fail or skip."""
    lars = district.coordinator
    first = lars.audit.verify()
    older = mark_path(lars).read_bytes()
    lars.cases.list()
    lars.audit.verify(new_only=True)
    mark_path(lars).write_bytes(b"")  # the rename landed, the data did not
    empty = lars.audit.verify(new_only=True)
    assert empty.ok and empty.verified_from is None and empty.entries == empty.head_seq
    mark_path(lars).write_bytes(older)  # the previous mark survived instead
    old = lars.audit.verify(new_only=True)
    assert old.ok and old.verified_from == first.head_seq


def test_a_log_cut_short_below_the_mark_fails_the_routine_check_too(district: District) -> None:
    """The mark no longer holds when its entry is gone: the routine check then walks the
    whole log and holds the workstation's checkpoint file against it, all of it (found in
    review: the file's older checkpoints had been left out before the mark was tested)."""
    lars = district.coordinator
    for _ in range(130):
        lars.cases.list()
    mark = lars.audit.verify()
    assert mark.ok and mark.head_seq > 100  # the file holds a checkpoint at 100

    def cut_at_90(c: Connection) -> None:
        c.execute(delete(AuditEntryRow).where(AuditEntryRow.seq > 90))
        c.execute(delete(AuditCheckpointRow).where(AuditCheckpointRow.seq > 90))

    tamper(district.url, cut_at_90)
    routine = lars.audit.verify(new_only=True)
    assert not routine.ok and routine.verified_from is None
    assert routine.problem is not None and "checkpoint" in routine.problem


def test_another_members_mark_counts_only_when_the_audit_group_made_it(
    district: District,
) -> None:
    """Members share the workstation's mark. A member's routine check trusts the mark of a
    coordinator or the DPO (who checked every signature too), but not that of another
    member, who may have signed any head they liked; their own mark, they trust."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    jens = district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    lars.audit.verify()
    by_lars = mette.audit.verify(new_only=True)
    assert by_lars.ok and by_lars.verified_from is not None  # the audit group's word
    by_mette = jens.audit.verify(new_only=True)
    assert by_mette.ok and by_mette.verified_from is None  # another member's: the whole log
    own = jens.audit.verify(new_only=True)
    assert own.ok and own.verified_from == by_mette.head_seq  # their own


def test_a_membership_row_written_into_the_database_does_not_make_a_mark_count(
    district: District,
) -> None:
    """A member who can write the database puts themselves into the audit group with a row
    of their own making, and signs a mark "every signature checked" for a head they never
    checked (a changed program can sign anything with the member's own key). The group's
    signatures do not vouch for the row, so the next member still walks the whole log; and
    the forger's own check, which the row would have sent for the audit group's key they do
    not hold, checks the chain as before."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    jens = district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    coordinator = district.coordinator.member.id

    def forge(c: Connection) -> None:
        audit = c.scalar(select(GroupRow.id).where(GroupRow.kind == GroupKind.AUDIT))
        row = c.execute(
            select(GroupMembershipRow.epoch, GroupMembershipRow.added_at).where(
                GroupMembershipRow.group_id == audit
            )
        ).first()
        assert row is not None
        c.execute(
            insert(GroupMembershipRow).values(
                group_id=audit,
                member_id=mette.member.id,
                added_at=row.added_at,
                added_by=coordinator,
                epoch=row.epoch,
                signature=b"\x00" * 64,
            )
        )

    tamper(district.url, forge)
    checked = mette.audit.verify()
    assert checked.ok
    save(mette, VerifiedMark(checked.head_seq, checked.head_hash, signatures=True))
    by_mette = jens.audit.verify(new_only=True)
    assert by_mette.ok and by_mette.verified_from is None


def test_a_full_disk_for_the_checkpoint_file_loses_no_saved_change(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vault on one disk, the workstation's files on a full one: the change is saved,
    and says so (before, the checkpoint line's error came out of the commit as a crash, and
    the user made the change again); the line comes with a later transaction."""
    from infohus_desktop.vault import checkpoint_file

    lars = district.coordinator
    real = checkpoint_file.append_checkpoint_line

    def full(_path: object, _line: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint_file, "append_checkpoint_line", full)
    with lars.transaction() as db:
        for i in range(300):  # enough entries for a checkpoint
            lars.record(db, "case.read", f"case-{i}")
    assert lars.audit.list(limit=1)  # the session goes on
    monkeypatch.setattr(checkpoint_file, "append_checkpoint_line", real)
    lars.lock()
    district.sessions.pop("lars", None)
    assert district.unlock("lars").audit.verify().ok
