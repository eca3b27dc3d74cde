"""Members: enrolment, listing, removal, passphrase change."""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import select

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.keys import UserKeyPair
from infohus_desktop.crypto.passphrase_policy import check_new_passphrase
from infohus_desktop.crypto.signing import certificate_statement
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, WrongPassphrase
from infohus_desktop.domain.members import GroupKind, Member, validate_login, validate_name
from infohus_desktop.domain.organisations import Organisation, OrgKind, Role
from infohus_desktop.services.accounts.casework import maintain_keys
from infohus_desktop.services.accounts.enrolment import enrol_keys, join_automatic_groups
from infohus_desktop.services.accounts.reset import PassphraseReset, reset_passphrase
from infohus_desktop.services.accounts.roles import RoleChange, change_role
from infohus_desktop.services.accounts.roster import RosterEntry, organisations, roster
from infohus_desktop.services.accounts.vouching import take_over_vouching
from infohus_desktop.services.accounts.welcome import welcome_letter_pdf
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.members import (
    list_member_rows,
    member_row_by_login,
    name_context,
    resolve_organisation,
    to_member,
)
from infohus_desktop.vault.schema import (
    GroupMembershipRow,
    MemberRow,
)


@dataclass(frozen=True, slots=True)
class Enrolment:
    member: Member
    pending_groups: int


@dataclass(frozen=True, slots=True)
class Removal:
    """A removed member; ``pending_groups`` new epochs wait for a member of the group."""

    member: Member
    pending_groups: int


