"""A person's details reach `infohus case add|edit` without passing through the command line:
from a JSON file, from standard input (after the passphrase line), or from a prompt; the
argument forms still work and, at a terminal, warn that the values were visible."""

from __future__ import annotations

import json
import sys

import pytest

from tests.integration.test_cli_cases import RECEIVED, CaseCli

# test_cli_cases.py's district, copied from one built once by the command line; SQLite only,
# as that module says why (the services beneath run on both engines).
from tests.integration.test_cli_cases import cli as cli
from tests.integration.test_cli_cases import db_url as db_url

PERSON = {
    "name": "Søren Ørsted-Åberg",
    "cpr": "070761-4285",
    "address": "Æblevej 3, 8000 Aarhus C",
    "municipality": "Aarhus",
    "phone": "+45 12 34 56 78",
    "email": "soeren@example.invalid",
    "school_or_work": "Testskolen",
    "guardians": [{"name": "Mor Ørsted", "relation": "mor", "contact": "87654321"}],
}


def _add(cli: CaseCli, *person_args: str, sys_stdin: str | None = None) -> str:
    concern = cli.file("concern.txt", "Delte voldsforherligende materiale.\n")
    result = cli.as_(
        "mette", "case", "add", *person_args, "--category", "militant_islamisme",
        "--concern-file", concern, "--received", RECEIVED, "--json", sys_stdin=sys_stdin,
    )  # fmt: skip
    assert (result.code, result.err) == (0, ""), result
    return str(result.json()["number"])


def test_a_person_file_fills_every_field_and_no_argument_shows_one(cli: CaseCli) -> None:
    number = _add(cli, "--person-file", cli.file("person.json", json.dumps(PERSON)))
    person = cli.show("mette", number)["person"]
    assert person["name"] == PERSON["name"]
    assert person["cpr"] == "0707614285"
    assert (person["address"], person["phone"]) == (PERSON["address"], PERSON["phone"])
    assert person["guardians"] == [{"name": "Mor Ørsted", "relation": "mor", "contact": "87654321"}]


def test_the_person_from_standard_input_after_the_passphrase(cli: CaseCli) -> None:
    concern = cli.file("concern.txt", "Delte voldsforherligende materiale.\n")
    result = cli.run(
        "case", "add", "--person-file", "-", "--category", "militant_islamisme",
        "--concern-file", concern, "--received", RECEIVED, "--json",
        "--user", "mette", "--passphrase-stdin",
        stdin="mettes nye og lange adgangsfrase\n" + json.dumps({"name": "Ida Stdin"}) + "\n",
    )  # fmt: skip
    assert (result.code, result.err) == (0, ""), result
    assert cli.show("mette", result.json()["number"])["person"]["name"] == "Ida Stdin"


def test_case_edit_takes_changed_fields_from_a_file(cli: CaseCli) -> None:
    number = _add(cli, "--person-file", cli.file("person.json", json.dumps(PERSON)))
    changed = cli.file("changed.json", json.dumps({"address": "Nyvej 1", "guardians": []}))
    result = cli.as_("mette", "case", "edit", number, "--person-file", changed)
    assert result.code == 0, result
    person = cli.show("mette", number)["person"]
    assert (person["address"], person["guardians"], person["name"]) == (
        "Nyvej 1",
        [],
        PERSON["name"],
    )


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[1, 2]", "JSON-objekt"),
        ('{"name": "X", "shoe_size": "44"}', "JSON-objekt"),
        ('{"name": 7}', "skal være tekst"),
        ('{"cpr": "070761-4285"}', "mangler name"),
        ('{"name": "X", "guardians": "mor"}', "guardians"),
        ("ikke json", "JSON-objekt"),
    ],
)
def test_a_malformed_person_file_is_refused_with_a_clear_message(
    cli: CaseCli, content: str, fragment: str
) -> None:
    concern = cli.file("concern.txt", "x\n")
    result = cli.as_(
        "mette", "case", "add", "--person-file", cli.file("bad.json", content),
        "--category", "militant_islamisme", "--concern-file", concern,
    )  # fmt: skip
    assert result.code == 2
    assert fragment in result.err
    assert cli.numbers("mette") == []


def test_at_a_terminal_arguments_with_personal_data_warn_once(
    cli: CaseCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    concern = cli.file("concern.txt", "x\n")
    result = cli.as_(
        "mette", "case", "add", "--name", "Ali Testesen", "--cpr", "070761-4285",
        "--category", "militant_islamisme", "--concern-file", concern,
    )  # fmt: skip
    assert result.code == 0
    assert result.err.count("advarsel") == 1
    assert "--name, --cpr" in result.err
    quiet = cli.as_("mette", "case", "list")
    assert "advarsel" not in quiet.err


def test_without_a_name_a_terminal_asks_for_it(
    cli: CaseCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["Prompt Personsen", ""])
    monkeypatch.setattr("builtins.input", lambda _label: next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    number = _add(cli)
    assert cli.show("mette", number)["person"]["name"] == "Prompt Personsen"
