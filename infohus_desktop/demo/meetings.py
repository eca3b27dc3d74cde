"""The demo's meetings: 12 months of monthly network meetings of the district and case
meetings of each Infohus Kommune, with agendas, minutes, recommendations and action items;
the past ones held and approved (most also sent), the next ones planned. Each network meeting
discusses the trend notes of the month before it (trend items; ``make_trend_notes`` runs
first), one of them narrowed to the police, so other members see that item withheld.

Made through the meeting service as the coordinators would. Only the clear timestamps of
holding, approving, sending and closing are then set back to plausible days after each meeting
(the service stamps "now"): a demo built today should not show a year of minutes all approved
this morning. Action items: some closed, some open, some overdue.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.demo.context import DemoContext
from infohus_desktop.demo.members import (
    KRIMINALFORSORGEN,
    MUNICIPALITIES,
    POLICE,
    POLICE_COORDINATOR,
    POLICE_MEMBER,
    PSYCHIATRY,
    Municipality,
)
from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.meetings import (
    Attendance,
    DecisionKind,
    GuestInput,
    ItemKind,
    MeetingKind,
    MeetingType,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.domain.trends import TrendSummary
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.meetings.service import MeetingService
from infohus_desktop.services.meetings.store import as_utc
from infohus_desktop.vault.meeting_schema import ActionItemRow, MeetingRow

LOCAL = ZoneInfo("Europe/Copenhagen")
MONTHS = 12

ORIENTATIONS = (
    ("Politiet", "Status på uro i nattelivet og nye opslag på sociale medier"),
    ("SSP", "Erfaringer fra forældremøder i udskolingen"),
    ("Kriminalforsorgen", "Løsladelser i kvartalet og samarbejdet om udslusning"),
    ("Jobcenter", "Unge uden uddannelse: nye tilbud fra efteråret"),
    ("Region Midtjylland, Psykiatrien", "Samarbejdsaftale om hurtig udredning"),
)
TRENDS = (
    "Øget deling af voldsforherligende videoer blandt elever i 7.-9. klasse",
    "Online fællesskaber med konspirationsteorier rekrutterer via spilplatforme",
    "Enkelte grupper af unge samles om antidemokratiske budskaber i weekenderne",
    "Flere henvendelser fra skoler efter internationale konflikter i nyhederne",
)
CASE_NOTES = (
    "Sagen blev gennemgået. Skolen oplever positiv udvikling, men bekymringen er ikke væk.",
    "Kort status: familien har taget imod samtale; den unge deltager i fritidsjob.",
    "Drøftet: politiet har ingen nye oplysninger; kommunen fortsætter mentorforløbet.",
    "Ny underretning fra skolen. Medlemmerne var enige om at følge tæt op.",
)
RECOMMENDATIONS = (
    ("Infohuset anbefaler en bekymringssamtale med den unge og forældrene.", "Politiet"),
    ("Infohuset anbefaler, at kommunen tilbyder et mentorforløb.", "{muni}"),
    ("Infohuset anbefaler, at skolen styrker kontakten til hjemmet.", "{muni}"),
    ("Infohuset anbefaler udredning i børne- og ungdomspsykiatrien.", PSYCHIATRY),
)
AGREEMENTS = (
    ("SSP-konsulenten tager kontakt til skolen inden næste møde.", "{muni}"),
    ("Politiet orienterer Infohuset, hvis der kommer nye oplysninger.", "Politiet"),
    ("Sagen tages op igen om fire uger.", "{muni}"),
)
NETWORK_ACTIONS = (
    "Orientere skolernes ledere om tendensen",
    "Samle erfaringer fra kommunerne til næste møde",
    "Invitere en oplægsholder om online radikalisering",
)
ACTIONS = (
    "Indkalde til bekymringssamtale",
    "Kontakte skolelederen om fravær",
    "Undersøge muligheden for mentor",
    "Følge op med forældrene",
    "Sende opsummering til sagsbehandler",
    "Indhente status fra Kriminalforsorgen",
)


def _orientation(ctx: DemoContext) -> NewAgendaItem:
    organisation, title = ctx.rng.choice(ORIENTATIONS)
    return NewAgendaItem(ItemKind.ORIENTATION, title, organisation=organisation)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), LOCAL)


def _decide(ctx: DemoContext, svc: MeetingService, item_id: uuid.UUID, muni: str) -> None:
    text, authority = ctx.rng.choice(RECOMMENDATIONS)
    svc.add_decision(item_id, DecisionKind.RECOMMENDATION, text, authority.format(muni=muni))
    if ctx.rng.random() < 0.6:
        text, authority = ctx.rng.choice(AGREEMENTS)
        svc.add_decision(item_id, DecisionKind.AGREEMENT, text, authority.format(muni=muni))


def _actions(
    ctx: DemoContext,
    svc: MeetingService,
    item_id: uuid.UUID,
    day: date,
    owners: list[uuid.UUID],
    texts: tuple[str, ...] = ACTIONS,
) -> None:
    for _ in range(ctx.rng.choice((0, 1, 1, 2))):
        svc.add_action_item(
            item_id,
            NewActionItem(
                ctx.rng.choice(texts),
                day + timedelta(days=ctx.rng.choice((14, 21, 28, 42))),
                owner_id=ctx.rng.choice(owners),
            ),
        )


def _hold(
    ctx: DemoContext,
    chair: MemberServices,
    meeting_id: uuid.UUID,
    people: list[uuid.UUID],
    past: bool,
) -> None:
    """Attendance, then held and approved by the chair, most sent."""
    if not past:
        return
    svc = chair.meetings
    svc.set_attendance(
        meeting_id,
        {p: Attendance.PRESENT if ctx.rng.random() < 0.85 else Attendance.ABSENT for p in people},
    )
    current = svc.get(meeting_id)
    current = svc.mark_held(meeting_id, current.version)
    current = svc.approve(meeting_id, current.version)
    if ctx.rng.random() < 0.8:
        svc.mark_sent(meeting_id, current.version)
    ctx.made["meeting.approved"] += 1


def _case_meeting(
    ctx: DemoContext, muni: Municipality, day: date, cases: list[CaseSummary], past: bool
) -> None:
    chair = ctx.sessions[muni.coordinator]
    members = {m.login: m.id for m in chair.meetings.members()}
    owners = [members[muni.coordinator], members[muni.member], members[POLICE_MEMBER]]
    meeting = chair.meetings.plan(
        NewMeeting(
            kind=MeetingKind.CASE,
            title=f"Infohusmøde {muni.town}",
            starts_at=_at(day, 9),
            ends_at=_at(day, 11),
            place=f"{muni.town} Rådhus, mødelokale {ctx.rng.randint(1, 4)}",
            meeting_type=(
                MeetingType.EXTRAORDINARY if ctx.rng.random() < 0.08 else MeetingType.ORDINARY
            ),
            local_infohus=muni.name,
            chair_id=members[muni.coordinator],
            minute_taker_id=members[muni.member],
            member_ids=(members[POLICE_COORDINATOR], members[POLICE_MEMBER]),
        )
    )
    svc = chair.meetings
    people = [p.id for p in meeting.participants]
    if ctx.rng.random() < 0.3:
        guest = GuestInput("Henrik Dal", KRIMINALFORSORGEN, "hd@kriminalforsorgen.example")
        people.append(svc.add_guest(meeting.id, guest).id)
    svc.add_item(meeting.id, _orientation(ctx))
    due = [c for c in cases if c.received <= day]
    for case in ctx.rng.sample(due, min(len(due), ctx.rng.randint(1, 4))):
        item = svc.add_item(
            meeting.id, NewAgendaItem(ItemKind.CASE, "Status og videre forløb", case.number)
        )
        if past:
            svc.record_notes(item.id, ctx.rng.choice(CASE_NOTES), item.version)
            _decide(ctx, svc, item.id, muni.name)
            _actions(ctx, svc, item.id, day, owners)
    other = svc.add_item(meeting.id, NewAgendaItem(ItemKind.OTHER))
    if past:
        svc.record_notes(other.id, "Intet under eventuelt.", other.version)
    ctx.made["meeting.case"] += 1
    _hold(ctx, chair, meeting.id, people, past)


#: At most this many trend notes on one network meeting's agenda.
TREND_ITEMS = 3


def _trends_of(notes: list[TrendSummary], day: date) -> list[TrendSummary]:
    """The notes a network meeting on ``day`` discusses: those whose period ended in the month
    before it (for the next meeting: this month's so far), newest period first."""
    recent = [n for n in notes if day - timedelta(days=31) <= n.period_to < day]
    recent.sort(key=lambda n: n.title)
    recent.sort(key=lambda n: n.period_from, reverse=True)
    return recent[:TREND_ITEMS]


def _network_meeting(ctx: DemoContext, day: date, past: bool, notes: list[TrendSummary]) -> None:
    chair = ctx.sessions[POLICE_COORDINATOR]
    members = {m.login: m.id for m in chair.meetings.members()}
    invited = tuple(members[m.coordinator] for m in MUNICIPALITIES)
    meeting = chair.meetings.plan(
        NewMeeting(
            kind=MeetingKind.NETWORK,
            title="Netværksmøde Infohus Østjylland",
            starts_at=_at(day, 13),
            ends_at=_at(day, 15),
            place="Østjyllands Politi, Ridderstræde, Aarhus",
            chair_id=members[POLICE_COORDINATOR],
            minute_taker_id=members[POLICE_MEMBER],
            member_ids=invited,
        )
    )
    svc = chair.meetings
    people = [p.id for p in meeting.participants]
    owners = [members[POLICE_MEMBER], *invited]
    trend = ctx.rng.choice(TRENDS)
    items = [
        svc.add_item(
            meeting.id,
            NewAgendaItem(ItemKind.ORIENTATION, "Tendenser i distriktet", organisation=POLICE),
        ),
        svc.add_item(meeting.id, _orientation(ctx)),
    ]
    trend_items = [
        svc.add_item(meeting.id, NewAgendaItem(ItemKind.TREND, trend_note=note.id))
        for note in _trends_of(notes, day)
    ]
    ctx.made["meeting.trend_item"] += len(trend_items)
    svc.add_item(meeting.id, NewAgendaItem(ItemKind.OTHER))
    if past and trend_items:
        first = trend_items[0]
        svc.record_notes(
            first.id,
            "Kommunerne genkender billedet; SSP tager det op på skolerne.",
            first.version,
        )
    if past:
        svc.record_notes(
            items[0].id, f"Drøftet: {trend}. Ingen personoplysninger.", items[0].version
        )
        svc.add_decision(
            items[0].id,
            DecisionKind.AGREEMENT,
            "Kommunerne orienterer deres skoler om tendensen.",
            "Kommunerne",
        )
        _actions(ctx, svc, items[0].id, day, owners, NETWORK_ACTIONS)
    ctx.made["meeting.network"] += 1
    _hold(ctx, chair, meeting.id, people, past)


def _backdate(ctx: DemoContext) -> None:
    """Holding, approval, sending and closing on plausible days after each meeting. Written
    by a member who holds the meeting's group key: the flush seals the changed clear values
    with it (vault/row_binding.py)."""
    done: set[uuid.UUID] = set()
    for member in ctx.sessions.values():
        with member.uow() as session:
            rows = [
                member.open_bound(session, row)
                for row in session.scalars(select(MeetingRow))
                if row.id not in done and member.keyring.is_member(session, row.group_id)
            ]
            for row in sorted(rows, key=lambda r: r.starts_at):  # the start is sealed
                done.add(row.id)
                _backdate_meeting(ctx, member, session, row)


def _backdate_meeting(
    ctx: DemoContext, member: MemberServices, session: Session, row: MeetingRow
) -> None:
    start = as_utc(row.starts_at)
    assert start is not None
    if row.held_at is not None:
        row.held_at = start + timedelta(hours=2)
    if row.approved_at is not None:
        row.approved_at = start + timedelta(days=ctx.rng.randint(2, 6))
    if row.sent_at is not None and row.approved_at is not None:
        row.sent_at = row.approved_at + timedelta(days=1)
    actions = session.scalars(select(ActionItemRow).where(ActionItemRow.meeting_id == row.id))
    for action in actions:
        if member.open_bound(session, action).closed_at is None:
            continue
        assert action.deadline is not None
        action.closed_at = _at(action.deadline - timedelta(days=ctx.rng.randint(0, 7)), 12)


def make_meetings(ctx: DemoContext) -> None:
    """12 months back (``ctx.meeting_months``) and one meeting ahead per forum, in date order;
    before each meeting the action items well past their deadline are mostly closed, so a few
    stay overdue."""
    first = ctx.today - timedelta(days=365 * ctx.meeting_months // 12)
    horizon = ctx.today + timedelta(days=28)
    events: list[tuple[date, int, Municipality | None]] = []
    for index, muni in enumerate(MUNICIPALITIES):
        day = first + timedelta(days=ctx.rng.randint(0, 20))
        while day <= horizon:
            events.append((_weekday(day), index, muni))
            day += timedelta(days=28)
    day = first + timedelta(days=7)
    while day <= horizon:
        events.append((_weekday(day), len(MUNICIPALITIES), None))
        day += timedelta(days=30)
    cases: dict[str, list[CaseSummary]] = {}
    for muni in MUNICIPALITIES:
        readable = ctx.sessions[muni.coordinator].cases.list()
        cases[muni.name] = [
            c for c in readable if c.municipality == muni.name and c.status is not CaseStatus.CLOSED
        ]
    notes = ctx.sessions[POLICE_COORDINATOR].trends.summaries()
    kept_open: set[uuid.UUID] = set()
    for day, _order, host in sorted(events, key=lambda e: (e[0], e[1])):
        past = day < ctx.today
        _close_due(ctx, min(day, ctx.today), kept_open)
        if host is None:
            _network_meeting(ctx, day, past, notes)
        else:
            _case_meeting(ctx, host, day, cases[host.name], past)
    _close_due(ctx, ctx.today, kept_open)
    _backdate(ctx)


def _weekday(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _close_due(ctx: DemoContext, day: date, kept_open: set[uuid.UUID]) -> None:
    """Close 85 % of the action items more than ten days past their deadline on ``day``."""
    lars = ctx.sessions[POLICE_COORDINATOR]
    for action in lars.meetings.open_action_items():
        if action.withheld or action.deadline is None or action.id in kept_open:
            continue
        if action.deadline < day - timedelta(days=10):
            if ctx.rng.random() < 0.85:
                lars.meetings.close_action_item(action.id)
                ctx.made["meeting.action.closed"] += 1
            else:
                kept_open.add(action.id)
