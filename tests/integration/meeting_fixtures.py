"""A district with an Aarhus case meeting ready to hold, for the meeting tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.meetings import MeetingKind, NewMeeting
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

STARTS = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class MeetingWorld:
    district: District
    lars: MemberServices  # police coordinator, chair
    mette: MemberServices  # Aarhus member, minute taker, in the case's custom group
    gitte: MemberServices  # Aarhus member outside the custom group
    jens: MemberServices  # Randers member: outside the Aarhus Infohus
    open_case: CaseSummary  # Aarhus group: every Aarhus member reads it
    secret_case: CaseSummary  # custom group {lars, mette}


def meeting_world(district: District) -> MeetingWorld:
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    gitte = district.enrol("gitte", "Gitte Ørsted", "Aarhus Kommune", Role.MEMBER)
    jens = district.enrol("jens", "Jens Bak", "Randers Kommune", Role.MEMBER)
    lars.groups.add("Særlig kreds", member_logins=["lars", "mette"])
    open_case = lars.cases.open_case(new_case("Åge Ærløse Østergård"))
    secret_case = lars.cases.open_case(new_case("Bjørk Særlig Hemmelig", group="Særlig kreds"))
    return MeetingWorld(district, lars, mette, gitte, jens, open_case, secret_case)


def plan_case_meeting(w: MeetingWorld, title: str = "Infohusmøde Aarhus") -> uuid.UUID:
    meeting = w.lars.meetings.plan(
        NewMeeting(
            kind=MeetingKind.CASE,
            title=title,
            starts_at=STARTS,
            place="Rådhuset, mødelokale 2",
            local_infohus="Aarhus Kommune",
            chair_id=w.lars.member.id,
            minute_taker_id=w.mette.member.id,
            member_ids=(w.gitte.member.id,),
        )
    )
    return meeting.id
