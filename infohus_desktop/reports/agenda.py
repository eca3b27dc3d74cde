"""The agenda (*dagsorden*) as PDF: meeting data, who is invited, the items in order, and the
open action items carried over from earlier meetings.

Cases by number; a person's name only when the caller asked for names (audited by the
service). A trend item shows its note's title. A case item (or a trend item) the reader cannot
read shows its kind and a line saying it is withheld.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from infohus_desktop.domain.meetings import Meeting
from infohus_desktop.reports.base import (
    DocumentRenderer,
    PrintStamp,
    data_table,
    label_value_table,
    para,
)
from infohus_desktop.reports.meeting_flowables import action_table, empty, heading
from infohus_desktop.reports.meeting_text import (
    LOCAL,
    item_heading,
    meeting_facts,
    withheld_line,
)


class AgendaRenderer(DocumentRenderer):
    def __init__(self, meeting: Meeting, stamp: PrintStamp) -> None:
        super().__init__(
            title=stamp.t("Dagsorden", "Agenda"),
            subtitle=meeting.summary.title,
            stamp=stamp,
            header_left=meeting.infohus_name,
        )
        self.meeting = meeting
        self.today = stamp.printed_at.astimezone(LOCAL).date()

    def story(self) -> list[Flowable]:
        s, t, m = self.styles, self.t, self.meeting
        out: list[Flowable] = [label_value_table(meeting_facts(m, t), s), Spacer(1, 4 * mm)]
        if m.description:
            out.append(para(m.description, s.body))

        out.append(heading(t("Inviterede", "Invited"), s.h1))
        if m.participants:
            rows = [[p.name, p.organisation] for p in m.participants]
            out.append(data_table([t("Navn", "Name"), t("Organisation", "Organisation")], rows, s))
        else:
            out.append(empty(s, t))

        out.append(heading(t("Punkter", "Items"), s.h1))
        if not m.items:
            out.append(empty(s, t))
        for item in m.items:
            out.append(para(item_heading(item, t), s.h3))
            if item.withheld:
                out.append(para(withheld_line(t, item.kind), s.muted))

        out.append(heading(t("Opfølgning på åbne opgaver", "Follow-up of open action items"), s.h1))
        if m.carried_action_items:
            out += action_table(m.carried_action_items, s, t, with_origin=True, today=self.today)
        else:
            out.append(empty(s, t))
        return out
