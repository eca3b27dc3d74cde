"""A second reader and a second WRITER of bundles, written only from docs/BUNDLE.md.

Nothing here comes from ``infohus_desktop``: the primitives are pyca/cryptography's, as the
page names them, and every label, length and field is taken from the page, so a test that
runs this against the product checks the page as much as the code. (A test asserts this
module imports nothing of the product.) Section numbers refer to docs/BUNDLE.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"\x89IHB\r\n\x1a\n"  # §1
CHUNK = 65536  # §2, §3: the only chunk size of format 1
SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


def lp(*parts: bytes) -> bytes:
    """Conventions: each part after its 4-byte big-endian length."""
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


def canonical(obj: Any) -> bytes:
    """§2: the canonical JSON form."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def stamp(moment: datetime) -> str:
    """§2: UTC, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hkdf(ikm: bytes, info: bytes, length: int, salt: bytes | None = None) -> bytes:
    return HKDF(SHA256(), length, salt=salt, info=info).derive(ikm)


def fingerprint(kem_public: bytes, sign_public: bytes) -> str:
    """§5: the first 128 bits of SHA-256 over both public keys, in the format of §2."""
    digest = hashlib.sha256(lp(b"infohus/fingerprint/v1", kem_public, sign_public)).digest()
    text = digest[:16].hex().upper()
    return " ".join(text[i : i + 4] for i in range(0, 32, 4))


def hpke_public(kem_public: bytes) -> hpke.MLKEM768X25519PublicKey:
    """§5: the ML-KEM-768 encapsulation key (1184 bytes) ‖ the X25519 public key (32)."""
    assert len(kem_public) == 1184 + 32
    return hpke.MLKEM768X25519PublicKey(
        mlkem.MLKEM768PublicKey.from_public_bytes(kem_public[:1184]),
        x25519.X25519PublicKey.from_public_bytes(kem_public[1184:]),
    )


class Identity:
    """§5: a vault's bundle identity, derived from its 256-bit secret."""

    def __init__(self, secret: bytes, vault: uuid.UUID, organisation: str) -> None:
        material = hkdf(secret, b"infohus/bundle-identity/kem/v1", 96)
        self._mlkem = mlkem.MLKEM768PrivateKey.from_seed_bytes(material[:64])
        self._x25519 = x25519.X25519PrivateKey.from_private_bytes(material[64:])
        seed = hkdf(secret, b"infohus/bundle-identity/sign/v1", 32)
        self.signing = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        self.vault = vault
        self.organisation = organisation

    @property
    def kem_public(self) -> bytes:
        return (
            self._mlkem.public_key().public_bytes_raw()
            + self._x25519.public_key().public_bytes_raw()
        )

    @property
    def sign_public(self) -> bytes:
        return self.signing.public_key().public_bytes_raw()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.kem_public, self.sign_public)

    def open_file_key(self, sealed: bytes, info: bytes) -> bytes:
        private = hpke.MLKEM768X25519PrivateKey(self._mlkem, self._x25519)
        return SUITE.decrypt(sealed, private, info=info)

    def card(self) -> bytes:
        """§5 "Key card": canonical JSON with the self-signature, and a final newline."""
        body: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "kem": b64(self.kem_public),
            "organisation": self.organisation,
            "sign": b64(self.sign_public),
            "type": "infohus-bundle-key",
            "v": 1,
            "vault": str(self.vault),
        }
        signature = self.signing.sign(b"infohus/bundle-key-card/v1\x00" + canonical(body))
        return canonical({**body, "signature": b64(signature)}) + b"\n"


@dataclass(frozen=True)
class Card:
    """§5: the public half of another vault, read from its key card."""

    fingerprint: str
    kem_public: bytes
    sign_public: bytes
    organisation: str
    vault: uuid.UUID


def read_card(data: bytes) -> Card:
    """§5: parse a key card; the stated fingerprint and the self-signature must hold."""
    assert data.endswith(b"\n")
    obj = json.loads(data[:-1])
    assert canonical(obj) == data[:-1]
    fields = {"fingerprint", "kem", "organisation", "sign", "signature", "type", "v", "vault"}
    assert set(obj) == fields
    assert obj["type"] == "infohus-bundle-key" and obj["v"] == 1
    kem, sign = base64.b64decode(obj["kem"]), base64.b64decode(obj["sign"])
    assert fingerprint(kem, sign) == obj["fingerprint"]
    body = {k: v for k, v in obj.items() if k != "signature"}
    ed25519.Ed25519PublicKey.from_public_bytes(sign).verify(
        base64.b64decode(obj["signature"]), b"infohus/bundle-key-card/v1\x00" + canonical(body)
    )
    return Card(obj["fingerprint"], kem, sign, obj["organisation"], uuid.UUID(obj["vault"]))


