"""TLS to the district's PostgreSQL server: a connection that leaves the machine must verify
the server's certificate and name (``sslmode=verify-full``), or it is not made.

The content of a vault is end-to-end encrypted, but the connection still carries the server
password (or its SCRAM exchange), the audit and journal metadata and the unlock guard's
answers; on an unverified connection anyone in between could read or answer them. libpq's
default (``sslmode=prefer``) silently falls back to clear text, and ``require`` accepts any
certificate, so both are refused for a remote host.

The decision is made on the values libpq will *use*, not on the URL's text: parameters given
explicitly, then the named service's section of the service file (``servicefile``,
``PGSERVICEFILE`` or ``~/.pg_service.conf``, else ``$PGSYSCONFDIR/pg_service.conf``), then the
``PG*`` environment variables, then libpq's compiled default — libpq's own order. libpq offers
no way to see that result without starting a connection (``PQconndefaults`` ignores the
service of a given string, ``PQconninfoParse`` adds no defaults), so the few parameters that
decide where the connection goes and how (``host``, ``hostaddr``, ``sslmode``) are resolved here.
A service that cannot be found, or one looked up in LDAP, is refused rather than guessed.

The check runs before every new connection (the engine's ``do_connect``), so nothing is sent
to a remote server until it passes; a connection that then fails on the certificate or on the
password becomes a calm message here, never the driver's text with host details and never a
traceback.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event

from infohus_desktop.domain.errors import InfohusError, ServerPasswordRequired, VaultUnavailable

if TYPE_CHECKING:  # psycopg itself loads only when a server is used (the shell and CLI
    import psycopg  # import the errors below at start-up)

REQUIRED_SSLMODE = "verify-full"
#: libpq's compiled default when neither the string, the service nor PGSSLMODE sets one.
LIBPQ_DEFAULT_SSLMODE = "prefer"
#: The environment variables libpq falls back to for the parameters decided on here.
ENV_FALLBACKS = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
}
#: Keywords psycopg's ``connect`` takes that are not part of the libpq connection string.
_NOT_CONNINFO = frozenset(
    {"context", "autocommit", "prepare_threshold", "row_factory", "cursor_factory"}
)

_FIX_DA = (
    "Tilføj sslmode=verify-full&sslrootcert=/sti/til/distriktets-ca.crt til adressen, eller "
    "sslmode=verify-full og sslrootcert=… i servicefilen (pg_service.conf)."
)
_FIX_EN = (
    "Add sslmode=verify-full&sslrootcert=/path/to/district-ca.crt to the address, or "
    "sslmode=verify-full and sslrootcert=… in the service file (pg_service.conf)."
)


class TlsRequired(VaultUnavailable):
    """A remote server was named without ``sslmode=verify-full``: nothing was sent to it."""

    def __init__(self, hosts: str, sslmode: str) -> None:
        super().__init__(
            f"Forbindelsen til serveren {hosts} er afvist før den blev oprettet: den skal "
            f"bruge TLS med bekræftet certifikat (sslmode er {sslmode}). {_FIX_DA}",
            f"The connection to the server {hosts} was refused before it was made: it must "
            f"use TLS with a verified certificate (sslmode is {sslmode}). {_FIX_EN}",
        )


class CertificateNotVerified(VaultUnavailable):
    """The server's certificate does not chain to the given CA or does not name the host."""

    def __init__(self) -> None:
        super().__init__(
            "Serverens certifikat kunne ikke bekræftes: det er ikke udstedt af den CA, "
            "sslrootcert peger på, eller det gælder ikke for servernavnet i adressen. "
            "Adgangskoden er ikke sendt. Kontrollér sslrootcert og servernavnet med "
            "distriktets it-afdeling.",
            "The server's certificate could not be verified: it was not issued by the CA "
            "that sslrootcert names, or it is not valid for the server name in the address. "
            "No password was sent. Check sslrootcert and the server name with the "
            "district's IT department.",
        )


