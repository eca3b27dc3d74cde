"""The start page (*Overblik*): what needs this member's attention after unlock.

Each section comes from the feature that owns it, through that feature's own audited read: my
follow-ups (cases I lead whose follow-up date is past or within a week), my open action items,
meetings in the next 14 days, referrals waiting for an answer, incoming referrals, and for
coordinators the cases due for deletion and the members still waiting for a group's key. A
section the member's role may not see is left out, not shown empty. No person's name is on the
page: cases by number, action items by their meeting and deadline, unless the member chose to
see names (``with_names``).
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import TypeVar

from infohus_desktop.domain.backups import BackupStatus
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.workflow import OPEN_STATUSES
from infohus_desktop.services.accounts.format_step import (
    SIGNED_SETTINGS,
    PendingStep,
    pending_step,
)
from infohus_desktop.services.accounts.groups import GroupService
from infohus_desktop.services.accounts.vault_upgrade import unlisted_cases, upgrade_due
from infohus_desktop.services.backups.service import Backups
from infohus_desktop.services.cases.index import CaseIndex
from infohus_desktop.services.core import signed_settings
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings.service import MeetingService
from infohus_desktop.services.referrals.incoming import IncomingReferrals
from infohus_desktop.services.referrals.service import ReferralService
from infohus_desktop.services.retention.due import DueList
from infohus_desktop.services.retention.rules import RetentionRulesService

T = TypeVar("T")

#: A follow-up this close counts as coming up.
FOLLOW_UP_DAYS = 7
#: Meetings this far ahead are listed.
MEETING_DAYS = 14
#: The start page lists this many of my follow-ups, the nearest first, and counts the rest:
#: a page of 40,000 lines (a vault whose cases one member leads) took the window seconds
#: to fill, and nobody reads past the first screens; the case list shows them all.
FOLLOW_UPS_LISTED = 50


@dataclass(frozen=True, slots=True)
class FollowUp:
    case_number: str
    follow_up: date
    person_name: str | None  # only with names chosen

    def overdue(self, today: date) -> bool:
        return self.follow_up < today


@dataclass(frozen=True, slots=True)
class OpenTask:
    action_id: uuid.UUID
    meeting_id: uuid.UUID
    meeting_date: date | None
    deadline: date | None
    case_number: str | None
    text: str | None  # only with names chosen: a task's words may name a person


@dataclass(frozen=True, slots=True)
class ComingMeeting:
    meeting_id: uuid.UUID
    starts_at: datetime
    title: str
    forum: str


@dataclass(frozen=True, slots=True)
class AwaitedReferral:
    referral_id: uuid.UUID
    case_number: str
    programme: str
    sent_on: date | None


@dataclass(frozen=True, slots=True)
class Overview:
    """Every section as a tuple, or None when the member's role does not see it."""

    today: date
    follow_ups: tuple[FollowUp, ...] | None
    tasks: tuple[OpenTask, ...] | None
    meetings: tuple[ComingMeeting, ...] | None
    referrals: tuple[AwaitedReferral, ...] | None
    incoming: int | None
    due_now: int | None
    due_soon: int | None
    #: Coordinators: per access group, the logins still waiting for its key.
    waiting: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    #: The vault waits for ``vault upgrade`` (issue 20): new cases and statistics until then.
    upgrade_due: bool = False
    #: Coordinators: when the last backup and drill were (the reminder, issue 13).
    backup: BackupStatus | None = None
    #: Coordinators: cases whose sealed copy an earlier version made without the listing
    #: (issue 17), as the list just read found them; ``vault upgrade`` seals them anew.
    unlisted: int = 0
    #: My follow-ups beyond the ``FOLLOW_UPS_LISTED`` nearest in ``follow_ups``.
    follow_ups_more: int = 0
    #: Coordinators of a vault before format 4: the vocabulary to sign, and the format to
    #: raise if this is the root (format_step.py); None when there is nothing for them.
    format_step: PendingStep | None = None
    #: Settings changed outside the program (signed_settings.py), as (Danish, English)
    #: messages: what no longer works until a coordinator sets them again.
    settings_problems: tuple[tuple[str, str], ...] = ()


