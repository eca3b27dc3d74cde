"""The member's key derivation, done before a command loads the vault's libraries.

Argon2id holds its whole memory cost (64 MiB and up) while it runs. Done inside the unlock, it
comes on top of everything a command has loaded by then (SQLAlchemy, the schema, the services:
about 40 MiB), and that sum was the peak of a short command such as ``infohus case list``
(issue 17). So for an SQLite vault the command line reads the member's KDF inputs with the
standard library (``vault.peek.peek_member_kdf``), derives the key first, while the process is
still small, and hands it to the unlock with the inputs it was derived from.

Argon2id's known answer is checked first (``crypto/selftest.py``): no key is derived with a
library that fails it, and the whole self-test still runs at the vault's open, before the
key is used. Nothing of the unlock is skipped or trusted to this early read: the unlock reads
the member again in its own transaction, waits out any delay for earlier failures, and uses
the early key only when the salt and parameters it reads are exactly these (else it derives
again). A wrong passphrase still fails at the unseal, where it always did, and is recorded
there. A member with a failed attempt on record gets no early derivation, so the delay before
a guess is tried stays where it was; nor does a vault whose unlock refuses before any attempt
(no root pinned here, a restore cut off). Anything unusual (a server vault, a schema to
migrate, an unknown login, malformed parameters) and the command derives inside the unlock as
before.
"""

from __future__ import annotations

import uuid

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.selftest import run_argon2id_selftest
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.local_state import LocalState
from infohus_desktop.vault.peek import MemberKdf, peek_member_kdf


def member_ahead(url: str, login: str, local: LocalState) -> MemberKdf | None:
    """What ``login``'s key derivation needs, when the SQLite vault at ``url`` lets it be done
    ahead; else None (see the module). Not for a vault whose unlock refuses before any
    attempt (SECURITY.md §7): one whose root this workstation has not pinned, one whose
    restore was cut off. Nor for a member with a failed attempt on record."""
    peeked = peek_member_kdf(url, login)
    if peeked is None or peeked.failed_unlocks or peeked.restore_pending:
        return None
    try:
        pin = local.pin(uuid.UUID(peeked.vault_id))
    except ValueError:
        return None
    if pin is None or not pin.root_fingerprint:
        return None
    return peeked


def derive_ahead(member: MemberKdf, passphrase: str) -> kdf.DerivedKey | None:
    """The passphrase's key under ``member``'s stored parameters and salt; None when they
    are malformed (the unlock then reports it as it always has)."""
    run_argon2id_selftest()  # the known answer of what is used here (SECURITY.md §7)
    try:
        params = kdf.KdfParams.from_json(member.params_json)  # floor and caps first
        key = kdf.derive_key(passphrase, member.salt, params)
    except InvalidInput:
        return None
    return kdf.DerivedKey(member.params_json, member.salt, key)
