"""Fixtures for service-level tests: a fresh vault per test with cheap key derivation."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import make_url

from infohus_desktop import demo
from infohus_desktop.crypto import kdf
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.services.retention.approval import Approval
from tests.integration import shared_demo
from tests.integration.schema_cache import migrations_replayed
from tests.pgserver import refill_database, throwaway_database

#: Cheap, test-only Argon2id cost. Production code never lowers the floor.
TEST_FLOOR = kdf.KdfParams(memory_kib=64, iterations=1, lanes=1)

COORDINATOR_PASS = "blåbærgrød med flødeskum"
INITIAL_PASSPHRASES = {
    "lars": COORDINATOR_PASS,
    "mette": "mettes første lange frase",
    "jens": "jens første lange frase",
    "gitte": "gittes første lange frase",
    "dorte": "dortes første lange frase",
    "karl": "karls første lange frase",
    "vibeke": "vibekes første lange frase",
}


@pytest.fixture
def cheap_kdf() -> Iterator[None]:
    kdf._set_floor_for_tests(TEST_FLOOR)
    yield
    kdf._set_floor_for_tests(kdf.PRODUCTION_FLOOR)


@dataclass
class District:
    """A small district: police coordinator lars, Aarhus and Randers, and members."""

    url: str
    coordinator: MemberServices
    sessions: dict[str, MemberServices] = field(default_factory=dict)
    passphrases: dict[str, str] = field(default_factory=lambda: dict(INITIAL_PASSPHRASES))
    opened: list[Vault] = field(default_factory=list)

    def open(self) -> Vault:
        """A fresh handle on the vault, as another process would have; closed at teardown."""
        vault = Vault.open(self.url, LocalState())
        self.opened.append(vault)
        return vault

    def close(self) -> None:
        for vault in [self.coordinator.vault, *self.opened]:
            vault.close()

    def unlock(self, login: str, passphrase: str | None = None) -> MemberServices:
        session = self.open().unlock(
            login, passphrase or self.passphrases[login], sleep=lambda _s: None
        )
        self.sessions[login] = session
        return session

    def approval(self) -> Approval:
        """The four-eyes approval of what deletes sooner than the rules in force (an early
        deletion, rules that shorten a period): the DPO vibeke's, enrolled the first time."""
        if "vibeke" not in self.sessions:
            self.enrol("vibeke", "Vibeke Dalgaard", "Aarhus Kommune", Role.DPO)
        return Approval("vibeke", self.passphrases["vibeke"])

    def enrol(
        self, login: str, name: str, org: str, role: Role, kind: OrgKind | None = None
    ) -> MemberServices:
        """Enrol and do the first unlock with the passphrase change, as the member would."""
        first = self.passphrases[login]
        self.coordinator.accounts.add(login, name, org, role, first, kind)
        session = self.unlock(login)
        session.accounts.change_passphrase(first, first + " ny")
        self.passphrases[login] = first + " ny"
        return session


def new_vault(url: str, coordinator_name: str = "Lars Holm Sørensen") -> MemberServices:
    return Vault.create(
        url,
        NewVault(
            "Østjylland", "lars", coordinator_name, "police", OrgKind.POLICE, COORDINATOR_PASS
        ),
        LocalState(),
    )


@contextmanager
def built_district(url: str) -> Iterator[District]:
    """The standard district in an empty database at ``url``; every session locked and every
    vault closed on exit. The caller sets the KDF floor and ``INFOHUS_HOME``. The schema
    comes from the recording of the first migration (tests/integration/schema_cache.py)."""
    with migrations_replayed():
        coordinator = new_vault(url)
    coordinator.groups.add_municipality("Aarhus Kommune", "AAR")
    coordinator.groups.add_municipality("Randers Kommune", "RAN")
    d = District(url, coordinator)
    try:
        yield d
    finally:
        for session in [coordinator, *d.sessions.values()]:
            session.lock()
        d.close()


def _build_district(url: str, home: Path) -> None:
    with shared_district(url, home):
        pass


@pytest.fixture
def district(
    db_engine: str,
    cheap_kdf: None,
    infohus_home: Path,
    tmp_path: Path,
    vault_templates: Callable[[str, str, Callable[[str, Path], None]], VaultTemplate],
    request: pytest.FixtureRequest,
) -> Iterator[District]:
    """The standard district on ``db_engine``, lars unlocked as its coordinator: a copy of
    one built once per test process and engine (a file copy, or CREATE DATABASE ...
    TEMPLATE), which costs a fraction of creating the vault and its two municipalities per
    test. Its database is ``district.url``."""
    template = vault_templates("district", db_engine, _build_district)
    with district_from(template, tmp_path, infohus_home, request) as d:
        yield d


