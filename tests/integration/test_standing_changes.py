"""A member a coordinator demotes, resets or removes while they are unlocked on another
workstation: their open unlock does nothing more (not with the role it began with, nor with
anything else), and an unlock again takes the new role. Nobody else is disturbed: the check
costs a statement only when someone wrote since the session's last entry, and it passes for
every member the change did not concern."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from infohus_desktop.domain.errors import AccessDenied, StandingChanged
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def _entries(session: MemberServices) -> int:
    with session.vault.engine.connect() as db:
        return int(db.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)


def test_a_member_made_guest_while_unlocked_is_refused_until_they_unlock_again(
    district: District,
) -> None:
    lars = district.coordinator
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars.groups.add("Delt kreds", ["lars", "mette"])
    shared = lars.cases.open_case(new_case("Delt Person", group="Delt kreds"), True)
    open_unlock = district.unlock("mette")
    assert shared.number in {c.number for c in open_unlock.cases.list()}

    lars.accounts.change_role("mette", Role.GUEST)
    before = _entries(lars)
    with pytest.raises(StandingChanged) as refused:
        open_unlock.cases.edit(shared.number, shared.version, CaseEdit(title="Rettet af gæst"))
    assert refused.value.message("da").startswith("Din rolle eller adgang er ændret")
    assert refused.value.message("en").startswith("Your role or access changed")
    # The refused call left nothing: no edit, and no audit entry of it.
    assert _entries(lars) == before
    assert lars.cases.show(shared.number).title != "Rettet af gæst"
    # Nor does the unlock read anything more, even what the new role may read.
    with pytest.raises(StandingChanged):
        open_unlock.cases.list()
    with pytest.raises(StandingChanged):
        open_unlock.cases.show(shared.number)

    # Locking still audits the lock; then the unlock is locked like any other.
    before = _entries(lars)
    open_unlock.lock()
    assert _entries(lars) == before + 1
    with pytest.raises(AccessDenied) as locked:
        open_unlock.cases.list()
    assert locked.value.message("en") == "The vault is locked."

    # Unlocked again, the member is the guest the coordinator made.
    again = district.unlock("mette")
    assert again.member.role is Role.GUEST
    assert shared.number in {c.number for c in again.cases.list()}
    with pytest.raises(AccessDenied):
        again.cases.edit(shared.number, shared.version, CaseEdit(title="Rettet af gæst"))


def test_a_member_removed_while_unlocked_reads_nothing_more(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Karen Kendt"))
    district.coordinator.accounts.remove("mette")
    with pytest.raises(StandingChanged):
        mette.cases.list()
    with pytest.raises(StandingChanged):
        mette.cases.show(case.number)


def test_a_passphrase_reset_while_unlocked_ends_the_old_unlock(district: District) -> None:
    """The reset gives the member new keys: whoever holds the old unlock (a workstation left
    open, the reason for the reset) does nothing more with it."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Karen Kendt"))
    district.coordinator.accounts.reset_passphrase("mette")
    with pytest.raises(StandingChanged):
        mette.cases.edit(case.number, case.version, CaseEdit(title="Efter nulstilling"))


def test_others_writing_and_others_changed_leave_the_unlock_as_it_was(
    district: District,
) -> None:
    """Another member's role change and other members' work are written between this
    unlock's calls: each call checks again (one statement) and goes on; a call that follows
    this unlock's own last entry checks nothing."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Karen Kendt"))
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(mette.vault.engine, "before_cursor_execute", note)
    try:
        mette.cases.list()
        seen.clear()
        mette.cases.list()  # nobody wrote since mette's last entry
        assert not [s for s in seen if "FROM members" in s], seen

        lars.accounts.change_role("jens", Role.GUEST)
        lars.cases.open_case(new_case("Anden Person"), accept_duplicate=True)
        seen.clear()
        edited = mette.cases.edit(case.number, case.version, CaseEdit(title="Stadig min"))
        assert [s for s in seen if "FROM members" in s], seen  # asked, and allowed
    finally:
        event.remove(mette.vault.engine, "before_cursor_execute", note)
    assert mette.cases.show(case.number).title == "Stadig min"
    assert edited.version == case.version + 1
    assert mette.member.role is Role.MEMBER
