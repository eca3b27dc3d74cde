"""An unlock asks the database the same handful of statements however many groups the
member is in: the key upkeep used to ask six per group (removals, key holders, the signed
list, memberships, removals again, active members) to find, nearly always, nothing to do.
It now reads all groups' removals, memberships and key holders at once and runs the
verified check only where one of them shows work."""

from __future__ import annotations

from sqlalchemy import event, func, select

from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.schema import GroupKeyWrapRow
from tests.integration.conftest import District


def _statements_of_unlock(district: District, login: str) -> int:
    vault = district.open()
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(vault.engine, "before_cursor_execute", count)
    try:
        district.sessions[login] = vault.unlock(
            login, district.passphrases[login], sleep=lambda _s: None
        )
    finally:
        event.remove(vault.engine, "before_cursor_execute", count)
    district.sessions[login].lock()
    return len(seen)


def test_an_unlock_asks_as_much_in_twelve_groups_as_in_four(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    _statements_of_unlock(district, "mette")  # the first unlock of the vault object warms up
    few = _statements_of_unlock(district, "mette")
    for n in range(8):
        district.coordinator.groups.add(f"Arbejdsgruppe {n}", member_logins=["mette"])
    _statements_of_unlock(district, "mette")  # her first unlock in them: nothing waits now
    many = _statements_of_unlock(district, "mette")
    mette = district.sessions["mette"]
    with district.open().uow() as db:
        groups = db.scalar(select(func.count()).where(GroupKeyWrapRow.member_id == mette.member.id))
    assert groups == 12  # four by her role and organisation, eight made for her
    assert district.coordinator.groups.waiting_for_keys() == []
    assert many == few, (few, many)
