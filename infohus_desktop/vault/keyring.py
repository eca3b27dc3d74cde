"""Group keys, epochs and data keys for one unlocked member.

A group has a random 256-bit key per epoch, sealed with HPKE to each member. Each epoch row
also keeps the *previous* epoch's key wrapped under the new one, so the group's members can
read what was written earlier, while a removed member, who never receives a later epoch key,
cannot read anything written afterwards. Data keys (one per case) are wrapped under the
group's current epoch key and re-wrapped whenever the epoch changes.

Reading and caching the keys is :class:`~infohus_desktop.vault.group_keys.GroupKeys`; this
module changes who holds them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey, wrap_key
from infohus_desktop.crypto.keys import (
    KemPrivateKey,
    group_key_info,
    hpke_seal,
    new_symmetric_key,
)
from infohus_desktop.crypto.signing import (
    epoch_key_statement,
    epoch_members_statement,
    membership_statement,
    removal_statement,
)
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.vault.group_keys import (
    AUDIT_KEM_LABEL,
    GroupKeys,
    data_key_label,
    not_in_group,
    now,
    previous_label,
)
from infohus_desktop.vault.schema import (
    DataKeyRow,
    GroupEpochRow,
    GroupKeyWrapRow,
    GroupMembershipRow,
    GroupRemovalRow,
    GroupRow,
)


class Keyring(GroupKeys):
    """A member's keyring: the keys it reads (:class:`GroupKeys`) and the changes to who
    holds them: new groups, members added and removed, new epochs and their re-wrapping."""

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
            created_at=now(),
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
            added_at=now(),
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
            return self.revive(session, group)
        self._wrap_to(
            session, group_id, group.epoch, self.group_key(session, group_id), [member_id]
        )
        return True

    def waiting(self, session: Session, group: GroupRow) -> set[uuid.UUID]:
        """Members entitled to the group's current key who hold no copy of it yet: they
        get it when a holder unlocks (:meth:`maintain`). A group whose records do not
        verify names nobody here (``audit verify`` and the group's own use report it)."""
        holders = set(
            session.scalars(
                select(GroupKeyWrapRow.member_id).where(
                    GroupKeyWrapRow.group_id == group.id, GroupKeyWrapRow.epoch == group.epoch
                )
            )
        )
        try:
            return self._entitled(session, group.id, group.epoch) - holders
        except TamperedData:
            return set()

    def revive(self, session: Session, group: GroupRow) -> bool:
        """A group whose current key nobody holds gets a fresh one for its entitled members.

        It happens when the last member leaves: a coordinator who makes an empty group is its
        first member only to share its key, and leaves; the new epoch then goes to nobody, and
        whoever is added later would wait for a share that no one can make. A new key locks
        nothing out (nobody could read with the old one) and opens nothing old (it wraps no
        earlier key). Only while no case key lies under the group: those would need the lost
        key to be wrapped anew. Returns whether the group has a key now."""
        anyone = session.scalar(
            select(GroupKeyWrapRow.member_id)
            .where(GroupKeyWrapRow.group_id == group.id, GroupKeyWrapRow.epoch == group.epoch)
            .limit(1)
        )
        locked_data = session.scalar(
            select(DataKeyRow.id).where(DataKeyRow.group_id == group.id).limit(1)
        )
        members = sorted(self._entitled(session, group.id, group.epoch), key=str)
        if anyone is not None or locked_data is not None or not members:
            return False
        for member_id in members:  # refuse before anything is written
            self.trust.verified_keys(session, member_id)
        epoch, key = group.epoch + 1, new_symmetric_key()
        session.add(self._epoch_row(group.id, group.kind, epoch, key, None, members))
        group.epoch = epoch
        session.flush()
        self._wrap_to(session, group.id, epoch, key, members)
        if self.member_id in members:
            self._group_keys[(group.id, epoch)] = key
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
                removed_at=now(),
            )
        )
        session.flush()
        if holder:
            self.start_new_epoch(session, group_id, as_holder=True)
            return True
        return False

    # -- who is entitled to a group's key --------------------------------------------------

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
        orphans = session.scalars(
            select(GroupRow)
            .join(GroupMembershipRow, GroupMembershipRow.group_id == GroupRow.id)
            .where(GroupMembershipRow.member_id == self.member_id)
        ).all()
        for group in orphans:
            if group not in my_groups:
                try:
                    shared += int(self.revive(session, group))
                except TamperedData:
                    continue
        settled = _settled_groups(session, my_groups)
        for group in my_groups:
            if group.id in settled:
                continue
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
        previous = wrap_key(new_key, old_key, previous_label(group_id, old_epoch, new_epoch))
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


def _settled_groups(session: Session, groups: list[GroupRow]) -> set[uuid.UUID]:
    """The groups among ``groups`` in which :meth:`Keyring.maintain` has nothing to do, found
    with three queries for all of them instead of six per group at every unlock.

    A group is settled when no removal is recorded in its current epoch (so none can ask
    for a new one) and every member whose membership row is there holds its current key.
    The members entitled to the key are a subset of those rows (``_entitled`` keeps only
    present, active members), so nobody can be waiting for a share. Any group that is not
    settled gets the full, verified check, as before. This reads rows, it trusts none: it
    only decides where the verified check cannot find work."""
    if not groups:
        return set()
    ids = [g.id for g in groups]
    current = {g.id: g.epoch for g in groups}
    removal_epochs = session.execute(
        select(GroupRemovalRow.group_id, GroupRemovalRow.epoch).where(
            GroupRemovalRow.group_id.in_(ids)
        )
    )
    asked = {group_id for group_id, epoch in removal_epochs if epoch == current[group_id]}
    present: dict[uuid.UUID, set[uuid.UUID]] = {group_id: set() for group_id in ids}
    for group_id, member_id in session.execute(
        select(GroupMembershipRow.group_id, GroupMembershipRow.member_id).where(
            GroupMembershipRow.group_id.in_(ids)
        )
    ):
        present[group_id].add(member_id)
    for group_id, epoch, member_id in session.execute(
        select(GroupKeyWrapRow.group_id, GroupKeyWrapRow.epoch, GroupKeyWrapRow.member_id).where(
            GroupKeyWrapRow.group_id.in_(ids)
        )
    ):
        if epoch == current[group_id]:
            present[group_id].discard(member_id)
    return {group_id for group_id in ids if group_id not in asked and not present[group_id]}
