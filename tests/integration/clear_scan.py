"""What a reader of the database sees without a key (issue 20): every clear value of every
table, read as the server's operator or a thief of the file would read it, compared with the
product's describing codes.

On SQLite every non-blob value of every table is read with plain SQL; on PostgreSQL the
output of ``pg_dump --data-only`` is read (every row of every table, as the operator's backup
holds it; ``bytea`` is printed as hex there, so ciphertext cannot match), with plain SQL as
the fallback where the machine has no ``pg_dump``.

A value *is* a code when it equals one: a status, category, source, closing reason,
programme, outcome, level, measure type or status, legal basis, journal kind, trend theme,
development or area, meeting status, attendance, decision kind, action item status, audit
action or purpose. The case ids and numbers may appear in the case tables (routing, and the
number people say on the phone), never in the audit tables.

Not read: ``vault_settings``, which holds the vault's vocabulary (the list of categories and
indicators a coordinator set, not anything about a case), and Alembic's own table.
"""

from __future__ import annotations

import enum
import glob
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import inspect, make_url, text
from sqlalchemy.types import LargeBinary

import infohus_desktop
from infohus_desktop.domain import (
    audit,
    cases,
    meetings,
    referral_workflow,
    referrals,
    retention,
    statistics,
    trends,
    workflow,
)
from infohus_desktop.domain.assessment import ConcernLevel
from infohus_desktop.domain.cases import DEFAULT_CATEGORIES
from infohus_desktop.domain.trends import EXTRA_THEMES
from infohus_desktop.vault.engine import create_vault_engine

NOT_READ = frozenset({"vault_settings", "alembic_version"})
#: Clear on purpose, and equal to a code by chance: a public body's kind (Kriminalforsorgen).
CLEAR_BY_DESIGN = frozenset({("organisations", "kind")})
AUDIT_TABLES = frozenset(
    {"audit_entries", "audit_sessions", "audit_checkpoints", "audit_prunings", "audit_spot_checks"}
)


def _values(*enums: type[enum.Enum]) -> set[str]:
    return {str(member.value) for kind in enums for member in kind}


def _actions() -> set[str]:
    """Every audit action the product writes: the members of each ``*Action`` enumeration,
    and the case actions, which the case services name as text."""
    out: set[str] = set()
    for module in (audit, meetings, referrals, trends, retention, statistics):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, enum.Enum)
                and (value.__name__.endswith("Action"))
            ):
                out |= _values(value)
    package = Path(infohus_desktop.__file__).parent
    for source in package.rglob("*.py"):
        out |= set(re.findall(r'"(case\.[a-z_.]+)"', source.read_text(encoding="utf-8")))
    return out


def describing_codes() -> set[str]:
    return (
        _values(
            cases.Source,
            cases.ScreeningOutcome,
            cases.LegalBasis,
            cases.JournalKind,
            cases.MeasureType,
            cases.MeasureStatus,
            cases.RetentionClass,
            workflow.CaseStatus,
            workflow.ClosingReason,
            referrals.Programme,
            referral_workflow.ReferralStatus,
            referral_workflow.SendMethod,
            meetings.MeetingStatus,
            meetings.MeetingType,
            meetings.Attendance,
            meetings.DecisionKind,
            meetings.ActionStatus,
            trends.Development,
            trends.AreaKind,
            ConcernLevel,
            audit.Purpose,
        )
        | set(DEFAULT_CATEGORIES)
        | set(EXTRA_THEMES)
        | _actions()
    )


def clear_values(url: str) -> Iterator[tuple[str, str, str]]:
    """(table, column, value) of every clear value in the database at ``url``."""
    engine = create_vault_engine(url)
    try:
        if engine.dialect.name == "postgresql" and _pg_dump() is not None:
            yield from _dumped(url)
            return
        with engine.connect() as connection:
            seen = inspect(connection)
            for table in seen.get_table_names():
                if table in NOT_READ:
                    continue
                columns = [
                    c["name"]
                    for c in seen.get_columns(table)
                    if not isinstance(c["type"], LargeBinary)
                ]
                names = ", ".join(f'"{c}"' for c in columns)
                for row in connection.execute(text(f'SELECT {names} FROM "{table}"')):
                    for column, value in zip(columns, row, strict=True):
                        if value is not None and not isinstance(value, bytes | memoryview):
                            yield table, column, str(value)
    finally:
        engine.dispose()


def _pg_dump() -> str | None:
    found = shutil.which("pg_dump") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)), None
    )
    return found


def _dumped(url: str) -> Iterator[tuple[str, str, str]]:
    """The data of every table as ``pg_dump`` writes it (COPY blocks, tab-separated)."""
    parsed = make_url(url).set(drivername="postgresql")
    dump = subprocess.run(
        [str(_pg_dump()), "--data-only", "--no-owner", parsed.render_as_string(False)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    table, columns = "", []
    for line in dump.splitlines():
        if line.startswith("COPY "):
            head = line[len("COPY ") :]
            table = head.split(" ", 1)[0].split(".")[-1].strip('"')
            columns = [c.strip().strip('"') for c in head.split("(", 1)[1].split(")")[0].split(",")]
        elif line == "\\.":
            table = ""
        elif table and table not in NOT_READ:
            for column, value in zip(columns, line.split("\t"), strict=False):
                if value != "\\N":
                    yield table, column, value


def findings(url: str, case_ids: set[str], numbers: set[str]) -> list[tuple[str, str, str]]:
    """Every clear value that is a describing code, and every case id or number found in an
    audit table."""
    codes = describing_codes()
    out = []
    for table, column, value in clear_values(url):
        if (table, column) in CLEAR_BY_DESIGN:
            continue
        if value in codes or (table in AUDIT_TABLES and (value in case_ids or value in numbers)):
            out.append((table, column, value))
    return out


__all__ = ["describing_codes", "findings"]
