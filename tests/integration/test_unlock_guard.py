"""The server-side unlock guard on PostgreSQL (issue 18, docs/SECURITY.md §7).

The guard is installed as the superuser with the administrator's script; the delays are
scaled down on the server (``SCALE``) so that 1, 2, 4, ... s become 20, 40, 80, ... ms while
keeping their order and sum.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ProgrammingError

from infohus_desktop.cli import main
from infohus_desktop.domain.errors import VaultUnavailable, WrongPassphrase
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts import unlock_guard
from infohus_desktop.services.accounts.vault import unlock_delay
from infohus_desktop.vault.schema import AuditEntryRow, MemberRow
from tests.integration.conftest import COORDINATOR_PASS, District, new_vault
from tests.pgserver import install_unlock_guard, superuser_connection, throwaway_database

pytestmark = pytest.mark.postgres

SCALE = 0.02


def no_client_sleep(seconds: float) -> None:
    raise AssertionError(f"the client slept {seconds} s; the server should wait")


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    with throwaway_database(pg_admin_url) as url:
        yield url


def _district(url: str) -> Iterator[District]:
    d = District(url, new_vault(url))
    yield d
    for session in [d.coordinator, *d.sessions.values()]:
        session.lock()
    d.close()


@pytest.fixture
def unguarded(pg_url: str, cheap_kdf: None) -> Iterator[District]:
    yield from _district(pg_url)


@pytest.fixture
def guarded(pg_url: str, pg_superuser_url: str, cheap_kdf: None) -> Iterator[District]:
    for d in _district(pg_url):
        install_unlock_guard(pg_superuser_url, pg_url, delay_scale=SCALE)
        yield d


@pytest.fixture
def app_engine(pg_url: str) -> Iterator[Engine]:
    """The application role, as anyone holding the vault URL's credentials."""
    engine = create_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[unlock_guard.Attempt]:
    """Every attempt the server granted, with the failures it saw and the time it waited."""
    seen: list[unlock_guard.Attempt] = []
    lock = threading.Lock()
    original = unlock_guard.begin

    def begin(engine: Engine, member_id: uuid.UUID) -> unlock_guard.Attempt:
        attempt = original(engine, member_id)
        with lock:
            seen.append(attempt)
        return attempt

    monkeypatch.setattr(unlock_guard, "begin", begin)
    return seen


def lars_id(d: District) -> uuid.UUID:
    with d.coordinator.vault.uow() as session:
        member_id = session.scalar(select(MemberRow.id).where(MemberRow.login == "lars"))
    assert member_id is not None
    return member_id


def server_failures(d: District) -> int | None:
    return unlock_guard.failures(d.coordinator.vault.engine, lars_id(d))


def fail(d: District, times: int) -> None:
    vault = d.open()
    for attempt in range(times):
        with pytest.raises(WrongPassphrase):
            vault.unlock("lars", f"forkert frase {attempt}", sleep=no_client_sleep)


def test_ed25519_in_plpgsql_agrees_with_cryptography(
    guarded: District, pg_superuser_url: str
) -> None:
    database = guarded.url.rsplit("/", 1)[1]
    with superuser_connection(pg_superuser_url, database) as conn:

        def verify(pub: bytes, msg: bytes, sig: bytes) -> bool:
            row = conn.execute(
                "SELECT infohus_guard.ed25519_verify(%s, %s, %s)", (pub, msg, sig)
            ).fetchone()
            assert row is not None
            return bool(row[0])

        for size in (0, 1, 31, 64, 200):
            key = ed25519.Ed25519PrivateKey.generate()
            pub = key.public_key().public_bytes_raw()
            msg = os.urandom(size)
            sig = key.sign(msg)
            assert verify(pub, msg, sig)
            assert not verify(pub, msg + b"!", sig)
            assert not verify(pub, msg, sig[:-1] + bytes([sig[-1] ^ 1]))
            assert not verify(pub, msg, bytes([sig[0] ^ 1]) + sig[1:])
            other = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()
            assert not verify(other, msg, sig)
            assert not verify(pub, msg, sig[:32] + bytes(32))


def test_the_app_detects_the_guard(guarded: District) -> None:
    vault = guarded.open()
    assert unlock_guard.probe(vault.engine).active
    vault.unlock("lars", COORDINATOR_PASS, sleep=no_client_sleep).lock()
    assert vault.guard_status is not None and vault.guard_status.active
    assert vault.guard_reset is True


