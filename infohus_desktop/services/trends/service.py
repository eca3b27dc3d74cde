"""Trend notes: create, edit with conflict detection, read, list, filter and search, link,
and narrow the access group; with the personal-data check before every save.

A note is encrypted under the key of its access group (the network group unless a coordinator
narrowed it), so who may read it is decided by who holds that key. Every read is audited and
committed before anything is decrypted; search criteria go sealed into the audit detail.
Names of case persons for the personal-data check are decrypted into memory only.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable
from dataclasses import fields
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.criteria import criterion
from infohus_desktop.domain.errors import AccessDenied, NotFound, TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.trends import (
    EXTRA_THEMES,
    AreaKind,
    TrendAction,
    TrendContent,
    TrendFilter,
    TrendNote,
    TrendSummary,
)
from infohus_desktop.services.accounts.groups import GroupService
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.trends.personal_data_check import (
    Finding,
    NameRegister,
    find_personal_data,
)
from infohus_desktop.services.trends.rules import (
    PersonalDataFound,
    TrendConflict,
    checked_content,
    matches,
    search_hit,
)
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.codecs.trends import (
    apply_columns,
    content_from_row,
    payload_to_json,
)
from infohus_desktop.vault.members import as_utc
from infohus_desktop.vault.schema import MemberRow
from infohus_desktop.vault.trend_schema import TrendLinkRow, TrendNoteRow

C, M, G = Role.COORDINATOR, Role.MEMBER, Role.GUEST
READERS = (C, M, G)
WRITERS = (C, M)


def _now() -> datetime:
    return datetime.now(UTC)


def _context(note_id: uuid.UUID) -> FieldContext:
    return FieldContext("trend_notes", "payload", note_id)


def not_found(ref: object) -> NotFound:
    # The same answer whether the note does not exist or the member cannot read it.
    return NotFound(
        f"Intet tendensnotat {ref} blandt dem, du kan læse.",
        f"No trend note {ref} among those you can read.",
    )


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if str(a) < str(b) else (b, a)


class TrendService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- vocabulary -------------------------------------------------------------------------

    def themes(self) -> dict[str, tuple[str, str]]:
        """The vault's case categories followed by the themes only trends have."""
        return {**CaseService(self.ms).categories(), **EXTRA_THEMES}

    # -- the personal-data check ------------------------------------------------------------

    def name_register(self) -> NameRegister:
        """The names of the persons in every case this member can read, for the check. The
        names are decrypted into memory (reusing the session's case summaries) and never
        stored; the look-up is audited. A member whose role reads no cases gets none."""
        self.ms.require(*READERS)
        self.ms.audited_read(TrendAction.NAME_CHECK, None, Purpose.ADMINISTRATION)
        with self.ms.uow() as session:
            summaries = CaseService(self.ms).readable(session)  # audited just above
        return NameRegister(s.person_name for s in summaries if not s.tampered)

    def check(self, content: TrendContent, names: NameRegister | None = None) -> list[Finding]:
        """What in the note looks like personal data (see ``personal_data_check``)."""
        register = names if names is not None else self.name_register()
        return find_personal_data(content.texts(), register)

    def _confirm(
        self,
        session: Session,
        note_id: uuid.UUID,
        findings: builtins.list[Finding],
        confirmed: bool,
    ) -> None:
        """Refuse a save with findings unless the user confirmed; audit the confirmation
        with where and what kind, never the text."""
        if not findings:
            return
        if not confirmed:
            raise PersonalDataFound(findings)
        where = ",".join(f"{f.field}:{f.line}:{f.column}:{f.kind.value}" for f in findings)
        self.ms.record(
            session, TrendAction.PERSONAL_DATA_CONFIRMED, note_id, Purpose.ADMINISTRATION, where
        )

    # -- writing ----------------------------------------------------------------------------

    def create(
        self,
        content: TrendContent,
        confirmed_personal_data_check: bool = False,
        names: NameRegister | None = None,
    ) -> TrendNote:
        """A new note in the network group. With findings of the personal-data check nothing
        is saved unless ``confirmed_personal_data_check`` (:class:`PersonalDataFound`)."""
        self.ms.require(*WRITERS)
        content = checked_content(content, self.themes())
        findings = self.check(content, names)
        note_id, now = uuid.uuid4(), _now()
        with self.ms.transaction() as session:
            group_id = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
            key = self.ms.keyring.group_field_key(session, group_id)
            self._confirm(session, note_id, findings, confirmed_personal_data_check)
            row = TrendNoteRow(
                id=note_id,
                group_id=group_id,
                payload=key.encrypt(dumps(payload_to_json(content)), _context(note_id)),
                created_at=now,
                created_by=self.ms.member.id,
                updated_at=now,
                updated_by=self.ms.member.id,
            )
            apply_columns(row, content)
            session.add(row)
            session.flush()
            self.ms.record(session, TrendAction.CREATE, note_id, Purpose.ADMINISTRATION)
            return self._note(session, row, content)

    def edit(
        self,
        note_id: uuid.UUID,
        base_version: int,
        content: TrendContent,
        confirmed_personal_data_check: bool = False,
        base: TrendContent | None = None,
        names: NameRegister | None = None,
    ) -> TrendNote:
        """Replace what the user edits. ``base_version`` is the version they opened (and
        ``base`` the note as they saw it); if someone saved since, nothing is written and
        :class:`TrendConflict` names the fields that differ."""
        self.ms.require(*WRITERS)
        themes = self.themes()
        with self.ms.uow() as session:
            stored_theme = self._row(session, note_id).theme
        # A theme since removed from the vault's list stays valid on the notes that have it.
        themes.setdefault(stored_theme, (stored_theme, stored_theme))
        content = checked_content(content, themes)
        findings = self.check(content, names)
        with self.ms.transaction() as session:
            row = self._row(session, note_id)
            key = self.ms.keyring.field_key_by_id(session, row.payload.key_id)
            if row.version != base_version:
                current = content_from_row(row, loads(key.decrypt(row.payload, _context(row.id))))
                # With the note as the user saw it: what others changed since. Without: what
                # this save would change in the saved version.
                seen = base if base is not None else content
                changed = [
                    f.name
                    for f in fields(TrendContent)
                    if getattr(seen, f.name) != getattr(current, f.name)
                ]
                raise TrendConflict(row.id, base_version, row.version, changed)
            self._confirm(session, row.id, findings, confirmed_personal_data_check)
            key = self.ms.keyring.group_field_key(session, row.group_id)
            row.payload = key.encrypt(dumps(payload_to_json(content)), _context(row.id))
            apply_columns(row, content)
            row.updated_at, row.updated_by = _now(), self.ms.member.id
            session.flush()
            self.ms.record(session, TrendAction.EDIT, row.id, Purpose.ADMINISTRATION)
            return self._note(session, row, content)

    def set_access_group(self, note_id: uuid.UUID, group: str) -> TrendNote:
        """Move a note to another access group the coordinator is in (by name or id): only
        that group's members can read it from now on. The text is sealed anew under the
        target group's key."""
        self.ms.require(C)

        with self.ms.transaction() as session:
            row = self._row(session, note_id)
            target = GroupService(self.ms).find(session, group)
            if target.id not in readable_group_ids(self.ms, session):
                raise AccessDenied(
                    "Du kan kun flytte notatet til en adgangskreds, du selv er med i.",
                    "You can only move the note to an access group you are in yourself.",
                )
            old = row.group_id
            content = self._content(session, row)
            key = self.ms.keyring.group_field_key(session, target.id)
            row.payload = key.encrypt(dumps(payload_to_json(content)), _context(row.id))
            row.group_id, row.updated_at, row.updated_by = target.id, _now(), self.ms.member.id
            session.flush()
            self.ms.record(
                session, TrendAction.ACCESS, row.id, Purpose.ADMINISTRATION, f"{old}->{target.id}"
            )
            return self._note(session, row, content)

    def link(self, note_id: uuid.UUID, other_id: uuid.UUID) -> None:
        """Mark two notes as related (both must be readable; linking twice changes nothing)."""
        self.ms.require(*WRITERS)
        if note_id == other_id:
            raise not_found(other_id)
        with self.ms.transaction() as session:
            self._row(session, note_id)
            self._row(session, other_id)
            a, b = _pair(note_id, other_id)
            if session.get(TrendLinkRow, (a, b)) is None:
                session.add(
                    TrendLinkRow(
                        note_a=a, note_b=b, created_at=_now(), created_by=self.ms.member.id
                    )
                )
                self.ms.record(
                    session, TrendAction.LINK, note_id, Purpose.ADMINISTRATION, str(other_id)
                )

    def unlink(self, note_id: uuid.UUID, other_id: uuid.UUID) -> None:
        self.ms.require(*WRITERS)
        with self.ms.transaction() as session:
            self._row(session, note_id)
            link = session.get(TrendLinkRow, _pair(note_id, other_id))
            if link is not None:
                session.delete(link)
                self.ms.record(
                    session, TrendAction.UNLINK, note_id, Purpose.ADMINISTRATION, str(other_id)
                )

    # -- reading ----------------------------------------------------------------------------

    def get(self, note_id: uuid.UUID, purpose: Purpose = Purpose.ADMINISTRATION) -> TrendNote:
        """One note with its related notes. The read is audited before decryption."""
        self.ms.require(*READERS)
        with self.ms.uow() as session:
            self._row(session, note_id)
        self.ms.audited_read(TrendAction.READ, note_id, purpose)
        with self.ms.uow() as session:
            row = self._row(session, note_id)
            return self._note(session, row, self._content(session, row), with_related=True)

    def list(
        self,
        filters: TrendFilter | None = None,
        search: str | None = None,
        purpose: Purpose = Purpose.ADMINISTRATION,
    ) -> builtins.list[TrendNote]:
        """The notes this member can read, filtered and searched in memory; newest period
        first. The criterion is audited (sealed) before anything is decrypted."""
        self.ms.require(*READERS)
        filters = filters or TrendFilter()
        action = TrendAction.SEARCH if search and search.strip() else TrendAction.LIST
        self.ms.audited_read(action, None, purpose, criterion(filters, search))
        with self.ms.uow() as session:
            notes = [
                self._note_or_tampered(session, row)
                for row in self._readable_rows(session, filters)
            ]
        self.ms.report_tampered()
        themes = self.themes()
        # A tampered note stays in view whatever the filter: its values are not to be trusted.
        hits = [
            n
            for n in notes
            if n.tampered or (matches(n, filters) and search_hit(n, search, themes))
        ]
        return sorted(hits, key=lambda n: (n.content.period_from, n.created_at), reverse=True)

    def summaries(self, purpose: Purpose = Purpose.ADMINISTRATION) -> builtins.list[TrendSummary]:
        """Id, title, theme and period of every readable note: what a meeting's agenda item
        offers to pick from."""
        return [note.summary for note in self.list(purpose=purpose)]

    # -- helpers ----------------------------------------------------------------------------

    def _readable_rows(self, session: Session, _filters: TrendFilter) -> Iterable[TrendNoteRow]:
        """Every note of the member's groups: theme and period are sealed (issue 20), so the
        filter is applied after the notes are opened (:func:`matches`)."""
        query = select(TrendNoteRow).where(
            TrendNoteRow.group_id.in_(readable_group_ids(self.ms, session))
        )
        return session.scalars(query).all()

    def _row(self, session: Session, note_id: uuid.UUID) -> TrendNoteRow:
        self.ms.require(*READERS)
        row = session.get(TrendNoteRow, note_id)
        if row is None or row.group_id not in readable_group_ids(self.ms, session):
            raise not_found(note_id)
        self._open(session, row)  # theme and period are sealed: opened (and checked) here
        return row

    def _open(self, session: Session, row: TrendNoteRow) -> None:
        """The note's sealed copy opened and checked; a changed note is noted for the log."""
        try:
            self.ms.check_bound(session, row)
        except TamperedData:
            self.ms.note_tampered(row.id, row.id.hex[:8], TrendAction.TAMPERED)
            raise

    def _note_or_tampered(self, session: Session, row: TrendNoteRow) -> TrendNote:
        """One bad note must not take the list down: it is listed as tampered (audited as
        ``trend.tampered`` after the list), with no value of it shown."""
        try:
            return self._note(session, row, self._content(session, row))
        except TamperedData:
            self.ms.note_tampered(row.id, row.id.hex[:8], TrendAction.TAMPERED)
        today = _now().date()
        empty = TrendContent("", today, today, AreaKind.DISTRICT, "", "")
        at = _now()
        return TrendNote(row.id, empty, row.group_id, row.version, at, "", at, "", tampered=True)

    def _content(self, session: Session, row: TrendNoteRow) -> TrendContent:
        """The note as typed, after its sealed copy was opened and checked."""
        self._open(session, row)
        key = self.ms.keyring.field_key_by_id(session, row.payload.key_id)
        return content_from_row(row, loads(key.decrypt(row.payload, _context(row.id))))

    def _note(
        self,
        session: Session,
        row: TrendNoteRow,
        content: TrendContent,
        with_related: bool = False,
    ) -> TrendNote:
        logins = {
            member_id: login
            for member_id, login in session.execute(
                select(MemberRow.id, MemberRow.login).where(
                    MemberRow.id.in_({row.created_by, row.updated_by})
                )
            )
        }
        related: tuple[TrendSummary, ...] = ()
        if with_related:
            related = tuple(self._related(session, row.id))
        return TrendNote(
            id=row.id,
            content=content,
            group_id=row.group_id,
            version=row.version,
            created_at=as_utc(row.created_at),
            created_by=logins.get(row.created_by, "?"),
            updated_at=as_utc(row.updated_at),
            updated_by=logins.get(row.updated_by, "?"),
            related=related,
        )

    def _related(self, session: Session, note_id: uuid.UUID) -> Iterable[TrendSummary]:
        """The linked notes this member can read; the others stay invisible."""
        readable = readable_group_ids(self.ms, session)
        links = session.scalars(
            select(TrendLinkRow).where(
                or_(TrendLinkRow.note_a == note_id, TrendLinkRow.note_b == note_id)
            )
        )
        others = [link.note_b if link.note_a == note_id else link.note_a for link in links]
        rows = session.scalars(select(TrendNoteRow).where(TrendNoteRow.id.in_(others))).all()
        out = []
        for row in rows:
            if row.group_id in readable:
                try:
                    c = self._content(session, row)
                except TamperedData:
                    continue  # noted; the note itself names it when opened

                out.append(TrendSummary(row.id, c.title, c.theme, c.period_from, c.period_to))
        return sorted(out, key=lambda s: (s.period_from, s.title))


__all__ = ["PersonalDataFound", "TrendConflict", "TrendService"]
