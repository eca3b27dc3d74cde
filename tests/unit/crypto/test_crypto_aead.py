"""Field encryption: format, tamper detection, context binding, nonces, key wrapping."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infohus_desktop.crypto import aead
from infohus_desktop.crypto.aead import (
    Ciphertext,
    FieldContext,
    FieldKey,
    associated_data,
    unwrap_key,
    wrap_key,
)
from infohus_desktop.domain.errors import TamperedData

KEY_ID = uuid.UUID("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")
ROW = uuid.UUID("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb")
CASE = uuid.UUID("cccccccc-cccc-4ccc-8ccc-cccccccccccc")
CTX = FieldContext("person", "name", ROW, CASE)
# About 40 bytes of plaintext, as the brief's "one ~40-byte value".
VALUE = "Jens Jørgensen, Søndergade 12, 8000 Aarhus".encode()


def _lp(*parts: bytes) -> bytes:
    """The length prefix of SECURITY.md, written independently of the module under test."""
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


@pytest.fixture(scope="module")
def key() -> FieldKey:
    return FieldKey(KEY_ID, os.urandom(32))


# --- round trip and format ----------------------------------------------------------------


def test_round_trip(key: FieldKey) -> None:
    for plaintext in (b"", b"x", VALUE, os.urandom(70_000)):
        ct = key.encrypt(plaintext, CTX)
        assert isinstance(ct, Ciphertext)
        assert key.decrypt(ct, CTX) == plaintext
        assert key.decrypt(bytes(ct), CTX) == plaintext  # as read back from the database


def test_text_round_trip(key: FieldKey) -> None:
    text = "Bekymring: æøå ÆØÅ – “citat” 😀"
    ct = key.encrypt_text(text, CTX)
    assert text.encode() not in ct
    assert key.decrypt_text(ct, CTX) == text


def test_case_id_may_be_absent(key: FieldKey) -> None:
    ctx = FieldContext("trend_note", "body", ROW)
    assert ctx.case_id is None
    ct = key.encrypt(VALUE, ctx)
    assert key.decrypt(ct, ctx) == VALUE
    with pytest.raises(TamperedData):
        key.decrypt(ct, FieldContext("trend_note", "body", ROW, CASE))


def test_format_matches_security_md(key: FieldKey) -> None:
    raw_key = os.urandom(32)
    fk = FieldKey(KEY_ID, raw_key)
    ct = fk.encrypt(VALUE, CTX)
    assert len(ct) == 1 + 16 + 12 + len(VALUE) + 16
    assert ct[0] == 1
    assert ct[1:17] == KEY_ID.bytes
    nonce = ct[17:29]
    expected_ad = bytes([1]) + _lp(b"person", b"name", ROW.bytes, CASE.bytes, KEY_ID.bytes)
    assert associated_data(CTX, KEY_ID) == expected_ad
    assert AESGCM(raw_key).decrypt(nonce, ct[29:], expected_ad) == VALUE
    assert VALUE not in ct


def test_ciphertext_key_id(key: FieldKey) -> None:
    ct = key.encrypt(VALUE, CTX)
    assert ct.key_id == KEY_ID
    other_id = uuid.uuid4()
    assert FieldKey(other_id, os.urandom(32)).encrypt(b"", CTX).key_id == other_id


@pytest.mark.parametrize("length", [0, 1, 17, 28, 29, 44])
def test_ciphertext_key_id_of_a_too_short_value_is_tampered(length: int) -> None:
    with pytest.raises(TamperedData):
        _ = Ciphertext(bytes(length)).key_id


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_field_key_must_be_256_bits(length: int) -> None:
    with pytest.raises(ValueError, match="256 bits"):
        FieldKey(KEY_ID, bytes(length))


# --- tampering ----------------------------------------------------------------------------


def test_every_single_bit_flip_is_detected(key: FieldKey) -> None:
    ct = bytes(key.encrypt(VALUE, CTX))
    assert 35 <= len(VALUE) <= 45
    assert len(ct) == 29 + len(VALUE) + 16
    returned = []
    for position in range(len(ct)):
        for bit in range(8):
            mutated = bytearray(ct)
            mutated[position] ^= 1 << bit
            try:
                returned.append((position, bit, key.decrypt(bytes(mutated), CTX)))
            except TamperedData:
                continue
    assert returned == []
    assert key.decrypt(ct, CTX) == VALUE


def test_truncation_at_every_length_is_detected(key: FieldKey) -> None:
    ct = bytes(key.encrypt(VALUE, CTX))
    for length in range(len(ct)):
        with pytest.raises(TamperedData):
            key.decrypt(ct[:length], CTX)


def test_appended_or_prefixed_bytes_are_detected(key: FieldKey) -> None:
    ct = bytes(key.encrypt(VALUE, CTX))
    for mutated in (ct + b"\x00", ct + ct, b"\x01" + ct, ct[:29] + ct[30:]):
        with pytest.raises(TamperedData):
            key.decrypt(mutated, CTX)


def test_other_version_is_refused_even_if_authentic() -> None:
    raw_key = os.urandom(32)
    fk = FieldKey(KEY_ID, raw_key)
    nonce = os.urandom(12)
    ad = bytes([2]) + associated_data(CTX, KEY_ID)[1:]
    forged = bytes([2]) + KEY_ID.bytes + nonce + AESGCM(raw_key).encrypt(nonce, VALUE, ad)
    with pytest.raises(TamperedData):
        fk.decrypt(forged, CTX)


def test_key_id_is_bound_by_associated_data_not_just_the_header() -> None:
    """Same key bytes under another id: rewriting the header id must not help."""
    raw_key = os.urandom(32)
    original = FieldKey(KEY_ID, raw_key)
    other_id = uuid.uuid4()
    same_bytes_other_id = FieldKey(other_id, raw_key)
    ct = bytes(original.encrypt(VALUE, CTX))
    relabelled = ct[:1] + other_id.bytes + ct[17:]
    with pytest.raises(TamperedData):
        same_bytes_other_id.decrypt(relabelled, CTX)
    with pytest.raises(TamperedData):
        same_bytes_other_id.decrypt(ct, CTX)


def test_length_prefix_prevents_table_column_ambiguity(key: FieldKey) -> None:
    ct = key.encrypt(VALUE, FieldContext("ab", "c", ROW, CASE))
    for ctx in (FieldContext("a", "bc", ROW, CASE), FieldContext("abc", "", ROW, CASE)):
        with pytest.raises(TamperedData):
            key.decrypt(ct, ctx)


# --- moved ciphertexts --------------------------------------------------------------------

Move = Callable[[random.Random, FieldKey, FieldContext], tuple[FieldKey, FieldContext]]
TABLES = ["person", "case", "assessment", "journal", "referral", "meeting", "trend_note"]
COLUMNS = ["name", "cpr", "address", "body", "title", "file_name", "justification"]


def _random_ctx(rng: random.Random) -> FieldContext:
    case = uuid.UUID(int=rng.getrandbits(128), version=4) if rng.random() < 0.8 else None
    return FieldContext(
        rng.choice(TABLES),
        rng.choice(COLUMNS),
        uuid.UUID(int=rng.getrandbits(128), version=4),
        case,
    )


def _other(rng: random.Random, choices: list[str], current: str) -> str:
    return rng.choice([c for c in choices if c != current])


def _move_row(rng: random.Random, k: FieldKey, c: FieldContext) -> tuple[FieldKey, FieldContext]:
    return k, FieldContext(
        c.table, c.column, uuid.UUID(int=rng.getrandbits(128), version=4), c.case_id
    )


def _move_column(rng: random.Random, k: FieldKey, c: FieldContext) -> tuple[FieldKey, FieldContext]:
    return k, FieldContext(c.table, _other(rng, COLUMNS, c.column), c.row_id, c.case_id)


def _move_table(rng: random.Random, k: FieldKey, c: FieldContext) -> tuple[FieldKey, FieldContext]:
    return k, FieldContext(_other(rng, TABLES, c.table), c.column, c.row_id, c.case_id)


def _move_case(rng: random.Random, k: FieldKey, c: FieldContext) -> tuple[FieldKey, FieldContext]:
    options: list[uuid.UUID | None] = [uuid.UUID(int=rng.getrandbits(128), version=4)]
    if c.case_id is not None:
        options.append(None)
    return k, FieldContext(c.table, c.column, c.row_id, rng.choice(options))


def _move_key_other_id(
    rng: random.Random, k: FieldKey, c: FieldContext
) -> tuple[FieldKey, FieldContext]:
    return FieldKey(uuid.UUID(int=rng.getrandbits(128), version=4), os.urandom(32)), c


def _move_key_same_id(
    rng: random.Random, k: FieldKey, c: FieldContext
) -> tuple[FieldKey, FieldContext]:
    return FieldKey(k.key_id, os.urandom(32)), c


MOVES: dict[str, Move] = {
    "row": _move_row,
    "column": _move_column,
    "table": _move_table,
    "case": _move_case,
    "key-other-id": _move_key_other_id,
    "key-same-id-other-bytes": _move_key_same_id,
}


def test_moved_ciphertexts_are_all_rejected() -> None:
    rng = random.Random(20240917)
    per_kind = 100
    pairs: set[tuple[bytes, str, FieldContext, uuid.UUID]] = set()
    failures: list[tuple[str, FieldContext, FieldContext]] = []
    counts = dict.fromkeys(MOVES, 0)
    for kind, move in MOVES.items():
        for _ in range(per_kind):
            source_key = FieldKey(uuid.UUID(int=rng.getrandbits(128), version=4), os.urandom(32))
            ctx = _random_ctx(rng)
            plaintext = rng.randbytes(rng.randrange(0, 64))
            ct = source_key.encrypt(plaintext, ctx)
            assert source_key.decrypt(ct, ctx) == plaintext  # control: it is where it belongs
            target_key, target_ctx = move(rng, source_key, ctx)
            assert (target_key is not source_key) or (target_ctx != ctx)
            pairs.add((bytes(ct), kind, target_ctx, target_key.key_id))
            try:
                target_key.decrypt(ct, target_ctx)
            except TamperedData:
                counts[kind] += 1
            else:
                failures.append((kind, ctx, target_ctx))
    assert failures == []
    assert len(pairs) == len(MOVES) * per_kind >= 500
    assert all(n >= 100 for n in counts.values()), counts


# --- nonces -------------------------------------------------------------------------------


def test_no_repeated_nonce_in_100000_encryptions(key: FieldKey) -> None:
    n = 100_000
    nonces = {bytes(key.encrypt(b"", CTX))[17:29] for _ in range(n)}
    assert len(nonces) == n


# --- key wrapping -------------------------------------------------------------------------


def test_wrap_unwrap_round_trip() -> None:
    wrapping = os.urandom(32)
    case_key = os.urandom(32)
    label = b"case:" + CASE.bytes + b"/group:" + ROW.bytes + b"/epoch:1"
    wrapped = wrap_key(wrapping, case_key, label)
    assert case_key not in wrapped
    assert len(wrapped) == 12 + 32 + 16
    assert unwrap_key(wrapping, wrapped, label) == case_key
    assert wrap_key(wrapping, case_key, label) != wrapped  # fresh nonce
    ad = _lp(b"infohus/data-key/v1", label)
    assert AESGCM(wrapping).decrypt(wrapped[:12], wrapped[12:], ad) == case_key


def test_unwrap_with_wrong_label_or_key_is_tampered() -> None:
    wrapping = os.urandom(32)
    label = b"case:1/epoch:1"
    wrapped = wrap_key(wrapping, os.urandom(32), label)
    for wrong_label in (b"case:1/epoch:2", b"case:2/epoch:1", b"", label + b"\x00", label[:-1]):
        with pytest.raises(TamperedData):
            unwrap_key(wrapping, wrapped, wrong_label)
    with pytest.raises(TamperedData):
        unwrap_key(os.urandom(32), wrapped, label)
    for length in range(len(wrapped)):
        with pytest.raises(TamperedData):
            unwrap_key(wrapping, wrapped[:length], label)
    for position in range(len(wrapped)):
        mutated = bytearray(wrapped)
        mutated[position] ^= 0x10
        with pytest.raises(TamperedData):
            unwrap_key(wrapping, bytes(mutated), label)


def test_tampered_message_is_the_documented_one(key: FieldKey) -> None:
    with pytest.raises(TamperedData) as info:
        key.decrypt(b"", CTX)
    assert info.value.en == aead.tampered().en
    assert "altered" in info.value.en


# --- the associated data from a cached prefix (issue 17) -------------------------------------


def _old_associated_data(ctx: FieldContext, key_id: uuid.UUID) -> bytes:
    """The construction before the prefix was cached, written out: version ‖ lp(table,
    column, row id, case id or 16 zero bytes, key id)."""
    case = ctx.case_id.bytes if ctx.case_id is not None else bytes(16)
    return bytes([1]) + _lp(
        ctx.table.encode(), ctx.column.encode(), ctx.row_id.bytes, case, key_id.bytes
    )


@pytest.mark.parametrize(
    ("table", "column"),
    [("cases", "meta"), ("cases", "person"), ("person", "name"), ("", ""), ("æøå", "x" * 300)],
)
@pytest.mark.parametrize("with_case", [True, False])
def test_cached_prefix_gives_the_same_associated_data(
    table: str, column: str, with_case: bool
) -> None:
    for _ in range(20):
        ctx = FieldContext(table, column, uuid.uuid4(), uuid.uuid4() if with_case else None)
        key_id = uuid.uuid4()
        old = _old_associated_data(ctx, key_id)
        assert associated_data(ctx, key_id) == old
        case = ctx.case_id.bytes if ctx.case_id is not None else bytes(16)
        prefix = aead.field_prefix(table, column)
        assert aead.bound_data(prefix, ctx.row_id.bytes, case, key_id.bytes) == old
        binding = aead.row_binding(ctx.row_id.bytes, case)
        assert prefix + binding + _lp(key_id.bytes) == old


def test_bound_data_refuses_ids_that_are_not_16_bytes() -> None:
    prefix = aead.field_prefix("cases", "meta")
    with pytest.raises(ValueError, match="16 bytes"):
        aead.bound_data(prefix, ROW.bytes[:15], CASE.bytes, KEY_ID.bytes)
    with pytest.raises(ValueError, match="16 bytes"):
        aead.bound_data(prefix, ROW.bytes, CASE.bytes + b"\x00", KEY_ID.bytes)
    with pytest.raises(ValueError, match="16 bytes"):
        aead.bound_data(prefix, ROW.bytes, CASE.bytes, KEY_ID.bytes * 2)
    with pytest.raises(ValueError, match="16 bytes"):
        aead.row_binding(ROW.bytes, b"")


def test_bulk_decrypt_opens_what_encrypt_sealed_and_nothing_moved() -> None:
    """``decrypt_at`` with a key made from its id's bytes opens exactly what ``decrypt``
    opens: a value of another row, column or case, or under another key id, is tampered."""
    raw_key = os.urandom(32)
    sealed = FieldKey(KEY_ID, raw_key).encrypt(VALUE, CTX)
    bulk = FieldKey.from_id_bytes(KEY_ID.bytes, raw_key)
    assert bulk.key_id == KEY_ID
    prefix = aead.field_prefix(CTX.table, CTX.column)
    assert bulk.decrypt_at(bytes(sealed), prefix, aead.row_binding(ROW.bytes, CASE.bytes)) == VALUE
    assert bulk.decrypt(sealed, CTX) == VALUE
    other = uuid.uuid4().bytes
    binding = aead.row_binding(ROW.bytes, CASE.bytes)
    for wrong_prefix, wrong_binding in (
        (aead.field_prefix(CTX.table, "other"), binding),
        (aead.field_prefix("other", CTX.column), binding),
        (prefix, aead.row_binding(other, CASE.bytes)),
        (prefix, aead.row_binding(ROW.bytes, other)),
        (prefix, aead.row_binding(ROW.bytes, bytes(16))),
        (prefix, aead.row_binding(CASE.bytes, ROW.bytes)),
    ):
        with pytest.raises(TamperedData):
            bulk.decrypt_at(bytes(sealed), wrong_prefix, wrong_binding)
    with pytest.raises(TamperedData):
        FieldKey.from_id_bytes(other, raw_key).decrypt_at(bytes(sealed), prefix, binding)
    with pytest.raises(ValueError, match="row_binding"):
        bulk.decrypt_at(bytes(sealed), prefix, binding[:-1])
    with pytest.raises(ValueError, match="16-byte id"):
        FieldKey.from_id_bytes(KEY_ID.bytes[:8], raw_key)


def test_key_unwrapper_is_unwrap_key_for_many_keys() -> None:
    wrapping = os.urandom(32)
    unwrapper = aead.KeyUnwrapper(wrapping)
    labels = [b"data-key" + uuid.uuid4().bytes for _ in range(5)]
    keys = [os.urandom(32) for _ in labels]
    wrapped = [wrap_key(wrapping, k, label) for k, label in zip(keys, labels, strict=True)]
    assert [unwrapper.unwrap(w, label) for w, label in zip(wrapped, labels, strict=True)] == keys
    with pytest.raises(TamperedData):
        unwrapper.unwrap(wrapped[0], labels[1])
    with pytest.raises(TamperedData):
        aead.KeyUnwrapper(os.urandom(32)).unwrap(wrapped[0], labels[0])
    with pytest.raises(TamperedData):
        aead.KeyUnwrapper(os.urandom(31))
