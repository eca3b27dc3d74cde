"""The command line derives the member's key before it loads the vault's libraries
(services/accounts/key_ahead.py, issue 17), and the unlock behind it is the unlock it always
was: one key derivation, a wrong passphrase refused and counted, the early key used only for
the salt and parameters the unlock itself reads."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.crypto import kdf, selftest
from infohus_desktop.domain import backups
from infohus_desktop.domain.backups import RestorePending
from infohus_desktop.domain.errors import (
    CryptoUnavailable,
    RootNotPinned,
    VaultUnavailable,
    WrongPassphrase,
)
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.key_ahead import derive_ahead, member_ahead
from infohus_desktop.services.accounts.vault import unlock_delay
from infohus_desktop.vault import peek
from infohus_desktop.vault.peek import peek_member_kdf
from tests.integration.conftest import TEST_FLOOR, District, built_district
from tests.unit.test_startup_imports import modules_after


@pytest.fixture
def sqlite_district(sqlite_url: str, cheap_kdf: None) -> Iterator[District]:
    with built_district(sqlite_url) as d:
        yield d


class Derivation(NamedTuple):
    salt: bytes
    early: bool  # derived ahead (key_ahead.py), not inside the unlock


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[Derivation]:
    """Every key derivation from here on, in order: its salt, and whether it was the early
    one."""
    done: list[Derivation] = []
    real = kdf.derive_key

    def counted(passphrase: str, salt: bytes, params: kdf.KdfParams) -> bytes:
        caller = sys._getframe(1).f_code.co_name
        done.append(Derivation(salt, caller == "derive_ahead"))
        return real(passphrase, salt, params)

    monkeypatch.setattr(kdf, "derive_key", counted)
    return done


def _vault_path(district: District) -> str:
    return district.url.removeprefix("sqlite+pysqlite:///")


def _secret(tmp_path: Path, text: str) -> str:
    path = tmp_path / "passphrase.txt"
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return str(path)


def _list_as_lars(
    district: District, passphrase_file: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main(
        [
            *("case", "list", "--json", "--vault", _vault_path(district)),
            *("--user", "lars", "--passphrase-file", passphrase_file),
        ],
        stdin=StdinLines(io.StringIO("")),
    )
    out, err = capsys.readouterr()
    return code, out, err


def _failed_unlocks(district: District, login: str) -> int:
    with sqlite3.connect(_vault_path(district)) as db:
        (count,) = db.execute(
            "SELECT failed_unlocks FROM members WHERE login = ?", (login,)
        ).fetchone()
    return int(count)


def test_case_list_derives_the_key_once_before_sqlalchemy_loads(
    sqlite_district: District, tmp_path: Path
) -> None:
    """Argon2's memory is held before the libraries' (the process's peak, issue 17): in a
    fresh interpreter that really lists, the one derivation finds no SQLAlchemy loaded."""
    secret = _secret(tmp_path, sqlite_district.passphrases["lars"])
    code = (
        "import sys\n"
        "from infohus_desktop.crypto import kdf\n"
        f"kdf._set_floor_for_tests(kdf.{TEST_FLOOR!r})\n"
        "real, seen = kdf.derive_key, []\n"
        "def watched(*args):\n"
        "    seen.append('sqlalchemy' in sys.modules)\n"
        "    return real(*args)\n"
        "kdf.derive_key = watched\n"
        "from infohus_desktop.cli import main\n"
        f"code = main(['case', 'list', '--vault', {_vault_path(sqlite_district)!r},"
        f" '--user', 'lars', '--passphrase-file', {secret!r}])\n"
        "print('EXIT', code, 'SQLALCHEMY LOADED AT EACH DERIVATION', seen)"
    )
    loaded, printed = modules_after(code)
    assert printed.splitlines()[-1] == "EXIT 0 SQLALCHEMY LOADED AT EACH DERIVATION [False]"
    assert "sqlalchemy" in loaded  # then the vault was opened the full way
    # The unlock's deletion register catch-up does not drag in the backups' service and the
    # backup and bundle cryptography it imports (issue 17: every command unlocks).
    assert "infohus_desktop.services.backups.register" in loaded  # the catch-up ran
    assert not loaded & {
        "infohus_desktop.services.backups.service",
        "infohus_desktop.crypto.backup_container",
        "infohus_desktop.crypto.bundle",
    }


def test_the_unlock_uses_the_early_key_and_derives_no_second(
    sqlite_district: District,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    derivations: list[Derivation],
) -> None:
    secret = _secret(tmp_path, sqlite_district.passphrases["lars"])
    code, out, err = _list_as_lars(sqlite_district, secret, capsys)
    assert (code, err) == (0, "")
    assert json.loads(out) == []  # a new district has no case yet: listed, not failed
    member = peek_member_kdf(sqlite_district.url, "lars")
    assert member is not None
    assert derivations == [Derivation(member.salt, early=True)]


def test_a_wrong_passphrase_is_refused_and_counted_as_before(
    sqlite_district: District,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    derivations: list[Derivation],
) -> None:
    code, out, err = _list_as_lars(sqlite_district, _secret(tmp_path, "ikke lars' frase"), capsys)
    assert (code, out) == (WrongPassphrase.exit_code, "")
    assert WrongPassphrase().message() in err
    assert _failed_unlocks(sqlite_district, "lars") == 1
    assert [d.early for d in derivations] == [True]  # the early derivation was the attempt

    # With a failure on record the unlock derives itself, after its delay, as it always did.
    assert member_ahead(sqlite_district.url, "lars", LocalState()) is None
    secret = _secret(tmp_path, sqlite_district.passphrases["lars"])
    code, _out, err = _list_as_lars(sqlite_district, secret, capsys)
    assert (code, err) == (0, "")
    assert [d.early for d in derivations] == [True, False]
    assert _failed_unlocks(sqlite_district, "lars") == 0


def test_an_unknown_login_costs_one_derivation_in_the_unlock(
    sqlite_district: District,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    derivations: list[Derivation],
) -> None:
    code = main(
        [
            *("case", "list", "--vault", _vault_path(sqlite_district), "--user", "nobody"),
            *("--passphrase-file", _secret(tmp_path, "en eller anden frase")),
        ],
        stdin=StdinLines(io.StringIO("")),
    )
    assert code == WrongPassphrase.exit_code
    assert WrongPassphrase().message() in capsys.readouterr().err
    assert [d.early for d in derivations] == [False]  # as for a known login: one


def test_with_failures_on_record_an_early_key_still_waits_out_the_delay(
    sqlite_district: District, derivations: list[Derivation]
) -> None:
    """Whoever hands the unlock a key derived ahead, the delay before the attempt stays."""
    with sqlite3.connect(_vault_path(sqlite_district)) as db:
        db.execute("UPDATE members SET failed_unlocks = 7 WHERE login = 'lars'")
    member = peek_member_kdf(sqlite_district.url, "lars")  # past member_ahead's refusal
    assert member is not None
    early = derive_ahead(member, sqlite_district.passphrases["lars"])
    slept: list[float] = []
    vault = sqlite_district.open()
    try:
        vault.unlock(
            "lars", sqlite_district.passphrases["lars"], sleep=slept.append, derived=early
        ).lock()
    finally:
        vault.close()
    assert slept == [unlock_delay(7)] and slept[0] > 0
    assert [d.early for d in derivations] == [True]  # the early key was used
    assert _failed_unlocks(sqlite_district, "lars") == 0


def test_no_key_is_derived_before_a_refusal_that_comes_before_any_attempt(
    sqlite_district: District,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    derivations: list[Derivation],
) -> None:
    """SECURITY.md §7: no pinned root, or a restore cut off, refuses before any attempt; a
    file that says so gets no derivation of the member's passphrase, early or late."""
    secret = _secret(tmp_path, sqlite_district.passphrases["lars"])
    with sqlite3.connect(_vault_path(sqlite_district)) as db:
        db.execute("INSERT INTO vault_settings (key, value) VALUES ('restore_pending', 'x')")
    assert member_ahead(sqlite_district.url, "lars", LocalState()) is None
    code, _out, _err = _list_as_lars(sqlite_district, secret, capsys)
    assert code == RestorePending.exit_code
    with sqlite3.connect(_vault_path(sqlite_district)) as db:
        db.execute("DELETE FROM vault_settings WHERE key = 'restore_pending'")

    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "another workstation"))
    assert member_ahead(sqlite_district.url, "lars", LocalState()) is None
    code, _out, _err = _list_as_lars(sqlite_district, secret, capsys)
    assert code == RootNotPinned.exit_code
    assert derivations == []


