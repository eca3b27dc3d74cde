"""The minutes (*referat*) as PDF: the document members print and keep.

Infohus name, meeting data, participants present and absent, every item with its notes,
recommendations and agreements (each with the owning authority) and action items, the open
action items with owners and deadlines, and the addenda made after approval. Every page says
FORTROLIGT, "Side X af Y" and who printed it when (the shared base). Cases by number; names
only when asked for (the service audits that choice and this document says so on page one).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from infohus_desktop.domain.meetings import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Meeting,
    Participant,
)
from infohus_desktop.reports.base import (
    CONTENT_WIDTH,
    DocumentRenderer,
    PrintStamp,
    data_table,
    label_value_table,
    para,
)
from infohus_desktop.reports.meeting_flowables import action_table, empty, heading
from infohus_desktop.reports.meeting_text import (
    DECISION,
    LOCAL,
    fmt_moment,
    item_heading,
    meeting_facts,
    withheld_line,
)


class MinutesRenderer(DocumentRenderer):
    def __init__(self, meeting: Meeting, stamp: PrintStamp, with_names: bool = False) -> None:
        super().__init__(
            title=stamp.t("Referat", "Minutes"),
            subtitle=meeting.summary.title,
            stamp=stamp,
            header_left=meeting.infohus_name,
        )
        self.meeting = meeting
        self.today = stamp.printed_at.astimezone(LOCAL).date()
        self.with_names = with_names

    def story(self) -> list[Flowable]:
        s, t, m = self.styles, self.t, self.meeting
        out: list[Flowable] = []
        if self.with_names:
            out.append(
                para(
                    t(
                        "Udskrevet med personnavne. Opbevar og kassér efter reglerne for "
                        "fortrolige oplysninger.",
                        "Printed with persons' names. Keep and dispose of it as confidential "
                        "information.",
                    ),
                    s.warning,
                )
            )
        facts = meeting_facts(m, t)
        if m.approved_at is not None:
            approved = fmt_moment(m.approved_at, t)
            if m.approved_by_name:
                approved += t(f" af {m.approved_by_name}", f" by {m.approved_by_name}")
            facts.append((t("Godkendt", "Approved"), approved))
        if m.sent_at is not None:
            facts.append((t("Udsendt", "Sent"), fmt_moment(m.sent_at, t)))
        out += [label_value_table(facts, s), Spacer(1, 3 * mm)]
        if m.description:
            out.append(para(m.description, s.body))
        out += self._participants()
        out.append(heading(t("Punkter", "Items"), s.h1))
        if not m.items:
            out.append(empty(s, t))
        for item in m.items:
            out += self._item(item)
        out += self._open_actions()
        if m.addenda:
            out += self._addenda()
        return out

    def _participants(self) -> list[Flowable]:
        s, t, m = self.styles, self.t, self.meeting
        out: list[Flowable] = [heading(t("Deltagere", "Participants"), s.h1)]
        groups = (
            (t("Til stede", "Present"), (Attendance.PRESENT,)),
            (t("Fraværende", "Absent"), (Attendance.ABSENT, Attendance.INVITED)),
        )
        for label, states in groups:
            people = [p for p in m.participants if p.attendance in states]
            out.append(heading(label, s.h3))
            if not people:
                out.append(empty(s, t))
                continue
            rows = [[p.name, p.organisation, self._role(p)] for p in people]
            header = [t("Navn", "Name"), t("Organisation", "Organisation"), t("Rolle", "Role")]
            widths = [0.38 * CONTENT_WIDTH, 0.38 * CONTENT_WIDTH, 0.24 * CONTENT_WIDTH]
            out.append(data_table(header, rows, s, widths))
        return out

    def _role(self, p: Participant) -> str:
        t, m = self.t, self.meeting
        roles = []
        if p.member_id is not None and p.member_id == m.chair_id:
            roles.append(t("Mødeleder", "Chair"))
        if p.member_id is not None and p.member_id == m.minute_taker_id:
            roles.append(t("Referent", "Minute taker"))
        if p.is_guest:
            roles.append(t("Gæst", "Guest"))
        return ", ".join(roles)

    def _item(self, item: AgendaItem) -> list[Flowable]:
        s, t = self.styles, self.t
        title = heading(item_heading(item, t), s.h2)
        if item.withheld:
            return [KeepTogether([title, para(withheld_line(t, item.kind), s.muted)])]
        out: list[Flowable] = [title]
        if item.notes:
            out.append(para(item.notes, s.body))
        if item.decisions:
            rows = [[t(*DECISION[d.kind]), d.text, d.authority] for d in item.decisions]
            header = [t("Type", "Kind"), t("Anbefaling / aftale", "Recommendation / agreement")]
            header.append(t("Myndighed", "Authority"))
            widths = [0.22 * CONTENT_WIDTH, 0.52 * CONTENT_WIDTH, 0.26 * CONTENT_WIDTH]
            out += [Spacer(1, 1.5 * mm), data_table(header, rows, s, widths)]
        if item.action_items:
            out.append(Spacer(1, 1.5 * mm))
            out += action_table(item.action_items, s, t)
        if not (item.notes or item.decisions or item.action_items):
            out.append(para(t("Intet referat til punktet.", "Nothing minuted."), s.muted))
        return out

    def _open_actions(self) -> list[Flowable]:
        s, t, m = self.styles, self.t, self.meeting
        own = [a for item in m.items for a in item.action_items]
        seen = {a.id for a in own}
        carried = [a for a in m.carried_action_items if a.id not in seen]
        open_items = [a for a in (*carried, *own) if a.status is ActionStatus.OPEN]
        out: list[Flowable] = [heading(t("Åbne opgaver", "Open action items"), s.h1)]
        if not open_items:
            return [*out, empty(s, t)]
        open_items.sort(key=lambda a: (a.deadline is None, a.deadline, a.meeting_date))
        return out + action_table(open_items, s, t, with_origin=True, today=self.today)

    def _addenda(self) -> list[Flowable]:
        s, t, m = self.styles, self.t, self.meeting
        out: list[Flowable] = [
            heading(t("Tillæg efter godkendelse", "Addenda after approval"), s.h1)
        ]
        positions = {item.id: item.position for item in m.items}
        for addendum in m.addenda:
            at = addendum.at.astimezone(LOCAL)
            who = addendum.by_name or t("(tilbageholdt)", "(withheld)")
            line = t(f"{at:%d.%m.%Y} kl. {at:%H.%M}, {who}", f"{at:%d.%m.%Y} at {at:%H.%M}, {who}")
            if addendum.item_id in positions:
                number = positions[addendum.item_id]
                line += t(f", punkt {number}", f", item {number}")
            out.append(heading(line, s.h3))
            out.append(para(withheld_line(t) if addendum.withheld else addendum.text, s.body))
        return out
