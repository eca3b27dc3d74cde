"""The wait before the next unlock attempt grows with the failures in a row, to a minute;
a count nobody's typing could reach (written into the database) is a minute too, not a
program error."""

from __future__ import annotations

from infohus_desktop.services.accounts.vault import MAX_DELAY_SECONDS, unlock_delay


def test_the_wait_doubles_after_five_failures_and_stops_at_a_minute() -> None:
    assert [unlock_delay(n) for n in range(0, 12)] == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60]
    assert unlock_delay(1030) == unlock_delay(10**9) == MAX_DELAY_SECONDS
