"""Blind index of CPR numbers for the intake duplicate check (CipherSweet's idea).

HMAC-SHA256 over the ten normalised digits under the district's lookup key, truncated to
16 bits: enough to narrow thousands of people to a handful of candidates, too little to confirm
a guessed CPR number from the index alone. The lookup key is derived from the network group's
epoch key, so it rotates with that epoch and guests (not in the network) never hold it.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infohus_desktop.domain.cpr import normalize_cpr

DEFAULT_BITS = 16
_LABEL = b"infohus/blind-index/cpr/v1"


def lookup_key(network_key: bytes) -> bytes:
    return HKDF(SHA256(), 32, salt=None, info=_LABEL).derive(network_key)


def cpr_index(key: bytes, cpr: str, bits: int = DEFAULT_BITS) -> int:
    if not 1 <= bits <= 32:
        raise ValueError("blind index width must be 1..32 bits")
    digest = hmac.new(key, normalize_cpr(cpr).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)
