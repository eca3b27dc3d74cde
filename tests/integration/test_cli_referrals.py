"""`infohus referral …` as a member would run it, on SQLite and PostgreSQL (in-process, the
passphrase from a file), against a vault made with the CLI (the ``cli`` fixture of the case
CLI tests)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pypdf
import pytest

from tests.integration.test_cli_cases import CPR, CaseCli, cli, refused

# SQLite only, as test_cli_cases.py says why; the services beneath run on both engines.
from tests.integration.test_cli_cases import db_url as db_url

__all__ = ["cli"]


def _draft(cli: CaseCli, *extra: str) -> tuple[str, dict]:
    number = cli.add_case("mette", "Ali Ærø", "--cpr", CPR)["number"]
    out = cli.as_("mette", "referral", "add", number, "--programme", "pet_exit", "--json", *extra)
    return number, out.json()


def test_add_prefilled_with_fields_then_show_and_list(cli: CaseCli) -> None:
    number, r = _draft(
        cli,
        "--field",
        "reason=Ønsker at komme ud",
        "--field",
        "risk_factors=Første",
        "--field",
        "risk_factors=Anden <b>",
    )
    assert r["status"] == "kladde" and r["case"] == number
    assert r["values"]["person_name"] == "Ali Ærø"
    assert r["values"]["reason"] == "Ønsker at komme ud"
    assert r["values"]["risk_factors"] == ["Første", "Anden <b>"]
    shown = cli.ok("mette", "referral", "show", r["id"])
    assert "== Personen" in shown and "Navn *: Ali Ærø" in shown
    assert "Risikofaktorer: Første; Anden <b>" in shown
    listed = cli.as_("mette", "referral", "list", "--json").json()
    assert [x["id"] for x in listed] == [r["id"]]
    assert cli.as_("mette", "referral", "list", "--status", "sendt", "--json").json() == []
    table = cli.ok("mette", "referral", "list", "--case", number)
    assert number in table and "Kladde" in table


def test_add_from_a_json_file_without_prefill(cli: CaseCli) -> None:
    number = cli.add_case("mette", "Bo Bæk")["number"]
    values = cli.file("v.json", json.dumps({"reason": "Fra fil", "contact_persons": ["A", "B"]}))
    r = cli.as_(
        "mette", "referral", "add", number, "--programme", "andet", "--json-file", values,
        "--no-prefill", "--json",
    ).json()  # fmt: skip
    assert r["values"] == {"programme": "andet", "reason": "Fra fil", "contact_persons": ["A", "B"]}
    out = cli.ok("mette", "referral", "add", number, "--programme", "andet", "--no-prefill")
    assert "Mangler før afsendelse: Henvisende myndighed, Kontaktperson hos henviser" in out
    assert out.rstrip().endswith("Hastegrad, Hjemmel til videregivelse")


def test_status_through_the_workflow_and_refusals(cli: CaseCli) -> None:
    _number, r = _draft(cli)
    rid = r["id"]
    refused(
        cli.as_("mette", "referral", "status", rid, "sendt", "--how", "email"),
        2,
        "Udfyld de påkrævede felter: »Begrundelse for henvisningen«",
    )
    edited = cli.as_(
        "mette", "referral", "edit", rid, "--version", str(r["version"]),
        "--field", "reason=Begrundet", "--field", "person_informed=ja",
        "--field", "person_consent=ja", "--field", "legal_basis=samtykke", "--json",
    ).json()  # fmt: skip
    assert edited["version"] == r["version"] + 1
    refused(
        cli.as_(
            "mette", "referral", "edit", rid, "--version", str(r["version"]), "--field", "reason=x"
        ),
        6,
        "ændret af en anden",
    )
    refused(cli.as_("mette", "referral", "status", rid, "sendt"), 2, "Angiv hvordan")
    out = cli.ok(
        "mette", "referral", "status", rid, "sendt", "--how", "post", "--date", "2026-11-20"
    )
    assert out.strip() == "Henvisningen er nu Sendt."
    refused(
        cli.as_("mette", "referral", "status", rid, "afsluttet", "--reason", "x"),
        2,
        "kan ikke gå fra",
    )
    cli.ok("mette", "referral", "status", rid, "modtaget")
    refused(cli.as_("mette", "referral", "status", rid, "afvist"), 2, "hvorfor")
    reason = cli.file("reason.txt", "Ingen kapacitet\n")
    done = cli.as_(
        "mette", "referral", "status", rid, "afvist", "--reason-file", reason, "--json"
    ).json()
    assert [h["to"] for h in done["history"]] == ["kladde", "sendt", "modtaget", "afvist"]
    assert done["history"][1]["how"] == "post" and done["history"][1]["on"] == "2026-11-20"
    assert done["history"][3]["reason"] == "Ingen kapacitet"


def test_pdf_is_written_privately_and_audited(cli: CaseCli, tmp_path: Path) -> None:
    _number, r = _draft(cli)
    target = tmp_path / "henvisning.pdf"
    out = cli.ok("mette", "referral", "pdf", r["id"], "--out", str(target))
    assert str(target) in out
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    text = pypdf.PdfReader(str(target)).pages[0].extract_text()
    assert "Henvisning til exitprogram" in text and "Ali Ærø" in text
    english = tmp_path / "referral.pdf"
    cli.ok("mette", "referral", "pdf", r["id"], "--out", str(english), "--lang", "en")
    assert "Referral to an exit programme" in pypdf.PdfReader(str(english)).pages[0].extract_text()
    refused(
        cli.as_("mette", "referral", "pdf", r["id"], "--out", str(tmp_path / "no" / "x.pdf")),
        2,
        "findes ikke",
    )
    actions = [e["action"] for e in cli.as_("lars", "audit", "list", "--json").json()]
    assert actions.count("referral.pdf") == 2 and actions.count("referral.save") == 2


def test_pdf_language_follows_the_user_and_takes_both_spellings(
    cli: CaseCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member who works in English gets the form in English without asking; ``--language``
    is the same option as ``--lang`` (as on ``stats``), and either one overrides."""
    _number, r = _draft(cli)

    def first_page(name: str, *options: str) -> str:
        target = tmp_path / name
        cli.ok("mette", "referral", "pdf", r["id"], "--out", str(target), *options)
        return pypdf.PdfReader(str(target)).pages[0].extract_text()

    monkeypatch.setenv("INFOHUS_LANG", "en")
    assert "Referral to an exit programme" in first_page("default-en.pdf")
    assert "Henvisning til exitprogram" in first_page("da.pdf", "--language", "da")
    monkeypatch.delenv("INFOHUS_LANG")
    assert "Henvisning til exitprogram" in first_page("default-da.pdf")
    assert "Referral to an exit programme" in first_page("en.pdf", "--language", "en")


