"""Concern cases, part 5: a whole case life leaves no name, CPR number, typed sentence,
attachment content or file name in clear in the SQLite file, its WAL or the log files.

SQLite only: the test reads the bytes of the files on disk.
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from infohus_desktop.cli.commands import log_bug
from infohus_desktop.domain.cases import Guardian, JournalKind, LegalBasis
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.editing import CaseEdit
from tests.integration.case_fixtures import RECEIVED, fill_case
from tests.integration.conftest import District

NAME = "Sentinelius Ærbødig-Qvist"
CPR = "070761-4285"
CPR_DIGITS = "0707614285"
OBSERVED = "Observeret sætning som ingen må kunne læse"
TITLE = "Sagstitel om Sentinelius"
ADDRESS = "Sentinelvej 42, 8000 Aarhus C"
GUARDIAN = "Værge Qvistesen-Sentinel"
JOURNAL = "Journalnotat som aldrig må stå i klartekst"
CORRECTION = "Rettelsesnotat som heller ikke må ses"
DISCLOSED = "Videregivet indhold om Sentinelius"
CONTENT = "Bilagsindhold med hemmeligheder ÆØÅ"
FILENAME = "sentinel-bilagsnavn-æøå.txt"
SENTINELS = [
    NAME,
    CPR,
    CPR_DIGITS,
    OBSERVED,
    TITLE,
    ADDRESS,
    GUARDIAN,
    JOURNAL,
    CORRECTION,
    DISCLOSED,
    CONTENT,
    FILENAME,
]


def _encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("latin-1", "ignore")]


def _scan(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        for sentinel in SENTINELS:
            if any(needle and needle in data for needle in _encodings(sentinel)):
                found.append(f"{sentinel!r} in {path.name}")
    return found


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def everything_logged(infohus_home: Path) -> Iterator[Path]:
    """Every log record of every library (SQLAlchemy's statements too) into a file."""
    path = infohus_home / "logs" / "everything.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    root = logging.getLogger()
    sqlalchemy = logging.getLogger("sqlalchemy")  # SQLAlchemy sets itself to WARN
    levels = root.level, sqlalchemy.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sqlalchemy.setLevel(logging.DEBUG)  # statements and result rows
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        sqlalchemy.setLevel(levels[1])
        handler.close()


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_a_whole_case_life_leaves_no_sentinel_on_disk(
    everything_logged: Path, district: District, tmp_path: Path
) -> None:
    db_url = district.url
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    ref = fill_case(mette, NAME, CPR, "Aarhus Kommune").number
    seen = mette.cases.show(ref)
    person = replace(seen.person, address=ADDRESS, guardians=(Guardian(GUARDIAN, "far"),))
    mette.cases.edit(
        ref,
        seen.summary.version,
        CaseEdit(person=person, intake=replace(seen.intake, observed=OBSERVED), title=TITLE),
    )
    entry = mette.case_records.add_journal(ref, JournalKind.CONVERSATION, JOURNAL)
    mette.case_records.add_journal(ref, JournalKind.NOTE, CORRECTION, corrects=entry.id)
    mette.case_records.add_disclosure(
        ref, RECEIVED, "Politiet", "Aarhus Kommune", DISCLOSED, LegalBasis.RPL_115_1_1
    )
    content = (CONTENT + "\n").encode("utf-8") * 40
    attachment = mette.attachments.add(ref, FILENAME, io.BytesIO(content))
    sink = io.BytesIO()
    mette.attachments.read(ref, attachment.id, sink)
    # Search criteria and the duplicate check's name and CPR go into sealed audit details.
    assert [c.number for c in mette.cases.list(search=NAME)] == [ref]
    assert [c.number for c in mette.cases.list(search=CPR)] == [ref]
    assert mette.cases.check_duplicates(NAME, CPR).known_in == (ref,)
    lars = district.unlock("lars")
    case = lars.cases.show(ref)
    lars.audit.list(limit=500)
    # Everything really went in and comes out (the sentinels are not absent by mistake).
    assert (case.person.name, case.person.cpr, case.person.address) == (NAME, CPR_DIGITS, ADDRESS)
    assert (case.intake.observed, case.title) == (OBSERVED, TITLE)
    assert {JOURNAL, CORRECTION} <= {j.text for j in case.journal}
    assert DISCLOSED in {d.what for d in case.disclosures}
    assert FILENAME in {a.filename for a in case.attachments}
    assert sink.getvalue() == content
    # A bug whose message carries personal data is logged without the message.
    try:
        raise RuntimeError(f"bug while handling {NAME} {CPR_DIGITS} {OBSERVED}")
    except RuntimeError as exc:
        log_bug(exc, traceback.extract_tb(exc.__traceback__))

    database = Path(db_url.split("///", 1)[1])
    wal = database.with_name(database.name + "-wal")
    assert wal.stat().st_size > 0  # the scan includes a live WAL
    assert _scan(_files(tmp_path)) == []

    for session in [district.coordinator, *district.sessions.values()]:
        session.lock()
    district.close()  # the last connection checkpoints the WAL into the database file
    files = _files(tmp_path)
    names = {p.name for p in files}
    assert {database.name, "infohus.log", "everything.log"} <= names
    logged = everything_logged.read_text(encoding="utf-8")
    assert "INSERT INTO case_journal" in logged  # the statements were logged, and scanned
    assert database.stat().st_size > len(content)
    assert _scan(files) == []

    # Positive control: the same scan finds a sentinel planted in clear in these files.
    vault = district.open()
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE planted (t TEXT)")
        connection.exec_driver_sql("INSERT INTO planted VALUES (?)", (NAME,))
    assert f"{NAME!r} in {wal.name}" in _scan(_files(tmp_path))
    vault.close()
    assert f"{NAME!r} in {database.name}" in _scan(_files(tmp_path))
    log = next(p for p in files if p.name == "infohus.log")
    with log.open("ab") as out:
        out.write(b"\x00" + JOURNAL.encode("utf-16-le") + b"\x00")
    assert f"{JOURNAL!r} in infohus.log" in _scan([log])
