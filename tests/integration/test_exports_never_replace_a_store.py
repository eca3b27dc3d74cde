"""An export written over the vault itself (its own path typed for ``--pdf`` or ``--out``)
replaced everything since the last backup, and the command said it was saved. A vault, a
backup or a vault's journal file is never replaced by an export; any other file is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_cli_cases import CaseCli, refused
from tests.integration.test_cli_cases import cli as cli  # the fixture

REFUSED = "overskrives ikke. Vælg et andet filnavn. Intet er gemt."


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)  # the vault is a file
def test_a_pdf_or_a_backup_is_never_written_over_a_vault_or_a_backup(
    cli: CaseCli, tmp_path: Path
) -> None:
    vault = Path(cli.url.split("///", 1)[1])
    before = vault.read_bytes()[:16]
    period = ("--from", "2026-01-01", "--to", "2026-11-30")
    refused(cli.as_("lars", "stats", *period, "--pdf", str(vault)), 2, REFUSED)
    refused(cli.as_("lars", "backup", "create", "--out", str(vault)), 2, REFUSED)
    assert vault.read_bytes()[:16] == before == b"SQLite format 3\x00"
    assert cli.ok("lars", "case", "list") is not None  # the vault is still the vault

    backup = tmp_path / "kopi.ihk"
    cli.ok("lars", "backup", "create", "--out", str(backup))
    kept = backup.read_bytes()
    refused(cli.as_("lars", "backup", "create", "--out", str(backup)), 2, REFUSED)
    refused(cli.as_("lars", "stats", *period, "--csv", str(backup)), 2, REFUSED)
    assert backup.read_bytes() == kept
    # Any other file is replaced, as before.
    pdf = tmp_path / "statistik.pdf"
    pdf.write_bytes(b"an older export")
    cli.ok("lars", "stats", *period, "--pdf", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
