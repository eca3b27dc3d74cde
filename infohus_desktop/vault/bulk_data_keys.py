"""The case data keys of a bulk read, unwrapped from the key rows it fetched with its cases.

A cold list of 100,000 cases reads ids as text and makes no ``uuid.UUID`` to find a key,
and keeps none of the keys after the read: each batch's :class:`FieldKey` objects live for
that batch. Holding them for the session bought nothing (a later list reads the key rows of
the cases it decrypts again in the same statement, and unwrapping one is microseconds) and
cost memory: about 30 MiB of raw keys and ids at 100,000 cases (and 240 MiB when they were
held as FieldKeys, whose AESGCM objects keep OpenSSL contexts outside Python's heap), and
every case's key in memory for the whole session where one batch's is enough.

The unwrap is the one of ``GroupKeys.data_key`` (the label of ``group_keys.data_key_label``,
bound to key id, group and epoch), with the cipher of each group epoch's key set up once per
call (:class:`KeyUnwrapper`) and the label's tail made once per epoch. The group keys
stay where they were, in ``GroupKeys`` (per session, dropped on lock).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey, KeyUnwrapper
from infohus_desktop.crypto.encoding import lp
from infohus_desktop.domain.errors import AccessDenied, TamperedData

#: A data key's row as a bulk read fetches it: key id and group id as stored, epoch,
#: wrapped key (``None`` in the last three when the row is missing).
KeyRow = tuple[str, str | None, int | None, bytes | None]
#: ``GroupKeys.group_key``: the key of a group epoch, or TamperedData / AccessDenied.
GroupKeyOf = Callable[[Session, uuid.UUID, int], bytes]
#: Per (group as text, epoch): its group key's unwrapper and the label's tail, or None when
#: this member cannot open that epoch.
_Epochs = dict[tuple[str, int], tuple[KeyUnwrapper, bytes] | None]

#: ``data_key_label`` up to the key id's bytes: the same for every data key.
DATA_KEY_HEAD = lp(b"data-key") + (16).to_bytes(4, "big")


def data_key_label_tail(group_id: uuid.UUID, epoch: int) -> bytes:
    """``data_key_label`` after the key id, the same for every data key of a group epoch:
    ``DATA_KEY_HEAD + key id + tail`` is ``data_key_label(key id, group id, epoch)``."""
    return lp(group_id.bytes, epoch.to_bytes(4, "big"))


def id_bytes(text: str) -> bytes:
    """The 16 bytes of a UUID as the column stores it, without making a ``uuid.UUID``."""
    value = bytes.fromhex(text.replace("-", ""))
    if len(value) != 16:
        raise ValueError("not a UUID")
    return value


def field_keys_from_rows(
    session: Session, rows: Sequence[KeyRow], group_key: GroupKeyOf
) -> dict[str, FieldKey]:
    """The data keys of a bulk read that fetched each key's row with its case (a join: one
    statement for both), by key id as stored, for this read only. A key whose row is
    missing or that does not unwrap is left out (its case then reads as tampered)."""
    epochs: _Epochs = {}
    out: dict[str, FieldKey] = {}
    for key_text, group_text, epoch, wrapped in rows:
        if group_text is None or epoch is None or wrapped is None or key_text in out:
            continue
        wanted = (group_text, epoch)
        if wanted not in epochs:
            epochs[wanted] = _epoch_unwrapper(session, group_text, epoch, group_key)
        opener = epochs[wanted]
        if opener is None:
            continue
        unwrapper, tail = opener
        try:
            key_id = id_bytes(key_text)
            key = unwrapper.unwrap(bytes(wrapped), DATA_KEY_HEAD + key_id + tail)
        except (TamperedData, ValueError, TypeError):
            continue
        out[key_text] = FieldKey.from_id_bytes(key_id, key)
    return out


def _epoch_unwrapper(
    session: Session, group_text: str, epoch: int, group_key: GroupKeyOf
) -> tuple[KeyUnwrapper, bytes] | None:
    try:
        group_id = uuid.UUID(group_text)
        unwrapper = KeyUnwrapper(group_key(session, group_id, epoch))
        tail = data_key_label_tail(group_id, epoch)
    except (TamperedData, AccessDenied, ValueError, TypeError, OverflowError):
        return None
    return unwrapper, tail
