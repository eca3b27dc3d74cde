"""A vault file whose name holds ``%`` or ``?`` is that file (vault/urls.py). SQLAlchemy reads
a URL's database part with ``%XX`` decoded and ends it at ``?``, so ``sager%41?.sqlite`` was
opened, or created, as ``sagerA`` without complaint."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.vault.engine import describe_location
from infohus_desktop.vault.peek import peek_sqlite, sqlite_file
from infohus_desktop.vault.urls import file_of_url, url_for_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args), stdin=StdinLines(io.StringIO("")))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["sager%41.sqlite", "sager?.sqlite", "50% af sagerne.sqlite"])
def test_a_vault_named_with_percent_or_question_mark_is_that_file(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_kdf: None
) -> None:
    folder = tmp_path / "vaults"
    folder.mkdir()
    vault = folder / name
    secret = tmp_path / "lars.txt"
    secret.write_text("blåbærgrød med flødeskum\n", encoding="utf-8")
    secret.chmod(0o600)
    code, _out, err = _run(
        capsys,
        *("init", "--vault", str(vault), "--infohus", "Østjylland", "--login", "lars"),
        *("--name", "Lars Holm", "--org", "police", "--passphrase-file", str(secret)),
    )
    assert (code, err) == (0, "")
    made = sorted(p.name for p in folder.iterdir())
    assert made and all(made_name.startswith(name) for made_name in made), made  # -wal: same

    code, out, err = _run(capsys, "vault", "info", "--json", "--vault", str(vault))
    assert (code, err) == (0, "")
    assert json.loads(out)["location"] == str(vault)
    code, out, err = _run(
        capsys,
        *("case", "list", "--json", "--vault", str(vault), "--user", "lars"),
        *("--passphrase-file", str(secret)),
    )
    assert (code, err, json.loads(out)) == (0, "", [])

    url = url_for_path(vault)
    assert file_of_url(url) == describe_location(url) == str(vault)
    assert sqlite_file(url) == vault
    peek = peek_sqlite(url)
    assert peek is not None and peek.location == str(vault) and peek.logins == ["lars"]


def test_an_ordinary_path_gives_the_url_it_always_gave(tmp_path: Path) -> None:
    """Vault URLs saved in settings.json before the escaping stay what they were."""
    path = tmp_path / "Infohus Østjylland" / "boks.sqlite"
    assert url_for_path(path) == f"sqlite+pysqlite:///{path}"
