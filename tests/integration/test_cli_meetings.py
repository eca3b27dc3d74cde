"""`infohus meeting …` as a coordinator and a member would script it, on SQLite and
PostgreSQL: plan, agenda, hold, approve; the PDFs and the .ics the app would make."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pypdf
from icalendar import Calendar

from tests.integration.test_cli_cases import CaseCli, cli, refused  # noqa: F401 (fixture)

# SQLite only, as test_cli_cases.py says why; the services beneath run on both engines.
from tests.integration.test_cli_cases import db_url as db_url


def _text(path: str) -> str:
    reader = pypdf.PdfReader(io.BytesIO(Path(path).read_bytes()))
    return "".join(page.extract_text() for page in reader.pages)


def test_plan_hold_approve_and_print_from_the_cli(cli: CaseCli) -> None:  # noqa: F811
    case = cli.add_case("mette", "Åse Ærbødig Østergaard")
    planned = cli.as_(
        "lars",
        "meeting",
        "add",
        "--kind",
        "infohusmoede",
        "--title",
        "Infohusmøde Aarhus",
        "--start",
        "2026-12-01T09:00",
        "--end",
        "2026-12-01T11:00",
        "--place",
        "Rådhuset",
        "--municipality",
        "Aarhus Kommune",
        "--chair",
        "lars",
        "--minute-taker",
        "mette",
        "--guest",
        "Pia Krog;Region Midtjylland;pia@rm.example",
        "--json",
    ).json()
    short = planned["short_id"]
    assert len(short) == 8 and planned["status"] == "planlagt"
    # Any member of the group lists it; the short id names it.
    listed = cli.ok("mette", "meeting", "list")
    assert short in listed and "Infohusmøde Aarhus" in listed and "01.12.2026 09.00" in listed

    cli.ok("lars", "meeting", "item", "add", short, "--kind", "sag", "--case", case["number"])
    cli.ok(
        "lars",
        "meeting",
        "item",
        "add",
        short,
        "--kind",
        "orientering",
        "--organisation",
        "Politiet",
        "--title",
        "Nyt fra politiet",
    )
    cli.ok(
        "mette",
        "meeting",
        "notes",
        short,
        "1",
        "--text-file",
        cli.file("notes.txt", "Skolen følger op.\n"),
    )
    cli.ok(
        "mette",
        "meeting",
        "decision",
        short,
        "1",
        "--kind",
        "anbefaling",
        "--text",
        "Mentor anbefales",
        "--authority",
        "Aarhus Kommune",
    )
    cli.ok(
        "mette",
        "meeting",
        "action",
        "add",
        short,
        "1",
        "--text",
        "Ring til skolen",
        "--owner",
        "mette",
        "--deadline",
        "2026-12-10",
    )
    cli.ok(
        "mette",
        "meeting",
        "attend",
        short,
        "--present",
        "lars",
        "--present",
        "mette",
        "--absent",
        "Pia Krog",
    )
    cli.ok("mette", "meeting", "held", short)
    # Only the chair approves: a clean one-line refusal for the minute taker.
    refused(cli.as_("mette", "meeting", "approve", short), 4, "infohus: ")
    cli.ok("lars", "meeting", "approve", short)
    refused(cli.as_("mette", "meeting", "notes", short, "1", "--text", "Sent"), 4, "låst")
    cli.ok("mette", "meeting", "addendum", short, "--item", "1", "--text", "Rettelse: fredag.")

    # The deadline as every other date a person reads (the JSON keeps ISO dates).
    assert "Ring til skolen (Mette Fjord, 10.12.2026, " in cli.ok("mette", "meeting", "show", short)
    shown = cli.as_("mette", "meeting", "show", short, "--json").json()
    assert shown["status"] == "godkendt"
    assert shown["items"][0]["case"] == case["number"] and shown["items"][0]["name"] is None
    assert shown["items"][0]["notes"] == "Skolen følger op."
    assert [p["attendance"] for p in shown["participants"]] == [
        "til_stede",
        "til_stede",
        "fravaerende",
    ]
    assert shown["addenda"][0]["text"] == "Rettelse: fredag."

    shown_text = cli.ok("mette", "meeting", "show", short)
    assert (
        f"1. Sag {case['number']}" in shown_text
        and "Mentor anbefales [Aarhus Kommune]" in shown_text
    )
    minutes = str(cli.tmp / "referat.pdf")
    cli.ok("mette", "meeting", "minutes", short, "--pdf", minutes)
    assert stat.S_IMODE(os.stat(minutes).st_mode) == 0o600
    text = _text(minutes)
    assert "Referat" in text and "FORTROLIGT" in text and "Side 1 af" in text
    assert case["number"] in text and "Mentor anbefales" in text and "Ring til skolen" in text
    assert "Åse" not in text
    named = str(cli.tmp / "referat-navne.pdf")
    cli.ok("mette", "meeting", "minutes", short, "--pdf", named, "--with-names")
    assert "Åse Ærbødig Østergaard" in _text(named)
    agenda = str(cli.tmp / "dagsorden.pdf")
    cli.ok("lars", "meeting", "agenda", short, "--pdf", agenda, "--lang", "en")
    assert "Agenda" in _text(agenda) and "Page 1 of 1" in _text(agenda)
    english_minutes = str(cli.tmp / "minutes.pdf")
    cli.ok("mette", "meeting", "minutes", short, "--pdf", english_minutes, "--language", "en")
    assert "Minutes" in _text(english_minutes) and "Page 1 of" in _text(english_minutes)

    ics = str(cli.tmp / "invitation.ics")
    cli.ok("lars", "meeting", "ics", short, "--out", ics)
    raw = Path(ics).read_bytes()
    calendar = Calendar.from_ical(raw)
    assert calendar["method"] == "PUBLISH" and calendar["version"] == "2.0"
    event = next(c for c in calendar.walk() if c.name == "VEVENT")
    assert str(event["summary"]) == "Infohusmøde Aarhus" and str(event["location"]) == "Rådhuset"
    assert event["dtstart"].dt.isoformat() == "2026-12-01T08:00:00+00:00"  # 09.00 in Copenhagen
    assert event["uid"] == f"{planned['id']}@infohus-desktop"
    attendee = event["attendee"]
    assert str(attendee) == "mailto:pia@rm.example" and attendee.params["CN"] == "Pia Krog"
    decoded = raw.decode()
    assert case["number"] not in decoded and "Åse" not in decoded and "Ærbødig" not in decoded

    # Open action items across meetings, and closing one by its short id.
    actions = cli.as_("mette", "meeting", "action", "list", "--mine", "--json").json()
    assert [a["text"] for a in actions] == ["Ring til skolen"]
    cli.ok("mette", "meeting", "action", "close", actions[0]["id"][:8])
    assert cli.as_("mette", "meeting", "action", "list", "--json").json() == []

    audit = cli.as_("lars", "audit", "list", "--json", "--limit", "400").json()
    actions_logged = [e["action"] for e in audit]
    assert "meeting.minutes.pdf.names" in actions_logged and "meeting.ics" in actions_logged


def test_bad_ids_are_clear_errors(cli: CaseCli) -> None:  # noqa: F811
    refused(cli.as_("mette", "meeting", "show", "abc"), 2, "8")
    refused(cli.as_("mette", "meeting", "show", "0123456789abcdef"), 5)
    refused(
        cli.as_(
            "mette",
            "meeting",
            "add",
            "--kind",
            "netvaerksmoede",
            "--title",
            "X",
            "--start",
            "2026-12-01T09:00",
        ),
        4,
    )


def test_a_description_read_from_stdin_after_the_unlock_keeps_its_first_line(
    cli: CaseCli,  # noqa: F811
) -> None:
    """`--passphrase-stdin` with `--description-file -`: the passphrase is the first line of
    standard input and the description all the rest, also when the command reads the text
    only after the unlock (it used to take a second line as the passphrase)."""
    lars = Path(cli.passfiles["lars"]).read_text(encoding="utf-8").strip()
    planned = cli.run(
        *("meeting", "add", "--kind", "infohusmoede", "--title", "Ekstra møde"),
        *("--start", "2026-12-01T09:00", "--end", "2026-12-01T10:00"),
        *("--municipality", "Aarhus Kommune", "--description-file", "-"),
        *("--user", "lars", "--passphrase-stdin", "--json"),
        stdin=f"{lars}\nFørste linje om mødet.\nAnden linje.\n",
    )
    assert (planned.code, planned.err) == (0, ""), planned
    shown = cli.ok("lars", "meeting", "show", planned.json()["short_id"], "--json")
    assert json.loads(shown)["description"] == "Første linje om mødet.\nAnden linje."
