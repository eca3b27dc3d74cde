"""The case summaries a member may read, as this session holds them: read cold on SQLAlchemy
Core, and looked up by name and CPR number for the duplicate check.

Why not ORM rows: a cold list of 100,000 cases spent three quarters of its time making ORM
instances for every case and data-key row, and about ten ``uuid.UUID`` objects per case
(profiles in issue 17). Here the rows come as plain tuples with their ids as the column
stores them (text); a case keeps one UUID for itself and one for its key, while the ids of
Infohus Kommuner, groups and leads, and the dates, which repeat across thousands of cases,
are made once and shared (:class:`Interned`). Every check of the ORM path is kept: each row's
sealed copy must open with its own data key, be this row's, and name the clear number,
Infohus Kommune, group, key and version the row has (``case_meta.open_meta``); a row that
fails is listed as tampered and reported. The person's name and CPR number come from the
same copy (its listing, ``case_meta.LISTING_FIELDS``): one value opened per case, not two.
A copy sealed before it held the listing has the person opened instead, as before. A row
without a sealed copy (a format-1 vault not yet upgraded) takes the ORM path, which knows
the old columns.

The index (:class:`SummaryIndex`) lives in ``MemberSession.memory`` and goes with it on
lock. It maps a folded name and a CPR number to the ids of the cases that carried them when
their summary was made; the summaries themselves stay in ``MemberSession.case_cache``, and a
hit counts only while the cached summary still carries that name (a case edited, deleted or
dropped from the cache since is no hit), so the map never needs entries taken out.
"""

from __future__ import annotations

