"""A district's shared server as its IT department sets it up (``infohus server init`` and
``migrate``, docs/SERVER.md), on the test cluster with its superuser as the administrator:
what init makes, a coordinator's and a member's real work as the application role, what that
role may not do, the triggers that refuse even the owner, and the messages when the schema and
the program do not match.

Every test makes its own database and roles with unique names and drops them afterwards.
"""

from __future__ import annotations

import io
import stat
import uuid
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from infohus_desktop.cli import main
from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.errors import InvalidInput, SchemaMismatch, VaultUnavailable
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts import unlock_guard
from infohus_desktop.services.front_door import Vault
from infohus_desktop.services.server_setup import privileges
from infohus_desktop.services.server_setup.provisioning import (
    SetupReport,
    init_server,
    migrate_server,
)
from infohus_desktop.services.server_setup.workstations import Workstations
from infohus_desktop.vault import migrate
from infohus_desktop.vault.append_only import APPEND_ONLY_TABLES, installed
from infohus_desktop.vault.server_tls import TlsRequired
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import COORDINATOR_PASS, District, new_vault
from tests.pgserver import superuser_connection, throwaway_database

pytestmark = pytest.mark.postgres

LATER = add_months(date.today(), 30)  # the journal's case and the first audit entries are due


@dataclass
class Server:
    admin_url: str
    report: SetupReport
    host: str
    port: int

    @property
    def database(self) -> str:
        return self.report.database

    def url(self, role: str = "app") -> str:
        who = self.report.app if role == "app" else self.report.owner
        return (
            f"postgresql+psycopg://{who.name}:{who.password}@{self.host}:{self.port}/"
            f"{self.database}"
        )

    def run(self, role: str, sql: str, params: dict[str, object] | None = None) -> None:
        """One statement in its own transaction as ``role`` (``app`` or ``owner``)."""
        engine = create_engine(self.url(role), poolclass=NullPool)
        try:
            with engine.begin() as connection:
                connection.execute(text(sql), params or {})
        finally:
            engine.dispose()

    def admin(self, sql: str) -> list[tuple[object, ...]]:
        with superuser_connection(self.admin_url, self.database) as conn:
            cursor = conn.execute(sql.encode())
            return list(cursor.fetchall()) if cursor.description else []


def _drop(admin_url: str, database: str, roles: tuple[str, ...]) -> None:
    with superuser_connection(admin_url, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'.encode())
        for role in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())


@pytest.fixture
def make_server(pg_superuser_url: str, pg_admin_url: str) -> Iterator[Callable[..., Server]]:
    made: list[tuple[str, tuple[str, ...]]] = []
    tcp = make_url(pg_admin_url)

    def make(with_schema: bool = True) -> Server:
        database = f"infohus_t_srv_{uuid.uuid4().hex[:12]}"
        made.append((database, (f"{database}_owner", f"{database}_app")))
        report = init_server(pg_superuser_url, database, with_schema=with_schema)
        return Server(pg_superuser_url, report, tcp.host or "127.0.0.1", tcp.port or 5432)

    yield make
    for database, roles in made:
        _drop(pg_superuser_url, database, roles)


@pytest.fixture
def server(make_server: Callable[..., Server]) -> Server:
    return make_server()


def _refused(server: Server, role: str, sql: str) -> str:
    with pytest.raises(DBAPIError) as caught:
        server.run(role, sql)
    return str(caught.value.orig)


# -- what init makes --------------------------------------------------------------------------


