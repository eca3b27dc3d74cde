"""Argon2id key derivation: known answer, floor and caps, JSON parsing, NFKC, calibration."""

from __future__ import annotations

import json
import types
import unicodedata
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from infohus_desktop.crypto import kdf, selftest
from infohus_desktop.crypto.kdf import CAPS, PRODUCTION_FLOOR, KdfParams
from infohus_desktop.domain.errors import CryptoUnavailable, InvalidInput

# RFC 9106, section 5.3: Argon2id, version 0x13.
RFC9106_PASSWORD = bytes([0x01]) * 32
RFC9106_SALT = bytes([0x02]) * 16
RFC9106_SECRET = bytes([0x03]) * 8
RFC9106_AD = bytes([0x04]) * 12
RFC9106_TAG = bytes.fromhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")

CHEAP = KdfParams(memory_kib=64, iterations=1, lanes=1)
SALT = bytes(range(16))
DANISH = "blåbærgrød på æbleskiver"


@pytest.fixture
def production_floor() -> Iterator[None]:
    """Make sure the production floor is in force, whatever another test or conftest did."""
    previous = kdf.current_floor()
    kdf._set_floor_for_tests(PRODUCTION_FLOOR)
    yield
    kdf._set_floor_for_tests(previous)


@pytest.fixture
def cheap_floor() -> Iterator[KdfParams]:
    previous = kdf.current_floor()
    kdf._set_floor_for_tests(CHEAP)
    yield CHEAP
    kdf._set_floor_for_tests(previous)


class _MustNotRun:
    """Stands in for Argon2id: any construction is a failure of 'reject before any work'."""

    calls = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        type(self).calls += 1
        pytest.fail(f"Argon2id was constructed with {kwargs!r} although the params are invalid")


class _Recorder:
    """Stands in for Argon2id when the params are valid: records the call, does no work."""

    calls: list[dict[str, object]]

    def __init__(self, **kwargs: object) -> None:
        type(self).calls.append(kwargs)

    def derive(self, data: bytes) -> bytes:
        return b"\x00" * kdf.KEY_BYTES


# --- known answer -------------------------------------------------------------------------


def test_rfc9106_argon2id_vector_through_cryptography() -> None:
    tag = Argon2id(
        salt=RFC9106_SALT,
        length=32,
        iterations=3,
        lanes=4,
        memory_cost=32,
        ad=RFC9106_AD,
        secret=RFC9106_SECRET,
    ).derive(RFC9106_PASSWORD)
    assert tag == RFC9106_TAG


def test_selftest_uses_the_same_rfc9106_tag() -> None:
    assert bytes.fromhex(selftest._ARGON2ID_TAG) == RFC9106_TAG
    selftest.run_selftest()  # raises CryptoUnavailable on any mismatch


