"""Who made a change, in a form only members can read: the member's id sealed under the
directory key (the key every member holds, under which members' names are sealed too).

A notice (``domain/change_notices.py``) travels in clear through the server, where the
operator, or anyone with the database's credentials, can ``LISTEN``. The audit log tells the
server nothing of who did what (docs/SECURITY.md §6); a member's id in clear beside a case id
would, so it is sealed. The associated data binds it to the sending unlock's random id.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.members import name_context
from infohus_desktop.vault.schema import MemberRow


def _context(session_id: str) -> FieldContext:
    return FieldContext("live_updates", "member", uuid.UUID(hex=session_id))


def seal_member(directory: FieldKey, member_id: uuid.UUID, session_id: str) -> str:
    sealed = directory.encrypt(member_id.bytes, _context(session_id))
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def open_member(
    keyring: Keyring, session: Session, sealed: str, session_id: str
) -> uuid.UUID | None:
    """The member id of a notice, or None when it is missing or does not open (a notice
    sent by someone without the key, or sealed for another unlock)."""
    if not sealed:
        return None
    try:
        data = Ciphertext(base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4)))
        key = keyring.field_key_by_id(session, data.key_id)
        return uuid.UUID(bytes=key.decrypt(data, _context(session_id)))
    except (InfohusError, binascii.Error, ValueError):
        return None


def member_name(keyring: Keyring, session: Session, member_id: uuid.UUID) -> str | None:
    """A member's display name (names are readable to every member), or None."""
    row = session.get(MemberRow, member_id)
    if row is None:
        return None
    try:
        key = keyring.field_key_by_id(session, row.name.key_id)
        return key.decrypt_text(row.name, name_context(row.id))
    except InfohusError:
        return None
