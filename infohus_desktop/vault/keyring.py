"""Group keys, epochs and data keys for one unlocked member.

A group has a random 256-bit key per epoch, sealed with HPKE to each member. Each epoch row
also keeps the *previous* epoch's key wrapped under the new one, so the group's members can
read what was written earlier, while a removed member, who never receives a later epoch key,
cannot read anything written afterwards. Data keys (one per case) are wrapped under the
group's current epoch key and re-wrapped whenever the epoch changes.

Keys are cached in memory for the unlocked session and dropped by :meth:`Keyring.forget`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey, unwrap_key, wrap_key
from infohus_desktop.crypto.encoding import lp
from infohus_desktop.crypto.keys import (
    KemPrivateKey,
    UserKeyPair,
    group_key_info,
    hpke_seal,
    new_symmetric_key,
)
from infohus_desktop.crypto.signing import (
    epoch_key_statement,
    epoch_members_statement,
    membership_statement,
    removal_statement,
    verify,
)
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.schema import (
    DataKeyRow,
    GroupEpochRow,
    GroupKeyWrapRow,
    GroupMembershipRow,
    GroupRemovalRow,
    GroupRow,
    MemberRow,
)
from infohus_desktop.vault.trust import TrustStore

AUDIT_KEM_LABEL = b"infohus/audit-kem/v1"

#: Called after a group moved to a new epoch, with (session, group id, new epoch, new key).
#: Later features hook in here (e.g. rebuilding CPR blind indexes for the network group).
EpochListener = Callable[[Session, uuid.UUID, int, bytes], None]


def _bad_list() -> TamperedData:
    return TamperedData(
        "En adgangskreds' medlemsliste er ikke gyldigt underskrevet; ingen nøgle deles.",
        "An access group's member list is not validly signed; no key is shared.",
    )


def not_in_group() -> AccessDenied:
    return AccessDenied(
        "Du er ikke medlem af denne adgangskreds og kan ikke læse eller ændre dens nøgler.",
        "You are not a member of this access group and cannot read or change its keys.",
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _previous_label(group_id: uuid.UUID, old: int, new: int) -> bytes:
    return lp(b"previous-epoch", group_id.bytes, old.to_bytes(4, "big"), new.to_bytes(4, "big"))


def data_key_label(key_id: uuid.UUID, group_id: uuid.UUID, epoch: int) -> bytes:
    return lp(b"data-key", key_id.bytes, group_id.bytes, epoch.to_bytes(4, "big"))


class Keyring:
    def __init__(
        self,
        vault_id: uuid.UUID,
        member_id: uuid.UUID,
        keys: UserKeyPair,
        trust: TrustStore,
    ) -> None:
        self.vault_id = vault_id
        self.member_id = member_id
        self._keys: UserKeyPair | None = keys
        self.trust = trust
        self._group_keys: dict[tuple[uuid.UUID, int], bytes] = {}
        self._data_keys: dict[uuid.UUID, bytes] = {}
        #: Audit public keys whose coordinator signature was checked, per (group, epoch).
        self._audit_public: dict[tuple[uuid.UUID, int], tuple[int, bytes]] = {}
        self.epoch_listeners: list[EpochListener] = []
        self._lists: dict[tuple[uuid.UUID, int], frozenset[uuid.UUID]] = {}

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def user_keys(self) -> UserKeyPair:
        if self._keys is None:
            raise AccessDenied("Boksen er låst.", "The vault is locked.")
        return self._keys

    def forget(self) -> None:
        """Drop every key held in memory (lock)."""
        self._keys = None
        self._group_keys.clear()
        self._data_keys.clear()
        self._audit_public.clear()
        self._lists.clear()
        self.trust.forget()

    # -- group keys ------------------------------------------------------------------------

    def group_key(self, session: Session, group_id: uuid.UUID, epoch: int | None = None) -> bytes:
        group = session.get(GroupRow, group_id)
        if group is None:
            raise not_in_group()
        current = group.epoch
        wanted = current if epoch is None else epoch
        if wanted > current or wanted < 1:
            raise TamperedData("Ukendt nøglegeneration.", "Unknown key generation.")
        cached = self._group_keys.get((group_id, wanted))
        if cached is not None:
            return cached
        key = self._current_key(session, group_id, current)
        for older in range(current, wanted, -1):
            row = session.get(GroupEpochRow, (group_id, older))
            if row is None or row.previous_key is None:
                raise TamperedData("En nøglegeneration mangler.", "A key generation is missing.")
            key = unwrap_key(
                key, bytes(row.previous_key), _previous_label(group_id, older - 1, older)
            )
            self._group_keys[(group_id, older - 1)] = key
        return key

    def _current_key(self, session: Session, group_id: uuid.UUID, epoch: int) -> bytes:
        cached = self._group_keys.get((group_id, epoch))
        if cached is not None:
            return cached
        wrap = session.get(GroupKeyWrapRow, (group_id, epoch, self.member_id))
        if wrap is None:
            raise not_in_group()
        key = self.user_keys.kem.open(
            bytes(wrap.sealed), group_key_info(self.vault_id, group_id, epoch, self.member_id)
        )
        self._group_keys[(group_id, epoch)] = key
        return key

    def group_field_key(self, session: Session, group_id: uuid.UUID) -> FieldKey:
        """The key of the group's current epoch, for encrypting group-wide fields."""
        group = session.get(GroupRow, group_id)
        if group is None:
            raise not_in_group()
        epoch_row = session.get(GroupEpochRow, (group_id, group.epoch))
        if epoch_row is None:
            raise not_in_group()
        return FieldKey(epoch_row.key_id, self.group_key(session, group_id, group.epoch))

    def field_key_by_id(self, session: Session, key_id: uuid.UUID) -> FieldKey:
        """Find the key a ciphertext names: a group epoch key or a data key."""
        cached = self._data_keys.get(key_id)
        if cached is not None:  # a list of 100,000 cases must not cost 100,000 look-ups
            return FieldKey(key_id, cached)
        epoch_row = session.scalar(select(GroupEpochRow).where(GroupEpochRow.key_id == key_id))
        if epoch_row is not None:
            return FieldKey(key_id, self.group_key(session, epoch_row.group_id, epoch_row.epoch))
        return FieldKey(key_id, self.data_key(session, key_id))

    def is_member(self, session: Session, group_id: uuid.UUID) -> bool:
        return session.get(GroupMembershipRow, (group_id, self.member_id)) is not None

    def _wrap_to(
        self,
        session: Session,
        group_id: uuid.UUID,
        epoch: int,
        key: bytes,
        member_ids: Iterable[uuid.UUID],
    ) -> None:
        for member_id in member_ids:
            recipient = self.trust.verified_keys(session, member_id)  # refuses untrusted keys
            sealed = hpke_seal(
                key, recipient, group_key_info(self.vault_id, group_id, epoch, member_id)
            )
            session.merge(
                GroupKeyWrapRow(group_id=group_id, epoch=epoch, member_id=member_id, sealed=sealed)
            )

    def _epoch_row(
        self,
        group_id: uuid.UUID,
        kind: str,
        epoch: int,
        key: bytes,
        previous: bytes | None,
        members: Iterable[uuid.UUID],
    ) -> GroupEpochRow:
        """A new epoch, with the list of its members signed by the member who makes it."""
        member_list = sorted(set(members), key=str)
        row = GroupEpochRow(
            group_id=group_id,
            epoch=epoch,
            key_id=uuid.uuid4(),
            previous_key=previous,
            member_list=json.dumps([str(m) for m in member_list]),
            members_signed_by=self.member_id,
            members_signature=self.user_keys.sign(
                epoch_members_statement(self.vault_id, group_id, epoch, member_list)
            ),
            created_at=_now(),
        )
        if kind == GroupKind.AUDIT:
            public = KemPrivateKey.from_secret(key, AUDIT_KEM_LABEL).public_bytes()
            row.public_key = public
            row.public_key_signature = self.user_keys.sign(
                epoch_key_statement(self.vault_id, group_id, epoch, public)
            )
            row.signed_by = self.member_id
        return row

    def create_group_keys(
        self,
        session: Session,
        group: GroupRow,
        member_ids: Iterable[uuid.UUID],
        first_key: FieldKey | None = None,
        first_key_bytes: bytes | None = None,
    ) -> FieldKey:
        """Epoch 1 of a new group, sealed to its first members.

        ``first_key`` lets the caller encrypt the group's own name (and, for the directory,
        the creator's name) before the group row exists.
        """
        members = list(member_ids)
        for member_id in members:  # refuse before anything is written
            self.trust.verified_keys(session, member_id)
        key = first_key_bytes if first_key_bytes is not None else new_symmetric_key()
        epoch_row = self._epoch_row(group.id, group.kind, 1, key, None, members)
        if first_key is not None:
            epoch_row.key_id = first_key.key_id
        session.add(epoch_row)
        for member_id in members:
            session.add(self._signed_membership(group.id, member_id, 1))
        session.flush()
        self._wrap_to(session, group.id, 1, key, members)
        self._group_keys[(group.id, 1)] = key
        return FieldKey(epoch_row.key_id, key)

    def _signed_membership(
        self, group_id: uuid.UUID, member_id: uuid.UUID, epoch: int
    ) -> GroupMembershipRow:
        return GroupMembershipRow(
            group_id=group_id,
            member_id=member_id,
            added_at=_now(),
            added_by=self.member_id,
            epoch=epoch,
            signature=self.user_keys.sign(
                membership_statement(self.vault_id, group_id, member_id, epoch)
            ),
        )

    def _holds_key(self, session: Session, group: GroupRow) -> bool:
        return session.get(GroupKeyWrapRow, (group.id, group.epoch, self.member_id)) is not None

    def add_to_group(self, session: Session, group_id: uuid.UUID, member_id: uuid.UUID) -> bool:
        """Make ``member_id`` a member. Returns False when the key could not be shared yet.

        The membership is signed by the acting coordinator. If they do not hold the group key
        themselves, the first member of the group who unlocks next shares it
        (:meth:`maintain`).
        """
        group = session.get(GroupRow, group_id)
        if group is None:
            raise not_in_group()
        self.trust.verified_keys(session, member_id)
        existing = session.get(GroupMembershipRow, (group_id, member_id))
        if existing is not None:
            session.delete(existing)
        session.execute(
            delete(GroupRemovalRow).where(
                GroupRemovalRow.group_id == group_id, GroupRemovalRow.member_id == member_id
            )
        )
        session.flush()
        session.add(self._signed_membership(group_id, member_id, group.epoch))
        session.flush()
        self._lists.pop((group_id, group.epoch), None)
        if session.get(GroupKeyWrapRow, (group_id, group.epoch, member_id)) is not None:
            return True
        if not self._holds_key(session, group):
            return False
        self._wrap_to(
            session, group_id, group.epoch, self.group_key(session, group_id), [member_id]
        )
        return True

    def remove_from_group(
        self, session: Session, group_id: uuid.UUID, member_id: uuid.UUID
    ) -> bool:
        """Remove a member and start a new epoch. Returns False when the new epoch is pending.

        The removal is a signed statement for the current epoch. If the acting coordinator
        does not hold the group key, the next member of the group to unlock starts the new
        epoch without the removed member (:meth:`maintain`).
        """
        group = session.get(GroupRow, group_id)
        row = session.get(GroupMembershipRow, (group_id, member_id))
        if group is None or row is None:
            raise not_in_group()
        holder = self._holds_key(session, group)
        if holder:
            self.group_key(session, group_id)  # keep the current key before its wraps go
        session.delete(row)
        session.execute(
            delete(GroupKeyWrapRow).where(
                GroupKeyWrapRow.group_id == group_id, GroupKeyWrapRow.member_id == member_id
            )
        )
        session.merge(
            GroupRemovalRow(
                group_id=group_id,
                epoch=group.epoch,
                member_id=member_id,
                removed_by=self.member_id,
                signature=self.user_keys.sign(
                    removal_statement(self.vault_id, group_id, member_id, group.epoch)
                ),
                removed_at=_now(),
            )
        )
        session.flush()
        if holder:
            self.start_new_epoch(session, group_id, as_holder=True)
            return True
        return False

    # -- who is entitled to a group's key --------------------------------------------------

    def _active_coordinator(self, session: Session, member_id: uuid.UUID) -> bytes | None:
        """The verified signing key of an active coordinator, else None."""
        row = session.get(MemberRow, member_id)
        if row is None or not row.active or row.role != Role.COORDINATOR:
            return None
        return self.trust.sign_key_or_none(session, member_id)

    def _membership_valid(self, session: Session, row: GroupMembershipRow, epoch: int) -> bool:
        if row.epoch != epoch:
            return False
        key = self._active_coordinator(session, row.added_by)
        statement = membership_statement(self.vault_id, row.group_id, row.member_id, epoch)
        return key is not None and verify(key, bytes(row.signature), statement)

    def _signed_list(
        self, session: Session, group_id: uuid.UUID, epoch: int
    ) -> frozenset[uuid.UUID]:
        """The verified member list of an epoch; its signer must have been entitled to the
        epoch before (or, for epoch 1, be an active coordinator)."""
        cached = self._lists.get((group_id, epoch))
        if cached is not None:
            return cached
        row = session.get(GroupEpochRow, (group_id, epoch))
        if row is None:
            raise _bad_list()
        try:
            members = frozenset(uuid.UUID(m) for m in json.loads(row.member_list))
        except (ValueError, TypeError) as exc:
            raise _bad_list() from exc
        signer = row.members_signed_by
        key = self.trust.sign_key_or_none(session, signer)
        statement = epoch_members_statement(self.vault_id, group_id, epoch, list(members))
        if key is None or not verify(key, bytes(row.members_signature), statement):
            raise _bad_list()
        if epoch == 1:
            if self._active_coordinator(session, signer) is None:
                raise _bad_list()
        elif signer not in self._entitled(session, group_id, epoch - 1, present_only=False):
            raise _bad_list()
        self._lists[(group_id, epoch)] = members
        return members

    def _entitled(
        self, session: Session, group_id: uuid.UUID, epoch: int, present_only: bool = True
    ) -> set[uuid.UUID]:
        """Who may hold the key of ``epoch``: its signed list plus members a coordinator
        added in that epoch, less those a coordinator removed in it, and (for the current
        epoch) only active members whose membership is still there."""
        entitled = set(self._signed_list(session, group_id, epoch))
        rows = session.scalars(
            select(GroupMembershipRow).where(GroupMembershipRow.group_id == group_id)
        ).all()
        entitled |= {r.member_id for r in rows if self._membership_valid(session, r, epoch)}
        entitled -= self._removed(session, group_id, epoch)
        if present_only:
            present = {r.member_id for r in rows}
            active = set(
                session.scalars(
                    select(MemberRow.id).where(
                        MemberRow.id.in_(entitled), MemberRow.active.is_(True)
                    )
                )
            )
            entitled &= present & active
        return entitled

    def _removed(self, session: Session, group_id: uuid.UUID, epoch: int) -> set[uuid.UUID]:
        removed = set()
        for row in session.scalars(
            select(GroupRemovalRow).where(
                GroupRemovalRow.group_id == group_id, GroupRemovalRow.epoch == epoch
            )
        ):
            key = self._active_coordinator(session, row.removed_by)
            statement = removal_statement(self.vault_id, group_id, row.member_id, epoch)
            if key is not None and verify(key, bytes(row.signature), statement):
                removed.add(row.member_id)
        return removed

    def maintain(self, session: Session) -> tuple[int, int]:
        """At unlock: start the epochs that signed removals ask for, and share keys with the
        members a coordinator added but could not share with. Returns (epochs, shares)."""
        rotated = shared = 0
        my_groups = list(
            session.scalars(
                select(GroupRow)
                .join(GroupKeyWrapRow, GroupKeyWrapRow.group_id == GroupRow.id)
                .where(
                    GroupKeyWrapRow.member_id == self.member_id,
                    GroupKeyWrapRow.epoch == GroupRow.epoch,
                )
            )
        )
        for group in my_groups:
            try:
                if self._removed(session, group.id, group.epoch):
                    self.start_new_epoch(session, group.id)
                    rotated += 1
                    continue
                holders = set(
                    session.scalars(
                        select(GroupKeyWrapRow.member_id).where(
                            GroupKeyWrapRow.group_id == group.id,
                            GroupKeyWrapRow.epoch == group.epoch,
                        )
                    )
                )
                waiting = self._entitled(session, group.id, group.epoch) - holders
                if waiting:
                    self._wrap_to(
                        session,
                        group.id,
                        group.epoch,
                        self.group_key(session, group.id),
                        sorted(waiting, key=str),
                    )
                    shared += len(waiting)
            except TamperedData:
                continue  # a group whose records do not verify is left alone; verify reports it
        return rotated, shared

    def start_new_epoch(
        self, session: Session, group_id: uuid.UUID, as_holder: bool = False
    ) -> int:
        """New key for the entitled members; re-wrap data keys; delete every older wrap."""
        group = session.get(GroupRow, group_id)
        if group is None or not (as_holder or self._holds_key(session, group)):
            raise not_in_group()
        old_epoch = group.epoch
        old_key = self.group_key(session, group_id, old_epoch)
        members = sorted(self._entitled(session, group_id, old_epoch), key=str)
        for member_id in members:  # refuse before anything is written
            self.trust.verified_keys(session, member_id)
        new_epoch = old_epoch + 1
        new_key = new_symmetric_key()
        previous = wrap_key(new_key, old_key, _previous_label(group_id, old_epoch, new_epoch))
        session.add(self._epoch_row(group_id, group.kind, new_epoch, new_key, previous, members))
        group.epoch = new_epoch
        session.flush()
        self._wrap_to(session, group_id, new_epoch, new_key, members)
        session.execute(
            delete(GroupKeyWrapRow).where(
                GroupKeyWrapRow.group_id == group_id, GroupKeyWrapRow.epoch < new_epoch
            )
        )
        for data_key in session.scalars(select(DataKeyRow).where(DataKeyRow.group_id == group_id)):
            plain = self.data_key(session, data_key.id)
            data_key.wrapped = wrap_key(
                new_key, plain, data_key_label(data_key.id, group_id, new_epoch)
            )
            data_key.epoch = new_epoch
        if self.member_id in members:
            self._group_keys[(group_id, new_epoch)] = new_key
        session.flush()
        for listener in self.epoch_listeners:
            listener(session, group_id, new_epoch, new_key)
        return new_epoch

    # -- data keys -------------------------------------------------------------------------

    def new_data_key(self, session: Session, group_id: uuid.UUID) -> FieldKey:
        group = session.get(GroupRow, group_id)
        if group is None:
            raise not_in_group()
        group_key = self.group_key(session, group_id)
        key_id = uuid.uuid4()
        key = new_symmetric_key()
        session.add(
            DataKeyRow(
                id=key_id,
                group_id=group_id,
                epoch=group.epoch,
                created_at=_now(),
                wrapped=wrap_key(group_key, key, data_key_label(key_id, group_id, group.epoch)),
            )
        )
        session.flush()
        self._data_keys[key_id] = key
        return FieldKey(key_id, key)

    def data_key(self, session: Session, key_id: uuid.UUID) -> bytes:
        cached = self._data_keys.get(key_id)
        if cached is not None:
            return cached
        row = session.get(DataKeyRow, key_id)
        if row is None:
            raise TamperedData("En datanøgle mangler.", "A data key is missing.")
        group_key = self.group_key(session, row.group_id, row.epoch)
        key = unwrap_key(
            group_key, bytes(row.wrapped), data_key_label(key_id, row.group_id, row.epoch)
        )
        self._data_keys[key_id] = key
        return key

    def preload_data_keys(self, session: Session, key_ids: Iterable[uuid.UUID]) -> None:
        """Unwrap many data keys with one query per 500, for a list of many cases (a cold
        list of 100,000 cases otherwise runs 100,000 single-row queries)."""
        missing = [k for k in dict.fromkeys(key_ids) if k not in self._data_keys]
        # group_key() re-reads its group row on every call (the session holds rows weakly):
        # ask it once per group and epoch, not once per case.
        group_keys: dict[tuple[uuid.UUID, int], bytes] = {}
        for start in range(0, len(missing), 500):
            batch = missing[start : start + 500]
            for row in session.scalars(select(DataKeyRow).where(DataKeyRow.id.in_(batch))):
                wanted = (row.group_id, row.epoch)
                if wanted not in group_keys:
                    group_keys[wanted] = self.group_key(session, row.group_id, row.epoch)
                group_key = group_keys[wanted]
                self._data_keys[row.id] = unwrap_key(
                    group_key, bytes(row.wrapped), data_key_label(row.id, row.group_id, row.epoch)
                )

    def move_data_key(self, session: Session, key_id: uuid.UUID, group_id: uuid.UUID) -> None:
        """Re-wrap one data key under another group's key (a case moved to another group)."""
        key = self.data_key(session, key_id)
        row = session.get(DataKeyRow, key_id)
        group = session.get(GroupRow, group_id)
        if row is None or group is None:
            raise not_in_group()
        group_key = self.group_key(session, group_id)
        row.group_id = group_id
        row.epoch = group.epoch
        row.wrapped = wrap_key(group_key, key, data_key_label(key_id, group_id, group.epoch))
        session.flush()

    # -- the audit group's key pair --------------------------------------------------------

    def audit_public_key(self, session: Session, group_id: uuid.UUID) -> tuple[int, bytes]:
        """The audit group's current public key, after checking a coordinator signed it."""
        group = session.get(GroupRow, group_id)
        cached = self._audit_public.get((group_id, group.epoch)) if group else None
        if cached is not None:
            return cached
        row = session.get(GroupEpochRow, (group_id, group.epoch)) if group else None
        if (
            row is None
            or row.public_key is None
            or row.public_key_signature is None
            or row.signed_by is None
        ):
            raise TamperedData("Revisionsnøglen mangler.", "The audit key is missing.")
        signer = self.trust.verified_keys(session, row.signed_by)
        signer_row = session.get(MemberRow, row.signed_by)
        if (
            signer_row is None
            or not signer_row.active
            or signer_row.role not in (Role.COORDINATOR, Role.DPO)
            or row.signed_by != row.members_signed_by
        ):
            raise TamperedData(
                "Revisionsnøglen er ikke gyldigt underskrevet.",
                "The audit key is not validly signed.",
            )
        self._signed_list(session, group_id, row.epoch)  # the epoch's maker was entitled
        statement = epoch_key_statement(self.vault_id, group_id, row.epoch, bytes(row.public_key))
        if not verify(signer.sign, bytes(row.public_key_signature), statement):
            raise TamperedData(
                "Revisionsnøglen er ikke gyldigt underskrevet.",
                "The audit key is not validly signed.",
            )
        self._audit_public[(group_id, row.epoch)] = (row.epoch, bytes(row.public_key))
        return row.epoch, bytes(row.public_key)

    def audit_private_key(self, session: Session, group_id: uuid.UUID, epoch: int) -> KemPrivateKey:
        return KemPrivateKey.from_secret(self.group_key(session, group_id, epoch), AUDIT_KEM_LABEL)
