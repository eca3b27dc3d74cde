"""The unlock screen's light read (vault/peek.py, ui/vault_door.py, issue 17): it shows what
the services would show, answers only for a vault they would open as it is, and loads none of
them; the full open behind it does not load Alembic or the feature libraries either."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.ui.vault_door import VaultDoor
from infohus_desktop.vault import migrate
from infohus_desktop.vault.peek import peek_sqlite
from infohus_desktop.vault.revisions import packaged_head
from infohus_desktop.vault.urls import url_for_path
from tests.integration.conftest import District, built_district
from tests.unit.test_startup_imports import FEATURE_LIBRARIES, loaded_after


@pytest.fixture
def sqlite_district(sqlite_url: str, cheap_kdf: None) -> Iterator[District]:
    with built_district(sqlite_url) as d:
        d.coordinator.accounts.add(
            "mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, d.passphrases["mette"]
        )
        d.coordinator.accounts.add(
            "jens", "Jens Dal", "Randers Kommune", Role.MEMBER, d.passphrases["jens"]
        )
        d.coordinator.accounts.remove("jens")
        yield d


def test_the_packaged_head_is_alembics() -> None:
    assert packaged_head() == migrate.head_revision()


def test_the_peek_shows_what_the_vault_shows(sqlite_district: District) -> None:
    vault = sqlite_district.open()
    peek = peek_sqlite(sqlite_district.url)
    assert peek is not None
    assert peek.logins == vault.logins() == ["lars", "mette"]  # active members, in order
    assert (peek.infohus_name, peek.location) == (vault.infohus_name, vault.location)


def test_the_door_lists_the_peek_once_then_asks_the_vault(sqlite_district: District) -> None:
    door = VaultDoor.at(sqlite_district.url, LocalState())
    assert door.vault is None and door.infohus_name == "Østjylland"
    assert door.logins() == ["lars", "mette"]
    sqlite_district.coordinator.accounts.add(
        "gitte", "Gitte Ege", "Aarhus Kommune", Role.MEMBER, sqlite_district.passphrases["gitte"]
    )
    try:
        assert door.logins() == ["gitte", "lars", "mette"]  # after a lock: the vault's own
        assert door.vault is not None
    finally:
        door.close()


def test_a_vault_behind_the_packaged_head_is_opened_the_full_way(
    sqlite_district: District,
) -> None:
    path = Path(sqlite_district.url.split("///", 1)[1])
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert peek_sqlite(sqlite_district.url) is None


def test_no_peek_at_what_is_not_a_vault(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    assert peek_sqlite(url_for_path(missing)) is None
    assert not missing.exists()  # never created
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert peek_sqlite(url_for_path(other)) is None
    text = tmp_path / "text.sqlite"
    text.write_text("not a database")
    assert peek_sqlite(url_for_path(text)) is None
    assert peek_sqlite("postgresql+psycopg://someone@localhost/vault") is None


def test_listing_the_members_loads_no_service(sqlite_district: District) -> None:
    code = (
        "from infohus_desktop.local_state import LocalState\n"
        "from infohus_desktop.ui.vault_door import VaultDoor\n"
        f"door = VaultDoor.at({sqlite_district.url!r}, LocalState())\n"
        "assert door.vault is None and door.logins() == ['lars', 'mette']"
    )
    assert loaded_after(code) == []


def test_opening_the_vault_loads_no_feature_library(sqlite_district: District) -> None:
    code = (
        "from infohus_desktop.local_state import LocalState\n"
        "from infohus_desktop.services.front_door import Vault\n"
        f"Vault.open({sqlite_district.url!r}, LocalState()).close()"
    )
    assert loaded_after(code, FEATURE_LIBRARIES) == []


def test_unlocking_loads_no_alembic(sqlite_district: District) -> None:
    # Every unlock brings the workstation's deletion register up to date through the backup
    # service; the restore side of that service, and Alembic with it, must stay unloaded.
    passphrase = sqlite_district.passphrases["lars"]
    code = (
        "from infohus_desktop.crypto import kdf\n"
        "from tests.integration.conftest import TEST_FLOOR\n"
        "kdf._set_floor_for_tests(TEST_FLOOR)\n"
        "from infohus_desktop.local_state import LocalState\n"
        "from infohus_desktop.services.front_door import Vault\n"
        f"vault = Vault.open({sqlite_district.url!r}, LocalState())\n"
        f"vault.unlock('lars', {passphrase!r}).lock()\n"
        "vault.close()"
    )
    assert "alembic" not in loaded_after(code)
