"""``infohus trend add|edit|list|show|link|unlink|access`` (trend notes), and the hook for
``infohus stats`` (statistics, in ``stats_commands.py``).

A note's fields come as options and/or a JSON file (``--file``; options win). Saving text in
which the personal-data check finds a CPR-like number or a case person's name is refused
unless ``--confirm-personal-data`` is given; the refusal says where and why.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from infohus_desktop.cli.args import DATE_HELP, parse_date, parse_id, read_text
from infohus_desktop.cli.io import emit_json, emit_table, t, tampered_json, tampered_row
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.trends import (
    AREA_KIND_LABELS,
    DEVELOPMENT_LABELS,
    SOURCE_KIND_LABELS,
    AreaKind,
    Development,
    SourceKind,
    TrendContent,
    TrendFilter,
    TrendNote,
    TrendSummary,
)
from infohus_desktop.services.trends.service import PersonalDataFound

_FIELDS = (
    "title",
    "period_from",
    "period_to",
    "area_kind",
    "area",
    "theme",
    "description",
    "source_kinds",
    "development",
    "follow_up",
)


def _bad_file(path: str) -> InvalidInput:
    return InvalidInput(
        f"Filen {path} skal være et JSON-objekt med notatets felter ({', '.join(_FIELDS)}).",
        f"The file {path} must be a JSON object with the note's fields ({', '.join(_FIELDS)}).",
    )


def _from_file(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _bad_file(path) from exc
    if not isinstance(data, dict) or set(data) - set(_FIELDS):
        raise _bad_file(path)
    return data


def _fields(args: argparse.Namespace, base: TrendContent | None) -> TrendContent:
    """The note from the JSON file, the options on top, and ``base`` for what is missing."""
    raw = _from_file(args.file)
    given: dict[str, Any] = {k: v for k, v in raw.items() if v is not None}
    for name in ("title", "area", "theme", "area_kind", "development"):
        if getattr(args, name) is not None:
            given[name] = getattr(args, name)
    for attr, name in (("period_from", "period_from"), ("period_to", "period_to")):
        if getattr(args, attr) is not None:
            given[name] = getattr(args, attr).isoformat()
    if args.follow_up is not None:
        given["follow_up"] = args.follow_up.isoformat()
    if args.source:
        given["source_kinds"] = args.source
    if args.description or args.description_file:
        given["description"] = read_text(args, "description_file", "description")
    try:
        values: dict[str, Any] = {}
        for name in _FIELDS:
            if name not in given:
                continue
            value = given[name]
            if name in ("period_from", "period_to", "follow_up"):
                value = date.fromisoformat(str(value))
            elif name == "area_kind":
                value = AreaKind(value)
            elif name == "development":
                value = Development(value)
            elif name == "source_kinds":
                value = tuple(SourceKind(v) for v in value)
            else:
                value = str(value)
            values[name] = value
        if base is not None:
            return replace(base, **values)
        return TrendContent(**values)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            "Notatets felter er ufuldstændige eller ugyldige: titel, --from, --to, "
            "--area-kind og --theme skal angives; se infohus trend add --help.",
            "The note's fields are incomplete or invalid: title, --from, --to, --area-kind "
            "and --theme are required; see infohus trend add --help.",
        ) from exc


def _refused(exc: PersonalDataFound) -> InvalidInput:
    return InvalidInput(
        exc.da + " Gem alligevel med --confirm-personal-data.",
        exc.en + " Save anyway with --confirm-personal-data.",
    )


def summary_json(s: TrendSummary) -> dict[str, Any]:
    return {
        "id": str(s.id),
        "title": s.title,
        "theme": s.theme,
        "period_from": s.period_from.isoformat(),
        "period_to": s.period_to.isoformat(),
    }


def note_json(n: TrendNote) -> dict[str, Any]:
    shape = _note_shape(n)
    return tampered_json(shape, ("id",)) if n.tampered else shape | {"tampered": False}


def _note_shape(n: TrendNote) -> dict[str, Any]:
    c = n.content
    return {
        **summary_json(n.summary),
        "area_kind": c.area_kind.value,
        "area": c.area,
        "description": c.description,
        "source_kinds": [k.value for k in c.source_kinds],
        "development": c.development.value,
        "follow_up": c.follow_up.isoformat() if c.follow_up else None,
        "group_id": str(n.group_id),
        "version": n.version,
        "created_at": n.created_at.isoformat(),
        "created_by": n.created_by,
        "updated_at": n.updated_at.isoformat(),
        "updated_by": n.updated_by,
        "related": [summary_json(r) for r in n.related],
    }


def _period(c: TrendContent) -> str:
    return f"{c.period_from.strftime('%d.%m.%Y')}–{c.period_to.strftime('%d.%m.%Y')}"


def _label(labels: dict[Any, tuple[str, str]], code: Any) -> str:
    return t(*labels.get(code, (str(code), str(code))))


# -- handlers -------------------------------------------------------------------------------


def trend_add(args: argparse.Namespace) -> int:
    content = _fields(args, None)
    with unlocked(args) as session:
        try:
            created = session.trends.create(content, args.confirm_personal_data)
        except PersonalDataFound as exc:
            raise _refused(exc) from None
    if args.json:
        emit_json(note_json(created))
    else:
        short = str(created.id)[:8]  # the id 'trend list' shows, which every command takes
        print(t(f"Tendensnotatet {short} er gemt.", f"Trend note {short} was saved."))
    return 0


def trend_edit(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        note_id = _resolve(session, args.note)  # as 'show', 'link' and 'access': the list's id
        current = session.trends.get(note_id)
        version = args.version if args.version is not None else current.version
        content = _fields(args, current.content)
        try:
            # The note as read now is the user's base only when they did not name a version.
            base = current.content if args.version is None else None
            saved = session.trends.edit(
                note_id, version, content, args.confirm_personal_data, base=base
            )
        except PersonalDataFound as exc:
            raise _refused(exc) from None
    if args.json:
        emit_json(note_json(saved))
    else:
        print(t(f"Gemt som version {saved.version}.", f"Saved as version {saved.version}."))
    return 0


def trend_list(args: argparse.Namespace) -> int:
    filters = TrendFilter(
        themes=frozenset(args.theme),
        area_kind=AreaKind(args.area_kind) if args.area_kind else None,
        area=args.area or "",
        developments=frozenset(Development(d) for d in args.development),
        period_from=args.period_from,
        period_to=args.period_to,
    )
    with unlocked(args) as session:
        notes = session.trends.list(filters, args.search)
        themes = session.trends.themes()
    if args.json:
        emit_json([note_json(n) for n in notes])
        return 0
    emit_table(
        [
            t("Id", "Id"),
            t("Periode", "Period"),
            t("Tema", "Theme"),
            t("Udvikling", "Development"),
            t("Område", "Area"),
            t("Titel", "Title"),
        ],
        [
            tampered_row(6, 5, {0: str(n.id)[:8]})
            if n.tampered
            else [
                str(n.id)[:8],
                _period(n.content),
                _label(themes, n.content.theme),
                _label(DEVELOPMENT_LABELS, n.content.development),
                n.content.area,
                n.content.title,
            ]
            for n in notes
        ],
    )
    return 0


def _resolve(session: Any, ref: str) -> Any:
    """A note by full id or by the first characters `trend list` shows."""
    ref = ref.strip().lower()
    if len(ref) == 36:
        return parse_id(ref, "Notatet", "The note")
    hits = [s.id for s in session.trends.summaries() if str(s.id).startswith(ref)] if ref else []
    if len(hits) != 1:
        raise InvalidInput(
            f"{ref!r} peger ikke på netop ét tendensnotat.",
            f"{ref!r} does not name exactly one trend note.",
        )
    return hits[0]


def trend_show(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        note = session.trends.get(_resolve(session, args.note), Purpose(args.purpose))
        themes = session.trends.themes()
        if args.json:
            emit_json(note_json(note))
            return 0
        meetings = session.meetings.for_trend_note(note.id)
    c = note.content
    print(c.title)
    print(f"{t('Periode', 'Period')}: {_period(c)}")
    print(f"{t('Tema', 'Theme')}: {_label(themes, c.theme)}")
    print(f"{t('Område', 'Area')}: {_label(AREA_KIND_LABELS, c.area_kind)} – {c.area}")
    print(f"{t('Udvikling', 'Development')}: {_label(DEVELOPMENT_LABELS, c.development)}")
    sources = ", ".join(_label(SOURCE_KIND_LABELS, k) for k in c.source_kinds) or "-"
    print(f"{t('Kildetyper', 'Kinds of sources')}: {sources}")
    if c.follow_up:
        print(f"{t('Opfølgning', 'Follow-up')}: {c.follow_up.strftime('%d.%m.%Y')}")
    print(
        f"{t('Version', 'Version')} {note.version}, "
        f"{t('senest ændret af', 'last changed by')} {note.updated_by} "
        f"{note.updated_at.strftime('%d.%m.%Y %H.%M')}"
    )
    print()
    print(c.description)
    for r in note.related:
        print(f"{t('Relateret', 'Related')}: {str(r.id)[:8]}  {r.title}")
    for m in meetings:  # the meetings (of those the member reads) that discussed it
        day = m.starts_at.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%d.%m.%Y")
        print(f"{t('Behandlet på møde', 'Discussed at meeting')}: {m.short_id}  {day}  {m.title}")
    return 0


def trend_link(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        a, b = _resolve(session, args.note), _resolve(session, args.other)
        if args.remove:
            session.trends.unlink(a, b)
        else:
            session.trends.link(a, b)
    print(t("Forbindelsen er gemt.", "The link was saved."))
    return 0


def trend_access(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        note = session.trends.set_access_group(_resolve(session, args.note), args.group)
    print(
        t(
            f"Notatet kan nu kun læses af adgangskredsen {args.group} (version {note.version}).",
            f"The note can now be read only by the access group {args.group} "
            f"(version {note.version}).",
        )
    )
    return 0


# -- parsers --------------------------------------------------------------------------------


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--file",
        metavar="FILE",
        help=t("notatets felter som et JSON-objekt", "the note's fields as a JSON object"),
    )
    first = t("periodens første dag", "the period's first day")
    last = t("periodens sidste dag", "the period's last day")
    p.add_argument("--title", help=t("notatets titel", "the note's title"))
    p.add_argument("--from", dest="period_from", type=parse_date, metavar=DATE_HELP, help=first)
    p.add_argument("--to", dest="period_to", type=parse_date, metavar=DATE_HELP, help=last)
    p.add_argument(
        "--area-kind",
        choices=[k.value for k in AreaKind],
        help=t("områdetypen", "the kind of area"),
    )
    p.add_argument(
        "--area",
        help=t(
            "kommune, politikreds eller platform, fx 'TikTok'",
            "municipality, district or platform, e.g. 'TikTok'",
        ),
    )
    p.add_argument(
        "--theme",
        help=t(
            "en sagskategori eller et tendenstema (se listen)",
            "a case category or a trend theme (see the list)",
        ),
    )
    p.add_argument("--description", help=t("kort beskrivelse", "short description"))
    p.add_argument(
        "--description-file",
        metavar="FILE",
        help=t("beskrivelsen ('-' er standardinput)", "description ('-' is stdin)"),
    )
    p.add_argument(
        "--source",
        action="append",
        default=[],
        choices=[k.value for k in SourceKind],
        help=t(
            "en kildetype, tendensen bygger på (kan gentages; aldrig navne)",
            "a kind of source the trend rests on (repeatable; never names)",
        ),
    )
    p.add_argument(
        "--development",
        choices=[d.value for d in Development],
        help=t("tendensens udvikling", "how the trend develops"),
    )
    follow_up = t("opfølgningsdato", "the follow-up date")
    p.add_argument("--follow-up", type=parse_date, metavar=DATE_HELP, help=follow_up)
    p.add_argument(
        "--confirm-personal-data",
        action="store_true",
        help=t(
            "gem, selv om kontrollen finder noget, der ligner et CPR-nummer eller et navn",
            "save although the check finds something like a CPR number or a name",
        ),
    )


def add_trend_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """Register ``trend`` (and, at the end, ``stats``) on the top-level subparsers."""
    trend = sub.add_parser("trend", help=t("tendensnotater", "trend notes")).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = trend.add_parser(
        "add", parents=both, help=t("skriv et tendensnotat", "write a trend note")
    )
    _content_options(add)
    add.set_defaults(handler=trend_add)

    edit = trend.add_parser(
        "edit", parents=both, help=t("ret et tendensnotat", "change a trend note")
    )
    edit.add_argument("note", help=t("id eller dets første tegn", "id, or its first characters"))
    edit.add_argument(
        "--version",
        type=int,
        help=t(
            "den version, du har læst (standard: den nuværende)",
            "the version you read (default: current)",
        ),
    )
    _content_options(edit)
    edit.set_defaults(handler=trend_edit)

    lst = trend.add_parser(
        "list",
        parents=both,
        help=t("vis, filtrér og søg i tendensnotater", "list, filter and search trend notes"),
    )
    lst.add_argument(
        "--theme",
        action="append",
        default=[],
        help=t("kun dette tema (kode; kan gentages)", "only this theme (code; repeatable)"),
    )
    lst.add_argument(
        "--area-kind",
        choices=[k.value for k in AreaKind],
        help=t("kun denne områdetype", "only this kind of area"),
    )
    lst.add_argument("--area", help=t("en del af områdets navn", "part of the area's name"))
    lst.add_argument(
        "--development",
        action="append",
        default=[],
        choices=[d.value for d in Development],
        help=t("kun denne udvikling (kan gentages)", "only this development (repeatable)"),
    )
    ends = t(
        "kun notater, hvis periode slutter denne dag eller senere",
        "only notes whose period ends on or after this day",
    )
    begins = t(
        "kun notater, hvis periode begynder denne dag eller før",
        "only notes whose period begins on or before this day",
    )
    lst.add_argument("--from", dest="period_from", type=parse_date, metavar=DATE_HELP, help=ends)
    lst.add_argument("--to", dest="period_to", type=parse_date, metavar=DATE_HELP, help=begins)
    lst.add_argument(
        "--search",
        help=t(
            "ord i titlen, området eller beskrivelsen", "words in the title, area or description"
        ),
    )
    lst.set_defaults(handler=trend_list)

    show = trend.add_parser(
        "show", parents=both, help=t("vis et tendensnotat", "show one trend note")
    )
    show.add_argument("note", help=t("id eller dets første tegn", "id, or its first characters"))
    show.add_argument(
        "--purpose",
        default=Purpose.ADMINISTRATION.value,
        choices=[p.value for p in Purpose],
        help=t(
            "formålet med opslaget, som det skrives i revisionsloggen (standard: administration)",
            "the purpose of the read, as the audit log records it (default: administration)",
        ),
    )
    show.set_defaults(handler=trend_show)

    link = trend.add_parser(
        "link", parents=both, help=t("forbind to beslægtede notater", "link two related notes")
    )
    note = t("notatets id eller dets første tegn", "the note's id, or its first characters")
    link.add_argument("note", help=note)
    link.add_argument(
        "other",
        help=t("det andet notat: id eller første tegn", "the other note: id or first characters"),
    )
    link.add_argument(
        "--remove",
        action="store_true",
        help=t("fjern i stedet forbindelsen", "remove the link instead"),
    )
    link.set_defaults(handler=trend_link)

    access = trend.add_parser(
        "access",
        parents=both,
        help=t("begræns, hvem der kan læse et notat", "narrow who can read a note"),
    )
    access.add_argument("note", help=note)
    access.add_argument(
        "--group",
        required=True,
        help=t("en adgangskreds, du er med i", "an access group you are in"),
    )
    access.set_defaults(handler=trend_access)
