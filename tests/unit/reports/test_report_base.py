"""The shared PDF base: page chrome on every page, literal user text, Danish letters."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pypdf
import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from infohus_desktop.reports.base import (
    DocumentRenderer,
    PrintStamp,
    checkbox,
    data_table,
    escape_text,
    fitted_widths,
    label_value_table,
    para,
)

STAMP = PrintStamp("Anne Holm (aholm)", datetime(2026, 11, 23, 13, 30, tzinfo=UTC))
HOSTILE = (
    'Se <img src="http://127.0.0.1:9/x.png"/> og <a href="http://evil.example/">her</a> '
    "& <b>fed</b> &amp; <font size=40>stor</font>"
)


class _Doc(DocumentRenderer):
    def __init__(self, flowables: list[Flowable], stamp: PrintStamp = STAMP) -> None:
        super().__init__(title="Referat", stamp=stamp, header_left="Infohus Østjylland")
        self._flowables = flowables

    def story(self) -> list[Flowable]:
        return self._flowables


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_is_marked_confidential_numbered_and_stamped() -> None:
    rows = [[str(i), f"Punkt {i}", "Politiet"] for i in range(150)]
    pages = _pages(_Doc([data_table(["Nr.", "Punkt", "Ansvarlig"], rows)]).render())
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "FORTROLIGT" in text
        assert f"Side {number} af {len(pages)}" in text
        # 13.30 UTC is 14.30 in Copenhagen in November.
        assert "Udskrevet af Anne Holm (aholm) 23.11.2026 kl. 14.30" in text
        assert "Infohus Østjylland" in text
    # The table header repeats on every page.
    assert all("Ansvarlig" in text for text in pages)


def test_english_document_says_page_of_and_keeps_the_danish_mark() -> None:
    stamp = PrintStamp("Anne Holm", STAMP.printed_at, language="en")
    text = _pages(_Doc([para("Minutes", _Doc([]).styles.body)], stamp).render())[0]
    assert "Page 1 of 1" in text
    assert "FORTROLIGT" in text
    assert "Printed by Anne Holm 23.11.2026 at 14.30" in text


def test_user_markup_is_shown_literally_and_fetches_nothing(monkeypatch) -> None:
    import urllib.request

    def no_network(*_a: object, **_k: object) -> None:
        raise AssertionError("the renderer tried to fetch a URL")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    sty = _Doc([]).styles
    pdf = _Doc([para(HOSTILE, sty.body), label_value_table([("Note", HOSTILE)])]).render()
    text = re.sub(r"\s+", " ", " ".join(_pages(pdf)))
    assert '<img src="http://127.0.0.1:9/x.png"/>' in text
    assert '<a href="http://evil.example/">her</a>' in text
    assert "<b>fed</b> &amp; <font size=40>stor</font>" in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert all("/Annots" not in page for page in reader.pages), "a link was planted"
    assert all(not page.images for page in reader.pages), "an image was embedded"


def test_long_words_and_long_cells_do_not_break_the_layout() -> None:
    word = "ø" * 900
    sty = _Doc([]).styles
    tall = "linje\n" * 400  # taller than a page: the row splits across pages
    pdf = _Doc(
        [
            para(word, sty.body),
            label_value_table([("Lang", word), ("Høj", tall)]),
            data_table(["A", "B"], [[word, tall]]),
        ]
    ).render()
    text = "".join(_pages(pdf)).replace("\n", "")
    assert text.count("ø") >= 3 * 900


def test_danish_letters_survive_in_every_style() -> None:
    sty = _Doc([]).styles
    letters = "æøå ÆØÅ"
    flowables = [
        para(letters, style)
        for style in (sty.h1, sty.h2, sty.h3, sty.body, sty.small, sty.muted, sty.cell, sty.warning)
    ]
    text = _pages(_Doc(flowables).render())[0]
    assert text.count(letters) == len(flowables)


@pytest.mark.parametrize(("value", "glyph"), [(True, "☒"), (False, "☐"), (None, "?")])
def test_checkbox_glyphs_render(value: bool | None, glyph: str) -> None:
    assert checkbox(value) == glyph
    text = _pages(_Doc([para(f"Samtykke {checkbox(value)}", _Doc([]).styles.body)]).render())[0]
    assert f"Samtykke {glyph}" in text


def test_escape_text_drops_characters_xml_forbids_and_keeps_line_breaks() -> None:
    assert escape_text("a\x00b\x07c\r\nd") == "abc<br/>d"
    assert escape_text("<&>") == "&lt;&amp;&gt;"


def test_fitted_columns_wrap_between_words_not_inside_them() -> None:
    """Fixed widths broke "Henvisningsskemaet" in a narrow column; fitted ones are at least
    as wide as each column's longest word, and the short columns stay on one line."""
    header = ["Tidspunkt", "Handling", "Formål"]
    rows = [
        ["23.11.2026 08.05", "Henvisningsskemaet ændret", "Mødeforberedelse"],
        ["23.11.2026 08.22", "Genskabelsesøvelse gennemført", "Sagsbehandling"],
    ]
    width = 110 * mm
    widths = fitted_widths(header, rows, width=width)
    assert sum(widths) == pytest.approx(width)
    table = data_table(header, rows, col_widths=widths)
    lines = [line.strip() for page in _pages(_Doc([table]).render()) for line in page.split("\n")]
    for whole in ("Henvisningsskemaet", "Genskabelsesøvelse", "Mødeforberedelse"):
        assert any(whole in line for line in lines), whole
    # The room went to what fits on one line: the time, not the second line of a label.
    assert "23.11.2026 08.05" in " ".join(lines)


def test_fitted_columns_too_wide_for_the_table_share_it() -> None:
    """A word longer than the table can hold (typed by a user) still gives a table that fits."""
    widths = fitted_widths(["A", "B"], [["x" * 80, "y" * 80]], width=100 * mm)
    assert sum(widths) == pytest.approx(100 * mm) and widths[0] == pytest.approx(widths[1])