@pytest.mark.parametrize(
    "stale",
    [
        lambda d: kdf.DerivedKey(d.params_json, bytes(16), d.key),  # another salt
        lambda d: kdf.DerivedKey(d.params_json.replace('"t":1', '"t":2'), d.salt, d.key),
    ],
    ids=["salt", "parameters"],
)
def test_a_key_derived_from_other_inputs_is_not_used(
    sqlite_district: District,
    derivations: list[Derivation],
    stale: Callable[[kdf.DerivedKey], kdf.DerivedKey],
) -> None:
    """Between the early read and the unlock the member's passphrase may change (on another
    workstation): the unlock then derives from what it reads itself."""
    member = member_ahead(sqlite_district.url, "lars", LocalState())
    assert member is not None
    early = derive_ahead(member, "lars' gamle frase")
    assert early is not None
    vault = sqlite_district.open()
    try:
        session = vault.unlock("lars", sqlite_district.passphrases["lars"], derived=stale(early))
        session.lock()
    finally:
        vault.close()
    # The early one, then the unlock's own from what it read.
    assert derivations == [Derivation(member.salt, True), Derivation(member.salt, False)]


def test_an_early_key_of_another_passphrase_fails_at_the_unseal(
    sqlite_district: District,
) -> None:
    member = member_ahead(sqlite_district.url, "lars", LocalState())
    assert member is not None
    wrong = derive_ahead(member, "ikke lars' frase")
    vault = sqlite_district.open()
    try:
        with pytest.raises(WrongPassphrase):
            # The passphrase argument is right; the key handed in is not: the unseal decides.
            vault.unlock("lars", sqlite_district.passphrases["lars"], derived=wrong)
    finally:
        vault.close()
    assert _failed_unlocks(sqlite_district, "lars") == 1


