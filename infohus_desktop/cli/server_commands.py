"""`infohus server …`: set up and update a district's shared PostgreSQL server (docs/SERVER.md).

Both commands run with an administrator's connection (``--admin-url``, a superuser, best
over the server's local socket with peer authentication so no password is typed): ``init``
makes the database, the owner role and the application role, and prints the ``pg_hba.conf``
lines and the workstations' connection; ``migrate`` brings the schema up to this program's as
the owner role. The roles' passwords are generated, shown once or written to a 0600 file the
administrator names, and kept nowhere else.

Exit codes: 0 done; 2 bad input (a name, an existing database or role, a file that exists);
4 the administrator connection is not a superuser; 8 the server cannot be used; 13 the
vault needs a step first (a newer schema: update Infohus Desktop; an earlier format:
``infohus vault upgrade``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

from infohus_desktop.argparse_language import Parser
from infohus_desktop.cli.args import write_atomic
from infohus_desktop.cli.io import emit_json, t
from infohus_desktop.domain.errors import InfohusError, InvalidInput
from infohus_desktop.services.server_setup.provisioning import (
    MigrationReport,
    init_server,
    migrate_server,
)
from infohus_desktop.services.server_setup.workstations import EXAMPLE_NETWORK, Workstations


def _guard_text(installed: bool) -> str:
    return t("installeret", "installed") if installed else t("ikke endnu", "not yet")


def _migration_lines(report: MigrationReport) -> list[str]:
    before = report.before or t("tom", "empty")
    return [
        t(
            f"Skemaet i {report.database} er på revision {report.after} (før: {before}), "
            f"migreret som {report.owner}.",
            f"The schema of {report.database} is at revision {report.after} (before: "
            f"{before}), migrated as {report.owner}.",
        ),
        t(
            f"Rettigheder og beskyttelse af de tabeller, der kun må vokse, er sat for: "
            f"{', '.join(report.apps) or '-'}.",
            f"Privileges and the guards of the tables that only grow are set for: "
            f"{', '.join(report.apps) or '-'}.",
        ),
        t(
            f"Beskyttelsen mod gætteforsøg (infohus_guard): {_guard_text(report.guard)}.",
            f"The protection against guessing (infohus_guard): {_guard_text(report.guard)}.",
        ),
    ]


def _migration_json(report: MigrationReport) -> dict[str, Any]:
    return {
        "database": report.database,
        "owner_role": report.owner,
        "app_roles": list(report.apps),
        "revision_before": report.before,
        "revision": report.after,
        "unlock_guard": report.guard,
    }


def _passwords_target(name: str | None) -> Path | None:
    """Checked before anything is made: a password file never overwrites one."""
    if name is None:
        return None
    target = Path(name).expanduser().resolve()
    if target.exists():
        raise InvalidInput(
            f"Filen {target} findes allerede; intet er ændret.",
            f"The file {target} already exists; nothing was changed.",
        )
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    return target


def server_init(args: argparse.Namespace) -> int:
    target = _passwords_target(args.passwords_file)
    admin = make_url(args.admin_url)
    report = init_server(
        args.admin_url,
        args.database,
        args.owner_role,
        args.app_role,
        with_schema=not args.without_schema,
        guard_sql=args.unlock_guard_sql,
    )
    where = Workstations(
        report.database,
        report.owner.name,
        report.app.name,
        args.server_host or admin.host or "SERVER",
        args.port or admin.port or 5432,
        tuple(args.workstation_net or ()),
    )
    pgpass = [where.pgpass_line(r.name, r.password) for r in (report.app, report.owner)]
    written = _write_passwords(target, pgpass) if target else None
    if args.json:
        data: dict[str, Any] = {
            "database": report.database,
            "owner_role": report.owner.name,
            "app_role": report.app.name,
            "migration": _migration_json(report.migration) if report.migration else None,
            "pg_hba": where.hba_lines(),
            "pg_service": where.service_stanza(),
            "vault_url": where.vault_url(),
            "passwords_file": str(written) if written else None,
        }
        if written is None:
            data["pgpass"] = pgpass
        emit_json(data)
        return 0
    print(
        t(
            f"Databasen {report.database} er oprettet med ejerrollen {report.owner.name} og "
            f"programrollen {report.app.name}.",
            f"The database {report.database} was created with the owner role "
            f"{report.owner.name} and the application role {report.app.name}.",
        )
    )
    if report.migration:
        for line in _migration_lines(report.migration):
            print(line)
    else:
        print(
            t(
                "Uden skema: genskab en sikkerhedskopi som ejerrollen, og kør så "
                "'infohus server migrate'.",
                "Without a schema: restore a backup as the owner role, then run "
                "'infohus server migrate'.",
            )
        )
    _print_block(
        t(
            "Linjer til pg_hba.conf (før andre linjer for databasen; genindlæs serveren bagefter):",
            "Lines for pg_hba.conf (before other lines for the database; reload the server after):",
        ),
        where.hba_lines(),
    )
    if not args.workstation_net:
        print(
            t(
                f"  ({EXAMPLE_NETWORK} er et eksempel: skriv arbejdsstationernes net, eller "
                "angiv --workstation-net.)",
                f"  ({EXAMPLE_NETWORK} is an example: write the workstations' network, or "
                "give --workstation-net.)",
            )
        )
    _print_block(
        t(
            "Til arbejdsstationernes tjenestefil (~/.pg_service.conf, på Windows "
            "%APPDATA%\\postgresql\\.pg_service.conf):",
            "For the workstations' service file (~/.pg_service.conf, on Windows "
            "%APPDATA%\\postgresql\\.pg_service.conf):",
        ),
        where.service_stanza(
            t(
                "distriktets CA-certifikat (docs/SERVER.md, TLS)",
                "the district's CA certificate (docs/SERVER.md, TLS)",
            )
        ),
    )
    print(
        t(
            f"Arbejdsstationerne åbner boksen med adressen {where.vault_url()}",
            f"The workstations open the vault with the URL {where.vault_url()}",
        )
    )
    if written:
        print(
            t(
                f"Rollernes adgangskoder er skrevet i {written} (kun læsbar for dig), i "
                "formatet for .pgpass. De gemmes ingen andre steder.",
                f"The roles' passwords were written to {written} (readable by you only), in "
                "the format of .pgpass. They are kept nowhere else.",
            )
        )
    else:
        _print_block(
            t(
                "Rollernes adgangskoder, vist denne ene gang (linjer til .pgpass, filens "
                "rettigheder 0600; på Windows %APPDATA%\\postgresql\\pgpass.conf):",
                "The roles' passwords, shown this once (lines for .pgpass, the file's mode "
                "0600; on Windows %APPDATA%\\postgresql\\pgpass.conf):",
            ),
            pgpass,
        )
    return 0


def _print_block(title: str, lines: list[str]) -> None:
    print()
    print(title)
    for line in lines:
        print(f"  {line}")


def _write_passwords(target: Path, lines: list[str]) -> Path | None:
    def fill(sink: IO[bytes]) -> None:
        sink.write(("\n".join(lines) + "\n").encode("utf-8"))

    try:
        return write_atomic(str(target), fill, 0o600)
    except InfohusError:
        # The roles exist now: show the passwords rather than lose them.
        print(
            t(
                f"Filen {target} kunne ikke skrives; adgangskoderne vises i stedet.",
                f"The file {target} could not be written; the passwords are shown instead.",
            )
        )
        return None


def server_migrate(args: argparse.Namespace) -> int:
    report = migrate_server(args.admin_url, args.database, args.unlock_guard_sql)
    if args.json:
        emit_json(_migration_json(report))
    else:
        for line in _migration_lines(report):
            print(line)
    return 0


def add_server_parsers(sub: Any) -> None:
    server = sub.add_parser(
        "server",
        help=t(
            "sæt en fælles PostgreSQL-server op og opdatér den (serveradministratoren)",
            "set up and update a shared PostgreSQL server (the server administrator)",
        ),
    ).add_subparsers(dest="action", required=True, metavar="ACTION")

    common = Parser(add_help=False)
    common.add_argument(
        "--admin-url",
        required=True,
        metavar="URL",
        help=t(
            "en superbrugers forbindelse, fx postgresql://postgres@/postgres?host=/var/run/"
            "postgresql (uden adgangskode: brug peer-login eller .pgpass)",
            "a superuser's connection, e.g. postgresql://postgres@/postgres?host=/var/run/"
            "postgresql (no password: use peer login or .pgpass)",
        ),
    )
    common.add_argument(
        "--unlock-guard-sql",
        metavar="FILE",
        help=t(
            "et andet script til beskyttelsen mod gætteforsøg end det, programmet har med",
            "another script of the protection against guessing than the one the program ships",
        ),
    )
    common.add_argument("--json", action="store_true", help=t("svar som JSON", "JSON output"))

    init = server.add_parser(
        "init",
        parents=[common],
        help=t(
            "opret boksens database, ejerrollen og programrollen med mindst mulige rettigheder",
            "create the vault's database, the owner role and the least-privileged application role",
        ),
    )
    init.add_argument(
        "--database", required=True, metavar="NAME", help=t("databasens navn", "database name")
    )
    init.add_argument(
        "--owner-role",
        metavar="ROLE",
        help=t("ejerrollen (standard: NAME_owner)", "the owner role (default: NAME_owner)"),
    )
    init.add_argument(
        "--app-role",
        metavar="ROLE",
        help=t("programrollen (standard: NAME_app)", "the application role (default: NAME_app)"),
    )
    init.add_argument(
        "--passwords-file",
        metavar="FILE",
        help=t(
            "skriv rollernes adgangskoder i FILE (0600, .pgpass-format) i stedet for at vise dem",
            "write the roles' passwords to FILE (0600, .pgpass format) instead of showing them",
        ),
    )
    init.add_argument(
        "--server-host",
        metavar="HOST",
        help=t(
            "serverens navn, som arbejdsstationerne bruger (til tjenestefilen)",
            "the server's name as the workstations use it (for the service file)",
        ),
    )
    init.add_argument(
        "--port", type=int, help=t("serverens port (standard 5432)", "server port (default 5432)")
    )
    init.add_argument(
        "--workstation-net",
        action="append",
        metavar="CIDR",
        help=t(
            "arbejdsstationernes net til pg_hba.conf, fx 10.20.0.0/16 (kan gentages)",
            "the workstations' network for pg_hba.conf, e.g. 10.20.0.0/16 (repeatable)",
        ),
    )
    init.add_argument(
        "--without-schema",
        action="store_true",
        help=t(
            "opret kun database og roller (til at genskabe en sikkerhedskopi som ejerrollen)",
            "only the database and roles (to restore a backup as the owner role)",
        ),
    )
    init.set_defaults(handler=server_init)

    migrate = server.add_parser(
        "migrate",
        parents=[common],
        help=t(
            "opdatér boksens skema til denne versions som ejerrollen, og sæt rettighederne igen",
            "update the vault's schema to this version's as the owner role, and set the "
            "privileges again",
        ),
    )
    migrate.add_argument(
        "--database",
        metavar="NAME",
        help=t(
            "databasens navn (ellers den i administratoradressen)",
            "database name (else the one in the administrator URL)",
        ),
    )
    migrate.set_defaults(handler=server_migrate)