@pytest.fixture
def created_district(db_url: str, cheap_kdf: None) -> Iterator[District]:
    """The standard district created in this test, its coordinator the session that made the
    vault (and never unlocked it): for what creating a vault leaves, which a copy of a
    template with lars unlocked again (``district``) does not show."""
    with built_district(db_url) as d:
        yield d


@contextmanager
def cheap_floor() -> Iterator[None]:
    """``cheap_kdf`` for fixtures wider than one test; the previous floor comes back after."""
    previous = kdf.current_floor()
    kdf._set_floor_for_tests(TEST_FLOOR)
    try:
        yield
    finally:
        kdf._set_floor_for_tests(previous)


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "postgresql"],
)
def module_engine(request: pytest.FixtureRequest) -> str:
    """``db_url``'s engines (same ids and marks) for fixtures that live as long as a module:
    each such fixture takes its own database from ``module_database``."""
    return str(request.param)


@contextmanager
def module_database(
    engine: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database on ``engine`` that outlives one test: a file in a fresh temporary
    directory, or a throwaway PostgreSQL database dropped on exit."""
    if engine == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path_factory.mktemp('module-vault')}/vault.sqlite"
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    with throwaway_database(admin_url) as url:
        yield url


@contextmanager
def shared_district(url: str, home: Path) -> Iterator[District]:
    """A standard district that outlives one test, built under the cheap KDF floor with its
    local state in ``home``; ``INFOHUS_HOME`` stays pointed there until it is torn down.

    Only for tests that read the vault: building a district (and more so a populated one) per
    test is where much of the suite's time went, and a vault no test writes to is immutable.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INFOHUS_HOME", str(home))
        with cheap_floor(), built_district(url) as d:
            yield d


@contextmanager
def one_test_of(shared: District) -> Iterator[District]:
    """A shared district lent to one test: the handles the test opens are closed after it,
    so a module of tests does not pile up PostgreSQL connections until the module ends."""
    before = len(shared.opened)
    try:
        yield shared
    finally:
        for vault in shared.opened[before:]:
            vault.close()
        del shared.opened[before:]


@dataclass(frozen=True)
class VaultTemplate:
    """A vault built once per test process (closed, nobody connected) and its local state."""

    url: str
    home: Path


@pytest.fixture(scope="session")
def vault_templates(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str, str, Callable[[str, Path], None]], VaultTemplate]]:
    """``(name, engine, build) -> VaultTemplate``: the vault ``build(url, home)`` makes in an
    empty database of ``engine`` with its local state in ``home``, built at the first call
    for that name and engine in this process, and the same template after. Tests never use
    a template itself, only copies (:func:`district_from`, :func:`vault_copy`,
    :func:`fill_from`), so none can see another's changes."""
    built: dict[tuple[str, str], VaultTemplate] = {}
    with ExitStack() as stack:

        def template(name: str, engine: str, build: Callable[[str, Path], None]) -> VaultTemplate:
            if (name, engine) not in built:
                url = stack.enter_context(module_database(engine, request, tmp_path_factory))
                home = tmp_path_factory.mktemp(f"template-{name}") / "home"
                # Under the usual umask, whatever the test that came first set: a copy keeps
                # the modes (test_file_modes checks them on copies of the sender vault).
                previous = os.umask(0o022)
                try:
                    build(url, home)
                finally:
                    os.umask(previous)
                built[name, engine] = VaultTemplate(url, home)
            return built[name, engine]

        yield template


def _copy_sqlite(source_url: str, target: Path) -> None:
    source = Path(source_url.split("///", 1)[1])
    for suffix in ("", "-wal"):  # a -wal beside it, if the last close left one
        if Path(f"{source}{suffix}").exists():
            shutil.copy2(f"{source}{suffix}", f"{target}{suffix}")  # with its mode