def test_the_early_read_answers_only_for_an_active_member_of_an_sqlite_vault(
    sqlite_district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_district.url
    lars = peek_member_kdf(url, "  LARS ")  # as the unlock reads a login
    assert lars is not None and lars.failed_unlocks == 0
    assert kdf.KdfParams.from_json(lars.params_json) == TEST_FLOOR
    assert peek_member_kdf(url, "nobody") is None
    sqlite_district.coordinator.accounts.add(
        "mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, "mettes lange frase"
    )
    assert peek_member_kdf(url, "mette") is not None
    sqlite_district.coordinator.accounts.remove("mette")
    assert peek_member_kdf(url, "mette") is None  # no longer active
    assert peek_member_kdf("postgresql+psycopg://u@localhost/infohus", "lars") is None
    missing = tmp_path / "none.sqlite"
    assert peek_member_kdf(f"sqlite+pysqlite:///{missing}", "lars") is None
    with monkeypatch.context() as patched:  # past the is_file() check: mode=rw holds
        patched.setattr(Path, "is_file", lambda _self: True)
        assert peek_member_kdf(f"sqlite+pysqlite:///{missing}", "lars") is None
    assert not missing.exists()  # it made no file
    too_long = tmp_path / ("a" * 300 + ".sqlite")  # the system refuses the name: no crash
    assert peek_member_kdf(f"sqlite+pysqlite:///{too_long}", "lars") is None
    with sqlite3.connect(_vault_path(sqlite_district)) as db:
        db.execute("UPDATE alembic_version SET version_num = 'older'")
    assert peek_member_kdf(url, "lars") is None  # a schema to migrate: the full way


def test_the_early_key_never_shows_in_a_repr(sqlite_district: District) -> None:
    member = member_ahead(sqlite_district.url, "lars", LocalState())
    assert member is not None
    early = derive_ahead(member, sqlite_district.passphrases["lars"])
    assert early is not None
    assert early.key.hex() not in repr(early) and repr(early) == "DerivedKey(…)"


def test_a_failing_argon2id_known_answer_stops_the_command_before_any_key(
    sqlite_district: District,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    derivations: list[Derivation],
) -> None:
    """The self-test runs before the vault's open; a derivation ahead of the open checks the
    one primitive it uses first, so a broken Argon2id derives nothing, early or late."""
    monkeypatch.setattr(selftest, "_argon2id_tag", lambda: bytes(32))
    secret = _secret(tmp_path, sqlite_district.passphrases["lars"])
    code, out, err = _list_as_lars(sqlite_district, secret, capsys)
    assert (code, out) == (CryptoUnavailable.exit_code, "")
    assert "selvtest" in err or "self-test" in err
    assert derivations == []


def test_a_path_the_system_refuses_is_reported_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_kdf: None
) -> None:
    too_long = tmp_path / ("a" * 300 + ".sqlite")
    code = main(
        [
            *("case", "list", "--vault", str(too_long), "--user", "lars"),
            *("--passphrase-file", _secret(tmp_path, "en eller anden frase")),
        ],
        stdin=StdinLines(io.StringIO("")),
    )
    err = capsys.readouterr().err
    assert code == VaultUnavailable.exit_code, err
    assert "intern fejl" not in err and "internal error" not in err


def test_the_peek_names_the_restore_mark_as_the_backups_do() -> None:
    assert peek.RESTORE_PENDING == backups.RESTORE_PENDING
