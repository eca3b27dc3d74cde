"""A KDBX 4 file with an Argon2id KDF of given parameters: the KeePassXC side of the comparison.

Why the benchmark writes the file itself: ``keepassxc-cli`` 2.7 (``import`` and ``db-create``,
with or without ``--decryption-time``) writes KDBX 3.1 with AES-KDF, and no option of the CLI
chooses Argon2 or its memory. Timed against our Argon2id that was not "the same KDF on both
sides": AES-KDF costs CPU time but no memory, so the peak-memory row compared our 512 MiB of
Argon2 with KeePassXC's 0 MiB. Here the file carries exactly the parameters the timed member's
keys are sealed with (memory, passes, lanes), and ``keepassxc-cli`` reads it as any KDBX 4.

The format, as KeePass and KeePassXC document and read it: the outer header (cipher AES-256-CBC,
no compression, master seed, IV, the KDF's variant dictionary), its SHA-256 and its HMAC, then
the HMAC-SHA256 block stream of the encrypted inner header (ChaCha20 protected-value stream)
and XML. Passwords are stored protected, as KeePassXC stores them. A benchmark tool, not a
general writer: one group, string fields only, no attachments, no history.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

SIGNATURE = struct.pack("<IIHH", 0x9AA2D903, 0xB54BFB67, 0, 4)  # KDBX 4.0
AES256_CBC = uuid.UUID("31c1f2e6-bf71-4350-be58-05216afc5aff").bytes
ARGON2ID = uuid.UUID("9e298b19-56db-4773-b23d-fc3ec6f0a1e6").bytes
CHACHA20_STREAM = 3
BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost as KDBX stores it: memory in KiB here (bytes in the file)."""

    memory_kib: int
    iterations: int
    lanes: int

    def describe(self) -> str:
        return f"Argon2id m={self.memory_kib // 1024} MiB, t={self.iterations}, p={self.lanes}"


@dataclass(frozen=True)
class Entry:
    title: str
    username: str
    password: str
    url: str
    notes: str


def _field(kind: int, data: bytes) -> bytes:
    return struct.pack("<BI", kind, len(data)) + data


def _variant(items: list[tuple[int, str, bytes]]) -> bytes:
    out = struct.pack("<H", 0x0100)
    for kind, key, value in items:
        name = key.encode()
        out += struct.pack("<Bi", kind, len(name)) + name + struct.pack("<i", len(value)) + value
    return out + b"\x00"


def _kdf_dictionary(params: Argon2Params, salt: bytes) -> bytes:
    return _variant(
        [
            (0x42, "$UUID", ARGON2ID),
            (0x42, "S", salt),
            (0x04, "P", struct.pack("<I", params.lanes)),
            (0x05, "M", struct.pack("<Q", params.memory_kib * 1024)),
            (0x05, "I", struct.pack("<Q", params.iterations)),
            (0x04, "V", struct.pack("<I", 0x13)),
        ]
    )


def read_argon2(path: Path) -> Argon2Params | None:
    """The Argon2 parameters of a KDBX 4 file's outer header; None for KDBX 3.x or AES-KDF."""
    data = path.read_bytes()[:65536]
    if data[:8] != SIGNATURE[:8] or struct.unpack_from("<H", data, 10)[0] < 4:
        return None
    pos = 12
    while pos < len(data):
        kind, size = struct.unpack_from("<BI", data, pos)
        value, pos = data[pos + 5 : pos + 5 + size], pos + 5 + size
        if kind == 0:
            return None
        if kind == 11:
            return _argon2_from(value)
    return None


def _argon2_from(value: bytes) -> Argon2Params | None:
    items: dict[str, bytes] = {}
    pos = 2
    while value[pos] != 0:
        (key_len,) = struct.unpack_from("<i", value, pos + 1)
        key = value[pos + 5 : pos + 5 + key_len].decode()
        pos += 5 + key_len
        (value_len,) = struct.unpack_from("<i", value, pos)
        items[key] = value[pos + 4 : pos + 4 + value_len]
        pos += 4 + value_len
    if items.get("$UUID") != ARGON2ID:
        return None
    return Argon2Params(
        memory_kib=int.from_bytes(items["M"], "little") // 1024,
        iterations=int.from_bytes(items["I"], "little"),
        lanes=int.from_bytes(items["P"], "little"),
    )


