"""`infohus stats` on both engines: the table, --json, and the PDF and CSV files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.integration.test_cli_cases import CaseCli, cli, refused  # noqa: F401 (fixture)

# SQLite only, as test_cli_cases.py says why; the services beneath run on both engines.
from tests.integration.test_cli_cases import db_url as db_url

PERIOD = ("--from", "2026-01-01", "--to", "2026-12-31")
#: The day before the cases' received date (20.11.2026) and that day.
RECEIVED_AROUND = ("2026-11-19", "2026-11-20")


def _cases(cli: CaseCli, n: int) -> None:  # noqa: F811
    for i in range(n):
        cli.add_case("mette", f"Person Nummer{i}")


def test_stats_table_and_json(cli: CaseCli) -> None:  # noqa: F811
    _cases(cli, 6)
    out = cli.ok("mette", "stats", *PERIOD)
    assert "Nye sager i perioden: 6" in out
    assert "Sager efter bekymringstype" in out
    assert "Person" not in out
    data = cli.as_("mette", "stats", *PERIOD, "--json").json()
    assert data["new_cases"] == "6"
    category = next(s for s in data["sections"] if s["key"] == "kategori")
    counts = {c["code"]: c["count"] for c in category["counts"]}
    assert counts["militant_islamisme"] == "6"
    assert counts["hoejreekstremisme"] == "0"
    # The referral sections are there with every row, though no referral was sent.
    assert "Henvisninger efter modtager" in out and "Henvisninger efter status nu" in out
    status = next(s for s in data["sections"] if s["key"] == "henvisninger_status")
    assert {c["code"]: c["count"] for c in status["counts"]} == {
        "aaben": "0",
        "accepteret": "0",
        "afvist": "0",
        "afsluttet": "0",
        "trukket_tilbage": "0",
    }


def test_stats_small_counts_in_files(cli: CaseCli, tmp_path: Path) -> None:  # noqa: F811
    _cases(cli, 3)
    pdf, csv = tmp_path / "stat.pdf", tmp_path / "stat.csv"
    out = cli.ok("mette", "stats", *PERIOD, "--pdf", str(pdf), "--csv", str(csv))
    assert str(pdf) in out and str(csv) in out
    for path in (pdf, csv):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert "Nye sager i perioden < 5" in text
    assert "Militant islamisme < 5" in text
    rows = csv.read_bytes().decode("utf-8-sig").splitlines()
    assert "nye_sager;Nye sager i perioden;< 5" in rows
    assert "kategori;Militant islamisme;< 5" in rows
    assert not any(row.endswith(";3") for row in rows)


def test_stats_refuses_a_guest_and_a_bad_period(cli: CaseCli) -> None:  # noqa: F811
    cli.enrol("karl", "Karl Holm", "Kriminalforsorgen", "guest", "--org-kind", "kriminalforsorgen")
    refused(cli.as_("karl", "stats", *PERIOD), 4, "rolle")
    refused(cli.as_("mette", "stats", "--from", "2026-12-31", "--to", "2026-01-01"), 2)


@pytest.mark.parametrize("flag", ["--from", "--to"])
def test_stats_needs_both_dates(cli: CaseCli, flag: str) -> None:  # noqa: F811
    args = list(PERIOD)
    i = args.index(flag)
    del args[i : i + 2]
    with pytest.raises(SystemExit):
        cli.as_("mette", "stats", *args)


def test_refresh_codes_option(cli: CaseCli) -> None:  # noqa: F811
    _cases(cli, 1)
    cli.sql_write("DELETE FROM case_statistics")
    out = cli.ok("mette", "stats", *PERIOD, "--refresh-codes")
    assert out.startswith("Statistikkoder skrevet for 1 sager.")
    assert "Nye sager i perioden: < 5" in out


def test_stats_snaps_to_whole_months_and_says_so(cli: CaseCli, tmp_path: Path) -> None:  # noqa: F811
    """The cases are received 20.11.2026: a period ending 19.11 and one ending 20.11 would
    differ by exactly them; both are counted to 30.11 instead."""
    _cases(cli, 6)
    runs = [cli.as_("mette", "stats", "--from", "2026-01-01", "--to", to) for to in RECEIVED_AROUND]
    for run in runs:
        assert run.code == 0, run
        assert "Periode 01.01.2026–30.11.2026" in run.out
        assert "Nye sager i perioden: 6" in run.out
        # one line on stderr names the period used
        assert run.err.strip().splitlines() == [
            "Statistik opgøres i hele måneder, så ingen enkeltsag kan udledes ved at "
            "sammenligne perioder. Perioden er 01.01.2026–30.11.2026."
        ]
    assert runs[0].out == runs[1].out
    data = [
        cli.as_("mette", "stats", "--from", "2026-01-15", "--to", to, "--json")
        for to in RECEIVED_AROUND
    ]
    assert data[0].out == data[1].out
    parsed = json.loads(data[0].out)
    assert (parsed["period_from"], parsed["period_to"]) == ("2026-01-01", "2026-11-30")
    assert parsed["new_cases"] == "6"
    pdf, csv = tmp_path / "stat.pdf", tmp_path / "stat.csv"
    run = cli.as_(
        "mette", "stats", "--from", "2026-11-20", "--to", "2026-11-20", "--pdf", str(pdf),
        "--csv", str(csv), "--language", "en",
    )  # fmt: skip
    assert run.code == 0 and len(run.err.strip().splitlines()) == 1, run
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert "Period 01.11.2026–30.11.2026" in text
    assert "whole months" in text
    rows = csv.read_bytes().decode("utf-8-sig").splitlines()
    assert "Period;01.11.2026;30.11.2026" in rows
    assert "nye_sager;New cases in the period;6" in rows
    # ``--lang``, as on the PDF commands, is the same option.
    english = tmp_path / "stat-en.csv"
    run = cli.as_(
        "mette", "stats", "--from", "2026-11-20", "--to", "2026-11-20", "--csv", str(english),
        "--lang", "en",
    )  # fmt: skip
    assert run.code == 0 and "Period;01.11.2026;30.11.2026" in english.read_text("utf-8-sig")
