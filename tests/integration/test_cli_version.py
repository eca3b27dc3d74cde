"""``--version`` on both commands, and ``infohus gui`` taking exactly the options of
``infohus-desktop`` (it once refused ``--demo``)."""

from __future__ import annotations

import argparse
import re
from importlib import metadata

import pytest

import infohus_desktop
from infohus_desktop import app, cli


def _output(main: object, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)  # type: ignore[operator]
    assert exit_info.value.code in (0, None)
    out, _err = capsys.readouterr()
    return out


@pytest.mark.parametrize(
    ("main", "argv"),
    [(cli.main, ["--version"]), (app.main, ["--version"]), (cli.main, ["gui", "--version"])],
)
def test_version_names_the_build_and_its_libraries(
    main: object, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = _output(main, argv, capsys)
    lines = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in out.splitlines())
    assert lines["Infohus Desktop"] == infohus_desktop.__version__
    assert lines["cryptography"] == metadata.version("cryptography")
    assert lines["SQLAlchemy"] == metadata.version("SQLAlchemy")
    assert lines["Qt (PySide6)"] == metadata.version("PySide6-Essentials")
    assert re.fullmatch(r"[0-9a-f]{12}(-dirty)?( \(kildetræ\))?", lines["Commit"])


def test_version_speaks_english_when_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INFOHUS_LANG", "en")
    out = _output(cli.main, ["--version"], capsys)
    assert "kildetræ" not in out and "ukendt" not in out


def _options(help_text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", help_text))


def test_gui_and_infohus_desktop_list_the_same_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    desktop = _options(_output(app.main, ["--help"], capsys))
    gui = _options(_output(cli.main, ["gui", "--help"], capsys))
    assert {"--demo", "--vault", "--db-url", "--lang", "--version"} <= desktop
    assert gui == desktop


def test_gui_passes_its_options_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[argparse.Namespace] = []
    monkeypatch.setattr(app, "run", lambda args: started.append(args) or 0)
    assert cli.main(["gui", "--demo", "--lang", "en"]) == 0
    assert cli.main(["gui", "--vault", "some.sqlite"]) == 0
    desktop = app.parse_args(["--demo", "--lang", "en"])
    assert (started[0].demo, started[0].lang) == (desktop.demo, desktop.lang) == (True, "en")
    assert started[1].vault == "some.sqlite" and not started[1].demo
