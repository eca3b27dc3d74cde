"""Reading the keys of one unlocked member: group keys per epoch, checked member lists,
data keys and the audit group's key pair, all cached in memory until :meth:`GroupKeys.forget`.

Changing who holds a key (new groups, members added or removed, new epochs) is
:class:`~infohus_desktop.vault.keyring.Keyring`, which builds on this class.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey, unwrap_key, wrap_key
from infohus_desktop.crypto.encoding import lp
from infohus_desktop.crypto.keys import (
    KemPrivateKey,
    UserKeyPair,
    group_key_info,
    new_symmetric_key,
)
from infohus_desktop.crypto.signing import (
    SignKeys,
    epoch_key_statement,
    epoch_members_statement,
    membership_statement,
    removal_statement,
)
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault import bulk_data_keys
from infohus_desktop.vault.bulk_data_keys import KeyRow
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


def bad_list() -> TamperedData:
    return TamperedData(
        "En adgangskreds' medlemsliste er ikke gyldigt underskrevet; ingen nøgle deles.",
        "An access group's member list is not validly signed; no key is shared.",
    )


_NEW_DATA_KEY = insert(cast(Table, DataKeyRow.__table__))


def not_in_group() -> AccessDenied:
    return AccessDenied(
        "Du er ikke medlem af denne adgangskreds og kan ikke læse eller ændre dens nøgler.",
        "You are not a member of this access group and cannot read or change its keys.",
    )


def now() -> datetime:
    return datetime.now(UTC)


def previous_label(group_id: uuid.UUID, old: int, new: int) -> bytes:
    return lp(b"previous-epoch", group_id.bytes, old.to_bytes(4, "big"), new.to_bytes(4, "big"))


def data_key_label(key_id: uuid.UUID, group_id: uuid.UUID, epoch: int) -> bytes:
    return lp(b"data-key", key_id.bytes, group_id.bytes, epoch.to_bytes(4, "big"))


class GroupKeys:
    """The keys an unlocked member can read, verified and cached."""

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
        #: Which group epoch an epoch key id belongs to (public facts, found once): every
        #: bound row of a meeting list names its group's key.
        self._epoch_of_key: dict[uuid.UUID, tuple[uuid.UUID, int]] = {}
        #: And the other way: the key id of a group epoch (each new case's statistics record
        #: names the casework group's key; one look-up per unlock, not per case).
        self._key_of_epoch: dict[tuple[uuid.UUID, int], uuid.UUID] = {}
        #: The ids of the vault's system groups by kind (a system group keeps its id).
        self._system_groups: dict[str, uuid.UUID] = {}
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

    def forget_data_key(self, key_id: uuid.UUID) -> None:
        """Drop one data key from memory: the key of a deleted case is destroyed."""
        self._data_keys.pop(key_id, None)

    def forget(self) -> None:
        """Drop every key held in memory (lock)."""
        self._keys = None
        self._group_keys.clear()
        self._data_keys.clear()
        self._epoch_of_key.clear()
        self._key_of_epoch.clear()
        self._system_groups.clear()
        self._audit_public.clear()
        self._lists.clear()
        self.trust.forget()

    # -- group keys ------------------------------------------------------------------------

    def group_key(self, session: Session, group_id: uuid.UUID, epoch: int | None = None) -> bytes:
        if epoch is not None:
            # A key of a named epoch, opened before in this session, is that epoch's key for
            # good: no look-up (each one would flush the session first).
            cached = self._group_keys.get((group_id, epoch))
            if cached is not None:
                return cached
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
                key, bytes(row.previous_key), previous_label(group_id, older - 1, older)
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

    def system_group_id(self, session: Session, kind: str) -> uuid.UUID | None:
        """The id of the vault's group of a system kind (the casework group), None if the
        vault has none; asked once per unlock, since a system group keeps its id."""
        cached = self._system_groups.get(kind)
        if cached is None:
            cached = session.scalar(select(GroupRow.id).where(GroupRow.kind == kind))
            if cached is not None:
                self._system_groups[kind] = cached
        return cached

    def group_field_key(self, session: Session, group_id: uuid.UUID) -> FieldKey:
        """The key of the group's current epoch, for encrypting group-wide fields."""
        group = session.get(GroupRow, group_id)
        if group is None:
            raise not_in_group()
        key_id = self._key_of_epoch.get((group_id, group.epoch))
        if key_id is None:
            epoch_row = session.get(GroupEpochRow, (group_id, group.epoch))
            if epoch_row is None:
                raise not_in_group()
            key_id = epoch_row.key_id
        # The key first: a member who cannot open it learns no key id either.
        key = FieldKey(key_id, self.group_key(session, group_id, group.epoch))
        self._key_of_epoch[(group_id, group.epoch)] = key_id
        return key

    def field_key_by_id(self, session: Session, key_id: uuid.UUID) -> FieldKey:
        """Find the key a ciphertext names: a group epoch key or a data key."""
        cached = self._data_keys.get(key_id)
        if cached is not None:  # a list of 100,000 cases must not cost 100,000 look-ups
            return FieldKey(key_id, cached)
        epoch = self._epoch_of_key.get(key_id)
        if epoch is None:
            epoch_row = session.scalar(select(GroupEpochRow).where(GroupEpochRow.key_id == key_id))
            if epoch_row is not None:
                epoch = self._epoch_of_key[key_id] = (epoch_row.group_id, epoch_row.epoch)
        if epoch is not None:
            return FieldKey(key_id, self.group_key(session, *epoch))
        return FieldKey(key_id, self.data_key(session, key_id))

    def is_member(self, session: Session, group_id: uuid.UUID) -> bool:
        return session.get(GroupMembershipRow, (group_id, self.member_id)) is not None

    def vouched_member(self, session: Session, group_id: uuid.UUID, member_id: uuid.UUID) -> bool:
        """Whether ``member_id`` is in the group by the signatures, not only by a row: in the
        current epoch's signed list or added with a coordinator's signature since, not
        removed, active and still listed. A membership row written into the database is not
        enough; a list that does not verify vouches for nobody."""
        group = session.get(GroupRow, group_id)
        if group is None:
            return False
        try:
            return member_id in self._entitled(session, group_id, group.epoch)
        except TamperedData:
            return False

    def _active_coordinator(self, session: Session, member_id: uuid.UUID) -> SignKeys | None:
        """The verified signing keys of an active coordinator, else None."""
        row = session.get(MemberRow, member_id)
        if row is None or not row.active or row.role != Role.COORDINATOR:
            return None
        return self.trust.sign_key_or_none(session, member_id)

    def _membership_valid(self, session: Session, row: GroupMembershipRow, epoch: int) -> bool:
        if row.epoch != epoch:
            return False
        key = self._active_coordinator(session, row.added_by)
        statement = membership_statement(self.vault_id, row.group_id, row.member_id, epoch)
        return key is not None and key.verify(bytes(row.signature), statement)

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
            raise bad_list()
        try:
            members = frozenset(uuid.UUID(m) for m in json.loads(row.member_list))
        except (ValueError, TypeError) as exc:
            raise bad_list() from exc
        signer = row.members_signed_by
        key = self.trust.sign_key_or_none(session, signer)
        statement = epoch_members_statement(self.vault_id, group_id, epoch, list(members))
        if key is None or not key.verify(bytes(row.members_signature), statement):
            raise bad_list()
        if epoch == 1:
            if self._active_coordinator(session, signer) is None:
                raise bad_list()
        elif signer not in self._entitled(
            session, group_id, epoch - 1, present_only=False
        ) and not self._left_by_itself(session, group_id, epoch - 1, signer):
            raise bad_list()
        self._lists[(group_id, epoch)] = members
        return members

    def _left_by_itself(
        self, session: Session, group_id: uuid.UUID, epoch: int, member_id: uuid.UUID
    ) -> bool:
        """A coordinator who leaves a group makes its next epoch themselves (they hold the
        key the others need): their own removal does not void the list they sign then. A
        member removed by someone else still cannot sign the next list."""
        row = session.get(GroupRemovalRow, (group_id, epoch, member_id))
        if row is None or row.removed_by != member_id:
            return False
        if member_id not in self._removed(session, group_id, epoch):
            return False  # the removal itself does not verify
        was_in = set(self._signed_list(session, group_id, epoch))
        memberships = session.scalars(
            select(GroupMembershipRow).where(GroupMembershipRow.group_id == group_id)
        ).all()
        was_in |= {r.member_id for r in memberships if self._membership_valid(session, r, epoch)}
        return member_id in was_in

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
            if key is not None and key.verify(bytes(row.signature), statement):
                removed.add(row.member_id)
        return removed

    def new_data_key(self, session: Session, group_id: uuid.UUID) -> FieldKey:
        group = session.get(GroupRow, group_id)
        if group is None:
            raise not_in_group()
        group_key = self.group_key(session, group_id)
        key_id = uuid.uuid4()
        key = new_symmetric_key()
        # A plain insert on the transaction's connection: the row needs nothing of the
        # ORM's unit of work (no sealing hook, no relationship), whose flush of this one
        # row cost several times the statement. Pending ORM rows go first, as a flush
        # would have sent them.
        session.flush()
        session.connection().execute(
            _NEW_DATA_KEY,
            {
                "id": key_id,
                "group_id": group_id,
                "epoch": group.epoch,
                "created_at": now(),
                "wrapped": wrap_key(group_key, key, data_key_label(key_id, group_id, group.epoch)),
                "version": 1,
            },
        )
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

    def field_keys_from_rows(self, session: Session, rows: Sequence[KeyRow]) -> dict[str, FieldKey]:
        """The data keys of a bulk read that fetched each key's row with its case, for that
        read only: none is kept (vault/bulk_data_keys.py)."""
        return bulk_data_keys.field_keys_from_rows(session, rows, self.group_key)

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
        signer = self.trust.sign_keys(session, row.signed_by)
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
        if not signer.verify(bytes(row.public_key_signature), statement):
            raise TamperedData(
                "Revisionsnøglen er ikke gyldigt underskrevet.",
                "The audit key is not validly signed.",
            )
        self._audit_public[(group_id, row.epoch)] = (row.epoch, bytes(row.public_key))
        return row.epoch, bytes(row.public_key)

    def audit_private_key(self, session: Session, group_id: uuid.UUID, epoch: int) -> KemPrivateKey:
        return KemPrivateKey.from_secret(self.group_key(session, group_id, epoch), AUDIT_KEM_LABEL)
