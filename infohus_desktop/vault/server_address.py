"""Addresses of the district's server as a workstation types and keeps them.

A workstation keeps no server password in clear: it uses libpq's own places for it (the
password file ``~/.pgpass`` with mode 0600, a service file's ``passfile``, or a client
certificate), and otherwise the app asks for the password and holds it in memory only. A
password typed into an address is used for that connection and stripped before the address
is saved anywhere (:func:`without_password`).
"""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from infohus_desktop.domain.errors import InvalidInput

#: A libpq service name as a workstation would type it (a section of pg_service.conf).
_SERVICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
#: Query parameters that carry a secret: the password, and the client key's passphrase.
_SECRET_PARAMS = ("password", "sslpassword")


def server_url(typed: str) -> str:
    """The database URL for what was typed: a service name becomes
    ``postgresql+psycopg:///?service=NAME``; a URL is taken as it is."""
    text = typed.strip()
    if _SERVICE_NAME.fullmatch(text):
        return f"postgresql+psycopg:///?service={text}"
    try:
        parsed = make_url(text)
    except ArgumentError:
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "postgres":  # libpq's short form
        parsed = parsed.set(drivername="postgresql+psycopg")
        text = parsed.render_as_string(hide_password=False)
    if parsed is None or parsed.get_backend_name() != "postgresql":
        raise InvalidInput(
            "Skriv navnet på en forbindelsestjeneste (fx infohus) eller en adresse, der "
            "begynder med postgresql+psycopg://.",
            "Type the name of a connection service (e.g. infohus) or an address that begins "
            "with postgresql+psycopg://.",
        )
    return text


def with_password(url: str, password: str) -> str:
    """``url`` carrying ``password`` for this connection only (kept in memory, never saved).
    An address without a user (a service name) gets an empty one, which libpq fills from
    the service file or the login name as before."""
    parsed = make_url(url)
    return parsed.set(username=parsed.username or "", password=password).render_as_string(
        hide_password=False
    )


def without_password(url: str) -> str:
    """``url`` as it may be saved: no password, neither in the user part nor in the query."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return url
    # ``URL.set`` leaves a field given as None unchanged: replace it instead.
    parsed = parsed._replace(password=None).difference_update_query(_SECRET_PARAMS)
    if parsed.username == "":
        parsed = parsed._replace(username=None)
    return parsed.render_as_string(hide_password=False)


def server_label(url: str) -> str:
    """A short name for the server in a question to the user: the service name, or the
    host and database (never a password)."""
    parsed = make_url(url)
    service = parsed.query.get("service")
    if isinstance(service, str) and service and not parsed.host:
        return service
    host = parsed.host or "localhost"
    return f"{host}/{parsed.database}" if parsed.database else host
