"""`infohus audit verify|list` on the signed log: what the signatures vouch for, and an entry
written outside the program named as such."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_sealing import AuditBody
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.schema import MemberRow, VaultInfo
from tests.integration.test_audit_forgery import _attacker_writer
from tests.integration.test_cli import Cli


@pytest.fixture
def audit_cli(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_kdf: None
) -> Cli:
    return Cli(db_url, tmp_path, capsys)


def _init(cli: Cli) -> str:
    lars = cli.secret("lars", "blåbærgrød med flødeskum")
    code, _, err = cli.run(
        "init", "--infohus", "Østjylland", "--login", "lars", "--name", "Lars Holm",
        "--org", "police", "--passphrase-file", lars,
    )  # fmt: skip
    assert (code, err) == (0, "")
    return lars


def _forge_entry_in_lars_name(url: str) -> int:
    engine = create_vault_engine(url)
    try:
        with Session(engine) as session, session.begin():
            info = session.get(VaultInfo, 1)
            assert info is not None
            lars_id = session.scalars(select(MemberRow.id).where(MemberRow.login == "lars")).one()
            body = AuditBody(lars_id, "lars", None, "?", "case.read", "AAR-2026-0001", "?", None)
            writer = _attacker_writer(session, info.vault_id)
            entry = audit_chain.NewEntry(body, writer, None)
            return audit_chain.append(session, info.vault_id, entry).seq
    finally:
        engine.dispose()


def test_verify_says_what_the_signatures_vouch_for_and_list_marks_a_forgery(
    audit_cli: Cli, db_url: str
) -> None:
    cli = audit_cli
    lars = _init(cli)
    code, out, _ = cli.as_("lars", lars, "audit", "verify")
    assert code == 0
    assert "underskrevet af den bruger, de nævner" in out
    code, out, _ = cli.as_("lars", lars, "audit", "verify", "--json")
    report = json.loads(out)
    assert report["ok"]
    assert report["signatures_checked"] == report["entries"]
    assert report["legacy_entries"] == 0

    forged = _forge_entry_in_lars_name(db_url)
    code, _, err = cli.as_("lars", lars, "audit", "verify")
    assert code == 7
    assert f"post {forged}" in err
    code, out, _ = cli.as_("lars", lars, "audit", "list", "--json", "--limit", "30")
    entry = next(e for e in json.loads(out) if e["seq"] == forged)
    assert (entry["actor"], entry["signature_ok"]) == ("lars", False)
    code, out, _ = cli.as_("lars", lars, "audit", "list", "--limit", "30")
    assert "ikke underskrevet af brugeren" in out
