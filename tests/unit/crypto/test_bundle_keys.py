"""Bundle identities, key cards and the strict canonical JSON reader."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from infohus_desktop.crypto.bundle_keys import BundleIdentity, decode_card, encode_card
from infohus_desktop.crypto.keys import PublicKeys, fingerprint
from infohus_desktop.crypto.strict_json import StrictJsonError, loads_canonical, nesting_depth
from infohus_desktop.domain.errors import InvalidInput

VAULT = uuid.uuid4()
SECRET = os.urandom(32)


def test_identity_is_a_function_of_its_secret() -> None:
    a = BundleIdentity(VAULT, "Infohus Østjylland", SECRET)
    b = BundleIdentity(VAULT, "Infohus Østjylland", SECRET)
    c = BundleIdentity(VAULT, "Infohus Østjylland", os.urandom(32))
    assert a.public() == b.public() and a.fingerprint == b.fingerprint
    assert a.fingerprint != c.fingerprint
    assert a.fingerprint == fingerprint(a.public())


def test_key_card_round_trip_and_format() -> None:
    ident = BundleIdentity(VAULT, "Infohus Østjylland", SECRET)
    data = encode_card(ident.card(), ident.signing)
    assert data.endswith(b"\n")
    obj = json.loads(data)
    assert obj["fingerprint"] == ident.fingerprint
    assert obj["organisation"] == "Infohus Østjylland" and obj["vault"] == str(VAULT)
    card = decode_card(data)
    assert card == ident.card()
    assert card.fingerprint == ident.fingerprint


def _edit(data: bytes, **changes: object) -> bytes:
    obj = json.loads(data)
    obj.update(changes)
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "change",
    [
        {"organisation": "Someone Else"},  # the self-signature covers the name
        {"vault": str(uuid.uuid4())},
        {"fingerprint": "0000 0000 0000 0000 0000 0000 0000 0000"},
        {"type": "infohus-member-key"},
        {"v": 2},
        {"extra": 1},
    ],
    ids=["name", "vault", "fingerprint", "type", "version", "extra"],
)
def test_altered_key_card_is_refused(change: dict[str, object]) -> None:
    ident = BundleIdentity(VAULT, "Infohus Østjylland", SECRET)
    with pytest.raises(InvalidInput):
        decode_card(_edit(encode_card(ident.card(), ident.signing), **change))


def test_key_card_with_swapped_keys_is_refused() -> None:
    """Another identity's keys with a recomputed fingerprint: the signature no longer holds."""
    ident = BundleIdentity(VAULT, "Infohus Østjylland", SECRET)
    other = BundleIdentity(VAULT, "Infohus Østjylland", os.urandom(32))
    theirs = json.loads(encode_card(other.card(), other.signing))
    forged = _edit(
        encode_card(ident.card(), ident.signing),
        kem=theirs["kem"],
        fingerprint=fingerprint(PublicKeys(other.public().kem, ident.public().sign)),
    )
    with pytest.raises(InvalidInput):
        decode_card(forged)


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"{}", b'{"a": 1}', b"\xff", b"[" * 100 + b"]" * 100],
)
def test_garbage_is_not_a_key_card(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        decode_card(data)


def test_strict_json_accepts_exactly_the_canonical_form() -> None:
    assert loads_canonical(b'{"a":[1,"\xc3\xb8",null,true],"b":{}}', 100) == {
        "a": [1, "ø", None, True],
        "b": {},
    }
    for bad in (
        b'{"b":1,"a":2}',
        b'{"a": 1}',
        b'{"a":1,"a":1}',
        b'{"a":"\\u00f8"}',
        b'{"a":1.0}',
        b'{"a":NaN}',
        b'{"a":9007199254740993}',
        b'{"a":"\\ud800"}',
        b'{"a":"\xed\xa0\x80"}',
        b'{"a":1}\n',
        b"\xef\xbb\xbf{}",
        b'{"a":' + b"1" * 5000 + b"}",
    ):
        with pytest.raises(StrictJsonError):
            loads_canonical(bad, 100_000)
    with pytest.raises(StrictJsonError, match="too large"):
        loads_canonical(b'{"a":1}', 6)


def test_nesting_is_counted_without_recursion() -> None:
    assert nesting_depth('{"a":[{"b":"[[[["}]}') == 3
    assert nesting_depth("[" * 100_000 + "]" * 100_000) == 100_000
    with pytest.raises(StrictJsonError, match="nested"):
        loads_canonical(b"[" * 33 + b"]" * 33, 1000)
    assert loads_canonical(b"[" * 32 + b"]" * 32, 1000) is not None
