"""The intake's duplicate check: is the person already known?

Names are compared over the summaries this session keeps (services/cases/summary_index.py),
CPR numbers also through the blind index. The check is audited before anything is decrypted;
while the kept summaries are known to be every readable case, the rest of it reads only ids,
versions and the blind index, in its audit entry's own transaction.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.blind_index import cpr_index, lookup_key
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import CaseSummary, DuplicateCheck, fold_name
from infohus_desktop.domain.cpr import parse_cpr
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.services.cases import summary_index
from infohus_desktop.services.cases.index import CASES, CaseIndex
from infohus_desktop.services.core.access import (
    flushed_connection,
    readable_group_ids,
    require_role,
)
from infohus_desktop.services.core.session import audit_span
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_chain import ChainPoint
from infohus_desktop.vault.schema import GroupRow

#: ``Session.info``: group rows a transaction read at once and keeps for its length (the
#: session holds unchanged rows only weakly; later ``session.get`` calls find them).
GROUPS_HELD = "infohus.groups_held"
#: Read under the chain lock; ``populate_existing``: a group row the session already holds
#: (read before the lock) takes the values read now, so its epoch is the current one.
_GROUPS_BY_ID = (
    select(GroupRow)
    .where(GroupRow.id.in_(bindparam("wanted", expanding=True)))
    .execution_options(populate_existing=True)
)


def criterion(name: str, digits: str | None) -> str:
    """What a check's audit entry says it looked for (sealed with the entry)."""
    return f"name={name!r} cpr={digits!r}"


class Steady(NamedTuple):
    """What a check read in its entry's transaction while the kept summaries were every
    readable case: the candidates' summaries still current, the candidates changed since
    they were summarised (to be read again after the commit), the member's groups, and
    whether a case the member cannot read has the CPR number."""

    current: builtins.list[CaseSummary]
    changed: builtins.list[uuid.UUID]
    groups: set[uuid.UUID]
    elsewhere: bool

    def answer(self, name: str, digits: str | None) -> DuplicateCheck | None:
        """The check's answer from what is held, or None while a candidate must be
        decrypted again first (which waits for the entry's commit)."""
        return None if self.changed else _outcome(self.current, name, digits, self.elsewhere)


