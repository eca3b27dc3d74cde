"""The words of the casework's details: cases and their parts, searches, retention and
deletion, insight reports, meetings and trend notes (services/cases, retention, insight,
meetings, trends write them)."""

from __future__ import annotations

import json
import re

from infohus_desktop.domain.audit_words.parts import (
    Names,
    Pair,
    Reader,
    amount,
    by_value,
    coded,
    codes,
    dated,
    day_words,
    either,
    fixed,
    flag,
    id_words,
    ident,
    joined,
    keyed,
    literal,
    lowered,
    quoted_items,
    same,
    shaped,
    text,
    unquoted,
)
from infohus_desktop.domain.insight import ACTION_LABELS
from infohus_desktop.domain.labels import (
    CASE_FIELD_LABELS,
    JOURNAL_KIND_LABELS,
    LEGAL_BASIS_LABELS,
    MEASURE_STATUS_LABELS,
    MEASURE_TYPE_LABELS,
    MEETING_KIND_LABELS,
    RETENTION_LABELS,
    SCREENING_LABELS,
)
from infohus_desktop.domain.trends import AREA_KIND_LABELS, DEVELOPMENT_LABELS
from infohus_desktop.domain.workflow import CLOSING_LABELS, STATUS_LABELS

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
STATUSES = by_value(STATUS_LABELS)
MONTHS = (("{n} måned", "{n} måneder"), ("{n} month", "{n} months"))


def _fields(value: str, _names: Names) -> Pair | None:
    """``['person', 'title']``: the case's parts an edit changed, as the merge names them."""
    found = quoted_items(value)
    if found is None:
        return None
    labels = [CASE_FIELD_LABELS.get(name, same(name)) for name in found]
    return (
        "Felter: " + ", ".join(lowered(da) for da, _en in labels),
        "Fields: " + ", ".join(lowered(en) for _da, en in labels),
    )


def _refs(value: str, names: Names) -> Pair | None:
    """``['<id>', '2026-0012']``: the cases a list read again, by number where known."""
    found = quoted_items(value)
    if found is None:
        return None
    said = joined([id_words(ref, names) or same(ref) for ref in found])
    return (f"ændrede sager: {said[0]}", f"changed cases: {said[1]}")


#: A list's or a search's criterion (domain/criteria.py): every choice made, none that was not.
_CRITERION = keyed(
    {
        "search": lambda value, names: _searched(value, names),
        "statuses": codes(STATUSES, "status: {v}", "status: {v}"),
        "categories": codes({}, "bekymringstype: {v}", "category: {v}", items=True),
        "municipality": literal("kommune: {v}", "municipality: {v}"),
        "lead_member_id": ident("sagsansvarlig: {v}", "lead: {v}"),
        "lead_organisation_id": ident("sagsansvarlig organisation: {v}", "lead organisation: {v}"),
        "group_id": ident("adgangskreds: {v}", "access group: {v}"),
        "follow_up_due_by": dated("opfølgning senest {v}", "follow-up by {v}"),
        "due": fixed({"True": ("kun sager til opfølgning", "follow-up due only")}),
        "changed": _refs,
        # Trend notes (TrendFilter).
        "themes": codes({}, "temaer: {v}", "themes: {v}", items=True),
        "area_kind": coded(by_value(AREA_KIND_LABELS), "områdetype: {v}", "area type: {v}"),
        "area": literal("område: {v}", "area: {v}"),
        "developments": codes(by_value(DEVELOPMENT_LABELS), "udvikling: {v}", "trend: {v}"),
        "period_from": dated("fra {v}", "from {v}"),
        "period_to": dated("til {v}", "to {v}"),
    }
)
CRITERION = either(fixed({"all": ("Alle, uden filtre", "All, no filters")}), _CRITERION)


#: A CPR number in a detail, written with or without its dash.
_CPR_NUMBER = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def masked(text: str) -> str:
    """``text`` with each CPR number's last four digits hidden: ``010190-****``. The log's
    table shows a row per entry to whoever sits at the screen; the whole number stays in
    the stored detail (the tooltip, ``--json``), where the DPO looks on purpose (review)."""
    return _CPR_NUMBER.sub(lambda m: f"{m.group(1)}-****", text)


