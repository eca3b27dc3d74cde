"""The demo vault: a police district of realistic, synthetic data to try Infohus Desktop with.

:func:`create_demo_vault` makes a new vault for the district *Østjylland* (police: Østjyllands
Politi) with three Infohus Kommune (Aarhus ``AAR``, Randers ``RAN``, Silkeborg ``SIL``), the
members in :data:`DEMO_MEMBERS`, two custom access groups, and concern cases received over the
12 months before ``today``: every status, reached through the real workflow with reasons
(closed with every closing reason, a few reopened), every screening outcome, every source
(anonymous hotline reports too), every category, minors with guardians, assessments with
history, information from authorities, measures with their owning authority, journals with a
correction, disclosures, follow-up dates (some due), small text attachments, and a few
persons known in two cases so the duplicate check has something to show.

Everything goes through the services, as a member at the keyboard would do it: the audit log,
the key epochs and the case numbers are real. Only the KDF cost is the normal, calibrated one;
tests lower it with their ``cheap_kdf`` fixture (``kdf._set_floor_for_tests``), never this code.

Members and passphrases
    :data:`DEMO_MEMBERS` is the fixed list, passphrases included, that the welcome screen and
    ``infohus demo`` show. Each passphrase is at least 15 characters of Danish words and passes
    the passphrase policy. Every member except the first coordinator (who creates the vault and
    has no first passphrase) is enrolled with a random first passphrase and has then made the
    first-unlock change to the passphrase shown, so the demo is usable at once.

Synthetic persons
    Names and street names come from Faker's ``da_DK`` locale, seeded with ``seed``: the same
    seed (and Faker version) gives the same vault content. Postcodes and towns are those of the
    case's municipality. Nothing is about a real person.

    *CPR numbers* are valid in form (``DDMMYY-SSSS`` with a real birth date, accepted by
    :func:`~infohus_desktop.domain.cpr.parse_cpr`) and made recognisably fictitious by one rule
    (:func:`is_demo_cpr`):

    1. the sequence number is ``99xx``: the top hundred of the range, which the CPR office hands
       out last for a birth date, if ever (MedCom's national list of test CPR numbers uses very
       high sequence numbers for the same reason). A seventh digit 9 means 1937-1999 for years
       37-99 and 2000-2036 for years 00-36, which covers every age in the demo; the last digit
       is odd for men and even for women, as in real numbers;
    2. the number deliberately fails the modulus-11 check, so it cannot be any number issued
       before 2007, when every issued number passed it.

    No rule that stays valid in form can prove a number was never issued; this one makes a
    clash unlikely and a demo number recognisable at a glance (``…-99xx``, not modulus 11).

    *Phone numbers* are eight digits beginning with ``10``: in the Danish numbering plan a
    leading 1 belongs to short service numbers (112, 114, …), never to a subscriber. *E-mail
    addresses* are at ``example.org`` (reserved by RFC 2606). Schools, clubs and workplaces are
    generic ("folkeskole i Aarhus V"), never a named institution.

Dates
    The dates a user types (received, screening and assessment dates, information asked,
    measure start and end, disclosures, follow-up) are spread over the 12 months. The
    timestamps the services set themselves (status changes, journal entries, the audit log) are
    the time the demo was made: the services take no clock, and this module does not write rows
    behind their back.

Coverage and speed
    From 16 cases up (one per kind of case life in :data:`KINDS`) every status, screening
    outcome, closing reason, source and category occurs; the default is 60. The ten members
    cost 36 Argon2id derivations at the calibrated cost (25-40 s); each case then costs
    25-100 ms, mostly the commits of its dozen service calls, each with its audit entry.
    Above :data:`FAST_INTAKE_ABOVE` cases the intake's duplicate check goes through
    :class:`_IntakeCases`, which reads the same summaries without the quadratic cost.
    Measured on a 2-core VM with SQLite: 60 cases 35 s, 500 46 s, 2,000 88 s, 10,000 4.5 min
    (3-5 times that while other processes compete for the disk); PostgreSQL, 500 cases 43 s.

Nothing here logs: persons, even synthetic ones, never reach a log or a progress message.
Later issues (meetings, trend notes, referrals) add their own steps after the cases.
"""

from __future__ import annotations

