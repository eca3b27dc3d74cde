"""Fixtures shared by all tests: database URLs for SQLite and PostgreSQL, and a private home.

PostgreSQL tests need ``INFOHUS_TEST_PG_URL`` (an admin URL for a role with CREATEDB, see
``.ci/run``); without it they are skipped, unless ``INFOHUS_REQUIRE_PG=1``, when they fail.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.compiled_statements import share_compiled_statements
from tests.pgserver import check_server, throwaway_database

# The desktop tests run without a display; a developer's own QT_QPA_PLATFORM wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL_VAR = "INFOHUS_TEST_PG_URL"
REQUIRE_PG_VAR = "INFOHUS_REQUIRE_PG"
#: A superuser on the same server (``.ci/run``: ``postgres`` over the private socket), for
#: what only the server administrator may do: installing the unlock guard.
PG_SUPERUSER_URL_VAR = "INFOHUS_TEST_PG_SUPERUSER_URL"

#: A memory file system for the suite's temporary files, when the machine has one with room.
MEMORY_TEMP_ROOT = Path("/dev/shm")
#: Room the memory file system must have free: the largest tests write some 70 MB each, and
#: the tmp_path of a passed test is removed at its end (tmp_path_retention_policy, pyproject).
MEMORY_TEMP_MIN_FREE = 2 * 1024**3


def pytest_configure(config: pytest.Config) -> None:
    """Every engine of a test process finds the statements another one compiled
    (tests/compiled_statements.py). And temporary files (every tmp_path, so every SQLite vault)
    go to memory when nobody chose a place (no ``--basetemp``, no ``TMPDIR``). A vault commits
    with ``synchronous=FULL``, so on a disk each commit waits for an fsync: building a district
    took about 0.4 s on this ext4 disk and 0.22 s on tmpfs. Durability across a power cut is not
    what any test checks (a killed process loses nothing the page cache holds either way), and
    the file system's modes, renames, locks and WAL behave the same. Set before the first
    tmp_path is made, and inherited by pytest-xdist's workers and by any subprocess a test
    starts."""
    share_compiled_statements()
    if config.option.basetemp or os.environ.get("TMPDIR"):
        return
    try:
        room = os.statvfs(MEMORY_TEMP_ROOT)
    except OSError:
        return
    if room.f_bavail * room.f_frsize < MEMORY_TEMP_MIN_FREE or not os.access(
        MEMORY_TEMP_ROOT, os.W_OK | os.X_OK
    ):
        return
    os.environ["TMPDIR"] = str(MEMORY_TEMP_ROOT)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail the run when ``--dist loadgroup`` stops grouping: tests marked ``xdist_group``
    share a fixture built once per worker (the shared demo), and spread over two workers
    they would build it twice without anyone noticing. pytest-xdist marks a grouped test by
    an ``@group`` suffix on its id, after this hook's earlier peers."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            raise pytest.UsageError(
                f"{item.nodeid} is marked xdist_group but pytest-xdist did not group it: "
                "this pytest and pytest-xdist do not work together (see pyproject.toml)."
            )


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+pysqlite:///{tmp_path}/vault.sqlite"


@pytest.fixture(autouse=True)
def infohus_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Local state (settings, pinned fingerprints, checkpoints) goes to a fresh directory.

    The directory is not created here: the application creates it, with its own permissions.
    """
    home = tmp_path / "home"
    monkeypatch.setenv("INFOHUS_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The admin URL of the test server; skipped without one, failed if one is required."""
    required = os.environ.get(REQUIRE_PG_VAR) == "1"
    url = os.environ.get(PG_URL_VAR)
    if not url:
        reason = f"{PG_URL_VAR} is not set"
        if required:
            pytest.fail(f"{REQUIRE_PG_VAR}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        check_server(url)
    except Exception as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        reason = f"PostgreSQL at {shown} is unreachable: {exc}"
        if required:
            pytest.fail(f"{REQUIRE_PG_VAR}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def pg_superuser_url(pg_admin_url: str) -> str:
    """The superuser URL of the test server; skipped without one, failed if PG is required."""
    url = os.environ.get(PG_SUPERUSER_URL_VAR)
    if not url:
        reason = f"{PG_SUPERUSER_URL_VAR} is not set"
        if os.environ.get(REQUIRE_PG_VAR) == "1":
            pytest.fail(f"{REQUIRE_PG_VAR}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "postgresql"],
)
def db_engine(request: pytest.FixtureRequest) -> str:
    """The engine a test of the vault runs on: each such test runs on both, unless it is
    parametrized (``indirect``) to one. ``db_url`` makes an empty database on it; a fixture
    that fills its database from a template (``district``) makes the copy on it instead,
    and so creates one database per test, not an empty one and then the copy."""
    return str(request.param)


@pytest.fixture
def db_url(db_engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a file in ``tmp_path``, or a throwaway PostgreSQL database."""
    if db_engine == "sqlite":
        yield _sqlite_url(tmp_path)
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    with throwaway_database(admin_url) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """SQLite only, for tests that read the database file's bytes."""
    return _sqlite_url(tmp_path)


# --- cheap_kdf --------------------------------------------------------------------------------
# Reserved: another engineer adds the `cheap_kdf` fixture here (cheap, test-only Argon2id cost).
# Do not define it in this file until then.
