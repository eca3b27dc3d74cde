"""Trend notes leave no typed text in clear in the SQLite file, its WAL or the logs: title,
area, description, search words and the text of a confirmed personal-data finding.

SQLite only: the test reads the bytes of the files on disk.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.trends import AreaKind, Development, SourceKind, TrendContent
from tests.integration.conftest import District
from tests.integration.test_cases_sentinels import _encodings, _files, everything_logged

TITLE = "Sentineltendens om Qvistianske grupper"
AREA = "Sentinelplatformen Ærbødigchat"
DESCRIPTION = "Beskrivelse som aldrig må stå i klartekst ÆØÅ"
EDITED = "Rettet beskrivelse som heller ikke må ses"
SEARCH = "Qvistianske"
CPR = "070761-4285"
SENTINELS = [TITLE, AREA, DESCRIPTION, EDITED, SEARCH, CPR]

__all__ = ["everything_logged"]  # the fixture, imported for its side of the test


def _scan(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        for sentinel in SENTINELS:
            if any(needle and needle in data for needle in _encodings(sentinel)):
                found.append(f"{sentinel!r} in {path.name}")
    return found


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_trend_notes_leave_no_text_on_disk(
    everything_logged: Path, district: District, tmp_path: Path
) -> None:
    db_url = district.url
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    content = TrendContent(
        title=TITLE,
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        area_kind=AreaKind.ONLINE,
        area=AREA,
        theme="konspiration",
        description=f"{DESCRIPTION} {CPR}",
        source_kinds=(SourceKind.OPEN_SOURCES,),
        development=Development.RISING,
    )
    created = mette.trends.create(content, confirmed_personal_data_check=True)
    other = mette.trends.create(replace(content, description="Anden note"))
    mette.trends.link(created.id, other.id)
    edited = mette.trends.edit(created.id, 1, replace(content, description=EDITED))
    assert {n.id for n in mette.trends.list(search=SEARCH)} == {edited.id, other.id}
    lars = district.unlock("lars")
    assert lars.trends.get(created.id).content.description == EDITED
    lars.audit.list(limit=200)

    database = Path(db_url.split("///", 1)[1])
    assert _scan(_files(tmp_path)) == []
    for session in [district.coordinator, *district.sessions.values()]:
        session.lock()
    district.close()
    files = _files(tmp_path)
    assert "INSERT INTO trend_notes" in everything_logged.read_text(encoding="utf-8")
    assert database.name in {p.name for p in files}
    assert _scan(files) == []
    # Positive control: a sentinel planted in clear is found.
    vault = district.open()
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE planted (t TEXT)")
        connection.exec_driver_sql("INSERT INTO planted VALUES (?)", (AREA,))
    vault.close()
    assert f"{AREA!r} in {database.name}" in _scan(_files(tmp_path))
