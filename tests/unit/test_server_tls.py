"""Which connections must use verify-full: decided on the values libpq will use (the URL,
the service file, the PG* environment), never only on the URL's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url

from infohus_desktop.domain.errors import InvalidInput, VaultUnavailable
from infohus_desktop.vault.server_address import server_url, with_password, without_password
from infohus_desktop.vault.server_tls import (
    TlsRequired,
    connect_params,
    effective_params,
    require_verified_tls,
)

VERIFIED = "sslmode=verify-full&sslrootcert=/etc/infohus/ca.crt"


def _params(url: str) -> dict[str, str]:
    engine = create_engine(url)
    return connect_params(*engine.dialect.create_connect_args(engine.url))


def _check(url: str, environ: dict[str, str] | None = None, home: Path | None = None) -> None:
    require_verified_tls(_params(url), environ or {}, home or Path("/nonexistent"))


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://u:pw@localhost/db",
        "postgresql+psycopg://u:pw@127.0.0.1:5432/db",
        "postgresql+psycopg://u:pw@127.8.9.10/db",
        "postgresql+psycopg://u:pw@[::1]/db",
        "postgresql+psycopg://u@/db",  # libpq's default: the local socket
        "postgresql+psycopg://u@/db?host=/var/run/postgresql",
        "postgresql+psycopg://u@/db?host=/tmp/pg/sock&port=55432",
        "postgresql+psycopg://u@/db?host=localhost:5432&host=127.0.0.1:5433",
        # libpq connects to hostaddr and checks the certificate against host
        "postgresql+psycopg://u@/db?host=infohus.example.org&hostaddr=127.0.0.1",
        f"postgresql+psycopg://u@db.example.org/db?{VERIFIED}",
        f"postgresql+psycopg://u@10.1.2.3/db?{VERIFIED}",
    ],
)
def test_local_or_verified_connections_pass(url: str) -> None:
    _check(url)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://u:pw@db.example.org/db",  # libpq's default: prefer
        "postgresql+psycopg://u:pw@db.example.org/db?sslmode=require",
        "postgresql+psycopg://u:pw@db.example.org/db?sslmode=verify-ca",
        "postgresql+psycopg://u:pw@db.example.org/db?sslmode=disable",
        "postgresql+psycopg://u:pw@db.example.org/db?sslmode=VERIFY-FULL",  # libpq: invalid
        "postgresql+psycopg://u:pw@10.0.0.5/db?sslmode=require",
        "postgresql+psycopg://u:pw@[2001:db8::1]/db",
        "postgresql+psycopg://u@/db?host=localhost:5432&host=db.example.org:5432",
        "postgresql+psycopg://u@/db?host=localhost&hostaddr=192.0.2.7",
        # a name that may well resolve to loopback is still a name: not looked up here
        "postgresql+psycopg://u@my-workstation/db",
    ],
)
def test_remote_connections_without_verify_full_are_refused(url: str) -> None:
    with pytest.raises(TlsRequired) as caught:
        _check(url)
    assert "pw" not in str(caught.value).replace("password", "")
    assert "sslmode=verify-full" in caught.value.message("da")
    assert "sslmode=verify-full" in caught.value.message("en")


def test_the_environment_fills_in_what_the_url_leaves_out() -> None:
    url = "postgresql+psycopg://u@/db"
    with pytest.raises(TlsRequired):
        _check(url, {"PGHOST": "db.example.org"})
    with pytest.raises(TlsRequired):
        _check(url, {"PGHOSTADDR": "10.0.0.5", "PGSSLMODE": "require"})
    _check(url, {"PGHOST": "db.example.org", "PGSSLMODE": "verify-full"})
    # the URL's own sslmode wins over the environment's
    with pytest.raises(TlsRequired):
        _check(f"{url}?sslmode=require", {"PGHOST": "db.example.org", "PGSSLMODE": "verify-full"})


def _service_file(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_a_named_service_is_resolved_from_pgservicefile(tmp_path: Path) -> None:
    services = _service_file(
        tmp_path / "services.conf",
        "# district server\n"
        "[weak]\nhost=db.example.org\nsslmode=require\n\n"
        "[infohus]\n  host=db.example.org\nsslmode=verify-full\nsslrootcert=/etc/ca.crt  \n"
        "[local]\nhost=/var/run/postgresql\n",
    )
    env = {"PGSERVICEFILE": str(services)}
    _check("postgresql+psycopg:///?service=infohus", env)
    _check("postgresql+psycopg://@/dbname?service=local", env)
    with pytest.raises(TlsRequired):
        _check("postgresql+psycopg:///?service=weak", env)
    # the URL's explicit values win over the service's, as in libpq
    with pytest.raises(TlsRequired):
        _check("postgresql+psycopg:///?service=infohus&sslmode=require", env)
    _check("postgresql+psycopg:///?service=weak&sslmode=verify-full", env)
    # PGSERVICE names the service when the URL does not
    with pytest.raises(TlsRequired):
        _check("postgresql+psycopg://u@/db", {**env, "PGSERVICE": "weak"})


def test_the_service_file_wins_over_the_environment(tmp_path: Path) -> None:
    services = _service_file(
        tmp_path / "s.conf", "[infohus]\nhost=db.example.org\nsslmode=require\n"
    )
    env = {"PGSERVICEFILE": str(services), "PGSSLMODE": "verify-full", "PGHOST": "localhost"}
    with pytest.raises(TlsRequired):
        _check("postgresql+psycopg:///?service=infohus", env)


def test_the_users_file_and_then_the_system_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    sysconf = tmp_path / "etc"
    sysconf.mkdir()
    _service_file(home / ".pg_service.conf", "[other]\nhost=localhost\n")
    _service_file(
        sysconf / "pg_service.conf",
        "[infohus]\nhost=db.example.org\nsslmode=disable\n",
    )
    env = {"PGSYSCONFDIR": str(sysconf)}
    with pytest.raises(TlsRequired):
        _check("postgresql+psycopg:///?service=infohus", env, home)
    # defined in the user's file: the system file is not read at all
    _service_file(
        home / ".pg_service.conf",
        "[infohus]\nhost=db.example.org\nsslmode=verify-full\nsslrootcert=/ca.crt\n",
    )
    _check("postgresql+psycopg:///?service=infohus", env, home)


def test_a_service_that_cannot_be_seen_is_refused(tmp_path: Path) -> None:
    env = {"PGSERVICEFILE": str(tmp_path / "missing.conf")}
    with pytest.raises(VaultUnavailable, match="infohus"):
        _check("postgresql+psycopg:///?service=infohus", env)
    ldap = _service_file(
        tmp_path / "ldap.conf", "[infohus]\nldap://ldap.example.org/dc=example?x?sub\n"
    )
    with pytest.raises(VaultUnavailable, match="LDAP"):
        _check("postgresql+psycopg:///?service=infohus", {"PGSERVICEFILE": str(ldap)})


def test_the_servicefile_parameter_names_the_file(tmp_path: Path) -> None:
    services = _service_file(tmp_path / "s.conf", "[infohus]\nhost=10.0.0.9\n")
    params = {"service": "infohus", "servicefile": str(services)}
    assert effective_params(params, {})["host"] == "10.0.0.9"
    with pytest.raises(TlsRequired):
        require_verified_tls(params, {})


def test_server_addresses_as_typed_and_as_saved() -> None:
    assert server_url(" infohus ") == "postgresql+psycopg:///?service=infohus"
    assert server_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert server_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"  # libpq's form
    with pytest.raises(InvalidInput):
        server_url("mysql://u@h/db")
    secret = "p@ss:w/rd"
    for url in (
        "postgresql+psycopg:///?service=infohus",
        f"postgresql+psycopg://u@db.example.org/db?{VERIFIED}",
    ):
        carrying = with_password(url, secret)
        assert _params(carrying)["password"] == secret
        assert make_url(without_password(carrying)) == make_url(url)
    assert "zz" not in without_password("postgresql+psycopg://u:pw@h/db?password=zz")
    assert (
        without_password("sqlite+pysqlite:////tmp/v.sqlite") == "sqlite+pysqlite:////tmp/v.sqlite"
    )
