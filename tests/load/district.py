"""The load district: a vault on a fresh PostgreSQL database, one member per workstation,
cases to work on and the case meetings whose minutes the workstations keep.

Built by the coordinator (``lars``) through the services, as a district's coordinator would
through the app, before any workstation starts; none of it is measured.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from infohus_desktop.domain.meetings import ItemKind, MeetingKind, NewAgendaItem, NewMeeting
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import MemberServices, Vault
from tests.integration.case_fixtures import new_case
from tests.load.plan import MUNICIPALITIES, POLICE, LoadConfig, MeetingPlan, WorkstationPlan

COORDINATOR = "lars"
COORDINATOR_PASS = "blåbærgrød med flødeskum"
SHARED_TITLE = "Fælles sag"
FIRST_NAMES = ("Anna", "Bo", "Cecilie", "Dennis", "Emma", "Frederik", "Gry", "Hassan", "Ida")
SURNAMES = ("Holm", "Bæk", "Ørsted", "Lund", "Søgaard", "Krogh", "Åberg", "Dahl", "Vestergaard")


def organisation_of(index: int) -> str:
    """Two of three workstations at a municipality (alternating), every third at the police."""
    if index % 3 == 2:
        return POLICE
    return MUNICIPALITIES[(index // 3 + index % 3) % len(MUNICIPALITIES)]


def municipality_of(index: int) -> str:
    """The Infohus Kommune a workstation works in: its own, or for the police one of both."""
    organisation = organisation_of(index)
    return organisation if organisation != POLICE else MUNICIPALITIES[index % 2]


def create_coordinator(url: str, home: Path) -> MemberServices:
    """The vault and its coordinator, with the schema made by the real migrations."""
    coordinator = Vault.create(
        url,
        NewVault(
            "Østjylland",
            COORDINATOR,
            "Lars Holm Sørensen",
            "police",
            OrgKind.POLICE,
            COORDINATOR_PASS,
        ),
        LocalState(home),
    )
    for name, prefix in zip(MUNICIPALITIES, ("AAR", "RAN"), strict=True):
        coordinator.groups.add_municipality(name, prefix)
    return coordinator


def build_district(
    coordinator: MemberServices, url: str, config: LoadConfig, workdir: Path
) -> list[WorkstationPlan]:
    """Members, seed cases, shared cases and meetings; one plan per workstation."""
    rng = random.Random(config.seed)
    shared: dict[str, str] = {}
    seeds: dict[str, list[tuple[str, str]]] = {}
    for municipality in MUNICIPALITIES:
        case = new_case("Delt Fællesperson " + municipality.split()[0], None, municipality)
        shared[municipality] = coordinator.cases.open_case(
            replace(case, title=SHARED_TITLE), accept_duplicate=True
        ).number
        seeds[municipality] = []
        for _ in range(config.seed_cases):
            surname = rng.choice(SURNAMES)
            person = f"{rng.choice(FIRST_NAMES)} {surname}"
            number = coordinator.cases.open_case(
                new_case(person, None, municipality), accept_duplicate=True
            ).number
            seeds[municipality].append((number, surname))

    member_ids: list[str] = []
    for index in range(config.workstations):
        enrolment = coordinator.accounts.add(
            login(index),
            member_name(index),
            organisation_of(index),
            Role.MEMBER,
            first_passphrase(index),
        )
        member_ids.append(str(enrolment.member.id))

    root = coordinator.vault.root_fingerprint()
    meetings = _plan_meetings(coordinator, config.workstations, member_ids, shared)
    plans = []
    for index in range(config.workstations):
        organisation = organisation_of(index)
        groups = MUNICIPALITIES if organisation == POLICE else (organisation,)
        readable = [number for m in groups for number, _ in seeds[m]]
        terms = sorted({surname for m in groups for _, surname in seeds[m]})
        plans.append(
            WorkstationPlan(
                index=index,
                url=url,
                login=login(index),
                name=member_name(index),
                organisation=organisation,
                first_passphrase=first_passphrase(index),
                home=str(workdir / f"ws{index:02d}" / "home"),
                result_path=str(workdir / f"ws{index:02d}" / "result.json"),
                seed=config.seed * 1000 + index,
                seconds=config.seconds,
                think=config.think,
                municipality=municipality_of(index),
                shared_case=shared[municipality_of(index)],
                readable_cases=tuple(readable),
                search_terms=tuple(terms),
                meeting=meetings.get(index),
                root_fingerprint=root,
            )
        )
    return plans


def _plan_meetings(
    coordinator: MemberServices,
    workstations: int,
    member_ids: list[str],
    shared: dict[str, str],
) -> dict[int, MeetingPlan]:
    """One case meeting per pair of workstations of the same Infohus Kommune: the first is
    the chair, the second the minute taker; both write the notes of its two items (an
    orientation and the shared case), so notes are saved concurrently too."""
    by_municipality: dict[str, list[int]] = {}
    for index in range(workstations):
        by_municipality.setdefault(municipality_of(index), []).append(index)
    plans: dict[int, MeetingPlan] = {}
    for municipality, indices in by_municipality.items():
        for start in range(0, len(indices), 2):
            pair = indices[start : start + 2]
            chair = uuid.UUID(member_ids[pair[0]])
            taker = uuid.UUID(member_ids[pair[-1]]) if len(pair) == 2 else None
            meeting = coordinator.meetings.plan(
                NewMeeting(
                    MeetingKind.CASE,
                    f"Infohusmøde {municipality.split()[0]} {start // 2 + 1}",
                    datetime(2026, 12, 1, 9, tzinfo=UTC),
                    place="Rådhuset",
                    local_infohus=municipality,
                    chair_id=chair,
                    minute_taker_id=taker,
                )
            )
            orientation = coordinator.meetings.add_item(
                meeting.id, NewAgendaItem(ItemKind.ORIENTATION, "Orientering", organisation="SSP")
            )
            case_item = coordinator.meetings.add_item(
                meeting.id, NewAgendaItem(ItemKind.CASE, "Fælles sag", shared[municipality])
            )
            plan = MeetingPlan(str(meeting.id), (str(orientation.id), str(case_item.id)))
            for index in pair:
                plans[index] = plan
    return plans


def login(index: int) -> str:
    return f"ws{index:02d}"


def member_name(index: int) -> str:
    return f"Arbejdsstation {index:02d} Testesen"


def first_passphrase(index: int) -> str:
    return f"arbejdsstation {index:02d} første lange frase"
