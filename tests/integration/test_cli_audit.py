"""`infohus audit verify|list` on the signed log: what the signatures vouch for, and an entry
written outside the program named as such."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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
    # Danish throughout: the reason too, not an English clause inside a Danish sentence.
    assert f"post {forged} er ikke underskrevet" in err and "entry" not in err
    code, out, _ = cli.as_("lars", lars, "audit", "list", "--json", "--limit", "30")
    entry = next(e for e in json.loads(out) if e["seq"] == forged)
    assert (entry["actor"], entry["signature_ok"]) == ("lars", False)
    code, out, _ = cli.as_("lars", lars, "audit", "list", "--limit", "30")
    assert "ikke underskrevet af brugeren" in out


def test_prune_shows_what_would_go_and_replaces_old_entries_by_a_summary(
    audit_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries written 14 months ago (the clock moved back while they were written) go behind
    a signed summary; the log still verifies and says so; a second run has nothing left."""
    cli = audit_cli
    with monkeypatch.context() as clock:
        clock.setattr(audit_chain, "utc_now_text", lambda: "2025-09-01T08:00:00.000000Z")
        lars = _init(cli)
        cli.as_("lars", lars, "audit", "list")

    code, out, err = cli.as_("lars", lars, "audit", "prune", "--dry-run", "--json")
    assert err == ""
    plan = json.loads(out)
    assert code == 0 and plan["dry_run"] and plan["keep_months"] == 13
    assert plan["first_seq"] == 1 and plan["entries"] >= 3
    assert plan["first_at"].startswith("2025-09-01")
    code, out, _ = cli.as_("lars", lars, "audit", "prune")
    assert code == 0
    assert f"{plan['entries']} poster (nr. 1–{plan['last_seq']}) er erstattet" in out
    code, out, _ = cli.as_("lars", lars, "audit", "verify")
    assert code == 0
    assert f"{plan['entries']} ældre poster er beskåret" in out
    code, out, _ = cli.as_("lars", lars, "audit", "prune", "--dry-run")
    assert "intet at beskære" in out
    code, _, err = cli.as_("lars", lars, "audit", "prune")
    assert code != 0 and "intet at beskære" in err


def test_list_shows_danish_local_time_and_json_keeps_utc(audit_cli: Cli) -> None:
    cli = audit_cli
    lars = _init(cli)
    _, out, _ = cli.as_("lars", lars, "audit", "list", "--json", "--limit", "1")
    [entry] = json.loads(out)
    at = datetime.fromisoformat(entry["at"])
    assert at.utcoffset() == timedelta(0)
    _, table, _ = cli.as_("lars", lars, "audit", "list", "--limit", "40")
    local = at.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%d.%m.%Y %H.%M")
    assert local in table and "UTC" not in table.splitlines()[0]
    # A count below one is the user's mistake, said so (it was an "intern fejl", exit 70).
    with pytest.raises(SystemExit) as refused:
        cli.as_("lars", lars, "audit", "list", "--limit", "-1")
    out, err = cli.capsys.readouterr()
    assert (refused.value.code, out) == (2, "")
    assert err.splitlines()[-1].endswith("argument --limit: skal være et helt tal fra 1 og op: -1")


def test_verify_new_only_reads_what_came_since_and_says_so(audit_cli: Cli) -> None:
    cli = audit_cli
    lars = _init(cli)
    code, out, _ = cli.as_("lars", lars, "audit", "verify")
    assert code == 0 and "Kun posterne efter" not in out
    code, out, _ = cli.as_("lars", lars, "audit", "verify", "--new-only")
    assert code == 0 and "Kun posterne efter post" in out and "Uden --new-only" in out
    code, out, _ = cli.as_("lars", lars, "audit", "verify", "--new-only", "--json")
    assert json.loads(out)["verified_from"] > 0


def test_list_says_the_detail_in_words_and_json_keeps_it_as_stored(
    audit_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The DPO reads ``inden for 30 dage``, not ``within=30``; a script still gets the
    stored detail (the hash chain covers it)."""
    cli = audit_cli
    lars = _init(cli)
    code, _, _ = cli.as_("lars", lars, "retention", "due", "--within", "30")
    assert code == 0
    _, table, _ = cli.as_("lars", lars, "audit", "list", "--action", "retention.due")
    assert "Inden for 30 dage" in table and "within=30" not in table
    _, out, _ = cli.as_("lars", lars, "audit", "list", "--action", "retention.due", "--json")
    [entry] = json.loads(out)
    assert (entry["detail"], entry["detail_text"]) == ("within=30", "Inden for 30 dage")
    monkeypatch.setenv("INFOHUS_LANG", "en")
    _, table, _ = cli.as_("lars", lars, "audit", "list", "--action", "retention.due")
    assert "Within 30 days" in table and "within=30" not in table
    # The action as the table names it: words, as the window's filter takes them.
    monkeypatch.setenv("INFOHUS_LANG", "da")
    _, out, _ = cli.as_(
        "lars", lars, "audit", "list", "--action", "Opslag i sager til sletning", "--json"
    )
    assert {e["action"] for e in json.loads(out)} == {"retention.due"}
