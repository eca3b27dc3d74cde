"""`infohus trend …` on SQLite and PostgreSQL: add from options and from a JSON file, the
personal-data refusal and its confirmation, list with filters and search, show, edit with a
stale version, links and narrowing the access group."""

from __future__ import annotations

import json

from tests.integration.test_cli_cases import CPR, CaseCli, cli, refused

# SQLite only, as test_cli_cases.py says why; the services beneath run on both engines.
from tests.integration.test_cli_cases import db_url as db_url

__all__ = ["cli"]  # the fixture

NOTE = [
    "--title",
    "Flere unge deler voldsforherligende memes",
    "--from",
    "2026-07-01",
    "--to",
    "2026-09-30",
    "--area-kind",
    "kommune",
    "--area",
    "Aarhus Kommune",
    "--theme",
    "hoejreekstremisme",
    "--source",
    "skole",
    "--source",
    "sociale_medier",
    "--development",
    "stigende",
]


def add(cli: CaseCli, *args: str) -> dict[str, object]:
    return cli.as_("mette", "trend", "add", "--json", *args).json()


def test_add_list_show(cli: CaseCli) -> None:
    created = add(cli, *NOTE, "--description", "Skolerne melder om flere elever.")
    assert created["version"] == 1
    assert created["source_kinds"] == ["skole", "sociale_medier"]
    listed = cli.as_("lars", "trend", "list", "--json").json()
    assert [n["id"] for n in listed] == [created["id"]]
    # Said with the short id the list shows, which 'trend show' takes.
    said = cli.ok("mette", "trend", "add", *NOTE)
    short = said.split()[1]
    assert said == f"Tendensnotatet {short} er gemt.\n" and len(short) == 8
    assert cli.as_("lars", "trend", "show", short, "--json").json()["id"].startswith(short)
    table = cli.ok("lars", "trend", "list")
    assert "Flere unge deler" in table and "Stigende" in table and "01.07.2026" in table
    shown = cli.ok("lars", "trend", "show", str(created["id"])[:8])
    assert "Skoler og uddannelser, Sociale medier" in shown
    assert "Skolerne melder om flere elever." in shown
    assert cli.as_("lars", "trend", "show", str(created["id"]), "--json").json() == {
        **created,
        "related": [],
    }


def test_add_from_a_json_file_with_options_on_top(cli: CaseCli) -> None:
    fields = {
        "title": "Konspirationskanaler på Telegram",
        "period_from": "2026-01-01",
        "period_to": "2026-03-31",
        "area_kind": "online",
        "area": "Telegram",
        "theme": "konspiration",
        "description": "Lukkede kanaler.",
        "source_kinds": ["aabne_kilder"],
        "development": "stabil",
        "follow_up": "2026-06-01",
    }
    path = cli.file("note.json", json.dumps(fields, ensure_ascii=False))
    created = add(cli, "--file", path, "--development", "faldende")
    assert created["development"] == "faldende"
    assert created["area"] == "Telegram" and created["follow_up"] == "2026-06-01"
    bad = cli.file("bad.json", json.dumps({"titel": "x"}))
    refused(cli.as_("mette", "trend", "add", "--file", bad), 2, "JSON")
    refused(cli.as_("mette", "trend", "add", "--title", "Kun titel"), 2, "--theme")
    refused(cli.as_("mette", "trend", "add", *NOTE[:-2], "--theme", "ukendt"), 2, "ukendt")


def test_personal_data_is_refused_without_confirmation(cli: CaseCli) -> None:
    cli.add_case("mette", "Søren Ærbø Østergaard", "--cpr", CPR)
    description = cli.file("d.txt", f"Nævnt i medierne: {CPR}.\nsøren østergaard igen.\n")
    args = ["trend", "add", *NOTE, "--description-file", description]
    result = cli.as_("mette", *args)
    refused(result, 2, "linje 1, tegn 19", "linje 2, tegn 1", "--confirm-personal-data")
    assert CPR not in result.err and "østergaard" not in result.err.casefold()
    assert cli.as_("mette", "trend", "list", "--json").json() == []
    saved = cli.as_("mette", *args, "--confirm-personal-data", "--json").json()
    assert CPR in str(saved["description"])
    actions = [e["action"] for e in cli.as_("lars", "audit", "list", "--json").json()]
    assert "trend.personal_data_confirmed" in actions


def test_filters_search_edit_links_and_access(cli: CaseCli) -> None:
    a = add(cli, *NOTE)
    b = add(
        cli,
        *NOTE[:6],
        "--area-kind",
        "online",
        "--area",
        "TikTok",
        "--theme",
        "konspiration",
        "--development",
        "faldende",
    )

    def ids(*args: str) -> list[object]:
        return [n["id"] for n in cli.as_("mette", "trend", "list", "--json", *args).json()]

    assert set(ids()) == {a["id"], b["id"]}
    assert ids("--theme", "konspiration") == [b["id"]]
    assert ids("--area-kind", "kommune") == [a["id"]]
    assert ids("--development", "faldende") == [b["id"]]
    assert ids("--search", "tiktok") == [b["id"]]
    assert ids("--from", "2027-01-01") == []

    short = str(a["id"])[:8]  # the id 'trend list' shows, as 'show', 'link' and 'access' take
    edited = cli.as_(
        "mette", "trend", "edit", short, "--version", "1", "--title", "Ny titel", "--json"
    ).json()
    assert (edited["version"], edited["title"], edited["area"]) == (2, "Ny titel", "Aarhus Kommune")
    stale = cli.as_("lars", "trend", "edit", str(a["id"]), "--version", "1", "--title", "X")
    refused(stale, 6, "version 1 → 2", "Titel")

    cli.ok("mette", "trend", "link", str(a["id"]), str(b["id"]))
    shown = cli.as_("mette", "trend", "show", str(a["id"]), "--json").json()
    assert [r["id"] for r in shown["related"]] == [b["id"]]
    cli.ok("mette", "trend", "link", str(b["id"]), str(a["id"]), "--remove")
    assert cli.as_("mette", "trend", "show", str(a["id"]), "--json").json()["related"] == []

    refused(cli.as_("mette", "trend", "access", str(a["id"]), "--group", "Politiet"), 4)
    cli.ok("lars", "group", "add", "Kun politiet", "--member", "lars")
    cli.ok("lars", "trend", "access", str(a["id"]), "--group", "Kun politiet")
    assert ids() == [b["id"]]
    refused(cli.as_("mette", "trend", "show", str(a["id"])), 5)
