"""The whole schema of a vault: every table of every feature, registered on one metadata.

Import this where all tables must be known at once (migrations, dropping a half-made vault,
tests that walk every table); everywhere else a module imports the schema module of the rows
it uses.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from infohus_desktop.vault import (
    case_schema,
    meeting_schema,
    referral_schema,
    retention_schema,
    row_binding,  # noqa: F401  (registers the sealing of bound rows in every flush)
    schema,
    statistics_schema,
    trend_schema,
)
from infohus_desktop.vault.base import Base

#: The schema modules, in the order their tables build on one another.
SCHEMA_MODULES = (
    schema,
    case_schema,
    meeting_schema,
    trend_schema,
    referral_schema,
    statistics_schema,
    retention_schema,
)
METADATA: MetaData = Base.metadata
