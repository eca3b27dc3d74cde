"""Merging a stale edit with what someone else saved meanwhile (no Qt, testable as is).

Three versions take part: *base* (the case as the user opened it), *mine* (base with the
user's edit) and *theirs* (the case as saved now). A field only one side changed takes that
side's value without asking. A field both changed to different values is a :class:`Choice`
for the user; the person and the intake are compared part by part (name, address, phone …),
so two people who fixed different details of the same person both keep their work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from infohus_desktop.domain.cases import Case, Intake, Person
from infohus_desktop.domain.labels import CASE_FIELD_LABELS
from infohus_desktop.services.cases.editing import EDIT_FIELDS, CaseEdit, editable_values

_COMPOSITE = {"person": Person, "intake": Intake}

FIELD_LABELS = CASE_FIELD_LABELS


@dataclass(frozen=True)
class Choice:
    """A field (``title``) or part (``person.address``) both sides changed differently."""

    key: str
    mine: object
    theirs: object
    changed_by_me: bool


def edited_values(base: Case, edit: CaseEdit) -> dict[str, object]:
    """The case's editable values with ``edit`` applied: the user's version."""
    values = editable_values(base)
    for name in EDIT_FIELDS:
        value = getattr(edit, name)
        if value is not None:
            values[name] = value
    if edit.clear_follow_up:
        values["follow_up"] = None
    return values


def _parts(value: object) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in fields(value)}  # type: ignore[arg-type]


def conflicts(
    base: Mapping[str, object],
    mine: Mapping[str, object],
    theirs: Mapping[str, object],
    changed: list[str],
) -> tuple[list[Choice], list[str]]:
    """What the user chooses, and the keys of their own changes kept without asking (nobody
    else touched them). ``changed`` are the fields the conflict named: each one where the two
    versions differ is offered, preselected to the side that changed it."""
    choices: list[Choice] = []
    kept: list[str] = []
    for name in EDIT_FIELDS:
        they_changed = name in changed or theirs[name] != base[name]
        if not they_changed:
            if mine[name] != base[name]:
                kept.append(name)
            continue
        if mine[name] == theirs[name]:
            continue
        if name not in _COMPOSITE:
            choices.append(Choice(name, mine[name], theirs[name], mine[name] != base[name]))
            continue
        b, m, t = _parts(base[name]), _parts(mine[name]), _parts(theirs[name])
        for part in m:
            key = f"{name}.{part}"
            if m[part] == t[part]:
                continue
            if t[part] == b[part]:
                kept.append(key)
            else:
                choices.append(Choice(key, m[part], t[part], m[part] != b[part]))
    return choices, kept


def merged_edit(
    base: Mapping[str, object],
    mine: Mapping[str, object],
    theirs: Mapping[str, object],
    picks: Mapping[str, bool],
) -> CaseEdit:
    """The edit to save on top of *theirs*: the user's own unconflicted changes plus, for
    each choice key, mine (``picks[key]`` true) or theirs."""
    result: dict[str, object] = {}
    for name in EDIT_FIELDS:
        if name in _COMPOSITE:
            b, m, t = _parts(base[name]), _parts(mine[name]), _parts(theirs[name])
            merged = dict(t)
            for part in m:
                key = f"{name}.{part}"
                if key in picks:
                    merged[part] = m[part] if picks[key] else t[part]
                elif m[part] != b[part] and t[part] == b[part]:
                    merged[part] = m[part]
            value: object = replace(theirs[name], **merged)  # type: ignore[type-var]
        elif name in picks:
            value = mine[name] if picks[name] else theirs[name]
        elif mine[name] != base[name] and theirs[name] == base[name]:
            value = mine[name]
        else:
            value = theirs[name]
        if value != theirs[name]:
            result[name] = value
    clear = "follow_up" in result and result["follow_up"] is None
    if clear:
        del result["follow_up"]
    return CaseEdit(clear_follow_up=clear, **result)  # type: ignore[arg-type]


def is_empty(edit: CaseEdit) -> bool:
    return not edit.clear_follow_up and all(getattr(edit, n) is None for n in EDIT_FIELDS)


__all__ = ["Choice", "conflicts", "edited_values", "is_empty", "merged_edit"]
