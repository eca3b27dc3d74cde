"""The pieces the audit log's words are built of: reading a detail (``key=value`` pairs, a
shape of words and ids) and saying one value (a count, a day, an id, a code).

Every reader answers None when the detail is not quite what it expects: an unknown key, a
value of another kind, anything left over. The caller then shows the stored detail as it is,
so a reader never drops what it does not understand (the stored detail is part of the hash
chain and the DPO's evidence; these words are only how it is shown).
"""

from __future__ import annotations

import ast
import enum
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TypeVar

Pair = tuple[str, str]
#: Names at hand for ids (a case's number by its id), so a detail says ``2026-0012``
#: where it stored the case's id.
Names = Mapping[str, str]
#: A whole detail in words, or None: shown as stored.
Reader = Callable[[str, Names], Pair | None]
#: One value in words, or None: the whole detail is shown as stored.
Part = Callable[[str, Names], Pair | None]

#: ``key=value``: a value is a quoted string (a Python ``repr``), a bracketed list, or
#: anything up to the next space.
_PAIR = re.compile(r"([a-z_]+)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\[[^\]]*\]|\S*)")


def same(text: str) -> Pair:
    return (text, text)


def joined(parts: Sequence[Pair], sep: str = ", ") -> Pair:
    return (sep.join(p[0] for p in parts), sep.join(p[1] for p in parts))


def key_values(detail: str) -> list[tuple[str, str]] | None:
    """The ``key=value`` pairs of ``detail``, in order; None unless the pairs, one space
    apart, are the whole detail."""
    found: list[tuple[str, str]] = []
    at = 0
    while at < len(detail):
        if found:
            if detail[at] != " ":
                return None
            at += 1
        match = _PAIR.match(detail, at)
        if match is None:
            return None
        found.append((match.group(1), match.group(2)))
        at = match.end()
    return found or None


def keyed(fields: Mapping[str, Part], sep: str = ", ") -> Reader:
    """A reader of ``key=value`` details: each key in words by its part, in the stored
    order; a key not in ``fields`` leaves the detail as stored."""

    def read(detail: str, names: Names) -> Pair | None:
        found = key_values(detail)
        if found is None:
            return None
        parts: list[Pair] = []
        for key, value in found:
            part = fields.get(key)
            words = part(value, names) if part is not None else None
            if words is None:
                return None
            parts.append(words)
        return joined(parts, sep)

    return read


def shaped(pattern: str, build: Callable[[re.Match[str], Names], Pair | None]) -> Reader:
    """A reader of a detail of one fixed shape (``to <id>``), the whole detail matched."""
    compiled = re.compile(pattern)

    def read(detail: str, names: Names) -> Pair | None:
        match = compiled.fullmatch(detail)
        return build(match, names) if match is not None else None

    return read


def either(*readers: Reader) -> Reader:
    """The first reader that understands the detail."""

    def read(detail: str, names: Names) -> Pair | None:
        for reader in readers:
            words = reader(detail, names)
            if words is not None:
                return words
        return None

    return read


def fixed(words: Mapping[str, Pair]) -> Reader:
    """A detail that is one of a few known words (``ok``, ``mine``)."""
    return lambda detail, _names: words.get(detail)


# -- one value ----------------------------------------------------------------------------------


def text(da: str, en: str) -> Part:
    """The value as written, in a sentence: ``{v}`` is the value (a login, a number)."""
    return lambda value, _names: (da.format(v=value), en.format(v=value))


def literal(da: str, en: str) -> Part:
    """A quoted value (a Python ``repr``), unquoted; ``None`` is not this part's."""

    def part(value: str, _names: Names) -> Pair | None:
        said = unquoted(value)
        return None if said is None else (da.format(v=said), en.format(v=said))

    return part


def unquoted(value: str) -> str | None:
    if value[:1] not in ("'", '"'):
        return None
    try:
        said = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None
    return said if isinstance(said, str) else None


def quoted_items(value: str) -> list[str] | None:
    """``'a','b'`` or ``['a', 'b']`` (reprs joined by commas, or a list's repr) as strings."""
    inner = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    if not inner.strip():
        return []
    try:
        items = ast.literal_eval(f"({inner},)")
    except (ValueError, SyntaxError):
        return None
    if not isinstance(items, tuple) or not all(isinstance(i, str) for i in items):
        return None
    return list(items)


def amount(da: tuple[str, str], en: tuple[str, str]) -> Part:
    """A whole number in a sentence, singular or plural: ``("{n} sag", "{n} sager")``."""

    def part(value: str, _names: Names) -> Pair | None:
        n = whole(value)
        if n is None:
            return None
        pick = 0 if n == 1 else 1
        return (da[pick].format(n=n), en[pick].format(n=n))

    return part


def whole(value: str) -> int | None:
    return int(value) if re.fullmatch(r"-?\d+", value) else None


def day_words(value: str) -> Pair | None:
    """An ISO day as the app writes days (``01.01.2026``); ``None`` as none."""
    if value == "None":
        return ("ingen", "none")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return same(day.strftime("%d.%m.%Y"))


def moment_words(value: str) -> Pair | None:
    """An ISO moment in UTC (``2026-03-01T10:00:00Z``), as the app writes it, marked UTC."""
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return same(at.strftime("%d.%m.%Y %H.%M") + " UTC")


def dated(da: str, en: str) -> Part:
    def part(value: str, _names: Names) -> Pair | None:
        day = day_words(value)
        return None if day is None else (da.format(v=day[0]), en.format(v=day[1]))

    return part


def id_words(value: str, names: Names) -> Pair | None:
    """An id by its name when one is at hand (a case's number), else its first eight
    characters as the command line's object column shows them; ``None`` as none."""
    if value == "None":
        return ("ingen", "none")
    try:
        uuid.UUID(value)
    except ValueError:
        return None
    return same(names.get(value) or value.replace("-", "")[:8])


def ident(da: str, en: str) -> Part:
    def part(value: str, names: Names) -> Pair | None:
        said = id_words(value, names)
        return None if said is None else (da.format(v=said[0]), en.format(v=said[1]))

    return part


def coded(
    labels: Mapping[str, Pair], da: str = "{v}", en: str = "{v}"
) -> Callable[[str, Names], Pair]:
    """A code by its label; a code without one as written (it is not lost)."""

    def part(value: str, _names: Names) -> Pair:
        label = labels.get(value, same(value))
        return (da.format(v=label[0]), en.format(v=label[1]))

    return part


def codes(labels: Mapping[str, Pair], da: str, en: str, items: bool = False) -> Part:
    """Codes joined by commas (``a,b``), or reprs when ``items`` (``'a','b'``), by label."""

    def part(value: str, _names: Names) -> Pair | None:
        found = quoted_items(value) if items else value.split(",")
        if found is None:
            return None
        said = joined([labels.get(code, same(code)) for code in found])
        return (da.format(v=said[0]), en.format(v=said[1]))

    return part


def flag(yes: Pair, no: Pair) -> Part:
    """``yes``/``no`` or ``True``/``False``."""
    words = {"yes": yes, "True": yes, "no": no, "False": no}
    return lambda value, _names: words.get(value)


def lowered(label: str) -> str:
    """A label inside a sentence: ``Personen`` as ``personen``, ``CPR-nummer`` as written."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


E = TypeVar("E", bound=enum.Enum)


def by_value(table: Mapping[E, Pair]) -> dict[str, Pair]:
    """A label table keyed by an enum's members, keyed by the codes the log stores."""
    return {str(code.value): pair for code, pair in table.items()}