def file_key_info(bundle_id: uuid.UUID, kind: str, sender_fp: str, recipient_fp: str) -> bytes:
    """§3: the HPKE ``info`` of the sealed file key."""
    return lp(
        b"infohus/bundle/file-key/v1",
        bundle_id.bytes,
        kind.encode(),
        sender_fp.encode(),
        recipient_fp.encode(),
    )


def payload_key(file_key: bytes, bundle_id: uuid.UUID) -> bytes:
    """§3: the key of the payload chunks."""
    return hkdf(file_key, b"infohus/bundle/payload/v1", 32, salt=bundle_id.bytes)


def nonce(i: int, last: bool) -> bytes:
    """§3: an 11-byte counter and the last-chunk flag."""
    return i.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def payload(kind: str, data: dict[str, Any], files: list[tuple[str, str, bytes]]) -> bytes:
    """§4: manifest length ‖ manifest ‖ the attachments' raw bytes in manifest order."""
    entries = [
        {"media_type": media, "name": name, "sha256": hashlib.sha256(body).hexdigest(),
         "size": len(body)}
        for name, media, body in files
    ]  # fmt: skip
    manifest = canonical({"attachments": entries, "data": data, "kind": kind})
    return len(manifest).to_bytes(4, "big") + manifest + b"".join(b for _n, _m, b in files)


def write(
    sender: Identity,
    recipient: Card,
    kind: str,
    plain: bytes,
    created: datetime,
    validity: timedelta = timedelta(days=30),
    chunk_size: int = CHUNK,
) -> bytes:
    """§1–§3: a whole bundle. ``chunk_size`` other than 65536 makes a bundle format 1
    forbids (the chunks cut to that size, the header saying so): a reader must refuse it."""
    bundle_id = uuid.uuid4()
    file_key = os.urandom(32)
    sealed = SUITE.encrypt(
        file_key,
        hpke_public(recipient.kem_public),
        info=file_key_info(bundle_id, kind, sender.fingerprint, recipient.fingerprint),
    )
    assert len(sealed) == 1168
    header = canonical(
        {
            "bundle": str(bundle_id),
            "chunk_size": chunk_size,
            "created": stamp(created),
            "expires": stamp(created + validity),
            "file_key": b64(sealed),
            "format": 1,
            "kind": kind,
            "payload_length": len(plain),
            "recipient": {"fingerprint": recipient.fingerprint},
            "sender": {
                "fingerprint": sender.fingerprint,
                "organisation": sender.organisation,
                "vault": str(sender.vault),
            },
        }
    )
    signed = MAGIC + (1).to_bytes(2, "big") + len(header).to_bytes(4, "big") + header
    aad = hashlib.sha256(signed).digest()
    aead = AESGCM(payload_key(file_key, bundle_id))
    pieces = [plain[i : i + chunk_size] for i in range(0, len(plain), chunk_size)] or [b""]
    body = b"".join(
        aead.encrypt(nonce(i, i == len(pieces) - 1), piece, aad) for i, piece in enumerate(pieces)
    )
    return signed + sender.signing.sign(signed) + body


def read(data: bytes, recipient: Identity, sender_sign_public: bytes) -> tuple[dict, bytes]:
    """§1–§3: the header and the plaintext payload of a bundle, every check of the layout."""
    assert data[:8] == MAGIC
    assert int.from_bytes(data[8:10], "big") == 1
    hlen = int.from_bytes(data[10:14], "big")
    assert 1 <= hlen <= 65536
    header_bytes = data[14 : 14 + hlen]
    header = json.loads(header_bytes)
    assert canonical(header) == header_bytes
    assert header["format"] == 1 and header["chunk_size"] == CHUNK
    signed = data[: 14 + hlen]
    ed25519.Ed25519PublicKey.from_public_bytes(sender_sign_public).verify(
        data[14 + hlen : 78 + hlen], signed
    )
    assert header["recipient"]["fingerprint"] == recipient.fingerprint
    bundle_id = uuid.UUID(header["bundle"])
    file_key = recipient.open_file_key(
        base64.b64decode(header["file_key"]),
        file_key_info(
            bundle_id,
            header["kind"],
            header["sender"]["fingerprint"],
            header["recipient"]["fingerprint"],
        ),
    )
    aead = AESGCM(payload_key(file_key, bundle_id))
    aad = hashlib.sha256(signed).digest()
    length = header["payload_length"]
    n = max(1, -(-length // CHUNK))
    body = data[78 + hlen :]
    assert len(body) == length + 16 * n
    out, pos = b"", 0
    for i in range(n):
        size = min(CHUNK, length - i * CHUNK) + 16
        out += aead.decrypt(nonce(i, i == n - 1), body[pos : pos + size], aad)
        pos += size
    return header, out