def _cpr(value: str, _names: Names) -> Pair | None:
    if value == "None":
        return ("uden CPR-nummer", "without a CPR number")
    said = unquoted(value)
    if said is None:
        return None
    return (f"CPR-nummer {masked(said)}", f"CPR number {masked(said)}")


def _searched(value: str, _names: Names) -> Pair | None:
    said = unquoted(value)
    if said is None:
        return None
    return (f"Søgt efter »{masked(said)}«", f'Searched for "{masked(said)}"')


def _rules(match: re.Match[str], _names: Names) -> Pair | None:
    """``retention.rules``: the rules saved (their JSON), and who approved a shortening."""
    try:
        rules = json.loads(match.group(1))
    except ValueError:
        return None
    known = {"closing_reasons", "classes", "audit_months", "transferred", "configured"}
    if not isinstance(rules, dict) or not set(rules) <= known:
        return None
    months = amount(*MONTHS)
    parts: list[Pair] = []
    for key, labels, da, en in (
        ("closing_reasons", by_value(CLOSING_LABELS), "Efter afslutning", "After closing"),
        ("classes", by_value(RETENTION_LABELS), "Opbevaring", "Retention"),
    ):
        table = rules.get(key, {})
        if not isinstance(table, dict):
            return None
        said = [(labels.get(code, same(code)), months(str(n), {})) for code, n in table.items()]
        if any(m is None for _label, m in said):
            return None
        if said:
            da_list = ", ".join(f"{lowered(lab[0])} {m[0]}" for lab, m in said if m)
            en_list = ", ".join(f"{lowered(lab[1])} {m[1]}" for lab, m in said if m)
            parts.append((f"{da}: {da_list}", f"{en}: {en_list}"))
    for key, da, en in (
        ("audit_months", "revisionsloggen {v}", "the audit log {v}"),
        ("transferred", "overdragne sager {v}", "handed-over cases {v}"),
    ):
        if key in rules:
            said_months = months(str(rules[key]), {})
            if said_months is None:
                return None
            parts.append((da.format(v=said_months[0]), en.format(v=said_months[1])))
    if "configured" in rules:
        configured = flag(
            ("Infohusets egne regler", "the Infohus's own rules"),
            ("programmets udgangspunkt", "the program's starting point"),
        )(str(rules["configured"]), {})
        if configured is None:
            return None
        parts.append(configured)
    if match.group(2):
        parts.append((f"godkendt af {match.group(2)}", f"approved by {match.group(2)}"))
    return joined(parts, "; ")


def _until(value: str, _names: Names) -> Pair | None:
    if value == "None":
        return ("Indtil videre", "Until further notice")
    day = day_words(value)
    return None if day is None else (f"Indtil {day[0]}", f"Until {day[1]}")


def _meeting_read(value: str, _names: Names) -> Pair:
    label = ACTION_LABELS.get(value, same(value))
    return (f"ved: {lowered(label[0])}", f"on: {lowered(label[1])}")


def _finding(found: str) -> Pair | None:
    """``summary:3:5:cpr``: where the trend note held what looked like personal data."""
    match = re.fullmatch(r"(.+):(\d+):(\d+):(cpr|name)", found)
    if match is None:
        return None
    field, line, column, kind = match.groups()
    what = {"cpr": ("CPR-nummer", "CPR number"), "name": ("navn", "name")}[kind]
    return (
        f"{what[0]} i {field}, linje {line}, kolonne {column}",
        f"{what[1]} in {field}, line {line}, column {column}",
    )


def _findings(detail: str, _names: Names) -> Pair | None:
    said = [_finding(found) for found in detail.split(",")]
    if any(s is None for s in said):
        return None
    return joined([s for s in said if s is not None], "; ")


