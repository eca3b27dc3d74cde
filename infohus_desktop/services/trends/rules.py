"""The rules of a trend note that need no database: input validation, filters, search, and
the two errors a save can meet (personal data found, a stale version)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace

from infohus_desktop.domain.errors import Conflict, InvalidInput
from infohus_desktop.domain.trends import (
    AREA_KIND_LABELS,
    AREA_MAX,
    DEVELOPMENT_LABELS,
    SOURCE_KIND_LABELS,
    TEXT_MAX,
    TITLE_MAX,
    TrendContent,
    TrendFilter,
    TrendNote,
)
from infohus_desktop.services.trends.personal_data_check import Finding, fold, summarize

#: Field names of :class:`TrendContent` as a user reads them, for conflicts and messages.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Titel", "Title"),
    "period_from": ("Periode fra", "Period from"),
    "period_to": ("Periode til", "Period to"),
    "area_kind": ("Områdetype", "Kind of area"),
    "area": ("Område", "Area"),
    "theme": ("Tema", "Theme"),
    "description": ("Beskrivelse", "Description"),
    "source_kinds": ("Kildetyper", "Kinds of sources"),
    "development": ("Udvikling", "Development"),
    "follow_up": ("Opfølgning", "Follow-up"),
}


class PersonalDataFound(InvalidInput):
    """The note looks like it holds personal data; nothing was saved. The message says where
    and why (never the text); saving needs the user's explicit confirmation."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(
            "Notatet ser ud til at indeholde personoplysninger, og intet er gemt: "
            f"{summarize(findings, 'da')}. Et tendensnotat handler om en tendens, ikke om "
            "personer. Ret teksten, eller bekræft at den skal gemmes alligevel.",
            "The note looks like it holds personal data, and nothing was saved: "
            f"{summarize(findings, 'en')}. A trend note is about a trend, not about people. "
            "Correct the text, or confirm that it is to be saved anyway.",
        )


class TrendConflict(Conflict):
    """A save against a stale version. ``fields`` are the fields that differ now."""

    def __init__(self, note_id: uuid.UUID, base: int, current: int, fields: list[str]) -> None:
        self.note_id, self.base_version, self.current_version = note_id, base, current
        self.fields = fields
        da = ", ".join(FIELD_LABELS.get(f, (f, f))[0] for f in fields) or "-"
        en = ", ".join(FIELD_LABELS.get(f, (f, f))[1] for f in fields) or "-"
        super().__init__(
            f"Tendensnotatet er ændret af en anden (version {base} → {current}), mens du "
            f"arbejdede. Intet er gemt. Felter: {da}.",
            f"The trend note was changed by someone else (version {base} → {current}) while "
            f"you worked. Nothing was saved. Fields: {en}.",
        )


def _invalid(da: str, en: str) -> InvalidInput:
    return InvalidInput(da, en)


def checked_content(content: TrendContent, themes: Mapping[str, tuple[str, str]]) -> TrendContent:
    """``content`` with white space tidied, or :class:`InvalidInput` naming what is wrong."""
    title = " ".join(content.title.split())
    area = " ".join(content.area.split())
    description = content.description.strip()
    if not title:
        raise _invalid("Notatet skal have en titel.", "The note needs a title.")
    if len(title) > TITLE_MAX:
        raise _invalid(
            f"Titlen må højst være {TITLE_MAX} tegn.", f"The title may be {TITLE_MAX} characters."
        )
    if len(area) > AREA_MAX:
        raise _invalid(
            f"Området må højst være {AREA_MAX} tegn.", f"The area may be {AREA_MAX} characters."
        )
    if len(description) > TEXT_MAX:
        raise _invalid(
            f"Beskrivelsen må højst være {TEXT_MAX} tegn.",
            f"The description may be at most {TEXT_MAX} characters.",
        )
    if content.period_to < content.period_from:
        raise _invalid("Perioden slutter før den begynder.", "The period ends before it begins.")
    if content.theme not in themes:
        known = ", ".join(themes)
        raise _invalid(
            f"Ukendt tema {content.theme!r}; kendte: {known}.",
            f"Unknown theme {content.theme!r}; known: {known}.",
        )
    return replace(
        content,
        title=title,
        area=area,
        description=description,
        source_kinds=tuple(dict.fromkeys(content.source_kinds)),
    )


def matches(note: TrendNote, f: TrendFilter) -> bool:
    c = note.content
    return (
        (not f.themes or c.theme in f.themes)
        and (f.area_kind is None or c.area_kind == f.area_kind)
        and (not f.area.strip() or fold(f.area.strip()) in fold(c.area))
        and (not f.developments or c.development in f.developments)
        and (f.period_to is None or c.period_from <= f.period_to)
        and (f.period_from is None or c.period_to >= f.period_from)
    )


def haystack(note: TrendNote, themes: Mapping[str, tuple[str, str]]) -> str:
    """Everything a search looks through, folded: texts and the labels of the codes."""
    c = note.content
    labels = [
        *themes.get(c.theme, (c.theme, c.theme)),
        *AREA_KIND_LABELS[c.area_kind],
        *DEVELOPMENT_LABELS[c.development],
        *(label for kind in c.source_kinds for label in SOURCE_KIND_LABELS[kind]),
    ]
    return fold(" ".join([c.title, c.area, c.description, *labels]))


def search_hit(note: TrendNote, search: str | None, themes: Mapping[str, tuple[str, str]]) -> bool:
    """Every word of the search occurs in the note (case-insensitive, any order)."""
    if not search or not search.strip():
        return True
    text = haystack(note, themes)
    return all(word in text for word in fold(search).split())


def merge(
    base: TrendContent, mine: TrendContent, theirs: TrendContent
) -> tuple[TrendContent, list[str]]:
    """A stale edit on top of what someone else saved: the fields only the user changed are
    taken over, the fields only the other changed stay theirs. Returns the merged note and
    the fields both changed differently, which the user chooses (:func:`pick`)."""
    names = list(FIELD_LABELS)
    choices = [
        n
        for n in names
        if getattr(mine, n) != getattr(base, n)
        and getattr(theirs, n) != getattr(base, n)
        and getattr(mine, n) != getattr(theirs, n)
    ]
    taken = {
        n: getattr(mine, n)
        for n in names
        if getattr(mine, n) != getattr(base, n) and getattr(theirs, n) == getattr(base, n)
    }
    return replace(theirs, **taken), choices


def pick(merged: TrendContent, mine: TrendContent, mine_wins: Mapping[str, bool]) -> TrendContent:
    """``merged`` with the user's value for each field they chose their own version of."""
    return replace(merged, **{n: getattr(mine, n) for n, wins in mine_wins.items() if wins})
