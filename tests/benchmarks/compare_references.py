"""The references of the comparison (``tests.benchmarks.compare``), and the fair start against
them: KeePassXC on a KDBX 4 of the same cases, plain SQLite tables in clear, the same Argon2id
on both sides, and byte-code for our processes as an installed app has it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import desktop_vaults as bd
from tests.benchmarks import kdbx4
from tests.benchmarks.compare_rows import ROOT, log, run_measured

KPX_PASS = "keepassxc benchmark passphrase"


# -- KeePassXC -----------------------------------------------------------------------------------


def keepassxc() -> str | None:
    return shutil.which("keepassxc-cli")


def kdbx_from(workdir: Path, n: int, params: kdbx4.Argon2Params) -> Path:
    """A KDBX 4 with ``n`` entries shaped like the vault's cases, under Argon2id ``params``
    (written by :mod:`tests.benchmarks.kdbx4`: keepassxc-cli itself writes only AES-KDF)."""
    from tests.benchmarks import cases_vault as bc

    tag = f"m{params.memory_kib // 1024}-t{params.iterations}-p{params.lanes}"
    path = workdir / f"keepassxc-{n}-argon2id-{tag}.kdbx"
    if path.exists():
        return path
    log(f"N = {n:,}: KeePassXC file (KDBX 4, {params.describe()}) ...")
    kdbx4.write(
        path,
        KPX_PASS,
        params,
        (
            kdbx4.Entry(
                title=case.person.name,
                username=case.person.cpr or "",
                password=case.person.phone,
                url=case.person.email,
                notes=f"{case.person.address}\n{case.intake.observed}\n{case.title}",
            )
            for case in bc.synthetic_cases(n)
        ),
    )
    return path


def kpx_ls(path: Path) -> tuple[float, float]:
    wall, rss, out = run_measured(
        [keepassxc() or "keepassxc-cli", "ls", "-q", "-R", "-f", str(path)], stdin=KPX_PASS + "\n"
    )
    if not out.strip():
        raise SystemExit(f"keepassxc-cli ls listed nothing from {path}")
    return wall, rss


# -- plain SQLite -------------------------------------------------------------------------------


def plain_engine(workdir: Path, n: int, group_id: str, member_id: str) -> Any:
    from infohus_desktop.vault.engine import create_vault_engine, url_for_path
    from tests.benchmarks.cases_plain import build_plain
    from tests.benchmarks.cases_vault import synthetic_cases

    path = workdir / f"plain-{n}.sqlite"
    fresh = not path.exists()
    engine = create_vault_engine(url_for_path(path))
    if fresh:
        log(f"N = {n:,}: the plain SQLite table ...")
        build_plain(engine, synthetic_cases(n), group_id, member_id)
    return engine


def plain_chain_walk(path: str, last: int | None = None) -> float:
    """Select every column of the newest ``last`` (or all) log rows and hash each row: what a
    verifier without any encoding, signature or key work would do."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        sql = "SELECT * FROM audit_entries ORDER BY seq"
        if last is not None:
            sql = (
                f"SELECT * FROM (SELECT * FROM audit_entries ORDER BY seq DESC LIMIT {int(last)}) "
            )
            sql += "ORDER BY seq"
        started = time.perf_counter()
        previous = b""
        for row in db.execute(sql):
            previous = hashlib.sha256(previous + repr(row).encode()).digest()
        return time.perf_counter() - started


# -- a fair start: byte-code and the same KDF on both sides ------------------------------------


def installed_bytecode() -> None:
    """Compile the tree, and let every child read (and write) byte-code, as an installed app
    does (pip compiles a wheel at install; the frozen build ships byte-code). A sandbox that
    sets ``PYTHONDONTWRITEBYTECODE`` made every timed process compile the ~130 modules it
    imports from source, tens of ms that no user pays and keepassxc-cli, being C++, never
    does. The ``__pycache__`` folders land beside the sources (ignored by git)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "infohus_desktop", "tests/benchmarks"],
        cwd=ROOT,
        check=True,
        env=os.environ,
    )


def shared_kdf(memory_mib: int) -> kdbx4.Argon2Params:
    """Argon2id with ``memory_mib`` and the production floor's passes and lanes."""
    from infohus_desktop.crypto import kdf

    floor = kdf.PRODUCTION_FLOOR
    params = kdbx4.Argon2Params(memory_mib * 1024, floor.iterations, floor.lanes)
    kdf.KdfParams(params.memory_kib, params.iterations, params.lanes).validate()
    return params


def calibrated_kdf(spec: bd.VaultSpec, workdir: Path) -> str:
    """The member's parameters as enrolment calibrated them, kept in ``workdir`` the first
    time (before :func:`give_member` re-seals), for the table's header."""
    kept = workdir / "member-calibrated-kdf.json"
    if not kept.exists():
        kept.write_text(bd.member_kdf_params(spec.url, bd.BENCH_LOGIN))
    return kept.read_text()


def give_member(specs: list[bd.VaultSpec], workdir: Path, params: kdbx4.Argon2Params) -> None:
    """Re-seal the timed member's keys under ``params`` in each vault of ``workdir`` (and
    record it in the vault's description), so that both sides derive the same Argon2id. The
    product's own passphrase change does it, with its calibration answering ``params``; a new
    passphrase must differ from the current one, so the member changes it twice and ends with
    the benchmark's. The parameters are read from the vault, not from its description."""
    from dataclasses import asdict, replace
    from unittest import mock

    from infohus_desktop.crypto import kdf
    from tests.benchmarks import cases_vault as bc

    wanted = kdf.KdfParams(params.memory_kib, params.iterations, params.lanes)
    for i, spec in enumerate(specs):
        if kdf.KdfParams.from_json(bd.member_kdf_params(spec.url, bd.BENCH_LOGIN)) != wanted:
            log(f"N = {spec.n:,}: re-sealing {bd.BENCH_LOGIN}'s keys under {params.describe()} ...")
            with (
                bc.private_home(Path(spec.home)),
                bc.kdf_floor(kdf.PRODUCTION_FLOOR),
                mock.patch.object(kdf, "calibrate", return_value=wanted),
            ):
                for current, new in (
                    (bd.BENCH_PASS, bd.BENCH_FIRST),
                    (bd.BENCH_FIRST, bd.BENCH_PASS),
                ):
                    member = bc.unlock(spec.url, current, bd.BENCH_LOGIN)
                    try:
                        member.accounts.change_passphrase(current, new)
                    finally:
                        bc.close(member)
        specs[i] = replace(spec, kdf_params=bd.member_kdf_params(spec.url, bd.BENCH_LOGIN))
        if kdf.KdfParams.from_json(specs[i].kdf_params) != wanted:
            raise SystemExit(f"{bd.BENCH_LOGIN} in {spec.path} was not re-sealed as asked")
        (workdir / f"vault-{spec.n}.json").write_text(json.dumps(asdict(specs[i])))
