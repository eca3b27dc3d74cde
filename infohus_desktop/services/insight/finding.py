"""Finding one person's cases for an insight report, without decrypting a case first.

By CPR number: the CPR blind index (the one the intake duplicate check uses), in every
epoch of the network key it was written under. Only cases in the coordinator's own access
groups are read; a hit in another group is only noted (``possibly_elsewhere``), as the
duplicate check does. A case registered without a CPR number has no index entry and cannot
be found this way. A deleted case's tombstone holds no CPR number either, so deleted cases
are found only by their case number.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.blind_index import cpr_index
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import CaseRow


@dataclass(frozen=True, slots=True)
class Candidates:
    """Cases whose blind index matches, readable by this coordinator; the CPR is still to be
    compared after decryption (an index is a keyed hash, not proof)."""

    case_ids: tuple[uuid.UUID, ...]
    possibly_elsewhere: bool


def by_cpr(ms: MemberSession, session: Session, digits: str) -> Candidates:
    """Cases whose CPR blind index is that of ``digits`` (ten normalized digits)."""
    cases = CaseService(ms)
    readable = readable_group_ids(ms, session)
    found: list[uuid.UUID] = []
    elsewhere = False
    for epoch in session.scalars(select(CaseRow.cpr_epoch).distinct()):
        if epoch is None:
            continue
        _epoch, key = cases.cpr_lookup_key(session, epoch)
        hits = session.execute(
            select(CaseRow.id, CaseRow.group_id).where(
                CaseRow.cpr_epoch == epoch, CaseRow.cpr_index == cpr_index(key, digits)
            )
        )
        for case_id, group_id in hits:
            if group_id in readable:
                found.append(case_id)
            else:
                elsewhere = True
    return Candidates(tuple(sorted(found)), elsewhere)


def limited_to_groups(ms: MemberSession, session: Session) -> bool:
    """Whether some case lies in an access group whose key this coordinator does not hold:
    the report then says that its search covered only the coordinator's groups."""
    readable = readable_group_ids(ms, session)
    other = session.scalar(select(CaseRow.id).where(CaseRow.group_id.not_in(readable)).limit(1))
    return other is not None
