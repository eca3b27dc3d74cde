"""What a deleted case leaves in the statistics: its codes, without the case.

DOMAIN.md: statistics of earlier periods keep their counts when a case is deleted after its
retention period. The live statistics count the cases in the vault, so a deletion would make
last year's figures shrink. Just before the case's rows go, the deletion writes the case's
*statistics codes* into one new row of ``statistics_kept``: the month it was received, its
Infohus Kommune, category and source, the age group and sex of the person, its latest level of
concern and screening outcome, its measure types, and per referral sent the month, the programme
and the status. Nothing else: no case id, no number, no date finer than a month, no text (the
record a live case has in ``case_statistics``, services/core/case_codes.py, with the status
*slettet*). The row is sealed under the casework group's key (the key the live records are
sealed with), with the row's own random id in the associated data, so a row cannot be copied
into another; the statistics decrypt every kept row (a few small ciphertexts per deleted case)
and count it in with the live cases, as a case whose status is now *slettet*.

The server learns that a kept row exists and how large it is, as it learns that a tombstone
exists; it cannot tell which tombstone a kept row belongs to from its content.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.statistics_codes import CaseCodes
from infohus_desktop.services.accounts.casework import casework_group_id
from infohus_desktop.services.core.access import CaseHandle
from infohus_desktop.services.core.case_codes import compute_codes
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.statistics_schema import KeptCountsRow


def _context(row_id: uuid.UUID) -> FieldContext:
    return FieldContext("statistics_kept", "payload", row_id)


def keep(ms: MemberSession, session: Session, handle: CaseHandle) -> None:
    """Write the codes of ``handle``'s case into ``statistics_kept``, in the deletion's
    transaction. A coordinator without the casework key cannot: the deletion is refused
    rather than letting the case drop out of earlier periods' figures."""
    try:
        key = ms.keyring.group_field_key(session, casework_group_id(ms, session))
    except AccessDenied:
        raise AccessDenied(
            "Sletningen skal bevare sagens tal i statistikken, og det kræver "
            "sagsbehandlernes nøgle; spørg en anden koordinator.",
            "The deletion must keep the case's counts in the statistics, which needs the "
            "caseworkers' key; ask another coordinator.",
        ) from None
    row_id = uuid.uuid4()
    codes = compute_codes(session, handle.row, handle.key).deleted()
    payload = key.encrypt(dumps(codes.to_json()), _context(row_id))
    session.add(KeptCountsRow(id=row_id, payload=payload))


def _tampered() -> TamperedData:
    return TamperedData(
        "Statistiktal for slettede sager kan ikke læses (ændret uden om programmet).",
        "The statistics of deleted cases cannot be read (changed outside the program).",
    )


def load_kept(ms: MemberSession, session: Session) -> list[CaseCodes]:
    """Every kept row, decrypted and checked (a row changed or copied outside the program
    fails, and the statistics say so rather than count wrong)."""
    keys: dict[uuid.UUID, FieldKey] = {}
    out: list[CaseCodes] = []
    for row_id, payload in session.execute(select(KeptCountsRow.id, KeptCountsRow.payload)):
        key = keys.get(payload.key_id)
        if key is None:
            key = keys[payload.key_id] = ms.keyring.field_key_by_id(session, payload.key_id)
        try:
            out.append(CaseCodes.from_json(loads(key.decrypt(payload, _context(row_id)))).deleted())
        except (TamperedData, KeyError, TypeError, ValueError, IndexError):
            raise _tampered() from None
    return out


__all__ = ["keep", "load_kept"]
