"""A PostgreSQL 15 cluster of a test's own, to stop and start under running work.

The shared test server (tests/pgserver.py) must never go down under other tests, so the outage
tests start their own: ``initdb`` in a temporary directory owned by ``postgres`` (the server
refuses to run as root), a free port on 127.0.0.1 only, a private unix socket, a password for
TCP, and ``fsync`` on — a crash must lose nothing that was acknowledged, so durability has to
be real here. Skipped where the binaries or the ``postgres`` user are missing.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")

#: ``initdb`` for every throwaway cluster of the tests (this one and tls_cluster.py): the
#: superuser ``postgres``, trust on the socket, SCRAM over TCP, no locale, no fsync at init.
INITDB_OPTIONS = (
    "-U",
    "postgres",
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "--encoding=UTF8",
    "--no-locale",
    "--no-sync",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One throwaway cluster; :meth:`crash` is ``pg_ctl stop -m immediate``."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "data"
        self.sock = base / "sock"
        self.log = base / "server.log"
        self.port = _free_port()
        self.password = secrets.token_hex(16)

    # -- as the cluster's owner ---------------------------------------------------------------

    def _pg(self, *args: str, timeout: float = 60) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command, cwd="/", check=True, capture_output=True, timeout=timeout, text=True
        )

    def init(self) -> None:
        pwfile = self.base / "pw"
        pwfile.write_text(self.password + "\n")
        self._chown(pwfile)
        self._pg(
            "initdb",
            "-D",
            str(self.data),
            *INITDB_OPTIONS,
            f"--pwfile={pwfile}",
        )
        pwfile.unlink()

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} "
            "-c fsync=on -c synchronous_commit=on -c autovacuum=off"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-s",
                 "-o", options, "start")  # fmt: skip

    def crash(self) -> None:
        """Stop at once, as a power cut would: no checkpoint, every backend killed."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")
            except subprocess.SubprocessError:
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- as a client --------------------------------------------------------------------------

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with self.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        return self.url(name)

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            password=self.password,
            dbname=database,
            autocommit=True,
            connect_timeout=5,
        )

    def wait_accepting(self, database: str, within: float = 30) -> float:
        """Poll until the server takes a connection; the monotonic time it first did."""
        deadline = time.monotonic() + within
        while True:
            try:
                with self.connect(database):
                    return time.monotonic()
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """A started cluster of this test; stopped and deleted afterwards."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 binaries not found")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no postgres user to run a cluster as")
    base = Path(tempfile.mkdtemp(prefix="infohus-outage.", dir="/tmp"))
    cluster = Cluster(base)
    try:
        cluster.sock.mkdir(mode=0o700)
        for path in (base, cluster.sock):
            cluster._chown(path)
        base.chmod(0o700)
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)
