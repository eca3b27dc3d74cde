"""``infohus case list`` as a whole process loads what listing needs and nothing the other
commands need (issue 17): no migration tool, no PDF, calendar, fake-data or password-strength
library, and none of the other case commands' services. Checked on ``sys.modules`` of a fresh
interpreter that really unlocked and listed, never on time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import TEST_FLOOR, District, built_district
from tests.unit.test_startup_imports import FEATURE_LIBRARIES, modules_after

#: Loaded by other commands only; each one here is a regression if ``case list`` loads it.
NOT_FOR_A_LIST = (
    *FEATURE_LIBRARIES,
    "infohus_desktop.services.cases.records",
    "infohus_desktop.services.retention.deletion",
    "infohus_desktop.services.meetings",
    "infohus_desktop.services.referrals",
    "infohus_desktop.services.statistics",
    "infohus_desktop.services.trends",
    "infohus_desktop.cli.bundle_commands",
    "infohus_desktop.cli.incoming_commands",
    # An SQLite vault needs no PostgreSQL dialect (its drivers' modules and asyncio).
    "sqlalchemy.dialects.postgresql",
)


@pytest.fixture
def sqlite_district(sqlite_url: str, cheap_kdf: None) -> Iterator[District]:
    with built_district(sqlite_url) as d:
        yield d


def test_case_list_loads_only_what_listing_needs(sqlite_district: District, tmp_path: Path) -> None:
    secret = tmp_path / "lars.passphrase"
    secret.write_text(sqlite_district.passphrases["lars"] + "\n", encoding="utf-8")
    secret.chmod(0o600)
    vault = sqlite_district.url.removeprefix("sqlite+pysqlite:///")
    code = (
        # The district's cheap KDF floor, without importing the test helpers (Faker).
        "from infohus_desktop.crypto import kdf\n"
        f"kdf._set_floor_for_tests(kdf.{TEST_FLOOR!r})\n"
        "from infohus_desktop.cli import main\n"
        f"code = main(['case', 'list', '--vault', {vault!r}, '--user', 'lars',"
        f" '--passphrase-file', {str(secret)!r}])\n"
        "print('EXIT', code)"
    )
    loaded, printed = modules_after(code)
    assert printed.splitlines()[-1] == "EXIT 0"  # it unlocked and listed
    assert "infohus_desktop.services.cases.summary_index" in loaded
    unwanted = sorted(
        m for m in loaded for name in NOT_FOR_A_LIST if m == name or m.startswith(name + ".")
    )
    assert unwanted == []
