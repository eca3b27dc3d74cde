"""The cases and the vault the case benchmarks (``tests.benchmarks.bench_cases``) measure, which
most other benchmarks build the same way: N plausible synthetic concern cases, the district
(the vault, Aarhus Kommune and its member mette) made through the services, and the N case
rows written in large transactions exactly as :meth:`CaseService.open_case` makes them
(``bench_cases``' docstring says how); with what every builder needs around them: a private
``INFOHUS_HOME``, the integration tests' cheap KDF floor, unlock and close.

Its own module because it is shared: the desktop benchmarks' vaults, the comparison, and the
backup, statistics, transfer and trend benchmarks build on it without measuring what
``bench_cases`` measures.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.blind_index import cpr_index
from infohus_desktop.domain.cases import (
    Guardian,
    Intake,
    Person,
    RetentionClass,
    Source,
    case_number,
)
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.cases.index import checked_person
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import CaseHandle
from infohus_desktop.services.core.case_meta import seal_meta, seal_part_meta
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.vault.case_schema import CaseCounterRow, CaseRow, StatusChangeRow
from infohus_desktop.vault.codecs.cases import intake_to_json, person_to_json
from infohus_desktop.vault.schema import LocalInfohusRow

COORDINATOR, COORDINATOR_PASS = "lars", "blåbærgrød med flødeskum"
MEMBER, MEMBER_FIRST, MEMBER_PASS = "mette", "mettes første lange frase", "mettes nye lange frase"
#: The integration tests' cheap, test-only floor (tests/integration/conftest.py TEST_FLOOR).
CHEAP_FLOOR = kdf.KdfParams(memory_kib=64, iterations=1, lanes=1)

Json = dict[str, Any]

FIRST_NAMES = (
    "Ali",
    "Anna",
    "Ahmad",
    "Bo",
    "Cecilie",
    "Christian",
    "Emil",
    "Emma",
    "Fatima",
    "Frederik",
    "Freja",
    "Hassan",
    "Ida",
    "Isabella",
    "Jakob",
    "Jonas",
    "Josefine",
    "Karla",
    "Lucas",
    "Laura",
    "Mads",
    "Malthe",
    "Maja",
    "Mathilde",
    "Mikkel",
    "Mohammad",
    "Nanna",
    "Noah",
    "Oliver",
    "Olivia",
    "Omar",
    "Oscar",
    "Rasmus",
    "Sara",
    "Sebastian",
    "Sofie",
    "Victor",
    "Villads",
    "William",
    "Yusuf",
)
LAST_NAMES = (
    "Andersen",
    "Christensen",
    "Dahl",
    "Eriksen",
    "Hansen",
    "Holm",
    "Jensen",
    "Johansen",
    "Jørgensen",
    "Kristensen",
    "Larsen",
    "Madsen",
    "Mortensen",
    "Møller",
    "Nielsen",
    "Olsen",
    "Pedersen",
    "Petersen",
    "Poulsen",
    "Rasmussen",
    "Sørensen",
    "Thomsen",
    "Ahmed",
    "Ali",
    "Hassan",
    "Khan",
    "Yilmaz",
    "Öztürk",
    "Nguyen",
    "Berg",
)
STREETS = (
    "Testvej",
    "Skolegade",
    "Parkvej",
    "Søndergade",
    "Vestergade",
    "Nørrebrogade",
    "Åboulevarden",
)
CATEGORIES = ("hoejreekstremisme", "venstreekstremisme", "militant_islamisme", "anden_uklar")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def private_home(home: Path) -> Iterator[None]:
    """Point ``INFOHUS_HOME`` at ``home`` for the duration, and restore it afterwards."""
    previous = os.environ.get("INFOHUS_HOME")
    os.environ["INFOHUS_HOME"] = str(home)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("INFOHUS_HOME", None)
        else:
            os.environ["INFOHUS_HOME"] = previous


@contextlib.contextmanager
def kdf_floor(floor: kdf.KdfParams) -> Iterator[None]:
    previous = kdf.current_floor()
    kdf._set_floor_for_tests(floor)
    try:
        yield
    finally:
        kdf._set_floor_for_tests(previous)


# -- synthetic cases -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Synthetic:
    person: Person
    intake: Intake
    category: str
    title: str
    follow_up: date | None


def synthetic_cases(n: int, seed: int = 2026) -> list[Synthetic]:
    """``n`` plausible concern cases: Danish names, 70 % with a valid CPR number (born
    1990-2012), received over 2023-2026, a few guardians, a paragraph of observation."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.3:
            name = f"{rng.choice(FIRST_NAMES)} {name}"
        cpr = None
        if rng.random() < 0.7:
            born = date(1990, 1, 1) + timedelta(days=rng.randrange(23 * 365))
            century = rng.choice("0123") if born.year < 2000 else rng.choice("456789")
            cpr = f"{born:%d%m%y}{century}{rng.randrange(1000):03d}"
        received = date(2023, 1, 1) + timedelta(days=rng.randrange(4 * 365 - 50))
        person = Person(
            name=name,
            cpr=cpr,
            address=f"{rng.choice(STREETS)} {rng.randrange(1, 200)}, 8000 Aarhus C",
            municipality="Aarhus",
            phone=f"{rng.randrange(20_000_000, 99_999_999)}",
            email=f"person{i}@example.org",
            school_or_work=rng.choice(("Testskolen, 9.b", "Aarhus Tech", "Jobcenter", "")),
            guardians=tuple(
                Guardian(f"{rng.choice(FIRST_NAMES)} {name.split()[-1]}", rel, "12345678")
                for rel in rng.sample(("mor", "far"), rng.randrange(0, 3))
            ),
        )
        intake = Intake(
            source=rng.choice(list(Source)),
            received=received,
            reporter_organisation=rng.choice(("Testskolen", "SSP", "Jobcentret", "")),
            reporter_contact="Kontaktperson, 11223344",
            observed=(
                "Personen har over flere uger delt ekstremistisk materiale og udtalt støtte til "
                f"vold mod bestemte grupper. Observation nr. {i}."
            ),
            answers=(("Hvor ofte?", "Flere gange om ugen"),),
        )
        out.append(
            Synthetic(
                person=person,
                intake=intake,
                category=rng.choice(CATEGORIES),
                title=rng.choice(("Bekymring fra skolen", "Henvendelse fra SSP", "")),
                follow_up=received + timedelta(days=60) if rng.random() < 0.4 else None,
            )
        )
    return out


