"""Attributes of a row whose values live only in its sealed copy (``meta``), not in a column.

Issue 20's rule: in clear only what the database must see to route, order, enforce and
delete. A case's status, category, source, dates, lead and retention class, a part's codes
and writer, a referral's status and programme, a trend note's theme and period, a meeting's
status and moments describe a person, a concern or a use, so they are no columns: they are
attributes of the row object, filled when a member who holds the key opens the row's sealed
copy (:func:`~infohus_desktop.services.core.case_meta.open_meta` and ``open_part_meta`` for
cases, :func:`~infohus_desktop.vault.row_binding.check_row` for the others), and written
back into that copy by the flush. Code keeps reading and writing ``row.status``; what
changed is where the value is kept.

Why a descriptor and not a mapped column: the value must never reach a statement. Assigning
one marks the row's ``meta`` as modified, so the flush seals the copy anew (and the version
counter steps); reading one before the row was opened is a bug, raised as such rather than
answered with a default a list could show.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import inspect
from sqlalchemy.orm.attributes import flag_modified

T = TypeVar("T")


class SealedValueNotOpened(RuntimeError):
    """A sealed attribute read before its row's copy was opened: a bug in the caller."""


_NO_DEFAULT: Any = object()


class SealedValue(Generic[T]):
    """A value kept in the row's sealed copy; see the module's docstring. ``default`` is
    what a new row that was not given the value has (as a nullable column's None)."""

    def __init__(self, default: T = _NO_DEFAULT) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.slot = f"_sealed_{name}"

    @overload
    def __get__(self, row: None, owner: type) -> SealedValue[T]: ...

    @overload
    def __get__(self, row: object, owner: type) -> T: ...

    def __get__(self, row: object | None, owner: type) -> SealedValue[T] | T:
        if row is None:
            return self
        try:
            value: T = row.__dict__[self.slot]
        except KeyError:
            state = inspect(row)
            if self.default is not _NO_DEFAULT and (state.transient or state.pending):
                # Kept, so the row still has it once saved (its copy holds it then).
                row.__dict__[self.slot] = self.default
                return self.default
            raise SealedValueNotOpened(
                f"{type(row).__name__}.{self.name} read before the row was opened"
            ) from None
        return value

    def __set__(self, row: object, value: T) -> None:
        row.__dict__[self.slot] = value
        if inspect(row).persistent:
            flag_modified(row, "meta")
            row.__dict__.setdefault(_CHANGED, set()).add(self.name)


_CHANGED = "_sealed_changed"


def changed_since_flush(row: object) -> set[str]:
    """The sealed values set on a saved row since this was last asked (and forgets them):
    what a flush listener needs to know whether a derived record must be rewritten."""
    names: set[str] = row.__dict__.pop(_CHANGED, set())
    return names


def value_or(row: object, name: str, default: Any) -> Any:
    """The sealed value if the row was opened, else ``default`` (for sorting rows of which
    some did not open: they are shown as tampered, not sorted by a value they lack)."""
    return row.__dict__.get(f"_sealed_{name}", default)


def fill(row: object, values: dict[str, Any]) -> None:
    """Give ``row`` the values opened from its sealed copy, without marking it modified."""
    for name, value in values.items():
        row.__dict__[f"_sealed_{name}"] = value


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _uuid(text: str | None) -> uuid.UUID | None:
    return None if text is None else uuid.UUID(text)


def _moment(text: str | None) -> datetime | None:
    """A moment as a copy holds it (naive UTC, ``clear_text``), made aware again."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


#: The sealed values that are dates, ids and moments, by attribute name (the same name has
#: the same type in every table).
_DATES = (
    "received",
    "follow_up",
    "asked",
    "disclosed_on",
    "until",
    "start",
    "end",
    "referral_date",
    "sent_on",
    "closed_on",
    "on",
    "period_from",
    "period_to",
    "deadline",
)
_IDS = (
    "lead_organisation_id",
    "lead_member_id",
    "by_member",
    "released_by",
    "approved_by",
    "sent_by",
    "closed_by",
)
_MOMENTS = ("released_at", "starts_at", "ends_at", "held_at", "approved_at", "sent_at", "closed_at")
#: How a sealed value is read back from its text in a copy; a code stays text.
_PARSE: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(_DATES, _date),
    **dict.fromkeys(_IDS, _uuid),
    **dict.fromkeys(_MOMENTS, _moment),
}


def parsed(name: str, value: Any) -> Any:
    """A value of a sealed copy (text or None) as the row's attribute holds it; TypeError
    or ValueError when the copy holds something else."""
    if value is not None and not isinstance(value, str):
        raise TypeError("a sealed value is text in the copy")
    parse = _PARSE.get(name)
    return value if parse is None else parse(value)


def from_column(name: str, value: Any) -> Any:
    """A value read from an old clear column (SQLite gives text, PostgreSQL typed values)."""
    return parsed(name, value) if isinstance(value, str) else value
