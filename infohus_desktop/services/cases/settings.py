"""The lists a vault configures for its cases: the categories (*bekymringstyper*) and the
assessment indicators. Both hold vocabulary, never personal data, so they are stored in clear
in ``vault_settings`` as JSON, signed by the coordinator who set them (a label swapped by SQL
would change what every sealed code means: services/core/signed_settings.py); a coordinator
changes them, and the change is audited.

An indicator or category that is removed from the list stays readable in the cases and
assessments that already use it: old assessments keep their answers, and a case keeps its
category code; only new input is checked against the current list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from infohus_desktop.domain.assessment import DEFAULT_INDICATORS, Indicator, Part
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import DEFAULT_CATEGORIES
from infohus_desktop.domain.errors import InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core import signed_settings
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.core.signed_settings import SignedSetting

INDICATORS_KEY = "case.indicators"
CATEGORIES_KEY = "case.categories"
_CODE = re.compile(r"^[a-z0-9_]{2,32}$")


def _invalid(da: str, en: str) -> InvalidInput:
    return InvalidInput(da, en)


def indicators_to_json(indicators: tuple[Indicator, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "part": i.part.value,
            "group": i.group,
            "label_da": i.label_da,
            "label_en": i.label_en,
            "serious": i.serious,
        }
        for i in indicators
    ]


def indicators_from_json(data: object) -> tuple[Indicator, ...]:
    """Validate a list of indicators; raise :class:`InvalidInput` naming what is wrong."""
    if not isinstance(data, list) or not data:
        raise _invalid(
            "Indikatorlisten skal være en ikke-tom JSON-liste.",
            "The indicator list must be a non-empty JSON list.",
        )
    out: list[Indicator] = []
    seen: set[str] = set()
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _invalid(f"Indikator nr. {n} er ikke et objekt.", f"Indicator {n} is no object.")
        code = str(item.get("code", ""))
        if not _CODE.match(code):
            raise _invalid(
                f"Indikator nr. {n}: koden skal være 2-32 tegn a-z, 0-9 eller _.",
                f"Indicator {n}: the code must be 2-32 characters a-z, 0-9 or _.",
            )
        if code in seen:
            raise _invalid(
                f"Indikatorkoden {code} står to gange.", f"Indicator code {code} appears twice."
            )
        seen.add(code)
        try:
            part = Part(str(item.get("part")))
        except ValueError:
            parts = ", ".join(p.value for p in Part)
            raise _invalid(
                f"Indikator {code}: del skal være en af {parts}.",
                f"Indicator {code}: part must be one of {parts}.",
            ) from None
        label_da, label_en = str(item.get("label_da", "")), str(item.get("label_en", ""))
        if not label_da.strip() or not label_en.strip():
            raise _invalid(
                f"Indikator {code} skal have en dansk og en engelsk tekst.",
                f"Indicator {code} needs a Danish and an English label.",
            )
        out.append(
            Indicator(
                code,
                part,
                str(item.get("group", "")),
                label_da.strip(),
                label_en.strip(),
                bool(item.get("serious", False)),
            )
        )
    return tuple(out)


def categories_from_json(data: object) -> dict[str, tuple[str, str]]:
    """The categories in their order: a JSON object ``{code: ["Danish", "English"]}`` as a
    coordinator writes it, or the stored list ``[[code, "Danish", "English"], ...]`` (a
    signed value is canonical JSON, whose objects are sorted: a list keeps the order)."""
    if (
        isinstance(data, list)
        and data
        and all(isinstance(item, list) and len(item) == 3 for item in data)
    ):
        pairs = [(str(item[0]), item[1:]) for item in data]
        if len({code for code, _labels in pairs}) != len(pairs):
            raise _invalid("En kategorikode står to gange.", "A category code appears twice.")
    elif isinstance(data, dict) and data:
        pairs = list(data.items())
    else:
        raise _invalid(
            'Kategorierne skal være et JSON-objekt {kode: ["dansk", "engelsk"]}.',
            'The categories must be a JSON object {code: ["Danish", "English"]}.',
        )
    out: dict[str, tuple[str, str]] = {}
    for code, labels in pairs:
        if not _CODE.match(str(code)):
            raise _invalid(
                f"Kategorikoden {code!r} skal være 2-32 tegn a-z, 0-9 eller _.",
                f"Category code {code!r} must be 2-32 characters a-z, 0-9 or _.",
            )
        if (
            not isinstance(labels, list)
            or len(labels) != 2
            or not all(isinstance(x, str) and x.strip() for x in labels)
        ):
            raise _invalid(
                f"Kategorien {code} skal have en dansk og en engelsk tekst.",
                f"Category {code} needs a Danish and an English label.",
            )
        out[str(code)] = (labels[0].strip(), labels[1].strip())
    return out


def categories_to_json(categories: dict[str, tuple[str, str]]) -> list[list[str]]:
    """The stored form: a list, so that the coordinator's order survives canonical JSON."""
    return [[code, da, en] for code, (da, en) in categories.items()]


