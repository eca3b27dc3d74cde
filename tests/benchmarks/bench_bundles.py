"""Bundle benchmark: export and import of a referral with 20 MB of attachments.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_bundles               # 20 MB, 3 repeats
    .venv/bin/python -m tests.benchmarks.bench_bundles --mb 50 --json

Two SQLite vaults in a temporary directory (key derivation at the tests' cheap floor: unlocking
is not measured) pin each other's bundle keys; the sender has a case with a referral ready to
send and four attachments of random (incompressible) bytes, 20 MB together. Measured, each as
the median of ``--repeats`` runs (``time.perf_counter``), and once more under ``tracemalloc``
for the peak of Python-level allocations (every ``bytes`` the crypto library returns is one):

- *export to file*: ``session.bundles.write_referral`` into a file, the CLI's path (attachments
  stream from the vault through the chunk encryptor into the file);
- *export to bytes*: ``session.bundles.export_referral``, the app's path (the whole bundle is
  returned, so it is held once);
- *import*: ``session.bundles.import_bundle`` of the bundle's bytes (decrypted whole before
  anything is released, then stored in 1 MiB chunks in one transaction);
- *crypto only*: the format alone, seal and open of the same payload in memory, no database.

"peak MB" is the tracemalloc peak of one run; "RSS +MB" (Linux, vault operations only) how
far the resident set of a *fresh* process rose above its level just after unlocking while it
ran the operation once (the peak is reset through ``/proc/self/clear_refs``): it also counts
SQLite's, OpenSSL's and the allocator's memory, and the import's figure includes reading the
bundle file (the CLI's ``import_file``). The process's peak RSS (``ru_maxrss``) closes the
report; it includes the benchmark's own copies (the files and the bundles it keeps).

Nothing here asserts on time; the process exits non-zero only if an imported attachment
differs from what was sent.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_rss_peak() -> bool:
    """Linux: writing 5 to clear_refs resets the process's peak RSS (VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _measure(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """Median seconds over ``repeats`` runs, then the tracemalloc peak (MB) of one more."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / MB, result


def _rss_in_child(op: str, state: dict[str, Any], tmp: Path) -> float | None:
    """Run one operation in a fresh process and return how far its RSS rose (MB)."""
    path = tmp / f"state-{op}.json"
    path.write_text(json.dumps(state))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.bench_bundles",
            "--child",
            op,
            "--state",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return None
    rise: float | None = json.loads(done.stdout)["rss_rise_mb"]
    return rise


def child(op: str, state_path: str) -> None:
    """One vault operation in this (fresh) process, its RSS rise printed as JSON."""
    from infohus_desktop.crypto import kdf
    from infohus_desktop.local_state import LocalState
    from infohus_desktop.services.front_door import Vault as VaultService
    from tests.integration.conftest import COORDINATOR_PASS, TEST_FLOOR

    state = json.loads(Path(state_path).read_text())
    kdf._set_floor_for_tests(TEST_FLOOR)
    os.environ["INFOHUS_HOME"] = state["home"]
    url = state["receiver_url"] if op == "import" else state["sender_url"]
    vault = VaultService.open(url, LocalState())
    session = vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
    base = _status_kib("VmRSS")
    if base is None or not _reset_rss_peak():
        print(json.dumps({"rss_rise_mb": None}))
        return
    if op == "export-file":
        with Path(state["out"]).open("wb") as sink:
            session.bundles.write_referral(state["referral"], "EXIT", sink, state["ids"])
    elif op == "export-bytes":
        session.bundles.export_referral(state["referral"], "EXIT", state["ids"])
    else:
        session.bundles.import_file(Path(state["bundle"]))
    peak = _status_kib("VmHWM")
    print(json.dumps({"rss_rise_mb": None if peak is None else (peak - base) / 1024}))
    session.lock()
    vault.close()