def _copy_home(source_home: Path, home: Path, source_url: str, url: str) -> None:
    """The template's local state into ``home`` as creating the vault there would have left
    it: its files added, and in settings.json its entries set over what the test had set
    already (a language, say), naming the copy's file or database instead of the template's
    (or a command without ``--vault`` would write to the template)."""
    settings = home / "settings.json"
    before = json.loads(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    shutil.copytree(source_home, home, dirs_exist_ok=True)
    if not settings.exists():
        return
    old, new = (make_url(u).database or "" for u in (source_url, url))
    assert old and new
    copied = json.loads(settings.read_text(encoding="utf-8").replace(old, new))
    vaults = {**before.get("vaults", {}), **copied.get("vaults", {})}
    merged = {**before, **copied, **({"vaults": vaults} if vaults else {})}
    settings.write_text(json.dumps(merged, indent=2, sort_keys=True), encoding="utf-8")


def fill_from(
    template: VaultTemplate, url: str, home: Path, request: pytest.FixtureRequest
) -> None:
    """Make the empty database at ``url`` (a ``db_url``) a copy of ``template``, and put the
    template's local state in ``home``."""
    _copy_home(template.home, home, template.url, url)
    if url.startswith("sqlite"):
        _copy_sqlite(template.url, Path(url.split("///", 1)[1]))
        return
    source = make_url(template.url).database
    assert source is not None
    refill_database(request.getfixturevalue("pg_admin_url"), url, source)


@contextmanager
def district_from(
    template: VaultTemplate,
    tmp_path: Path,
    home: Path,
    request: pytest.FixtureRequest,
    members: Iterable[str] = (),
) -> Iterator[District]:
    """A :class:`District` on a private copy of ``template`` (a standard district, built
    with :func:`shared_district`, whose ``members`` were enrolled with
    :meth:`District.enrol`), made by :func:`vault_copy`: lars unlocked as its coordinator
    and each member as ``sessions[login]``; every session locked and every vault closed on
    exit.

    The copy is the test's database, so the test takes no ``db_url`` beside it: that would
    be another, empty database (on SQLite the same file name, on PostgreSQL not)."""
    if "db_url" in request.fixturenames:
        pytest.fail("a test of a copied district uses district.url, not db_url", pytrace=False)
    with vault_copy(template.url, template.home, home, tmp_path, request) as url:
        vault = Vault.open(url, LocalState())
        coordinator = vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
        d = District(url, coordinator)
        try:
            for login in members:
                d.passphrases[login] += " ny"  # as District.enrol left it
                d.unlock(login)
            yield d
        finally:
            for session in [coordinator, *d.sessions.values()]:
                session.lock()
            d.close()


@contextmanager
def vault_copy(
    source_url: str, source_home: Path, home: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A private copy of a vault built once (closed, nobody connected to it), with the local
    state of ``source_home`` (pinned keys, checkpoint file) in ``home``: for tests that change
    a vault whose building costs more than copying it. Yields the copy's URL: a file in
    ``tmp_path``, or a PostgreSQL database made from the source by ``CREATE DATABASE ...
    TEMPLATE`` and dropped on exit."""
    if source_url.startswith("sqlite"):
        target = tmp_path / Path(source_url.split("///", 1)[1]).name
        _copy_sqlite(source_url, target)
        _copy_home(source_home, home, source_url, f"sqlite+pysqlite:///{target}")
        yield f"sqlite+pysqlite:///{target}"
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    with throwaway_database(admin_url, template=make_url(source_url).database) as url:
        _copy_home(source_home, home, source_url, url)
        yield url


# --- the shared demo vault (tests/integration/shared_demo.py) --------------------------------


@pytest.fixture(scope="session")
def _shared_demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shared-demo")
    home = root / "home"
    previous = os.environ.get("INFOHUS_HOME")
    os.environ["INFOHUS_HOME"] = str(home)
    try:
        with cheap_floor():
            demo.create_demo_vault(
                f"sqlite+pysqlite:///{root}/demo.sqlite",
                cases=shared_demo.SHARED_DEMO_CASES,
                today=shared_demo.SHARED_DEMO_TODAY,
            )
    finally:
        if previous is None:
            del os.environ["INFOHUS_HOME"]
        else:
            os.environ["INFOHUS_HOME"] = previous
    return root


@pytest.fixture
def shared_demo_url(
    _shared_demo_build: Path, tmp_path: Path, infohus_home: Path, cheap_kdf: None
) -> str:
    """A private copy of the shared demo vault (``shared_demo.SHARED_DEMO_CASES`` cases, built
    on ``shared_demo.SHARED_DEMO_TODAY``), with the build's local state in this test's home."""
    target = tmp_path / "shared-demo.sqlite"
    for built in _shared_demo_build.glob("demo.sqlite*"):  # a -wal beside it, if any
        shutil.copyfile(built, target.with_name(built.name.replace("demo", "shared-demo", 1)))
    shutil.copytree(_shared_demo_build / "home", infohus_home, dirs_exist_ok=True)
    return f"sqlite+pysqlite:///{target}"


@pytest.fixture
def approval(district: District) -> Approval:
    """The DPO's four-eyes approval in ``district`` (:meth:`District.approval`)."""
    return district.approval()
