"""What every Infohus PDF shares: A4 page chrome, the embedded font, styles, and safe text.

A renderer subclasses :class:`DocumentRenderer`, lays out its ``story()`` from domain data and
gets bytes from :meth:`DocumentRenderer.render`. Every page carries the Infohus name and the
document title at the top, and "FORTROLIGT", who printed it and when, and "Side X af Y" at the
bottom (SECURITY.md: a printed page must say what it is and whose it is, even when it is found
alone on a printer tray).

User text only ever reaches reportlab through :func:`para`, which escapes it: reportlab's
``Paragraph`` reads a small XML dialect in which ``<img src="http://…">`` would make it fetch a
URL and ``<a href>`` would plant a link (pretix had to learn this). Nothing here writes a file.
"""

from __future__ import annotations

import abc
import functools
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from infohus_desktop.reports.fonts import BOLD, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
#: The width a flowable may use: between the margins, less the frame's 6 pt padding each side.
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X - 12
# Header and footer line up with the content, inside the frame's padding.
_LEFT = MARGIN_X + 6
_RIGHT = PAGE_WIDTH - MARGIN_X - 6

CONFIDENTIAL = "FORTROLIGT"
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5a6270")
RULE = colors.HexColor("#b8bec8")
HEADER_FILL = colors.HexColor("#e8ecf1")
ZEBRA_FILL = colors.HexColor("#f6f7f9")
ALERT = colors.HexColor("#a4161a")
#: A table cell's padding left and right (reportlab's default, set on every data table).
CELL_PADDING = 6

# Characters XML 1.0 forbids; reportlab's parser would stop at them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def local_time(moment: datetime) -> datetime:
    """An aware moment in Danish local time (the machine's zone without tz data)."""
    try:
        return moment.astimezone(ZoneInfo("Europe/Copenhagen"))
    except ZoneInfoNotFoundError:  # a platform without tz data: the machine's own zone
        return moment.astimezone()


@dataclass(frozen=True, slots=True)
class PrintStamp:
    """Who printed a document and when; ``printed_at`` is aware (UTC is fine)."""

    printed_by: str
    printed_at: datetime
    language: str = "da"

    def t(self, da: str, en: str) -> str:
        return en if self.language == "en" else da

    def line(self) -> str:
        at = local_time(self.printed_at)
        when = self.t(
            f"{at:%d.%m.%Y} kl. {at:%H.%M}",
            f"{at:%d.%m.%Y} at {at:%H.%M}",
        )
        who = self.printed_by if len(self.printed_by) <= 60 else self.printed_by[:59] + "…"
        return self.t(f"Udskrevet af {who} {when}", f"Printed by {who} {when}")


@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    warning: ParagraphStyle


@functools.cache
def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=10,
        leading=13.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
        splitLongWords=1,
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        title=derive("title", fontName=BOLD, fontSize=18, leading=22, spaceAfter=8),
        h1=derive("h1", fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6),
        h2=derive("h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        h3=derive("h3", fontName=BOLD, fontSize=10.5, leading=13.5, spaceBefore=6, spaceAfter=3),
        body=base,
        small=derive("small", fontSize=8.5, leading=11),
        muted=derive("muted", fontSize=9, leading=12, textColor=MUTED),
        cell=derive("cell", fontSize=9, leading=11.5, spaceAfter=0),
        cell_bold=derive("cell_bold", fontName=BOLD, fontSize=9, leading=11.5, spaceAfter=0),
        warning=derive("warning", fontName=BOLD, textColor=ALERT),
    )


def escape_text(text: str) -> str:
    """User text as reportlab markup that shows exactly that text: tags and entities escaped,
    characters XML forbids dropped, line breaks kept."""
    cleaned = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return escape(cleaned).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text, shown literally; words longer than a line are broken."""
    return Paragraph(escape_text(text), style)


def markup_para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the program's own markup (``<b>`` and the like). Never user text:
    put that through :func:`escape_text` first."""
    return Paragraph(markup, style)


def checkbox(value: bool | None) -> str:
    """A form's check box as text: ☒ yes, ☐ no, ? not answered (DejaVu Sans has the glyphs)."""
    if value is None:
        return "?"
    return "\u2612" if value else "\u2610"


def _cell(value: str | Flowable, style: ParagraphStyle) -> Flowable:
    return value if isinstance(value, Flowable) else para(value, style)


