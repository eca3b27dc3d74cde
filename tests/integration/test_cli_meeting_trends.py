"""`infohus meeting item add --kind tendensnotat --trend-note ID` on SQLite and PostgreSQL: the
note by the short id `trend list` shows, its title in `meeting show` and the agenda PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf

from tests.integration.test_cli_cases import CaseCli, cli, refused

# SQLite only, as test_cli_cases.py says why; the services beneath run on both engines.
from tests.integration.test_cli_cases import db_url as db_url
from tests.integration.test_cli_trends import NOTE, add

__all__ = ["cli"]  # the fixture

TITLE = "Flere unge deler voldsforherligende memes"


def test_trend_item_from_the_cli(cli: CaseCli) -> None:
    note = add(cli, *NOTE)
    short_note = str(note["id"])[:8]
    planned = cli.as_(
        "lars",
        "meeting",
        "add",
        "--kind",
        "netvaerksmoede",
        "--title",
        "Netværksmøde november",
        "--start",
        "2026-11-24T13:00",
        "--json",
    ).json()
    meeting = planned["short_id"]
    added = cli.as_(
        "lars",
        "meeting",
        "item",
        "add",
        meeting,
        "--kind",
        "tendensnotat",
        "--trend-note",
        short_note,
        "--title",
        "Status fra skolerne",
        "--json",
    ).json()
    assert added["number"] == 1

    # The note names the meetings that discussed it.
    noted = cli.ok("mette", "trend", "show", short_note)
    assert f"Behandlet på møde: {meeting}  24.11.2026  Netværksmøde november" in noted
    shown = cli.ok("mette", "meeting", "show", meeting)
    assert f"1. Tendensnotat: {TITLE} – Status fra skolerne" in shown
    item = cli.as_("mette", "meeting", "show", meeting, "--json").json()["items"][0]
    assert (item["kind"], item["trend_note"], item["trend_title"]) == (
        "tendensnotat",
        note["id"],
        TITLE,
    )

    agenda = cli.tmp / "dagsorden.pdf"
    cli.ok("lars", "meeting", "agenda", meeting, "--pdf", str(agenda), "--lang", "en")
    reader = pypdf.PdfReader(io.BytesIO(Path(agenda).read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"1. Trend note: {TITLE} – Status fra skolerne" in text

    # Without a note, with an unknown one, twice: refused with a message, nothing added.
    base = ["meeting", "item", "add", meeting, "--kind", "tendensnotat"]
    refused(cli.as_("lars", *base), 2, "tendensnotat")
    refused(cli.as_("lars", *base, "--trend-note", "0123abcd"), 5, "0123abcd")
    refused(cli.as_("lars", *base, "--trend-note", short_note), 2, "allerede")
    assert cli.as_("lars", "meeting", "show", meeting, "--json").json()["items"] == [item]
