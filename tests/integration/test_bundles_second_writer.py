"""A second WRITER, written only from docs/BUNDLE.md (tests/unit/crypto/bundle_second.py),
sends a referral to a real vault: the vault pins the writer's key card as §5 describes, its
importer accepts the bundle, and the incoming referral shows exactly the values the writer
wrote (§4 "Values"): a yes/no/unknown answer, a date, an empty and an omitted field, a list,
and an attachment. The same writer with a chunk size of 32768 is refused (§2)."""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infohus_desktop.domain.bundles import BundleRejected, RejectReason
from infohus_desktop.domain.referrals import FieldType, Programme
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.referrals.incoming import IncomingReferrals
from tests.integration.bundle_fixtures import assert_only_one_rejection, snapshot
from tests.integration.conftest import District
from tests.unit.crypto import bundle_second as second

SENDER_NAME = "Infohus Sydvest (politi og kommune)"
NOTE = b"%PDF-1.7\n" + os.urandom(70_000)  # more than one 64 KiB chunk


def field(order: int, key: str, type_: str, section: str, **kw: Any) -> dict[str, Any]:
    """§4 "The form": one field with all nine keys."""
    return {
        "builtin": kw.get("builtin", True),
        "choices": kw.get("choices", []),
        "key": key,
        "label_da": kw.get("da", key.replace("_", " ").capitalize()),
        "label_en": kw.get("en", key.replace("_", " ").capitalize()),
        "order": order,
        "required": kw.get("required", False),
        "section": section,
        "type": type_,
    }


PROGRAMMES = [
    ["pet_exit", "PET's exitprogram (EXIT)", "PET's exit programme (EXIT)"],
    ["kommunal_exit", "Kommunalt exitprogram", "Municipal exit programme"],
    ["kriminalforsorgen", "Kriminalforsorgen", "Prison and Probation Service"],
    ["andet", "Anden modtager", "Other recipient"],
]
FORM = [
    field(10, "programme", "choice", "modtager", required=True, choices=PROGRAMMES,
          da="Modtagerprogram", en="Recipient programme"),
    field(50, "person_name", "text", "person", required=True, da="Navn", en="Name"),
    field(70, "person_birth_date", "date", "person", da="Fødselsdato", en="Date of birth"),
    field(110, "guardians", "list", "person"),
    field(130, "reason", "long_text", "begrundelse", required=True),
    field(180, "person_informed", "yes_no_unknown", "samtykke", required=True),
    field(190, "person_consent", "yes_no_unknown", "samtykke", required=True),
    field(210, "guardians_consent", "yes_no_unknown", "samtykke"),
    field(220, "consent_note", "long_text", "samtykke"),
    field(250, "attachments", "list", "praktisk", da="Bilag", en="Attachments"),
    field(300, "skolens_vurdering", "text", "oevrigt", builtin=False,
          da="Skolens vurdering", en="The school's view"),
]  # fmt: skip
VALUES = {
    "programme": "kommunal_exit",
    "person_name": "Ali Ærø",
    "person_birth_date": "2009-03-14",
    "guardians": ["Mor: Sara Ærø", "Far: Omar Ærø"],
    "reason": "Skolen har set tegn på radikalisering.\nFamilien ønsker hjælp.",
    "person_informed": "ja",
    "person_consent": "ukendt",
    "consent_note": "",  # empty: answered with nothing
    "attachments": ["udtalelse.pdf"],
    "skolens_vurdering": "Bekymret; 3 episoder siden august",
    # guardians_consent is omitted: not answered at all
}


def referral_data() -> dict[str, Any]:
    """§4 `data` of kind `referral`."""
    return {
        "form": FORM,
        "referral": str(uuid.uuid4()),
        "sent_on": "2026-12-01",
        "values": VALUES,
    }


def pinned_writer(receiver: MemberServices) -> tuple[second.Identity, second.Card]:
    """§5: both sides exchange key cards; the receiver's coordinator pins the writer's card
    after comparing the fingerprint. The writer reads the receiver's card itself."""
    card_bytes, receiver_fp = receiver.bundles.export_public_key()
    card = second.read_card(card_bytes)
    assert card.fingerprint == receiver_fp
    writer = second.Identity(os.urandom(32), uuid.uuid4(), "Infohus Sydvest")
    receiver.bundles.add_recipient(SENDER_NAME, writer.card(), writer.fingerprint)
    return writer, card


def build(
    writer: second.Identity,
    card: second.Card,
    chunk_size: int = second.CHUNK,
    data: dict[str, Any] | None = None,
) -> bytes:
    plain = second.payload(
        "referral", data or referral_data(), [("udtalelse.pdf", "application/pdf", NOTE)]
    )
    created = datetime.now(UTC) - timedelta(minutes=1)
    return second.write(writer, card, "referral", plain, created, timedelta(days=14), chunk_size)