def _journal(match: re.Match[str], names: Names) -> Pair | None:
    kind = coded(by_value(JOURNAL_KIND_LABELS))(match.group(1), names)
    if match.group(2) is None:
        return kind
    corrects = ident("retter notat {v}", "corrects entry {v}")(match.group(2), names)
    return None if corrects is None else joined([kind, corrects])


def _arrow(labels: dict[str, Pair]) -> Reader:
    """``a->b``: from one code to another, by their labels."""
    return shaped(
        r"([^\s>-]+)->([^\s>-]+)",
        lambda m, _n: (
            f"{labels.get(m.group(1), same(m.group(1)))[0]} → "
            f"{labels.get(m.group(2), same(m.group(2)))[0]}",
            f"{labels.get(m.group(1), same(m.group(1)))[1]} → "
            f"{labels.get(m.group(2), same(m.group(2)))[1]}",
        ),
    )


def _moved(da: str, en: str) -> Reader:
    """``<old group>-><new group>``: a move between access groups (ids)."""

    def build(match: re.Match[str], names: Names) -> Pair | None:
        old, new = id_words(match.group(1), names), id_words(match.group(2), names)
        if old is None or new is None:
            return None
        return (da.format(old=old[0], new=new[0]), en.format(old=old[1], new=new[1]))

    return shaped(rf"({UUID}|None)->({UUID})", build)


def _one_id(da: str, en: str) -> Reader:
    part = ident(da, en)
    return lambda detail, names: part(detail, names)


def _approved_by(value: str, _names: Names) -> Pair:
    """The second person of what deletes sooner (services/retention/approval.py); ``-``
    when an early deletion's day had come and none was needed."""
    if value == "-":
        return ("sagen var til sletning; ingen godkendelse nødvendig", "due; no approval needed")
    return (f"godkendt af {value}", f"approved by {value}")


_ATTACHMENT = _one_id("Bilag {v}", "Attachment {v}")
_NAMES_SHOWN = keyed({"names": flag(("med navne", "with names"), ("uden navne", "without names"))})

