"""The administration on the command line (issue 14): `member role`, `member reset` (the
passphrase printed once, the welcome letter on request), `group keys`, `group rename`,
`municipality rename` and `municipality prefix`."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf

from tests.integration.test_cli import Cli, cli  # noqa: F401 (the fixture)


def _district(cli: Cli) -> str:  # noqa: F811
    lars = cli.secret("lars", "blåbærgrød med flødeskum")
    init = ("init", "--infohus", "Østjylland", "--login", "lars", "--name", "Lars Holm")
    assert cli.run(*init, "--org", "police", "--passphrase-file", lars)[0] == 0
    assert cli.as_("lars", lars, "municipality", "add", "Aarhus Kommune")[0] == 0
    first = cli.secret("mette-first", "mettes første lange frase")
    code, _out, err = cli.as_(
        "lars", lars, "member", "add", "--login", "mette", "--name", "Mette Fjord",
        "--org", "Aarhus Kommune", "--role", "member", "--new-passphrase-file", first,
    )  # fmt: skip
    assert (code, err) == (0, "")
    return lars


def test_reset_role_keys_and_renames_from_the_command_line(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    lars = _district(cli)
    letter = tmp_path / "brev.pdf"
    code, out, err = cli.as_("lars", lars, "member", "reset", "mette", "--letter", str(letter))
    assert (code, err) == (0, "")
    assert "Første adgangsfrase (vises kun nu)" in out
    passphrase = out.splitlines()[1].strip()
    assert letter.read_bytes().startswith(b"%PDF") and letter.stat().st_mode & 0o077 == 0
    # The letter says what the member needs: login, the passphrase, the fingerprint to compare.
    text = " ".join(pypdf.PdfReader(str(letter)).pages[0].extract_text().split())
    code, info, _ = cli.run("vault", "info", "--json")
    assert "Ny adgangsfrase til Infohus Desktop" in text and "Mette Fjord" in text
    assert passphrase in text and json.loads(info)["root_fingerprint"] in text
    # The member unlocks with it and must choose their own.
    code, out, err = cli.as_(
        "mette", cli.secret("mette-reset", passphrase), "case", "list", "--json"
    )
    assert code != 0 and "adgangsfrase" in err.casefold()

    code, out, _ = cli.as_("lars", lars, "member", "role", "mette", "--role", "coordinator")
    assert code == 0 and "koordinator" in out
    code, out, _ = cli.as_("lars", lars, "group", "keys", "--json")
    audit = next(g for g in json.loads(out) if g["kind"] == "audit")
    assert audit["members"] == ["lars", "mette"] and audit["holders"] == ["lars", "mette"]
    aarhus = next(g for g in json.loads(out) if g["name"] == "Aarhus Kommune og politiet")
    assert aarhus["waiting"] == [] and "mette" in aarhus["holders"]

    assert cli.as_("lars", lars, "group", "add", "Kun politiet", "--org", "police")[0] == 0
    code, out, _ = cli.as_("lars", lars, "group", "rename", "Kun politiet", "Politiets egne")
    assert code == 0 and "Politiets egne" in out
    code, out, _ = cli.as_("lars", lars, "municipality", "prefix", "AAR", "aak", "--json")
    assert json.loads(out)["case_prefix"] == "AAK"
    code, out, _ = cli.as_("lars", lars, "municipality", "rename", "AAK", "Aarhus Kommune (ny)")
    assert code == 0 and "AAK-ÅÅÅÅ-0001" in out
    code, _out, err = cli.as_("lars", lars, "member", "reset", "lars")
    assert code != 0 and "egen" in err
