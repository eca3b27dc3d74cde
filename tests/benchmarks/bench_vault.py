"""Vault benchmarks: unlock (KDF against the rest), field AEAD overhead, audit append and verify.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_vault            # table
    .venv/bin/python -m tests.benchmarks.bench_vault --json     # the same figures as JSON

Everything happens in a temporary directory: the SQLite vaults, and ``INFOHUS_HOME`` (settings,
pinned fingerprints, checkpoint files), so the real home is never touched.

1. **Unlock** uses the *production* KDF floor and :func:`kdf.calibrate`, as a real enrolment
   does. Each timed unlock is ``Vault.open(...)`` + ``.unlock(...)``; ``kdf.derive_key``
   is wrapped (not changed) to time the derivation inside that unlock, and the same derivation
   with the member's stored salt and parameters is also timed on its own, between unlocks.
   One cold unlock runs first and is reported apart from the medians.
2. **Field AEAD**: :meth:`FieldKey.encrypt` + :meth:`FieldKey.decrypt` with a
   :class:`FieldContext`, against bare ``AESGCM.encrypt`` + ``decrypt`` (random 96-bit nonce, no
   associated data), on the same payloads. One op = one encrypt plus one decrypt.
3. **Audit**: a vault under a cheap, test-only KDF floor; entries appended with
   :meth:`MemberServices.record` in transactions of ``--batch`` entries, alternating batches with
   and without a sealed detail; then the session locks, a new one unlocks, and the chain is
   verified with :func:`audit_chain.verify_chain` and with :meth:`AuditService.verify`.

Nothing here asserts on time. The process exits non-zero only if a verification is not ok.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import cryptography
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.aead import NONCE_BYTES, FieldContext, FieldKey
from infohus_desktop.domain.audit import AuditVerification
from infohus_desktop.domain.organisations import OrgKind
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.vault import audit_chain, checkpoint_file
from infohus_desktop.vault.engine import url_for_path
from infohus_desktop.vault.schema import MemberRow
from tests.benchmarks.cases_vault import kdf_floor, private_home

LOGIN = "lars"
PASSPHRASE = "blåbærgrød med flødeskum"
#: The integration tests' cheap floor; used only for the audit part.
CHEAP_FLOOR = kdf.KdfParams(memory_kib=64, iterations=1, lanes=1)
AEAD_PAYLOADS = (200, 4096)

Json = dict[str, Any]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms(seconds: float) -> float:
    return seconds * 1000.0


def median(values: list[float]) -> float:
    return statistics.median(values)


def params_json(params: kdf.KdfParams) -> Json:
    return {"memory_kib": params.memory_kib, "iterations": params.iterations, "lanes": params.lanes}


def describe_params(params: kdf.KdfParams) -> str:
    mib = params.memory_kib / 1024
    return f"m={params.memory_kib} KiB ({mib:g} MiB), t={params.iterations}, p={params.lanes}"


def create_vault(url: str) -> MemberServices:
    return Vault.create(
        url,
        NewVault("Østjylland", LOGIN, "Lars Holm Sørensen", "police", OrgKind.POLICE, PASSPHRASE),
        LocalState(),
    )


def unlock(url: str) -> MemberServices:
    return Vault.open(url, LocalState()).unlock(LOGIN, PASSPHRASE)


def close(session: MemberServices) -> None:
    session.lock()
    session.vault.engine.dispose()


# -- 1. unlock -----------------------------------------------------------------------------------


def bench_unlock(root: Path, runs: int) -> Json:
    url = url_for_path(root / "unlock.sqlite")
    with kdf_floor(kdf.PRODUCTION_FLOOR):
        if kdf.current_floor() is not kdf.PRODUCTION_FLOOR:
            raise RuntimeError("the unlock benchmark must run under the production KDF floor")
        log("unlock: calibrating the KDF (production floor) ...")
        started = time.perf_counter()
        calibrated = kdf.calibrate()
        calibrate_s = time.perf_counter() - started
        log(f"unlock: calibrated {describe_params(calibrated)} in {calibrate_s:.2f} s")

        started = time.perf_counter()
        close(create_vault(url))
        create_s = time.perf_counter() - started

        vault = Vault.open(url, LocalState())
        with vault.uow() as session:
            row = session.scalar(select(MemberRow).where(MemberRow.login == LOGIN))
            assert row is not None
            stored = kdf.KdfParams.from_json(row.kdf_params)
            salt = bytes(row.kdf_salt)
        vault.engine.dispose()

        real_derive = kdf.derive_key
        inside: list[float] = []

        def timed_derive(passphrase: str, salt: bytes, params: kdf.KdfParams) -> bytes:
            started = time.perf_counter()
            try:
                return real_derive(passphrase, salt, params)
            finally:
                inside.append(time.perf_counter() - started)

        def one_unlock() -> tuple[float, float, float]:
            """(open s, unlock s, KDF s inside the unlock); the session is locked after."""
            inside.clear()
            t0 = time.perf_counter()
            vault = Vault.open(url, LocalState())
            t1 = time.perf_counter()
            session = vault.unlock(LOGIN, PASSPHRASE)
            t2 = time.perf_counter()
            close(session)
            return t1 - t0, t2 - t1, sum(inside)

        standalone: list[float] = []
        opens: list[float] = []
        unlocks: list[float] = []
        kdf_inside: list[float] = []
        with mock.patch.object(kdf, "derive_key", timed_derive):
            cold_open, cold_unlock, cold_kdf = one_unlock()
            for i in range(runs):
                log(f"unlock: run {i + 1}/{runs}")
                started = time.perf_counter()
                real_derive(PASSPHRASE, salt, stored)
                standalone.append(time.perf_counter() - started)
                open_s, unlock_s, kdf_s = one_unlock()
                opens.append(open_s)
                unlocks.append(unlock_s)
                kdf_inside.append(kdf_s)

    totals = [o + u for o, u in zip(opens, unlocks, strict=True)]
    non_kdf = [t - k for t, k in zip(totals, kdf_inside, strict=True)]
    return {
        "runs": runs,
        "floor": params_json(kdf.PRODUCTION_FLOOR),
        "calibrated": params_json(calibrated),
        "stored": params_json(stored),
        "calibrate_s": calibrate_s,
        "create_s": create_s,
        "kdf_standalone_ms": ms(median(standalone)),
        "kdf_in_unlock_ms": ms(median(kdf_inside)),
        "open_ms": ms(median(opens)),
        "unlock_ms": ms(median(unlocks)),
        "total_ms": ms(median(totals)),
        "non_kdf_ms": ms(median(non_kdf)),
        "kdf_share": median([k / t for k, t in zip(kdf_inside, totals, strict=True)]),
        "cold_total_ms": ms(cold_open + cold_unlock),
        "cold_non_kdf_ms": ms(cold_open + cold_unlock - cold_kdf),
        "samples_ms": {
            "kdf_standalone": [ms(x) for x in standalone],
            "kdf_in_unlock": [ms(x) for x in kdf_inside],
            "total": [ms(x) for x in totals],
        },
    }


# -- 2. field AEAD -------------------------------------------------------------------------------


def compare_rates(
    loops: dict[str, Callable[[int], None]], budget_s: float, repeats: int
) -> dict[str, float]:
    """Median ops/s of each loop; repeats interleave the loops so drift hits them alike."""
    sizes: dict[str, int] = {}
    for name, loop in loops.items():
        n = 32
        while True:
            started = time.perf_counter()
            loop(n)
            elapsed = time.perf_counter() - started
            if elapsed >= budget_s / 8:
                break
            n *= 2
        sizes[name] = max(n, int(n * budget_s / elapsed))
    rates: dict[str, list[float]] = {name: [] for name in loops}
    for _ in range(repeats):
        for name, loop in loops.items():
            started = time.perf_counter()
            loop(sizes[name])
            rates[name].append(sizes[name] / (time.perf_counter() - started))
    return {name: median(values) for name, values in rates.items()}


def bench_aead(budget_s: float, repeats: int) -> Json:
    key = os.urandom(32)
    field_key = FieldKey(uuid.uuid4(), key)
    raw = AESGCM(key)
    ctx = FieldContext("cases", "notes", uuid.uuid4(), uuid.uuid4())
    results: Json = {"budget_s": budget_s, "repeats": repeats, "payloads": {}}
    for size in AEAD_PAYLOADS:
        payload = os.urandom(size)
        log(f"aead: {size}-byte payload")

        def field_loop(n: int, payload: bytes = payload) -> None:
            for _ in range(n):
                if field_key.decrypt(field_key.encrypt(payload, ctx), ctx) is payload:
                    raise AssertionError  # never: keeps the result used

        def raw_loop(n: int, payload: bytes = payload) -> None:
            for _ in range(n):
                nonce = os.urandom(NONCE_BYTES)
                if raw.decrypt(nonce, raw.encrypt(nonce, payload, None), None) is payload:
                    raise AssertionError

        rates = compare_rates({"field": field_loop, "raw": raw_loop}, budget_s, repeats)
        results["payloads"][str(size)] = {
            "field_ops_s": rates["field"],
            "raw_ops_s": rates["raw"],
            "raw_over_field": rates["raw"] / rates["field"],
            "overhead_us_per_op": 1e6 / rates["field"] - 1e6 / rates["raw"],
        }
    return results


# -- 3. audit ------------------------------------------------------------------------------------


def bench_audit(root: Path, entries: int, batch: int, repeats: int) -> Json:
    url = url_for_path(root / "audit.sqlite")
    with kdf_floor(CHEAP_FLOOR):
        coordinator = create_vault(url)
        spent = {"with_detail": 0.0, "without_detail": 0.0}
        counts = {"with_detail": 0, "without_detail": 0}
        i = 0
        batch_no = 0
        while i < entries:
            kind = "with_detail" if batch_no % 2 == 0 else "without_detail"
            n = min(batch, entries - i)
            started = time.perf_counter()
            with coordinator.transaction() as session:
                for _ in range(n):
                    object_id = f"IH-2026-{i:04d}"
                    detail = (
                        f"read {object_id} for the weekly meeting"
                        if kind == "with_detail"
                        else None
                    )
                    coordinator.record(session, "case.read", object_id, detail=detail)
                    i += 1
            spent[kind] += time.perf_counter() - started
            counts[kind] += n
            batch_no += 1
            if batch_no % 5 == 0:
                log(f"audit: appended {i}/{entries}")
        close(coordinator)

        reader = unlock(url)
        vault = reader.vault
        path = vault.local.checkpoint_file(vault.vault_id)

        def walk() -> AuditVerification:
            file_checkpoints = list(checkpoint_file.read_checkpoint_file(path, vault.vault_id))
            with vault.uow() as session:
                return audit_chain.verify_chain(
                    session, vault.vault_id, signer_lookup(reader, session), file_checkpoints
                )

        chain_times: list[float] = []
        service_times: list[float] = []
        chain_result: AuditVerification | None = None
        service_result: AuditVerification | None = None
        for r in range(repeats):
            log(f"audit: verify {r + 1}/{repeats}")
            started = time.perf_counter()
            chain_result = walk()
            chain_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            service_result = reader.audit.verify()
            service_times.append(time.perf_counter() - started)
        close(reader)
    assert chain_result is not None and service_result is not None

    def append_rate(kind: str) -> float | None:
        return counts[kind] / spent[kind] if counts[kind] else None

    return {
        "entries_appended": entries,
        "batch": batch,
        "repeats": repeats,
        "kdf_floor": params_json(CHEAP_FLOOR),
        "append_with_detail": counts["with_detail"],
        "append_without_detail": counts["without_detail"],
        "append_with_detail_per_s": append_rate("with_detail"),
        "append_without_detail_per_s": append_rate("without_detail"),
        "chain_entries": chain_result.entries,
        "chain_checkpoints": chain_result.checkpoints,
        "verify_chain_ok": chain_result.ok,
        "verify_chain_ms": ms(median(chain_times)),
        "verify_chain_per_s": chain_result.entries / median(chain_times),
        "audit_service_ok": service_result.ok,
        "audit_service_entries": service_result.entries,
        "audit_service_ms": ms(median(service_times)),
        "audit_service_per_s": service_result.entries / median(service_times),
        "problem": chain_result.problem or service_result.problem,
    }


def signer_lookup(ms_: MemberServices, session: Session) -> audit_chain.SignerKeys:
    """The same lookup :meth:`AuditService.verify` gives the walk: verified keys only."""
    return lambda signer: ms_.keyring.trust.sign_key_or_none(session, signer)


# -- report --------------------------------------------------------------------------------------


def machine() -> Json:
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        nproc = os.cpu_count() or 0
    return {
        "nproc": nproc,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cryptography": cryptography.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


def render(report: Json) -> str:
    m, u, a, au = report["machine"], report["unlock"], report["aead"], report["audit"]
    rows: list[tuple[str, str]] = []

    def section(title: str) -> None:
        rows.append(("", ""))
        rows.append((title, ""))

    def row(label: str, value: str) -> None:
        rows.append(("  " + label, value))

    def rate(value: float | None) -> str:
        return "-" if value is None else f"{value:,.0f} /s"

    section(f"1. Unlock, production floor, calibrated; median of {u['runs']} (+1 cold)")
    calibrated = kdf.KdfParams(**u["calibrated"])
    stored = kdf.KdfParams(**u["stored"])
    row("KDF params (calibrate)", describe_params(calibrated))
    if stored != calibrated:
        row("KDF params (stored)", describe_params(stored))
    row("calibration / vault create", f"{u['calibrate_s']:.2f} s / {u['create_s']:.2f} s")
    row("KDF, stored params, alone", f"{u['kdf_standalone_ms']:8.1f} ms")
    row("KDF inside unlock", f"{u['kdf_in_unlock_ms']:8.1f} ms")
    row("Vault.open", f"{u['open_ms']:8.1f} ms")
    row(".unlock (incl. KDF)", f"{u['unlock_ms']:8.1f} ms")
    row("total open + unlock", f"{u['total_ms']:8.1f} ms")
    row("non-KDF (total - KDF inside)", f"{u['non_kdf_ms']:8.1f} ms")
    row("KDF share of total", f"{100 * u['kdf_share']:8.1f} %")
    row(
        "cold first open + unlock",
        f"{u['cold_total_ms']:8.1f} ms  (non-KDF {u['cold_non_kdf_ms']:.1f} ms)",
    )

    section(f"2. Field AEAD, encrypt+decrypt ops/s; median of {a['repeats']}")
    for size, r in a["payloads"].items():
        row(f"{size:>5} B  FieldKey + FieldContext", rate(r["field_ops_s"]))
        row(f"{size:>5} B  raw AESGCM, no AD", rate(r["raw_ops_s"]))
        row(
            f"{size:>5} B  raw / field",
            f"{r['raw_over_field']:.2f}x  (+{r['overhead_us_per_op']:.2f} µs per op)",
        )

    section(f"3. Audit chain, cheap test KDF floor; verify median of {au['repeats']}")
    row(
        "appended",
        f"{au['entries_appended']:,} in batches of {au['batch']:,} "
        f"({au['append_with_detail']:,} with detail, {au['append_without_detail']:,} without)",
    )
    row("append, with detail", rate(au["append_with_detail_per_s"]))
    row("append, without detail", rate(au["append_without_detail_per_s"]))
    if au["append_with_detail_per_s"] and au["append_without_detail_per_s"]:
        ratio = au["append_without_detail_per_s"] / au["append_with_detail_per_s"]
        row("without / with detail", f"{ratio:.2f}x")
    row(
        "chain at verify", f"{au['chain_entries']:,} entries, {au['chain_checkpoints']} checkpoints"
    )
    row(
        "verify_chain (walk)",
        f"{rate(au['verify_chain_per_s'])}  ({au['verify_chain_ms']:.0f} ms, "
        f"ok={au['verify_chain_ok']})",
    )
    row(
        "AuditService.verify",
        f"{rate(au['audit_service_per_s'])}  ({au['audit_service_ms']:.0f} ms, "
        f"ok={au['audit_service_ok']})",
    )
    if au["problem"]:
        row("problem", str(au["problem"]))

    width = max(len(label) for label, _ in rows) + 2
    header = [
        "Infohus Desktop vault benchmarks",
        f"machine: nproc={m['nproc']}, {m['platform']}, Python {m['python']}, "
        f"cryptography {m['cryptography']}, SQLite {m['sqlite']}",
        f"wall time: {report['wall_s']:.1f} s",
    ]
    body = [f"{label:<{width}}{value}".rstrip() for label, value in rows]
    return "\n".join(header + body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--unlocks", type=int, default=5, help="timed unlocks (default 5)")
    parser.add_argument("--entries", type=int, default=20_000, help="audit entries to append")
    parser.add_argument("--batch", type=int, default=1_000, help="audit entries per transaction")
    parser.add_argument("--verify-repeats", type=int, default=3, help="audit verifications")
    parser.add_argument("--aead-budget", type=float, default=0.25, help="seconds per AEAD run")
    parser.add_argument("--aead-repeats", type=int, default=5, help="AEAD runs per variant")
    args = parser.parse_args(argv)
    if min(args.unlocks, args.entries, args.batch, args.verify_repeats, args.aead_repeats) < 1:
        parser.error("counts must be at least 1")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="infohus-bench-") as tmp:
        root = Path(tmp)
        with private_home(root / "home"):
            report: Json = {"machine": machine()}
            report["unlock"] = bench_unlock(root, args.unlocks)
            report["aead"] = bench_aead(args.aead_budget, args.aead_repeats)
            report["audit"] = bench_audit(root, args.entries, args.batch, args.verify_repeats)
    report["wall_s"] = time.perf_counter() - started
    print(json.dumps(report, indent=2) if args.json else render(report))
    audit = report["audit"]
    return 0 if audit["verify_chain_ok"] and audit["audit_service_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
