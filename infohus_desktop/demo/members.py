"""The demo's organisation: the police district, its three Infohus Kommune, the members and
the access groups.

The members' passphrases are fixed and printed on purpose (welcome screen, ``infohus demo``):
the demo is for trying every role at once, and holds nothing but synthetic data. Every member
except the first coordinator is enrolled with a random first passphrase and then makes the
first-unlock change to the passphrase shown, as a real member would.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from infohus_desktop.crypto import kdf
from infohus_desktop.demo.context import DemoContext
from infohus_desktop.domain.organisations import OrgKind, Role

DISTRICT = "Østjylland"
POLICE = "Østjyllands Politi"
KRIMINALFORSORGEN = "Kriminalforsorgen"
PSYCHIATRY = "Region Midtjylland, Psykiatrien"
#: The custom access groups of the demo.
SHARED_GROUP = "Aarhus Kommune, politiet og Kriminalforsorgen"
POLICE_GROUP = "Kun politiet"


@dataclass(frozen=True, slots=True)
class DemoMember:
    """A demo member and the passphrase they have after the first-unlock change."""

    login: str
    name: str
    role: Role
    organisation: str
    passphrase: str


#: The demo's members with their final passphrases, as the welcome screen shows them.
DEMO_MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("lars", "Lars Holm", Role.COORDINATOR, POLICE, "demo rugbrød cykel fjord 1"),
    DemoMember("pia", "Pia Krogh", Role.MEMBER, POLICE, "demo havregryn bølge mark 2"),
    DemoMember(
        "mette", "Mette Fjord", Role.COORDINATOR, "Aarhus Kommune", "demo kanelsnegl å regn 3"
    ),
    DemoMember("jonas", "Jonas Bech", Role.MEMBER, "Aarhus Kommune", "demo leverpostej skov 4"),
    DemoMember(
        "sanne",
        "Sanne Vestergaard",
        Role.COORDINATOR,
        "Randers Kommune",
        "demo æbleskive gudenå sne 5",
    ),
    DemoMember("kasper", "Kasper Møller", Role.MEMBER, "Randers Kommune", "demo frikadelle eng 6"),
    DemoMember(
        "birgitte",
        "Birgitte Lund",
        Role.COORDINATOR,
        "Silkeborg Kommune",
        "demo kringle himmelbjerg sø 7",
    ),
    DemoMember(
        "emil", "Emil Thomsen", Role.MEMBER, "Silkeborg Kommune", "demo smørrebrød lyng bakke 8"
    ),
    DemoMember("gitte", "Gitte Skov", Role.GUEST, KRIMINALFORSORGEN, "demo rødgrød fyrtårn klit 9"),
    DemoMember("dorthe", "Dorthe Winther", Role.DPO, POLICE, "demo brunkage mølle strand 10"),
)
#: Who does what in the cases: the police's coordinator and member, and the guest.
POLICE_COORDINATOR, POLICE_MEMBER, GUEST = "lars", "pia", "gitte"
#: Login → passphrase, for the welcome screen and scripts.
DEMO_PASSPHRASES: dict[str, str] = {m.login: m.passphrase for m in DEMO_MEMBERS}
#: What each member does, for the assessors' line of an assessment.
JOB_TITLES = {
    "lars": "politiets koordinator",
    "pia": "forebyggelsesbetjent",
    "mette": "SSP-koordinator",
    "jonas": "SSP-konsulent",
    "sanne": "SSP-koordinator",
    "kasper": "SSP-konsulent",
    "birgitte": "SSP-koordinator",
    "emil": "SSP-konsulent",
}


# -- the municipalities ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Municipality:
    """An Infohus Kommune of the demo: its areas, its two members, and its share of cases."""

    name: str
    prefix: str
    town: str
    areas: tuple[tuple[str, str], ...]  # (postcode, town)
    coordinator: str
    member: str
    weight: int


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(
        "Aarhus Kommune",
        "AAR",
        "Aarhus",
        (
            ("8000", "Aarhus C"),
            ("8200", "Aarhus N"),
            ("8210", "Aarhus V"),
            ("8220", "Brabrand"),
            ("8230", "Åbyhøj"),
            ("8240", "Risskov"),
            ("8260", "Viby J"),
            ("8270", "Højbjerg"),
            ("8310", "Tranbjerg J"),
            ("8381", "Tilst"),
        ),
        "mette",
        "jonas",
        5,
    ),
    Municipality(
        "Randers Kommune",
        "RAN",
        "Randers",
        (
            ("8900", "Randers C"),
            ("8920", "Randers NV"),
            ("8930", "Randers NØ"),
            ("8940", "Randers SV"),
            ("8960", "Randers SØ"),
            ("8970", "Havndal"),
        ),
        "sanne",
        "kasper",
        3,
    ),
    Municipality(
        "Silkeborg Kommune",
        "SIL",
        "Silkeborg",
        (
            ("8600", "Silkeborg"),
            ("8620", "Kjellerup"),
            ("8632", "Lemming"),
            ("8653", "Them"),
            ("8680", "Ry"),
        ),
        "birgitte",
        "emil",
        2,
    ),
)


def member(login: str) -> DemoMember:
    """The demo member with ``login`` (the list is fixed, so it is always there)."""
    return next(m for m in DEMO_MEMBERS if m.login == login)


def make_organisation(ctx: DemoContext) -> None:
    """Add the municipalities, members and custom groups as the first coordinator would, and
    have each member make the first-unlock passphrase change, so every login works at once.

    Each first passphrase is derived once (``kdf.DerivedKey.fresh``) and that key serves its
    enrolment, its unlock and the change's proof of it: three production-strength Argon2id
    derivations of the same input were half of a demo's build time."""
    lars = ctx.sessions[DEMO_MEMBERS[0].login]
    for muni in MUNICIPALITIES:
        lars.groups.add_municipality(muni.name, muni.prefix)
    first: dict[str, tuple[str, kdf.DerivedKey]] = {}
    for member in DEMO_MEMBERS[1:]:
        passphrase = f"første adgangsfrase {secrets.token_hex(8)}"
        first[member.login] = passphrase, kdf.DerivedKey.fresh(passphrase, kdf.calibrate())
        kind = OrgKind.KRIMINALFORSORGEN if member.organisation == KRIMINALFORSORGEN else None
        lars.accounts.add(
            member.login,
            member.name,
            member.organisation,
            member.role,
            passphrase,
            kind,
            derived=first[member.login][1],
        )
    lars.groups.add(SHARED_GROUP, [GUEST], ["Aarhus Kommune", POLICE])
    lars.groups.add(POLICE_GROUP, [], [POLICE])
    for member in DEMO_MEMBERS[1:]:
        passphrase, key = first[member.login]
        session = ctx.vault.unlock(member.login, passphrase, derived=key)
        session.accounts.change_passphrase(passphrase, member.passphrase, derived_current=key)
        ctx.sessions[member.login] = session
    ctx.indicators = lars.case_settings.indicators()
