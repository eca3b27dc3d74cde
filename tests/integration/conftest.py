"""Fixtures for service-level tests: a fresh vault per test with cheap key derivation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import MemberServices, Vault

#: Cheap, test-only Argon2id cost. Production code never lowers the floor.
TEST_FLOOR = kdf.KdfParams(memory_kib=64, iterations=1, lanes=1)

COORDINATOR_PASS = "blåbærgrød med flødeskum"
INITIAL_PASSPHRASES = {
    "lars": COORDINATOR_PASS,
    "mette": "mettes første lange frase",
    "jens": "jens første lange frase",
    "gitte": "gittes første lange frase",
    "dorte": "dortes første lange frase",
    "karl": "karls første lange frase",
}


@pytest.fixture
def cheap_kdf() -> Iterator[None]:
    kdf._set_floor_for_tests(TEST_FLOOR)
    yield
    kdf._set_floor_for_tests(kdf.PRODUCTION_FLOOR)


@dataclass
class District:
    """A small district: police coordinator lars, Aarhus and Randers, and members."""

    url: str
    coordinator: MemberServices
    sessions: dict[str, MemberServices] = field(default_factory=dict)
    passphrases: dict[str, str] = field(default_factory=lambda: dict(INITIAL_PASSPHRASES))
    opened: list[Vault] = field(default_factory=list)

    def open(self) -> Vault:
        """A fresh handle on the vault, as another process would have; closed at teardown."""
        vault = Vault.open(self.url, LocalState())
        self.opened.append(vault)
        return vault

    def close(self) -> None:
        for vault in [self.coordinator.vault, *self.opened]:
            vault.close()

    def unlock(self, login: str, passphrase: str | None = None) -> MemberServices:
        session = self.open().unlock(
            login, passphrase or self.passphrases[login], sleep=lambda _s: None
        )
        self.sessions[login] = session
        return session

    def enrol(
        self, login: str, name: str, org: str, role: Role, kind: OrgKind | None = None
    ) -> MemberServices:
        """Enrol and do the first unlock with the passphrase change, as the member would."""
        first = self.passphrases[login]
        self.coordinator.accounts.add(login, name, org, role, first, kind)
        session = self.unlock(login)
        session.accounts.change_passphrase(first, first + " ny")
        self.passphrases[login] = first + " ny"
        return session


def new_vault(url: str, coordinator_name: str = "Lars Holm Sørensen") -> MemberServices:
    return Vault.create(
        url,
        NewVault(
            "Østjylland", "lars", coordinator_name, "police", OrgKind.POLICE, COORDINATOR_PASS
        ),
        LocalState(),
    )


@pytest.fixture
def district(db_url: str, cheap_kdf: None) -> Iterator[District]:
    coordinator = new_vault(db_url)
    coordinator.groups.add_municipality("Aarhus Kommune", "AAR")
    coordinator.groups.add_municipality("Randers Kommune", "RAN")
    d = District(db_url, coordinator)
    yield d
    for session in [coordinator, *d.sessions.values()]:
        session.lock()
    d.close()
