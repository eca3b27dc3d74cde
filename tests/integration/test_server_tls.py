"""TLS to the district's server, against a real PostgreSQL with ``ssl=on`` and certificates
made here: verify-full with the district's CA works, a wrong CA or a name the certificate
does not carry fails with a plain message, a remote server without verify-full is refused
before anything is sent, and a server that wants a password gets asked for one.

A truly remote host cannot be reached from a test; ``hostaddr=127.0.0.1`` with another
``host`` name is the honest stand-in where the name matters (libpq verifies the certificate
against ``host`` and connects to ``hostaddr``). The decision on remote hosts themselves is
covered on addresses and service files in tests/unit/test_server_tls.py.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.domain.errors import VaultUnavailable
from infohus_desktop.local_state import LocalState
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.server_address import with_password
from infohus_desktop.vault.server_tls import (
    CertificateNotVerified,
    ServerPasswordRequired,
    TlsRequired,
)
from tests.integration.tls_cluster import ClusterProcess, TlsCluster, postgres_bin

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def cluster() -> Iterator[TlsCluster]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        reason = "PostgreSQL's initdb/pg_ctl are not installed"
        if os.environ.get("INFOHUS_REQUIRE_PG") == "1":
            pytest.fail(f"INFOHUS_REQUIRE_PG=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    process = ClusterProcess(bin_dir)
    try:
        yield process.start()
    finally:
        process.stop()


def _verified(cluster: TlsCluster, ca: Path, host: str = "localhost", extra: str = "") -> str:
    return cluster.url(host, f"?sslmode=verify-full&sslrootcert={ca}{extra}")


def _tls_in_use(url: str) -> bool:
    engine = create_vault_engine(url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_verify_full_with_the_districts_ca_connects_over_tls(cluster: TlsCluster) -> None:
    assert _tls_in_use(_verified(cluster, cluster.ca))
    assert _tls_in_use(_verified(cluster, cluster.ca, host="127.0.0.1"))  # the IP in the SAN


@pytest.mark.parametrize(
    ("ca", "host", "extra"),
    [
        ("other", "localhost", ""),  # a CA that did not issue the server's certificate
        ("district", "infohus-test.invalid", "&hostaddr=127.0.0.1"),  # a name not in it
    ],
    ids=["wrong-ca", "name-mismatch"],
)
def test_an_unverifiable_certificate_fails_plainly(
    cluster: TlsCluster, ca: str, host: str, extra: str
) -> None:
    url = _verified(cluster, cluster.other_ca if ca == "other" else cluster.ca, host, extra)
    with pytest.raises(CertificateNotVerified) as caught:
        _tls_in_use(url)
    assert caught.value.message("da").startswith("Serverens certifikat kunne ikke bekræftes")
    assert caught.value.message("en").startswith("The server's certificate could not be verified")
    for shown in (caught.value.message("da"), caught.value.message("en"), str(caught.value)):
        assert cluster.password not in shown


def test_the_cli_says_so_in_one_line_with_exit_code_8(
    cluster: TlsCluster, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFOHUS_LANG", "en")
    url = _verified(cluster, cluster.other_ca)
    code = main(["vault", "info", "--db-url", url], stdin=StdinLines(io.StringIO("")))
    _out, err = capsys.readouterr()
    assert code == 8
    assert err.startswith("infohus: The server's certificate could not be verified")
    assert "Traceback" not in err
    assert cluster.password not in err


@pytest.mark.parametrize("sslmode", ["require", "disable", "verify-ca", None])
def test_a_remote_server_without_verify_full_is_refused_before_connecting(
    sslmode: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[Any] = []

    def no_connection(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(psycopg.Connection, "connect", no_connection)
    query = f"?sslmode={sslmode}" if sslmode else ""
    # 192.0.2.0/24 is reserved for documentation: nothing answers there.
    url = f"postgresql+psycopg://infohus:s3cret-pw@192.0.2.10:5432/infohus{query}"
    with pytest.raises(TlsRequired) as caught:
        create_vault_engine(url)  # refused as the engine is made, before any connection
    assert attempts == []
    assert "sslmode=verify-full&sslrootcert=" in caught.value.message("en")
    assert "sslmode=verify-full&sslrootcert=" in caught.value.message("da")
    assert "s3cret-pw" not in str(caught.value)


def test_the_pool_checks_again_before_each_new_connection(
    cluster: TlsCluster, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A service file changed after the engine was made (to a remote host without
    verify-full) is caught at the next connection, not only when the engine is made."""
    service_file = tmp_path / "pg_service.conf"
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    service_file.write_text(
        f"[infohus]\nhost=localhost\nport={cluster.port}\nsslmode=verify-full\n"
        f"sslrootcert={cluster.ca}\nuser=postgres\ndbname=postgres\n",
        encoding="utf-8",
    )
    engine = create_vault_engine(
        with_password("postgresql+psycopg:///?service=infohus", cluster.password)
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()  # the pool's connections are gone; the next one is new
        service_file.write_text(
            "[infohus]\nhost=db.example.org\nsslmode=require\n", encoding="utf-8"
        )
        with pytest.raises(TlsRequired), engine.connect():
            pass
    finally:
        engine.dispose()


def test_a_service_file_server_asks_for_its_password(
    cluster: TlsCluster, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(
        "# the district's server\n"
        f"[infohus]\nhost=localhost\nport={cluster.port}\nsslmode=verify-full\n"
        f"sslrootcert={cluster.ca}\nuser=postgres\ndbname=postgres\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    url = "postgresql+psycopg:///?service=infohus"
    with pytest.raises(ServerPasswordRequired) as missing:
        _tls_in_use(url)
    assert missing.value.wrong is False
    with pytest.raises(ServerPasswordRequired) as wrong:
        _tls_in_use(with_password(url, "not-the-password"))
    assert wrong.value.wrong is True
    assert "not-the-password" not in str(wrong.value)
    assert _tls_in_use(with_password(url, cluster.password))


def test_the_cli_asks_for_the_password_on_a_terminal(
    cluster: TlsCluster,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("INFOHUS_LANG", "en")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    asked: list[str] = []

    def getpass(label: str) -> str:
        asked.append(label)
        return cluster.password

    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    url = _verified(cluster, cluster.ca).replace(f":{cluster.password}@", "@")
    code = main(["vault", "info", "--db-url", url], stdin=StdinLines(io.StringIO("")))
    _out, err = capsys.readouterr()
    # The connection went through: the database is simply not a vault.
    assert asked == ["Password for the server: "]
    assert code == VaultUnavailable.exit_code
    assert "There is no vault" in err

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    asked.clear()
    code = main(["vault", "info", "--db-url", url], stdin=StdinLines(io.StringIO("")))
    _out, err = capsys.readouterr()
    assert asked == []
    assert code == VaultUnavailable.exit_code
    assert "~/.pgpass" in err


def test_init_on_a_verified_server_asks_for_the_password_and_saves_none(
    cluster: TlsCluster,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    cheap_kdf: None,
) -> None:
    with psycopg.connect(
        host=str(cluster.socket_dir), port=cluster.port, user="postgres", autocommit=True
    ) as conn:
        conn.execute("CREATE DATABASE infohus_tls")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    monkeypatch.setattr("getpass.getpass", lambda _label: cluster.password)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    passphrase = tmp_path / "lars.txt"
    passphrase.write_text("blåbærgrød med flødeskum\n", encoding="utf-8")
    passphrase.chmod(0o600)
    url = (
        f"postgresql+psycopg://postgres@localhost:{cluster.port}/infohus_tls"
        f"?sslmode=verify-full&sslrootcert={cluster.ca}"
    )
    code = main(
        [
            "init",
            "--db-url",
            url,
            "--infohus",
            "Østjylland",
            "--login",
            "lars",
            "--name",
            "Lars Holm",
            "--org",
            "police",
            "--passphrase-file",
            str(passphrase),
        ],
        stdin=StdinLines(io.StringIO("")),
    )
    _out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    settings = LocalState().settings_path.read_text(encoding="utf-8")
    assert cluster.password not in settings
    assert "infohus_tls" in settings
