"""An audit entry's detail in words, for the DPO who supervises by reading the log.

The services write each entry's ``detail`` as machine text (``by=cpr cases=0``,
``fields=['person', 'title']``, ``case-transfer to <id> attachments 1``): sealed with the
entry and part of the hash chain, so it never changes. This says it in words, Danish and
English, for the window's log and ``infohus audit list``; it is display only.

Each action's detail has its reader (``cases``, ``exchange``, ``admin``). A detail a reader
does not understand in full (an unknown key, a shape written by another version) is shown
exactly as stored: words may be added, but nothing the entry holds is ever dropped. An id is
named when a name is at hand (a case's number) and otherwise shortened to its first eight
characters, as the command line's object column shows ids; the stored detail stays beside
the words (the window's tooltip, ``audit list --json``).
"""

from __future__ import annotations

from collections.abc import Mapping

from infohus_desktop.domain.audit_words import admin, cases, exchange
from infohus_desktop.domain.audit_words.parts import Names, Pair, Reader

#: Action code → the reader of its detail; an action not here shows its detail as stored.
READERS: dict[str, Reader] = {**cases.WORDS, **exchange.WORDS, **admin.WORDS}

_NO_NAMES: Names = {}


def detail_words(action: str, detail: str | None, names: Names | None = None) -> Pair:
    """``detail`` in words, as (Danish, English); the stored text, unchanged, for a detail
    no reader understands in full. ``names`` gives ids their names (case numbers by id)."""
    if not detail:
        return ("", "")
    reader = READERS.get(action)
    try:
        words = reader(detail, names or _NO_NAMES) if reader is not None else None
    except (ValueError, KeyError, IndexError, TypeError):
        words = None  # a reader's bug must not hide the entry's detail
    if words is None or not words[0] or not words[1]:
        return (detail, detail)
    return (_capital(words[0]), _capital(words[1]))


def _capital(words: str) -> str:
    """A detail in words reads as a sentence of its own: "Inden for 30 dage"."""
    return words[:1].upper() + words[1:]


def detail_text(
    action: str, detail: str | None, language: str, names: Mapping[str, str] | None = None
) -> str:
    """:func:`detail_words` in one language (``"en"`` or Danish)."""
    da, en = detail_words(action, detail, names)
    return en if language == "en" else da


__all__ = ["READERS", "Names", "Pair", "detail_text", "detail_words"]
