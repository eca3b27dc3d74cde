"""`infohus vault info` as a person reads it: each state in words with what to do, in Danish
by default and in English, and a workstation that trusts another root key warned loudly."""

from __future__ import annotations

import pytest

from infohus_desktop.cli.vault_info_text import VaultFacts, vault_info_lines
from infohus_desktop.services.accounts.unlock_guard import GuardState, GuardStatus

ROOT = "AA84 39EB 55F3 58EA 05F9 95E9 9B47 4858"
OTHER = "1111 2222 3333 4444 5555 6666 7777 8888"


def _facts(**changes: object) -> VaultFacts:
    facts: dict[str, object] = {
        "vault_id": "9e05d774-c2b0-4388-9183-0dbe4cc89fea",
        "infohus": "Østjylland",
        "location": "postgresql://infohus@db.example/infohus",
        "root_fingerprint": ROOT,
        "pinned_fingerprint": ROOT,
        "guard": GuardStatus(GuardState.ACTIVE),
        "upgrade_due": False,
        "format": 4,
        "format_due": False,
    }
    return VaultFacts(**{**facts, **changes})  # type: ignore[arg-type]


def test_an_older_vault_on_a_server_with_an_unsound_guard() -> None:
    guard = GuardStatus(
        GuardState.UNSOUND,
        "the application role is a superuser",
        "programmets rolle er superbruger",
    )
    lines = vault_info_lines(_facts(guard=guard, upgrade_due=True, format=3, format_due=True))
    assert lines[5] == (
        "Beskyttelse mod gætteforsøg:  installeret, men den kan omgås (programmets rolle er "
        "superbruger): serveradministratoren må rette det"
    )
    assert lines[6] == (
        "Skema:                        skal opgraderes: en koordinator kører "
        "'infohus vault upgrade'"
    )
    assert lines[7].startswith("Format:                       3: rodkoordinatorens 'infohus")
    assert lines[7].endswith("hæver det til 4")


def test_another_root_trusted_here_is_a_warning() -> None:
    lines = vault_info_lines(_facts(pinned_fingerprint=OTHER))
    assert lines[3] == f"Rodnøgle:                     {ROOT}"
    assert lines[4].strip().startswith("ADVARSEL") and OTHER in lines[4]


def test_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOHUS_LANG", "en")
    lines = vault_info_lines(_facts())
    assert lines == [
        "Infohus:                      Østjylland",
        "Vault id:                     9e05d774-c2b0-4388-9183-0dbe4cc89fea",
        "Location:                     postgresql://infohus@db.example/infohus",
        f"Root key:                     {ROOT}",
        "                              trusted on this workstation",
        "Protection against guessing:  active: the server counts wrong passphrases",
        "Schema:                       up to date",
        "Format:                       4",
    ]