def connect_params(cargs: Sequence[Any], cparams: Mapping[str, Any]) -> dict[str, str]:
    """The libpq parameters of one ``psycopg.connect(*cargs, **cparams)`` call, as libpq
    parses them (``conninfo_to_dict`` is ``PQconninfoParse``): no defaults added yet."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    conninfo = str(cargs[0]) if cargs else ""
    given = {k: v for k, v in cparams.items() if k not in _NOT_CONNINFO and v is not None}
    try:
        parsed = conninfo_to_dict(conninfo, **given)
    except psycopg.ProgrammingError as exc:
        raise VaultUnavailable(
            "Databaseadressen kan ikke forstås.", "The database URL cannot be parsed."
        ) from exc
    return {k: str(v) for k, v in parsed.items() if v is not None}


def effective_params(
    params: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> dict[str, str]:
    """``params`` completed the way libpq completes them: the service's values for what is
    not given, then the environment, then ``sslmode``'s compiled default."""
    env = os.environ if environ is None else environ
    resolved = dict(params)
    service = resolved.get("service") or env.get("PGSERVICE")
    if service:
        for key, value in service_definition(service, resolved.get("servicefile"), env, home):
            resolved.setdefault(key, value)
    for key, var in ENV_FALLBACKS.items():
        if key not in resolved and var in env:
            resolved[key] = env[var]
    resolved.setdefault("sslmode", LIBPQ_DEFAULT_SSLMODE)
    return resolved


def service_definition(
    name: str,
    servicefile: str | None,
    environ: Mapping[str, str],
    home: Path | None = None,
) -> list[tuple[str, str]]:
    """The ``key=value`` lines of service ``name``, from the first file that defines it, in
    libpq's order: the user's file, then the system-wide one."""
    for path in _service_files(servicefile, environ, home):
        lines = _read_service(path, name)
        if lines is not None:
            return lines
    raise VaultUnavailable(
        f"Forbindelsestjenesten '{name}' findes ikke i ~/.pg_service.conf, PGSERVICEFILE eller "
        "PGSYSCONFDIR/pg_service.conf.",
        f"The connection service '{name}' is not defined in ~/.pg_service.conf, "
        "PGSERVICEFILE or PGSYSCONFDIR/pg_service.conf.",
    )


def _service_files(
    servicefile: str | None, environ: Mapping[str, str], home: Path | None
) -> list[Path]:
    user = servicefile or environ.get("PGSERVICEFILE")
    files: list[Path] = []
    if user:
        files.append(Path(user))
    elif os.name == "nt" and environ.get("APPDATA"):
        files.append(Path(environ["APPDATA"]) / "postgresql" / ".pg_service.conf")
    else:
        files.append((home or Path.home()) / ".pg_service.conf")
    if environ.get("PGSYSCONFDIR"):
        files.append(Path(environ["PGSYSCONFDIR"]) / "pg_service.conf")
    return files


