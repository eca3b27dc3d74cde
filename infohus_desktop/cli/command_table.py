"""The ``infohus`` commands by name: their one-line help and the builder that makes them.

``infohus case list`` needs the case commands' parser and nothing of the meetings, the PDFs
or the demo data; building every command's parser imported every command module and, through
them, every service (0.8 s before any work, issue 17). So the top level is this table:
``build_parser`` builds whole only the command asked for (and the commands its module builds
with it, the *group*), and names every other with the help text here. The texts must be
those the builders give; tests/unit/test_cli_lazy_parser.py compares every help in both
languages with the whole parser's, so a command added or reworded in a builder and not here
fails there. This module imports nothing.
"""

from __future__ import annotations

#: name -> (Danish help, English help, builder group), in the order ``infohus --help`` lists.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "opret en boks for en politikreds",
        "create a vault for a police district",
        "accounts",
    ),
    "selftest": (
        "kør den kryptografiske selvtest",
        "run the cryptographic self-test",
        "accounts",
    ),
    "gui": (
        "start skrivebordsprogrammet (med tilvalgene fra infohus-desktop)",
        "start the desktop app (the options of infohus-desktop)",
        "accounts",
    ),
    "vault": (
        "oplysninger om boksen og tillid til den",
        "vault information and trust",
        "accounts",
    ),
    "municipality": (
        "kommunerne og deres Infohus Kommune",
        "the municipalities and their Infohus Kommune",
        "accounts",
    ),
    "member": ("medlemmer", "members", "accounts"),
    "group": ("adgangskredse", "access groups", "accounts"),
    "case": ("bekymringssager", "concern cases", "cases"),
    "retention": (
        "opbevaringsregler, sager til sletning, slettede sager",
        "retention rules, due cases, deletions",
        "cases",
    ),
    "backup": (
        "krypterede sikkerhedskopier: lav, kontrollér, genskab, øv",
        "encrypted backups: make, verify, restore, drill",
        "backup",
    ),
    "server": (
        "sæt en fælles PostgreSQL-server op og opdatér den (serveradministratoren)",
        "set up and update a shared PostgreSQL server (the server administrator)",
        "backup",
    ),
    "insight": (
        "en persons indsigtsrapport som PDF (koordinator)",
        "a person's insight report as PDF (coordinator)",
        "insight",
    ),
    "meeting": (
        "møder: dagsorden, referat, opgaver",
        "meetings: agenda, minutes, action items",
        "meeting",
    ),
    "trend": ("tendensnotater", "trend notes", "trend"),
    "stats": (
        "statistik for en periode i hele måneder (kun antal; < 5 for 1-4)",
        "statistics for a period in whole months (counts only; < 5 for 1-4)",
        "stats",
    ),
    "referral": (
        "henvisninger til exitprogrammer",
        "referrals to exit programmes",
        "referrals",
    ),
    "bundle": (
        "importér eller undersøg en krypteret pakke",
        "import or inspect an encrypted bundle",
        "referrals",
    ),
    "keys": ("boksens pakkenøgler", "the vault's bundle keys", "referrals"),
    "recipient": (
        "organisationer, hvis pakkenøgler er betroet",
        "organisations whose bundle keys are pinned",
        "referrals",
    ),
    "demo": (
        "opret en boks med syntetiske demodata",
        "create a vault of synthetic demo data",
        "demo",
    ),
    "audit": ("revisionsloggen", "the audit log", "audit"),
}


def group_of(command: str) -> str:
    """The builder group that makes ``command`` (see ``cli.build_parser``)."""
    return COMMANDS[command][2]