def test_unknown_and_unreadable_referrals(cli: CaseCli) -> None:
    refused(cli.as_("mette", "referral", "show", "nope"), 5, "Ingen henvisning nope")
    _number, r = _draft(cli)
    refused(cli.as_("mette", "referral", "add", "AAR-2026-0099", "--programme", "pet_exit"), 5)
    refused(
        cli.as_("mette", "referral", "edit", r["id"], "--version", "1", "--field", "nokey"),
        2,
        "nøgle=værdi",
    )
    refused(
        cli.as_("mette", "referral", "edit", r["id"], "--version", "1", "--field", "ukendt=1"),
        2,
        "intet felt »ukendt«",
    )


def test_the_coordinator_sets_the_form_a_member_cannot(cli: CaseCli) -> None:
    form = cli.as_("mette", "referral", "form", "show").json()
    assert [f["key"] for f in form][:2] == ["programme", "recipient_unit"]
    form.append(
        {"key": "tolk", "label_da": "Tolk", "label_en": "Interpreter", "type": "text",
         "required": True, "order": 999, "section": "oevrigt", "choices": []}
    )  # fmt: skip
    path = cli.file("form.json", json.dumps(form))
    refused(cli.as_("mette", "referral", "form", "set", path), 4)
    assert cli.ok("lars", "referral", "form", "set", path).strip() == "Formularen er gemt."
    assert "tolk" in [f["key"] for f in cli.as_("mette", "referral", "form", "show").json()]
    refused(cli.as_("lars", "referral", "form", "set", cli.file("bad.json", "{")), 2, "JSON")
    cli.ok("lars", "referral", "form", "reset")
    assert "tolk" not in [f["key"] for f in cli.as_("mette", "referral", "form", "show").json()]
