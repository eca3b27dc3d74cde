"""What a list or a search asked for, in the words its audit entry keeps (sealed).

The DPO reads them in Tilsyn and the audit log: ``search='Andersen' statuses=afsluttet``,
each choice that was made and none that was not, values in the codes the CLI takes. (They
were the filter's Python ``repr``: ``filters=CaseFilter(statuses=frozenset(), ...)``.)
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from datetime import date


def _value(value: object) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value)
    return str(value)


def criterion(filters: object | None, search: str | None, **more: object) -> str:
    """``search`` and every field of the dataclass ``filters`` (and of ``more``) that holds
    a choice: a non-empty set as its sorted values joined by commas, anything else as
    itself; ``all`` when nothing was chosen."""
    choices: list[tuple[str, object]] = []
    if filters is not None and dataclasses.is_dataclass(filters):
        choices += [(f.name, getattr(filters, f.name)) for f in dataclasses.fields(filters)]
    choices += list(more.items())
    parts = [f"search={search!r}"] if search else []
    for name, value in choices:
        if value is None or value is False or value == "":
            continue
        if isinstance(value, Iterable) and not isinstance(value, str):
            values = sorted(_value(v) for v in value)
            if values:
                parts.append(f"{name}={','.join(values)}")
            continue
        parts.append(f"{name}={_value(value)}")
    return " ".join(parts) or "all"
