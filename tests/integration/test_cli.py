"""The `infohus` command line, run as a coordinator and members would, on both engines."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import make_url, update

from infohus_desktop.cli import main
from infohus_desktop.cli.io import StdinLines
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.schema import AuditEntryRow
from tests.pgserver import throwaway_database


class Cli:
    """Runs `infohus` in-process against one vault, as one person at a time."""

    def __init__(self, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.where = (
            ["--vault", db_url.split("///", 1)[1]]
            if db_url.startswith("sqlite")
            else ["--db-url", db_url]
        )
        self.tmp = tmp_path
        self.capsys = capsys

    def secret(self, name: str, text: str) -> str:
        path = self.tmp / f"{name}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        path.chmod(0o600)
        return str(path)

    def run(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        code = main([*args, *self.where], stdin=StdinLines(io.StringIO(stdin)))
        out, err = self.capsys.readouterr()
        return code, out, err

    def as_(self, login: str, passfile: str, *args: str) -> tuple[int, str, str]:
        return self.run(*args, "--user", login, "--passphrase-file", passfile)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_kdf: None) -> Cli:
    return Cli(db_url, tmp_path, capsys)


def test_whole_cli_flow(cli: Cli) -> None:
    lars = cli.secret("lars", "blåbærgrød med flødeskum")
    code, out, err = cli.run(
        "init",
        "--infohus",
        "Østjylland",
        "--login",
        "lars",
        "--name",
        "Lars Holm",
        "--org",
        "police",
        "--passphrase-file",
        lars,
    )
    assert (code, err) == (0, "")
    fingerprint = out.splitlines()[2].strip()
    assert len(fingerprint.split()) == 8

    code, out, _ = cli.run("vault", "info", "--json")
    info = json.loads(out)
    assert info["root_fingerprint"] == fingerprint
    assert info["trusted_here"] is True

    assert cli.as_("lars", lars, "municipality", "add", "Aarhus Kommune", "--prefix", "AAR")[0] == 0
    code, out, _ = cli.as_("lars", lars, "municipality", "list", "--json")
    assert json.loads(out) == [
        {**json.loads(out)[0], "name": "Aarhus Kommune", "case_prefix": "AAR"}
    ]

    first = {
        "mette": cli.secret("mette1", "mettes første lange frase"),
        "gitte": cli.secret("gitte1", "gittes første lange frase"),
        "karl": cli.secret("karl1", "karls første lange frase"),
        "dorte": cli.secret("dorte1", "dortes første lange frase"),
    }
    for login, name, org, role, extra in [
        ("mette", "Mette Fjord", "Aarhus Kommune", "member", []),
        ("gitte", "Gitte Lund", "police", "member", []),
        (
            "karl",
            "Karl Kofoed",
            "Kriminalforsorgen Østjylland",
            "guest",
            ["--org-kind", "kriminalforsorgen"],
        ),
        ("dorte", "Dorte Dam", "Aarhus Kommune", "dpo", []),
    ]:
        code, out, err = cli.as_(
            "lars",
            lars,
            "member",
            "add",
            "--login",
            login,
            "--name",
            name,
            "--org",
            org,
            "--role",
            role,
            "--new-passphrase-file",
            first[login],
            *extra,
        )
        assert (code, err) == (0, ""), err
        assert "Fingeraftryk" in out

    # A member must change the first passphrase before anything else.
    code, _, err = cli.as_("mette", first["mette"], "member", "list")
    assert code == 9
    assert "skifte" in err
    now = {}
    for login in first:
        new = f"{login}s nye og lange adgangsfrase"
        code, out, err = cli.run(
            "member",
            "passphrase",
            "--user",
            login,
            "--passphrase-stdin",
            "--new-passphrase-stdin",
            stdin=f"{Path(first[login]).read_text().strip()}\n{new}\n",
        )
        assert (code, err) == (0, ""), err
        now[login] = cli.secret(f"{login}2", new)

    code, out, _ = cli.as_("mette", now["mette"], "member", "list", "--json")
    members = {m["login"]: m for m in json.loads(out)}
    assert set(members) == {"lars", "mette", "gitte", "karl", "dorte"}
    assert members["karl"]["organisation"] == "Kriminalforsorgen Østjylland"
    assert members["lars"]["name"] == "Lars Holm"
    assert not any(m["must_change_passphrase"] for m in members.values())

    code, out, _ = cli.as_("gitte", now["gitte"], "group", "list", "--json")
    groups = {g["name"]: g for g in json.loads(out)}
    assert groups["Aarhus Kommune og politiet"]["members"] == ["gitte", "lars", "mette"]
    assert groups["Hele Infohuset"]["members"] == ["dorte", "gitte", "lars", "mette"]
    assert groups["Revision"]["members"] == ["dorte", "lars"]
    assert groups["Alle brugere"]["members"] == ["dorte", "gitte", "karl", "lars", "mette"]

    # A guest is added to one group, a guest cannot administer, a DPO cannot get content.
    assert (
        cli.as_(
            "lars",
            lars,
            "group",
            "add",
            "Sag med Kriminalforsorgen",
            "--org",
            "police",
            "--member",
            "karl",
        )[0]
        == 0
    )
    code, _, err = cli.as_(
        "karl",
        now["karl"],
        "member",
        "add",
        "--login",
        "x9",
        "--name",
        "X",
        "--org",
        "police",
        "--role",
        "member",
        "--new-passphrase-file",
        lars,
    )
    assert code == 4
    code, _, err = cli.as_(
        "lars", lars, "group", "add-member", "Aarhus Kommune og politiet", "dorte"
    )
    assert code == 4
    assert "databeskyttelsesrådgiver" in err

    code, out, _ = cli.as_(
        "lars", lars, "group", "remove-member", "Aarhus Kommune og politiet", "mette", "--json"
    )
    assert json.loads(out)["done_now"] is True
    code, out, _ = cli.as_("lars", lars, "group", "list", "--json")
    epochs = {g["name"]: g["epoch"] for g in json.loads(out)}
    assert epochs["Aarhus Kommune og politiet"] == 2

    assert cli.as_("lars", lars, "member", "remove", "gitte")[0] == 0
    code, out, _ = cli.as_("lars", lars, "group", "list", "--json")
    groups = {g["name"]: g for g in json.loads(out)}
    assert "gitte" not in groups["Hele Infohuset"]["members"]
    assert groups["Hele Infohuset"]["epoch"] == 2
    # As a table: each group's kind in words, as the window says it (--json keeps the code).
    code, out, _ = cli.as_("lars", lars, "group", "list")
    assert "Nøglegeneration" in out.splitlines()[0]
    [network] = [line for line in out.splitlines() if line.startswith("Hele Infohuset")]
    assert "System: netværket" in network and "network" not in network
    code, _, err = cli.as_("gitte", now["gitte"], "member", "list")
    assert code == 3

    code, out, err = cli.as_("lars", lars, "audit", "verify")
    assert (code, err) == (0, "")
    intact, signed = out.strip().splitlines()
    assert intact.startswith("Revisionsloggen er intakt")
    # Where the checkpoints are: another workstation's file holds its own, so its count
    # differs for the same log (user trial).
    found = re.search(r"(\d+) kontrolpunkter \((\d+) i databasen, (\d+) i denne arbejd", intact)
    assert found is not None
    total, in_database, in_file = (int(n) for n in found.groups())
    assert total == in_database + in_file and in_file > 0
    code, raw, _ = cli.as_("lars", lars, "audit", "verify", "--json")
    assert json.loads(raw)["checkpoints_in_file"] > 0
    assert signed.endswith("poster er underskrevet af den bruger, de nævner.")

    code, out, _ = cli.as_("dorte", now["dorte"], "audit", "list", "--json", "--limit", "500")
    entries = json.loads(out)
    actions = {e["action"] for e in entries}
    assert {
        "vault.create",
        "member.add",
        "member.remove",
        "login.failed",
        "group.member.remove",
        "passphrase.change",
        "login",
        "lock",
    } <= actions
    assert any(e["detail"] == "gitte" for e in entries if e["action"] == "member.remove")
    assert cli.as_("mette", now["mette"], "audit", "list")[0] == 4

    # Tampering with one entry makes verify fail and name it.
    engine = create_vault_engine(
        cli.where[1] if cli.where[0] == "--db-url" else f"sqlite+pysqlite:///{cli.where[1]}"
    )
    with engine.begin() as connection:
        connection.execute(
            update(AuditEntryRow).where(AuditEntryRow.seq == 7).values(action="member.list")
        )
    engine.dispose()
    code, out, err = cli.as_("lars", lars, "audit", "verify")
    assert code == 7
    assert "post 7" in err
    code, out, _ = cli.as_("lars", lars, "audit", "verify", "--json")
    assert json.loads(out)["first_bad_seq"] == 7


def test_errors_are_one_line_without_traceback(cli: Cli) -> None:
    lars = cli.secret("lars", "blåbærgrød med flødeskum")
    wrong = cli.secret("wrong", "det er ikke den rigtige frase")
    cli.run(
        "init",
        "--infohus",
        "Østjylland",
        "--login",
        "lars",
        "--name",
        "Lars Holm",
        "--org",
        "police",
        "--passphrase-file",
        lars,
    )
    for args in (
        ("member", "list", "--user", "lars", "--passphrase-file", wrong),
        ("member", "list", "--user", "nobody", "--passphrase-file", lars),
        ("member", "list", "--user", "lars", "--passphrase-file", str(cli.tmp / "missing")),
        ("member", "list", "--user", "lars", "--passphrase-stdin"),
        ("member", "remove", "nobody", "--user", "lars", "--passphrase-file", lars),
        ("group", "add-member", "Ingen sådan", "lars", "--user", "lars", "--passphrase-file", lars),
        (
            "init",
            "--infohus",
            "X",
            "--login",
            "y",
            "--name",
            "Y",
            "--org",
            "police",
            "--passphrase-file",
            lars,
        ),
    ):
        code, _out, err = cli.run(*args)
        assert code not in (0, 70), args
        assert err.startswith("infohus: "), args
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err


def test_passphrase_is_never_an_argument(cli: Cli) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["member", "list", "--user", "lars", "--passphrase", "secret"])
    assert caught.value.code == 2


def test_init_refuses_a_weak_passphrase_and_leaves_nothing(cli: Cli) -> None:
    weak = cli.secret("weak", "kort")
    code, _, err = cli.run(
        "init",
        "--infohus",
        "Østjylland",
        "--login",
        "lars",
        "--name",
        "Lars Holm",
        "--org",
        "police",
        "--passphrase-file",
        weak,
    )
    assert code == 2
    assert "15 tegn" in err
    good = cli.secret("good", "blåbærgrød med flødeskum")
    code, _, err = cli.run(
        "init",
        "--infohus",
        "Østjylland",
        "--login",
        "lars",
        "--name",
        "Lars Holm",
        "--org",
        "police",
        "--passphrase-file",
        good,
    )
    assert (code, err) == (0, "")


@pytest.mark.postgres
def test_vault_info_tells_whether_the_unlock_guard_is_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_kdf: None, pg_admin_url: str
) -> None:
    with throwaway_database(pg_admin_url) as url:
        cli = Cli(url, tmp_path, capsys)
        lars = cli.secret("lars", "blåbærgrød med flødeskum")
        code, _, err = cli.run(
            "init", "--infohus", "Ø", "--login", "lars", "--name", "Lars", "--org", "police",
            "--passphrase-file", lars,
        )  # fmt: skip
        assert (code, err) == (0, "")
        code, out, _ = cli.run("vault", "info", "--json")
        assert json.loads(out)["unlock_guard"].startswith("absent: not installed")
        assert json.loads(out)["unlock_guard_state"] == "absent"
        code, out, _ = cli.run("vault", "info")
        assert code == 0
        guard = next(line for line in out.splitlines() if line.startswith("Beskyttelse mod"))
        assert "mangler: serveradministratoren installerer den med" in guard
        assert "infohus server migrate" in guard


@pytest.mark.postgres
def test_a_database_the_server_does_not_have_is_not_called_an_outage(
    capsys: pytest.CaptureFixture[str], pg_admin_url: str, infohus_home: Path
) -> None:
    """The server answered that the database does not exist: "run it again when the server
    answers" (an outage's advice) never helps; the name in the address is what to check."""
    url = make_url(pg_admin_url).set(database="infohus_no_such_database")
    code = main(["vault", "info", "--db-url", url.render_as_string(hide_password=False)])
    _out, err = capsys.readouterr()
    assert code == 8 and "databasen i adressen findes ikke" in err
    assert "når serveren svarer" not in err and "Traceback" not in err


