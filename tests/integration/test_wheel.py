"""The built wheel, installed the way a user installs it, works outside the source tree.

Issue 16 found the editable install hiding a broken product: the word lists, icons and fonts
were read from the source tree, so the installed wheel refused every passphrase and the app
died at start. This test builds the wheel, installs it (not editable) into a fresh virtual
environment, changes to an empty directory and uses it as a user would: ``--help``,
``--version``, a demo vault, the case list, a PDF, and the desktop app offscreen.

Dependencies: the fresh environment gets only the wheel (``--no-deps``); a ``.pth`` file puts
this test environment's ``site-packages`` after its own, so PySide6, cryptography and the rest
resolve without a network and without a second 300 MB install. A plain path line, not
``site.addsitedir``: the ``.pth`` files in there (this checkout's editable install among them)
are then not run, so the package can only come from the wheel, which the test checks.

It takes about a minute (the demo vault derives its members' keys at production strength), so
it has its own marker: ``pytest -m "not wheel"`` leaves it out locally; CI runs it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import sysconfig
import tarfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from infohus_desktop import build_info

# One worker runs them all: the wheel is built, installed and given a demo vault once (a
# second worker would build its own, 30-50 s each).
pytestmark = [pytest.mark.wheel, pytest.mark.xdist_group("wheel")]

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "infohus_desktop"
LARS = "demo rugbrød cykel fjord 1"  # the demo coordinator's passphrase (infohus_desktop.demo)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    scripts: Path
    home: Path  # INFOHUS_HOME: the user's local state
    cwd: Path  # an empty directory, far from the source tree

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "INFOHUS_"))}
        env.pop("VIRTUAL_ENV", None)
        env.update(INFOHUS_HOME=str(self.home), QT_QPA_PLATFORM="offscreen")
        return env

    def run(
        self, *args: str, stdin: str | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        command = args[0]
        exe = str(self.python) if command == "python" else str(self.scripts / command)
        return subprocess.run(
            [exe, *args[1:]],
            cwd=self.cwd,
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=600, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    # setuptools' scratch directories go to the temp dir too: build/lib in the checkout keeps
    # files of earlier builds (a module since deleted would ship), and xdist workers would
    # share it. DIST_EXTRA_CONFIG is distutils' own extra setup.cfg.
    (base / "egg").mkdir()
    config = base / "build.cfg"
    config.write_text(
        f"[build]\nbuild_base = {base / 'build'}\n[egg_info]\negg_base = {base / 'egg'}\n"
    )
    build_env = {**os.environ, "DIST_EXTRA_CONFIG": str(config)}
    _run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", base / "dist", env=build_env)  # fmt: skip
    (wheel,) = (base / "dist").glob("infohus_desktop-*.whl")

    env_dir = base / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", env_dir)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "-q", wheel)  # fmt: skip
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "zz_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")

    cwd = base / "elsewhere"
    cwd.mkdir()
    return Installed(wheel, python, scripts, base / "home", cwd)


def _read_at_run_time() -> set[str]:
    """Every data file and migration the program reads, as paths inside a distribution."""
    shipped = [p for p in (PACKAGE / "resources").rglob("*") if p.is_file()]
    shipped += list((PACKAGE / "vault" / "migrations").rglob("*.py"))
    shipped += list((PACKAGE / "vault" / "migrations").glob("*.mako"))
    files = {p.relative_to(ROOT).as_posix() for p in shipped if "__pycache__" not in p.parts}
    assert len(files) > 30
    return files


def test_the_wheel_carries_every_file_the_program_reads(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert sorted(_read_at_run_time() - names) == []
    assert "infohus_desktop/_build_info.py" in names
    assert not any(n.startswith(("tests/", "resources/")) for n in names)


def test_the_sdist_carries_them_and_the_commit(installed: Installed) -> None:
    base = installed.wheel.parent.parent
    build = f"from setuptools import build_meta; build_meta.build_sdist({str(base / 'sdist')!r})"
    built = subprocess.run(
        [sys.executable, "-c", build],
        cwd=ROOT,
        env={**os.environ, "DIST_EXTRA_CONFIG": str(base / "build.cfg")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (sdist,) = (base / "sdist").glob("infohus_desktop-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert sorted(_read_at_run_time() - names) == []
    assert {"infohus_desktop/_build_info.py", "setup.py", "pyproject.toml"} <= names


def test_the_package_comes_from_the_wheel_not_the_checkout(installed: Installed) -> None:
    done = installed.run("python", "-c", "import infohus_desktop; print(infohus_desktop.__file__)")
    assert done.returncode == 0, done.stderr
    location = Path(done.stdout.strip())
    assert installed.python.parent.parent in location.parents
    assert ROOT not in location.parents


def test_the_server_setup_finds_the_unlock_guard_script_in_the_wheel(
    installed: Installed,
) -> None:
    # `infohus server init` installs it from the package, outside any checkout.
    done = installed.run(
        "python",
        "-c",
        "from infohus_desktop.services.server_setup.guard_script import guard_sql\n"
        "print('CREATE SCHEMA' in guard_sql() and 'infohus_guard' in guard_sql())",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_help_and_version(installed: Installed) -> None:
    helped = installed.run("infohus", "--help")
    assert helped.returncode == 0 and helped.stderr == ""
    assert "krypteret bekymringssagsbehandling" in helped.stdout
    for command in ("demo", "gui", "case", "meeting", "selftest"):
        assert command in helped.stdout

    version = installed.run("infohus", "--version")
    assert version.returncode == 0, version.stderr
    rows = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in version.stdout.splitlines())
    import infohus_desktop

    assert rows["Infohus Desktop"] == infohus_desktop.__version__
    # The commit was written into the wheel: not read from a checkout, not unknown.
    head = build_info._checkout_head(ROOT)
    if head is not None:
        assert re.fullmatch(re.escape(head) + r"(-dirty)?", rows["Commit"]), rows["Commit"]
    else:
        assert rows["Commit"] != "ukendt" and "kildetræ" not in rows["Commit"]
    for library in ("Qt (PySide6)", "cryptography", "SQLAlchemy"):
        assert re.fullmatch(r"\d+\.\d+(\.\d+)?\S*", rows[library]), rows

    desktop = installed.run("infohus-desktop", "--help")
    assert desktop.returncode == 0 and "--demo" in desktop.stdout


def test_demo_vault_cases_and_a_pdf(installed: Installed) -> None:
    vault = installed.cwd / "demo.sqlite"
    made = installed.run(
        "infohus", "demo", "--vault", str(vault), "--cases", "5", "--months", "1", "--json"
    )
    assert made.returncode == 0, made.stderr
    demo = json.loads(made.stdout)
    assert (demo["cases"], demo["synthetic"], demo["infohus"]) == (5, True, "Østjylland")
    assert vault.is_file()
    assert any(m["login"] == "lars" and m["passphrase"] == LARS for m in demo["members"])

    auth = ("--vault", str(vault), "--user", "lars", "--passphrase-stdin", "--json")
    cases = installed.run("infohus", "case", "list", *auth, stdin=LARS + "\n")
    assert cases.returncode == 0, cases.stderr
    assert len(json.loads(cases.stdout)) == 5

    meetings = installed.run("infohus", "meeting", "list", *auth, stdin=LARS + "\n")
    assert meetings.returncode == 0, meetings.stderr
    meeting = json.loads(meetings.stdout)[0]["id"]
    pdf = installed.cwd / "dagsorden.pdf"
    agenda = installed.run(
        "infohus", "meeting", "agenda", meeting, "--pdf", str(pdf), *auth, stdin=LARS + "\n"
    )
    assert agenda.returncode == 0, agenda.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and b"DejaVuSans" in pdf.read_bytes()


def test_the_app_starts_on_the_demo_vault_and_quits_on_sigterm(installed: Installed) -> None:
    vault = installed.cwd / "demo.sqlite"
    if not vault.exists():
        made = installed.run(
            "infohus", "demo", "--vault", str(vault), "--cases", "5", "--months", "1", "--json"
        )
        assert made.returncode == 0, made.stderr
    # The real entry point, left running as a user would, then ended by the session manager.
    # INFOHUS_REPORT_PAGES=1 makes it name each page it shows on stderr.
    app = subprocess.Popen(
        [str(installed.scripts / "infohus-desktop"), "--vault", str(vault)],
        cwd=installed.cwd,
        env={**installed.env(), "INFOHUS_REPORT_PAGES": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert app.stderr is not None
    seen: list[str] = []
    hung = threading.Timer(120, app.kill)  # a hang fails the test instead of blocking it
    hung.start()
    try:
        while line := app.stderr.readline():  # ends when the app does
            seen.append(line)
            if line.strip() == "infohus-desktop: page UnlockPage":
                break
    finally:
        hung.cancel()
    assert app.poll() is None, "".join(seen)  # still running, on the unlock page
    app.send_signal(signal.SIGTERM)
    _out, err = app.communicate(timeout=30)
    err = "".join(seen) + err
    assert "infohus-desktop: page UnlockPage" in err
    assert app.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err, err
    assert not (installed.home / "logs" / "infohus.log").exists()  # no bug was logged
