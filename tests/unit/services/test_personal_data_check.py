"""The personal-data check of trend notes: a table of texts that must be flagged and texts
that must not, each with the kind of finding and the exact text span it points at."""

from __future__ import annotations

import unicodedata

import pytest

from infohus_desktop.services.trends.personal_data_check import (
    FindingKind,
    NameRegister,
    find_in_text,
    find_personal_data,
    summarize,
)

REGISTER = NameRegister(
    [
        "Søren Ærbø Østergaard",
        "Anne-Marie Kjær",
        "Mads Jensen",
        "Åse Brøndum Hansen",
        "Ali Hassan",
        "Ditte Lund",
        "Bjørn",  # one word: never flagged on its own
    ]
)

CPR, NAME = FindingKind.CPR, FindingKind.NAME

#: (text, kind, the flagged text)
POSITIVE: list[tuple[str, FindingKind, str]] = [
    ("Personen har CPR 010190-1234.", CPR, "010190-1234"),
    ("cpr 0101901234 oplyst", CPR, "0101901234"),
    ("CPR-nr. 010190 1234", CPR, "010190 1234"),
    ("010190 - 1234 står i sagen", CPR, "010190 - 1234"),
    ("født 01.01.90-1234", CPR, "01.01.90-1234"),
    ("01 01 90 1234", CPR, "01 01 90 1234"),
    ("nummer 311299-4321.", CPR, "311299-4321"),
    ("(290200-4123)", CPR, "290200-4123"),  # 29.02.2000 (7th digit 4: 2000s)
    ("cpr:120305-2345", CPR, "120305-2345"),
    ("Oplyst 150607–1122 i mødet", CPR, "150607–1122"),  # en dash
    ("linje 1\nog 050505-5555 her", CPR, "050505-5555"),
    ("CPR 2512884321, adresse ukendt", CPR, "2512884321"),
    ("Mads Jensen deltog i et møde", NAME, "Mads Jensen"),
    ("det var MADS JENSEN igen", NAME, "MADS JENSEN"),
    ("jensen, mads er kendt", NAME, "jensen, mads"),
    ("Søren Ærbø Østergaard har skrevet", NAME, "Søren Ærbø Østergaard"),
    ("søren østergaard har skrevet", NAME, "søren østergaard"),
    ("SØREN ØSTERGAARD", NAME, "SØREN ØSTERGAARD"),
    ("Østergaard, Søren Ærbø nævnes", NAME, "Østergaard, Søren Ærbø"),
    ("Anne-Marie Kjær", NAME, "Anne-Marie Kjær"),
    ("kjær, anne-marie", NAME, "kjær, anne-marie"),
    ("Åse Hansen er nævnt", NAME, "Åse Hansen"),
    (unicodedata.normalize("NFD", "Åse Hansen er nævnt"), NAME, "A\u030ase Hansen"),
    ("Ａｌｉ Ｈａｓｓａｎ (fuld bredde)", NAME, "Ａｌｉ Ｈａｓｓａｎ"),  # NFKC
    ("Ditte\nLund på to linjer", NAME, "Ditte\nLund"),
    ("Ali  Hassan med to mellemrum", NAME, "Ali  Hassan"),
    ("«Ditte Lund»", NAME, "Ditte Lund"),
]

NEGATIVE: list[str] = [
    "Mødet er den 23.11.2026.",
    "Dato 2026-11-23 og 2026-12-01.",
    "I perioden 2024 2025 2026 steg antallet.",
    "Ring på 12345678 eller 87 65 43 21.",
    "Kontakt +45 12 34 56 78 hverdage.",
    "Kontakt +45 1234567890.",
    "Sag AAR-2026-0007 og RAN-2025-0123.",
    "Postnummer 8000 Aarhus C og 8900 Randers.",
    "Kl. 10.30-12.00 i uge 47.",
    "23.11.26 1200 deltagere",  # a date followed by a number
    "Tallet 1234567890123 er et kontonummer.",
    "320190-1234 er ingen dato",  # day 32
    "011390-1234 har måned 13",
    "290201-1234 er 29. februar 2001, som ikke findes",
    "Årstallene 1990-2020 viser en tendens.",
    "Mads deltog ikke.",  # a first name alone
    "Jensen-familien er nævnt i medierne.",
    "Madsen Jensen er ikke Mads Jensen",  # partial word 'Madsen' (but the second one is)
    "Bjørn var der.",  # one-word register entry
    "Ali Hassani er en anden person.",  # whole-word only
    "Mads, Jensen og andre.",  # "Last, First" in the wrong order is no name
    "Ditte. Lund er en by.",
    "Produktkode AB0101901234 på plakaten.",
    "IBAN DK50 0040 0440 1162 43",
    "Version 1.2.3 fra 2026",
    "Telefontid 08-16, tlf. 70 10 20 30",
    "Mellem 15 og 20 procent af 1200 elever",
]


@pytest.mark.parametrize(("text", "kind", "flagged"), POSITIVE)
def test_flags_personal_data(text: str, kind: FindingKind, flagged: str) -> None:
    findings = find_in_text(text, REGISTER, "description")
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [(kind, flagged)]


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    findings = find_in_text(text, REGISTER)
    if text.startswith("Madsen Jensen"):  # the row that also holds a real name
        assert [text[f.start : f.end] for f in findings] == ["Mads Jensen"]
    else:
        assert findings == []


def test_tables_are_big_enough() -> None:
    assert len(POSITIVE) >= 25 and len(NEGATIVE) >= 25


def test_position_where_and_why_in_both_languages() -> None:
    text = "Første linje\nanden linje med 010190-1234 og Ditte Lund"
    findings = find_personal_data({"title": "Ok", "description": text}, REGISTER)
    assert [(f.field, f.line, f.column, f.kind) for f in findings] == [
        ("description", 2, 17, CPR),
        ("description", 2, 32, NAME),
    ]
    assert findings[0].explain("da") == (
        "Beskrivelse, linje 2, tegn 17: ligner et CPR-nummer (en gyldig dato og fire cifre)"
    )
    assert findings[1].explain("en") == (
        "Description, line 2, character 32: is the name of a person in a case you can read"
    )
    message = summarize(findings, "da") + summarize(findings, "en")
    assert "010190" not in message and "Ditte" not in message  # never the data itself


def test_summary_cuts_long_lists() -> None:
    text = " ".join(f"0101{yy:02d}-1234" for yy in range(10, 18))
    findings = find_in_text(text, None, "description")
    assert len(findings) == 8
    assert summarize(findings, "en", limit=3).endswith("and 5 more")


def test_without_register_only_numbers_are_checked() -> None:
    assert find_in_text("Mads Jensen 010190-1234") == find_in_text("Mads Jensen 010190-1234", None)
    assert [f.kind for f in find_in_text("Mads Jensen 010190-1234")] == [CPR]


def test_longest_name_wins_and_names_do_not_overlap() -> None:
    findings = find_in_text("Søren Ærbø Østergaard", REGISTER)
    assert [(f.start, f.end) for f in findings] == [(0, 21)]


def test_a_long_note_against_a_large_register_finds_the_one_name() -> None:
    # How fast is a benchmark's question (tests/benchmarks/bench_trends.py), not a test's: a
    # wall-clock limit here failed whenever the machine was busy.
    register = NameRegister(f"Fornavn{i} Efternavn{i % 997}" for i in range(100_000))
    text = ("En tendens blandt unge i Aarhus med møder hver uge. " * 400) + "Fornavn5 Efternavn5"
    findings = find_in_text(text, register)
    assert [f.kind for f in findings] == [NAME]