def test_a_second_workstation_must_trust_the_root_first_and_is_told_so_with_exit_11(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not tampering but a step to take: its own exit code (11), the fingerprint to compare
    and the command that pins it; after that the member works."""
    lars = cli.secret("lars", "blåbærgrød med flødeskum")
    code, out, _ = cli.run(
        "init", "--infohus", "Østjylland", "--login", "lars", "--name", "Lars Holm",
        "--org", "police", "--passphrase-file", lars,
    )  # fmt: skip
    fingerprint = out.splitlines()[2].strip()
    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "second-workstation"))
    code, _, err = cli.as_("lars", lars, "member", "list")
    assert code == 11
    assert "kender ikke boksens rodnøgle endnu" in err and "infohus vault trust" in err
    # 'vault info' says the same to a person: the fingerprint, and under it what to do.
    code, out, _ = cli.run("vault", "info")
    lines = out.splitlines()
    root = next(i for i, line in enumerate(lines) if line.startswith("Rodnøgle:"))
    assert code == 0 and lines[root].endswith(fingerprint)
    assert "ikke betroet her endnu" in lines[root + 1] and "infohus vault trust" in lines[root + 1]
    assert "opdateret" in lines[root + 3] and lines[root + 4].endswith(" 4")
    # Not a fingerprint at all is a typing matter (2); one digit off may be another vault (7).
    code, _, err = cli.run("vault", "trust", "--fingerprint", "hello")
    assert code == 2 and "otte grupper af fire tegn" in err
    typo = fingerprint[:-1] + ("0" if fingerprint[-1] != "0" else "1")
    code, _, err = cli.run("vault", "trust", "--fingerprint", typo)
    assert code == 7 and "Tjek, at det er skrevet rigtigt af" in err and "ring til" in err
    code, out, _ = cli.run("vault", "trust", "--fingerprint", fingerprint)
    assert code == 0 and "arbejdsstationens standardboks nu" in out
    assert cli.as_("lars", lars, "member", "list")[0] == 0
    # The new workstation's next commands need no --vault or --db-url (a server's password,
    # never saved, comes from where libpq finds it, as from ~/.pgpass).
    password = make_url(cli.where[1]).password if cli.where[0] == "--db-url" else None
    if password:
        monkeypatch.setenv("PGPASSWORD", password)
    code = main(["member", "list", "--user", "lars", "--passphrase-file", lars])
    assert code == 0, cli.capsys.readouterr().err
    monkeypatch.setenv("INFOHUS_LANG", "en")
    code, out, _ = cli.run("vault", "info")
    assert "Root key:" in out and "trusted on this workstation" in out and "True" not in out


def test_a_file_that_is_no_vault_is_named_so_and_a_missing_one_is_not_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cheap_kdf: None
) -> None:
    """A text file, a vault cut short, a mistyped name: one line saying what is wrong (exit 8,
    the vault cannot be used), no internal error, and no empty file left where the name
    was mistyped."""
    passphrase = tmp_path / "lars.txt"
    passphrase.write_text("blåbærgrød med flødeskum\n", encoding="utf-8")
    passphrase.chmod(0o600)
    text = tmp_path / "bekymring.txt"
    text.write_text("Ikke en boks, men en tekst.\n", encoding="utf-8")
    vault = tmp_path / "boks.sqlite"
    cli = Cli(f"sqlite:///{vault}", tmp_path, capsys)
    cli.run("init", "--infohus", "Østjylland", "--login", "lars", "--name", "Lars Holm",
            "--org", "police", "--passphrase-file", str(passphrase))  # fmt: skip
    cut = tmp_path / "afkortet.sqlite"
    cut.write_bytes(vault.read_bytes()[:8192])
    for target, said in (
        (text, "Filen er ikke en Infohus-boks, eller den er beskadiget."),
        (cut, "Filen er ikke en Infohus-boks, eller den er beskadiget."),
        (tmp_path / "stavet-forkert.sqlite", "Der er ingen boks på"),
    ):
        code = main(["case", "list", "--vault", str(target), "--user", "lars",
                     "--passphrase-file", str(passphrase)])  # fmt: skip
        _out, err = capsys.readouterr()
        assert code == 8, (target, err)
        assert err.startswith(f"infohus: {said}"), err
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "stavet-forkert.sqlite").exists()
    assert text.read_text(encoding="utf-8") == "Ikke en boks, men en tekst.\n"