class _ProtectedStream:
    """KDBX 4's inner random stream: ChaCha20 keyed by SHA-512 of the inner stream key, one
    key stream over every protected value in document order."""

    def __init__(self, key: bytes) -> None:
        digest = hashlib.sha512(key).digest()
        nonce = bytes(4) + digest[32:44]  # cryptography's 16-byte nonce: counter 0, then IV
        self._stream = Cipher(algorithms.ChaCha20(digest[:32], nonce), mode=None).encryptor()

    def protect(self, text: str) -> str:
        return base64.b64encode(self._stream.update(text.encode())).decode()


def _xml(entries: Iterable[Entry], stream: _ProtectedStream) -> bytes:
    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    def field(key: str, value: str) -> str:
        return f"<String><Key>{key}</Key><Value>{escape(value)}</Value></String>"

    parts = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
        "<KeePassFile><Meta><Generator>infohus-bench</Generator>",
        "<MemoryProtection><ProtectPassword>True</ProtectPassword></MemoryProtection>",
        f"</Meta><Root><Group><UUID>{b64(uuid.UUID(int=1).bytes)}</UUID><Name>Sager</Name>",
    ]
    for i, entry in enumerate(entries):
        parts.append(
            f"<Entry><UUID>{b64(uuid.UUID(int=i + 2).bytes)}</UUID>"
            + field("Title", entry.title)
            + field("UserName", entry.username)
            + "<String><Key>Password</Key>"
            + f'<Value Protected="True">{stream.protect(entry.password)}</Value></String>'
            + field("URL", entry.url)
            + field("Notes", entry.notes)
            + "</Entry>"
        )
    parts.append("</Group></Root></KeePassFile>")
    return "".join(parts).encode()


def write(path: Path, passphrase: str, params: Argon2Params, entries: Iterable[Entry]) -> None:
    """Write ``entries`` to a KDBX 4 at ``path`` under ``passphrase`` and ``params``."""
    seed, iv, salt, stream_key = os.urandom(32), os.urandom(16), os.urandom(32), os.urandom(64)
    header = SIGNATURE + b"".join(
        [
            _field(2, AES256_CBC),
            _field(3, struct.pack("<I", 0)),  # no compression
            _field(4, seed),
            _field(7, iv),
            _field(11, _kdf_dictionary(params, salt)),
            _field(0, b"\r\n\r\n"),
        ]
    )
    composite = hashlib.sha256(hashlib.sha256(passphrase.encode()).digest()).digest()
    transformed = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(composite)
    cipher_key = hashlib.sha256(seed + transformed).digest()
    hmac_base = hashlib.sha512(seed + transformed + b"\x01").digest()

    def block_key(index: int) -> bytes:
        return hashlib.sha512(struct.pack("<Q", index) + hmac_base).digest()

    inner = b"".join(
        [
            _field(1, struct.pack("<I", CHACHA20_STREAM)),
            _field(2, stream_key),
            _field(0, b""),
        ]
    )
    plain = inner + _xml(entries, _ProtectedStream(stream_key))
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(cipher_key), modes.CBC(iv)).encryptor()
    payload = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()

    out = bytearray(header)
    out += hashlib.sha256(header).digest()
    out += hmac.new(block_key(0xFFFFFFFFFFFFFFFF), header, hashlib.sha256).digest()
    chunks = [payload[i : i + BLOCK] for i in range(0, len(payload), BLOCK)] + [b""]
    for index, chunk in enumerate(chunks):
        size = struct.pack("<I", len(chunk))
        mac = hmac.new(block_key(index), struct.pack("<Q", index) + size + chunk, hashlib.sha256)
        out += mac.digest() + size + chunk
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(bytes(out))
    tmp.replace(path)
