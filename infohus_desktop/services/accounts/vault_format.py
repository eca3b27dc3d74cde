"""The vault's format at unlock: signed by the root coordinator from format 2 on, and never
lower than this workstation saw before (an older copy, or a format downgraded by SQL so that
rows without their sealed copies would pass)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from infohus_desktop.crypto.signing import vault_format_statement, verify
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.local_state import LocalState
from infohus_desktop.vault.schema import VaultInfo
from infohus_desktop.vault.trust import TrustStore


def checked_format(
    session: Session,
    trust: TrustStore,
    local: LocalState,
    vault_id: uuid.UUID,
    root_id: uuid.UUID,
    accept_restore: bool = False,
) -> int:
    """The vault's format, vouched for by the root's signature from format 2 on, and never
    lower than this workstation saw before. From format 2 case rows must carry their
    sealed metadata; from format 3 meetings, trend notes and referrals too; from format 4
    the vocabulary settings their coordinator's signature.

    ``accept_restore``: a coordinator puts back, on purpose, a backup made before the
    format was raised (``vault accept-restore``, the restore's own unlock; the caller checks
    the role and that the log is older than seen here too, and audits it): the lower format
    is taken, still only with the root's signature, and this workstation remembers it."""
    info = session.get(VaultInfo, 1)
    if info is None:
        raise TamperedData("Boksens oplysninger mangler.", "The vault's info row is missing.")
    version = info.format_version
    if version >= 2:
        root = trust.verified_keys(session, root_id)
        statement = vault_format_statement(vault_id, version)
        if info.format_signature is None or not verify(
            root.sign, bytes(info.format_signature), statement
        ):
            raise TamperedData(
                "Boksens format er ikke underskrevet af dens rodnøgle.",
                "The vault's format is not signed by its root key.",
            )
    pin = local.pin(vault_id)
    if pin is not None:
        if version < pin.format_version and accept_restore:
            pin.format_version = version
            local.save_pin(pin)
        elif version < pin.format_version:
            raise TamperedData(
                "Boksen er i et ældre format, end denne arbejdsstation har set: en gammel "
                "kopi eller en ændring uden om programmet. En sikkerhedskopi fra før "
                "formatet blev hævet genskabes med 'infohus backup restore'.",
                "The vault is in an older format than this workstation has seen: an old "
                "copy, or a change outside the program. A backup from before the format was "
                "raised is restored with 'infohus backup restore'.",
            )
        if version > pin.format_version:
            pin.format_version = version
            local.save_pin(pin)
    return version


def seen_format_of(local: LocalState, vault_id: uuid.UUID) -> int:
    """The highest format this workstation has seen the vault in (0: never seen it).

    A lower one is taken only as part of a restore: the restore's own unlock (the backup
    was opened with the coordinator's key), or a restore a coordinator accepts whose audit
    log is older than seen here too. A format lowered by SQL alone (the old format's root
    signature written back) is refused, accept-restore or not."""
    pin = local.pin(vault_id)
    return pin.format_version if pin is not None else 0
