"""The words of the administration's details: members and groups, the vault itself, the
audit log's own supervision, backups and statistics (services/accounts, audit, backups and
statistics write them)."""

from __future__ import annotations

import re

from infohus_desktop.domain.audit import CHECK_OUTCOME_LABELS
from infohus_desktop.domain.audit_words.parts import (
    Names,
    Pair,
    Part,
    Reader,
    amount,
    by_value,
    coded,
    day_words,
    either,
    fixed,
    flag,
    joined,
    keyed,
    moment_words,
    shaped,
    text,
    whole,
)
from infohus_desktop.domain.labels import ROLE_LABELS

_ROLES = by_value(ROLE_LABELS)
_LOGIN = r"([^\s:]+)"


def _span(da: str, en: str) -> Part:
    """``2026-01-01..2026-06-30`` (days) or ``12..40`` (entries), in words."""

    def part(value: str, _names: Names) -> Pair | None:
        first, dots, last = value.partition("..")
        if not dots:
            return None
        if whole(first) is not None and whole(last) is not None:
            said: Pair | None = (f"{first}–{last}", f"{first}–{last}")
        else:
            a, b = day_words(first), day_words(last)
            said = None if a is None or b is None else (f"{a[0]}–{b[0]}", f"{a[1]}–{b[1]}")
        return None if said is None else (da.format(v=said[0]), en.format(v=said[1]))

    return part


def _head(value: str, _names: Names) -> Pair | None:
    """The audit log's head hash, by its first sixteen characters as ``audit verify`` says it."""
    if not re.fullmatch(r"[0-9a-f]{16,}", value):
        return None
    return (f"revisionsloggens hoved {value[:16]}", f"audit log head {value[:16]}")


def _bound(da: str, en: str, open_end: Pair | None = None) -> Part:
    """A day that may be open (``None``): then ``open_end`` (from the start, until now)."""

    def part(value: str, _names: Names) -> Pair | None:
        if value == "None":
            return open_end
        day = day_words(value)
        return None if day is None else (da.format(v=day[0]), en.format(v=day[1]))

    return part


def _made(value: str, _names: Names) -> Pair | None:
    at = moment_words(value)
    return None if at is None else (f"lavet {at[0]}", f"made {at[1]}")


def _seconds(value: str, _names: Names) -> Pair | None:
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        return None
    return (f"{value.replace('.', ',')} sekunder", f"{value} seconds")


def _role_change(match: re.Match[str], names: Names) -> Pair:
    old, new = coded(_ROLES)(match.group(2), names), coded(_ROLES)(match.group(3), names)
    return (
        f"Bruger {match.group(1)}: {old[0]} → {new[0]}",
        f"User {match.group(1)}: {old[1]} → {new[1]}",
    )


def _upgrade_step(detail: str, names: Names) -> Pair | None:
    """``format=3 signed=2 removed=0 retention_rules=sha256:<digest> …``: the values signed
    in the format step, each with its whole digest (the audit group compares them later)."""
    head = re.fullmatch(
        r"(format=\S+ signed=\S+ removed=\S+)((?: [a-z_]+=sha256:[0-9a-f]+)*)", detail
    )
    said = None if head is None else _FORMAT_STEP(head.group(1), names)
    if head is None or said is None:
        return None
    signed = [
        (f"{key} sha256:{digest}", f"{key} sha256:{digest}")
        for key, digest in re.findall(r" ([a-z_]+)=sha256:([0-9a-f]+)", head.group(2))
    ]
    return joined([said, *signed], "; ")


_FORMAT_STEP = keyed(
    {
        "format": text("Format {v}", "Format {v}"),
        "signed": amount(
            ("{n} indstilling underskrevet", "{n} indstillinger underskrevet"),
            ("{n} setting signed", "{n} settings signed"),
        ),
        "removed": amount(("{n} fjernet", "{n} fjernet"), ("{n} removed", "{n} removed")),
    }
)
_LOGIN_READER: Reader = shaped(_LOGIN, lambda m, _n: (f"Bruger {m.group(1)}", f"User {m.group(1)}"))
_PERIOD = keyed({"period": _span("Periode {v}", "Period {v}")})

