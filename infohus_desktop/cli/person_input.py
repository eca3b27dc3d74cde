"""A person's details and other personal text kept off the command line.

What is typed as an argument ends in the shell's history and, while the command runs, in
``/proc/<pid>/cmdline`` for every local user. So every person field can come from a JSON file
(``--person-file FILE``; ``-`` is standard input, after the passphrase line when that is on
standard input too) or from a prompt at the terminal. The argument forms stay for scripting
with test data; at a terminal they print one warning that the values were visible.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from infohus_desktop.cli.args import read_text
from infohus_desktop.cli.io import t
from infohus_desktop.domain.cases import Guardian, Person
from infohus_desktop.domain.errors import InvalidInput

#: Argument destinations whose value is personal data or free text about a person.
VISIBLE_PERSONAL = (
    "name",
    "cpr",
    "address",
    "person_municipality",
    "phone",
    "email",
    "school",
    "school_or_work",
    "guardian",
    "reporter_contact",
    "text",
    "answer",
    "reason",
    "description",
    "title",
)

#: Commands whose --name names an organisation, a group or a recipient, not a person.
_NOT_ABOUT_PERSONS = frozenset({"municipality", "group", "recipient", "keys"})

#: The keys a ``--person-file`` may hold, as ``Person`` names them.
PERSON_KEYS = (
    "name",
    "cpr",
    "address",
    "municipality",
    "phone",
    "email",
    "school_or_work",
    "guardians",
)


def warn_visible_arguments(args: argparse.Namespace, stderr_is_terminal: bool) -> None:
    """Once per command, at a terminal: which personal values were given as arguments.
    The names of organisations, groups and recipients are no one's personal data."""
    if not stderr_is_terminal or getattr(args, "command", None) in _NOT_ABOUT_PERSONS:
        return
    given = [
        "--" + name.replace("_", "-")
        for name in VISIBLE_PERSONAL
        if getattr(args, name, None) not in (None, "", [], False)
    ]
    if given:
        # `insight` takes the CPR number from --cpr-file; the other commands a person file.
        instead = "--cpr-file FILE" if args.command == "insight" else "--person-file FILE"
        print(
            t(
                f"infohus: advarsel: {', '.join(given)} kunne ses af andre brugere på maskinen og "
                f"står i shell-historikken. Brug {instead} eller tekstfiler (- er "
                "standardinput) til rigtige personoplysninger.",
                f"infohus: warning: {', '.join(given)} could be seen by other users of this "
                f"machine and is in the shell history. Use {instead} or text files (- "
                "is standard input) for real personal data.",
            ),
            file=sys.stderr,
        )


def person_from_file(args: argparse.Namespace) -> dict[str, Any] | None:
    """The person fields of ``--person-file`` (a JSON object), or None without one."""
    if not getattr(args, "person_file", None):
        return None
    raw = read_text(args, "person_file")
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not set(data) <= set(PERSON_KEYS):
        raise InvalidInput(
            "Personfilen skal være et JSON-objekt med felterne "
            f"{', '.join(PERSON_KEYS)} (alle valgfri undtagen name ved oprettelse).",
            "The person file must be a JSON object with the fields "
            f"{', '.join(PERSON_KEYS)} (all optional, but name when opening a case).",
        )
    for key, value in data.items():
        if key == "guardians":
            if not isinstance(value, list) or not all(isinstance(g, dict) for g in value):
                raise InvalidInput(
                    "guardians skal være en liste af {name, relation, contact}.",
                    "guardians must be a list of {name, relation, contact}.",
                )
        elif value is not None and not isinstance(value, str):
            raise InvalidInput(f"Feltet {key} skal være tekst.", f"The field {key} must be text.")
    return data


def guardians_of(data: dict[str, Any]) -> tuple[Guardian, ...]:
    return tuple(
        Guardian(
            str(g.get("name", "")).strip(),
            str(g.get("relation", "")).strip(),
            str(g.get("contact", "")).strip(),
        )
        for g in data.get("guardians", [])
    )


def guardians_from_arguments(specs: list[str]) -> tuple[Guardian, ...]:
    out = []
    for spec in specs:
        name, _, rest = spec.partition(";")
        relation, _, contact = rest.partition(";")
        out.append(Guardian(name.strip(), relation.strip(), contact.strip()))
    return tuple(out)


def new_person(args: argparse.Namespace) -> Person:
    """The person of `case add`: from ``--person-file``, else the arguments, else a prompt."""
    data = person_from_file(args)
    if data is not None:
        if not str(data.get("name") or "").strip():
            raise InvalidInput("Personfilen mangler name.", "The person file has no name.")
        return Person(
            name=str(data["name"]),
            cpr=data.get("cpr") or None,
            address=data.get("address") or "",
            municipality=data.get("municipality") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            school_or_work=data.get("school_or_work") or "",
            guardians=guardians_of(data),
        )
    name = args.name
    cpr = args.cpr
    if not name:
        name, cpr = _prompt_person()
    return Person(
        name=name,
        cpr=cpr or None,
        address=args.address or "",
        municipality=args.person_municipality or "",
        phone=args.phone or "",
        email=args.email or "",
        school_or_work=args.school or "",
        guardians=guardians_from_arguments(args.guardian),
    )


def _prompt_person() -> tuple[str, str]:
    if not sys.stdin.isatty():
        raise InvalidInput(
            "Angiv personen med --person-file FILE (JSON; - er standardinput) eller --name.",
            "Give the person with --person-file FILE (JSON; - is standard input) or --name.",
        )
    name = input(t("Personens navn: ", "The person's name: ")).strip()
    cpr = input(t("CPR-nummer (tomt hvis ukendt): ", "CPR number (empty if unknown): ")).strip()
    return name, cpr
