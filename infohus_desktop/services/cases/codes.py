"""The statistics codes of one case, sealed to the vault's casework group.

Why a second copy: age group and sex come from the person, which is encrypted under the case
key and readable only by the case's access group. The district's statistics must count them
over every case, for every coordinator and member, and show only counts. So whenever a
case's person or received date is written, the writer (who holds the case key) also writes
``{"age_group", "sex"}`` (coarse codes, no birth date, no name) under the casework group's
current key into ``case_statistics`` (accounts/casework.py: coordinators and members; not the
network group, which also holds the DPO, who never reads case content).

- Someone with the database file but no key sees one more ciphertext per case: nothing new.
- A casework member decrypts the two codes of a case they cannot read. The app shows them only
  as counts; with the file and their own key they could attach the codes to a case row whose
  number, municipality, dates, category, status and level of concern are in clear anyway.
  That is the residual risk, and why the codes are coarse (five age bands).
- Level of concern, screening outcome and measures are clear codes already
  (``case_assessments.level`` etc., docs/SECURITY.md §8) and are counted in SQL.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.domain.cases import Person
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.statistics import AgeGroup, age_group
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow

TABLE, COLUMN = "case_statistics", "payload"


def _context(case_id: uuid.UUID) -> FieldContext:
    return FieldContext(TABLE, COLUMN, case_id, case_id)


def seal_codes(key: FieldKey, case_id: uuid.UUID, person: Person, received: date) -> Ciphertext:
    data = {"age_group": age_group(person.birth_date, received).value, "sex": person.sex.value}
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return key.encrypt(raw, _context(case_id))


def decrypt_codes(key: FieldKey, case_id: uuid.UUID, value: bytes) -> bytes:
    return key.decrypt(value, _context(case_id))


def parse_codes(raw: bytes) -> tuple[AgeGroup, Sex]:
    try:
        data = json.loads(raw)
        return AgeGroup(data["age_group"]), Sex(data["sex"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TamperedData(
            "Statistikdata kan ikke læses.", "Statistics data cannot be read."
        ) from exc


def open_codes(key: FieldKey, case_id: uuid.UUID, value: bytes) -> tuple[AgeGroup, Sex]:
    return parse_codes(decrypt_codes(key, case_id, value))


def write_codes(
    ms: MemberSession, session: Session, case_id: uuid.UUID, person: Person, received: date
) -> None:
    """Write (or rewrite) a case's codes in the caller's transaction. Called by the case
    services wherever the person or the received date is written.

    A writer who does not (yet) hold the casework key (a key share still pending, or a vault
    whose casework group a coordinator has not made yet) writes no codes rather than failing
    the save: the case counts as "unknown" until a member with both
    keys runs :meth:`StatisticsService.refresh_codes`."""
    try:
        key = ms.keyring.group_field_key(session, casework_group_id(ms, session))
    except AccessDenied:
        return
    payload = seal_codes(key, case_id, person, received)
    row = session.get(CaseStatisticsRow, case_id)
    now = datetime.now(UTC)
    if row is None:
        session.add(CaseStatisticsRow(case_id=case_id, payload=payload, updated_at=now))
    else:
        row.payload, row.updated_at = payload, now