def run(total_mb: int, repeats: int) -> dict[str, Any]:
    from infohus_desktop.crypto import bundle, kdf
    from infohus_desktop.crypto.bundle_keys import BundleIdentity
    from infohus_desktop.crypto.bundle_payload import encode_payload
    from infohus_desktop.crypto.bundle_writer import seal
    from infohus_desktop.domain.bundles import BundleKind
    from infohus_desktop.services.referrals.incoming import IncomingReferrals
    from tests.integration.bundle_fixtures import sender_vault
    from tests.integration.conftest import TEST_FLOOR, new_vault
    from tests.integration.referral_fixtures import ready_draft

    kdf._set_floor_for_tests(TEST_FLOOR)
    tmp = Path(tempfile.mkdtemp(prefix="bench-bundles-"))
    os.environ["INFOHUS_HOME"] = str(tmp / "home")
    receiver = new_vault(f"sqlite+pysqlite:///{tmp / 'exit.sqlite'}")
    sender = sender_vault(tmp / "nord.sqlite")
    sender.groups.add_municipality("Aarhus Kommune", "AAR")
    r_card, r_fp = receiver.bundles.export_public_key()
    s_card, s_fp = sender.bundles.export_public_key()
    receiver.bundles.add_recipient("Infohus Nordjylland", s_card, s_fp)
    sender.bundles.add_recipient("EXIT", r_card, r_fp)
    referral = ready_draft(sender)
    case = referral.summary.case_number
    files = {f"bilag-{i}.pdf": os.urandom(total_mb * MB // 4) for i in range(4)}
    ids = [str(sender.attachments.add(case, n, io.BytesIO(b)).id) for n, b in files.items()]
    out_path = tmp / "henvisning.ihb"

    def export_file() -> int:
        with out_path.open("wb") as sink:
            sender.bundles.write_referral(referral.id, "EXIT", sink, ids)
        return out_path.stat().st_size

    def export_bytes() -> bytes:
        return sender.bundles.export_referral(referral.id, "EXIT", ids)

    t_file, m_file, size = _measure(export_file, repeats)
    t_bytes, m_bytes, _ = _measure(export_bytes, repeats)
    bundles = [export_bytes() for _ in range(repeats + 2)]
    queue = list(bundles)
    (tmp / "child.ihb").write_bytes(queue.pop())
    state = {
        "home": os.environ["INFOHUS_HOME"],
        "sender_url": f"sqlite+pysqlite:///{tmp / 'nord.sqlite'}",
        "receiver_url": f"sqlite+pysqlite:///{tmp / 'exit.sqlite'}",
        "referral": str(referral.id),
        "ids": ids,
        "out": str(tmp / "child-out.ihb"),
        "bundle": str(tmp / "child.ihb"),
    }
    r_file = _rss_in_child("export-file", state, tmp)
    r_bytes = _rss_in_child("export-bytes", state, tmp)
    r_import = _rss_in_child("import", state, tmp)

    def import_one() -> Any:
        return receiver.bundles.import_bundle(queue.pop())

    t_import, m_import, result = _measure(import_one, repeats)
    incoming = receiver.referrals.show_incoming(result.incoming_id)
    ok = True
    for a in incoming.attachments:
        sink = io.BytesIO()
        IncomingReferrals(receiver).read_attachment(result.incoming_id, a.id, sink)
        ok &= sink.getvalue() == files[a.filename]

    ident_a = BundleIdentity(sender.vault.vault_id, "A", os.urandom(32))
    ident_b = BundleIdentity(receiver.vault.vault_id, "B", os.urandom(32))
    payload = encode_payload("referral", {}, [(n, "application/pdf", b) for n, b in files.items()])

    def crypto_seal() -> bytes:
        buf = io.BytesIO()
        seal(ident_a, ident_b.public(), BundleKind.REFERRAL, payload, buf)
        return buf.getvalue()

    sealed = crypto_seal()

    def crypto_open() -> bytearray:
        return bundle.decrypt(bundle.parse(sealed), ident_b.kem)

    t_seal, m_seal, _ = _measure(crypto_seal, repeats)
    t_open, m_open, _ = _measure(crypto_open, repeats)
    r_seal = r_open = None
    for session in (sender, receiver):
        session.lock()
        session.vault.close()
    return {
        "attachments_mb": total_mb,
        "bundle_bytes": size,
        "repeats": repeats,
        "export_file": {"seconds": t_file, "peak_mb": m_file, "rss_rise_mb": r_file},
        "export_bytes": {"seconds": t_bytes, "peak_mb": m_bytes, "rss_rise_mb": r_bytes},
        "import": {"seconds": t_import, "peak_mb": m_import, "rss_rise_mb": r_import},
        "crypto_seal": {"seconds": t_seal, "peak_mb": m_seal, "rss_rise_mb": r_seal},
        "crypto_open": {"seconds": t_open, "peak_mb": m_open, "rss_rise_mb": r_open},
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "attachments_identical": ok,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    parser.add_argument("--mb", type=int, default=20, help="attachment megabytes (default 20)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.state)
        return 0
    figures = run(args.mb, args.repeats)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"Referral bundle, {args.mb} MB of attachments ({figures['bundle_bytes']:,} bytes)")
        print(f"{'':22}{'median s':>10}{'peak MB':>10}{'RSS +MB':>10}")
        for key, label in (
            ("export_file", "export to file"),
            ("export_bytes", "export to bytes"),
            ("import", "import"),
            ("crypto_seal", "crypto: seal"),
            ("crypto_open", "crypto: open"),
        ):
            f = figures[key]
            rss = "-" if f["rss_rise_mb"] is None else f"{f['rss_rise_mb']:.1f}"
            print(f"{label:22}{f['seconds']:>10.2f}{f['peak_mb']:>10.1f}{rss:>10}")
        print(f"process peak RSS: {figures['max_rss_mb']:.0f} MB")
    return 0 if figures["attachments_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
