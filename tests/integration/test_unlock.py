"""Unlocking: one message for every failure, growing delays, NFKC, initial passphrases."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import PassphraseChangeRequired, WrongPassphrase
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.vault import unlock_delay
from infohus_desktop.vault.schema import MemberRow
from tests.integration.audit_reading import opened_since
from tests.integration.conftest import COORDINATOR_PASS, District


def test_thousand_wrong_passphrases_share_one_message(district: District) -> None:
    vault = district.open()
    messages = set()
    waits: list[float] = []
    for attempt in range(1000):
        with pytest.raises(WrongPassphrase) as caught:
            vault.unlock("lars", f"forkert adgangsfrase nummer {attempt}", sleep=waits.append)
        messages.add(str(caught.value))
    # Unknown logins get the very same message.
    with pytest.raises(WrongPassphrase) as caught:
        vault.unlock("nobody", COORDINATOR_PASS, sleep=waits.append)
    messages.add(str(caught.value))
    assert messages == {str(WrongPassphrase())}

    # The first five are free, then the wait doubles up to the cap.
    assert waits[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(waits) == 60.0
    assert len(waits) == 995

    # The right passphrase still works (after the delay) and resets the counter.
    session = vault.unlock("lars", COORDINATOR_PASS, sleep=waits.append)
    failures = [b for _, b in opened_since(session) if b.action == AuditAction.LOGIN_FAILED]
    assert len(failures) == 1001
    # A login that does not exist is not recorded: it may be a mistyped passphrase.
    assert {f.actor_login for f in failures} == {"lars", "?"}
    session.lock()
    with vault.uow() as db:
        assert db.scalar(select(MemberRow.failed_unlocks).where(MemberRow.login == "lars")) == 0


def test_delay_schedule() -> None:
    assert [unlock_delay(n) for n in range(0, 9)] == [0, 0, 0, 0, 0, 1, 2, 4, 8]
    assert unlock_delay(500) == 60


def test_nfc_and_nfd_passphrases_both_unlock(district: District) -> None:
    nfc = unicodedata.normalize("NFC", COORDINATOR_PASS)
    nfd = unicodedata.normalize("NFD", COORDINATOR_PASS)
    assert nfc != nfd  # the test means something only if the encodings differ
    for variant in (nfc, nfd):
        district.unlock("lars", variant).lock()


def test_initial_passphrase_must_be_changed_first(district: District) -> None:
    district.coordinator.accounts.add(
        "mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, "mettes første lange frase"
    )
    session = district.unlock("mette", "mettes første lange frase")
    assert session.member.must_change_passphrase
    with pytest.raises(PassphraseChangeRequired):
        session.accounts.list()
    session.accounts.change_passphrase("mettes første lange frase", "en ganske anden lang frase")
    assert [m.login for m in session.accounts.list()] == ["lars", "mette"]
    session.lock()
    with pytest.raises(WrongPassphrase):
        district.unlock("mette", "mettes første lange frase")
    district.unlock("mette", "en ganske anden lang frase")


def test_change_passphrase_rechecks_the_current_one(district: District) -> None:
    with pytest.raises(WrongPassphrase):
        district.coordinator.accounts.change_passphrase(
            "not the passphrase at all", "a completely new passphrase"
        )
    district.unlock("lars").lock()  # unchanged


@pytest.mark.postgres
@pytest.mark.parametrize("db_engine", ["postgresql"], indirect=True)
def test_wrong_passphrases_typed_at_once_on_two_workstations_both_count(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second workstation counts its failure while the first is between reading the
    member and counting its own: both count, and neither turns into a Conflict."""
    first, second = district.open(), district.open()
    real_get = Session.get
    recording: list[bool] = []

    def get(self: Session, entity: Any, ident: Any, *args: Any, **kwargs: Any) -> Any:
        row = real_get(self, entity, ident, *args, **kwargs)
        if entity is MemberRow and recording == [True]:
            recording.append(False)  # once
            with pytest.raises(WrongPassphrase):
                second.unlock("lars", "forkert på den anden", sleep=lambda _s: None)
        return row

    real_record = first._record_failure

    def record(member_id: Any) -> None:
        recording.append(True)
        real_record(member_id)

    monkeypatch.setattr(Session, "get", get)
    monkeypatch.setattr(first, "_record_failure", record)
    with pytest.raises(WrongPassphrase):
        first.unlock("lars", "forkert på den første", sleep=lambda _s: None)
    monkeypatch.undo()
    assert recording == [True, False]
    with district.coordinator.uow() as db:
        row = db.scalar(select(MemberRow).where(MemberRow.login == "lars"))
        assert row is not None
        assert row.failed_unlocks == 2