def test_init_makes_the_database_the_two_roles_the_schema_and_the_guards(server: Server) -> None:
    owner, app = server.report.owner.name, server.report.app.name
    [(db_owner, public_connect)] = server.admin(
        "SELECT pg_get_userbyid(datdba), has_database_privilege('public', oid, 'CONNECT') "
        "FROM pg_database WHERE datname = current_database()"
    )
    assert (db_owner, public_connect) == (owner, False)
    for role in (owner, app):
        [flags] = server.admin(
            f"SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb "
            f"FROM pg_roles WHERE rolname = '{role}'"
        )
        assert flags == (True, False, False, False)
    assert server.admin("SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    engine = create_engine(server.url("owner"), poolclass=NullPool)
    with engine.connect() as connection:
        assert installed(connection) == sorted(APPEND_ONLY_TABLES)
    engine.dispose()
    [(insert, update, delete)] = server.admin(
        f"SELECT has_table_privilege('{app}', 'audit_entries', 'INSERT'), "
        f"has_table_privilege('{app}', 'audit_entries', 'UPDATE'), "
        f"has_table_privilege('{app}', 'audit_entries', 'DELETE')"
    )
    assert (insert, update, delete) == (True, False, False)
    app_engine = create_engine(server.url("app"), poolclass=NullPool)
    assert unlock_guard.probe(app_engine).active
    app_engine.dispose()
    # The passwords went to the server as SCRAM verifiers only.
    [(verifier,)] = server.admin(f"SELECT rolpassword FROM pg_authid WHERE rolname = '{app}'")
    assert str(verifier).startswith("SCRAM-SHA-256$")
    assert server.report.app.password not in str(verifier)


def test_migrate_again_changes_nothing_and_keeps_the_guards(server: Server) -> None:
    report = migrate_server(server.admin_url, server.database)
    assert report.before == report.after == migrate.head_revision()
    assert report.apps == (server.report.app.name,) and report.guard
    engine = create_engine(server.url("owner"), poolclass=NullPool)
    with engine.connect() as connection:
        assert installed(connection) == sorted(APPEND_ONLY_TABLES)
    engine.dispose()


# -- a real session as the application role ----------------------------------------------------


def _workstation_files(server: Server, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The service file and password file as SERVER.md says, and the URL without password.
    (The test cluster has no TLS: ``sslmode=disable`` instead of verify-full here.)"""
    where = Workstations(
        server.database,
        server.report.owner.name,
        server.report.app.name,
        server.host,
        server.port,
    )
    stanza = [
        "sslmode=disable" if line.startswith("sslmode=") else line
        for line in where.service_stanza()
    ]
    service_file = home / "pg_service.conf"
    service_file.write_text("\n".join(stanza) + "\n", encoding="utf-8")
    pgpass = home / "pgpass"
    pgpass.write_text(
        where.pgpass_line(server.report.app.name, server.report.app.password) + "\n",
        encoding="utf-8",
    )
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    return where.vault_url()


def test_the_first_coordinator_creates_the_vault_and_the_district_works_as_the_app_role(
    server: Server, cheap_kdf: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _workstation_files(server, tmp_path, monkeypatch)
    assert server.report.app.password not in url
    with pytest.raises(VaultUnavailable) as caught:
        Vault.open(url, LocalState())
    assert "endnu ingen boks" in caught.value.message("da")

    lars = new_vault(url)
    district = District(url, lars)
    try:
        lars.groups.add_municipality("Aarhus Kommune", "AAR")
        mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
        case = mette.cases.open_case(new_case("Delt Sag"), accept_duplicate=True)
        mette.case_records.add_journal(case.number, JournalKind.CONVERSATION, "Samtale")
        assert len(mette.cases.show(case.number).journal) == 1
        lars.cases.change_status(
            case.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED
        )
        # The two deletions the program makes in what only grows, through the server's
        # functions: a case with its journal after retention, and the audit log's old part.
        stone = lars.retention.delete(case.number, "Slettefristen er udløbet", today=LATER)
        assert stone.number == case.number
        # The server refuses to let entries younger than its floor go (13 months by its own
        # clock, which a test cannot move): the administrator lowers it for this test.
        server.admin("UPDATE infohus_server_policy SET audit_keep = interval '0'")
        pruned = lars.audit_pruning.prune(LATER)
        assert pruned.entries > 0
        assert lars.audit.verify().ok
        lars.lock()
        again = district.unlock("lars")
        assert again.audit.verify().ok
        # The application role's password is on every workstation: with a summary of its
        # own it still cannot erase entries younger than the floor through the function.
        server.admin("UPDATE infohus_server_policy SET audit_keep = interval '13 months'")
        top = server.admin("SELECT max(seq) FROM audit_entries")[0][0]
        member_id = server.admin("SELECT id FROM members LIMIT 1")[0][0]
        reason = _refused(
            server,
            "app",
            "INSERT INTO audit_prunings (last_seq, first_seq, entries, head_hash, first_at, "
            f"last_at, pruned_at, pruned_by, signature) VALUES ({top}, 1, {top}, 'x', 'a', "
            f"'b', 'c', '{member_id}', '\\x00'); SELECT public.infohus_prune_audit(1, {top})",
        )
        assert "pruning summary" in reason
        assert again.audit.verify().ok
    finally:
        for session in [lars, *district.sessions.values()]:
            session.lock()
        district.close()
    assert server.admin("SELECT count(*) FROM case_journal") == [(0,)]
    assert server.admin("SELECT count(*) FROM case_tombstones") == [(1,)]


# -- what the application role may not do ------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_entries SET at = at",
        "DELETE FROM audit_entries",
        "UPDATE audit_checkpoints SET at = at",
        "DELETE FROM audit_checkpoints",
        "UPDATE case_journal SET at = at",
        "DELETE FROM case_journal",
        "UPDATE case_tombstones SET number = number",
        "DELETE FROM case_tombstones",
        "TRUNCATE audit_entries CASCADE",
        "DROP TABLE cases CASCADE",
        "CREATE TABLE loot (x integer)",
        "ALTER TABLE cases ADD COLUMN loot integer",
        "ALTER TABLE case_journal DISABLE TRIGGER ALL",
        "UPDATE alembic_version SET version_num = '0001'",
        "UPDATE infohus_server_policy SET audit_keep = interval '0'",
    ],
)
def test_the_app_role_may_not(server: Server, sql: str) -> None:
    reason = _refused(server, "app", sql)
    assert "permission denied" in reason or "must be owner" in reason


def _a_case_with_a_journal(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A coordinator on a workstation (the app role) opens a case and writes a journal note."""
    lars = new_vault(_workstation_files(server, tmp_path, monkeypatch))
    try:
        lars.groups.add_municipality("Aarhus Kommune", "AAR")
        case = lars.cases.open_case(new_case(name), accept_duplicate=True)
        lars.case_records.add_journal(case.number, JournalKind.CONVERSATION, "Samtale")
    finally:
        lars.lock()
        lars.vault.close()


def test_the_app_role_cannot_delete_a_journal_without_deleting_its_case(
    server: Server, cheap_kdf: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _a_case_with_a_journal(server, tmp_path, monkeypatch, "Levende Sag")
    [(case_id,)] = server.admin("SELECT case_id FROM case_journal")
    reason = _refused(server, "app", f"SELECT infohus_delete_case_journal('{case_id}')")
    assert "only with the deletion of their case" in reason
    assert server.admin("SELECT count(*) FROM case_journal") == [(1,)]


def test_the_triggers_refuse_even_the_owner(
    server: Server, cheap_kdf: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _a_case_with_a_journal(server, tmp_path, monkeypatch, "Ejerens Fejl")
    for sql, says in (
        ("UPDATE audit_entries SET at = at", "never changed or deleted"),
        ("UPDATE case_journal SET at = at", "never changed or deleted"),
        ("TRUNCATE audit_entries CASCADE", "never changed or deleted"),
        ("DELETE FROM audit_entries", "behind a pruning summary"),
        ("DELETE FROM case_journal", "only with the deletion of their case"),
    ):
        assert says in _refused(server, "owner", sql)
    assert server.admin("SELECT count(*) > 0 FROM audit_entries") == [(True,)]


def test_the_app_role_cannot_reach_another_database(
    server: Server, make_server: Callable[..., Server], pg_admin_url: str
) -> None:
    other = make_server()
    foreign = server.url("app").rsplit("/", 1)[0] + f"/{other.database}"
    engine = create_engine(foreign, poolclass=NullPool)
    with pytest.raises(DBAPIError) as caught:
        engine.connect()
    engine.dispose()
    assert "permission denied for database" in str(caught.value.orig)
    # A database not set up by init (CONNECT for everyone, as PostgreSQL makes it): the app
    # role may come in (the pg_hba.conf lines are what keep it out) but reads nothing there.
    with throwaway_database(pg_admin_url) as plain:
        with psycopg.connect(
            make_url(plain).set(drivername="postgresql").render_as_string(False), autocommit=True
        ) as conn:
            conn.execute(b"CREATE TABLE private (secret text)")
        elsewhere = server.url("app").rsplit("/", 1)[0] + f"/{make_url(plain).database}"
        engine = create_engine(elsewhere, poolclass=NullPool)
        with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
            connection.execute(text("SELECT * FROM private"))
        engine.dispose()
        assert "permission denied" in str(caught.value.orig)


# -- schema older or newer than the program -----------------------------------------------------


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def test_an_older_schema_says_the_server_must_be_updated_until_it_is(
    make_server: Callable[..., Server],
) -> None:
    server = make_server(with_schema=False)
    engine = create_engine(
        make_url(server.admin_url).set(database=server.database), poolclass=NullPool
    )
    with engine.begin() as connection:  # as an earlier version's `server init` left it
        connection.exec_driver_sql(f'SET LOCAL ROLE "{server.report.owner.name}"')
        command.upgrade(migrate.alembic_config(connection), "0017")
    engine.dispose()
    with pytest.raises(SchemaMismatch):  # not even granted yet: the same message
        Vault.open(server.url("app"), LocalState())
    engine = create_engine(
        make_url(server.admin_url).set(database=server.database), poolclass=NullPool
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(f'SET LOCAL ROLE "{server.report.owner.name}"')
        privileges.apply(connection, [server.report.app.name])
    engine.dispose()
    with pytest.raises(SchemaMismatch) as caught:
        Vault.open(server.url("app"), LocalState())
    assert "serveren skal opdateres" in caught.value.message("da").lower()
    assert "infohus server migrate" in caught.value.message("en")
    code, said = _cli("vault", "info", "--db-url", server.url("app"))
    assert code == 13 and "infohus server migrate" in said and "Traceback" not in said
    assert server.admin("SELECT version_num FROM alembic_version") == [("0017",)]

    code, said = _cli(
        "server", "migrate", "--admin-url", server.admin_url, "--database", server.database
    )
    assert code == 0, said
    with pytest.raises(VaultUnavailable) as ready:
        Vault.open(server.url("app"), LocalState())
    assert "endnu ingen boks" in ready.value.message("da")


def test_a_newer_schema_says_update_infohus_desktop(server: Server) -> None:
    server.admin("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaMismatch) as caught:
        Vault.open(server.url("app"), LocalState())
    assert "opdatér infohus desktop" in caught.value.message("da").lower()
    assert "update Infohus Desktop" in caught.value.message("en")
    code, said = _cli("vault", "info", "--db-url", server.url("app"))
    assert code == 13 and "opdatér Infohus Desktop" in said and "Traceback" not in said
    code, said = _cli(
        "server", "migrate", "--admin-url", server.admin_url, "--database", server.database
    )
    assert code == 13 and "opdatér Infohus Desktop" in said


# -- the command line -------------------------------------------------------------------------


def test_server_init_on_the_command_line_writes_the_passwords_once_and_privately(
    pg_superuser_url: str, tmp_path: Path
) -> None:
    database = f"infohus_t_srv_{uuid.uuid4().hex[:12]}"
    roles = (f"{database}_owner", f"{database}_app")
    secrets = tmp_path / "roller.pgpass"
    try:
        code, said = _cli(
            "server",
            "init",
            "--admin-url",
            pg_superuser_url,
            "--database",
            database,
            "--server-host",
            "db.kommune.dk",
            "--workstation-net",
            "10.20.0.0/16",
            "--passwords-file",
            str(secrets),
        )
        assert code == 0, said
        hba = [line.split() for line in said.splitlines() if "10.20.0.0/16" in line]
        assert hba == [["hostssl", database, roles[1], "10.20.0.0/16", "scram-sha-256"]]
        assert f"postgresql+psycopg:///?service={database}" in said
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
        lines = secrets.read_text(encoding="utf-8").splitlines()
        assert [line.rsplit(":", 1)[0] for line in lines] == [
            f"db.kommune.dk:5432:{database}:{roles[1]}",
            f"db.kommune.dk:5432:{database}:{roles[0]}",
        ]
        for line in lines:
            assert line.rsplit(":", 1)[1] not in said  # not printed as well
        code, said = _cli("server", "init", "--admin-url", pg_superuser_url, "--database", database)
        assert code == 2 and "findes allerede" in said
    finally:
        _drop(pg_superuser_url, database, roles)


def test_an_administrator_who_is_not_a_superuser_is_told(pg_admin_url: str) -> None:
    code, said = _cli(
        "server",
        "init",
        "--admin-url",
        pg_admin_url,
        "--database",
        f"infohus_t_srv_{uuid.uuid4().hex[:12]}",
    )
    assert code == 4 and "superbruger" in said


# -- a backup restored into a new server --------------------------------------------------------


def test_a_backup_is_restored_as_the_owner_and_then_used_as_the_app_role(
    make_server: Callable[..., Server], tmp_path: Path, cheap_kdf: None
) -> None:
    from infohus_desktop.services.backups.restore import restore_file
    from tests.integration.conftest import built_district

    with built_district(f"sqlite+pysqlite:///{tmp_path}/vault.sqlite") as district:
        lars = district.coordinator
        case = lars.cases.open_case(new_case("Flyttet Sag"), accept_duplicate=True)
        lars.case_records.add_journal(case.number, JournalKind.CONVERSATION, "Samtale")
        backup = tmp_path / "kopi.ihk"
        lars.backups.create(backup)
    server = make_server(with_schema=False)
    with pytest.raises(InvalidInput) as caught:
        restore_file(backup, server.url("app"), "lars", COORDINATOR_PASS)
    assert "ejerrolle" in caught.value.message("da")
    restore_file(backup, server.url("owner"), "lars", COORDINATOR_PASS)
    report = migrate_server(server.admin_url, server.database)
    assert report.guard and report.apps == (server.report.app.name,)
    with Vault.open(server.url("app"), LocalState()) as vault:
        session = vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
        try:
            assert len(session.cases.show(case.number).journal) == 1
            assert session.audit.verify().ok
        finally:
            session.lock()
    assert "never changed or deleted" in _refused(
        server, "owner", "UPDATE case_journal SET at = at"
    )


def test_a_remote_administrator_connection_needs_verified_tls_before_anything_is_sent() -> None:
    # 192.0.2.1 is a documentation address: nothing answers there, so a refusal that came
    # after an attempt would take the connect timeout; this one comes before any attempt.
    with pytest.raises(TlsRequired) as caught:
        init_server("postgresql+psycopg://postgres:hemmelig@192.0.2.1/postgres", "infohus")
    assert "verify-full" in caught.value.message("da")
    assert "hemmelig" not in caught.value.message("da")
