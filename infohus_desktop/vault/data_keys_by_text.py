"""The case data keys a bulk read unwrapped, held by their id as the column stores it.

A cold list of 100,000 cases reads ids as text and makes no ``uuid.UUID`` to find a key:
each key is held as its id's 16 bytes and the raw key, and a :class:`FieldKey` is made for
one call only. Raw bytes, not FieldKeys: each AESGCM object keeps OpenSSL cipher contexts
outside Python's heap once used, about 2.5 KiB a key, which for 100,000 cases held all
session long was 240 MiB of resident memory.

The unwrap is the one of ``GroupKeys.data_key`` (the label of ``group_keys.data_key_label``,
bound to key id, group and epoch), with the cipher of each group epoch's key set up once per
call (:class:`KeyUnwrapper`) and the label's tail made once per epoch. Everything here is
per session: ``GroupKeys`` owns the one instance and clears it on lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey, KeyUnwrapper
from infohus_desktop.crypto.encoding import lp
from infohus_desktop.domain.errors import AccessDenied, TamperedData
from infohus_desktop.vault.schema import DataKeyRow

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
BATCH = 500


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


class DataKeysByText:
    """Key id as stored -> (the id's 16 bytes, the raw key), unwrapped once per session."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: dict[str, tuple[bytes, bytes]] = {}

    def get(self, key_text: str) -> bytes | None:
        held = self._held.get(key_text)
        return None if held is None else held[1]

    def pop(self, key_text: str) -> None:
        self._held.pop(key_text, None)

    def clear(self) -> None:
        self._held.clear()

    def by_text(
        self, session: Session, key_ids: Iterable[str], group_key: GroupKeyOf
    ) -> dict[str, FieldKey]:
        """The keys named by ``key_ids``: one query per 500 keys not yet held. A key that is
        missing or does not unwrap is left out. The field keys are for this call only."""
        held = self._held
        wanted_ids = list(dict.fromkeys(key_ids))
        missing = [k for k in wanted_ids if k not in held]
        table = DataKeyRow.__table__
        key_text_column = type_coerce(table.c.id, String())
        epochs: _Epochs = {}
        for start in range(0, len(missing), BATCH):
            query = select(
                key_text_column,
                type_coerce(table.c.group_id, String()),
                table.c.epoch,
                table.c.wrapped,
            ).where(key_text_column.in_(missing[start : start + BATCH]))
            # .all(): one fetch, where iterating the result would fetch row by row.
            self._unwrap(session, session.connection().execute(query).all(), epochs, group_key)
        return {text: FieldKey.from_id_bytes(*held[text]) for text in wanted_ids if text in held}

    def from_rows(
        self, session: Session, rows: Sequence[KeyRow], group_key: GroupKeyOf
    ) -> dict[str, FieldKey]:
        """:meth:`by_text` for a bulk read that fetched each key's row with its case (a join:
        one statement for both). A key held already is not unwrapped again."""
        held = self._held
        missing = [row for row in rows if row[0] not in held]
        if missing:
            self._unwrap(session, missing, {}, group_key)
        return {row[0]: FieldKey.from_id_bytes(*held[row[0]]) for row in rows if row[0] in held}

    def _unwrap(
        self, session: Session, rows: Iterable[Any], epochs: _Epochs, group_key: GroupKeyOf
    ) -> None:
        held = self._held
        for key_text, group_text, epoch, wrapped in rows:
            if group_text is None or epoch is None or wrapped is None:
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
            held[key_text] = (key_id, key)


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