def test_without_the_guard_the_client_waits_and_strict_mode_refuses(
    unguarded: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = unguarded.open()
    status = unlock_guard.probe(vault.engine)
    assert status.state is unlock_guard.GuardState.ABSENT
    waits: list[float] = []
    for attempt in range(6):
        with pytest.raises(WrongPassphrase):
            vault.unlock("lars", f"forkert {attempt}", sleep=waits.append)
    assert waits == [1.0]  # today's client-side delay, as on SQLite
    monkeypatch.setenv(unlock_guard.REQUIRE_ENV, "1")
    with pytest.raises(VaultUnavailable) as refused:
        vault.unlock("lars", COORDINATOR_PASS, sleep=waits.append)
    assert "installere den med 'infohus server migrate'" in refused.value.message("da")


def test_parallel_wrong_passphrases_wait_in_turn(
    guarded: District, attempts: list[unlock_guard.Attempt]
) -> None:
    fail(guarded, 5)  # the free attempts
    assert server_failures(guarded) == 5
    attempts.clear()

    # Six attempts at once, each with its own engine, as six CLI processes would be.
    vaults = [guarded.open() for _ in range(6)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(vaults))

    def attempt(index: int) -> None:
        start.wait()
        try:
            vaults[index].unlock("lars", f"parallel forkert {index}", sleep=no_client_sleep)
        except WrongPassphrase:
            return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(vaults))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started

    assert not errors
    expected = [unlock_delay(n) * SCALE for n in range(5, 11)]  # 1, 2, 4, 8, 16, 32 (scaled)
    assert sorted(a.failures_before for a in attempts) == list(range(5, 11))
    assert sorted(a.waited for a in attempts) == pytest.approx(expected)
    # The delays were paid one after the other, not at the same time.
    assert elapsed >= sum(expected) * 0.98, (elapsed, sum(expected))
    assert sum(expected) == pytest.approx(63 * SCALE)
    assert server_failures(guarded) == 11


def test_the_app_role_cannot_touch_the_counter(guarded: District, app_engine: Engine) -> None:
    fail(guarded, 6)
    member = str(lars_id(guarded))
    for statement in (
        "UPDATE infohus_guard.throttle SET failures = 0",
        "DELETE FROM infohus_guard.throttle",
        "TRUNCATE infohus_guard.throttle CASCADE",
        "INSERT INTO infohus_guard.attempts VALUES (gen_random_uuid(), :m, '', now())",
        "UPDATE infohus_guard.settings SET delay_scale = 0",
        "SELECT * FROM infohus_guard.throttle",
        "ALTER FUNCTION infohus_guard.unlock_delay(integer) RENAME TO x",
        "DROP SCHEMA infohus_guard CASCADE",
        "SELECT infohus_guard.ed25519_verify('', '', '')",
    ):
        with pytest.raises(ProgrammingError), app_engine.begin() as conn:
            conn.execute(text(statement), {"m": member})
    assert server_failures(guarded) == 6
    assert unlock_guard.probe(app_engine).active


def test_a_proof_needs_the_members_own_key(guarded: District, app_engine: Engine) -> None:
    """Neither a made-up proof nor a key swapped into members resets the count."""
    fail(guarded, 6)
    member_id = lars_id(guarded)
    forged = ed25519.Ed25519PrivateKey.generate()
    with app_engine.begin() as conn:
        conn.execute(
            update(MemberRow)
            .where(MemberRow.id == member_id)
            .values(sign_public=forged.public_key().public_bytes_raw())
        )
    attempt = unlock_guard.begin(app_engine, member_id)
    assert attempt.failures_before == 6
    assert not unlock_guard.finish(app_engine, attempt, forged)
    assert not unlock_guard.finish(app_engine, attempt, forged)  # and a nonce is used once
    with app_engine.begin() as conn:
        assert not conn.execute(
            text("SELECT infohus_guard.finish_unlock(gen_random_uuid(), :sig)"),
            {"sig": bytes(64)},
        ).scalar()
    assert server_failures(guarded) == 7


