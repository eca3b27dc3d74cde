"""What the coordinator hands each workstation, and what a workstation hands back.

Everything here crosses a process boundary (multiprocessing *spawn*, and a JSON file back), so
it is plain data: strings, numbers and lists, no sessions, keys or ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The municipalities of the load district; police members work in both.
MUNICIPALITIES = ("Aarhus Kommune", "Randers Kommune")
POLICE = "police"


@dataclass(frozen=True)
class LoadConfig:
    """How big and how long a run is."""

    workstations: int = 20
    seconds: float = 180.0
    seed: int = 15
    #: Think time between two operations of one workstation, drawn uniformly (seconds).
    think: tuple[float, float] = (0.5, 2.0)
    #: Cases opened before the run, per municipality, for the workstations to read and write.
    seed_cases: int = 6


@dataclass(frozen=True)
class MeetingPlan:
    """A case meeting two workstations keep the minutes of (chair and minute taker)."""

    meeting_id: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class WorkstationPlan:
    """One simulated workstation: its member, its home and the objects it works on."""

    index: int
    url: str
    login: str
    name: str
    organisation: str
    first_passphrase: str
    home: str
    result_path: str
    seed: int
    seconds: float
    think: tuple[float, float]
    #: The Infohus Kommune its new cases belong to.
    municipality: str
    #: The case several workstations edit at the same time.
    shared_case: str
    #: Cases it can read (seed cases of its access groups).
    readable_cases: tuple[str, ...]
    #: Surnames of persons in those cases, for searching.
    search_terms: tuple[str, ...]
    meeting: MeetingPlan | None
    #: The vault's root fingerprint, as the coordinator tells a new workstation to compare.
    root_fingerprint: str


@dataclass
class Written:
    """What one workstation wrote and was told was saved (acknowledged writes)."""

    #: Case number -> the unique person name it was opened with.
    cases: dict[str, str] = field(default_factory=dict)
    #: [case number, entry id, unique text] of each journal entry.
    journal: list[list[str]] = field(default_factory=list)
    #: Case number -> the statuses it was moved to, in order.
    statuses: dict[str, list[str]] = field(default_factory=dict)
    #: Tokens appended to the shared case's title by saves that succeeded.
    shared_tokens: list[str] = field(default_factory=list)
    #: Tokens of shared-case saves refused with a conflict (reported to the user).
    shared_conflicts: list[str] = field(default_factory=list)
    #: [item id, version returned, unique notes] of each meeting-notes save.
    meeting_notes: list[list[str]] = field(default_factory=list)
    #: Trend note id -> unique title.
    trend_notes: dict[str, str] = field(default_factory=dict)
    #: Referral id -> case number.
    referrals: dict[str, str] = field(default_factory=dict)
