"""The KeePassXC side of the comparison (tests/benchmarks/kdbx4.py): the file carries the
Argon2id parameters it was asked for, and KeePassXC itself opens it and reads every entry,
protected password included (when ``keepassxc-cli`` is installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.benchmarks import kdbx4

#: The cheapest parameters KeePassXC accepts, to keep the test quick.
PARAMS = kdbx4.Argon2Params(memory_kib=1024, iterations=2, lanes=2)
ENTRIES = [
    kdbx4.Entry(f"Åse Ørsted {i} <&>", "010101-1234", f"+45 2020 {i:04d}", "a@b.dk", "to\nlinjer")
    for i in range(3)
]


def test_the_header_carries_the_parameters(tmp_path: Path) -> None:
    path = tmp_path / "cases.kdbx"
    kdbx4.write(path, "frase", PARAMS, ENTRIES)
    assert kdbx4.read_argon2(path) == PARAMS


def test_a_kdbx3_file_has_no_argon2(tmp_path: Path) -> None:
    path = tmp_path / "old.kdbx"
    path.write_bytes(bytes.fromhex("03d9a29a67fb4bb501000300") + bytes(64))
    assert kdbx4.read_argon2(path) is None


@pytest.mark.skipif(shutil.which("keepassxc-cli") is None, reason="keepassxc-cli not installed")
def test_keepassxc_opens_it(tmp_path: Path) -> None:
    path = tmp_path / "cases.kdbx"
    kdbx4.write(path, "frase", PARAMS, ENTRIES)
    cli = shutil.which("keepassxc-cli") or ""

    def run(*args: str) -> str:
        return subprocess.run(
            [cli, *args], input="frase\n", capture_output=True, text=True, check=True
        ).stdout

    assert run("ls", "-q", str(path)).splitlines() == [e.title for e in ENTRIES]
    shown = run("show", "-q", "-s", str(path), "Åse Ørsted 2 <&>")
    assert "Password: +45 2020 0002" in shown  # the third value of the protected stream
    with pytest.raises(subprocess.CalledProcessError):
        subprocess.run(
            [cli, "ls", "-q", str(path)],
            input="forkert\n",
            capture_output=True,
            text=True,
            check=True,
        )
