"""Infohus Desktop against its references, side by side in one run: the table of issue 17.

Run from the project root (no display needed; every Qt process runs offscreen)::

    .venv/bin/python -m tests.benchmarks.compare                       # 1,000 / 10,000 / 100,000
    .venv/bin/python -m tests.benchmarks.compare --sizes 1000,10000    # quicker
    .venv/bin/python -m tests.benchmarks.compare --workdir /tmp/cmp    # keep and reuse the data
    .venv/bin/python -m tests.benchmarks.compare --figures list,cold   # some rows only
    .venv/bin/python -m tests.benchmarks.compare --json

**The data.** One SQLite vault per size, built by ``desktop_vaults.prepare_vaults`` (bench_cases'
builder: real encryption, every case readable by the timed member), with the member ``bent``
enrolled under the production KDF floor, calibrated on this machine. Beside it, a plain SQLite
table of the same cases in clear (``cases_plain.build_plain``) and, when ``keepassxc-cli`` is
installed, a KDBX 4 file with one entry per case (title, user name, protected password, URL,
notes). Without ``keepassxc-cli`` those rows say so.

**The same KDF on both sides.** ``keepassxc-cli`` 2.7 can only write KDBX 3.1 with AES-KDF
(``import`` and ``db-create`` alike, whatever ``--decryption-time``), which costs time but no
memory; against it our calibrated Argon2id (512 MiB here) made the peak-memory row a
comparison of KDFs, not of lists. So :mod:`tests.benchmarks.kdbx4` writes the KDBX 4 itself
with Argon2id, and the timed member's keys are re-sealed (``give_member``: two passphrase
changes under a KDF floor of exactly these parameters) with the very same memory, passes and
lanes: by default m = 64 MiB (``--kdf-memory-mib``; KeePassXC's default memory and our
production floor), t = 3, p = 4. The table's header prints the parameters read back from the
KDBX header and the member's calibrated ones before the re-seal. The KDF is then subtracted on
each side as measured alone (below); the peaks include the same Argon2id allocation on both.

**Byte-code.** The timed Python processes run from compiled byte-code, as an installed app
does: ``installed_bytecode`` compiles the tree and lets children write ``__pycache__`` even
where the environment sets ``PYTHONDONTWRITEBYTECODE`` (which made every run compile about
130 modules from source).

**What is measured** (``--repeats`` times each, alternating the two sides so that the machine's
load hits both alike; min, median and max of each side; the ratio is of the medians):

1. ``infohus case list`` as a whole process, minus the KDF (``kdf.derive_key`` with the member's
   parameters, timed alone), against ``keepassxc-cli ls -R -f`` minus its KDF (a one-entry KDBX
   with the same parameters, less ``keepassxc-cli --version``); and the peak RSS of each (GNU
   time's ``%M``, else ``wait4``'s ``ru_maxrss``).
2. Cold start until the unlock screen lists its members (``desktop_cold_start.cold_start``: until
   the login list is painted with the members in it) against a bare PySide6 window shown in a
   fresh interpreter (until its first paint), one of each in turn. ``--cold-also-tree DIR``
   times another checkout's app in the same turns (a before/after pair from one run).
3. Unlock to a usable case list in the app, minus the KDF inside it (``bench_desktop``'s GUI
   child), against KeePassXC beyond its KDF (row 1's reference); and from the same runs, until
   the start page (*Overblik*), which the window shows at unlock, is filled.
4. ``session.cases.list()`` in a fresh session (every data key unwrapped, every summary
   decrypted) against plain SQLite select + dicts.
5. Filter as you type in the real workspace (``bench_desktop``'s typing test): per keystroke,
   latency from key press to painted table.
6. A new case as the app makes it: the intake dialog's preparation on the worker when it opens
   (``prepare_intake``, its own row: nobody waits for it), the duplicate check, then
   ``open_case``;
   against one plain insert + commit.
7. A case edit (encrypt, write, audit entry, commit with fsync) against a plain read + update +
   commit.
8. ``AuditService.verify`` over the whole log (grown first to ``--audit-entries`` audited reads,
   100,000 by default), and the routine (incremental) check after 1,000
   new entries, in entries per second, against a plain SQLite select of the same rows with
   SHA-256 over each row.
9. Memory with the largest vault unlocked and listed in the real window (``VmRSS``).

Nothing here asserts on time. Exit status 1 if a figure could not be measured at all.

The product's side of each figure is in :mod:`tests.benchmarks.compare_figures`, the references
and the fair start in :mod:`tests.benchmarks.compare_references`, the table's row and the
measured process in :mod:`tests.benchmarks.compare_rows`; this module runs them and prints.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from tests.benchmarks import desktop_vaults as bd
from tests.benchmarks.compare_figures import (
    cold_rows,
    list_rows,
    scratch_copy,
    session_figures,
    typing_rows,
    unlock_rows,
)
from tests.benchmarks.compare_references import (
    calibrated_kdf,
    give_member,
    installed_bytecode,
    keepassxc,
    shared_kdf,
)
from tests.benchmarks.compare_rows import Json, Row

FIGURES = ("list", "cold", "unlock", "session", "typing")


def run(
    sizes: list[int],
    repeats: int,
    batch: int,
    workdir: Path,
    audit_entries: int,
    kdf_memory_mib: int = 64,
    figures: tuple[str, ...] = FIGURES,
    cold_also: tuple[Path, ...] = (),
) -> Json:
    home = workdir / "home"
    installed_bytecode()
    specs = bd.prepare_vaults(workdir, home, sizes, batch)
    calibrated = bd.describe_params(calibrated_kdf(specs[0], workdir))
    params = shared_kdf(kdf_memory_mib)
    give_member(specs, workdir, params)
    kdf_ms = {spec.n: statistics.median(bd.kdf_times(spec, repeats)) for spec in specs}
    secret = workdir / "bent.passphrase"
    secret.write_text(bd.BENCH_PASS + "\n")
    os.chmod(secret, 0o600)
    rows: list[Row] = []
    kpx = keepassxc()
    report: Json = {
        "keepassxc": kpx is not None,
        "kdf_s": kdf_ms,
        "sizes": sizes,
        "kdf_shared": params.describe(),
        "kdf_before": calibrated,
        "kdf_kdbx": "",
        "kpx_kdf_s": [],
    }
    if "list" in figures:
        rows.extend(list_rows(specs, workdir, params, kdf_ms, secret, repeats, report))
    small = next((s for s in specs if s.n == 10_000), specs[min(1, len(specs) - 1)])
    if "cold" in figures:
        rows.extend(cold_rows(small, repeats, cold_also))
    if "unlock" in figures:
        rows.extend(unlock_rows(specs, repeats, report.get("kpx_beyond_kdf_s", {})))
    for spec in specs if "session" in figures else []:
        # The saves add cases: they run on a copy, so the vault keeps its N for the GUI rows.
        rows.extend(session_figures(scratch_copy(spec, workdir), workdir, repeats, audit_entries))
    if "typing" in figures:
        rows.extend(typing_rows(specs[-1], repeats))
    report["rows"] = [row.__dict__ for row in rows]
    return report


def fmt(value: float, unit: str) -> str:
    if unit == "entries/s":
        return f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"


def render(report: Json) -> str:
    lines = [
        "Infohus Desktop against its references (issue 17), one run on "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}",
        f"KDF on both sides: {report['kdf_shared']} (KeePassXC's file read back: "
        f"{report['kdf_kdbx'] or '–'}); the timed member re-sealed from its calibration here, "
        f"{report['kdf_before']}, which would add its extra memory to both peaks",
        "KDF alone (kdf.derive_key, the member's parameters): "
        + ", ".join(f"{n:,}: {s * 1000:.0f} ms" for n, s in report["kdf_s"].items()),
    ]
    if not report["keepassxc"]:
        lines.append(
            "keepassxc-cli is not installed: its rows have no reference "
            "(Debian: apt-get install keepassxc)"
        )
    elif report["kpx_kdf_s"]:
        lines.append(
            f"KeePassXC KDF (one-entry file less --version): median "
            f"{statistics.median(report['kpx_kdf_s']) * 1000:.0f} ms"
        )
    header = (
        "| Figure | N | unit | Infohus min / median / max | reference | ref min / median /"
        " max | ratio | goal |"
    )
    lines += ["", header, "|---|---:|---|---|---|---|---:|---|"]
    for raw in report["rows"]:
        row = Row(**raw)
        ours = " / ".join(
            fmt(v, row.unit) for v in (min(row.ours), statistics.median(row.ours), max(row.ours))
        )
        ref = (
            " / ".join(
                fmt(v, row.unit) for v in (min(row.ref), statistics.median(row.ref), max(row.ref))
            )
            if row.ref
            else "–"
        )
        ratio = row.ratio()
        lines.append(
            f"| {row.figure} | {row.size:,} | {row.unit} | {ours} | {row.ref_label or '–'} | "
            f"{ref} | {f'{ratio:.2f}×' if ratio is not None else '–'} | {row.goal} |"
        )
    lines.append("")
    lines.append(
        "ratio: Infohus median / reference median (for entries/s: reference / Infohus, "
        "so above 1 is slower either way)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="vault sizes, comma separated (1000,10000,100000)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="repetitions of each figure (3)")
    parser.add_argument("--batch", type=int, default=10_000, help="cases per build transaction")
    parser.add_argument("--workdir", help="keep (and reuse) the vaults and files here")
    parser.add_argument(
        "--audit-entries",
        type=int,
        default=100_000,
        help="audit log size for the verify rows (100000)",
    )
    parser.add_argument(
        "--kdf-memory-mib",
        type=int,
        default=64,
        help="Argon2id memory of both sides, t=3 and p=4 as the production floor (64: the "
        "floor, and KeePassXC's default)",
    )
    parser.add_argument(
        "--figures",
        default=",".join(FIGURES),
        help=f"which rows to run, comma separated ({','.join(FIGURES)})",
    )
    parser.add_argument(
        "--cold-also-tree",
        action="append",
        default=[],
        metavar="DIR",
        help="the cold start of this source tree too, in the same turns (e.g. a main checkout)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    figures = tuple(f.strip() for f in args.figures.split(",") if f.strip())
    if not figures or set(figures) - set(FIGURES):
        parser.error(f"--figures takes some of {','.join(FIGURES)}")
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or min(sizes) < 10 or args.repeats < 1:
        parser.error("sizes must be at least 10 and repeats at least 1")
    with bd.work_directory(args.workdir, prefix="infohus-compare-") as workdir:
        report = run(
            sizes,
            args.repeats,
            args.batch,
            workdir,
            args.audit_entries,
            args.kdf_memory_mib,
            figures,
            tuple(Path(tree).resolve() for tree in args.cold_also_tree),
        )
        (workdir / "compare.json").write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps(report, indent=2, default=str) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