def label_value_table(
    rows: Sequence[tuple[str, str | Flowable]],
    sty: Styles | None = None,
    label_width: float = 48 * mm,
    width: float = CONTENT_WIDTH,
) -> Table:
    """Labels in bold on the left, values (user text, escaped) on the right; long values
    split across pages instead of breaking the layout."""
    sty = sty or styles()
    data = [[para(label, sty.cell_bold), _cell(value, sty.cell)] for label, value in rows]
    table = Table(
        data or [["", ""]],
        colWidths=[label_width, width - label_width],
        splitInRow=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def _widths(text: str, style: ParagraphStyle) -> tuple[float, float]:
    """The widest word and the widest line of ``text`` in ``style``, in points."""
    size, font = style.fontSize, style.fontName
    words = [stringWidth(word, font, size) for word in text.split()]
    lines = [stringWidth(line.strip(), font, size) for line in text.splitlines()]
    return max(words, default=0.0), max(lines, default=0.0)


def fitted_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    sty: Styles | None = None,
    width: float = CONTENT_WIDTH,
) -> list[float]:
    """Column widths for :func:`data_table` that fit the content. Every column is at least
    as wide as its longest word, so a cell wraps between words and never inside one
    (reportlab breaks a word that does not fit, without a hyphen: "Revisionslogge" / "n").
    The room left first goes where it keeps the most cells on one line for its width (a
    column of dates whole, before one long label), and what is left after that to the
    columns that still wrap, or to all when none does.

    Only when the longest words together are wider than the table (a long word a user typed)
    are the columns narrowed in proportion, and reportlab breaks what does not fit."""
    sty = sty or styles()
    # A word exactly as wide as its column is wrapped by reportlab's rounding: one point more.
    pad = 2 * CELL_PADDING + 1
    least = [_widths(h, sty.cell_bold)[0] + pad for h in header]
    lines: list[Counter[float]] = [Counter([_widths(h, sty.cell_bold)[1] + pad]) for h in header]
    seen: dict[str, tuple[float, float]] = {}
    for row in rows:
        for column, text in enumerate(row):
            if text not in seen:
                seen[text] = _widths(text, sty.cell)
            word, line = seen[text]
            least[column] = max(least[column], word + pad)
            lines[column][line + pad] += 1
    if sum(least) >= width:
        return [w * width / sum(least) for w in least]
    widths = _grown(least, lines, width - sum(least))
    lacking = [max(cells) - w for cells, w in zip(lines, widths, strict=True)]
    lacking = [max(0.0, lack) for lack in lacking]
    room = width - sum(widths)
    if sum(lacking) > 0:
        return [w + lack * room / sum(lacking) for w, lack in zip(widths, lacking, strict=True)]
    return [w + w * room / sum(widths) for w in widths]


def _grown(least: list[float], lines: list[Counter[float]], room: float) -> list[float]:
    """``least`` widened within ``room`` step by step, each step the one that keeps the most
    cells on one line per point; ``lines`` counts each column's cells by their widest line."""
    widths = list(least)
    steps = [sorted(cells.items()) for cells in lines]
    while True:
        best: tuple[float, int, float] | None = None  # (cells per point, column, new width)
        for column, counted in enumerate(steps):
            gain = 0
            for line, count in counted:
                if line <= widths[column]:
                    continue
                cost = line - widths[column]
                if cost > room:
                    break
                gain += count
                if best is None or gain / cost > best[0]:
                    best = (gain / cost, column, line)
        if best is None:
            return widths
        _ratio, column, wider = best
        room -= wider - widths[column]
        widths[column] = wider


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    sty: Styles | None = None,
    col_widths: Sequence[float] | None = None,
    width: float = CONTENT_WIDTH,
) -> Table:
    """A table with a header row that repeats on every page, zebra rows, and cells that wrap
    (and split across pages when one is taller than a page)."""
    sty = sty or styles()
    columns = len(header)
    widths = list(col_widths) if col_widths else [width / columns] * columns
    data: list[list[Flowable]] = [[para(h, sty.cell_bold) for h in header]]
    data += [[_cell(value, sty.cell) for value in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL) for r in range(2, len(data), 2)]
    table.setStyle(TableStyle(commands))
    return table


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so each footer can say how many pages there are."""

    def __init__(
        self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


class DocumentRenderer(abc.ABC):
    """One document type. Subclasses call ``super().__init__`` and implement :meth:`story`."""

    def __init__(
        self,
        *,
        title: str,
        stamp: PrintStamp,
        header_left: str,
        subtitle: str | None = None,
    ) -> None:
        self.title = title
        self.subtitle = subtitle
        self.stamp = stamp
        self.header_left = header_left
        self.styles = styles()

    def t(self, da: str, en: str) -> str:
        """The text in the document's language."""
        return self.stamp.t(da, en)

    @abc.abstractmethod
    def story(self) -> list[Flowable]:
        """The document's flowables, from the first heading to the last table."""

    def render(self) -> bytes:
        """The whole document as PDF bytes, built in memory."""
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=self.title,
            author="",
            subject=CONFIDENTIAL,
            creator="Infohus Desktop",
            producer="Infohus Desktop",
        )
        story: list[Flowable] = [para(self.title, self.styles.title)]
        if self.subtitle:
            story.append(para(self.subtitle, self.styles.muted))
        story += self.story()
        doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, decorate=self._chrome))
        return buffer.getvalue()

    def _chrome(self, canvas: Canvas, page: int, total: int) -> None:
        """Header and footer of one page."""
        canvas.saveState()
        top = PAGE_HEIGHT - 14 * mm
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(_LEFT, top, _fit(canvas, self.header_left, REGULAR, 8.5, 95 * mm))
        canvas.drawRightString(_RIGHT, top, _fit(canvas, self.title, REGULAR, 8.5, 70 * mm))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(_LEFT, top - 2.5 * mm, _RIGHT, top - 2.5 * mm)

        # Two lines, so the English mark and a long name never overlap: the mark and the page
        # number, then who printed it and when.
        bottom = 13 * mm
        canvas.line(_LEFT, bottom + 4.5 * mm, _RIGHT, bottom + 4.5 * mm)
        canvas.setFillColor(ALERT)
        canvas.setFont(BOLD, 9)
        mark = CONFIDENTIAL if self.stamp.language == "da" else f"{CONFIDENTIAL} · CONFIDENTIAL"
        canvas.drawString(_LEFT, bottom, mark)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(
            _RIGHT,
            bottom,
            self.t(f"Side {page} af {total}", f"Page {page} of {total}"),
        )
        canvas.drawString(_LEFT, bottom - 4 * mm, self.stamp.line())
        canvas.restoreState()


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
