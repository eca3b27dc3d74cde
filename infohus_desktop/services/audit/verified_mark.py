"""Where this workstation's last verification of the audit log ended, so that a routine
check (``audit verify --new-only``) can walk only what is new.

After a verification that found nothing wrong, the member who ran it signs (sequence number,
entry hash, whether every entry's signature was checked too) into a small file beside the
workstation's checkpoint file. The next ``audit verify`` checks that signature through the
member's certificate and that the entry there still has that hash, then walks only the
entries after it (chain, checkpoints and, for the audit group, signatures). Because each
entry's hash covers the one before, a log rewritten before that point and chained anew no
longer has that hash there, and the walk falls back to the whole log. What the routine check
cannot see is a row edited in place with its old hash left standing: only recomputing every
hash finds that, which is why ``audit verify`` walks the whole log unless asked not to.

A marker that is missing, unreadable, made for another vault, not signed by a member of this
vault, or (for a member of the audit group) made without the signatures, is ignored: the
whole log is walked. So is one signed by another member of the workstation, unless that
member checked the signatures too and is in the audit group now (a coordinator's or the
DPO's verification vouches for the members who check after them; a member's own, only for
themselves).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import b64, unb64
from infohus_desktop.crypto.signing import statement
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.local_state import atomic_write
from infohus_desktop.services.core.session import MemberSession


@dataclass(frozen=True, slots=True)
class VerifiedMark:
    seq: int
    head: str
    signatures: bool


def mark_path(ms: MemberSession) -> Path:
    checkpoints = ms.vault.local.checkpoint_file(ms.vault.vault_id)
    return checkpoints.with_name(f"{ms.vault.vault_id}.verified.json")


def _statement(vault_id: uuid.UUID, mark: VerifiedMark, signer: uuid.UUID) -> bytes:
    return statement(
        "audit-verified",
        vault_id,
        seq=mark.seq,
        head=mark.head,
        signatures=mark.signatures,
        signer=str(signer),
    )


def load(ms: MemberSession, session: Session, need_signatures: bool) -> VerifiedMark | None:
    """The last verification's end, when it can be trusted for this verification."""
    try:
        raw = json.loads(mark_path(ms).read_text(encoding="utf-8"))
        if raw["vault"] != str(ms.vault.vault_id):
            return None
        mark = VerifiedMark(int(raw["seq"]), str(raw["head"]), bool(raw["signatures"]))
        signer, signature = uuid.UUID(raw["signer"]), unb64(raw["sig"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if need_signatures and not mark.signatures:
        return None
    if signer != ms.member.id and not (mark.signatures and _in_audit_group(ms, session, signer)):
        return None  # another member's word counts only where the audit group gave it
    key = ms.keyring.trust.sign_key_or_none(session, signer)
    if key is None or not key.verify(signature, _statement(ms.vault.vault_id, mark, signer)):
        return None
    return mark


def _in_audit_group(ms: MemberSession, session: Session, member_id: uuid.UUID) -> bool:
    """By the group's signatures: a membership row someone wrote into the database would
    otherwise let a plain member's mark stand for the audit group's."""
    group_id = ms.vault.system_group_id(session, GroupKind.AUDIT)
    return group_id is not None and ms.keyring.vouched_member(session, group_id, member_id)


def save(ms: MemberSession, mark: VerifiedMark) -> None:
    """Sign and write the mark (privately, atomically); a failure to write only means the
    next check walks the whole log. Not fsynced: the mark only saves work, and one lost to a
    crash (old, empty or gone) is a mark :func:`load` ignores or one that walks a little
    more, while the fsync was most of a routine check's time (60 ms of 82 ms for 1,000 new
    entries on a busy disk)."""
    me = ms.member.id
    signature = ms.keyring.user_keys.sign(_statement(ms.vault.vault_id, mark, me))
    data = {
        "vault": str(ms.vault.vault_id),
        "seq": mark.seq,
        "head": mark.head,
        "signatures": mark.signatures,
        "signer": str(me),
        "sig": b64(signature),
    }
    try:
        atomic_write(  # 0600
            mark_path(ms), json.dumps(data, sort_keys=True).encode(), durable=False
        )
    except OSError:
        return


__all__ = ["VerifiedMark", "load", "mark_path", "save"]
