"""Case transfer benchmark: a case with 50 MB of attachments handed over and taken in, side by
side with copying the same bytes through AES-GCM in 64 KiB chunks (the floor for any
encrypted file of that size) and a plain file copy.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_transfer             # 5 × 10 MB
    .venv/bin/python -m tests.benchmarks.bench_transfer --mb 20 --json

Two vaults in a temporary directory that pinned each other's bundle keys (the services' own
way), key derivation at the tests' cheap floor. ``out`` is ``session.transfers.export`` whole
(the case read and audited, every attachment streamed from the vault into the file, the
disclosure and status after); ``in`` is ``session.bundles.import_file`` whole (every check,
both passes, the new case with its attachments in one transaction). Peak memory is Python's
own allocations (``tracemalloc``): what streaming is meant to keep flat. Nothing here asserts
on time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import Vault
from infohus_desktop.services.retention.approval import Approval
from tests.benchmarks.bench_backups import measured
from tests.benchmarks.cases_vault import kdf_floor, log, private_home
from tests.integration.case_fixtures import fill_case
from tests.integration.conftest import COORDINATOR_PASS, TEST_FLOOR


def aes_floor(source: Path, target: Path) -> None:
    aead = AESGCM(os.urandom(32))
    with source.open("rb") as src, target.open("wb") as dst:
        counter = 0
        while chunk := src.read(65536):
            dst.write(aead.encrypt(counter.to_bytes(12, "big"), chunk, b""))
            counter += 1


def bench(root: Path, megabytes: int, files: int) -> dict[str, Any]:
    def vault(name: str, district: str) -> Any:
        session = Vault.create(
            f"sqlite+pysqlite:///{root / name}",
            NewVault(district, "lars", "Lars", f"{district}s Politi", OrgKind.POLICE,
                     COORDINATOR_PASS),
            LocalState(),
        )  # fmt: skip
        session.groups.add_municipality("Aarhus Kommune", "AAR")
        return session

    sender, receiver = vault("nord.sqlite", "Nordjylland"), vault("oest.sqlite", "Østjylland")
    try:
        card, fp = receiver.bundles.export_public_key()
        sender.bundles.add_recipient("Østjylland", card, fp)
        card, fp = sender.bundles.export_public_key()
        receiver.bundles.add_recipient("Nordjylland", card, fp)
        number = fill_case(sender, "Tove Flytning", "150190-1234", "Aarhus Kommune").number
        # The handover's second person (four eyes): a DPO who changed her first passphrase.
        sender.accounts.add(
            "vibeke", "Vibeke", "Nordjyllands Politi", Role.DPO, "vibekes første lange frase"
        )
        dpo = Vault.open(sender.vault.url, LocalState()).unlock(
            "vibeke", "vibekes første lange frase", sleep=lambda _s: None
        )
        dpo.accounts.change_passphrase("vibekes første lange frase", "vibekes egen lange frase")
        dpo.lock()
        approval = Approval("vibeke", "vibekes egen lange frase")
        raw = root / "raw.bin"
        log(f"adding {files} × {megabytes} MB …")
        with raw.open("wb") as all_bytes:
            for n in range(files):
                body = os.urandom(megabytes * 1024 * 1024)
                all_bytes.write(body)
                sender.attachments.add(number, f"bilag-{n}.bin", io.BytesIO(body))
                del body
        total = files * megabytes
        figures: dict[str, Any] = {"attachments_mb": total}
        s, _mib, _ = measured(lambda: shutil.copyfile(raw, root / "raw-copy.bin"))
        figures["plain_copy"] = {"seconds": s}
        s, _mib, _ = measured(lambda: aes_floor(raw, root / "raw.aes"))
        figures["aes_floor"] = {"seconds": s}
        out = root / "overdragelse.ihb"
        s, mib, _ = measured(
            lambda: sender.transfers.export(number, "Østjylland", out, approval=approval)
        )
        figures["out"] = {"seconds": s, "peak_mib": mib, "bytes": out.stat().st_size}
        s, mib, result = measured(lambda: receiver.bundles.import_file(out, "Aarhus Kommune"))
        figures["in"] = {"seconds": s, "peak_mib": mib, "attachments": result.attachments}
    finally:
        for session in (sender, receiver):
            session.lock()
            session.vault.close()
    return figures


def render(f: dict[str, Any]) -> str:
    floor = f["aes_floor"]["seconds"]
    lines = [
        f"{f['attachments_mb']} MB of attachments",
        f"{'':<12}{'seconds':>10}{'peak MiB':>10}{'× AES floor':>13}",
        f"{'plain copy':<12}{f['plain_copy']['seconds']:>10.2f}{'':>10}"
        f"{f['plain_copy']['seconds'] / floor:>13.2f}",
        f"{'AES floor':<12}{floor:>10.2f}{'':>10}{'1.00':>13}",
    ]
    for name in ("out", "in"):
        row = f[name]
        ratio = row["seconds"] / floor
        lines.append(f"{name:<12}{row['seconds']:>10.2f}{row['peak_mib']:>10.1f}{ratio:>13.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=10, help="megabytes per attachment")
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="infohus-bench-transfer-") as tmp:
        root = Path(tmp)
        with private_home(root / "home"), kdf_floor(TEST_FLOOR):
            figures = bench(root, args.mb, args.files)
    print(json.dumps(figures, indent=2) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
