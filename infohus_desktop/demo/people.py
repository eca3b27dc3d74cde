"""The demo's synthetic persons: names, addresses, CPR numbers, phones and e-mail addresses
that look real to the app and belong to nobody.

Names and street names come from Faker's ``da_DK`` locale (the build's seeded instance);
postcodes and towns are the case municipality's. CPR numbers follow the fictitious-CPR rule of
the package (:func:`is_demo_cpr`: sequence ``99xx``, failing modulus 11); phone numbers begin
with ``10``, which no Danish subscriber number does; e-mail addresses are at ``example.org``;
schools and workplaces are generic, never a named institution. Every draw comes from the
build's one generator, in a fixed order, so the same seed gives the same persons.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from faker import Faker

from infohus_desktop.demo.context import DemoContext
from infohus_desktop.demo.members import Municipality
from infohus_desktop.domain.cases import Guardian, Person
from infohus_desktop.domain.cpr import age_on, parse_cpr
from infohus_desktop.domain.errors import InvalidInput

# -- CPR numbers, phones, e-mail -------------------------------------------------------------

#: The sequence numbers of demo CPR numbers start with these two digits.
DEMO_CPR_SERIAL_PREFIX = "99"
_MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def _passes_modulus_11(digits: str) -> bool:
    """The pre-2007 check every issued number passed; a demo number must fail it."""
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


def phone(rng: random.Random) -> str:
    """Eight digits beginning with ``10``: a leading 1 is for short service numbers (112,
    114, ...) in the Danish numbering plan, never a subscriber's."""
    digits = f"10{rng.randrange(1_000_000):06d}"
    return " ".join(digits[i : i + 2] for i in range(0, 8, 2))


def email(first: str, last: str) -> str:
    """``first.last@example.org`` in ASCII: a domain reserved by RFC 2606, nobody's mailbox."""
    ascii_name = f"{first}.{last}".casefold()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        ascii_name = ascii_name.replace(letter, spelled)
    ascii_name = "".join(ch for ch in ascii_name if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{ascii_name}@example.org"


def plain_name(fake: Faker) -> str:
    """First and last name, without the titles Faker sometimes adds ("Dr.")."""
    return f"{fake.first_name()} {fake.last_name()}"


# -- persons ---------------------------------------------------------------------------------


def _age_years(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.35:
        return rng.randint(12, 17)
    if band < 0.75:
        return rng.randint(18, 25)
    return rng.randint(26, 64)


def new_person(ctx: DemoContext, received: date, muni: Municipality) -> Person:
    """A synthetic person of the case received on ``received`` in ``muni``: mostly young
    and male, as concern cases are; minors get guardians."""
    rng, fake = ctx.rng, ctx.fake
    age = _age_years(rng)
    birth = received - timedelta(days=age * 365 + age // 4 + rng.randint(1, 360))
    male = rng.random() < 0.72  # most concerns are about young men
    first = fake.first_name_male() if male else fake.first_name_female()
    last = fake.last_name()
    name = f"{first} {fake.last_name()} {last}" if rng.random() < 0.3 else f"{first} {last}"
    cpr = demo_cpr(birth, male, rng, ctx.used_cpr)
    info = parse_cpr(cpr)
    minor = age_on(info.birth_date, received) < 18
    return Person(
        name=name,
        cpr=cpr,
        birth_date=info.birth_date,
        sex=info.sex,
        address=address(ctx, muni),
        municipality=muni.name,
        phone=phone(rng) if rng.random() < 0.8 else "",
        email=email(first, last) if not minor and rng.random() < 0.5 else "",
        school_or_work=_school_or_work(rng, muni, age),
        guardians=_guardians(ctx, last) if minor else (),
    )


def address(ctx: DemoContext, muni: Municipality) -> str:
    postcode, town = ctx.rng.choice(muni.areas)
    number = f"{ctx.rng.randint(1, 140)}"
    if ctx.rng.random() < 0.35:
        number += f", {ctx.rng.randint(1, 5)}. {ctx.rng.choice(['th', 'tv', 'mf'])}"
    return f"{ctx.fake.street_name()} {number}, {postcode} {town}"


def _school_or_work(rng: random.Random, muni: Municipality, age: int) -> str:
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
        f"{fake.first_name_female()} {last}", "mor", phone(rng), informed=rng.random() < 0.8
    )
    if rng.random() < 0.35:
        return (mother,)
    father = Guardian(
        f"{fake.first_name_male()} {fake.last_name()}", "far", phone(rng), rng.random() < 0.6
    )
    return (mother, father) if rng.random() < 0.5 else (father, mother)
