"""Random referral form data survives the encrypted payload codec unchanged, and a payload
sealed for one referral does not open as another's; random forms survive their JSON form."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.referrals import (
    DEFAULT_FORM,
    YES_NO_LABELS,
    Choice,
    FieldType,
    FormField,
    ReferralForm,
    Section,
    check_values,
)
from infohus_desktop.vault.codecs.referrals import (
    dumps,
    form_from_json,
    form_to_json,
    loads,
    payload_from_json,
    payload_to_json,
)

# Any text a person can type, Danish letters, markup and control characters included.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60)


def _value(f: FormField) -> st.SearchStrategy[Any]:
    if f.type is FieldType.LIST:
        return st.lists(TEXT, max_size=5)
    if f.type is FieldType.CHOICE:
        return st.sampled_from(["", *(c.code for c in f.choices)])
    if f.type is FieldType.YES_NO_UNKNOWN:
        return st.sampled_from(["", *YES_NO_LABELS])
    if f.type is FieldType.DATE:
        return st.one_of(st.just(""), st.dates().map(lambda d: d.isoformat()))
    return TEXT


VALUES = st.fixed_dictionaries({}, optional={f.key: _value(f) for f in DEFAULT_FORM.fields})


def _seal(key: FieldKey, ctx: FieldContext, values: dict[str, Any]) -> bytes:
    return key.encrypt(dumps(payload_to_json(values)), ctx)


@settings(max_examples=150, deadline=None)
@given(values=VALUES)
def test_random_referral_data_round_trips_through_the_sealed_payload(
    values: dict[str, Any],
) -> None:
    clean = check_values(DEFAULT_FORM, values)
    key = FieldKey(uuid.uuid4(), os.urandom(32))
    ctx = FieldContext("referrals", "payload", uuid.uuid4(), uuid.uuid4())
    sealed = _seal(key, ctx, clean)
    assert payload_from_json(loads(key.decrypt(sealed, ctx))) == clean
    # the same bytes under another referral's context do not open
    other = FieldContext("referrals", "payload", uuid.uuid4(), ctx.case_id)
    with pytest.raises(TamperedData):
        key.decrypt(sealed, other)


@settings(max_examples=150, deadline=None)
@given(values=VALUES)
def test_normalising_twice_changes_nothing(values: dict[str, Any]) -> None:
    once = check_values(DEFAULT_FORM, values)
    assert check_values(DEFAULT_FORM, once) == once


KEYS = st.from_regex(r"[a-z][a-z0-9_]{1,20}", fullmatch=True)
FIELDS = st.builds(
    FormField,
    key=KEYS,
    label_da=TEXT,
    label_en=TEXT,
    type=st.sampled_from(list(FieldType)),
    required=st.booleans(),
    order=st.integers(-1000, 1000),
    section=st.sampled_from(list(Section)),
    choices=st.lists(st.builds(Choice, KEYS, TEXT, TEXT), max_size=3).map(tuple),
    builtin=st.booleans(),
)


@settings(max_examples=100, deadline=None)
@given(fields=st.lists(FIELDS, max_size=8, unique_by=lambda f: f.key))
def test_random_forms_round_trip_through_json(fields: list[FormField]) -> None:
    form = ReferralForm(tuple(fields))
    assert form_from_json(loads(dumps({"f": form_to_json(form)}))["f"]) == form


@pytest.mark.parametrize(
    "payload",
    [{}, {"v": 2, "values": {}}, {"v": 1, "values": []}, {"v": 1, "values": {"a": 1}},
     {"v": 1, "values": {"a": [1]}}, {"v": 1, "values": {"a": None}}],
)  # fmt: skip
def test_a_payload_of_the_wrong_shape_is_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(TamperedData):
        payload_from_json(payload)
