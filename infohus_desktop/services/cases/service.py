"""Concern cases: ``session.cases``, composed of its parts.

Each part of :class:`CaseService` is written once, in the module of its responsibility, on
the common base :class:`~infohus_desktop.services.cases.index.CaseIndex` (categories, the
lookup key, summaries, list and search, show):

- :mod:`~infohus_desktop.services.cases.duplicates`: the intake's duplicate check;
- :mod:`~infohus_desktop.services.cases.intake`: opening a case, with its number;
- :mod:`~infohus_desktop.services.cases.editing`: editing with conflict detection;
- :mod:`~infohus_desktop.services.cases.workflow`: status, screening, information, moving.

Other features build a ``CaseService(ms)`` for what they need of a case (its summary, its
status); the UI and CLI get theirs from the front door.
"""

from __future__ import annotations

from infohus_desktop.services.cases.editing import CaseEditing
from infohus_desktop.services.cases.intake import CaseIntake
from infohus_desktop.services.cases.workflow import CaseWorkflow


class CaseService(CaseIntake, CaseEditing, CaseWorkflow):
    """Every case operation of a member session (``session.cases``)."""


__all__ = ["CaseService"]