#: Action code → the reader of its detail.
WORDS: dict[str, Reader] = {
    "group.add": fixed(
        {"casework": ("Sagsbehandlernes adgangskreds", "The caseworkers' access group")}
    ),
    "group.list": fixed(
        {"waiting": ("Medlemmer, der venter på nøgler", "Members waiting for keys")}
    ),
    "group.member.add": _LOGIN_READER,
    "group.member.remove": _LOGIN_READER,
    "member.add": _LOGIN_READER,
    "member.remove": _LOGIN_READER,
    "member.reset": _LOGIN_READER,
    "member.list": fixed({"administration": ("Til administrationen", "For the administration")}),
    "member.role": shaped(rf"{_LOGIN}: (\S+) -> (\S+)", _role_change),
    "member.welcome_letter": either(
        _LOGIN_READER,
        shaped(
            rf"{_LOGIN}: (print|save)",
            lambda m, _n: (
                (f"Bruger {m.group(1)}: udskrevet", f"User {m.group(1)}: printed")
                if m.group(2) == "print"
                else (f"Bruger {m.group(1)}: gemt som fil", f"User {m.group(1)}: saved as a file")
            ),
        ),
    ),
    "vault.restore_accepted": keyed(
        {
            "seen": text(
                "arbejdsstationen havde set til post {v}",
                "the workstation had seen up to entry {v}",
            ),
            "vault": text("boksens log går til post {v}", "the vault's log goes to entry {v}"),
            "diverged": flag(
                ("loggen er en anden end den sete", "the log differs from the one seen"),
                ("loggen er den sete, blot ældre", "the log is the one seen, only older"),
            ),
            "format": text("boksens format {v}", "the vault's format {v}"),
            "seen_format": text(
                "arbejdsstationen havde set format {v}", "the workstation had seen format {v}"
            ),
        }
    ),
    "vault.settings": keyed(
        {
            "idle_lock_minutes": amount(
                ("Automatisk lås efter {n} minut", "Automatisk lås efter {n} minutter"),
                ("Automatic lock after {n} minute", "Automatic lock after {n} minutes"),
            )
        }
    ),
    "vault.upgrade": either(
        _upgrade_step,
        keyed(
            {
                "cases": amount(("{n} sag", "{n} sager"), ("{n} case", "{n} cases")),
                "sealed": amount(("{n} forseglet", "{n} forseglet"), ("{n} sealed", "{n} sealed")),
                "records": amount(
                    ("{n} statistikpost", "{n} statistikposter"),
                    ("{n} statistics record", "{n} statistics records"),
                ),
                "listings": amount(
                    ("{n} sagsoversigt", "{n} sagsoversigter"),
                    ("{n} case listing", "{n} case listings"),
                ),
            }
        ),
    ),
    # The audit log's own supervision.
    "audit.verify": either(
        fixed(
            {
                "ok": ("Loggen er hel", "The log is intact"),
                "bad at None": ("Loggen er brudt", "The log is broken"),
            }
        ),
        shaped(
            r"bad at (\d+)",
            lambda m, _n: (
                f"Loggen er brudt ved post {m.group(1)}",
                f"The log is broken at entry {m.group(1)}",
            ),
        ),
    ),
    "audit.list": fixed({"counters": ("Nøgletal", "Figures")}),
    "audit.prune": keyed(
        {
            "entries": amount(("{n} post", "{n} poster"), ("{n} entry", "{n} entries")),
            "seq": _span("nr. {v}", "no. {v}"),
            "before": _bound("fra før {v}", "from before {v}"),
        }
    ),
    "audit.sample": keyed(
        {
            "size": amount(("{n} post", "{n} poster"), ("{n} entry", "{n} entries")),
            "since": _bound("fra {v}", "from {v}", ("fra begyndelsen", "from the start")),
            "until": _bound("til {v}", "until {v}", ("til nu", "until now")),
        }
    ),
    "audit.spot_check": lambda d, n: coded(by_value(CHECK_OUTCOME_LABELS))(d, n),
    # Backups.
    "backup.create": keyed(
        {
            "cases": amount(("{n} sag", "{n} sager"), ("{n} case", "{n} cases")),
            "audit_head": _head,
            "bytes": amount(("{n} byte", "{n} bytes"), ("{n} byte", "{n} bytes")),
        }
    ),
    "backup.restore": keyed(
        {
            "created": _made,
            "by": text("af {v}", "by {v}"),
            "audit_head": _head,
            "deletions": amount(
                ("{n} sletning at gentage", "{n} sletninger at gentage"),
                ("{n} deletion to repeat", "{n} deletions to repeat"),
            ),
        }
    ),
    "backup.drill": keyed(
        {
            "cases_read": amount(
                ("{n} sag læst", "{n} sager læst"), ("{n} case read", "{n} cases read")
            ),
            "audit_head": _head,
            "seconds": _seconds,
        }
    ),
    "backup.settings": keyed(
        {
            "backup_reminder_days": amount(
                ("Påmindelse efter {n} dag", "Påmindelse efter {n} dage"),
                ("Reminder after {n} day", "Reminder after {n} days"),
            )
        }
    ),
    # Statistics.
    "statistics.compute": _PERIOD,
    "statistics.pdf": _PERIOD,
    "statistics.csv": _PERIOD,
    "statistics.print": _PERIOD,
    "statistics.save": _PERIOD,
    "statistics.refresh": lambda d, n: amount(
        ("{n} statistikpost skrevet", "{n} statistikposter skrevet"),
        ("{n} statistics record written", "{n} statistics records written"),
    )(d, n),
}
