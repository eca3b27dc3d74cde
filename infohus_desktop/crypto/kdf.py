"""Argon2id key derivation from a passphrase, with a floor, caps and calibration.

Parameters travel with the sealed keys, so an attacker who edits the database could ask a
client to allocate 64 GiB or to derive with one pass: :meth:`KdfParams.validate` rejects
both *before* any work is done. The floor is the production floor; tests swap in a cheaper one
through :func:`_set_floor_for_tests`, which no production code path calls.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from infohus_desktop.domain.errors import InvalidInput

SALT_BYTES = 16
KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost: ``memory_kib`` KiB, ``iterations`` passes, ``lanes`` parallelism."""

    memory_kib: int
    iterations: int
    lanes: int

    def to_json(self) -> str:
        return json.dumps(
            {"alg": "argon2id", "m": self.memory_kib, "t": self.iterations, "p": self.lanes},
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> KdfParams:
        try:
            raw = json.loads(text)
            values = [raw["m"], raw["t"], raw["p"]]
            if raw.get("alg") != "argon2id" or not all(
                type(v) is int
                for v in values  # no floats, no bools, no Infinity
            ):
                raise ValueError
            params = cls(*values)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise _bad_params() from exc
        params.validate()
        return params

    def validate(self) -> None:
        """Refuse parameters below the floor or above the caps, before allocating anything."""
        floor = _FLOOR
        if (
            self.memory_kib < floor.memory_kib
            or self.iterations < floor.iterations
            or self.lanes < floor.lanes
            or self.memory_kib > CAPS.memory_kib
            or self.iterations > CAPS.iterations
            or self.lanes > CAPS.lanes
            or self.memory_kib < 8 * self.lanes
        ):
            raise _bad_params()


def _bad_params() -> InvalidInput:
    return InvalidInput(
        "Nøgleafledningens parametre er uden for de tilladte grænser; data kan være manipuleret.",
        "The key derivation parameters are outside the allowed limits; data may be tampered.",
    )


PRODUCTION_FLOOR = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=4)
CAPS = KdfParams(memory_kib=4 * 1024 * 1024, iterations=20, lanes=16)
_FLOOR = PRODUCTION_FLOOR

#: Calibration aims for an unlock of about this many seconds on the enrolling machine.
TARGET_SECONDS = (0.5, 1.0)
#: Calibration never asks for more memory than this, however fast the machine.
CALIBRATION_MEMORY_LIMIT_KIB = 1024 * 1024


def _set_floor_for_tests(floor: KdfParams) -> None:
    """Test-only: lower the floor so a test suite can use cheap parameters."""
    global _FLOOR, _calibrated
    _FLOOR = floor
    _calibrated = None


def current_floor() -> KdfParams:
    return _FLOOR


def normalize_passphrase(passphrase: str) -> bytes:
    """NFKC, so æ, ø and å typed as one code point or as letter + accent unlock alike."""
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    params.validate()
    if len(salt) != SALT_BYTES:
        raise _bad_params()
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(normalize_passphrase(passphrase))


@dataclass(frozen=True, slots=True)
class DerivedKey:
    """A passphrase's key with the stored parameters and salt it was derived from: a
    derivation done ahead of the unlock that needs it (``services/accounts/key_ahead.py``)."""

    params_json: str
    salt: bytes
    key: bytes

    @classmethod
    def fresh(cls, passphrase: str, params: KdfParams) -> DerivedKey:
        """``passphrase``'s key under ``params`` and a new salt: for a caller that seals a
        passphrase and then unlocks with it in the same run (the demo's members), so the
        same derivation is not done two or three times over."""
        salt = new_salt()
        return cls(params.to_json(), salt, derive_key(passphrase, salt, params))

    def for_inputs(self, params_json: str, salt: bytes) -> bytes | None:
        """The key, if it was derived from exactly these parameters and salt."""
        if params_json == self.params_json and salt == self.salt:
            return self.key
        return None

    def __repr__(self) -> str:  # the key never reaches a log or a traceback
        return "DerivedKey(…)"


_calibrated: KdfParams | None = None


def calibrate() -> KdfParams:
    """Parameters that take about 0.5-1 s here: memory doubles first (up to 1 GiB), then passes.

    The result is cached for the process: enrolling five members should not calibrate five
    times. Under a test floor calibration returns the floor, because tests want speed.
    """
    global _calibrated
    if _calibrated is not None:
        return _calibrated
    params = _FLOOR
    if params is not PRODUCTION_FLOOR:
        _calibrated = params
        return params
    salt = new_salt()
    low = TARGET_SECONDS[0]
    memory_limit = min(CALIBRATION_MEMORY_LIMIT_KIB, CAPS.memory_kib)
    for _ in range(16):
        started = time.perf_counter()
        derive_key("calibration passphrase", salt, params)
        if time.perf_counter() - started >= low:
            break
        if params.memory_kib * 2 <= memory_limit:
            params = KdfParams(params.memory_kib * 2, params.iterations, params.lanes)
        elif params.iterations < CAPS.iterations:
            params = KdfParams(params.memory_kib, params.iterations + 1, params.lanes)
        else:
            break
    _calibrated = params
    return params