def _read_service(path: Path, name: str) -> list[tuple[str, str]] | None:
    """The lines of ``[name]`` in ``path`` (None: the file or the section is not there),
    read as libpq reads them: whitespace around a line ignored, ``#`` comments, the first
    section of that name, ``key=value`` taken literally."""
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VaultUnavailable(
            f"Servicefilen {path} kan ikke læses.", f"The service file {path} cannot be read."
        ) from exc
    found: list[tuple[str, str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            if found is not None:
                break
            if line[1 : len(name) + 1] == name and line[len(name) + 1 : len(name) + 2] == "]":
                found = []
            continue
        if found is None:
            continue
        if line.startswith("ldap"):
            raise VaultUnavailable(
                f"Forbindelsestjenesten '{name}' slås op i LDAP; Infohus kan ikke se, om "
                "forbindelsen bruger TLS. Skriv host, sslmode og sslrootcert i servicefilen.",
                f"The connection service '{name}' is looked up in LDAP; Infohus cannot tell "
                "whether the connection uses TLS. Put host, sslmode and sslrootcert in the "
                "service file.",
            )
        key, sep, value = line.partition("=")
        if not sep:
            raise VaultUnavailable(
                f"Servicefilen {path} har en linje uden '=' i '{name}'.",
                f"The service file {path} has a line without '=' in '{name}'.",
            )
        found.append((key, value))
    return found


def is_local(host: str, hostaddr: str) -> bool:
    """Whether one libpq host entry stays on this machine: a unix socket (a path, an
    abstract ``@name``, or no host at all: libpq's default socket), ``localhost`` or a
    loopback address. A ``hostaddr`` is where libpq connects, whatever ``host`` says."""
    if hostaddr:
        return _is_loopback_ip(hostaddr)
    if not host or host.startswith(("/", "@")):
        return True
    if host.lower() == "localhost":
        return True
    return _is_loopback_ip(host)


def _is_loopback_ip(text: str) -> bool:
    try:
        return ipaddress.ip_address(text.strip("[]")).is_loopback
    except ValueError:
        return False


def remote_hosts(params: Mapping[str, str]) -> list[str]:
    """The entries of an effective host/hostaddr list that leave this machine."""
    hosts = params.get("host", "").split(",") if params.get("host") else []
    addrs = params.get("hostaddr", "").split(",") if params.get("hostaddr") else []
    remote = []
    for i in range(max(len(hosts), len(addrs), 1)):
        host = hosts[i] if i < len(hosts) else ""
        addr = addrs[i] if i < len(addrs) else ""
        if not is_local(host, addr):
            remote.append(host or addr)
    return remote


def require_verified_tls(
    params: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> None:
    """Refuse (:class:`TlsRequired`) a connection to a remote host without ``verify-full``."""
    effective = effective_params(params, environ, home)
    remote = remote_hosts(effective)
    if remote and effective["sslmode"] != REQUIRED_SSLMODE:
        raise TlsRequired(", ".join(remote), effective["sslmode"] or "''")


def connect_failure(exc: psycopg.OperationalError) -> InfohusError | None:
    """A failed connection the user can act on, as a message without the driver's text:
    a missing or refused password, an unverifiable certificate, a server without TLS, a CA
    file that is not there. None: leave it to the usual database error."""
    pgconn = getattr(exc, "pgconn", None)
    text = str(exc).lower()
    if pgconn is not None and getattr(pgconn, "needs_password", False):
        return ServerPasswordRequired(wrong=False)
    if "no password supplied" in text:
        return ServerPasswordRequired(wrong=False)
    if exc.sqlstate == "28P01" or "password authentication failed" in text:
        return ServerPasswordRequired(wrong=True)
    # The server answered: retrying, as for an outage, never helps (user trial). A refused
    # connection carries no SQLSTATE in psycopg 3 (no result), so the server's words decide;
    # a server set to answer in another language (lc_messages) gets the outage's message.
    if exc.sqlstate == "3D000" or ('database "' in text and "does not exist" in text):
        return VaultUnavailable(
            "Serveren svarer, men databasen i adressen findes ikke på den. Tjek databasens "
            "navn (sidst i --db-url, eller dbname i servicefilen) mod det, "
            "serveradministratoren har givet jer.",
            "The server answers, but the database in the address does not exist on it. "
            "Check the database's name (last in --db-url, or dbname in the service file) "
            "against what the server's administrator gave you.",
        )
    if exc.sqlstate == "28000" or "no pg_hba.conf entry" in text:
        return VaultUnavailable(
            "Serveren svarer, men lukker ikke denne bruger ind fra denne computer. Tjek "
            "brugernavnet i adressen; er det rigtigt, skal serveradministratoren give "
            "computeren adgang (pg_hba.conf).",
            "The server answers, but does not let this user in from this computer. Check "
            "the user name in the address; if it is right, the server's administrator must "
            "give the computer access (pg_hba.conf).",
        )
    if "root certificate file" in text and "does not exist" in text:
        return VaultUnavailable(
            "Filen med distriktets CA-certifikat (sslrootcert) findes ikke. Angiv stien med "
            "sslrootcert=… eller læg filen i ~/.postgresql/root.crt.",
            "The district's CA certificate file (sslrootcert) does not exist. Give its path "
            "with sslrootcert=… or put it in ~/.postgresql/root.crt.",
        )
    if "certificate verify failed" in text or "does not match host name" in text:
        return CertificateNotVerified()
    if "server does not support ssl" in text:
        return VaultUnavailable(
            "Serveren tilbyder ikke TLS. Slå ssl=on til på serveren (se SERVER.md).",
            "The server does not offer TLS. Turn on ssl=on on the server (see SERVER.md).",
        )
    return None


def guard_server_connections(engine: Engine) -> None:
    """TLS before anything reaches a remote server: checked once now, so a wrong address
    fails at once, and again before every new connection the pool makes (the environment
    or the service file may change meanwhile); a connection refused for its certificate or
    password becomes a message, not the driver's text."""
    import psycopg

    require_verified_tls(connect_params(*engine.dialect.create_connect_args(engine.url)))

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        require_verified_tls(connect_params(cargs, cparams))
        try:
            return dialect.connect(*cargs, **cparams)
        except psycopg.OperationalError as exc:
            failure = connect_failure(exc)
            if failure is None:
                raise
            raise failure from None
