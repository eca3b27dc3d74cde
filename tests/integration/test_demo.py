"""The demo vault (`infohus demo`, demo/): made through the real services and the
real CLI, under the test-only KDF floor (`cheap_kdf`)."""

from __future__ import annotations

import io
import json
import logging
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from stdnum.dk import cpr as stdnum_cpr

from infohus_desktop import demo
from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.demo.case_lives import CaseRun
from infohus_desktop.domain.cases import Case, ScreeningOutcome, Source
from infohus_desktop.domain.cpr import age_on, parse_cpr
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import MemberServices, Vault
from tests.integration.clear_scan import findings

CASES = 40


class DemoCli:
    def __init__(self, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = db_url
        self.where = (
            ["--vault", db_url.split("///", 1)[1]]
            if db_url.startswith("sqlite")
            else ["--db-url", db_url]
        )
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        code = main([*args, *self.where], stdin=StdinLines(io.StringIO("")))
        out, err = self.capsys.readouterr()
        return code, out, err


def unlock(url: str, login: str, passphrase: str) -> tuple[Vault, MemberServices]:
    vault = Vault.open(url, LocalState())
    return vault, vault.unlock(login, passphrase, sleep=lambda _s: None)


def check_content(lars: MemberServices, today: date) -> list[Case]:
    summaries = lars.cases.list()
    assert len(summaries) == CASES
    cases = [lars.cases.show(s.number) for s in summaries]

    assert {c.summary.status for c in cases} == set(CaseStatus)
    closing = {c.closing_reason for c in cases if c.summary.status == CaseStatus.CLOSED}
    assert len(closing) >= 4
    assert closing <= set(ClosingReason)
    reopened = [c for c in cases if any(h.old == CaseStatus.CLOSED for h in c.history)]
    assert reopened
    assert {s.outcome for c in cases for s in c.screenings} == set(ScreeningOutcome)
    assert {c.intake.source for c in cases} == set(Source)
    hotline = [c for c in cases if c.intake.source == Source.HOTLINE]
    assert all(c.intake.anonymous and not c.intake.reporter_contact for c in hotline)
    assert len({c.summary.category for c in cases}) == 4
    assert len({c.summary.municipality for c in cases}) == 3

    received = [c.intake.received for c in cases]
    assert all(today - timedelta(days=365) <= r <= today for r in received)
    assert min(received) <= today - timedelta(days=330)
    assert max(received) >= today - timedelta(days=30)

    with_cpr = [c for c in cases if c.person.cpr]
    assert len(with_cpr) >= CASES * 0.7
    for c in with_cpr:
        assert c.person.cpr is not None
        info = parse_cpr(c.person.cpr, today)
        # The rule of demo/: sequence 99xx, and not modulus 11.
        assert c.person.cpr[6:8] == "99"
        assert stdnum_cpr.checksum(c.person.cpr) != 0
        assert demo.is_demo_cpr(c.person.cpr)
        assert (c.person.birth_date, c.person.sex) == (info.birth_date, info.sex)
    minors = [
        c
        for c in with_cpr
        if c.person.birth_date and age_on(c.person.birth_date, c.intake.received) < 18
    ]
    assert minors
    assert all(c.person.guardians for c in minors)

    assessed = [c for c in cases if c.assessment_ids]
    assert assessed
    assert all(1 <= len(c.assessment_ids) <= 4 for c in assessed)
    assert any(len(c.assessment_ids) >= 2 for c in assessed)
    assert any(lars.case_records.changes_since_previous(c.summary.number) for c in assessed)
    assert any(m.owner for c in cases for m in c.measures)
    assert any(j.corrects for c in cases for j in c.journal)
    assert any(c.disclosures for c in cases)
    assert any(c.information for c in cases)
    assert any(c.attachments for c in cases)
    follow_ups = [c.summary.follow_up for c in cases if c.summary.follow_up]
    assert any(f < today for f in follow_ups)
    assert any(f > today for f in follow_ups)
    return cases


def test_demo_cli_json_every_member_unlocks_and_content(
    db_url: str, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = DemoCli(db_url, capsys)
    # Two months of meetings: the cases span the year whatever the meetings do.
    code, out, err = cli.run("demo", "--cases", str(CASES), "--months", "2", "--json")
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    assert data["cases"] == CASES
    assert data["synthetic"] is True
    assert data["infohus"] == demo.DISTRICT
    members = data["members"]
    assert [m["login"] for m in members] == [m.login for m in demo.DEMO_MEMBERS]
    assert set(members[0]) == {"login", "name", "role", "organisation", "passphrase"}
    roles = Counter(m["role"] for m in members)
    assert roles["coordinator"] == 4
    assert roles["guest"] == roles["dpo"] == 1
    organisations = {m["organisation"] for m in members}
    assert {"Østjyllands Politi", "Aarhus Kommune", "Randers Kommune", "Silkeborg Kommune"} <= (
        organisations
    )
    assert "Kriminalforsorgen" in organisations

    sessions: dict[str, MemberServices] = {}
    vaults = []
    try:
        for member in members:
            assert len(member["passphrase"]) >= 15
            vault, session = unlock(db_url, member["login"], member["passphrase"])
            vaults.append(vault)
            sessions[member["login"]] = session
            assert not session.member.must_change_passphrase
            assert session.member.organisation_name == member["organisation"]

        lars = sessions["lars"]
        cases = check_content(lars, date.today())

        # The guest reads the cases shared with Kriminalforsorgen, and only those.
        shared_group = lars.cases.group_id(demo.SHARED_GROUP)
        shared = {c.summary.number for c in cases if c.summary.group_id == shared_group}
        assert shared
        assert {c.number for c in sessions["gitte"].cases.list()} == shared
        # A municipality's member reads its own Infohus Kommune's cases (not moved away).
        randers = {c.number for c in sessions["kasper"].cases.list()}
        assert randers
        assert all(n.startswith("RAN-") for n in randers)
        # The DPO reads no case content.
        with pytest.raises(AccessDenied):
            sessions["dorthe"].cases.list()

        # The same person in two cases: the intake duplicate check finds them.
        counts = Counter(c.person.cpr for c in cases if c.person.cpr)
        repeated = [cpr for cpr, n in counts.items() if n > 1]
        assert repeated
        person = next(c.person for c in cases if c.person.cpr == repeated[0])
        assert len(lars.cases.check_duplicates(person.name, person.cpr).known_in) >= 2

        result = lars.audit.verify()
        assert result.ok, result.problem
        assert result.entries > CASES * 5

        # Issue 20: no describing code in any clear value of any table (on PostgreSQL as
        # pg_dump writes it), and no case id or number in the audit tables.
        ids = {str(c.summary.id) for c in cases}
        numbers = {c.summary.number for c in cases}
        assert findings(db_url, ids, numbers) == []
    finally:
        for session in sessions.values():
            session.lock()
        for vault in vaults:
            vault.close()


def test_demo_refuses_to_overwrite(
    db_url: str, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = DemoCli(db_url, capsys)
    # The first demo from the library (a month of meetings is enough here); the second, from
    # the command line, must be refused.
    demo.create_demo_vault(db_url, cases=3, meeting_months=1)
    code, out, err = cli.run("demo", "--cases", "3", "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "intet er ændret" in err.casefold()
    # The first demo is intact.
    vault, lars = unlock(db_url, "lars", demo.DEMO_PASSPHRASES["lars"])
    try:
        assert len(lars.cases.list()) == 3
    finally:
        lars.lock()
        vault.close()


def test_demo_refuses_an_existing_file_and_bad_counts(
    tmp_path: Path, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "something.sqlite"
    path.write_bytes(b"not a vault")
    assert main(["demo", "--vault", str(path)]) == 2
    assert path.read_bytes() == b"not a vault"
    assert main(["demo", "--vault", str(tmp_path / "x.sqlite"), "--cases", "-1"]) == 2
    assert not (tmp_path / "x.sqlite").exists()
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 2


def test_demo_default_location_is_pinned_and_becomes_the_default(
    infohus_home: Path, tmp_path: Path, cheap_kdf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--cases", "2", "--months", "1"]) == 0
    out = capsys.readouterr().out
    assert "syntetiske demodata" in out
    for member in demo.DEMO_MEMBERS:
        assert member.passphrase in out
    assert (infohus_home / "vaults" / "demo.sqlite").exists()
    # Pinned and the default: a later command needs no --vault.
    passfile = tmp_path / "lars.txt"
    passfile.write_text(demo.DEMO_PASSPHRASES["lars"] + "\n", encoding="utf-8")
    code = main(["case", "list", "--json", "--user", "lars", "--passphrase-file", str(passfile)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 2
    # An existing default vault is never replaced by a later demo.
    other = tmp_path / "second-demo.sqlite"
    assert main(["demo", "--cases", "0", "--months", "1", "--vault", str(other)]) == 0
    assert "demo.sqlite" in str(LocalState().default_vault_url())
    assert f"--vault {other}" in capsys.readouterr().out


def _content(url: str) -> dict[str, list[Any]]:
    """What the demo shows lars: its cases, its trend notes and its pinned partners."""
    vault, lars = unlock(url, "lars", demo.DEMO_PASSPHRASES["lars"])
    try:
        return {
            "cases": sorted(
                (c.number, c.person_name, c.person_cpr, c.status.value, c.received.isoformat())
                for c in lars.cases.list()
            ),
            "notes": sorted(
                (n.content.title, n.content.area, n.content.period_from) for n in lars.trends.list()
            ),
            "partners": sorted(r.fingerprint for r in lars.bundles.recipients()),
        }
    finally:
        lars.lock()
        vault.close()


def test_demo_is_deterministic_and_logs_no_person(
    tmp_path: Path, cheap_kdf: None, caplog: pytest.LogCaptureFixture
) -> None:
    today = date(2026, 3, 15)
    seen: list[tuple[int, int]] = []
    with caplog.at_level(logging.DEBUG):
        first = demo.create_demo_vault(
            f"sqlite+pysqlite:///{tmp_path}/a.sqlite",
            cases=6,
            today=today,
            progress=lambda done, total: seen.append((done, total)),
            meeting_months=1,  # the meetings have their own tests (test_demo_meetings.py)
        )
    # Every step once, from the start to the end: the organisation, six cases, the rest.
    total = 6 + demo.OTHER_STEPS
    assert seen == [(n, total) for n in range(total + 1)]
    assert first.members == list(demo.DEMO_MEMBERS)
    for name, seed in (("b", 2026), ("c", 7)):
        demo.create_demo_vault(
            f"sqlite+pysqlite:///{tmp_path}/{name}.sqlite",
            cases=6,
            seed=seed,
            today=today,
            meeting_months=1,
        )
    a = _content(f"sqlite+pysqlite:///{tmp_path}/a.sqlite")
    b = _content(f"sqlite+pysqlite:///{tmp_path}/b.sqlite")
    c = _content(f"sqlite+pysqlite:///{tmp_path}/c.sqlite")
    # The same seed gives the same cases, trend notes and synthetic partners; another seed
    # other people.
    assert a == b
    assert len(a["cases"]) == 6 and len(a["notes"]) >= 24 and len(a["partners"]) == 3
    assert [row[1] for row in a["cases"]] != [row[1] for row in c["cases"]]
    received = [date.fromisoformat(row[4]) for row in a["cases"]]
    assert all(today - timedelta(days=365) <= day <= today for day in received)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for _number, name, cpr, _status, _received in a["cases"]:
        assert name not in logged
        assert cpr is None or cpr not in logged


def test_a_failed_build_leaves_nothing_behind(
    tmp_path: Path, infohus_home: Path, cheap_kdf: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    played: list[int] = []

    checkpoints = infohus_home / "checkpoints"

    def interrupt_late(run: Any) -> None:
        played.append(1)
        if len(played) == 10:
            # More than CHECKPOINT_EVERY audit entries: a checkpoint file was written.
            assert list(checkpoints.glob("*.jsonl"))
            raise KeyboardInterrupt
        original(run)

    original = CaseRun.play
    monkeypatch.setattr(CaseRun, "play", interrupt_late)
    path = tmp_path / "demo.sqlite"
    with pytest.raises(KeyboardInterrupt):
        demo.create_demo_vault(f"sqlite+pysqlite:///{path}", cases=12)
    assert len(played) == 10
    assert not list(tmp_path.glob("demo.sqlite*"))
    assert not list(checkpoints.glob("*.jsonl"))


def test_demo_cpr_rule() -> None:
    import random

    rng = random.Random(1)
    used: set[str] = set()
    for birth in (date(1960, 2, 29), date(1999, 12, 31), date(2000, 1, 1), date(2013, 7, 4)):
        for male in (True, False):
            number = demo.demo_cpr(birth, male, rng, used)
            info = parse_cpr(number)
            assert info.birth_date == birth
            assert (info.sex.value == "male") is male
            assert demo.is_demo_cpr(number)
    assert len(used) == 8
    assert not demo.is_demo_cpr("0101709906")  # 99xx but passes modulus 11
    assert not demo.is_demo_cpr("0101701234")  # an ordinary sequence number
    assert not demo.is_demo_cpr("3202709911")  # no such date
    with pytest.raises(ValueError, match="1937-2036"):
        demo.demo_cpr(date(1930, 1, 1), True, rng, used)


def test_demo_passphrases_pass_the_policy() -> None:
    from infohus_desktop.crypto.passphrase_policy import check_new_passphrase

    assert len(set(demo.DEMO_PASSPHRASES.values())) == len(demo.DEMO_MEMBERS)
    for passphrase in demo.DEMO_PASSPHRASES.values():
        check_new_passphrase(passphrase)


def test_a_person_who_turns_18_during_the_referrals_story_is_asked_about_as_a_minor(
    tmp_path: Path, cheap_kdf: None
) -> None:
    """The demo answered the guardians' questions for whoever was a minor *today*, while a
    referral is sent months earlier: with these counts, on this day, one person turned 18
    in between and ``infohus demo`` stopped with the rule's refusal."""
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    demo.create_demo_vault(url, cases=10, meeting_months=1, today=date(2026, 12, 7))
    vault, lars = unlock(url, "lars", demo.DEMO_PASSPHRASES["lars"])
    try:
        assert len(lars.cases.list()) == 10 and lars.referrals.list()
    finally:
        lars.lock()
        vault.close()
