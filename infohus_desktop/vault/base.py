"""The declarative base every table of the vault is declared on, with the naming convention
that gives constraints stable names (so Alembic's migrations can name what they change).

Each schema module (``schema`` for the vault's own tables, then one per feature) imports only
this base; :mod:`~infohus_desktop.vault.models` imports them all for the whole metadata.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.types import EncryptedBlob, UTCDateTime, UUIDString

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        uuid.UUID: UUIDString(),
        Ciphertext: EncryptedBlob(),
        datetime: UTCDateTime(),
    }
