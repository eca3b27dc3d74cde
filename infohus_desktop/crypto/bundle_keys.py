"""A vault's bundle identity and the public key card other organisations pin.

Each vault has one *bundle identity*: an HPKE key pair (ML-KEM-768 + X25519) that bundles are
encrypted to, and an Ed25519 key that signs the bundles the vault sends. Both are derived from
one 32-byte secret, which the vault keeps sealed under the casework group's key (not the
network group's: the DPO holds that one). The public halves travel as a *key card* (canonical
JSON, self-signed); its fingerprint — the same 128-bit fingerprint as a member key — is what
two organisations read to each other over the phone before either trusts the other.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infohus_desktop.crypto.encoding import b64, canonical_json, unb64
from infohus_desktop.crypto.keys import KemPrivateKey, PublicKeys, fingerprint
from infohus_desktop.crypto.signing import verify
from infohus_desktop.crypto.strict_json import StrictJsonError, loads_canonical
from infohus_desktop.domain.errors import InvalidInput, TamperedData

CARD_TYPE = "infohus-bundle-key"
CARD_VERSION = 1
MAX_CARD_BYTES = 16 * 1024
MAX_ORGANISATION_CHARS = 200
_KEM_LABEL = b"infohus/bundle-identity/kem/v1"
_SIGN_LABEL = b"infohus/bundle-identity/sign/v1"
_CARD_LABEL = b"infohus/bundle-key-card/v1\x00"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FINGERPRINT_RE = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){7}$")


def bad_card() -> InvalidInput:
    return InvalidInput(
        "Filen er ikke et gyldigt offentligt nøglekort fra Infohus.",
        "The file is not a valid Infohus public key card.",
    )


def parse_uuid(text: object) -> uuid.UUID:
    """A UUID in its one canonical spelling (lower case, hyphens), or ValueError."""
    if not isinstance(text, str) or not UUID_RE.match(text):
        raise ValueError("not a canonical uuid")
    return uuid.UUID(text)


def valid_organisation(text: object) -> str:
    if (
        not isinstance(text, str)
        or not text.strip()
        or len(text) > MAX_ORGANISATION_CHARS
        or any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)
    ):
        raise ValueError("bad organisation name")
    return text


@dataclass(frozen=True, slots=True)
class KeyCard:
    """The public half of a bundle identity, as exported to a file."""

    vault_id: uuid.UUID
    organisation: str
    keys: PublicKeys

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.keys)

    def _body(self) -> dict[str, object]:
        return {
            "fingerprint": self.fingerprint,
            "kem": b64(self.keys.kem),
            "organisation": self.organisation,
            "sign": b64(self.keys.sign),
            "type": CARD_TYPE,
            "v": CARD_VERSION,
            "vault": str(self.vault_id),
        }

    def signed_message(self) -> bytes:
        return _CARD_LABEL + canonical_json(self._body())


def encode_card(card: KeyCard, signing: ed25519.Ed25519PrivateKey) -> bytes:
    """Canonical JSON of the card with its self-signature, and a final newline."""
    body = card._body()
    body["signature"] = b64(signing.sign(card.signed_message()))
    return canonical_json(body) + b"\n"


def decode_card(data: bytes) -> KeyCard:
    """Read a key card strictly; the stated fingerprint and the self-signature must hold."""
    text = data[:-1] if data.endswith(b"\n") else data
    try:
        obj = loads_canonical(text, MAX_CARD_BYTES)
        if not isinstance(obj, dict) or set(obj) != {
            "fingerprint",
            "kem",
            "organisation",
            "sign",
            "signature",
            "type",
            "v",
            "vault",
        }:
            raise ValueError("fields")
        if obj["type"] != CARD_TYPE or obj["v"] != CARD_VERSION:
            raise ValueError("type")
        card = KeyCard(
            parse_uuid(obj["vault"]),
            valid_organisation(obj["organisation"]),
            PublicKeys(unb64(obj["kem"]), unb64(obj["sign"])),
        )
        signature = unb64(obj["signature"])
    except (StrictJsonError, ValueError, TypeError, TamperedData) as exc:
        raise bad_card() from exc
    if card.fingerprint != obj["fingerprint"]:
        raise bad_card()
    if not verify(card.keys.sign, signature, card.signed_message()):
        raise bad_card()
    return card


class BundleIdentity:
    """The private side of a vault's bundle identity, held while the vault is unlocked."""

    __slots__ = ("kem", "organisation", "signing", "vault_id")

    def __init__(self, vault_id: uuid.UUID, organisation: str, secret: bytes) -> None:
        if len(secret) != 32:
            raise ValueError("a bundle identity secret is 256 bits")
        self.vault_id = vault_id
        self.organisation = organisation
        self.kem = KemPrivateKey.from_secret(secret, _KEM_LABEL)
        seed = HKDF(SHA256(), 32, salt=None, info=_SIGN_LABEL).derive(secret)
        self.signing = ed25519.Ed25519PrivateKey.from_private_bytes(seed)

    def public(self) -> PublicKeys:
        return PublicKeys(self.kem.public_bytes(), self.signing.public_key().public_bytes_raw())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public())

    def card(self) -> KeyCard:
        return KeyCard(self.vault_id, self.organisation, self.public())
