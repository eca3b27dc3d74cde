"""``infohus vault upgrade`` (issue 20): a vault of the previous format keeps a case's status,
category, source, dates, lead, retention class and closing reason in clear columns; after
the upgrade they are only in the sealed copies, the file holds none of the old values, and
everything reads as before.

Two kinds of old vault: the previous version's demo vault (``tests/fixtures``, made by commit
605d5eb with ``infohus demo --cases 4``: SQLite, real key derivation, meetings, trend notes,
referrals), and on both engines a vault of this version put back into the old form (the
columns added again, filled with the sealed values, the revision set back), which is what
the PostgreSQL path of the upgrade needs.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Date, inspect, make_url, text

from infohus_desktop.cli import main
from infohus_desktop.crypto import kdf
from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.errors import AccessDenied, UpgradeDue
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault_upgrade import (
    unlisted_cases,
    upgrade_due,
    upgrade_vault,
)
from infohus_desktop.services.core.case_meta import SEALED_FIELDS
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.vault import migrate
from infohus_desktop.vault.engine import create_vault_engine, url_for_path
from infohus_desktop.vault.types import UUIDString
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.clear_scan import findings
from tests.integration.conftest import District
from tests.integration.old_form import put_back_into_the_old_form
from tests.integration.test_row_tamper import NOTE

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "vault-format3-demo.sqlite.gz"
LARS = "demo rugbrød cykel fjord 1"
PERIOD = (date(2025, 1, 1), date(2026, 12, 31))
_TYPES: dict[str, Any] = {
    "received": Date(),
    "follow_up": Date(),
    "lead_organisation_id": UUIDString(),
    "lead_member_id": UUIDString(),
}


def _fixture_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The previous version's vault in ``tmp_path``, its root trusted on this workstation."""
    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "home"))
    path = tmp_path / "gammel.sqlite"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    url = url_for_path(path)
    with Vault.open(url, LocalState()) as vault:
        vault.trust_root(vault.root_fingerprint())
    return url


#: Each member's key, derived once per test process. Every test copies the same fixture, so
#: the salt and the parameters stored for a member (the demo's, at production strength: one to
#: two seconds a derivation under the suite's load) are the same in every copy; fourteen
#: derivations, ten of them repeats, were a third of this module's time. The unlock uses the
#: key only when the inputs it reads are exactly these (``DerivedKey.for_inputs``), and
#: derives itself otherwise, as it does for the upgrade's child process.
_KEYS: dict[tuple[str, str], kdf.DerivedKey] = {}


def _unlock(url: str, login: str = "lars", passphrase: str = LARS) -> MemberServices:
    key = _KEYS.get((login, passphrase))
    if key is None:
        # Read as stored (the unlock screen's peek declines a vault that waits for an upgrade).
        with closing(sqlite3.connect(url.split("///", 1)[1])) as db:
            params_json, salt = db.execute(
                "SELECT kdf_params, kdf_salt FROM members WHERE login = ?", (login,)
            ).fetchone()
        params = kdf.KdfParams.from_json(params_json)
        key = kdf.DerivedKey(params_json, salt, kdf.derive_key(passphrase, salt, params))
        _KEYS[login, passphrase] = key
    vault = Vault.open(url, LocalState())
    return vault.unlock(login, passphrase, sleep=lambda _s: None, derived=key)


def _everything(ms: MemberServices) -> dict[str, Any]:
    """What a coordinator reads: every case whole, meetings, trend notes, referrals."""
    cases = ms.cases.list()
    return {
        "cases": [_summary(c) for c in cases],
        "shown": [ms.cases.show(c.number) for c in cases],
        "meetings": ms.meetings.list(),
        "trends": ms.trends.list(),
        "referrals": ms.referrals.list(),
    }


def _summary(c: CaseSummary) -> tuple[Any, ...]:
    return (c.number, c.status, c.category, c.received, c.follow_up, c.lead_member_id, c.version)


def _case_columns(url: str) -> set[str]:
    engine = create_vault_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("cases")}
    finally:
        engine.dispose()