def test_the_importer_accepts_a_bundle_of_the_second_writer(district: District) -> None:
    receiver = district.coordinator
    writer, card = pinned_writer(receiver)
    result = receiver.bundles.import_bundle(build(writer, card))
    assert result.sender_name == SENDER_NAME and result.attachments == 1

    incoming = receiver.referrals.show_incoming(result.incoming_id)
    assert incoming.sender == SENDER_NAME
    assert incoming.programme is Programme.MUNICIPAL_EXIT
    assert incoming.values == VALUES  # as written: "" stays "", the omitted key stays out
    assert incoming.values["person_consent"] == "ukendt"
    assert incoming.values["person_birth_date"] == "2009-03-14"
    assert "guardians_consent" not in incoming.values
    assert incoming.values["consent_note"] == ""
    consent = incoming.form.get("guardians_consent")
    assert consent is not None and consent.type is FieldType.YES_NO_UNKNOWN
    own = incoming.form.get("skolens_vurdering")
    assert own is not None and own.label_en == "The school's view" and not own.builtin
    assert [f.key for f in incoming.form.fields] == [f["key"] for f in FORM]

    (attachment,) = incoming.attachments
    assert (attachment.filename, attachment.media_type, attachment.size) == (
        "udtalelse.pdf", "application/pdf", len(NOTE),
    )  # fmt: skip
    received = io.BytesIO()
    IncomingReferrals(receiver).read_attachment(result.incoming_id, attachment.id, received)
    assert received.getvalue() == NOTE


def test_the_second_writer_with_chunks_of_32768_is_refused(district: District) -> None:
    receiver = district.coordinator
    writer, card = pinned_writer(receiver)
    data = build(writer, card, chunk_size=32768)
    before = snapshot(receiver)
    with pytest.raises(BundleRejected) as refused:
        receiver.bundles.import_bundle(data)
    assert refused.value.reason is RejectReason.HEADER
    assert_only_one_rejection(receiver, before, "chunk size 32768")
    # The same content in 64 KiB chunks is accepted: only the chunk size was wrong.
    assert receiver.bundles.import_bundle(build(writer, card)).attachments == 1


def _with_field(**change: Any) -> dict[str, Any]:
    data = referral_data()
    data["form"] = [{**FORM[0], **change}, *FORM[1:]]
    return data


def _with_values(**change: Any) -> dict[str, Any]:
    data = referral_data()
    data["values"] = {**VALUES, **change}
    return data


BAD_DATA = {
    "required as a string": _with_field(required="no"),
    "order as a string": _with_field(order="10"),
    "an extra key in a field": {**referral_data(), "form": [{**FORM[0], "hint": "x"}, *FORM[1:]]},
    "a field without builtin": {
        **referral_data(),
        "form": [{k: v for k, v in FORM[0].items() if k != "builtin"}, *FORM[1:]],
    },
    "a field key twice": {**referral_data(), "form": [*FORM, FORM[1]]},
    "a field key in capitals": _with_field(key="Programme"),
    "an unknown section": _with_field(section="diverse"),
    "a choice code as a number": _with_field(choices=[[1, "Et", "One"]]),
    "a programme outside the four": {
        **referral_data(),
        "form": [{**FORM[0], "choices": [*PROGRAMMES, ["exit_x", "X", "X"]]}, *FORM[1:]],
        "values": {**VALUES, "programme": "exit_x"},
    },
    "no programme": {
        **referral_data(),
        "values": {k: v for k, v in VALUES.items() if k != "programme"},
    },
    "yes/no/unknown as a word": _with_values(person_consent="yes"),
    "a date in Danish order": _with_values(person_birth_date="14-03-2009"),
    "a value of a field not in the form": _with_values(cpr="0101901234"),
    "a number as a value": _with_values(skolens_vurdering=3),
    "sent_on not a date": {**referral_data(), "sent_on": "1. december 2026"},
}


@pytest.mark.parametrize("name", list(BAD_DATA))
def test_referral_data_outside_section_4_is_refused(district: District, name: str) -> None:
    """§4 / §6 step 6: the form and values exactly as specified, or `payload`."""
    receiver = district.coordinator
    writer, card = pinned_writer(receiver)
    before = snapshot(receiver)
    with pytest.raises(BundleRejected) as refused:
        receiver.bundles.import_bundle(build(writer, card, data=BAD_DATA[name]))
    assert refused.value.reason is RejectReason.PAYLOAD, name
    assert_only_one_rejection(receiver, before, name)