import contextlib
import io
import random
import secrets
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from faker import Faker
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from infohus_desktop.domain.assessment import (
    FOCUS_AREAS,
    AssessmentInput,
    ConcernLevel,
    Indicator,
    IndicatorAnswer,
    IndicatorState,
    Part,
)
from infohus_desktop.domain.cases import (
    DEFAULT_CATEGORIES,
    CaseSummary,
    Guardian,
    Intake,
    JournalKind,
    LegalBasis,
    MeasureStatus,
    MeasureType,
    Person,
    RetentionClass,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.cpr import age_on, parse_cpr
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.case_access import CaseHandle, readable_group_ids
from infohus_desktop.services.case_records import MeasureInput
from infohus_desktop.services.cases import CaseEdit, CaseService, NewCase
from infohus_desktop.services.session import MemberSession
from infohus_desktop.services.vault import NewVault, VaultService
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine, database_error, describe_location

Progress = Callable[[int, int], None]
T = TypeVar("T")

DISTRICT = "Østjylland"
POLICE = "Østjyllands Politi"
KRIMINALFORSORGEN = "Kriminalforsorgen"
PSYCHIATRY = "Region Midtjylland, Psykiatrien"
#: The custom access groups of the demo.
SHARED_GROUP = "Aarhus Kommune, politiet og Kriminalforsorgen"
POLICE_GROUP = "Kun politiet"
#: The largest demo accepted; beyond it the build takes hours.
MAX_CASES = 100_000
#: Above this many cases, intake uses :class:`_IntakeCases` (same result, linear cost).
FAST_INTAKE_ABOVE = 300


@dataclass(frozen=True, slots=True)
class DemoMember:
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
_POLICE_COORDINATOR, _POLICE_MEMBER, _GUEST = "lars", "pia", "gitte"
#: Login → passphrase, for the welcome screen and scripts.
DEMO_PASSPHRASES: dict[str, str] = {m.login: m.passphrase for m in DEMO_MEMBERS}
#: What each member does, for the assessors' line of an assessment.
_TITLES = {
    "lars": "politiets koordinator",
    "pia": "forebyggelsesbetjent",
    "mette": "SSP-koordinator",
    "jonas": "SSP-konsulent",
    "sanne": "SSP-koordinator",
    "kasper": "SSP-konsulent",
    "birgitte": "SSP-koordinator",
    "emil": "SSP-konsulent",
}


@dataclass(frozen=True, slots=True)
class DemoVault:
    """What :func:`create_demo_vault` made: where, and who can unlock it with what."""

    location: str  # a file path, or host/database without password
    vault_id: uuid.UUID
    infohus: str
    root_fingerprint: str
    cases: int
    members: list[DemoMember]


# -- the municipalities ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Municipality:
    name: str
    prefix: str
    town: str
    areas: tuple[tuple[str, str], ...]  # (postcode, town)
    coordinator: str
    member: str
    weight: int


MUNICIPALITIES: tuple[_Municipality, ...] = (
    _Municipality(
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
    _Municipality(
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
    _Municipality(
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


# -- CPR numbers, phones ---------------------------------------------------------------------

#: The sequence numbers of demo CPR numbers start with these two digits.
DEMO_CPR_SERIAL_PREFIX = "99"
_MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def _passes_modulus_11(digits: str) -> bool:
    return sum(w * int(d) for w, d in zip(_MOD11_WEIGHTS, digits, strict=True)) % 11 == 0


def is_demo_cpr(number: str) -> bool:
    """Does ``number`` (ten digits, dash allowed) follow the demo's fictitious-CPR rule?"""
    digits = number.replace("-", "").strip()
    if len(digits) != 10 or not digits.isdigit():
        return False
    try:
        parse_cpr(digits)
    except InvalidInput:
        return False
    return digits[6:8] == DEMO_CPR_SERIAL_PREFIX and not _passes_modulus_11(digits)


def demo_cpr(birth: date, male: bool, rng: random.Random, used: set[str]) -> str:
    """A fictitious CPR number for ``birth`` (1937-2036) and sex, not in ``used``."""
    if not 1937 <= birth.year <= 2036:
        raise ValueError("demo CPR numbers cover birth years 1937-2036")
    stem = f"{birth:%d%m}{birth.year % 100:02d}{DEMO_CPR_SERIAL_PREFIX}"
    tails = list(range(1 if male else 0, 100, 2))
    rng.shuffle(tails)
    for tail in tails:
        number = f"{stem}{tail:02d}"
        if number not in used and not _passes_modulus_11(number):
            used.add(number)
            return number
    raise ValueError("no demo CPR number left for this birth date")


def _phone(rng: random.Random) -> str:
    digits = f"10{rng.randrange(1_000_000):06d}"
    return " ".join(digits[i : i + 2] for i in range(0, 8, 2))


def _email(first: str, last: str) -> str:
    ascii_name = f"{first}.{last}".casefold()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        ascii_name = ascii_name.replace(letter, spelled)
    ascii_name = "".join(ch for ch in ascii_name if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{ascii_name}@example.org"


# -- the context of one build ----------------------------------------------------------------


@dataclass
class DemoContext:
    """What a build step needs: the vault, each member's session, the seeded generators.
    Later issues (meetings, trend notes, referrals) write their steps against this."""

    vault: VaultService
    sessions: dict[str, MemberSession]
    rng: random.Random
    fake: Faker
    today: date
    indicators: tuple[Indicator, ...] = ()
    used_cpr: set[str] = field(default_factory=set)
    #: How many of each thing were made ("case", "case.moved", "journal.correction", ...).
    made: Counter[str] = field(default_factory=Counter)
    #: Intake through :class:`_IntakeCases` (large demos).
    fast_intake: bool = False

    def days_before(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def cap(self, day: date) -> date:
        return min(day, self.today)


# -- the entry point -------------------------------------------------------------------------


def create_demo_vault(
    url: str,
    cases: int = 60,
    seed: int = 2026,
    local: LocalState | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> DemoVault:
    """Make a new demo vault at ``url``; refuse (:class:`InvalidInput`) if one exists there.

    ``progress(done, total)`` is called after each case. A build that fails or is
    interrupted leaves nothing behind: the new SQLite file, or the new tables, are removed.
    """
    if not 0 <= cases <= MAX_CASES:
        raise InvalidInput(
            f"Antallet af sager skal være mellem 0 og {MAX_CASES}.",
            f"The number of cases must be between 0 and {MAX_CASES}.",
        )
    today = today or date.today()
    if today > date.today():
        raise InvalidInput(
            "Demoens dato kan ikke ligge i fremtiden.", "The demo's date cannot lie in the future."
        )
    refuse_existing(url)
    local = local or LocalState()
    root = DEMO_MEMBERS[0]
    session = VaultService.create(
        url,
        NewVault(DISTRICT, root.login, root.name, POLICE, OrgKind.POLICE, root.passphrase, POLICE),
        local,
    )
    vault = session.vault
    # Seeded on purpose: the same seed gives the same synthetic data. Nothing secret.
    rng = random.Random(seed)  # noqa: S311
    ctx = DemoContext(vault, {root.login: session}, rng, _faker(seed), today)
    try:
        _make_organisation(ctx)
        _make_cases(ctx, cases, progress)
        result = DemoVault(
            vault.location,
            vault.vault_id,
            vault.infohus_name,
            vault.root_fingerprint(),
            cases,
            list(DEMO_MEMBERS),
        )
        for member_session in ctx.sessions.values():
            member_session.lock()
    except BaseException:
        _discard(ctx, url, local)
        raise
    finally:
        vault.close()
    return result


def _faker(seed: int) -> Faker:
    fake = Faker("da_DK")
    fake.seed_instance(seed)
    return fake


def refuse_existing(url: str) -> None:
    """Raise :class:`InvalidInput` if a vault, or anything, already exists at ``url``."""
    location = describe_location(url)
    if make_url(url).get_backend_name() == "sqlite":
        exists = Path(location).exists()
    else:
        engine = create_vault_engine(url)
        try:
            exists = bool(inspect(engine).get_table_names())
        except OperationalError as exc:
            raise database_error(exc) from exc
        finally:
            engine.dispose()
    if exists:
        raise InvalidInput(
            f"Der findes allerede en boks på {location}; demoboksen laves kun et nyt sted. "
            "Intet er ændret.",
            f"A vault already exists at {location}; the demo vault is only made in a new "
            "place. Nothing was changed.",
        )


def _discard(ctx: DemoContext, url: str, local: LocalState) -> None:
    """Remove a half-made demo: its database (or file) and its checkpoint file."""
    vault = ctx.vault
    for member_session in ctx.sessions.values():
        with contextlib.suppress(Exception):
            member_session.case_cache.clear()
            member_session.keyring.forget()
    with contextlib.suppress(Exception):
        local.checkpoint_file(vault.vault_id).unlink(missing_ok=True)
    vault.close()
    if make_url(url).get_backend_name() == "sqlite":
        path = Path(vault.location)
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
    else:
        with contextlib.suppress(Exception):
            vault._discard_new_schema()
        vault.close()


# -- members and groups ----------------------------------------------------------------------


def _make_organisation(ctx: DemoContext) -> None:
    lars = ctx.sessions[DEMO_MEMBERS[0].login]
    for muni in MUNICIPALITIES:
        lars.groups.add_municipality(muni.name, muni.prefix)
    first: dict[str, str] = {}
    for member in DEMO_MEMBERS[1:]:
        first[member.login] = f"første adgangsfrase {secrets.token_hex(8)}"
        kind = OrgKind.KRIMINALFORSORGEN if member.organisation == KRIMINALFORSORGEN else None
        lars.accounts.add(
            member.login, member.name, member.organisation, member.role, first[member.login], kind
        )
    lars.groups.add(SHARED_GROUP, [_GUEST], ["Aarhus Kommune", POLICE])
    lars.groups.add(POLICE_GROUP, [], [POLICE])
    for member in DEMO_MEMBERS[1:]:
        session = ctx.vault.unlock(member.login, first[member.login])
        session.accounts.change_passphrase(first[member.login], member.passphrase)
        ctx.sessions[member.login] = session
    ctx.indicators = lars.case_settings.indicators()


# -- planning the cases ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Kind:
    """How a case's life goes: the final status, how old it must be, how common it is."""

    name: str
    min_days: int
    max_days: int
    weight: int


KINDS: tuple[_Kind, ...] = (
    _Kind("received", 0, 21, 10),
    _Kind("screening", 0, 45, 5),
    _Kind("more_info", 3, 120, 5),
    _Kind("infohus", 10, 364, 8),
    _Kind("measures", 30, 364, 10),
    _Kind("follow_up", 90, 364, 7),
    _Kind("referred", 60, 364, 3),
    _Kind("transferred", 45, 364, 2),
    _Kind("closed_unfounded", 5, 364, 12),
    _Kind("closed_police", 5, 364, 5),
    _Kind("closed_other_authority", 5, 364, 6),
    _Kind("closed_done", 150, 364, 10),
    _Kind("closed_moved", 45, 364, 3),
    _Kind("closed_other", 0, 364, 2),
    _Kind("reopened", 90, 364, 2),
    _Kind("reopened_infohus", 200, 364, 1),
)
_KIND = {k.name: k for k in KINDS}

_SOURCE_WEIGHTS: tuple[tuple[Source, int], ...] = (
    (Source.SCHOOL, 28),
    (Source.SOCIAL_SERVICES, 14),
    (Source.JOB_CENTRE, 8),
    (Source.POLICE, 16),
    (Source.FAMILY, 10),
    (Source.HOTLINE, 8),
    (Source.PSYCHIATRY, 6),
    (Source.KRIMINALFORSORGEN, 5),
    (Source.OTHER, 5),
)
_CATEGORY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("hoejreekstremisme", 35),
    ("militant_islamisme", 30),
    ("anden_uklar", 25),
    ("venstreekstremisme", 10),
)


@dataclass
class _Plan:
    received: date
    muni: _Municipality
    kind: str = ""
    source: Source = Source.SCHOOL
    category: str = "anden_uklar"
    shared: bool = False
    cpr_known: bool = True
    person: Person | None = None
    follow_up: date | None = None
    repeat_of: int | None = None


def _weighted(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _received_dates(ctx: DemoContext, n: int) -> list[date]:
    """Stratified over the 364 days before today, weekends moved to a working day."""
    out = []
    for i in range(n):
        days = min(364, int((i + ctx.rng.random()) * 365 / max(n, 1)))
        day = ctx.days_before(days)
        if day.weekday() >= 5:
            monday = day + timedelta(days=7 - day.weekday())
            day = monday if monday <= ctx.today else day - timedelta(days=day.weekday() - 4)
        out.append(day)
    return sorted(out)


def _plan_cases(ctx: DemoContext, n: int) -> list[_Plan]:
    rng = ctx.rng
    muni_weights = [(m, m.weight) for m in MUNICIPALITIES]
    plans = [_Plan(day, _weighted(rng, muni_weights)) for day in _received_dates(ctx, n)]
    for muni, plan in zip(
        MUNICIPALITIES, rng.sample(plans, min(n, len(MUNICIPALITIES))), strict=False
    ):
        plan.muni = muni
    ages = [(ctx.today - p.received).days for p in plans]
    # Every kind once (the rarest statuses and outcomes first), then the rest by weight.
    free = list(range(n))
    rng.shuffle(free)
    for kind in KINDS:
        if not free:
            break
        fits = [i for i in free if kind.min_days <= ages[i] <= kind.max_days]
        pick = fits[0] if fits else min(free, key=lambda i: _distance(kind, ages[i]))
        plans[pick].kind = kind.name
        free.remove(pick)
    for i in free:
        fitting = [(k.name, k.weight) for k in KINDS if k.min_days <= ages[i] <= k.max_days]
        plans[i].kind = _weighted(rng, fitting)
    for plan in plans:
        plan.source = _weighted(rng, _SOURCE_WEIGHTS)
        plan.category = _weighted(rng, _CATEGORY_WEIGHTS)
    _cover(rng, plans, "source", list(Source))
    _cover(rng, plans, "category", list(DEFAULT_CATEGORIES))
    for plan in plans:
        plan.shared = plan.muni.name == "Aarhus Kommune" and (
            plan.source == Source.KRIMINALFORSORGEN or rng.random() < 0.08
        )
        plan.cpr_known = rng.random() < 0.85 or plan.source == Source.POLICE
        plan.follow_up = _follow_up(ctx, plan)
    aarhus = [p for p in plans if p.muni.name == "Aarhus Kommune"]
    if aarhus and not any(p.shared for p in aarhus) and n >= 10:
        rng.choice(aarhus).shared = True
    if plans and not any(p.follow_up and p.follow_up < ctx.today for p in plans):
        old = [p for p in plans if p.follow_up and p.received < ctx.days_before(20)]
        if old:
            rng.choice(old).follow_up = ctx.days_before(rng.randint(1, 20))
    for plan in plans:
        plan.person = _new_person(ctx, plan)
    _repeat_persons(ctx, plans)
    for plan in plans:
        plan.shared = plan.shared and plan.muni.name == "Aarhus Kommune"
    return plans


def _distance(kind: _Kind, age: int) -> int:
    return max(kind.min_days - age, age - kind.max_days, 0)


def _cover(rng: random.Random, plans: list[_Plan], attr: str, values: Sequence[object]) -> None:
    """Make sure every value occurs: give missing ones to cases whose value occurs twice."""
    for value in values:
        counts: dict[object, int] = {}
        for plan in plans:
            counts[getattr(plan, attr)] = counts.get(getattr(plan, attr), 0) + 1
        if counts.get(value):
            continue
        spare = [p for p in plans if counts[getattr(p, attr)] > 1]
        if spare:
            setattr(rng.choice(spare), attr, value)


def _follow_up(ctx: DemoContext, plan: _Plan) -> date | None:
    if plan.kind not in ("more_info", "infohus", "measures", "follow_up", "referred", "reopened"):
        return None
    if ctx.rng.random() < 0.25:
        return ctx.cap(max(plan.received, ctx.days_before(ctx.rng.randint(1, 30))))
    return ctx.today + timedelta(days=ctx.rng.randint(7, 90))


# -- persons ---------------------------------------------------------------------------------


def _age_years(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.35:
        return rng.randint(12, 17)
    if band < 0.75:
        return rng.randint(18, 25)
    return rng.randint(26, 64)


def _new_person(ctx: DemoContext, plan: _Plan) -> Person:
    rng, fake = ctx.rng, ctx.fake
    age = _age_years(rng)
    birth = plan.received - timedelta(days=age * 365 + age // 4 + rng.randint(1, 360))
    male = rng.random() < 0.72  # most concerns are about young men
    first = fake.first_name_male() if male else fake.first_name_female()
    last = fake.last_name()
    name = f"{first} {fake.last_name()} {last}" if rng.random() < 0.3 else f"{first} {last}"
    cpr = demo_cpr(birth, male, rng, ctx.used_cpr)
    info = parse_cpr(cpr)
    minor = age_on(info.birth_date, plan.received) < 18
    return Person(
        name=name,
        cpr=cpr,
        birth_date=info.birth_date,
        sex=info.sex,
        address=_address(ctx, plan.muni),
        municipality=plan.muni.name,
        phone=_phone(rng) if rng.random() < 0.8 else "",
        email=_email(first, last) if not minor and rng.random() < 0.5 else "",
        school_or_work=_school_or_work(rng, plan.muni, age),
        guardians=_guardians(ctx, last) if minor else (),
    )


def _address(ctx: DemoContext, muni: _Municipality) -> str:
    postcode, town = ctx.rng.choice(muni.areas)
    number = f"{ctx.rng.randint(1, 140)}"
    if ctx.rng.random() < 0.35:
        number += f", {ctx.rng.randint(1, 5)}. {ctx.rng.choice(['th', 'tv', 'mf'])}"
    return f"{ctx.fake.street_name()} {number}, {postcode} {town}"


def _school_or_work(rng: random.Random, muni: _Municipality, age: int) -> str:
    area = rng.choice(muni.areas)[1]
    if age <= 15:
        return f"{age - 6}. klasse, folkeskole i {area}"
    if age <= 17:
        return rng.choice(
            [
                f"Gymnasium i {muni.town}",
                f"Erhvervsskole i {muni.town}",
                f"10. klasse, ungdomsskole i {area}",
                "Uden for uddannelse",
            ]
        )
    if age <= 25:
        return rng.choice(
            [
                f"Erhvervsuddannelse i {muni.town} (tømrer)",
                f"HF i {muni.town}",
                "Ufaglært lagerarbejder",
                f"Ledig, tilmeldt Jobcenter {muni.town}",
                "Studerende, videregående uddannelse",
                "Kok i en restaurant",
            ]
        )
    return rng.choice(
        [
            "Chauffør",
            "Lagerarbejder",
            "Sygemeldt",
            f"Ledig, tilmeldt Jobcenter {muni.town}",
            "Selvstændig håndværker",
            "Pædagogmedhjælper",
            "Førtidspensionist",
        ]
    )


def _guardians(ctx: DemoContext, last: str) -> tuple[Guardian, ...]:
    rng, fake = ctx.rng, ctx.fake
    mother = Guardian(
        f"{fake.first_name_female()} {last}", "mor", _phone(rng), informed=rng.random() < 0.8
    )
    if rng.random() < 0.35:
        return (mother,)
    father = Guardian(
        f"{fake.first_name_male()} {fake.last_name()}", "far", _phone(rng), rng.random() < 0.6
    )
    return (mother, father) if rng.random() < 0.5 else (father, mother)


def _repeat_persons(ctx: DemoContext, plans: list[_Plan]) -> None:
    """A few persons come back in a later case (one after moving to another municipality)."""
    n = len(plans)
    if n < 6:
        return
    pairs = max(2, n // 25)
    earlier = list(range(n // 2))
    later = list(range(n // 2, n))
    ctx.rng.shuffle(earlier)
    ctx.rng.shuffle(later)
    for k, (i, j) in enumerate(zip(earlier[:pairs], later[:pairs], strict=False)):
        first, second = plans[i], plans[j]
        if k == 0:
            others = [m for m in MUNICIPALITIES if m != first.muni]
            second.muni = ctx.rng.choice(others)
            second.shared = False
        else:
            second.muni = first.muni
        assert first.person is not None
        first.cpr_known = second.cpr_known = True
        second.person = replace(
            first.person,
            address=_address(ctx, second.muni) if k == 0 else first.person.address,
            municipality=second.muni.name,
        )
        second.repeat_of = i


# -- texts -----------------------------------------------------------------------------------

_OBSERVED: dict[str, tuple[str, ...]] = {
    "hoejreekstremisme": (
        "Har i timerne flere gange fremført nedsættende udsagn om muslimer og tegnet "
        "hagekors i sine hæfter.",
        "Deler memes med nazistisk symbolik i en klassechat og henviser til et lukket forum.",
        "Er set med et nyt tatoveret symbol, der forbindes med et højreekstremt miljø, og "
        "taler om en kommende 'racekrig'.",
        "Bruger mange timer i onlinegrupper med højreekstreme budskaber og er blevet indesluttet.",
        "Har på et møde udtalt, at 'de fremmede skal smides ud med magt', og viste billeder "
        "af våben på sin telefon.",
    ),
    "venstreekstremisme": (
        "Har deltaget i demonstrationer, hvor der blev kastet sten mod politiet, og opfordrer "
        "på sociale medier til 'direkte aktion'.",
        "Har sammen med andre delt adresser online på personer, gruppen kalder 'fascister'.",
        "Omtaler hærværk og vold mod 'systemet' som legitimt og har malet trusler på en "
        "virksomheds facade.",
    ),
    "militant_islamisme": (
        "Har ændret adfærd markant det seneste halve år, har brudt med tidligere venner og "
        "udtrykker støtte til en militant gruppe.",
        "Deler videoer fra en militant gruppe og har spurgt en kammerat om rejser til et "
        "konfliktområde.",
        "Har fået en ny omgangskreds, der taler om at forsvare 'de troende' med våben.",
        "Har sagt, at demokrati er forbudt, og at 'de vantro' fortjener straf.",
    ),
    "anden_uklar": (
        "Er optaget af skoleskyderier, samler billeder af gerningsmænd og taler om at "
        "'gøre noget stort'.",
        "Blander konspirationsteorier med vrede mod myndighederne og har truet en sagsbehandler.",
        "Deltager i onlinefællesskaber med voldsforherligende indhold uden klar ideologi og har "
        "skrevet et 'manifest'.",
        "Udtrykker had mod kvinder og deler indhold, der hylder vold mod kvinder.",
    ),
}
_WHEN = (
    "Første gang for ca. to måneder siden; siden omtrent ugentligt.",
    "Én episode i sidste uge.",
    "Løbende gennem det seneste halve år.",
    "Flere gange i den seneste måned.",
)
_WHO_KNOWS = (
    "Klasselæreren og skolelederen.",
    "Forældrene er orienteret.",
    "Kun anmelderen.",
    "Sagsbehandleren og teamlederen.",
    "Et par kammerater har nævnt det for en lærer.",
)
_CRISIS = (
    "Forældrene er blevet skilt i år.",
    "Har mistet sin læreplads.",
    "Ikke kendt.",
    "Dødsfald i den nærmeste familie.",
    "Nej, ikke så vidt anmelderen ved.",
    "Er flyttet hjemmefra efter konflikter.",
)
_TITLES_BY_SOURCE = {
    Source.SCHOOL: "Bekymring fra skolen",
    Source.SOCIAL_SERVICES: "Underretning fra socialforvaltningen",
    Source.JOB_CENTRE: "Bekymring fra jobcentret",
    Source.POLICE: "Politiets egen bekymring",
    Source.FAMILY: "Henvendelse fra familien",
    Source.HOTLINE: "Anonym henvendelse via hotline",
    Source.PSYCHIATRY: "Bekymring fra psykiatrien",
    Source.KRIMINALFORSORGEN: "Bekymring ved løsladelse",
    Source.OTHER: "Bekymring fra fritidsområdet",
}
_INDICATOR_COMMENTS: dict[str, tuple[str, str]] = {
    "vold_involvering": ("Deltog i et slagsmål efter en demonstration.", "Ingen kendt vold."),
    "vaaben_adgang": ("Har vist billeder af en kniv og en softgun.", "Intet tyder på våben."),
    "trusler_chikane": ("Truende beskeder til en lærer.", "Ingen trusler kendt."),
    "rejse_konfliktzone": ("Har undersøgt rejseruter.", "Ingen rejseplaner."),
    "stoette_vold": ("Hylder angreb i chatbeskeder.", "Tager afstand fra vold."),
    "propaganda_online": ("Deler materiale i flere grupper.", "Ikke set online."),
    "aendret_adfaerd": ("Nyt tøj, nye symboler og nyt sprog.", "Uændret adfærd."),
    "ekstreme_miljoeer": ("Kontakt til kendte personer i miljøet.", "Ingen kendt kontakt."),
    "isolation": ("Har trukket sig fra holdet og familien.", "Har stadig sine venner."),
    "ny_omgangskreds": ("Ny, ældre omgangskreds.", "Samme venner som før."),
    "fjendebilleder": ("Taler om 'dem' og 'os'.", "Nuanceret i samtalen."),
    "afviser_demokrati": ("Kalder valg 'teater'.", "Vil gerne stemme."),
    "had_grupper": ("Nedsættende om bestemte grupper.", "Ingen udsagn af den art."),
    "personlig_krise": ("Skilsmisse i familien.", "Ingen kendt krise."),
    "psykisk_saarbarhed": ("Angst og søvnproblemer.", "Ingen tegn."),
    "misbrug": ("Hash flere gange om ugen.", "Intet misbrug kendt."),
    "skole_arbejde": ("Møder stabilt.", "Højt fravær."),
    "familie_netvaerk": ("Mor er en stærk støtte.", "Konflikter med familien."),
    "positive_faellesskaber": ("Spiller fodbold i en klub.", "Ingen fritidsaktiviteter."),
}
_MAIN_PROBLEMS = {
    "hoejreekstremisme": "Tiltrækning til et højreekstremt onlinemiljø og had mod minoriteter.",
    "venstreekstremisme": "Accept af vold og hærværk som politisk middel.",
    "militant_islamisme": "Ny omgangskreds med militant tankegods og isolation fra familien.",
    "anden_uklar": "Voldsfascination uden klar ideologi, vrede og mistrivsel.",
}
_RESOURCES = (
    "Støttende mor og en god relation til en lærer.",
    "Er glad for sin fodboldklub og har et fritidsjob.",
    "Vil gerne i gang med en uddannelse.",
    "Har en ældre søster, der tager ansvar.",
    "Tager imod tilbud om samtaler.",
)
_RATIONALE = {
    ConcernLevel.LOW: "Enkelte bekymringstegn, men stærke beskyttende faktorer; ingen akut fare.",
    ConcernLevel.MEDIUM: "Flere bekymringstegn og mistrivsel; kræver en koordineret indsats.",
    ConcernLevel.HIGH: "Alvorlige tegn, herunder voldsaccept; tæt opfølgning og politiets "
    "vurdering af risikoen.",
}
_MEASURES: tuple[tuple[MeasureType, str, str, bool], ...] = (
    # type, owner ({m} = municipality), description, for minors
    (
        MeasureType.CONCERN_CONVERSATION,
        "{m}, SSP",
        "Bekymringssamtale med den unge og forældrene.",
        True,
    ),
    (
        MeasureType.STREET_WORK,
        "{m}, Ungdomsindsatsen",
        "Opsøgende relationsarbejde i området.",
        True,
    ),
    (MeasureType.MENTOR, "{m}", "Mentor fra det nationale mentorkorps; ugentlige møder.", True),
    (
        MeasureType.PARENT_COACH,
        "{m}",
        "Forældrecoach fra det nationale korps; fire samtaler.",
        True,
    ),
    (MeasureType.PSYCHOLOGICAL_HELP, PSYCHIATRY, "Udredning og samtaleforløb.", False),
    (
        MeasureType.EDUCATION_JOB,
        "Jobcenter {t}",
        "Hjælp til at komme i gang med uddannelse.",
        False,
    ),
    (
        MeasureType.EDUCATION_JOB,
        "{m}, Ungdommens Uddannelsesvejledning",
        "Vejledning om uddannelsesvalg.",
        True,
    ),
    (
        MeasureType.POLICE_INVESTIGATION,
        POLICE,
        "Efterforskning af trusler; Infohuset orienteres kun om det nødvendige.",
        False,
    ),
    (MeasureType.OTHER, "{m}, Fritids- og ungdomsklub", "Fritidsjob og plads i en klub.", True),
)
_JOURNAL = (
    (
        JournalKind.CONVERSATION,
        "Samtale med borgeren om bekymringen. Åben om kontakten til "
        "miljøet, men ser det ikke som et problem.",
    ),
    (JournalKind.PHONE, "Telefonsamtale med kontaktlæreren: fraværet er faldet den seneste måned."),
    (JournalKind.MEETING, "Drøftet på infohusmødet; enighed om at fortsætte forløbet."),
    (JournalKind.DECISION, "Beslutning: sagen følges op om tre måneder."),
    (JournalKind.NOTE, "Modtaget oplysninger fra socialforvaltningen om tidligere underretninger."),
    (JournalKind.PHONE, "Mor ringede: situationen derhjemme er roligere."),
    (JournalKind.NOTE, "Mentor oplyser, at der er god kontakt og faste aftaler."),
)
_INFORMATION = (
    ("Skolen", "Fravær på 18 % i år; trivselssamtale i efteråret.", LegalBasis.RPL_115_1_1),
    (
        "{m}, Socialforvaltningen",
        "To tidligere underretninger om konflikter i hjemmet; ingen aktuel foranstaltning.",
        LegalBasis.RPL_115_1_1,
    ),
    (
        "Jobcenter {t}",
        "Aktivitetsparat; udeblev fra de seneste to samtaler.",
        LegalBasis.RPL_115_1_1,
    ),
    (
        PSYCHIATRY,
        "Kendt i ambulant regi; samtykke til udveksling foreligger.",
        LegalBasis.RPL_115_1_2,
    ),
    (
        KRIMINALFORSORGEN,
        "Løsladt på prøve for et halvt år siden; tilsyn resten af året.",
        LegalBasis.RPL_115_1_3,
    ),
    (POLICE, "Ingen verserende sager; én tidligere bøde for hærværk.", LegalBasis.RPL_115_1_1),
    ("Forældrene", "Oplysninger om hjemmet givet med forældrenes samtykke.", LegalBasis.CONSENT),
)
_DISCLOSURES = (
    (POLICE, "{m}", "Oplysninger om en tidligere sigtelse for vold.", LegalBasis.RPL_115_1_1),
    (
        "{m}, Socialforvaltningen",
        POLICE,
        "Kopi af underretning og handleplan.",
        LegalBasis.RPL_115_1_1,
    ),
    ("{m}", PSYCHIATRY, "Resumé af bekymringen.", LegalBasis.RPL_115_1_2),
    (KRIMINALFORSORGEN, POLICE, "Vilkår og tilsynsplan ved løsladelse.", LegalBasis.RPL_115_1_3),
    ("{m}", "Skolen", "Orientering om den aftalte indsats.", LegalBasis.BARNETS_LOV),
    ("{m}", "Jobcenter {t}", "Orientering om mentorforløbet.", LegalBasis.SERVICELOVEN),
    ("{m}", "Boligforeningen", "Kontaktoplysninger med borgerens samtykke.", LegalBasis.CONSENT),
    (
        POLICE,
        "Kommunens familieafdeling",
        "Oplysninger til brug for en børnefaglig undersøgelse.",
        LegalBasis.OTHER,
    ),
)
_OTHER_AUTHORITY = (
    (
        "Bekymringen handler om psykisk sygdom; regionspsykiatrien overtager.",
        "Sundhedsloven – overdragelse til regionspsykiatrien",
    ),
    (
        "Den unges trivsel er det centrale; kommunens børn og unge-område overtager.",
        "Barnets lov – underretning til kommunen",
    ),
    (
        "Personen er under tilsyn; Kriminalforsorgen følger op i eget regi.",
        "Straffuldbyrdelsesloven – Kriminalforsorgens tilsyn",
    ),
)
_ATTACHMENTS = (
    (
        "underretning.txt",
        "Underretning modtaget {d}.\n\nSkolen beskriver ændret adfærd og "
        "bekymrende udsagn i klassen.\n",
    ),
    (
        "referat_bekymringssamtale.txt",
        "Referat af bekymringssamtale {d}.\n\nDeltagere: den "
        "unge, forældre, SSP-konsulent.\nAftale: ny samtale om en måned.\n",
    ),
    (
        "skolens_notat.txt",
        "Notat fra skolen {d}.\n\nFravær og episoder i frikvartererne er beskrevet i bilaget.\n",
    ),
)
_DEMO_MARK = "FIKTIVE DEMODATA – ingen rigtige personer.\n\n"


def _m(template: str, muni: _Municipality) -> str:
    return template.replace("{m}", muni.name).replace("{t}", muni.town)


# -- playing one case through the services ---------------------------------------------------


class _IntakeCases(CaseService):
    """:class:`CaseService` with a cheaper ``_readable``, for building large demos.

    Every ``open_case`` runs the duplicate check, which reads the summaries of every case the
    member can read. ``CaseService._readable`` loads each full row (three ciphertexts) and
    looks its key up by a query *before* it consults ``case_cache``, so the check costs about
    0.4 ms per readable case even when nothing needs decrypting, and a demo of N cases costs
    O(N²): some two hours for 10,000. This version asks for ``(id, version)`` first and loads
    rows only for cases missing from the cache or changed since, then builds each summary with
    the service's own ``_summary``. Same summaries, same audit entries, linear cost.
    """

    def _readable(self, session: Session) -> list[CaseSummary]:
        groups = readable_group_ids(self.ms, session)
        cache = self.ms.case_cache
        out: list[CaseSummary] = []
        stale: list[uuid.UUID] = []
        for case_id, version in session.execute(
            select(CaseRow.id, CaseRow.version).where(CaseRow.group_id.in_(groups))
        ):
            cached = cache.get(case_id)
            if cached is not None and cached.version == version:
                out.append(cached)
            else:
                stale.append(case_id)
        if stale:
            municipalities = self._municipalities(session)
            for start in range(0, len(stale), 500):
                query = select(CaseRow).where(CaseRow.id.in_(stale[start : start + 500]))
                for row in session.scalars(query):
                    key = self.ms.keyring.field_key_by_id(session, row.data_key_id)
                    out.append(self._summary(session, CaseHandle(row, key), municipalities))
        return out


class _CaseRun:
    """One case from intake to its final status, each step by the member who would do it."""

    def __init__(self, ctx: DemoContext, plan: _Plan) -> None:
        self.ctx, self.plan, self.rng = ctx, plan, ctx.rng
        self.muni = plan.muni
        self.day = plan.received
        self.ref = ""
        self.version = 0
        self.assessments: list[AssessmentInput] = []
        self.journal: list[uuid.UUID] = []

    # who
    def _s(self, login: str) -> MemberSession:
        return self.ctx.sessions[login]

    @property
    def coordinator(self) -> MemberSession:
        return self._s(self.muni.coordinator)

    @property
    def worker(self) -> MemberSession:
        return self._s(self.rng.choice((self.muni.member, self.muni.member, self.muni.coordinator)))

    @property
    def police(self) -> MemberSession:
        return self._s(self.rng.choice((_POLICE_MEMBER, _POLICE_MEMBER, _POLICE_COORDINATOR)))

    def later(self, low: int, high: int) -> date:
        self.day = self.ctx.cap(self.day + timedelta(days=self.rng.randint(low, high)))
        return self.day

    # steps
    def status(
        self,
        who: MemberSession,
        new: CaseStatus,
        reason: str,
        closing: ClosingReason | None = None,
    ) -> None:
        self.version = who.cases.change_status(self.ref, new, reason, closing).version

    def open(self) -> None:
        plan, rng = self.plan, self.rng
        assert plan.person is not None
        person = plan.person
        if not plan.cpr_known:
            person = replace(person, cpr=None, birth_date=None)
        anonymous = plan.source == Source.HOTLINE
        answers = (
            ("Hvad er observeret?", rng.choice(_OBSERVED[plan.category])),
            ("Hvornår og hvor ofte?", rng.choice(_WHEN)),
            ("Hvem ved ellers besked?", rng.choice(_WHO_KNOWS)),
            ("Personlig krise for nylig?", rng.choice(_CRISIS)),
        )
        intake = Intake(
            plan.source,
            plan.received,
            _reporter_organisation(rng, plan),
            "" if anonymous else f"{_plain_name(self.ctx.fake)}, tlf. {_phone(rng)}",
            anonymous=anonymous,
            observed=answers[0][1],
            answers=answers,
        )
        opener = self.police if plan.source == Source.POLICE else self.worker
        cases = _IntakeCases(opener) if self.ctx.fast_intake else opener.cases
        summary = cases.open_case(
            NewCase(
                person=person,
                intake=intake,
                category=plan.category,
                municipality=self.muni.name,
                group=SHARED_GROUP if plan.shared else None,
                title=_TITLES_BY_SOURCE[plan.source],
                follow_up=plan.follow_up,
            ),
            accept_duplicate=True,
        )
        self.ref, self.version = summary.number, summary.version

    def to_screening(self) -> None:
        self.later(0, 3)
        self.status(self.worker, CaseStatus.SCREENING, "Sendt til politiets forhåndstjek.")

    def screen(self, outcome: ScreeningOutcome, reason: str, legal: str = "") -> None:
        self.later(1, 7)
        self.police.cases.screen(self.ref, outcome, reason, legal)

    def information(self, count: int) -> None:
        choices = list(_INFORMATION)
        if self.plan.source != Source.KRIMINALFORSORGEN:
            choices = [c for c in choices if c[0] != KRIMINALFORSORGEN]
        for authority, answer, basis in self.rng.sample(choices, count):
            asked = self.later(1, 10)
            self.worker.cases.add_information(
                self.ref, _m(authority, self.muni), asked, _m(answer, self.muni), basis
            )

    def to_infohus(self) -> None:
        if self.rng.random() < 0.3:
            self.screen(
                ScreeningOutcome.MORE_INFORMATION,
                "Oplysninger fra skole og socialforvaltning mangler, før sagen kan vurderes.",
            )
            self.information(1)
        self.screen(
            ScreeningOutcome.INFOHUS,
            "Bekymringstegn af ekstremistisk karakter og ingen akut fare: behandles i Infohuset.",
        )
        self.information(self.rng.randint(0, 2))
        self.status(self.police, CaseStatus.IN_INFOHUS, "Screening: behandles i Infohuset.")
        self._edit_after_infohus()
        for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
            self.assess()
        self.journal_entries(self.rng.randint(1, 3))
        if self.rng.random() < 0.4:
            self.disclosure()
        if self.plan.shared:
            self._guest_note()

    def _edit_after_infohus(self) -> None:
        plan = self.plan
        participants = [POLICE, self.muni.name]
        if plan.source in (Source.PSYCHIATRY, Source.KRIMINALFORSORGEN) or plan.shared:
            participants.append(
                KRIMINALFORSORGEN if plan.source != Source.PSYCHIATRY else PSYCHIATRY
            )
        learn_cpr = not plan.cpr_known
        edit = CaseEdit(
            person=plan.person if learn_cpr else None,
            participating_organisations=tuple(participants),
        )
        self.version = self.coordinator.cases.edit(self.ref, self.version, edit).version
        if learn_cpr:
            self.journal_entry(
                self.coordinator, JournalKind.NOTE, "CPR-nummer oplyst af kommunen og tilføjet."
            )

    def assess(self) -> None:
        day = self.later(7, 45)
        previous = self.assessments[-1] if self.assessments else None
        content = _assessment(self, day, previous)
        self.worker.case_records.assess(self.ref, content)
        self.assessments.append(content)

    def journal_entry(
        self,
        who: MemberSession,
        kind: JournalKind,
        text: str,
        corrects: uuid.UUID | None = None,
    ) -> uuid.UUID:
        entry = who.case_records.add_journal(self.ref, kind, text, corrects)
        self.journal.append(entry.id)
        return entry.id

    def journal_entries(self, count: int) -> None:
        for kind, text in self.rng.sample(_JOURNAL, count):
            entry = self.journal_entry(self.worker, kind, text)
            first = not self.ctx.made["journal.correction"]
            if kind == JournalKind.CONVERSATION and (first or self.rng.random() < 0.4):
                self.journal_entry(
                    self.worker,
                    JournalKind.NOTE,
                    "Rettelse: samtalen var med faren, ikke moren; i øvrigt som noteret.",
                    corrects=entry,
                )
                self.ctx.made["journal.correction"] += 1

    def disclosure(self) -> None:
        choices = [
            d
            for d in _DISCLOSURES
            if (d[3] != LegalBasis.BARNETS_LOV or self._minor())
            and (d[3] != LegalBasis.RPL_115_1_3 or self.plan.source == Source.KRIMINALFORSORGEN)
        ]
        src, dst, what, basis = self.rng.choice(choices)
        self.worker.case_records.add_disclosure(
            self.ref, self.later(0, 5), _m(src, self.muni), _m(dst, self.muni), what, basis
        )

    def _guest_note(self) -> None:
        gitte = self._s(_GUEST)
        gitte.case_records.add_journal(
            self.ref,
            JournalKind.MEETING,
            "Kriminalforsorgen: tilsynsmøde holdt; møder stabilt op og overholder vilkårene.",
        )
        if self.rng.random() < 0.5:
            gitte.attachments.add(
                self.ref,
                "tilsynsplan.txt",
                io.BytesIO(
                    (_DEMO_MARK + f"Tilsynsplan, udarbejdet {self.day:%d.%m.%Y}.\n").encode()
                ),
                "text/plain",
            )

    def _minor(self) -> bool:
        person = self.plan.person
        return bool(person and person.birth_date and age_on(person.birth_date, self.day) < 18)

    def measures(
        self, statuses: Sequence[MeasureStatus]
    ) -> list[tuple[uuid.UUID, int, MeasureInput]]:
        options = [m for m in _MEASURES if m[3]] if self._minor() else list(_MEASURES)
        out = []
        for status, (kind, owner, description, _) in zip(
            statuses, self.rng.sample(options, len(statuses)), strict=False
        ):
            start = self.later(3, 20)
            end = None
            outcome = ""
            if status == MeasureStatus.COMPLETED:
                end = self.ctx.cap(start + timedelta(days=self.rng.randint(30, 90)))
                outcome = "Gennemført som aftalt; bekymringen er aftaget."
            elif status == MeasureStatus.STOPPED:
                end = self.ctx.cap(start + timedelta(days=self.rng.randint(10, 40)))
                outcome = "Afbrudt: borgeren ønskede ikke at fortsætte."
            measure = MeasureInput(
                kind, _m(owner, self.muni), description, start, end, status, outcome
            )
            added = self.worker.case_records.add_measure(self.ref, measure)
            out.append((added.id, added.version, measure))
        return out

    def attachment(self) -> None:
        name, text = self.rng.choice(_ATTACHMENTS)
        body = _DEMO_MARK + text.replace("{d}", f"{self.plan.received:%d.%m.%Y}")
        self.worker.attachments.add(self.ref, name, io.BytesIO(body.encode()), "text/plain")
        self.ctx.made["attachment"] += 1

    # the whole life
    def play(self) -> None:
        kind = self.plan.kind
        self.open()
        if kind == "received":
            if self.rng.random() < 0.5:
                self.journal_entry(
                    self.worker, JournalKind.NOTE, "Bekymringen er modtaget og registreret."
                )
            return
        if kind == "closed_other":
            self.status(
                self.coordinator,
                CaseStatus.CLOSED,
                "Registreret ved en fejl: henvendelsen vedrørte ikke ekstremisme.",
                ClosingReason.OTHER,
            )
            return
        self.to_screening()
        if self.rng.random() < 0.12 or not self.ctx.made["attachment"]:
            self.attachment()
        if kind == "screening":
            return
        if kind == "more_info":
            self.screen(
                ScreeningOutcome.MORE_INFORMATION,
                "Behov for oplysninger fra skole og socialforvaltning, før sagen kan vurderes.",
            )
            self.information(self.rng.randint(1, 2))
            return
        if kind in ("closed_unfounded", "reopened"):
            self.screen(
                ScreeningOutcome.NO_FURTHER_ACTION,
                "Politiets forhåndstjek: intet strafbart, ingen sikkerhedsmæssige forhold og "
                "ingen tegn på ekstremisme.",
            )
            self.status(
                self.police,
                CaseStatus.CLOSED,
                "Ingen videre handling efter screening.",
                ClosingReason.UNFOUNDED,
            )
            if kind == "closed_unfounded":
                return
            self.later(30, 90)
            self.status(
                self.coordinator,
                CaseStatus.SCREENING,
                "Genoptaget: ny henvendelse fra skolen om samme forhold skal screenes.",
            )
            self.to_infohus()
            self.measures([MeasureStatus.RUNNING])
            self.status(self.coordinator, CaseStatus.MEASURES, "Mentorforløb sat i gang.")
            return
        if kind == "closed_police":
            self.screen(
                ScreeningOutcome.POLICE_ONLY,
                "Mulig strafbar handling (trusler): politiet håndterer sagen selv.",
            )
            police = self.police
            self.status(
                police,
                CaseStatus.CLOSED,
                "Håndteres af politiet; kun en minimal registrering bliver i Infohuset.",
                ClosingReason.POLICE,
            )
            police.cases.edit(self.ref, self.version, CaseEdit(retention=RetentionClass.MINIMAL))
            if self.rng.random() < 0.5 or not self.ctx.made["case.moved"]:
                self._s(_POLICE_COORDINATOR).cases.move(self.ref, POLICE_GROUP)
                self.ctx.made["case.moved"] += 1
            return
        if kind == "closed_other_authority":
            reason, legal = self.rng.choice(_OTHER_AUTHORITY)
            self.screen(ScreeningOutcome.OTHER_AUTHORITY, reason, legal)
            self.status(
                self.police,
                CaseStatus.CLOSED,
                "Overgivet til anden myndighed efter screening.",
                ClosingReason.OTHER_AUTHORITY,
            )
            return
        self.to_infohus()
        if kind == "infohus":
            return
        if kind == "closed_moved":
            self.later(10, 40)
            self.status(
                self.coordinator,
                CaseStatus.CLOSED,
                "Borgeren er fraflyttet politikredsen; den nye kommune er orienteret.",
                ClosingReason.MOVED_AWAY,
            )
            return
        if kind == "transferred":
            self.later(10, 40)
            self.status(
                self.coordinator,
                CaseStatus.TRANSFERRED,
                "Borgeren er flyttet; sagen er overdraget til Infohuset i den nye politikreds.",
            )
            return
        if kind == "referred":
            if self.rng.random() < 0.5:
                self.measures([MeasureStatus.RUNNING])
                self.status(self.coordinator, CaseStatus.MEASURES, "Indsats sat i gang.")
            start = self.later(5, 20)
            self.worker.case_records.add_measure(
                self.ref,
                MeasureInput(
                    MeasureType.EXIT_PROGRAMME,
                    f"{POLICE}, exitprogram",
                    "Exitforløb med fast kontaktperson efter borgerens samtykke.",
                    start,
                    None,
                    MeasureStatus.RUNNING,
                ),
            )
            self.status(
                self.coordinator,
                CaseStatus.REFERRED,
                "Henvist til exitprogram; borgeren har givet samtykke.",
            )
            return
        statuses = [MeasureStatus.RUNNING] * self.rng.randint(1, 2)
        if self.rng.random() < 0.3:
            statuses.append(MeasureStatus.PLANNED)
        running = self.measures(statuses)
        self.status(
            self.coordinator,
            CaseStatus.MEASURES,
            "De anbefalede indsatser er sat i gang af de ansvarlige myndigheder.",
        )
        if kind == "measures":
            return
        for measure_id, version, measure in running:
            done = self.rng.random() < 0.85 or measure.status == MeasureStatus.PLANNED
            end = self.later(20, 60)
            self.worker.case_records.update_measure(
                self.ref,
                measure_id,
                version,
                replace(
                    measure,
                    status=MeasureStatus.COMPLETED if done else MeasureStatus.STOPPED,
                    start=measure.start or end,
                    end=end,
                    outcome="Gennemført som aftalt." if done else "Afbrudt efter eget ønske.",
                ),
            )
        self.status(
            self.coordinator,
            CaseStatus.FOLLOW_UP,
            "Indsatsen er gennemført; opfølgning om tre måneder.",
        )
        if kind == "follow_up":
            if self.rng.random() < 0.5:
                self.assess()
            return
        self.later(30, 90)
        if self.rng.random() < 0.6:
            self.assess()
        self.status(
            self.coordinator,
            CaseStatus.CLOSED,
            "Indsatsen er afsluttet, og bekymringen er aftaget.",
            ClosingReason.MEASURES_DONE,
        )
        if kind == "reopened_infohus":
            self.later(20, 60)
            self.status(
                self.coordinator,
                CaseStatus.IN_INFOHUS,
                "Genoptaget: ny bekymring fra familien; sagen vurderes igen.",
            )
            self.assess()


def _plain_name(fake: Faker) -> str:
    """First and last name, without the titles Faker sometimes adds ("Dr.")."""
    return f"{fake.first_name()} {fake.last_name()}"


def _reporter_organisation(rng: random.Random, plan: _Plan) -> str:
    muni = plan.muni
    area = rng.choice(muni.areas)[1]
    return {
        Source.SCHOOL: f"Folkeskole i {area}",
        Source.SOCIAL_SERVICES: f"{muni.name}, Børn og Familie",
        Source.JOB_CENTRE: f"Jobcenter {muni.town}",
        Source.POLICE: f"{POLICE}, Forebyggelse",
        Source.FAMILY: "Familiemedlem",
        Source.HOTLINE: "Den nationale hotline",
        Source.PSYCHIATRY: PSYCHIATRY,
        Source.KRIMINALFORSORGEN: KRIMINALFORSORGEN,
        Source.OTHER: rng.choice((f"Fritidsklub i {area}", f"Boligsocial indsats, {area}")),
    }[plan.source]


def _assessment(run: _CaseRun, day: date, previous: AssessmentInput | None) -> AssessmentInput:
    rng = run.rng
    if previous is None:
        level = _weighted(
            rng, ((ConcernLevel.LOW, 25), (ConcernLevel.MEDIUM, 50), (ConcernLevel.HIGH, 25))
        )
        answers: dict[str, IndicatorAnswer] = {}
        for indicator in run.ctx.indicators:
            if rng.random() < 0.3:
                state = IndicatorState.UNKNOWN
            elif indicator.part == Part.RISK:
                chance = {ConcernLevel.LOW: 0.15, ConcernLevel.MEDIUM: 0.3, ConcernLevel.HIGH: 0.5}
                serious = 0.5 if indicator.serious else 1.0
                present = rng.random() < chance[level] * serious
                state = IndicatorState.PRESENT if present else IndicatorState.ABSENT
            else:
                state = IndicatorState.PRESENT if rng.random() < 0.5 else IndicatorState.ABSENT
            answers[indicator.code] = _answer(indicator.code, state)
        focus = tuple(sorted(rng.sample(list(FOCUS_AREAS), rng.randint(1, 3))))
        resources = rng.choice(_RESOURCES)
    else:
        # What was unknown is now known, and a few things moved with the level.
        steps = list(ConcernLevel)
        index = steps.index(previous.level) + rng.choice((-1, -1, 0, 1))
        level = steps[max(0, min(index, len(steps) - 1))]
        answers = dict(previous.answers)
        for code, answer in previous.answers.items():
            if answer.state == IndicatorState.UNKNOWN and rng.random() < 0.7:
                state = IndicatorState.PRESENT if rng.random() < 0.35 else IndicatorState.ABSENT
                answers[code] = _answer(code, state)
            elif rng.random() < 0.12:
                flipped = (
                    IndicatorState.ABSENT
                    if answer.state == IndicatorState.PRESENT
                    else IndicatorState.PRESENT
                )
                answers[code] = _answer(code, flipped)
        focus = previous.focus_areas
        if rng.random() < 0.4:
            focus = tuple(sorted({*focus, rng.choice(list(FOCUS_AREAS))}))
        resources = previous.resources
        if rng.random() < 0.4:
            resources = rng.choice(_RESOURCES)
    assessors = [f"{_member(run.muni.member).name} ({_TITLES[run.muni.member]})"]
    if rng.random() < 0.7:
        police = rng.choice((_POLICE_MEMBER, _POLICE_COORDINATOR))
        assessors.append(f"{_member(police).name} ({_TITLES[police]})")
    return AssessmentInput(
        answers=answers,
        main_problems=_MAIN_PROBLEMS.get(run.plan.category, _MAIN_PROBLEMS["anden_uklar"]),
        resources=resources,
        focus_areas=focus,
        level=level,
        rationale=_RATIONALE[level],
        assessors=tuple(assessors),
        assessed_on=day,
    )


def _answer(code: str, state: IndicatorState) -> IndicatorAnswer:
    present, absent = _INDICATOR_COMMENTS.get(code, ("", ""))
    comment = {IndicatorState.PRESENT: present, IndicatorState.ABSENT: absent}.get(state, "")
    return IndicatorAnswer(state, comment)


def _member(login: str) -> DemoMember:
    return next(m for m in DEMO_MEMBERS if m.login == login)


def _make_cases(ctx: DemoContext, count: int, progress: Progress | None) -> None:
    plans = _plan_cases(ctx, count)
    ctx.fast_intake = count > FAST_INTAKE_ABOVE
    if progress:
        progress(0, count)
    for done, plan in enumerate(plans, start=1):
        _CaseRun(ctx, plan).play()
        ctx.made["case"] += 1
        ctx.made[f"case.{plan.kind}"] += 1
        if progress:
            progress(done, count)
