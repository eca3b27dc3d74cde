"""The agenda and minutes renderers: hostile text stays literal and fetches nothing, long
words do not break the layout, Danish letters survive in every field."""

from __future__ import annotations

import io
import socket
import urllib.request

import pypdf
import pytest

from infohus_desktop.domain.meetings import ItemKind
from infohus_desktop.reports.agenda import AgendaRenderer
from infohus_desktop.reports.base import PAGE_WIDTH
from infohus_desktop.reports.minutes import MinutesRenderer
from tests.unit.reports.meeting_data import STAMP, action, item, meeting

IMG = '<img src="http://127.0.0.1:9/x.png"/>'
LINK = '<a href="http://evil.example/">klik</a>'
LONG = "Ø" + "x" * 298 + "Å"  # 300 characters, no break opportunity
HOSTILE = [f"a < b & c {IMG}", f"Se {LINK} &amp; <b>fed</b>", LONG]


def _flat(text: str) -> str:
    return "".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the renderer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def _hostile_meeting():
    hostile_items = tuple(
        item(
            i + 1,
            ItemKind.ORIENTATION,
            text,
            notes=text,
            organisation=text,
            decisions=((text, text),),
            actions=(action(text, text),),
        )
        for i, text in enumerate(HOSTILE)
    )
    return meeting(
        hostile_items,
        title=HOSTILE[0],
        place=HOSTILE[1],
        participants=((HOSTILE[2], HOSTILE[0]),),
        addenda=tuple(HOSTILE),
        description=HOSTILE[1],
    )


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("renderer", [MinutesRenderer, AgendaRenderer])
def test_hostile_text_is_literal_and_fetches_nothing(renderer: type) -> None:
    pdf = renderer(_hostile_meeting(), STAMP).render()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = _flat("".join(page.extract_text() for page in reader.pages))
    for hostile in HOSTILE:
        assert _flat(hostile) in text
    # No link annotation and no image object came out of the user's markup.
    for page in reader.pages:
        assert "/Annots" not in page
        xobjects = page["/Resources"].get("/XObject", {})
        assert not xobjects
    # Nothing is drawn outside the page: the 300-character word was broken, not overflowing.
    xs: list[float] = []
    for page in reader.pages:
        page.extract_text(
            visitor_text=lambda t, _cm, tm, *_: xs.append(tm[4]) if t.strip() else None
        )
    assert xs and max(xs) < PAGE_WIDTH and min(xs) >= 0


DANISH = {
    "title": "Æblehaven møde ÆØÅ æøå",
    "place": "Østergårds Sal",
    "participant": "Søren Ærø Åkjær",
    "organisation": "Region Østjylland Åbyhøj",
    "item": "Orientering om Ålborg-projektet",
    "notes": "Drøftet: bæredygtig løsning på Østerå",
    "decision": "Anbefaling: følg op på hjælpeforanstaltning",
    "authority": "Høje-Taastrup Kommune Ærø",
    "action": "Indkald forældre til møde på Østervold",
    "owner": "Åse Ørsted",
    "addendum": "Tillæg: rettet stavning af Æbelø",
    "forum": "Århus Kommune",
    "infohus": "Infohus Østjylland Ærø",
}


def test_danish_letters_in_every_field_come_out_of_the_pdf() -> None:
    d = DANISH
    m = meeting(
        (
            item(
                1,
                ItemKind.ORIENTATION,
                d["item"],
                notes=d["notes"],
                organisation=d["organisation"],
                decisions=((d["decision"], d["authority"]),),
                actions=(action(d["action"], d["owner"]),),
            ),
        ),
        title=d["title"],
        place=d["place"],
        participants=((d["participant"], d["organisation"]),),
        addenda=(d["addendum"],),
        forum=d["forum"],
        infohus=d["infohus"],
    )
    pdf = MinutesRenderer(m, STAMP).render()
    text = _flat("".join(_pages(pdf)))
    for field, value in d.items():
        assert _flat(value) in text, field
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[f].get_object()["/BaseFont"]) for f in fonts]
    assert any("DejaVu" in n for n in names)
    for f in fonts:
        font = fonts[f].get_object()
        if "DejaVu" in str(font["/BaseFont"]):
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded TTF


def test_english_minutes_have_english_chrome() -> None:
    from infohus_desktop.reports.base import PrintStamp

    en = PrintStamp(STAMP.printed_by, STAMP.printed_at, "en")
    m = meeting((item(1, ItemKind.OTHER, ""),))
    text = "".join(_pages(MinutesRenderer(m, en).render()))
    for expected in ("Minutes", "Participants", "Any other business", "Page 1 of 1"):
        assert expected in text
    for danish in ("Deltagere", "Eventuelt", "Side 1"):
        assert danish not in text