# -- the encrypted vault -------------------------------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC)


def build_district(url: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Vault, Aarhus Kommune and mette through the services; (local infohus id, group id)."""
    coordinator = Vault.create(
        url,
        NewVault(
            "Østjylland", COORDINATOR, "Lars Holm", "police", OrgKind.POLICE, COORDINATOR_PASS
        ),
        LocalState(),
    )
    try:
        local = coordinator.groups.add_municipality("Aarhus Kommune", "AAR")
        coordinator.accounts.add(MEMBER, "Mette Fjord", "Aarhus Kommune", Role.MEMBER, MEMBER_FIRST)
    finally:
        close(coordinator)
    member = unlock(url, MEMBER_FIRST)
    try:
        member.accounts.change_passphrase(MEMBER_FIRST, MEMBER_PASS)
    finally:
        close(member)
    return local.id, local.group_id


def unlock(url: str, passphrase: str = MEMBER_PASS, login: str = MEMBER) -> MemberServices:
    return Vault.open(url, LocalState()).unlock(login, passphrase, sleep=lambda _s: None)


def close(session: MemberServices) -> None:
    session.lock()
    session.vault.close()


def bulk_open_cases(
    ms: MemberServices,
    local_id: uuid.UUID,
    group_id: uuid.UUID,
    cases: list[Synthetic],
    batch: int,
) -> None:
    """Write ``cases`` as :meth:`CaseService.open_case` would, ``batch`` per transaction."""
    service = CaseService(ms)
    with ms.vault.uow() as session:
        local = session.get(LocalInfohusRow, local_id)
        assert local is not None
        prefix = local.case_prefix
        serials = dict(
            session.execute(
                select(CaseCounterRow.year, CaseCounterRow.last_serial).where(
                    CaseCounterRow.local_infohus_id == local_id
                )
            ).all()
        )
    done = 0
    started = time.perf_counter()
    while done < len(cases):
        chunk = cases[done : done + batch]
        with ms.vault.uow() as session:
            epoch, lookup = service.cpr_lookup_key(session)
            case_rows: list[Json] = []
            status_rows: list[Json] = []
            for synthetic in chunk:
                person = checked_person(synthetic.person)
                key = ms.keyring.new_data_key(session, group_id)
                year = synthetic.intake.received.year
                serials[year] = serial = serials.get(year, 0) + 1
                at = now()
                row = CaseRow(  # transient: sealed as the flush would seal it (issue 20)
                    id=uuid.uuid4(),
                    number=case_number(prefix, year, serial),
                    local_infohus_id=local_id,
                    group_id=group_id,
                    data_key_id=key.key_id,
                    status=CaseStatus.RECEIVED.value,
                    category=synthetic.category,
                    source=synthetic.intake.source.value,
                    received=synthetic.intake.received,
                    follow_up=synthetic.follow_up,
                    lead_organisation_id=ms.member.organisation_id,
                    lead_member_id=ms.member.id,
                    retention=RetentionClass.STANDARD.value,
                    closing_reason=None,
                )
                handle = CaseHandle(row, key)
                row.person = handle.seal_case("person", person_to_json(person))
                case_rows.append(
                    {
                        "id": row.id,
                        "number": row.number,
                        "local_infohus_id": local_id,
                        "year": year,
                        "serial": serial,
                        "group_id": group_id,
                        "data_key_id": key.key_id,
                        "cpr_index": cpr_index(lookup, person.cpr) if person.cpr else None,
                        "cpr_epoch": epoch if person.cpr else None,
                        "person": row.person,
                        "intake": handle.seal_case("intake", intake_to_json(synthetic.intake)),
                        "details": handle.seal_case(
                            "details", {"title": synthetic.title, "participants": []}
                        ),
                        "meta": seal_meta(row, key, 1),
                        "created_at": at,
                        "created_by": ms.member.id,
                        "updated_at": at,
                        "version": 1,
                    }
                )
                status = StatusChangeRow(
                    id=uuid.uuid4(),
                    case_id=row.id,
                    at=at,
                    by_member=ms.member.id,
                    old_status=None,
                    new_status=CaseStatus.RECEIVED.value,
                    closing_reason=None,
                )
                status_rows.append(
                    {
                        "id": status.id,
                        "case_id": row.id,
                        "at": at,
                        "payload": handle.seal(
                            "case_status_changes",
                            "payload",
                            status.id,
                            {"reason": "Bekymring modtaget"},
                        ),
                        "meta": seal_part_meta(status, key),
                    }
                )
            session.execute(insert(CaseRow), case_rows)
            session.execute(insert(StatusChangeRow), status_rows)
            session.expunge_all()  # the data key rows: keep memory flat
        done += len(chunk)
        rate = done / (time.perf_counter() - started)
        log(f"  build: {done:,}/{len(cases):,} cases ({rate:,.0f}/s)")
    with ms.vault.uow() as session:
        for year, last in serials.items():
            counter = session.get(CaseCounterRow, (local_id, year))
            if counter is None:
                session.add(CaseCounterRow(local_infohus_id=local_id, year=year, last_serial=last))
            else:
                counter.last_serial = last
