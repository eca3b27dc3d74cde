"""Flowables the agenda and the minutes share: the action-item table, headings, "None"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from infohus_desktop.domain.meetings import ActionItem
from infohus_desktop.reports.base import CONTENT_WIDTH, Styles, data_table, para
from infohus_desktop.reports.meeting_text import Tr, action_rows


def action_table(
    actions: Sequence[ActionItem],
    sty: Styles,
    t: Tr,
    with_origin: bool = False,
    today: date | None = None,
) -> list[Flowable]:
    header = [t("Opgave", "Action item"), t("Ansvarlig", "Owner"), t("Frist", "Deadline")]
    header.append(t("Status", "Status"))
    widths = [70 * mm, 36 * mm, 28 * mm, 36 * mm]
    if with_origin:
        header.append(t("Fra møde", "From meeting"))
        widths = [56 * mm, 31 * mm, 28 * mm, 29 * mm, 26 * mm]
    scale = CONTENT_WIDTH / sum(widths)
    rows = action_rows(actions, t, with_origin, today)
    return [data_table(header, rows, sty, [w * scale for w in widths]), Spacer(1, 3 * mm)]


def heading(text: str, style: ParagraphStyle) -> Paragraph:
    """A heading that stays on the page of what follows it (no orphan at a page's foot)."""
    paragraph = para(text, style)
    paragraph.keepWithNext = True
    return paragraph


def empty(sty: Styles, t: Tr) -> Flowable:
    return para(t("Ingen.", "None."), sty.muted)
