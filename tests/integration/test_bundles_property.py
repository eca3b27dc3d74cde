"""Random referrals through export and import: what arrives is what was sent (hypothesis)."""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infohus_desktop.domain.referrals import DEFAULT_FORM, FieldType, Programme
from tests.integration.bundle_fixtures import Pair, pair
from tests.integration.referral_fixtures import COMPLETE

__all__ = ["pair"]

#: Any printable text, Danish letters and symbols included; no control characters.
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=60)
free_fields = [
    f for f in DEFAULT_FORM.fields
    if f.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.LIST)
    and f.key not in {"attachments", "person_cpr"}
]  # fmt: skip


@st.composite
def referral_values(draw: st.DrawFn) -> dict[str, object]:
    values: dict[str, object] = dict(COMPLETE)
    for f in draw(st.lists(st.sampled_from(free_fields), unique=True, max_size=8)):
        if f.type is FieldType.LIST:
            values[f.key] = draw(st.lists(text, max_size=4))
        else:  # a required field stays answered: sending checks it
            values[f.key] = draw(text.filter(str.strip) if f.required else text)
    return values


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=referral_values(),
    programme=st.sampled_from(list(Programme)),
    size=st.integers(min_value=0, max_value=70_000),
)
def test_random_referrals_round_trip(
    pair: Pair, values: dict[str, object], programme: Programme, size: int
) -> None:
    p = pair
    blob = os.urandom(size)
    case = p.referral.summary.case_number
    attachment = p.sender.attachments.add(case, "bilag.bin", io.BytesIO(blob))
    referral = p.sender.referrals.create(
        case, programme, {**values, "attachments": [str(attachment.id)]}
    )
    result = p.receiver.bundles.import_bundle(p.sender.bundles.export_referral(referral.id, "EXIT"))
    incoming = p.receiver.referrals.show_incoming(result.incoming_id)
    sent = {k: v for k, v in referral.values.items() if k != "attachments"}
    assert {k: v for k, v in incoming.values.items() if k != "attachments"} == sent
    assert incoming.values["attachments"] == ["bilag.bin"]
    assert incoming.programme is programme
    (arrived,) = incoming.attachments
    assert arrived.size == len(blob)
