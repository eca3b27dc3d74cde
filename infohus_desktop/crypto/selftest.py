"""Start-up self-test: known answers for Argon2id and AES-GCM, an HPKE round trip.

Runs in milliseconds. If the installed `cryptography` lacks Argon2id, HPKE or ML-KEM the app
refuses to start with a clear message instead of falling back to something weaker.
"""

from __future__ import annotations

from infohus_desktop.domain.errors import CryptoUnavailable

# RFC 9106, section 5.3 (Argon2id, v=0x13, m=32 KiB, t=3, p=4, with secret and ad).
_ARGON2ID_TAG = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
# NIST GCM test case 14 (AES-256, zero key, zero IV, one zero block).
_GCM_CT = "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"


def run_selftest() -> None:
    try:
        # Imported here: a `cryptography` without these raises ImportError, which is the
        # answer this test exists to turn into a clear refusal.
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        from infohus_desktop.crypto.keys import KemPrivateKey, hpke_seal

        tag = _argon2id_tag()
        gcm = AESGCM(bytes(32)).encrypt(bytes(12), bytes(16), None)
        kem = KemPrivateKey.generate()
        roundtrip = kem.open(hpke_seal(b"selftest", kem.public_bytes(), b"i"), b"i")
    except Exception as exc:  # any failure here means: do not start
        raise _unavailable(type(exc).__name__) from exc
    if tag.hex() != _ARGON2ID_TAG or gcm.hex() != _GCM_CT or roundtrip != b"selftest":
        raise _unavailable("known-answer mismatch")


def run_argon2id_selftest() -> None:
    """The Argon2id known answer alone, for a key derived before the vault is opened
    (``services/accounts/key_ahead.py``): the primitive used that early is the one checked
    that early, without loading the others (the whole test follows at the open, before the
    key is used)."""
    try:
        tag = _argon2id_tag()
    except Exception as exc:
        raise _unavailable(type(exc).__name__) from exc
    if tag.hex() != _ARGON2ID_TAG:
        raise _unavailable("known-answer mismatch")


def _argon2id_tag() -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=bytes([2]) * 16,
        length=32,
        iterations=3,
        lanes=4,
        memory_cost=32,
        ad=bytes([4]) * 12,
        secret=bytes([3]) * 8,
    ).derive(bytes([1]) * 32)


def _unavailable(reason: str) -> CryptoUnavailable:
    return CryptoUnavailable(
        f"Kryptografiens selvtest fejlede ({reason}). Infohus Desktop starter ikke; "
        "installer cryptography 50 eller nyere.",
        f"The cryptography self-test failed ({reason}). Infohus Desktop will not start; "
        "install cryptography 50 or newer.",
    )
