"""The per-case statistics codes, sealed to the district's network group.

Age group and sex are part of the person, so they live in the case's encrypted payload under the
case key, which only the case's access group holds. The statistics must count them over every
case of the district, for every network member. One small row per case carries just those two
codes, encrypted under the NETWORK group's key (not the case key): a network member can decrypt
the codes and nothing else of the case; someone with the database file and no key learns
nothing new (docs/SECURITY.md and services/cases/codes.py say more)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base


class CaseStatisticsRow(Base):
    """``payload`` = ``{"age_group": ..., "sex": ...}`` under the network group's epoch key,
    with table, column and case id in the associated data. Rewritten whole whenever the
    person or the received date changes; no version of its own (it follows the case)."""

    __tablename__ = "case_statistics"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    payload: Mapped[Ciphertext]
    updated_at: Mapped[datetime]


class KeptCountsRow(Base):
    """The statistics codes of one deleted case (services/statistics/kept_counts.py): a
    random id and ``payload`` under the casework group's key; no case id, number or date."""

    __tablename__ = "statistics_kept"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    payload: Mapped[Ciphertext]