def broken_argon2id(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed `cryptography` whose Argon2id gives a wrong answer (also used by the
    window's self-test gate tests)."""
    import cryptography.hazmat.primitives.kdf.argon2 as argon2_module

    class WrongArgon2id:
        def __init__(self, **kwargs: object) -> None:
            pass

        def derive(self, data: bytes) -> bytes:
            return bytes(32)

    monkeypatch.setattr(argon2_module, "Argon2id", WrongArgon2id)


def test_selftest_detects_a_wrong_argon2id_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    broken_argon2id(monkeypatch)
    with pytest.raises(CryptoUnavailable, match="known-answer mismatch"):
        selftest.run_selftest()


def test_selftest_refuses_when_argon2id_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import cryptography.hazmat.primitives.kdf.argon2 as argon2_module

    monkeypatch.delattr(argon2_module, "Argon2id")
    with pytest.raises(CryptoUnavailable, match="ImportError"):
        selftest.run_selftest()


def test_selftest_detects_a_wrong_hpke_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    from infohus_desktop.crypto import keys

    monkeypatch.setattr(keys.KemPrivateKey, "open", lambda self, sealed, info: b"other")
    with pytest.raises(CryptoUnavailable, match="known-answer mismatch"):
        selftest.run_selftest()


# --- floor and caps -----------------------------------------------------------------------

BAD_PARAMS = [
    pytest.param(KdfParams(64 * 1024 - 1, 3, 4), id="m-below-floor"),
    pytest.param(KdfParams(32 * 1024, 3, 4), id="m-half-floor"),
    pytest.param(KdfParams(64 * 1024, 2, 4), id="t-below-floor"),
    pytest.param(KdfParams(64 * 1024, 3, 3), id="p-below-floor"),
    pytest.param(KdfParams(64 * 1024, 1, 1), id="all-below-floor"),
    pytest.param(KdfParams(0, 0, 0), id="zeros"),
    pytest.param(KdfParams(-1, 3, 4), id="m-negative"),
    pytest.param(KdfParams(4 * 1024 * 1024 + 1, 3, 4), id="m-above-cap"),
    pytest.param(KdfParams(2**40, 3, 4), id="m-absurd"),
    pytest.param(KdfParams(64 * 1024, 21, 4), id="t-above-cap"),
    pytest.param(KdfParams(64 * 1024, 2**31, 4), id="t-absurd"),
    pytest.param(KdfParams(64 * 1024, 3, 17), id="p-above-cap"),
    pytest.param(KdfParams(64 * 1024, 3, 2**20), id="p-absurd"),
]


@pytest.mark.usefixtures("production_floor")
@pytest.mark.parametrize("params", BAD_PARAMS)
def test_bad_params_rejected_before_any_work(
    params: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kdf, "Argon2id", _MustNotRun)
    _MustNotRun.calls = 0
    with pytest.raises(InvalidInput):
        params.validate()
    with pytest.raises(InvalidInput):
        kdf.derive_key("a long enough passphrase", SALT, params)
    assert _MustNotRun.calls == 0


@pytest.mark.usefixtures("production_floor")
@pytest.mark.parametrize(
    "params",
    [
        pytest.param(PRODUCTION_FLOOR, id="floor"),
        pytest.param(CAPS, id="caps"),
        pytest.param(KdfParams(64 * 1024, 20, 4), id="max-t"),
        pytest.param(KdfParams(4 * 1024 * 1024, 3, 16), id="max-m-max-p"),
    ],
)
def test_params_on_the_limits_reach_argon2id(
    params: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control for the test above: the patched name is the one derive_key really uses."""
    _Recorder.calls = []
    monkeypatch.setattr(kdf, "Argon2id", _Recorder)
    params.validate()
    assert kdf.derive_key("a long enough passphrase", SALT, params) == bytes(32)
    assert _Recorder.calls == [
        {
            "salt": SALT,
            "length": 32,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "memory_cost": params.memory_kib,
        }
    ]


@pytest.mark.usefixtures("production_floor")
@pytest.mark.parametrize("salt", [b"", bytes(15), bytes(17), bytes(32)])
def test_wrong_salt_length_rejected_before_any_work(
    salt: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kdf, "Argon2id", _MustNotRun)
    with pytest.raises(InvalidInput):
        kdf.derive_key("a long enough passphrase", salt, PRODUCTION_FLOOR)


def test_memory_must_cover_eight_blocks_per_lane(cheap_floor: KdfParams) -> None:
    with pytest.raises(InvalidInput):
        KdfParams(memory_kib=64, iterations=1, lanes=9).validate()
    KdfParams(memory_kib=72, iterations=1, lanes=9).validate()


def test_production_floor_and_caps_are_the_documented_ones() -> None:
    assert KdfParams(memory_kib=65536, iterations=3, lanes=4) == PRODUCTION_FLOOR
    assert KdfParams(memory_kib=4 * 1024 * 1024, iterations=20, lanes=16) == CAPS


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("production_floor")
def test_json_round_trip() -> None:
    params = KdfParams(128 * 1024, 4, 4)
    text = params.to_json()
    assert json.loads(text) == {"alg": "argon2id", "m": 131072, "t": 4, "p": 4}
    assert KdfParams.from_json(text) == params


@pytest.mark.usefixtures("production_floor")
@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"alg":"argon2id","m":1099511627776,"t":3,"p":4}', id="m-2**40"),
        pytest.param('{"alg":"argon2id","m":65536,"t":1000000,"p":4}', id="t-absurd"),
        pytest.param('{"alg":"argon2id","m":65536,"t":3,"p":255}', id="p-absurd"),
        pytest.param('{"alg":"argon2id","m":1024,"t":1,"p":1}', id="below-floor"),
        pytest.param('{"alg":"argon2id","m":-65536,"t":3,"p":4}', id="negative"),
        pytest.param('{"alg":"argon2i","m":65536,"t":3,"p":4}', id="argon2i"),
        pytest.param('{"alg":"scrypt","m":65536,"t":3,"p":4}', id="scrypt"),
        pytest.param('{"m":65536,"t":3,"p":4}', id="no-alg"),
        pytest.param('{"alg":"argon2id","t":3,"p":4}', id="no-m"),
        pytest.param('{"alg":"argon2id","m":65536,"p":4}', id="no-t"),
        pytest.param('{"alg":"argon2id","m":65536,"t":3}', id="no-p"),
        pytest.param('{"alg":"argon2id","m":"lots","t":3,"p":4}', id="m-text"),
        pytest.param('{"alg":"argon2id","m":null,"t":3,"p":4}', id="m-null"),
        pytest.param('{"alg":"argon2id","m":[65536],"t":3,"p":4}', id="m-list"),
        pytest.param('{"alg":"argon2id","m":{},"t":3,"p":4}', id="m-object"),
        pytest.param('{"alg":"argon2id","m":NaN,"t":3,"p":4}', id="m-nan"),
        pytest.param('{"alg":"argon2id","m":65536,"t":3,"p":4', id="truncated"),
        pytest.param("", id="empty"),
        pytest.param("null", id="null"),
        pytest.param("[]", id="list"),
        pytest.param('"argon2id"', id="string"),
        pytest.param("42", id="number"),
        pytest.param("not json at all", id="garbage"),
    ],
)
def test_from_json_rejects_absurd_or_malformed(text: str) -> None:
    with pytest.raises(InvalidInput):
        KdfParams.from_json(text)


@pytest.mark.usefixtures("production_floor")
@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"alg":"argon2id","m":Infinity,"t":3,"p":4}', id="m-infinity"),
        pytest.param('{"alg":"argon2id","m":1e400,"t":3,"p":4}', id="m-1e400"),
        pytest.param('{"alg":"argon2id","m":65536,"t":-Infinity,"p":4}', id="t-minus-infinity"),
        pytest.param("[" * 100_000, id="deeply-nested"),
    ],
)
def test_from_json_rejects_non_finite_and_deeply_nested(text: str) -> None:
    with pytest.raises(InvalidInput):
        KdfParams.from_json(text)


# --- NFKC ---------------------------------------------------------------------------------


def test_nfc_and_nfd_passphrases_derive_the_same_key(cheap_floor: KdfParams) -> None:
    nfc = unicodedata.normalize("NFC", DANISH)
    nfd = unicodedata.normalize("NFD", DANISH)
    assert nfc != nfd  # otherwise the test proves nothing
    key_nfc = kdf.derive_key(nfc, SALT, cheap_floor)
    key_nfd = kdf.derive_key(nfd, SALT, cheap_floor)
    assert len(key_nfc) == kdf.KEY_BYTES
    assert key_nfc == key_nfd
    assert kdf.normalize_passphrase(nfd) == nfc.encode("utf-8")


def test_derived_key_matches_argon2id_over_nfkc_utf8(cheap_floor: KdfParams) -> None:
    passphrase = "ﬁre blåbær ①"  # ligature and circled digit change under NFKC
    expected = Argon2id(salt=SALT, length=32, iterations=1, lanes=1, memory_cost=64).derive(
        unicodedata.normalize("NFKC", passphrase).encode("utf-8")
    )
    assert kdf.derive_key(passphrase, SALT, cheap_floor) == expected
    assert kdf.derive_key("fire blåbær 1", SALT, cheap_floor) == expected


def test_derived_key_depends_on_passphrase_salt_and_params(cheap_floor: KdfParams) -> None:
    base = kdf.derive_key(DANISH, SALT, cheap_floor)
    assert kdf.derive_key(DANISH, SALT, cheap_floor) == base
    others = {
        kdf.derive_key(DANISH + " ", SALT, cheap_floor),
        kdf.derive_key(DANISH.upper(), SALT, cheap_floor),
        kdf.derive_key(DANISH, bytes(16), cheap_floor),
        kdf.derive_key(DANISH, SALT, KdfParams(128, 1, 1)),
        kdf.derive_key(DANISH, SALT, KdfParams(64, 2, 1)),
        kdf.derive_key(DANISH, SALT, KdfParams(64, 1, 2)),
    }
    assert base not in others
    assert len(others) == 6


def test_new_salt_is_random_and_sixteen_bytes() -> None:
    salts = {kdf.new_salt() for _ in range(100)}
    assert len(salts) == 100
    assert all(len(s) == kdf.SALT_BYTES == 16 for s in salts)


# --- calibration --------------------------------------------------------------------------


def test_calibrate_under_test_floor_returns_the_floor(
    cheap_floor: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kdf, "Argon2id", _MustNotRun)  # no derivation at all under a test floor
    assert kdf.current_floor() is cheap_floor
    assert kdf.calibrate() == cheap_floor
    assert kdf.calibrate() == cheap_floor


def test_test_floor_does_not_leak(production_floor: None) -> None:
    assert kdf.current_floor() is PRODUCTION_FLOOR
    with pytest.raises(InvalidInput):
        CHEAP.validate()


def _fake_clock(monkeypatch: pytest.MonkeyPatch, seconds_per_unit: float) -> list[KdfParams]:
    """derive_key costs ``m * t * seconds_per_unit`` on a fake clock; records each call."""
    now = [0.0]
    calls: list[KdfParams] = []

    def fake_derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
        params.validate()
        calls.append(params)
        now[0] += params.memory_kib * params.iterations * seconds_per_unit
        return bytes(32)

    monkeypatch.setattr(kdf, "derive_key", fake_derive)
    monkeypatch.setattr(kdf, "time", types.SimpleNamespace(perf_counter=lambda: now[0]))
    return calls


@pytest.mark.usefixtures("production_floor")
def test_calibrate_on_a_slow_machine_stays_on_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_clock(monkeypatch, seconds_per_unit=1.0 / (64 * 1024 * 3))  # 1 s at the floor
    assert kdf.calibrate() == PRODUCTION_FLOOR
    assert calls == [PRODUCTION_FLOOR]


@pytest.mark.usefixtures("production_floor")
def test_calibrate_doubles_memory_first_then_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0.1 s at the floor: 128 MiB 0.2 s, 256 MiB 0.4 s, 512 MiB 0.8 s -> stop at 512 MiB, t=3.
    calls = _fake_clock(monkeypatch, seconds_per_unit=0.1 / (64 * 1024 * 3))
    result = kdf.calibrate()
    assert result == KdfParams(512 * 1024, 3, 4)
    assert [c.memory_kib for c in calls] == [65536, 131072, 262144, 524288]
    assert kdf.calibrate() is result  # cached: enrolling five members calibrates once
    assert len(calls) == 4


@pytest.mark.usefixtures("production_floor")
def test_calibrate_on_a_very_fast_machine_respects_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _fake_clock(monkeypatch, seconds_per_unit=1e-12)
    result = kdf.calibrate()
    result.validate()
    assert result.memory_kib == kdf.CALIBRATION_MEMORY_LIMIT_KIB
    assert PRODUCTION_FLOOR.iterations < result.iterations <= CAPS.iterations
    assert result.lanes == PRODUCTION_FLOOR.lanes
    assert all(c.memory_kib <= kdf.CALIBRATION_MEMORY_LIMIT_KIB for c in calls)


def test_selftest_detects_a_wrong_aes_gcm_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    import cryptography.hazmat.primitives.ciphers.aead as aead_module

    class WrongAESGCM:
        def __init__(self, key: bytes) -> None:
            pass

        def encrypt(self, nonce: bytes, data: bytes, ad: bytes | None) -> bytes:
            return bytes(32)

    monkeypatch.setattr(aead_module, "AESGCM", WrongAESGCM)
    with pytest.raises(CryptoUnavailable, match="known-answer mismatch"):
        selftest.run_selftest()
