"""Byte encodings shared by the crypto modules: length-prefixed fields and canonical JSON."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any


def lp(*parts: bytes) -> bytes:
    """Concatenate with a 4-byte length before each part, so no two tuples encode alike."""
    out = bytearray()
    for part in parts:
        out += len(part).to_bytes(4, "big")
        out += part
    return bytes(out)


def uuid_bytes(value: uuid.UUID | None) -> bytes:
    return value.bytes if value is not None else bytes(16)


#: The encoder ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
#: makes anew on every call, made once (a sixth of a short statement's encoding time).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(obj: Any) -> bytes:
    """Sorted keys, no white space, UTF-8: the same object always gives the same bytes."""
    return _CANONICAL.encode(obj).encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
