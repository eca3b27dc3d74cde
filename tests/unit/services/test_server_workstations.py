"""What ``infohus server init`` hands the administrator for the workstations: pg_hba.conf lines
that let the application role in only from its networks and only over TLS, a service file
without a password, and password-file lines escaped as libpq reads them."""

from __future__ import annotations

import pytest

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.services.server_setup.admin import checked_name
from infohus_desktop.services.server_setup.workstations import EXAMPLE_NETWORK, Workstations

WHERE = Workstations("infohus", "infohus_owner", "infohus_app", "db.kommune.dk", 5432)


def test_the_app_role_comes_only_from_the_workstations_over_tls() -> None:
    lines = Workstations(
        "infohus", "infohus_owner", "infohus_app", "db", 5432, ("10.1.0.0/16", "10.2.0.0/16")
    ).hba_lines()
    app = [line.split() for line in lines if "infohus_app" in line]
    assert app == [
        ["hostssl", "infohus", "infohus_app", "10.1.0.0/16", "scram-sha-256"],
        ["hostssl", "infohus", "infohus_app", "10.2.0.0/16", "scram-sha-256"],
    ]
    owner = [line.split()[3] for line in lines if "infohus_owner" in line and "host" in line]
    assert owner == ["127.0.0.1/32", "::1/128"]
    assert EXAMPLE_NETWORK in " ".join(WHERE.hba_lines())  # an example to replace, said so
    # In columns, as pg_hba.conf's examples are: each METHOD starts where the header's does.
    assert {line.index("scram-sha-256") for line in lines[1:]} == {lines[0].index("METHOD")}


def test_the_service_file_names_no_password_and_requires_verify_full() -> None:
    stanza = WHERE.service_stanza()
    assert stanza[0] == "[infohus]" and "user=infohus_app" in stanza
    assert "sslmode=verify-full" in stanza
    assert not any("password" in line for line in stanza)
    assert WHERE.vault_url() == "postgresql+psycopg:///?service=infohus"
    danish = WHERE.service_stanza("distriktets CA-certifikat")
    assert danish[-1] == "# sslrootcert=<distriktets CA-certifikat>"


def test_a_password_with_colons_and_backslashes_is_escaped_for_pgpass() -> None:
    line = WHERE.pgpass_line("infohus_app", r"a:b\c")
    assert line == r"db.kommune.dk:5432:infohus:infohus_app:a\:b\\c"


@pytest.mark.parametrize("name", ["Infohus", "1vault", "_x", "a-b", "x" * 64, 'a"b'])
def test_names_that_would_need_quoting_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        checked_name(name, "Navnet", "name")
