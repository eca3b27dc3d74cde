"""Words and formats the agenda, the minutes and the CLI share (Danish and English).

Plain text only: the command line's meeting commands import this module, and must not pay
for ReportLab (about 60 ms and 20 MiB) to print a table. The flowables built from these
words are in :mod:`infohus_desktop.reports.meeting_flowables`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from infohus_desktop.domain.labels import (
    ACTION_STATUS_LABELS,
    ATTENDANCE_LABELS,
    DECISION_KIND_LABELS,
    ITEM_KIND_LABELS,
    MEETING_KIND_LABELS,
    MEETING_STATUS_LABELS,
)
from infohus_desktop.domain.meetings import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingType,
    deleted_case_text,
)

LOCAL = ZoneInfo("Europe/Copenhagen")
Tr = Callable[[str, str], str]

KIND = MEETING_KIND_LABELS
TYPE = {
    MeetingType.ORDINARY: ("ordinært", "ordinary"),
    MeetingType.EXTRAORDINARY: ("ekstraordinært", "extraordinary"),
}
STATUS = MEETING_STATUS_LABELS
ITEM = ITEM_KIND_LABELS
DECISION = DECISION_KIND_LABELS
ACTION = ACTION_STATUS_LABELS
ATTENDANCE = ATTENDANCE_LABELS


def fmt_date(value: date | None) -> str:
    return "" if value is None else f"{value:%d.%m.%Y}"


def fmt_time(value: datetime | None) -> str:
    return "" if value is None else f"{value.astimezone(LOCAL):%H.%M}"


def fmt_moment(value: datetime | None, t: Tr) -> str:
    if value is None:
        return ""
    local = value.astimezone(LOCAL)
    return t(f"{local:%d.%m.%Y} kl. {local:%H.%M}", f"{local:%d.%m.%Y} at {local:%H.%M}")


def withheld_line(t: Tr, kind: ItemKind | None = None) -> str:
    """Why an item or an action item of an item of this ``kind`` shows no content."""
    if kind is ItemKind.TREND:
        return t(
            "Indholdet er tilbageholdt: du er ikke med i tendensnotatets adgangskreds.",
            "Content withheld: you are not in the trend note's access group.",
        )
    return t(
        "Indholdet er tilbageholdt: du er ikke med i sagens adgangskreds.",
        "Content withheld: you are not in the case's access group.",
    )


def item_heading(item: AgendaItem, t: Tr) -> str:
    """ "3. Sag AAR-2026-0007: Opfølgning" — by number; a withheld case shows no number.
    "2. Tendensnotat: <the note's title> – <the item's own heading>"."""
    kind = t(*ITEM[item.kind])
    parts = [f"{item.position}. {kind}"]
    if item.withheld:
        return parts[0]
    if item.deleted_on is not None:
        return f"{parts[0]}: {t(*deleted_case_text(item.deleted_on))}"
    if item.kind is ItemKind.TREND:
        parts.append(f": {item.trend_title or ''}")
        if item.title and item.title != item.trend_title:
            parts.append(f" – {item.title}")
        return "".join(parts)
    if item.kind is ItemKind.CASE and item.case_number:
        parts.append(f" {item.case_number}")
        if item.person_name:
            parts.append(f" ({item.person_name})")
    if item.kind is ItemKind.ORIENTATION and item.organisation:
        parts.append(t(f" fra {item.organisation}", f" from {item.organisation}"))
    if item.title and item.title != kind:
        parts.append(f": {item.title}")
    return "".join(parts)


def meeting_facts(meeting: Meeting, t: Tr) -> list[tuple[str, str]]:
    s = meeting.summary
    when = fmt_time(s.starts_at) + (f"–{fmt_time(s.ends_at)}" if s.ends_at else "")
    facts = [
        (t("Møde", "Meeting"), s.title),
        (t("Slags", "Kind"), f"{t(*KIND[s.kind])}, {t(*TYPE[s.meeting_type])}"),
        (t("Forum", "Forum"), s.forum),
        (t("Dato", "Date"), fmt_date(s.starts_at.astimezone(LOCAL).date())),
        (t("Tid", "Time"), when),
        (t("Sted", "Place"), s.place),
        (t("Mødeleder", "Chair"), meeting.chair_name),
        (t("Referent", "Minute taker"), meeting.minute_taker_name),
        (t("Status", "Status"), t(*STATUS[s.status])),
    ]
    return [(label, value) for label, value in facts if value]


def action_rows(
    actions: Sequence[ActionItem], t: Tr, with_origin: bool = False, today: date | None = None
) -> list[list[str]]:
    """Rows of an action item table; a deadline passed by ``today`` says so."""
    rows = []
    for a in actions:
        if a.withheld:
            text, owner = withheld_line(t, a.item_kind), ""
        else:
            text = f"{a.case_number}: {a.text}" if a.case_number and with_origin else a.text
            owner = a.owner_name
        status = t(*ACTION[a.status])
        if a.status is ActionStatus.DONE and a.closed_at is not None:
            status += f" {fmt_date(a.closed_at.astimezone(LOCAL).date())}"
            if a.closed_by_name:
                status += t(f" af {a.closed_by_name}", f" by {a.closed_by_name}")
        deadline = fmt_date(a.deadline)
        if today is not None and a.overdue(today):
            # On a line of its own: a narrow column would break the word itself.
            deadline += "\n" + t("overskredet", "overdue")
        row = [text, owner, deadline, status]
        if with_origin:
            row.append(fmt_date(a.meeting_date))
        rows.append(row)
    return rows
