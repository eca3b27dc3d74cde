"""Smoke test of the frozen desktop build: build it, use it as a user would, and report.

    python build_spec/smoke_test.py            # build with PyInstaller, then check
    python build_spec/smoke_test.py --no-build --dist DIR   # check a bundle built before

From an empty directory, with a fresh local state, the frozen ``infohus`` must answer
``--version`` (with the commit it was built from), pass ``selftest``, build a demo vault
(``demo --cases 5 --json``), list its cases, back it up and restore the backup under another
workstation's state; the frozen ``infohus-desktop`` must reach the
unlock screen offscreen on that vault and exit 0 on SIGTERM. Any missing module or data file,
a traceback, or a non-zero exit fails the run (exit 1). At the end it prints the bundle's size
and the time from start to the unlock screen, frozen against the installed app.

The app names each page it shows on stderr when ``INFOHUS_REPORT_PAGES=1``: nothing else in a
frozen program can be looked at from outside.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = "InfohusDesktop"
EXE = ".exe" if os.name == "nt" else ""
LARS = "demo rugbrød cykel fjord 1"  # the demo coordinator's passphrase (infohus_desktop.demo)
#: What a broken bundle prints; any of them fails the run.
BROKEN = ("Traceback", "ModuleNotFoundError", "ImportError", "FileNotFoundError", "is missing")


class SmokeFailure(Exception):
    pass


def build(dist: Path, work: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(dist), "--workpath", str(work),
            str(ROOT / "build_spec" / "infohus.spec"),
        ],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    return time.monotonic() - started


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def check(done: subprocess.CompletedProcess[str], what: str) -> str:
    if done.returncode != 0 or any(word in done.stderr for word in BROKEN):
        raise SmokeFailure(f"{what}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run(exe: Path, *args: str, env: dict[str, str], cwd: Path, stdin: str = "") -> str:
    done = subprocess.run(
        [str(exe), *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return check(done, f"{exe.name} {' '.join(args)}")


def time_to_unlock(exe: Path, vault: Path, env: dict[str, str], cwd: Path) -> float:
    """Seconds from process start to the unlock screen; then SIGTERM, which must end the app
    cleanly (exit 0)."""
    started = time.monotonic()
    app = subprocess.Popen(
        [str(exe), "--vault", str(vault)],
        env={**env, "INFOHUS_REPORT_PAGES": "1"},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert app.stderr is not None
    seen: list[str] = []
    reached = None
    hung = threading.Timer(120, app.kill)  # a hang fails the run instead of blocking it
    hung.start()
    try:
        while line := app.stderr.readline():  # ends when the app does
            seen.append(line)
            if line.strip() == "infohus-desktop: page UnlockPage":
                reached = time.monotonic() - started
                break
    finally:
        hung.cancel()
    if reached is None:
        app.kill()
        raise SmokeFailure(f"{exe.name} did not reach the unlock screen:\n{''.join(seen)}")
    # Windows has no SIGTERM to catch: terminate() ends the process there with exit code 1.
    if os.name == "nt":
        app.terminate()
    else:
        app.send_signal(signal.SIGTERM)
    try:
        rest = app.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        app.kill()
        raise SmokeFailure(f"{exe.name} did not end on SIGTERM") from None
    err = "".join(seen) + rest
    clean = app.returncode == 0 or os.name == "nt"
    if not clean or any(word in err for word in BROKEN):
        raise SmokeFailure(f"{exe.name} ended with {app.returncode}:\n{err}")
    return reached


def installed_app() -> Path | None:
    scripts = Path(sys.executable).parent
    candidate = scripts / f"infohus-desktop{EXE}"
    return candidate if candidate.exists() else None


def smoke(bundle: Path, starts: int) -> dict[str, object]:
    cli, app = bundle / f"infohus{EXE}", bundle / f"infohus-desktop{EXE}"
    for exe in (cli, app):
        if not exe.is_file():
            raise SmokeFailure(f"{exe} is missing from the bundle")
    with tempfile.TemporaryDirectory(prefix="infohus-smoke-") as tmp:
        cwd = Path(tmp) / "elsewhere"
        cwd.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "INFOHUS_"))}
        env.update(INFOHUS_HOME=str(Path(tmp) / "home"), QT_QPA_PLATFORM="offscreen")

        version = run(cli, "--version", env=env, cwd=cwd)
        rows = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in version.splitlines())
        if rows.get("Commit", "ukendt").startswith("ukendt") or "kildetræ" in rows["Commit"]:
            raise SmokeFailure(f"the bundle does not know its commit:\n{version}")
        for library in ("Qt (PySide6)", "cryptography", "SQLAlchemy"):
            if rows.get(library, "ukendt") == "ukendt":
                raise SmokeFailure(f"the bundle does not know the version of {library}")
        run(cli, "selftest", env=env, cwd=cwd)
        vault = cwd / "demo.sqlite"
        demo = json.loads(
            run(
                cli,
                "demo",
                "--vault",
                str(vault),
                "--cases",
                "5",
                "--months",
                "1",
                "--json",
                env=env,
                cwd=cwd,
            )
        )
        if demo["cases"] != 5 or not vault.is_file():
            raise SmokeFailure(f"the demo vault is not as asked: {demo}")
        auth = ("--vault", str(vault), "--user", "lars", "--passphrase-stdin", "--json")
        cases = json.loads(run(cli, "case", "list", *auth, env=env, cwd=cwd, stdin=LARS + "\n"))
        if len(cases) != 5:
            raise SmokeFailure(f"case list shows {len(cases)} cases, not 5")
        # A backup and its restore on "another computer": migrations, the loader and the
        # restore's own unlock all run from the bundle.
        backup = cwd / "kopi.ihk"
        run(
            cli,
            "backup",
            "create",
            "--out",
            str(backup),
            *auth,
            env=env,
            cwd=cwd,
            stdin=LARS + "\n",
        )
        fresh = {**env, "INFOHUS_HOME": str(Path(tmp) / "other-home")}
        root = json.loads(run(cli, "backup", "inspect", str(backup), "--json", env=env, cwd=cwd))
        restored = json.loads(
            run(
                cli, "backup", "restore", str(backup), "--vault", str(cwd / "restored.sqlite"),
                "--fingerprint", root["root_fingerprint"], "--user", "lars",
                "--passphrase-stdin", "--json", env=fresh, cwd=cwd, stdin=LARS + "\n",
            )
        )  # fmt: skip
        if restored["counts"]["cases"] != 5:
            raise SmokeFailure(f"the restored backup holds {restored['counts']['cases']} cases")

        frozen = [time_to_unlock(app, vault, env, cwd) for _ in range(starts)]
        report: dict[str, object] = {
            "bundle": str(bundle),
            "bundle_mb": round(folder_size(bundle) / 1e6, 1),
            "version": version.splitlines(),
            "frozen_unlock_s": [round(t, 2) for t in frozen],
        }
        installed = installed_app()
        if installed is not None:
            times = [time_to_unlock(installed, vault, env, cwd) for _ in range(starts)]
            report["installed_app"] = str(installed)
            report["installed_unlock_s"] = [round(t, 2) for t in times]
            report["median_frozen_vs_installed_s"] = [
                round(statistics.median(frozen), 2),
                round(statistics.median(times), 2),
            ]
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="check an existing bundle")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="PyInstaller's distpath")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--starts", type=int, default=3, help="app starts to time, each build")
    args = parser.parse_args(argv)
    report: dict[str, object] = {}
    if not args.no_build:
        report["build_s"] = round(build(args.dist, args.work), 1)
    try:
        report |= smoke(args.dist / BUNDLE, args.starts)
    except SmokeFailure as exc:
        print(f"smoke test FAILED: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print("smoke test passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