def _old_values_only_in_cases(url: str) -> set[bytes]:
    """Values of the old clear columns that no other table's clear column holds: after the
    upgrade not one of them may be left anywhere in the file."""
    engine = create_vault_engine(url)
    try:
        with engine.connect() as c:
            old = {
                str(v)
                for name in ("follow_up", "retention", "closing_reason", "source")
                for v in c.scalars(text(f"SELECT {name} FROM cases WHERE {name} IS NOT NULL"))
            }
            elsewhere: set[str] = set()
            seen = inspect(c)
            for name in seen.get_table_names():
                if name == "cases":
                    continue
                for col in seen.get_columns(name):
                    if "BLOB" in str(col["type"]) or "BINARY" in str(col["type"]):
                        continue
                    elsewhere |= {
                        str(v) for v in c.scalars(text(f'SELECT "{col["name"]}" FROM "{name}"'))
                    }
    finally:
        engine.dispose()
    others = "\n".join(elsewhere)  # a date is also the first part of another table's moment
    return {v.encode() for v in old if len(v) >= 6 and v not in others}


def _file_bytes(url: str) -> bytes:
    path = Path(str(make_url(url).database))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_previous_versions_vault_upgrades_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _fixture_vault(tmp_path, monkeypatch)
    assert {"status", "category", "received"} <= _case_columns(url)
    unique = _old_values_only_in_cases(url)
    assert unique and all(v in _file_bytes(url) for v in unique)  # the test can fail
    assert len(findings(url, set(), set())) > 600  # codes in clear, as the old version left

    lars = _unlock(url)
    assert upgrade_due(lars)
    before = _everything(lars)  # read from the sealed copies already
    with pytest.raises(UpgradeDue):
        lars.statistics.compute(*PERIOD)
    with pytest.raises(UpgradeDue):
        lars.cases.open_case(new_case("Ny Person"), accept_duplicate=True)
    report = upgrade_vault(lars)
    lars.lock()

    assert report.upgraded and report.cases == 4 and report.records == 4
    # The list above found the four copies that version sealed without the listing.
    assert report.listings == 4
    assert not set(SEALED_FIELDS) & _case_columns(url)
    assert not [v for v in unique if v in _file_bytes(url)]
    assert findings(url, set(), set()) == []  # not one describing code left in clear
    lars = _unlock(url)
    assert not upgrade_due(lars)
    after = _everything(lars)
    assert after["cases"] == before["cases"]
    assert after["shown"] == before["shown"]
    assert after["meetings"] == before["meetings"] and before["meetings"]
    assert after["trends"] == before["trends"] and before["trends"]
    assert after["referrals"] == before["referrals"] and before["referrals"]
    stats = lars.statistics.compute(*PERIOD)
    assert stats.new_cases == 4
    verification = lars.audit.verify()
    assert verification.ok, verification.problem
    upgrades = [b.detail or "" for _, b in opened_since(lars) if b.action == "vault.upgrade"]
    assert [d.split("=")[0] for d in upgrades] == ["cases", "listings", "format"]
    # lars, the root, raised the format: his workstation now refuses the vault in format 3.
    assert report.step is not None and report.step.format == 4
    assert report.step.root_login is None
    assert LocalState().pin(lars.vault.vault_id).format_version == 4
    # Members who have not unlocked since still work, and can open cases again.
    mette = _unlock(url, "mette", "demo kanelsnegl å regn 3")
    assert len(mette.cases.list()) >= 1
    mette.cases.open_case(new_case("Ny Person"), accept_duplicate=True)
    named = {c.number: (c.person_name, c.person_cpr) for c in lars.cases.list()}
    assert unlisted_cases(lars) == 0  # every copy holds its listing now
    again = upgrade_vault(lars)
    # A second run only rewrites the file.
    assert not again.upgraded and not again.listings and again.step is None
    lars.lock()
    lars = _unlock(url)
    assert {c.number: (c.person_name, c.person_cpr) for c in lars.cases.list()} == named
    assert unlisted_cases(lars) == 0
    lars.lock()
    mette.lock()


def test_a_member_cannot_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _fixture_vault(tmp_path, monkeypatch)
    pia = _unlock(url, "pia", "demo havregryn bølge mark 2")
    with pytest.raises(AccessDenied, match="Kun en koordinator kan opgradere boksen"):
        upgrade_vault(pia)
    pia.lock()
    assert "status" in _case_columns(url)


