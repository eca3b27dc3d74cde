"""The command line when the server goes away: exit code 8 and a line that says honestly
whether anything was saved (README, "Errors")."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.exc import OperationalError

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.server_link import CommitCheck
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District, built_district
from tests.integration.pg_cluster import Cluster, own_cluster

pytestmark = pytest.mark.postgres


def _run(
    capsys: pytest.CaptureFixture[str], url: str, *args: str, passphrase: str
) -> tuple[int, str]:
    code = main(
        [*args, "--db-url", url, "--passphrase-stdin"],
        stdin=StdinLines(io.StringIO(passphrase + "\n")),
    )
    return code, capsys.readouterr().err


@pytest.fixture
def own_server(cheap_kdf: None) -> Iterator[tuple[Cluster, District, str]]:
    with own_cluster() as cluster:
        url = cluster.create_database("vault")
        with built_district(url) as district:
            district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
            number = (
                district.sessions["mette"]
                .cases.open_case(new_case("Anna Berg"), accept_duplicate=True)
                .number
            )
            yield cluster, district, number


def test_exit_code_8_while_the_server_is_down_and_0_when_it_is_back(
    own_server: tuple[Cluster, District, str], capsys: pytest.CaptureFixture[str]
) -> None:
    cluster, district, number = own_server
    mette = district.passphrases["mette"]
    cluster.crash()
    code, err = _run(
        capsys, district.url, "case", "journal", number, "--text", "Samtale", "--user",
        "mette", passphrase=mette,
    )  # fmt: skip
    assert code == 8
    assert "Forbindelsen til serveren blev afbrudt" in err
    assert "intet blev gemt" in err
    assert "Traceback" not in err

    cluster.start()
    code, err = _run(
        capsys, district.url, "case", "journal", number, "--text", "Samtale", "--user",
        "mette", passphrase=mette,
    )  # fmt: skip
    assert (code, err) == (0, "")
    texts = [e.text for e in district.unlock("mette").cases.show(number).journal]
    assert texts.count("Samtale") == 1


@pytest.mark.parametrize("db_engine", ["postgresql"], indirect=True)  # SQLite has no server
def test_exit_code_8_says_when_it_is_unknown_whether_the_change_was_saved(
    district: District,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db_url = district.url
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    number = (
        district.sessions["mette"].cases.open_case(new_case("Anna Berg"), accept_duplicate=True)
    ).number
    original_execute: Callable[..., None] = PGDialect_psycopg.do_execute
    original_commit: Callable[..., None] = PGDialect_psycopg.do_commit
    journal_written: list[bool] = []

    def execute(self: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO case_journal"):
            journal_written.append(True)
        original_execute(self, cursor, statement, *args)

    def commit(self: Any, dbapi_connection: Any) -> None:
        original_commit(self, dbapi_connection)
        if journal_written and len(journal_written) == 1:
            journal_written.append(False)
            # The COMMIT landed; its answer is lost with the connection.
            getattr(dbapi_connection, "dbapi_connection", dbapi_connection).close()
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    def server_away(_self: Any, _marker: object) -> bool:
        raise OperationalError("SELECT", {}, psycopg.OperationalError("connection refused"))

    monkeypatch.setattr(PGDialect_psycopg, "do_execute", execute)
    monkeypatch.setattr(PGDialect_psycopg, "do_commit", commit)
    monkeypatch.setattr(CommitCheck, "_ask", server_away)
    monkeypatch.setattr(CommitCheck, "__init__", _short_settle(CommitCheck.__init__))

    code, err = _run(
        capsys, db_url, "case", "journal", number, "--text", "Samtale", "--user", "mette",
        passphrase=district.passphrases["mette"],
    )  # fmt: skip
    assert code == 8
    assert "uvist" in err
    assert "infohus case show" in err
    assert "intet blev gemt" not in err


def _short_settle(init: Callable[..., None]) -> Callable[..., None]:
    def short(self: CommitCheck, engine: Any, *args: Any, **kwargs: Any) -> None:
        init(self, engine, *args, **kwargs)
        self.settle_seconds = 0.2

    return short
