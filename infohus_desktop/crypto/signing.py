"""Signed statements: member certificates, audit checkpoints, audit epoch keys.

Every statement is canonical JSON with a ``type`` and the vault id, so a signature over one
kind of statement can never be replayed as another, nor in another vault.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from infohus_desktop.crypto.encoding import b64, canonical_json
from infohus_desktop.crypto.keys import PublicKeys

_RESERVED = frozenset({"type", "v", "vault"})


def statement(kind: str, vault_id: uuid.UUID, **fields: Any) -> bytes:
    """Canonical JSON of a signed statement. The type, version and vault cannot be
    overridden by a field, so the domain separation always holds."""
    clash = _RESERVED & fields.keys()
    if clash:
        raise ValueError(f"reserved statement fields: {sorted(clash)}")
    return canonical_json({**fields, "type": kind, "v": 1, "vault": str(vault_id)})


def certificate_statement(
    vault_id: uuid.UUID,
    member_id: uuid.UUID,
    organisation_id: uuid.UUID,
    role: str,
    keys: PublicKeys,
) -> bytes:
    """What a coordinator signs to vouch for a member's public keys, organisation and role."""
    return statement(
        "member-certificate",
        vault_id,
        member=str(member_id),
        org=str(organisation_id),
        role=role,
        kem=b64(keys.kem),
        sign=b64(keys.sign),
    )


def vault_format_statement(vault_id: uuid.UUID, format_version: int) -> bytes:
    """What the root coordinator signs about the vault's format: from format 2 on, every case
    row carries its sealed metadata, so a row without it was written outside the program."""
    return statement("vault-format", vault_id, format=format_version)


def checkpoint_statement(vault_id: uuid.UUID, seq: int, head_hash: str) -> bytes:
    return statement("audit-checkpoint", vault_id, seq=seq, head=head_hash)


def audit_entry_statement(
    vault_id: uuid.UUID,
    seq: int,
    entry_id: uuid.UUID,
    at: str,
    session_id: uuid.UUID,
    body: bytes,
    prev_hash: str,
) -> bytes:
    """What the actor signs for each audit entry: its place in the chain (``seq`` and the
    previous entry's hash), its time, and its sealed body by digest. A database writer cannot
    add, change or re-chain an entry in a member's name without that member's key."""
    return statement(
        "audit-entry",
        vault_id,
        seq=seq,
        id=str(entry_id),
        at=at,
        session=str(session_id),
        body=hashlib.sha256(body).hexdigest(),
        prev=prev_hash,
    )


def epoch_key_statement(
    vault_id: uuid.UUID, group_id: uuid.UUID, epoch: int, public_key: bytes
) -> bytes:
    return statement(
        "group-epoch-key", vault_id, group=str(group_id), epoch=epoch, pub=b64(public_key)
    )


def membership_statement(
    vault_id: uuid.UUID, group_id: uuid.UUID, member_id: uuid.UUID, epoch: int
) -> bytes:
    return statement(
        "group-membership", vault_id, group=str(group_id), member=str(member_id), epoch=epoch
    )


def epoch_members_statement(
    vault_id: uuid.UUID, group_id: uuid.UUID, epoch: int, members: list[uuid.UUID]
) -> bytes:
    return statement(
        "group-epoch-members",
        vault_id,
        group=str(group_id),
        epoch=epoch,
        members=sorted(str(m) for m in members),
    )


def key_retirement_statement(
    vault_id: uuid.UUID, member_id: uuid.UUID, generation: int, keys: PublicKeys
) -> bytes:
    """What a coordinator signs when a passphrase reset retires a member's keys: the old
    public keys stay valid for what the member signed before (SECURITY.md §4)."""
    return statement(
        "member-key-retired",
        vault_id,
        member=str(member_id),
        generation=generation,
        kem=b64(keys.kem),
        sign=b64(keys.sign),
    )


def removal_statement(
    vault_id: uuid.UUID, group_id: uuid.UUID, member_id: uuid.UUID, epoch: int
) -> bytes:
    return statement(
        "group-removal", vault_id, group=str(group_id), member=str(member_id), epoch=epoch
    )


def verify(sign_public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class SignKeys:
    """A member's verified signing keys: the current one, and the ones a passphrase reset
    retired (a coordinator vouched for each). What the member signed before the reset holds
    with the key they had then; what they sign now, with the current one."""

    current: bytes
    retired: tuple[bytes, ...] = ()

    def verify(self, signature: bytes, message: bytes) -> bool:
        if verify(self.current, signature, message):
            return True
        return any(verify(key, signature, message) for key in self.retired)