def _categories_json(data: object) -> object:
    return categories_to_json(categories_from_json(data))


def _indicators_json(data: object) -> object:
    return indicators_to_json(indicators_from_json(data))


INDICATORS = SignedSetting(
    INDICATORS_KEY,
    "case-indicators",
    "Vurderingens indikatorer er ændret uden om programmet, og ingen vurdering kan laves.",
    "The assessment's indicators were changed outside the program, and no assessment can be made.",
    "En koordinator må sætte dem igen (Administration → Indstillinger).",
    "A coordinator must set them again (Administration → Settings).",
    _indicators_json,
)
CATEGORIES = SignedSetting(
    CATEGORIES_KEY,
    "case-categories",
    "Sagskategorierne er ændret uden om programmet: sagerne viser deres koder, og ingen sag "
    "kan oprettes.",
    "The case categories were changed outside the program: cases show their codes, and no "
    "case can be opened.",
    "En koordinator må gemme dem igen (Administration → Indstillinger).",
    "A coordinator must save them again (Administration → Settings).",
    _categories_json,
)


class CaseSettings:
    """Read by every member (the lists are vocabulary); changed by a coordinator."""

    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def indicators(self, session: Session | None = None) -> tuple[Indicator, ...]:
        """The vault's indicators; :class:`TamperedData` when they do not verify."""
        if session is None:
            with self.ms.uow() as own:
                return self.indicators(own)
        return _indicators_or_shipped(signed_settings.read(self.ms, session, INDICATORS).value)

    def categories(self, session: Session | None = None) -> dict[str, tuple[str, str]]:
        """The vault's categories; :class:`TamperedData` when they do not verify."""
        if session is None:
            with self.ms.uow() as own:
                return self.categories(own)
        return _categories_or_shipped(signed_settings.read(self.ms, session, CATEGORIES).value)

    def for_display(
        self, session: Session | None = None
    ) -> tuple[dict[str, tuple[str, str]], TamperedData | None]:
        """The category words a list or a case shows, and why there are none: categories
        changed outside the program show as their codes (which is what is sealed in the
        cases), with the reason for the reader to tell; input refuses them (categories())."""
        try:
            return self.categories(session), None
        except TamperedData as exc:
            return {}, exc

    def for_editing(self) -> EditableSettings:
        """What the coordinator's editor shows: the lists as stored, or the shipped ones
        with a flag where the stored ones were changed outside the program, so that the
        coordinator can set them again (nobody else could)."""
        self.ms.require()
        with self.ms.uow() as session:
            categories, categories_tampered = dict(DEFAULT_CATEGORIES), False
            indicators, indicators_tampered = DEFAULT_INDICATORS, False
            try:
                categories = self.categories(session)
            except TamperedData:
                categories_tampered = True
            try:
                indicators = self.indicators(session)
            except TamperedData:
                indicators_tampered = True
        return EditableSettings(categories, categories_tampered, indicators, indicators_tampered)

    def set_indicators(self, data: object) -> tuple[Indicator, ...]:
        self.ms.require(Role.COORDINATOR)
        indicators = indicators_from_json(data)
        with self.ms.transaction() as session:
            signed_settings.write(self.ms, session, INDICATORS, indicators_to_json(indicators))
            self.ms.record(
                session,
                "case.settings.indicators",
                None,
                Purpose.ADMINISTRATION,
                f"{len(indicators)} indicators",
            )
        return indicators

    def set_categories(self, data: object) -> dict[str, tuple[str, str]]:
        self.ms.require(Role.COORDINATOR)
        categories = categories_from_json(data)
        with self.ms.transaction() as session:
            signed_settings.write(self.ms, session, CATEGORIES, categories_to_json(categories))
            self.ms.record(
                session,
                "case.settings.categories",
                None,
                Purpose.ADMINISTRATION,
                ",".join(sorted(categories)),
            )
        return categories


@dataclass(frozen=True, slots=True)
class EditableSettings:
    categories: dict[str, tuple[str, str]]
    categories_tampered: bool
    indicators: tuple[Indicator, ...]
    indicators_tampered: bool


def _indicators_or_shipped(stored: object | None) -> tuple[Indicator, ...]:
    if stored is None:
        return DEFAULT_INDICATORS
    try:
        return indicators_from_json(stored)
    except InvalidInput:
        # Only an unsigned list from an earlier version can fail here (a signed one was
        # checked before it was signed): it must not stop the assessment.
        return DEFAULT_INDICATORS


def _categories_or_shipped(stored: object | None) -> dict[str, tuple[str, str]]:
    if stored is None:
        return dict(DEFAULT_CATEGORIES)
    try:
        return categories_from_json(stored)
    except InvalidInput:
        return dict(DEFAULT_CATEGORIES)