#: Action code → the reader of its detail.
WORDS: dict[str, Reader] = {
    "case.create": keyed({"number": text("Sagsnummer {v}", "Case number {v}")}),
    "case.edit": keyed(
        {
            "fields": _fields,
            "retention": coded(
                by_value(RETENTION_LABELS), "ny opbevaring »{v}«", "new retention '{v}'"
            ),
            "approved_by": _approved_by,
        }
    ),
    "case.list": CRITERION,
    "case.search": CRITERION,
    "case.duplicate_check": keyed({"name": literal("Navn »{v}«", 'Name "{v}"'), "cpr": _cpr}),
    "case.read": fixed({"insight": ("Til en indsigtsrapport", "For an insight report")}),
    "case.status": _arrow(STATUSES),
    "case.screen": lambda d, n: coded(by_value(SCREENING_LABELS))(d, n),
    "case.move": _moved("Fra adgangskreds {old} til {new}", "From access group {old} to {new}"),
    "case.journal": shaped(rf"(\S+)(?: corrects=({UUID}))?", _journal),
    "case.disclose": lambda d, n: coded(
        by_value(LEGAL_BASIS_LABELS), "Hjemmel: {v}", "Legal basis: {v}"
    )(d, n),
    "case.measure.add": lambda d, n: coded(by_value(MEASURE_TYPE_LABELS))(d, n),
    "case.measure.update": shaped(
        rf"({UUID}) (\S+)",
        lambda m, n: joined(
            [
                ident("Indsats {v}", "Measure {v}")(m.group(1), n) or same(m.group(1)),
                coded(by_value(MEASURE_STATUS_LABELS), "{v}", "{v}")(m.group(2), n),
            ],
            ": ",
        ),
    ),
    "case.attachment.add": shaped(
        rf"({UUID}) (\d+) bytes",
        lambda m, n: joined(
            [
                _ATTACHMENT(m.group(1), n) or same(m.group(1)),
                amount(("{n} byte", "{n} bytes"), ("{n} byte", "{n} bytes"))(m.group(2), n)
                or same(m.group(2)),
            ]
        ),
    ),
    "case.attachment.read": _ATTACHMENT,
    "case.attachment.remove": _ATTACHMENT,
    "case.settings.indicators": shaped(
        r"(\d+) indicators",
        lambda m, n: amount(
            ("{n} indikator", "{n} indikatorer"), ("{n} indicator", "{n} indicators")
        )(m.group(1), n),
    ),
    "case.settings.categories": lambda d, _n: (f"Kategorier: {d}", f"Categories: {d}"),
    "case.tampered": lambda d, _n: (f"Sag {d}", f"Case {d}"),
    "meeting.tampered": lambda d, _n: (f"Møde {d}", f"Meeting {d}"),
    "trend.tampered": lambda d, _n: (f"Tendensnotat {d}", f"Trend note {d}"),
    # Retention and deletion.
    "retention.due": keyed(
        {
            "within": amount(
                ("inden for {n} dag", "inden for {n} dage"), ("within {n} day", "within {n} days")
            )
        }
    ),
    "retention.rules": shaped(r"(\{.*\})(?: approved_by=(\S+))?", _rules),
    "case.hold": keyed({"until": _until}),
    "case.hold.release": lambda d, n: amount(
        ("{n} blokering ophævet", "{n} blokeringer ophævet"),
        ("{n} hold released", "{n} holds released"),
    )(d, n),
    "case.delete": keyed(
        {
            "number": text("Sagsnummer {v}", "Case number {v}"),
            "approved_by": _approved_by,
        }
    ),
    # Insight.
    "insight.report": keyed(
        {
            "by": fixed(
                {
                    "cpr": ("Søgt på CPR-nummer", "Searched by CPR number"),
                    "case": ("Søgt på sagsnummer", "Searched by case number"),
                }
            ),
            "cases": amount(
                ("{n} sag fundet", "{n} sager fundet"), ("{n} case found", "{n} cases found")
            ),
            "deleted": amount(
                ("{n} slettet sag", "{n} slettede sager"), ("{n} deleted case", "{n} deleted cases")
            ),
            "log_lines": amount(
                ("{n} linje fra loggen", "{n} linjer fra loggen"), ("{n} log line", "{n} log lines")
            ),
            "staff_names": flag(
                ("med medarbejdernes navne", "with staff names"),
                ("uden medarbejdernes navne", "without staff names"),
            ),
        }
    ),
    # Meetings.
    "meeting.create": lambda d, n: coded(by_value(MEETING_KIND_LABELS))(d, n),
    "meeting.read": _NAMES_SHOWN,
    "meeting.minutes.pdf": _NAMES_SHOWN,
    "meeting.list": keyed({"trend": ident("Med tendensnotat {v}", "With trend note {v}")}),
    "meeting.action.list": fixed(
        {"mine": ("Mine opgaver", "My action items"), "all": ("Alle opgaver", "All action items")}
    ),
    "meeting.item.add": keyed(
        {
            "meeting": ident("Møde {v}", "Meeting {v}"),
            "trend": ident("tendensnotat {v}", "trend note {v}"),
        }
    ),
    "meeting.case_item.read": keyed(
        {"meeting": ident("Møde {v}", "Meeting {v}"), "action": _meeting_read}
    ),
    "meeting.print": keyed(
        {
            "document": fixed(
                {"agenda": ("Dagsorden", "Agenda"), "minutes": ("Referat", "Minutes")}
            ),
            "names": flag(("med navne", "with names"), ("uden navne", "without names")),
        }
    ),
    # Trend notes.
    "trend.list": CRITERION,
    "trend.search": CRITERION,
    "trend.access": _moved("Fra adgangskreds {old} til {new}", "From access group {old} to {new}"),
    # The entry is about one note; the detail names the other (services/trends).
    "trend.link": _one_id("Forbundet med notat {v}", "Linked to note {v}"),
    "trend.unlink": _one_id("Forbindelse til notat {v} fjernet", "Unlinked from note {v}"),
    "trend.personal_data_confirmed": _findings,
}
WORDS["meeting.save"] = WORDS["meeting.print"]
WORDS["meeting.minutes.pdf.names"] = _NAMES_SHOWN