class OverviewService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def build(self, today: date | None = None, with_names: bool = False) -> Overview:
        self.ms.require()
        today = today or date.today()
        # Guests work in shared cases only; meetings are the Infohus members' (the window
        # has no meetings area for them either).
        meets = self.ms.member.role is not Role.GUEST
        follow_ups = _or_none(lambda: self._follow_ups(today, with_names))
        return Overview(
            today,
            follow_ups[0] if follow_ups is not None else None,
            _or_none(lambda: self._tasks(with_names)) if meets else None,
            _or_none(lambda: self._meetings(today)) if meets else None,
            _or_none(self._referrals),
            _or_none(lambda: len(IncomingReferrals(self.ms).list())),
            *self._due(today),
            self._waiting(),
            upgrade_due(self.ms),
            Backups(self.ms).status() if self.ms.member.role is Role.COORDINATOR else None,
            # After the follow-ups' list above, which finds them.
            unlisted_cases(self.ms) if self.ms.member.role is Role.COORDINATOR else 0,
            follow_ups[1] if follow_ups is not None else 0,
            _or_none(lambda: pending_step(self.ms)),
            self._settings_problems(),
        )

    def _follow_ups(self, today: date, with_names: bool) -> tuple[tuple[FollowUp, ...], int]:
        """The ``FOLLOW_UPS_LISTED`` nearest follow-ups of the open cases I lead (past, or
        within ``FOLLOW_UP_DAYS``), and how many more there are."""
        me, horizon = self.ms.member.id, today + timedelta(days=FOLLOW_UP_DAYS)
        # The date first: most cases have none or a later one, and it is the cheap test.
        mine = [
            c
            for c in CaseIndex(self.ms).unsorted()
            if c.follow_up is not None
            and c.follow_up <= horizon
            and c.status in OPEN_STATUSES
            and not c.tampered
            and c.lead_member_id == me
        ]
        nearest = heapq.nsmallest(FOLLOW_UPS_LISTED, mine, key=attrgetter("follow_up", "number"))
        listed = tuple(
            FollowUp(c.number, c.follow_up, c.person_name if with_names else None)
            for c in nearest
            if c.follow_up is not None  # as filtered above; for the type checker
        )
        return listed, len(mine) - len(listed)

    def _tasks(self, with_names: bool) -> tuple[OpenTask, ...]:
        return tuple(
            OpenTask(
                a.id,
                a.meeting_id,
                a.meeting_date,
                a.deadline,
                a.case_number,
                a.text if with_names else None,
            )
            for a in MeetingService(self.ms).open_action_items(mine=True)
        )

    def _meetings(self, today: date) -> tuple[ComingMeeting, ...]:
        until = today + timedelta(days=MEETING_DAYS)
        found = MeetingService(self.ms).list(since=today, until=until)
        return tuple(
            ComingMeeting(m.id, m.starts_at, m.title, m.forum)
            for m in sorted(found, key=lambda m: m.starts_at)
            if not m.tampered
        )

    def _referrals(self) -> tuple[AwaitedReferral, ...]:
        waiting = ReferralService(self.ms).list(
            statuses=(ReferralStatus.SENT, ReferralStatus.RECEIVED)
        )
        return tuple(
            AwaitedReferral(r.id, r.case_number, r.programme.value, r.sent_on)
            for r in sorted(waiting, key=lambda r: (r.sent_on or r.referral_date, r.case_number))
            if not r.tampered
        )

    def _waiting(self) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
        if self.ms.member.role is not Role.COORDINATOR:
            return None
        return tuple(
            (group, tuple(logins)) for group, logins in GroupService(self.ms).waiting_for_keys()
        )

    def _settings_problems(self) -> tuple[tuple[str, str], ...]:
        problems = []
        with self.ms.uow() as session:
            for spec in SIGNED_SETTINGS:
                try:
                    signed_settings.read(self.ms, session, spec)
                except TamperedData as exc:
                    problems.append((exc.message("da"), exc.message("en")))
        return tuple(problems)

    def _due(self, today: date) -> tuple[int | None, int | None]:
        if self.ms.member.role is not Role.COORDINATOR:
            return None, None
        try:
            RetentionRulesService(self.ms).get()
        except TamperedData:
            return None, None  # the rules do not verify: said among the settings' problems
        entries = DueList(self.ms).due(today=today)
        now = sum(1 for e in entries if e.due(today) and not e.held(today))
        return now, sum(1 for e in entries if not e.due(today))


def _or_none(section: Callable[[], T]) -> T | None:
    """A section the role may not see is left out."""
    try:
        return section()
    except AccessDenied:
        return None


__all__ = ["FOLLOW_UPS_LISTED", "FOLLOW_UP_DAYS", "MEETING_DAYS", "Overview", "OverviewService"]
