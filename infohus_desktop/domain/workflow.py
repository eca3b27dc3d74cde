"""The life of a concern case (DOMAIN.md, "Status"): which status may follow which.

Every change is made with who, when and why; closing needs a closing reason, reopening a
reason. The table below is the whole rule: nothing else in the code decides a transition.
"""

from __future__ import annotations

import enum
import unicodedata

from infohus_desktop.domain.errors import InvalidInput


class CaseStatus(enum.StrEnum):
    RECEIVED = "modtaget"
    SCREENING = "screening"
    IN_INFOHUS = "i_infohus"
    MEASURES = "indsats"
    FOLLOW_UP = "opfoelgning"
    REFERRED = "henvist"
    CLOSED = "afsluttet"
    TRANSFERRED = "overdraget"


STATUS_LABELS: dict[CaseStatus, tuple[str, str]] = {
    CaseStatus.RECEIVED: ("Modtaget", "Received"),
    CaseStatus.SCREENING: ("Screening", "Screening"),
    CaseStatus.IN_INFOHUS: ("I Infohus", "In the Infohus"),
    CaseStatus.MEASURES: ("Indsats", "Measures"),
    CaseStatus.FOLLOW_UP: ("Opfølgning", "Follow-up"),
    CaseStatus.REFERRED: ("Henvist", "Referred"),
    CaseStatus.CLOSED: ("Afsluttet", "Closed"),
    CaseStatus.TRANSFERRED: ("Overdraget", "Transferred"),
}


class ClosingReason(enum.StrEnum):
    UNFOUNDED = "ubegrundet"
    POLICE = "haandteret_af_politiet"
    OTHER_AUTHORITY = "anden_myndighed"
    MEASURES_DONE = "indsats_afsluttet"
    MOVED_AWAY = "fraflyttet"
    OTHER = "andet"


CLOSING_LABELS: dict[ClosingReason, tuple[str, str]] = {
    ClosingReason.UNFOUNDED: ("Ubegrundet", "Unfounded"),
    ClosingReason.POLICE: ("Håndteret af politiet", "Handled by the police"),
    ClosingReason.OTHER_AUTHORITY: ("Anden myndighed", "Another authority"),
    ClosingReason.MEASURES_DONE: ("Indsats afsluttet", "Measures completed"),
    ClosingReason.MOVED_AWAY: ("Fraflyttet", "Moved away"),
    ClosingReason.OTHER: ("Andet", "Other"),
}

S = CaseStatus
#: Allowed transitions. Reopening a closed case is the only way out of CLOSED and needs a
#: reason like any other change; TRANSFERRED is final (the case lives on in the other Infohus).
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.RECEIVED: frozenset({S.SCREENING, S.CLOSED}),
    S.SCREENING: frozenset({S.IN_INFOHUS, S.CLOSED}),
    S.IN_INFOHUS: frozenset({S.MEASURES, S.FOLLOW_UP, S.REFERRED, S.CLOSED, S.TRANSFERRED}),
    S.MEASURES: frozenset({S.IN_INFOHUS, S.FOLLOW_UP, S.REFERRED, S.CLOSED, S.TRANSFERRED}),
    S.FOLLOW_UP: frozenset({S.IN_INFOHUS, S.MEASURES, S.REFERRED, S.CLOSED, S.TRANSFERRED}),
    S.REFERRED: frozenset({S.MEASURES, S.FOLLOW_UP, S.CLOSED}),
    S.CLOSED: frozenset({S.SCREENING, S.IN_INFOHUS}),
    S.TRANSFERRED: frozenset(),
}
OPEN_STATUSES = frozenset(set(CaseStatus) - {S.CLOSED, S.TRANSFERRED})


#: Set only by a handover (services/cases/transfer.py: a bundle sent, or a handover made
#: outside the program recorded), never chosen as a status: it makes the case read-only and
#: due after the handed-over cases' period, and the disclosure must be recorded with it. Chosen
#: by hand it did neither, and a member could make an open case due in six months.
HANDOVER_ONLY = frozenset({S.TRANSFERRED})


def check_chosen_status(new: CaseStatus) -> None:
    """Refuse a status a member may not choose by hand, saying how it is set instead."""
    if new in HANDOVER_ONLY:
        raise InvalidInput(
            "»Overdraget« vælges ikke som status: en sag overdrages med »Overdrag sagen …« "
            "(infohus case transfer), som også registrerer en overdragelse, der er sket uden "
            "om programmet.",
            "'Transferred' is not chosen as a status: a case is handed over with 'Hand over "
            "the case …' (infohus case transfer), which also records a handover made outside "
            "the program.",
        )


def has_visible_text(text: str) -> bool:
    """A reason must hold something a reader can see: letters, digits, punctuation or
    symbols, not only spaces, zero-width or control characters."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def check_transition(
    current: CaseStatus,
    new: CaseStatus,
    reason: str,
    closing_reason: ClosingReason | None,
) -> None:
    """Raise :class:`InvalidInput` unless ``current → new`` is allowed with these reasons."""
    if new not in TRANSITIONS[current]:
        da_from, en_from = STATUS_LABELS[current]
        da_to, en_to = STATUS_LABELS[new]
        raise InvalidInput(
            f"En sag kan ikke gå fra »{da_from}« til »{da_to}«.",
            f"A case cannot go from '{en_from}' to '{en_to}'.",
        )
    if not has_visible_text(reason):
        raise InvalidInput("Skriv hvorfor status ændres.", "Say why the status changes.")
    if new == S.CLOSED and closing_reason is None:
        raise InvalidInput(
            "En sag kan kun afsluttes med en afslutningsårsag.",
            "A case can only be closed with a closing reason.",
        )
    if new != S.CLOSED and closing_reason is not None:
        raise InvalidInput(
            "Afslutningsårsag gives kun, når sagen afsluttes.",
            "A closing reason is given only when the case is closed.",
        )


def handover_hint(status: CaseStatus) -> tuple[str, str] | None:
    """Why a case in ``status`` cannot be handed over to another Infohus, and what to do
    first; None when it can. The workflow's own refusal ("cannot go from »Henvist« to
    »Overdraget«") told a coordinator nothing they could act on (user trial)."""
    if S.TRANSFERRED in TRANSITIONS[status]:
        return None
    if status in (S.RECEIVED, S.SCREENING):
        return (
            "En sag overdrages, når Infohuset har taget den op (status »I Infohus«).",
            "A case is handed over once the Infohus has taken it up (status 'In the Infohus').",
        )
    if status is S.REFERRED:
        return (
            "En henvist sag flyttes først til »Indsats« eller »Opfølgning«.",
            "A referred case is first moved to 'Measures' or 'Follow-up'.",
        )
    if status is S.CLOSED:
        return (
            "En afsluttet sag genåbnes først (»I Infohus«).",
            "A closed case is reopened first ('In the Infohus').",
        )
    return ("Sagen er allerede overdraget.", "The case was already handed over.")