class CaseDuplicates(CaseIndex):
    """``session.cases.check_duplicates``."""

    def check_duplicates(
        self, name: str, cpr: str | None, exclude: uuid.UUID | None = None
    ) -> DuplicateCheck:
        """Is this person already known? Names are compared over the cases this member can
        read; CPR numbers also through the blind index, which says only "possibly" about
        cases in groups the member is not in. Audited, with the criterion sealed."""
        return self._duplicate_check(name, cpr, exclude)

    def _duplicate_check(
        self,
        name: str,
        cpr: str | None,
        exclude: uuid.UUID | None = None,
        refuse: Callable[[Session, ChainPoint], None] | None = None,
    ) -> DuplicateCheck:
        """:meth:`check_duplicates`; ``refuse`` runs first in the entry's transaction, given
        the head the entry follows (the intake's checks of its input): input it refuses
        rolls the transaction back, entry and all, before anything is read."""
        require_role(self.ms, CaseOp.CREATE)
        digits = parse_cpr(cpr).number if cpr else None
        with self._checking(name, digits, exclude, refuse) as (session, steady):
            span = audit_span(session)
        return self._checked(name, digits, exclude, steady, span)

    @contextmanager
    def _checking(
        self,
        name: str,
        digits: str | None,
        exclude: uuid.UUID | None,
        refuse: Callable[[Session, ChainPoint], None] | None,
    ) -> Iterator[tuple[Session, Steady | None]]:
        """The check's audited transaction: its entry, ``refuse``, and what the check reads
        there while the kept summaries are every readable case (``None`` when they may not
        be). The entry commits when the caller's block ends; nothing is decrypted in it."""
        index = summary_index.index_of(self.ms)
        with self.ms.audited_reading(
            "case.duplicate_check",
            None,
            Purpose.CASEWORK,
            criterion(name, digits),
            self._hold_groups,
        ) as (session, _seq):
            span = audit_span(session)
            assert span is not None  # the entry was appended in this transaction
            if refuse is not None:
                refuse(session, span[0])
            # While this entry directly follows the head the kept summaries were known
            # complete at (nothing was written since, here or elsewhere: every change of a
            # case, group or membership is audited in its own transaction), they are every
            # readable case, and the rest of the check only reads ids, versions and the
            # blind index, here in the entry's own transaction (under the chain lock, so
            # it sees what the entry follows).
            steady: Steady | None = None
            if index.mark == span[0]:
                groups = readable_group_ids(self.ms, session)
                candidates = {c.id for c in index.known(self.ms.case_cache, name, digits)}
                elsewhere = self._blind_index_hits(session, digits, groups, exclude, candidates)
                candidates.discard(exclude)
                current, changed = self._cached_current(self._versions(session, candidates), groups)
                steady = Steady(current, changed, groups, elsewhere)
            yield session, steady

    def _checked(
        self,
        name: str,
        digits: str | None,
        exclude: uuid.UUID | None,
        steady: Steady | None,
        span: tuple[ChainPoint, ChainPoint] | None,
    ) -> DuplicateCheck:
        """The check's answer once its entry has committed (``span``: what it appended)."""
        if steady is None or span is None:
            return self._check_after_changes(name, digits, exclude)
        summary_index.index_of(self.ms).complete_at(*span)  # the mark moves to the entry
        summaries = steady.current
        if steady.changed:  # changed since this session summarised it: read and decrypt again
            with self.ms.uow() as session:
                summaries = summaries + self._current(session, steady.changed, steady.groups)
        return _outcome(summaries, name, digits, steady.elsewhere)

    def _hold_groups(self, session: Session) -> None:
        """Read the audit group (the entry's writer key) and the network group (the blind
        index's epochs) in one statement; the session finds both rows after that."""
        vault = self.ms.vault
        wanted = [
            vault.system_group_id(session, GroupKind.AUDIT),
            vault.system_group_id(session, GroupKind.NETWORK),
        ]
        session.info[GROUPS_HELD] = session.scalars(_GROUPS_BY_ID, {"wanted": wanted}).all()

    def _check_after_changes(
        self, name: str, digits: str | None, exclude: uuid.UUID | None
    ) -> DuplicateCheck:
        """The check when the kept summaries may miss a case (the session's first check, or
        something was written since): after the entry committed, the summaries are made
        again unless the session holds every readable case at its version (one statement of
        ids and versions; only new or changed cases are decrypted), then the same look-ups."""
        index = summary_index.index_of(self.ms)
        cache = self.ms.case_cache
        with self.ms.uow() as session:
            # The head before the groups and the versions (each statement sees what
            # committed before it): a membership granted in between shows as a later head.
            head = audit_chain.head(session)
            groups = readable_group_ids(self.ms, session)
            if not summary_index.cache_is_current(session, groups, cache):
                self.readable(session)
            index.mark = head
            candidates = {c.id for c in index.known(cache, name, digits)}
            elsewhere = self._blind_index_hits(session, digits, groups, exclude, candidates)
            candidates.discard(exclude)
            summaries = self._current(session, candidates, groups)
        return _outcome(summaries, name, digits, elsewhere)

    def _blind_index_hits(
        self,
        session: Session,
        digits: str | None,
        groups: set[uuid.UUID],
        exclude: uuid.UUID | None,
        candidates: set[uuid.UUID],
    ) -> bool:
        """Add the readable cases whose blind index matches this CPR number to
        ``candidates`` (checked like the name hits); whether a case the member cannot read
        matches too (the person is "possibly" known elsewhere)."""
        elsewhere = False
        if not digits:
            return elsewhere
        terms = self._blind_index_terms(session, digits)
        for case_id, group_id in flushed_connection(session).execute(
            select(CASES.id, CASES.group_id).where(or_(*terms))
        ):
            if group_id in groups:
                candidates.add(case_id)
            elif case_id != exclude:
                elsewhere = True
        return elsewhere

    def _blind_index_terms(
        self, session: Session, digits: str
    ) -> builtins.list[ColumnElement[bool]]:
        """Where a CPR number's blind index would be under each epoch of the network key: one
        term per epoch (a few), each served by the index on ``cpr_index``, rather than a scan
        for the epochs in use."""
        network = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
        group = session.get(GroupRow, network)
        assert group is not None
        terms = []
        for epoch in range(1, group.epoch + 1):
            try:
                key = lookup_key(self.ms.keyring.group_key(session, network, epoch))
            except TamperedData:
                continue  # an epoch whose key does not open holds nothing this check can name
            terms.append(and_(CASES.cpr_epoch == epoch, CASES.cpr_index == cpr_index(key, digits)))
        return terms


def _outcome(
    summaries: Iterable[CaseSummary], name: str, digits: str | None, elsewhere: bool
) -> DuplicateCheck:
    """The check's answer from the current summaries of its candidates: the cases whose
    person has the name or the CPR number; a tampered one says "possibly elsewhere"."""
    known: set[str] = set()
    folded = fold_name(name)
    for summary in summaries:
        if summary.tampered:
            elsewhere = True  # known, perhaps, in a case nobody can read now
        elif fold_name(summary.person_name) == folded or (digits and summary.person_cpr == digits):
            known.add(summary.number)
    return DuplicateCheck(tuple(sorted(known)), elsewhere)