def test_the_right_passphrase_resets_the_count(
    guarded: District, attempts: list[unlock_guard.Attempt]
) -> None:
    fail(guarded, 7)
    assert server_failures(guarded) == 7
    vault = guarded.open()
    vault.unlock("lars", COORDINATOR_PASS, sleep=no_client_sleep).lock()
    # The right passphrase also waited its turn (the server cannot know it is right before).
    assert attempts[-1].failures_before == 7
    assert attempts[-1].waited == pytest.approx(unlock_delay(7) * SCALE)
    assert vault.guard_reset is True
    assert server_failures(guarded) == 0
    fail(guarded, 1)
    assert attempts[-1].waited == 0


def test_deleting_the_audit_trail_does_not_reset_the_count(
    guarded: District, app_engine: Engine, attempts: list[unlock_guard.Attempt]
) -> None:
    fail(guarded, 6)
    with app_engine.begin() as conn:
        # The action is sealed, but a failed unlock is the one unsigned entry: that is how
        # an attacker finds them.
        deleted = conn.execute(
            delete(AuditEntryRow).where(AuditEntryRow.signature.is_(None))
        ).rowcount
        conn.execute(update(MemberRow).values(failed_unlocks=0, last_failed_at=None))
    assert deleted == 6
    assert server_failures(guarded) == 6
    fail(guarded, 1)
    assert attempts[-1].failures_before == 6
    assert attempts[-1].waited == pytest.approx(unlock_delay(6) * SCALE)


def test_a_guard_the_app_role_can_write_does_not_count(
    guarded: District, pg_superuser_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = guarded.url.rsplit("/", 1)[1]
    with superuser_connection(pg_superuser_url, database) as conn:
        owner = conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'members'")
        row = owner.fetchone()
        assert row is not None
        conn.execute(f'GRANT UPDATE ON infohus_guard.throttle TO "{row[0]}"')  # a careless admin
    vault = guarded.open()
    status = unlock_guard.probe(vault.engine)
    assert status.state is unlock_guard.GuardState.UNSOUND
    assert "write" in status.reason
    waits: list[float] = []
    with pytest.raises(WrongPassphrase):
        vault.unlock("lars", "forkert frase", sleep=waits.append)
    assert vault.guard_status == status  # the client fell back to its own delay
    monkeypatch.setenv(unlock_guard.REQUIRE_ENV, "1")
    with pytest.raises(VaultUnavailable, match="kan skrive i dens tabeller"):
        vault.unlock("lars", COORDINATOR_PASS, sleep=waits.append)


def test_after_a_passphrase_reset_the_administrator_accepts_the_new_key(
    guarded: District,
    app_engine: Engine,
    pg_superuser_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The guard pinned the member's old signing key; after a reset the member unlocks, but
    the count only goes back to 0 once the server administrator accepts the new key (the app
    role cannot). `member reset` tells the coordinator so, with the line to run."""
    guarded.passphrases["mette"] = "mettes første lange frase"
    guarded.enrol("mette", "Mette Fjord", "police", Role.MEMBER)
    passfile = tmp_path / "lars.txt"
    passfile.write_text(COORDINATOR_PASS + "\n", encoding="utf-8")
    passfile.chmod(0o600)
    capsys.readouterr()
    code = main(
        ["member", "reset", "mette", "--db-url", guarded.url, "--user", "lars",
         "--passphrase-file", str(passfile), "--json"]
    )  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and printed["server_must_accept"] is True
    passphrase = printed["passphrase"]
    vault = guarded.open()
    mette = vault.unlock("mette", passphrase, sleep=no_client_sleep)
    mette.accounts.change_passphrase(passphrase, "mettes nye lange frase")
    mette.lock()
    assert vault.guard_reset is False
    member = str(mette.member.id)
    with pytest.raises(ProgrammingError), app_engine.begin() as conn:
        conn.execute(text("SELECT infohus_guard.accept_new_key(:m)"), {"m": member})
    database = guarded.url.rsplit("/", 1)[1]
    with superuser_connection(pg_superuser_url, database) as conn:
        row = conn.execute("SELECT infohus_guard.accept_new_key(%s)", (member,)).fetchone()
        assert row is not None and row[0] is True
    again = guarded.open()
    again.unlock("mette", "mettes nye lange frase", sleep=no_client_sleep).lock()
    assert again.guard_reset is True