class AccountService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def add(
        self,
        login: str,
        name: str,
        organisation: str,
        role: Role,
        initial_passphrase: str,
        organisation_kind: OrgKind | None = None,
        derived: kdf.DerivedKey | None = None,
    ) -> Enrolment:
        """Enrol a member with a first passphrase they must change at first unlock.

        ``derived``: the first passphrase's key, derived ahead (``kdf.DerivedKey.fresh``)."""
        self.ms.require(Role.COORDINATOR)
        login = validate_login(login)
        name = validate_name(name)
        check_new_passphrase(initial_passphrase)
        member_id = uuid.uuid4()
        keys, salt, params, sealed = enrol_keys(member_id, initial_passphrase, derived)
        public = keys.public()
        with self.ms.transaction() as session:
            if session.scalar(select(MemberRow.id).where(MemberRow.login == login)):
                raise InvalidInput(
                    f"Brugernavnet {login} er allerede i brug.", f"The login {login} is taken."
                )
            org = resolve_organisation(session, organisation, organisation_kind, create=True)
            if role == Role.COORDINATOR and org.kind not in (OrgKind.POLICE, OrgKind.MUNICIPALITY):
                raise InvalidInput(
                    "Koordinatorer kommer fra politiet eller en kommune.",
                    "Coordinators come from the police or a municipality.",
                )
            directory = self.ms.keyring.group_field_key(
                session, self.ms.vault.system_group_id(session, GroupKind.DIRECTORY)
            )
            row = MemberRow(
                id=member_id,
                login=login,
                name=directory.encrypt_text(name, name_context(member_id)),
                organisation_id=org.id,
                role=role.value,
                kem_public=public.kem,
                sign_public=public.sign,
                certified_by=self.ms.member.id,
                certificate=self.ms.keyring.user_keys.sign(
                    certificate_statement(
                        self.ms.vault.vault_id, member_id, org.id, role.value, public
                    )
                ),
                kdf_salt=salt,
                kdf_params=params.to_json(),
                sealed_keys=sealed,
                must_change_passphrase=True,
                active=True,
                failed_unlocks=0,
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            pending = join_automatic_groups(self.ms, session, member_id)
            self.ms.record(session, AuditAction.MEMBER_ADD, member_id, detail=login)
            return Enrolment(to_member(session, self.ms.keyring, row), len(pending))

    def list(self, include_removed: bool = False) -> list[Member]:
        self.ms.require()
        self.ms.audited_read(AuditAction.MEMBER_LIST)
        with self.ms.uow() as session:
            return [
                to_member(session, self.ms.keyring, row)
                for row in list_member_rows(session, include_removed)
            ]

    def roster(self, include_removed: bool = True) -> builtins.list[RosterEntry]:
        """Every member with their last unlock and group count (coordinators; the DPO
        reads it too)."""
        return roster(self.ms, include_removed)

    def organisations(self) -> builtins.list[Organisation]:
        return organisations(self.ms)

    def change_role(self, login: str, role: Role) -> RoleChange:
        """Another role for a member: a new certificate, and the automatic groups follow."""
        return change_role(self.ms, login, role)

    def reset_passphrase(self, login: str) -> PassphraseReset:
        """New keys and a generated first passphrase for a member who forgot theirs."""
        return reset_passphrase(self.ms, login)

    def welcome_letter(
        self, login: str, passphrase: str, reset: bool = False, language: str = "da"
    ) -> bytes:
        """The member's welcome letter as PDF bytes (in memory), with the first passphrase
        the caller just received from :meth:`add` or :meth:`reset_passphrase`."""
        return welcome_letter_pdf(self.ms, login, passphrase, reset, language)

    def remove(self, login: str) -> Removal:
        """Deactivate a member: every group they were in moves to a new epoch, and members
        they certified are re-certified by the acting coordinator."""
        self.ms.require(Role.COORDINATOR)
        with self.ms.transaction() as session:
            row = member_row_by_login(session, login)
            if row.id == self.ms.member.id:
                raise AccessDenied(
                    "Du kan ikke fjerne dig selv; bed en anden koordinator.",
                    "You cannot remove yourself; ask another coordinator.",
                )
            group_ids = list(
                session.scalars(
                    select(GroupMembershipRow.group_id).where(
                        GroupMembershipRow.member_id == row.id
                    )
                )
            )
            pending = sum(
                not self.ms.keyring.remove_from_group(session, group_id, row.id)
                for group_id in group_ids
            )
            row.active = False
            row.removed_at = datetime.now(UTC)
            if row.role == Role.COORDINATOR:
                take_over_vouching(self.ms, session, row.id)
            self.ms.record(session, AuditAction.MEMBER_REMOVE, row.id, detail=row.login)
            session.flush()
            return Removal(to_member(session, self.ms.keyring, row), pending)

    def change_passphrase(
        self, current: str, new: str, derived_current: kdf.DerivedKey | None = None
    ) -> None:
        """Re-seal one's own keys under a new passphrase (new salt, freshly calibrated).

        ``derived_current``: the current passphrase's key, derived ahead; used when the
        stored salt and parameters are the ones it was derived from. The unseal proves it
        either way, as it proves a typed passphrase."""
        self.ms.require(allow_initial_passphrase=True)
        check_new_passphrase(new)
        if kdf.normalize_passphrase(current) == kdf.normalize_passphrase(new):
            raise InvalidInput(
                "Den nye adgangsfrase skal være en anden end den nuværende.",
                "The new passphrase must differ from the current one.",
            )
        with self.ms.uow() as session:
            row = session.get(MemberRow, self.ms.member.id)
            assert row is not None
            params_json = row.kdf_params
            salt_now, sealed_now = bytes(row.kdf_salt), bytes(row.sealed_keys)
        params_now = kdf.KdfParams.from_json(params_json)
        key_now = derived_current.for_inputs(params_json, salt_now) if derived_current else None
        try:
            UserKeyPair.unseal(
                sealed_now,
                key_now or kdf.derive_key(current, salt_now, params_now),
                row.id,
                params_now,
            )
        except WrongPassphrase:
            raise WrongPassphrase() from None
        params = kdf.calibrate()
        salt = kdf.new_salt()
        sealed = self.ms.keyring.user_keys.seal(
            kdf.derive_key(new, salt, params), self.ms.member.id, params
        )
        with self.ms.transaction() as session:
            row = session.get(MemberRow, self.ms.member.id)
            assert row is not None
            row.kdf_salt, row.kdf_params, row.sealed_keys = salt, params.to_json(), sealed
            row.must_change_passphrase = False
            self.ms.record(session, AuditAction.PASSPHRASE_CHANGE, row.id)
            # The upkeep the unlock skipped (it waits for the first change), in the same
            # audited transaction as at an unlock: keys shared or groups made here change
            # what other members' sessions can read, and those sessions learn of changes
            # from the audit log (services/cases/intake.py).
            maintain_keys(self.ms, session)
        self.ms.member = _replace_flag(self.ms.member)


def _replace_flag(member: Member) -> Member:
    return replace(member, must_change_passphrase=False)
