"""Labels in the window's current language: the tables are the domain's
(``domain/labels.py``); this module only picks the language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from infohus_desktop.domain.labels import INTAKE_QUESTIONS, Pair
from infohus_desktop.ui.i18n import tr


def label(labels: Mapping[Any, Pair], code: object) -> str:
    """The label of ``code`` in the current language; the code itself if none is known
    (a value stored by a newer version, or a configured code since removed)."""
    pair = labels.get(code)
    return tr(*pair) if pair else str(code)


def question_label(stored: str) -> str:
    """A stored intake question in the current language, if it is one of ours."""
    for da, en in INTAKE_QUESTIONS:
        if stored == da:
            return tr(da, en)
    return stored
