"""JSON forms of the referral payloads and of the form definition.

The referral payload is ``{"v": 1, "values": {key: str | [str, ...]}}``: explicit and
JSON-native, so the bytes sealed in the vault and the bytes put in a bundle never depend on
the shape of a Python class. The form definition has the same JSON form in the vault settings
(a coordinator's form) and in a bundle (the sender's field labels travel with the values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.referrals import (
    Choice,
    FieldType,
    FieldValue,
    FormField,
    ReferralForm,
    Section,
)
from infohus_desktop.vault.codecs.cases import dumps, loads

PAYLOAD_VERSION = 1

__all__ = [
    "dumps",
    "form_from_json",
    "form_to_json",
    "loads",
    "payload_from_json",
    "payload_to_json",
    "values_from_json",
]


def _bad() -> TamperedData:
    return TamperedData("Henvisningen kan ikke læses.", "The referral cannot be read.")


def payload_to_json(values: Mapping[str, FieldValue]) -> dict[str, Any]:
    return {
        "v": PAYLOAD_VERSION,
        "values": {k: (list(v) if isinstance(v, list) else v) for k, v in values.items()},
    }


def values_from_json(data: object) -> dict[str, FieldValue]:
    """Values as stored: every key a string, every value a string or a list of strings."""
    if not isinstance(data, dict):
        raise _bad()
    out: dict[str, FieldValue] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise _bad()
        if isinstance(value, str):
            out[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = list(value)
        else:
            raise _bad()
    return out


def payload_from_json(data: dict[str, Any]) -> dict[str, FieldValue]:
    if data.get("v") != PAYLOAD_VERSION:
        raise _bad()
    return values_from_json(data.get("values"))


def field_to_json(f: FormField) -> dict[str, Any]:
    return {
        "key": f.key,
        "label_da": f.label_da,
        "label_en": f.label_en,
        "type": f.type.value,
        "required": f.required,
        "order": f.order,
        "section": f.section.value,
        "choices": [[c.code, c.label_da, c.label_en] for c in f.choices],
        "builtin": f.builtin,
    }


def form_to_json(form: ReferralForm) -> list[dict[str, Any]]:
    return [field_to_json(f) for f in form.fields]


def form_from_json(data: object) -> ReferralForm:
    """A stored form definition; :class:`TamperedData` if it is not one. (A coordinator's
    input is checked with messages by ``services/referrals/settings.py`` first.)"""
    if not isinstance(data, list):
        raise _bad()
    fields = []
    try:
        for item in data:
            choices = tuple(Choice(str(c[0]), str(c[1]), str(c[2])) for c in item["choices"])
            fields.append(
                FormField(
                    key=str(item["key"]),
                    label_da=str(item["label_da"]),
                    label_en=str(item["label_en"]),
                    type=FieldType(item["type"]),
                    required=bool(item["required"]),
                    order=int(item["order"]),
                    section=Section(item["section"]),
                    choices=choices,
                    builtin=bool(item.get("builtin", False)),
                )
            )
    except (KeyError, ValueError, TypeError, IndexError, OverflowError) as exc:
        raise _bad() from exc
    return ReferralForm(tuple(fields))