import gc
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import LargeBinary, String, select, type_coerce
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import field_prefix, row_binding
from infohus_desktop.domain.cases import CaseSummary, SummaryCodes, fold_name
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.core.case_meta import (
    CLEAR_FIELDS,
    listing_in,
    listing_of_person,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.audit_chain import ChainPoint
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import loads
from infohus_desktop.vault.schema import DataKeyRow
from infohus_desktop.vault.types import stored_id

_MEMORY_NAME = "cases.summary_index"
#: Rows read and decrypted per statement.
BATCH = 500
#: Above this many rows to decrypt, the cyclic garbage collector waits until the end: the
#: load makes only acyclic objects, and each collection it would trigger walks all of them.
GC_PAUSE_ROWS = 2_000
#: Above this many objects made during the pause, the collector runs once in full when it
#: is turned back on. Left to itself it walks them three times: young, then middle, then
#: with the whole heap, which that many new objects set off (at 100,000 cases 0.3 s,
#: against 0.15 s for one full collection).
FULL_COLLECTION_AFTER = 100_000

_TABLE = CaseRow.__table__
_KEYS = DataKeyRow.__table__
_ID = type_coerce(_TABLE.c.id, String())


def raw(column_name: str) -> Any:
    """A column of ``cases`` as the database hands it back (ids as text, no UUID made)."""
    return type_coerce(_TABLE.c[column_name], String())


#: A case's codes as its row and sealed copy hold them (see Interned.codes): status, category,
#: Infohus Kommune id, its Kommune's name, group id, lead organisation id, lead member id.
CodesKey = tuple[Any, Any, str, str, str, Any, Any]


class Interned:
    """Values that repeat across many cases, made once: ids, dates and codes."""

    __slots__ = ("_codes", "_dates", "_strings", "_uuids")

    def __init__(self) -> None:
        self._uuids: dict[str, uuid.UUID] = {}
        self._dates: dict[str, date] = {}
        self._strings: dict[str, str] = {}
        self._codes: dict[CodesKey, SummaryCodes] = {}

    def codes(self, key: CodesKey) -> SummaryCodes:
        """The shared :class:`SummaryCodes` of ``key``, made and checked the first time: an
        unknown status raises KeyError, a missing Kommune or group id TypeError (the row is
        then listed as tampered). One look-up per case, where the fields of their own took
        seven."""
        found = self._codes.get(key)
        if found is None:
            status, category, local, municipality, group, organisation, lead = key
            found = self._codes[key] = SummaryCodes(
                _STATUS[status],
                self.string(category),
                _known(self.uuid(local)),
                municipality,
                _known(self.uuid(group)),
                self.uuid(organisation),
                self.uuid(lead),
            )
        return found

    def uuid(self, text: str | None) -> uuid.UUID | None:
        if text is None:
            return None
        found = self._uuids.get(text)
        if found is None:
            found = self._uuids[text] = uuid.UUID(text)
        return found

    def date(self, text: str | None) -> date | None:
        if text is None:
            return None
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = date.fromisoformat(text)
        return found

    def string(self, text: str) -> str:
        return self._strings.setdefault(text, text)


#: A case id as this program writes it (``str(uuid)``): lower-case hex with four dashes.
_WRITTEN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch


def id_number(case_text: str) -> int:
    """A case id as stored (the UUID's text) as the UUID's ``int`` (the key of
    ``MemberSession.case_cache``), without making the UUID; -1, which no case has, for an
    id not written the way this program writes ids. ``int(text, 16)`` reads the same number
    from "ABC...", from the 32 digits without dashes and from "0x..."; the database holds
    each as another row. A row inserted by SQL under another case's id written so must not
    find that case's summary: it is read (and found tampered) like any row not summarised."""
    if not isinstance(case_text, str) or _WRITTEN_ID(case_text) is None:
        return -1
    return int(case_text.replace("-", ""), 16)


class SummaryIndex:
    """This session's look-ups over the readable summaries; see the module docstring."""

    def __init__(self) -> None:
        self.interned = Interned()
        #: Folded name, CPR number -> the cases (their UUID's ``int``, the key of
        #: ``MemberSession.case_cache``) that carried it: a tuple while they are few (most
        #: names and every CPR number belong to one case; a set per entry cost 216 bytes,
        #: 16 MiB more at 100,000 cases after the first intake dialog, a tuple of one 48),
        #: a set when many share a name (see :func:`_add`).
        self.by_name: dict[str, tuple[int, ...] | set[int]] = {}
        self.by_cpr: dict[str, tuple[int, ...] | set[int]] = {}
        self._unfolded: list[CaseSummary] = []
        #: A whole list was summarised since the last fold: every cached summary is to be
        #: folded (see :meth:`remember_every_cached`).
        self._fold_cache = False
        #: A whole list was made in this session: the cache holds a summary of every case
        #: that was readable then (before it, a check reads the cases itself).
        self.listed = False
        #: The cases (their UUID's ``int``) whose sealed copy, when last summarised, held
        #: no listing (sealed by an earlier version): what ``vault upgrade`` seals anew.
        self.unlisted: set[int] = set()
        #: The audit chain's head (``seq`` and hash) up to which the summaries are known to
        #: be every readable case (None: not known). Every change of a case, a group or a membership
        #: writes an audit entry in its own transaction, so while this session's next entry
        #: follows this one directly, nobody changed anything in between, on this
        #: workstation or another; see :meth:`complete_at`.
        self.mark: ChainPoint | None = None

    def remember(self, summary: CaseSummary) -> None:
        """Note a summary made; its name is folded into the map when a check first needs it
        (a list that no check follows folds no name)."""
        if not summary.tampered:
            self._unfolded.append(summary)

    def remember_every_cached(self) -> None:
        """Note that a whole list was summarised: the next fold folds every summary of the
        session's cache, which holds each one the list made. Instead of :meth:`remember` per
        case, whose list of 100,000 summaries waiting for a fold cost 0.8 MiB."""
        self._fold_cache = True

    def fold(self, cache: dict[int, CaseSummary]) -> None:
        """Fold the names remembered since (or every summary of ``cache``, the session's,
        after a whole list) into the map (about a microsecond a name): run where nobody
        waits, on the worker after the list, so that the first check of a session costs
        what the next one does; a check folds what is left itself. A name folded before is
        not added twice (:func:`_add`)."""
        by_name, by_cpr = self.by_name, self.by_cpr
        summaries: Iterable[CaseSummary] = self._unfolded
        if self._fold_cache:
            summaries = cache.values()
        for summary in summaries:
            if summary.tampered:
                continue
            case_key = summary.key
            _add(by_name, fold_name(summary.person_name), case_key)
            if summary.person_cpr:
                _add(by_cpr, summary.person_cpr, case_key)
        self._unfolded.clear()
        self._fold_cache = False

    def complete_at(self, head_before: ChainPoint, head_after: ChainPoint) -> bool:
        """Whether the summaries were every readable case when the chain's head was
        ``head_before``; if so they still are at ``head_after``, which this session's own
        committed transaction reached (one that adds its case to the summaries, or only
        reads), and the mark moves there. Costs no statement."""
        if self.mark is None or self.mark != head_before:
            return False
        self.mark = head_after
        return True

    def known(self, cache: dict[int, CaseSummary], name: str, cpr: str | None) -> list[CaseSummary]:
        """The cached summaries whose person has this folded name or this CPR number."""
        self.fold(cache)
        key = fold_name(name)
        found: dict[int, CaseSummary] = {}
        for case_id in self.by_name.get(key, ()):
            summary = cache.get(case_id)
            if summary is not None and fold_name(summary.person_name) == key:
                found[case_id] = summary
        if cpr:
            for case_id in self.by_cpr.get(cpr, ()):
                summary = cache.get(case_id)
                if summary is not None and summary.person_cpr == cpr:
                    found[case_id] = summary
        return [s for s in found.values() if not s.tampered]


#: Above this many cases for one key, :func:`_add` keeps them in a set: a tuple is copied
#: and searched whole for every case added (thousands of cases named "Ukendt").
TUPLE_AT_MOST = 8


def _add(cases_by: dict[str, tuple[int, ...] | set[int]], key: str, case_id: int) -> None:
    """``case_id`` among the cases of ``key``, once (a case summarised again after a save
    is remembered again)."""
    known = cases_by.get(key)
    if known is None:
        cases_by[key] = (case_id,)
    elif isinstance(known, set):
        known.add(case_id)
    elif case_id not in known:
        cases_by[key] = (*known, case_id) if len(known) < TUPLE_AT_MOST else {*known, case_id}


def index_of(ms: MemberSession) -> SummaryIndex:
    """This session's index (made on first use; dropped with ``ms.memory`` on lock)."""
    index = ms.memory.get(_MEMORY_NAME)
    if not isinstance(index, SummaryIndex):
        index = ms.memory[_MEMORY_NAME] = SummaryIndex()
    return index


@contextmanager
def collector_paused(rows: int) -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk load of ``rows`` (see GC_PAUSE_ROWS).
    Nothing to do where the collector is off already: in the window, which runs it on the
    GUI thread between the worker's jobs (ui/heap.py)."""
    if rows < GC_PAUSE_ROWS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        made = gc.get_count()[0]  # tracked objects made since the last collection
        gc.enable()
        if made > FULL_COLLECTION_AFTER:
            gc.collect()


def ids_and_versions(session: Session, groups: Iterable[uuid.UUID]) -> list[tuple[str, int]]:
    """Every case row in ``groups``: its id as stored and its version (one statement)."""
    query = select(_ID, _TABLE.c.version).where(CaseRow.group_id.in_(list(groups)))
    # .all() fetches in one call; iterating the result would fetch row by row.
    return [(case_id, version) for case_id, version in session.connection().execute(query).all()]


def any_moved_away(session: Session, groups: Iterable[uuid.UUID]) -> bool:
    """Is any case's data key wrapped for one of ``groups`` while its row names another
    group (one Core statement; the ORM query that lists them cost more than a millisecond
    on every list, to find none)."""
    wanted = list(groups)
    query = (
        select(_ID)
        .select_from(_WITH_KEYS)
        .where(_KEYS.c.group_id.in_(wanted), CaseRow.group_id.not_in(wanted))
        .limit(1)
    )
    return session.connection().execute(query).first() is not None


def cache_is_current(
    session: Session, groups: Iterable[uuid.UUID], cache: dict[int, CaseSummary]
) -> bool:
    """Whether ``cache`` holds a summary of every case row of ``groups`` at the row's
    version: then the summaries are every readable case as they now are (one statement of
    ids and versions; decrypts nothing). Not a count of the rows: a case opened elsewhere
    while another left the member's groups, or a member moved between groups of as many
    cases, keep the count and change the cases. A row listed as tampered is never cached,
    so it makes the answer no: the caller reads the cases again."""
    with collector_paused(len(cache)):
        versions = ids_and_versions(session, groups)
        for case_text, version in versions:
            cached = cache.get(id_number(case_text))
            if cached is None or cached.version != version:
                return False
    return True


#: What the cold list reads of a case row (no intake, no details).
_COLUMNS = (
    _ID,
    _TABLE.c.number,
    raw("local_infohus_id"),
    raw("group_id"),
    raw("data_key_id"),
    # The sealed values as the bytes stored (the column type's Ciphertext wrapper is for
    # the ORM's writes; decrypt_at checks the header and the tag all the same).
    type_coerce(_TABLE.c.person, LargeBinary()),
    type_coerce(_TABLE.c.meta, LargeBinary()),
    _TABLE.c.version,
    # The case's data key row, read with it (one statement for both): as stored, for
    # GroupKeys.field_keys_from_rows; NULL when the key row is missing.
    type_coerce(_KEYS.c.group_id, String()),
    _KEYS.c.epoch,
    type_coerce(_KEYS.c.wrapped, LargeBinary()),
)
_WITH_KEYS = _TABLE.outerjoin(_KEYS, _KEYS.c.id == _TABLE.c.data_key_id)
#: A row's data key as GroupKeys.field_keys_from_rows takes it: key id, group, epoch, wrapped.
_key_row = itemgetter(4, 8, 9, 10)
#: The clear values as the sealed copy names them, in CLEAR_FIELDS' order.
_clear_in_sealed = itemgetter(*CLEAR_FIELDS)
#: ``CaseStatus(value)`` as a dict look-up (an unknown value is a KeyError: tampered).
_STATUS = {status.value: status for status in CaseStatus}


def load(
    ms: MemberSession,
    session: Session,
    stale: list[str] | None,
    municipalities: dict[str, str],
    tampered: Callable[[uuid.UUID, str, str, str, int], CaseSummary],
    legacy: Callable[[uuid.UUID], CaseSummary],
    groups: Iterable[uuid.UUID],
) -> list[CaseSummary]:
    """The summaries of the ``stale`` case ids (as stored), decrypted after the caller's
    audit entry, in batches; one summary per row. ``tampered(id, number, local, group,
    version)`` makes the listing of a row that does not verify (the caller notes it);
    ``legacy(id)`` summarises a row without a sealed copy through the ORM.

    ``stale`` None means every case row of ``groups`` (a cold list): read with one
    statement by group, fetched ``BATCH`` rows at a time, instead of one statement per
    ``BATCH`` ids."""
    index = index_of(ms)
    interned = index.interned
    # Bound once: the loop below runs once per case.
    date_of, codes_of = interned.date, interned.codes
    # A whole list is folded from the cache, not case by case; noted before the first case
    # is cached, so that a load that fails half-way leaves none of its cases unfolded.
    remember = index.remember if stale is not None else None
    if remember is None:
        index.remember_every_cached()
    unlisted = index.unlisted
    required = ms.vault.sealed_meta_required
    cache = ms.case_cache
    # The associated data's start for the two fields read (public names; see aead.py).
    meta_at = field_prefix("cases", "meta")
    person_at = field_prefix("cases", "person")
    out: list[CaseSummary] = []
    with collector_paused(GC_PAUSE_ROWS if stale is None else len(stale)):
        for rows in _batches(session, stale, groups):
            keys = ms.keyring.field_keys_from_rows(session, [_key_row(row) for row in rows])
            for (
                case_text,
                number,
                local,
                group,
                key_text,
                person,
                meta,
                version,
                _key_group,
                _key_epoch,
                _wrapped,
            ) in rows:
                # The id as its number and bytes, without a uuid.UUID (made only for a row
                # listed as tampered or legacy): 1.6 µs a case, 0.16 s at 100,000.
                case_key = id_number(case_text)
                if case_key < 0:  # not written by this program: read it as uuid.UUID does
                    case_key = stored_id(case_text).int
                if meta is None and not required:
                    out.append(legacy(uuid.UUID(int=case_key)))
                    continue
                key = keys.get(key_text)
                try:
                    if key is None or meta is None:
                        raise TamperedData("", "")
                    # Row id and case id are both the case's: FieldContext(cases, meta or
                    # person, case id, case id), as every other reader of these fields binds.
                    case_bytes = case_key.to_bytes(16, "big")
                    at = row_binding(case_bytes, case_bytes)
                    sealed = loads(key.decrypt_at(meta, meta_at, at))
                    if _clear_in_sealed(sealed) != (number, local, group, key_text):
                        raise TamperedData("", "")
                    if sealed["version"] != version:
                        raise TamperedData("", "")
                    listing = listing_in(sealed)
                    if listing is None:  # a copy sealed before it held the listing
                        listing = listing_of_person(loads(key.decrypt_at(person, person_at, at)))
                        unlisted.add(case_key)
                    elif unlisted:
                        unlisted.discard(case_key)
                    name, cpr = listing
                    received = date_of(sealed["received"])
                    if received is None:
                        raise TypeError("received")
                    codes = codes_of(
                        (
                            sealed["status"],
                            sealed["category"],
                            local,
                            municipalities.get(local, ""),
                            group,
                            sealed["lead_organisation_id"],
                            sealed["lead_member_id"],
                        )
                    )
                    summary = CaseSummary(
                        case_key,
                        number,
                        codes,
                        date_of(sealed["follow_up"]),
                        received,
                        name,
                        cpr,
                        version,
                    )
                except (TamperedData, KeyError, TypeError, ValueError):
                    case_id = uuid.UUID(int=case_key)
                    out.append(tampered(case_id, number, local, group, version))
                    continue
                cache[case_key] = summary
                if remember is not None:
                    remember(summary)
                out.append(summary)
    return out


def _batches(
    session: Session, stale: list[str] | None, groups: Iterable[uuid.UUID]
) -> Iterator[Sequence[Any]]:
    """The rows to summarise, ``BATCH`` at a time (Core on the session's connection: plain
    rows, no ORM layer in between; at most one batch of sealed values held at once)."""
    query = select(*_COLUMNS).select_from(_WITH_KEYS)
    connection = session.connection()
    if stale is None:
        # Streamed (a server-side cursor on PostgreSQL), so a cold list of 100,000 cases
        # never holds all their sealed values at once.
        every = query.where(CaseRow.group_id.in_(list(groups))).execution_options(yield_per=BATCH)
        yield from connection.execute(every).partitions()
        return
    for start in range(0, len(stale), BATCH):
        yield connection.execute(query.where(_ID.in_(stale[start : start + BATCH]))).all()


def _known(value: uuid.UUID | None) -> uuid.UUID:
    if value is None:
        raise TypeError("a clear id is missing")
    return value