CHILD = textwrap.dedent(
    """
    import os, signal, sys

    from infohus_desktop.local_state import LocalState
    from infohus_desktop.services.accounts import vault_upgrade
    from infohus_desktop.services.front_door import Vault

    url, passphrase, point = sys.argv[1:4]

    def die(*_args, **_kwargs):
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "uncommitted":  # the columns dropped, the audit entry and commit to come
        real = vault_upgrade.migrate.upgrade_in

        def drop_then_die(connection):
            real(connection)
            die()

        vault_upgrade.migrate.upgrade_in = drop_then_die
    session = Vault.open(url, LocalState()).unlock("lars", passphrase, sleep=lambda _s: None)
    vault_upgrade.upgrade_vault(session, lambda step: die() if step == point else None)
    sys.exit(3)  # not reached
    """
)


# Before anything is dropped, with the columns dropped but not committed, after the commit.
@pytest.mark.parametrize("point", ["records", "uncommitted", "compact"])
def test_an_upgrade_killed_at_any_point_leaves_one_form_and_a_second_run_completes_it(
    point: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _fixture_vault(tmp_path, monkeypatch)
    lars = _unlock(url)
    before = _everything(lars)["cases"]
    lars.lock()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), url, LARS, point],
        capture_output=True, text=True, env=os.environ.copy(), cwd=tmp_path, timeout=180,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr

    columns = _case_columns(url)
    old_form = "status" in columns
    assert old_form == (point != "compact")  # only a kill after the commit finds it upgraded
    assert old_form or not set(SEALED_FIELDS) & columns  # never a mix
    lars = _unlock(url)
    assert _everything(lars)["cases"] == before
    assert upgrade_due(lars) == old_form
    upgrade_vault(lars)
    assert not upgrade_due(lars)
    assert _everything(lars)["cases"] == before
    assert lars.audit.verify().ok
    lars.lock()


# -- this version put back into the old form, on both engines -------------------------------


def test_the_upgrade_on_both_engines(district: District) -> None:
    lars = district.coordinator
    open_case = lars.cases.open_case(new_case("Anna Testesen"), accept_duplicate=True)
    closed = lars.cases.open_case(new_case("Bo Testesen"), accept_duplicate=True)
    lars.cases.change_status(closed.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED)
    put_back_into_the_old_form(district)
    engine = create_vault_engine(district.url)
    try:
        assert migrate.keyed_upgrade_due(engine)
    finally:
        engine.dispose()

    fresh = district.unlock("lars")
    with pytest.raises(UpgradeDue):  # a new row of a narrowed table waits for the upgrade
        fresh.trends.create(NOTE)
    before = [_summary(c) for c in fresh.cases.list()]
    due_before = [d.number for d in fresh.retention.due(within_days=100_000)]
    assert {open_case.number, closed.number} == {c[0] for c in before}
    report = upgrade_vault(fresh)
    assert report.upgraded and report.cases == 2
    assert not set(SEALED_FIELDS) & _case_columns(district.url)
    again = district.unlock("lars")
    assert [_summary(c) for c in again.cases.list()] == before
    assert [d.number for d in again.retention.due(within_days=100_000)] == due_before
    counted = again.statistics.compute(date(2026, 1, 1), date(2026, 12, 31))
    assert counted.new_cases == 2
    assert again.trends.create(NOTE).content.title == NOTE.title
    assert again.audit.verify().ok


def test_the_command_upgrades_then_seals_the_listings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``infohus vault upgrade`` on the previous version's vault: the first run upgrades the
    schema; the second lists the cases (audited) and seals the listing into the four copies
    that version made without it; a third finds nothing left. Danish by default."""
    url = _fixture_vault(tmp_path, monkeypatch)
    secret = tmp_path / "lars.txt"
    secret.write_text(LARS + "\n", encoding="utf-8")
    path = str(make_url(url).database)

    def upgrade(*extra: str) -> str:
        args = ["vault", "upgrade", "--vault", path, "--user", "lars"]
        assert main([*args, "--passphrase-file", str(secret), *extra]) == 0
        return capsys.readouterr().out

    def info() -> object:
        assert main(["vault", "info", "--vault", path, "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["format_due"] is (shown["format"] < 4)
        return shown["format"]

    assert info() == 3
    first = json.loads(upgrade("--json"))
    assert (first["upgraded"], first["listings"]) == (True, 0)
    # lars is the root: the format goes to 4 in the same run (no setting was stored).
    assert (first["format"], first["settings_signed"], first["format_waits_for"]) == (4, 0, None)
    assert info() == 4
    assert "4 sager har fået en ny forseglet kopi" in upgrade()
    third = json.loads(upgrade("--json"))
    assert (third["upgraded"], third["listings"], third["format"]) == (False, 0, 4)
