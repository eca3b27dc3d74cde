"""User key pairs, sealed private keys, fingerprints and HPKE sealing of keys to members.

A member has an HPKE key pair (ML-KEM-768 + X25519, HKDF-SHA256, AES-256-GCM) to receive
group keys and an Ed25519 key pair to sign certificates and audit checkpoints. The private
halves are sealed with AES-256-GCM under the passphrase key; the associated data binds the
member id and the KDF parameters, so moving a sealed blob to another member, or editing the
parameters beside it, makes the unseal fail. There is no password hash: a failed unseal *is*
a wrong passphrase.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infohus_desktop.crypto.encoding import lp, uuid_bytes
from infohus_desktop.crypto.kdf import KdfParams
from infohus_desktop.domain.errors import TamperedData, WrongPassphrase

HPKE_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
MLKEM_SEED_BYTES = 64
MLKEM_PUBLIC_BYTES = 1184
X25519_BYTES = 32
ED25519_BYTES = 32
NONCE_BYTES = 12
SEALED_KEYS_VERSION = 1

_SEAL_LABEL = b"infohus/user-keys/v1"
_GROUP_KEY_LABEL = b"infohus/group-key/v1"


@dataclass(frozen=True, slots=True)
class PublicKeys:
    """The public halves a member publishes: KEM key (1216 bytes) and signing key (32)."""

    kem: bytes
    sign: bytes

    def __post_init__(self) -> None:
        if len(self.kem) != MLKEM_PUBLIC_BYTES + X25519_BYTES or len(self.sign) != ED25519_BYTES:
            raise TamperedData(
                "En offentlig nøgle har forkert længde.", "A public key has the wrong length."
            )

    def hpke_key(self) -> hpke.MLKEM768X25519PublicKey:
        return hpke.MLKEM768X25519PublicKey(
            mlkem.MLKEM768PublicKey.from_public_bytes(self.kem[:MLKEM_PUBLIC_BYTES]),
            x25519.X25519PublicKey.from_public_bytes(self.kem[MLKEM_PUBLIC_BYTES:]),
        )

    def verify_key(self) -> ed25519.Ed25519PublicKey:
        return ed25519.Ed25519PublicKey.from_public_bytes(self.sign)

    def fingerprint(self) -> str:
        return fingerprint(self)


def fingerprint(keys: PublicKeys) -> str:
    """128 bits of SHA-256 over both public keys, as eight groups of four hex digits."""
    digest = hashlib.sha256(lp(b"infohus/fingerprint/v1", keys.kem, keys.sign)).hexdigest()[:32]
    return " ".join(digest[i : i + 4].upper() for i in range(0, 32, 4))


def normalize_fingerprint(text: str) -> str:
    digits = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


class KemPrivateKey:
    """An HPKE private key made from a 64-byte ML-KEM seed and a 32-byte X25519 key."""

    def __init__(self, mlkem_seed: bytes, x25519_private: bytes) -> None:
        self._seed = mlkem_seed
        self._x = x25519_private
        self._key = hpke.MLKEM768X25519PrivateKey(
            mlkem.MLKEM768PrivateKey.from_seed_bytes(mlkem_seed),
            x25519.X25519PrivateKey.from_private_bytes(x25519_private),
        )

    @classmethod
    def generate(cls) -> KemPrivateKey:
        return cls(os.urandom(MLKEM_SEED_BYTES), os.urandom(X25519_BYTES))

    @classmethod
    def from_secret(cls, secret: bytes, label: bytes) -> KemPrivateKey:
        """Derive a key pair from a 32-byte secret (e.g. the audit group's epoch key)."""
        material = HKDF(SHA256(), MLKEM_SEED_BYTES + X25519_BYTES, salt=None, info=label).derive(
            secret
        )
        return cls(material[:MLKEM_SEED_BYTES], material[MLKEM_SEED_BYTES:])

    def raw(self) -> bytes:
        return self._seed + self._x

    def public_bytes(self) -> bytes:
        mk = mlkem.MLKEM768PrivateKey.from_seed_bytes(self._seed).public_key()
        xk = x25519.X25519PrivateKey.from_private_bytes(self._x).public_key()
        return mk.public_bytes_raw() + xk.public_bytes_raw()

    def open(self, sealed: bytes, info: bytes) -> bytes:
        try:
            return HPKE_SUITE.decrypt(sealed, self._key, info=info)
        except Exception as exc:  # the binding raises several types for a bad ciphertext
            raise TamperedData(
                "En krypteret nøgle kunne ikke åbnes; data kan være manipuleret.",
                "An encrypted key could not be opened; data may be tampered.",
            ) from exc


def hpke_seal(plaintext: bytes, recipient: PublicKeys | bytes, info: bytes) -> bytes:
    kem = recipient.kem if isinstance(recipient, PublicKeys) else recipient
    public = hpke.MLKEM768X25519PublicKey(
        mlkem.MLKEM768PublicKey.from_public_bytes(kem[:MLKEM_PUBLIC_BYTES]),
        x25519.X25519PublicKey.from_public_bytes(kem[MLKEM_PUBLIC_BYTES:]),
    )
    return HPKE_SUITE.encrypt(plaintext, public, info=info)


@dataclass(slots=True)
class UserKeyPair:
    """A member's private keys while unlocked. Dropped on lock."""

    kem: KemPrivateKey
    signing: ed25519.Ed25519PrivateKey

    @classmethod
    def generate(cls) -> UserKeyPair:
        return cls(KemPrivateKey.generate(), ed25519.Ed25519PrivateKey.generate())

    def public(self) -> PublicKeys:
        return PublicKeys(self.kem.public_bytes(), self.signing.public_key().public_bytes_raw())

    def sign(self, message: bytes) -> bytes:
        return self.signing.sign(message)

    def _raw(self) -> bytes:
        return bytes([SEALED_KEYS_VERSION]) + self.kem.raw() + self.signing.private_bytes_raw()

    def seal(self, passphrase_key: bytes, member_id: uuid.UUID, params: KdfParams) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(passphrase_key).encrypt(
            nonce, self._raw(), _seal_ad(member_id, params)
        )

    @classmethod
    def unseal(
        cls, sealed: bytes, passphrase_key: bytes, member_id: uuid.UUID, params: KdfParams
    ) -> UserKeyPair:
        try:
            raw = AESGCM(passphrase_key).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _seal_ad(member_id, params)
            )
        except (InvalidTag, ValueError) as exc:
            raise WrongPassphrase() from exc
        if len(raw) != 1 + MLKEM_SEED_BYTES + X25519_BYTES + ED25519_BYTES or raw[0] != 1:
            raise WrongPassphrase()
        seed = raw[1 : 1 + MLKEM_SEED_BYTES]
        xk = raw[1 + MLKEM_SEED_BYTES : 1 + MLKEM_SEED_BYTES + X25519_BYTES]
        sk = raw[1 + MLKEM_SEED_BYTES + X25519_BYTES :]
        return cls(KemPrivateKey(seed, xk), ed25519.Ed25519PrivateKey.from_private_bytes(sk))


def _seal_ad(member_id: uuid.UUID, params: KdfParams) -> bytes:
    return lp(_SEAL_LABEL, member_id.bytes, params.to_json().encode())


def group_key_info(
    vault_id: uuid.UUID, group_id: uuid.UUID, epoch: int, member_id: uuid.UUID
) -> bytes:
    """HPKE ``info`` of a group key wrapped to a member: binds vault, group, epoch, member."""
    return lp(
        _GROUP_KEY_LABEL,
        uuid_bytes(vault_id),
        group_id.bytes,
        epoch.to_bytes(4, "big"),
        member_id.bytes,
    )


def new_symmetric_key() -> bytes:
    return os.urandom(32)
