"""User key pairs: sealing under the passphrase key, fingerprints, HPKE key transport."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infohus_desktop.crypto import keys
from infohus_desktop.crypto.kdf import KdfParams
from infohus_desktop.crypto.keys import (
    KemPrivateKey,
    PublicKeys,
    UserKeyPair,
    fingerprint,
    group_key_info,
    hpke_seal,
    normalize_fingerprint,
)
from infohus_desktop.domain.errors import TamperedData, WrongPassphrase

PARAMS = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=4)
MEMBER = uuid.UUID("11111111-1111-4111-8111-111111111111")
OTHER_MEMBER = uuid.UUID("22222222-2222-4222-8222-222222222222")
VAULT = uuid.UUID("33333333-3333-4333-8333-333333333333")
GROUP = uuid.UUID("44444444-4444-4444-8444-444444444444")
OTHER_GROUP = uuid.UUID("55555555-5555-4555-8555-555555555555")
FINGERPRINT_RE = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){7}$")
RAW_BYTES = 1 + 64 + 32 + 32


@pytest.fixture(scope="module")
def pair() -> UserKeyPair:
    return UserKeyPair.generate()


@pytest.fixture(scope="module")
def passphrase_key() -> bytes:
    return os.urandom(32)


@pytest.fixture(scope="module")
def sealed(pair: UserKeyPair, passphrase_key: bytes) -> bytes:
    return pair.seal(passphrase_key, MEMBER, PARAMS)


def _same_keys(a: UserKeyPair, b: UserKeyPair) -> bool:
    return a.kem.raw() == b.kem.raw() and (
        a.signing.private_bytes_raw() == b.signing.private_bytes_raw()
    )


# --- sealing ------------------------------------------------------------------------------


def test_seal_unseal_round_trip(pair: UserKeyPair, passphrase_key: bytes, sealed: bytes) -> None:
    opened = UserKeyPair.unseal(sealed, passphrase_key, MEMBER, PARAMS)
    assert _same_keys(opened, pair)
    assert opened.public() == pair.public()
    message = b"checkpoint 100"
    pair.public().verify_key().verify(opened.sign(message), message)


def test_sealed_blob_hides_the_private_keys(pair: UserKeyPair, sealed: bytes) -> None:
    assert len(sealed) == keys.NONCE_BYTES + RAW_BYTES + 16
    assert pair.kem.raw() not in sealed
    assert pair.signing.private_bytes_raw() not in sealed


def test_each_seal_uses_a_fresh_nonce(pair: UserKeyPair, passphrase_key: bytes) -> None:
    blobs = {pair.seal(passphrase_key, MEMBER, PARAMS) for _ in range(50)}
    assert len(blobs) == 50
    assert len({blob[: keys.NONCE_BYTES] for blob in blobs}) == 50


def test_wrong_passphrase_key_raises(sealed: bytes) -> None:
    with pytest.raises(WrongPassphrase):
        UserKeyPair.unseal(sealed, os.urandom(32), MEMBER, PARAMS)


def test_right_key_other_member_raises(passphrase_key: bytes, sealed: bytes) -> None:
    with pytest.raises(WrongPassphrase):
        UserKeyPair.unseal(sealed, passphrase_key, OTHER_MEMBER, PARAMS)


@pytest.mark.parametrize(
    "params",
    [
        KdfParams(64 * 1024, 3, 1),
        KdfParams(64 * 1024, 1, 4),
        KdfParams(32 * 1024, 3, 4),
        KdfParams(128 * 1024, 3, 4),
        KdfParams(64 * 1024, 4, 4),
    ],
)
def test_right_key_other_params_raises(
    passphrase_key: bytes, sealed: bytes, params: KdfParams
) -> None:
    with pytest.raises(WrongPassphrase):
        UserKeyPair.unseal(sealed, passphrase_key, MEMBER, params)


def test_thousand_random_wrong_keys_one_message(sealed: bytes) -> None:
    messages_en: set[str] = set()
    messages_da: set[str] = set()
    strs: set[str] = set()
    for _ in range(1000):
        with pytest.raises(WrongPassphrase) as info:
            UserKeyPair.unseal(sealed, os.urandom(32), MEMBER, PARAMS)
        strs.add(str(info.value))
        messages_en.add(info.value.en)
        messages_da.add(info.value.da)
    assert len(strs) == 1
    assert messages_en == {"Wrong user or passphrase."}
    assert messages_da == {"Forkert bruger eller adgangsfrase."}


def test_every_unseal_failure_gives_the_same_message(
    pair: UserKeyPair, passphrase_key: bytes, sealed: bytes
) -> None:
    reference = str(WrongPassphrase())
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    cases = [
        (sealed, os.urandom(32), MEMBER, PARAMS),
        (sealed, passphrase_key, OTHER_MEMBER, PARAMS),
        (sealed, passphrase_key, MEMBER, KdfParams(64 * 1024, 4, 4)),
        (bytes(flipped), passphrase_key, MEMBER, PARAMS),
        (sealed[:-1], passphrase_key, MEMBER, PARAMS),
        (sealed[:12], passphrase_key, MEMBER, PARAMS),
        (sealed[:5], passphrase_key, MEMBER, PARAMS),
        (b"", passphrase_key, MEMBER, PARAMS),
        (sealed, passphrase_key[:16], MEMBER, PARAMS),  # AES-128 key: still "wrong passphrase"
        (sealed, b"short", MEMBER, PARAMS),
    ]
    for blob, key, member, params in cases:
        with pytest.raises(WrongPassphrase) as info:
            UserKeyPair.unseal(blob, key, member, params)
        assert str(info.value) == reference


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(bytes([2]) + bytes(RAW_BYTES - 1), id="wrong-version"),
        pytest.param(bytes([1]) + bytes(RAW_BYTES - 2), id="too-short"),
        pytest.param(bytes([1]) + bytes(RAW_BYTES), id="too-long"),
        pytest.param(b"", id="empty"),
    ],
)
def test_authentic_but_malformed_payload_is_refused(passphrase_key: bytes, raw: bytes) -> None:
    nonce = os.urandom(12)
    blob = nonce + AESGCM(passphrase_key).encrypt(nonce, raw, keys._seal_ad(MEMBER, PARAMS))
    with pytest.raises(WrongPassphrase):
        UserKeyPair.unseal(blob, passphrase_key, MEMBER, PARAMS)


def test_every_flipped_bit_of_the_sealed_blob_is_refused(
    passphrase_key: bytes, sealed: bytes
) -> None:
    for position in range(len(sealed)):
        for bit in (0, 3, 7):
            blob = bytearray(sealed)
            blob[position] ^= 1 << bit
            with pytest.raises(WrongPassphrase):
                UserKeyPair.unseal(bytes(blob), passphrase_key, MEMBER, PARAMS)


# --- public keys and fingerprints ---------------------------------------------------------


def test_public_key_lengths(pair: UserKeyPair) -> None:
    public = pair.public()
    assert len(public.kem) == 1184 + 32
    assert len(public.sign) == 32
    assert public.kem == pair.kem.public_bytes()


@pytest.mark.parametrize(
    ("kem_len", "sign_len"),
    [
        (1215, 32),
        (1217, 32),
        (1184, 32),
        (32, 32),
        (0, 32),
        (1216, 31),
        (1216, 33),
        (1216, 0),
        (1216, 64),
        (0, 0),
    ],
)
def test_public_keys_with_wrong_lengths_rejected(kem_len: int, sign_len: int) -> None:
    with pytest.raises(TamperedData):
        PublicKeys(bytes(kem_len), bytes(sign_len))


def test_fingerprint_format(pair: UserKeyPair) -> None:
    fp = fingerprint(pair.public())
    assert FINGERPRINT_RE.fullmatch(fp), fp
    assert pair.public().fingerprint() == fp
    assert fingerprint(pair.public()) == fp  # deterministic


def test_fingerprint_changes_with_either_key(pair: UserKeyPair) -> None:
    public = pair.public()
    base = fingerprint(public)
    seen = {base}
    for position in (0, 500, 1183, 1184, 1215):
        kem = bytearray(public.kem)
        kem[position] ^= 1
        seen.add(fingerprint(PublicKeys(bytes(kem), public.sign)))
    for position in (0, 16, 31):
        sign = bytearray(public.sign)
        sign[position] ^= 0x80
        seen.add(fingerprint(PublicKeys(public.kem, bytes(sign))))
    assert len(seen) == 1 + 5 + 3
    for fp in seen:
        assert FINGERPRINT_RE.fullmatch(fp)


def test_fingerprints_of_different_members_differ() -> None:
    fps = {UserKeyPair.generate().public().fingerprint() for _ in range(5)}
    assert len(fps) == 5


def test_normalize_fingerprint(pair: UserKeyPair) -> None:
    fp = pair.public().fingerprint()
    compact = fp.replace(" ", "")
    assert normalize_fingerprint(fp) == fp
    assert normalize_fingerprint(compact) == fp
    assert normalize_fingerprint(compact.lower()) == fp
    assert normalize_fingerprint("-".join(fp.lower().split())) == fp
    assert normalize_fingerprint(f"  {fp[:9]}\n{fp[9:]}  ") == fp
    assert normalize_fingerprint("ab cd-ef:01 2") == "ABCD EF01 2"
    assert normalize_fingerprint("") == ""
    other = normalize_fingerprint(compact[:-1] + ("0" if compact[-1] != "0" else "1"))
    assert other != fp


# --- HPKE ---------------------------------------------------------------------------------


def test_group_key_info_binds_every_field() -> None:
    base = group_key_info(VAULT, GROUP, 7, MEMBER)
    variants = {
        group_key_info(uuid.uuid4(), GROUP, 7, MEMBER),
        group_key_info(VAULT, OTHER_GROUP, 7, MEMBER),
        group_key_info(VAULT, GROUP, 8, MEMBER),
        group_key_info(VAULT, GROUP, 7, OTHER_MEMBER),
        group_key_info(VAULT, MEMBER, 7, GROUP),  # group and member swapped
    }
    assert base not in variants
    assert len(variants) == 5


def test_hpke_round_trip_with_group_key_info(pair: UserKeyPair) -> None:
    group_key = os.urandom(32)
    info = group_key_info(VAULT, GROUP, 1, MEMBER)
    sealed = hpke_seal(group_key, pair.public(), info)
    assert group_key not in sealed
    assert pair.kem.open(sealed, info) == group_key
    # The raw public KEM bytes work as recipient too.
    assert pair.kem.open(hpke_seal(group_key, pair.public().kem, info), info) == group_key


def test_hpke_seal_is_randomised(pair: UserKeyPair) -> None:
    info = group_key_info(VAULT, GROUP, 1, MEMBER)
    assert hpke_seal(b"k" * 32, pair.public(), info) != hpke_seal(b"k" * 32, pair.public(), info)


@pytest.mark.parametrize(
    "other_info",
    [
        pytest.param(group_key_info(VAULT, OTHER_GROUP, 1, MEMBER), id="other-group"),
        pytest.param(group_key_info(VAULT, GROUP, 2, MEMBER), id="other-epoch"),
        pytest.param(group_key_info(VAULT, GROUP, 0, MEMBER), id="earlier-epoch"),
        pytest.param(group_key_info(VAULT, GROUP, 1, OTHER_MEMBER), id="other-member"),
        pytest.param(group_key_info(OTHER_GROUP, GROUP, 1, MEMBER), id="other-vault"),
        pytest.param(b"", id="empty-info"),
    ],
)
def test_hpke_open_with_other_info_is_tampered(pair: UserKeyPair, other_info: bytes) -> None:
    sealed = hpke_seal(os.urandom(32), pair.public(), group_key_info(VAULT, GROUP, 1, MEMBER))
    with pytest.raises(TamperedData):
        pair.kem.open(sealed, other_info)


def test_hpke_open_by_another_member_is_tampered(pair: UserKeyPair) -> None:
    info = group_key_info(VAULT, GROUP, 1, MEMBER)
    sealed = hpke_seal(os.urandom(32), pair.public(), info)
    with pytest.raises(TamperedData):
        KemPrivateKey.generate().open(sealed, info)


def test_hpke_modified_or_truncated_ciphertext_is_tampered(pair: UserKeyPair) -> None:
    info = group_key_info(VAULT, GROUP, 1, MEMBER)
    sealed = hpke_seal(os.urandom(32), pair.public(), info)
    for position in (0, 100, 1087, 1088, 1119, 1120, len(sealed) - 17, len(sealed) - 1):
        blob = bytearray(sealed)
        blob[position] ^= 1
        with pytest.raises(TamperedData):
            pair.kem.open(bytes(blob), info)
    for length in (0, 1, 32, 1120, len(sealed) - 1):
        with pytest.raises(TamperedData):
            pair.kem.open(sealed[:length], info)


def test_kem_from_secret_is_deterministic_and_label_separated() -> None:
    secret = os.urandom(32)
    a = KemPrivateKey.from_secret(secret, b"infohus/audit/v1")
    b = KemPrivateKey.from_secret(secret, b"infohus/audit/v1")
    assert a.raw() == b.raw()
    assert a.public_bytes() == b.public_bytes()
    assert len(a.raw()) == 64 + 32
    other_label = KemPrivateKey.from_secret(secret, b"infohus/audit/v2")
    other_secret = KemPrivateKey.from_secret(os.urandom(32), b"infohus/audit/v1")
    for other in (other_label, other_secret):
        assert other.raw()[:64] != a.raw()[:64]
        assert other.raw()[64:] != a.raw()[64:]
        assert other.public_bytes() != a.public_bytes()
    info = b"audit detail"
    sealed = hpke_seal(b"detail", a.public_bytes(), info)
    assert b.open(sealed, info) == b"detail"
    with pytest.raises(TamperedData):
        other_label.open(sealed, info)


def test_generated_kem_keys_differ() -> None:
    assert KemPrivateKey.generate().raw() != KemPrivateKey.generate().raw()


def test_user_key_pair_sign_verifies_with_its_public_key(pair: UserKeyPair) -> None:
    signature = pair.sign(b"hello")
    ed25519.Ed25519PublicKey.from_public_bytes(pair.public().sign).verify(signature, b"hello")
    assert pair.public().verify_key().public_bytes_raw() == pair.public().sign


def test_new_symmetric_key() -> None:
    key_set = {keys.new_symmetric_key() for _ in range(100)}
    assert len(key_set) == 100
    assert all(len(k) == 32 for k in key_set)
