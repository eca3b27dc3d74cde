"""Meetings: plan, agenda, hold, approve, send; action items; agenda and minutes as PDF; the
invitation as .ics.

:class:`MeetingService` (``session.meetings``) is the one entry point. It is composed of
parts, each written once in the module that does its work, on a common
:class:`~infohus_desktop.services.meetings.base.MeetingBase` (the member session,
:meth:`~MeetingBase.resolve`, ``list`` and ``get``): ``plan`` (planning and participants),
``agenda`` (items and their order), ``minutes`` (notes, decisions, lifecycle, addenda),
``action_items``, ``trend_items`` (trend notes on agendas) and ``output`` (PDF and .ics).
Underneath, ``store`` holds rows, keys, access and the lock, and ``reader`` decrypts a meeting
for its reader.

Access: coordinators of the meeting's group plan it; the chair, the minute taker and the
group's coordinators write the minutes; the chair approves; every member of the meeting's
group reads it; the content of a case item is readable only by the case's access group (the
others get it withheld). After approval every path that would change the minutes raises
:class:`~infohus_desktop.domain.meetings.MeetingLocked`; corrections are addenda. Closing an
action item stays possible: it is follow-up, recorded with who and when.

Ids: every method takes a meeting as a :class:`uuid.UUID`, its string, or its short id (the
first 8 or more hex digits, see :meth:`MeetingBase.resolve`).
"""

from __future__ import annotations

from infohus_desktop.services.meetings.action_items import MeetingActionItems
from infohus_desktop.services.meetings.agenda import MeetingAgenda
from infohus_desktop.services.meetings.minutes import MeetingMinutes
from infohus_desktop.services.meetings.output import MeetingOutput
from infohus_desktop.services.meetings.plan import MeetingPlanning
from infohus_desktop.services.meetings.trend_items import MeetingTrends


class MeetingService(
    MeetingPlanning,
    MeetingAgenda,
    MeetingMinutes,
    MeetingActionItems,
    MeetingTrends,
    MeetingOutput,
):
    """Every meeting operation of a member session (``session.meetings``)."""


__all__ = ["MeetingService"]
