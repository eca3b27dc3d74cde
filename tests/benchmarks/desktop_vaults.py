"""The vaults of the desktop benchmarks (``tests.benchmarks.bench_desktop``), which the
comparison (``tests.benchmarks.compare``) builds the same way: one vault of N cases per size
with the case benchmarks' builder (``cases_vault``), then the timed member ``bent`` enrolled
in each under the production KDF floor; the directory that keeps them between runs, and the
environment that points a child process at their home.

Its own module because the GUI child (``bench_desktop --child``) imports it: only the standard
library is imported at module level, so the child's imports and memory, which are among the
figures, stay those of the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

Json = dict[str, Any]
BENCH_LOGIN, BENCH_NAME = "bent", "Bent Bænk"
BENCH_FIRST, BENCH_PASS = "bents første lange frase", "bents nye og lange frase"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class VaultSpec:
    n: int
    path: str
    url: str
    home: str
    build_s: float
    enrol_s: float
    kdf_params: str  # the timed member's, as stored


def member_kdf_params(url: str, login: str) -> str:
    from sqlalchemy import select

    from infohus_desktop.vault.engine import create_vault_engine
    from infohus_desktop.vault.schema import MemberRow

    engine = create_vault_engine(url)
    try:
        with engine.connect() as connection:
            return str(
                connection.execute(
                    select(MemberRow.kdf_params).where(MemberRow.login == login)
                ).scalar_one()
            )
    finally:
        engine.dispose()


def prepare_vaults(workdir: Path, home: Path, sizes: list[int], batch: int) -> list[VaultSpec]:
    """A vault of N cases per size (bench_cases' builder), then ``bent`` in each under the
    production KDF floor, all in one calibration (the same parameters in every vault).
    Vaults already in ``workdir`` with their description are reused."""
    from infohus_desktop.crypto import kdf
    from infohus_desktop.domain.organisations import Role
    from infohus_desktop.vault.engine import url_for_path
    from tests.benchmarks import cases_vault as bc

    specs: dict[int, VaultSpec] = {}
    built: dict[int, tuple[str, str, float]] = {}  # n -> path, url, build seconds
    with bc.private_home(home), bc.kdf_floor(bc.CHEAP_FLOOR):
        for n in dict.fromkeys(sizes):
            path = workdir / f"vault-{n}.sqlite"
            described = workdir / f"vault-{n}.json"
            if path.exists() and described.exists():
                log(f"N = {n:,}: reusing {path}")
                # The description names the folder it was built in; a copied workdir
                # (``cp -a``) must use its own files, never write into the original's.
                specs[n] = replace(
                    VaultSpec(**json.loads(described.read_text())),
                    path=str(path),
                    url=url_for_path(path),
                    home=str(home),
                )
                continue
            if path.exists():
                raise SystemExit(f"{path} exists without {described.name}; remove it first")
            log(f"N = {n:,}: building the vault (bench_cases' builder, cheap KDF floor) ...")
            url = url_for_path(path)
            started = time.perf_counter()
            cases = bc.synthetic_cases(n)
            local_id, group_id = bc.build_district(url)
            builder = bc.unlock(url)
            try:
                bc.bulk_open_cases(builder, local_id, group_id, cases, batch)
            finally:
                bc.close(builder)
            del cases
            built[n] = (str(path), url, time.perf_counter() - started)
        # The coordinators have cheap parameters: they unlock before the floor goes up.
        coordinators = {
            n: bc.unlock(url, bc.COORDINATOR_PASS, bc.COORDINATOR)
            for n, (_p, url, _s) in built.items()
        }
        with bc.kdf_floor(kdf.PRODUCTION_FLOOR):  # one calibration for every vault
            for n, (path_text, url, build_s) in built.items():
                log(f"N = {n:,}: enrolling {BENCH_LOGIN} under the production KDF floor ...")
                started = time.perf_counter()
                coordinator = coordinators[n]
                try:
                    coordinator.accounts.add(
                        BENCH_LOGIN, BENCH_NAME, "Aarhus Kommune", Role.MEMBER, BENCH_FIRST
                    )
                finally:
                    bc.close(coordinator)
                member = bc.unlock(url, BENCH_FIRST, BENCH_LOGIN)
                try:
                    member.accounts.change_passphrase(BENCH_FIRST, BENCH_PASS)
                finally:
                    bc.close(member)
                specs[n] = VaultSpec(
                    n,
                    path_text,
                    url,
                    str(home),
                    build_s,
                    time.perf_counter() - started,
                    member_kdf_params(url, BENCH_LOGIN),
                )
                (workdir / f"vault-{n}.json").write_text(json.dumps(asdict(specs[n])))
    return [specs[n] for n in sizes]


def kdf_times(spec: VaultSpec, repeats: int) -> list[float]:
    """``kdf.derive_key`` alone with the member's stored parameters (production floor)."""
    from infohus_desktop.crypto import kdf

    params = kdf.KdfParams.from_json(spec.kdf_params)  # validated against the production floor
    salt = kdf.new_salt()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        kdf.derive_key(BENCH_PASS, salt, params)
        times.append(time.perf_counter() - started)
    return times


def describe_params(params_json: str) -> str:
    raw = json.loads(params_json)
    return f"Argon2id m={raw['m'] // 1024} MiB, t={raw['t']}, p={raw['p']}"


def child_env(home: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["INFOHUS_HOME"] = home
    env.pop("INFOHUS_LANG", None)
    return env


@contextlib.contextmanager
def work_directory(path: str | None, prefix: str = "infohus-bench-desktop-") -> Iterator[Path]:
    """``path`` (made if missing, kept), or a temporary directory removed afterwards."""
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)
