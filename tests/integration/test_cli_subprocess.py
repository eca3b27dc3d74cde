"""The installed `infohus` command, in a temporary directory, with real key derivation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _infohus() -> list[str]:
    script = shutil.which("infohus", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "infohus_desktop.cli"]


@pytest.mark.slow
# SQLite: the console script with real key derivation is the point here; the command line's
# PostgreSQL paths run in-process (test_cli.py, test_cli_cases.py).
@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_console_script_as_a_coordinator_would_use_it(db_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOHUS_LANG")}
    env["INFOHUS_HOME"] = str(tmp_path / "home")
    where = (
        ["--vault", str(tmp_path / "district.sqlite")]
        if db_url.startswith("sqlite")
        else ["--db-url", db_url]
    )

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_infohus(), *args, *where],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    lars = "blåbærgrød med flødeskum"
    init = run(
        "init",
        "--infohus",
        "Østjylland",
        "--login",
        "lars",
        "--name",
        "Lars Holm",
        "--org",
        "police",
        "--passphrase-stdin",
        stdin=lars + "\n",
    )
    assert init.returncode == 0, init.stderr
    assert "fingeraftryk" in init.stdout.lower()

    (tmp_path / "mette.txt").write_text("mettes første lange frase\n")
    added = run(
        "member",
        "add",
        "--login",
        "mette",
        "--name",
        "Mette Fjord",
        "--org",
        "police",
        "--role",
        "member",
        "--new-passphrase-file",
        "mette.txt",
        "--user",
        "lars",
        "--passphrase-stdin",
        stdin=lars + "\n",
    )
    assert added.returncode == 0, added.stderr

    listed = run(
        "member", "list", "--json", "--user", "lars", "--passphrase-stdin", stdin=lars + "\n"
    )
    assert listed.returncode == 0, listed.stderr
    assert [m["login"] for m in json.loads(listed.stdout)] == ["lars", "mette"]

    wrong = run("member", "list", "--user", "lars", "--passphrase-stdin", stdin="forkert\n")
    assert wrong.returncode == 3
    assert wrong.stderr.strip() == "infohus: Forkert bruger eller adgangsfrase."

    verified = run("audit", "verify", "--user", "lars", "--passphrase-stdin", stdin=lars + "\n")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("Revisionsloggen er intakt")

    english = subprocess.run(
        [*_infohus(), "audit", "verify", "--user", "lars", "--passphrase-stdin", *where],
        input=lars + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**env, "INFOHUS_LANG": "en"},
        check=True,
    )
    assert english.stdout.startswith("The audit log is intact")

    # Production key derivation: the stored parameters are at or above the floor.
    if db_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(tmp_path / "district.sqlite") as connection:
            params = [
                json.loads(p) for (p,) in connection.execute("SELECT kdf_params FROM members")
            ]
        assert all(p["m"] >= 65536 and p["t"] >= 3 and p["p"] >= 4 for p in params)


def test_module_entry_point_shows_help() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "infohus_desktop.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for command in ("init", "member", "group", "audit", "municipality"):
        assert command in shown.stdout
