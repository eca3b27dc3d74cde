"""What the administrator hands on after ``server init``: the ``pg_hba.conf`` lines and the
workstations' connection, in libpq's own files (a service file and a password file), so no
password is ever in an Infohus setting or a URL the program shows.

The service file names the server, database and role; the password file (``.pgpass`` on
Linux and macOS, mode 0600, ``%APPDATA%\\postgresql\\pgpass.conf`` on Windows) holds the
password; the workstation then opens ``postgresql+psycopg:///?service=infohus``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A network in a pg_hba.conf line that the administrator must replace (TEST-NET-1).
EXAMPLE_NETWORK = "192.0.2.0/24"


@dataclass(frozen=True, slots=True)
class Workstations:
    database: str
    owner: str
    app: str
    host: str
    port: int
    networks: tuple[str, ...] = ()

    @property
    def service_name(self) -> str:
        return self.database

    def hba_lines(self) -> list[str]:
        """Application role from the workstations' networks, over TLS only; the owner only
        from the server itself (migrations and restores are run there)."""
        rows = [("# TYPE", "DATABASE", "USER", "ADDRESS", "METHOD")]
        for network in self.networks or (EXAMPLE_NETWORK,):
            rows.append(("hostssl", self.database, self.app, network, "scram-sha-256"))
        rows.append(("hostssl", self.database, self.owner, "127.0.0.1/32", "scram-sha-256"))
        rows.append(("hostssl", self.database, self.owner, "::1/128", "scram-sha-256"))
        rows.append(("local", self.database, self.owner, "", "scram-sha-256"))
        # In columns, as pg_hba.conf's own examples are (a local line has no address).
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        return [
            "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
            + "  "
            + row[4]
            for row in rows
        ]

    def service_stanza(
        self, ca_hint: str = "the district's CA certificate (docs/SERVER.md, TLS)"
    ) -> list[str]:
        """``ca_hint``: what the commented ``sslrootcert`` line says to put there, in the
        administrator's language."""
        return [
            f"[{self.service_name}]",
            f"host={self.host}",
            f"port={self.port}",
            f"dbname={self.database}",
            f"user={self.app}",
            "sslmode=verify-full",
            f"# sslrootcert=<{ca_hint}>",
        ]

    def vault_url(self) -> str:
        return f"postgresql+psycopg:///?service={self.service_name}"

    def pgpass_line(self, role: str, password: str) -> str:
        """One line of a libpq password file; ``:`` and ``\\`` escaped as libpq wants."""
        escaped = password.replace("\\", "\\\\").replace(":", "\\:")
        return f"{self.host}:{self.port}:{self.database}:{role}:{escaped}"
