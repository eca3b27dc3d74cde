"""A strict reader for the canonical JSON of bundles.

A bundle comes from outside the vault, so its JSON is read as hostile: the bytes must be
valid UTF-8 and *exactly* what :func:`~infohus_desktop.crypto.encoding.canonical_json` would
write for the parsed value (sorted keys, no white space, no needless escapes), keys must be
unique, nesting is bounded before the parser runs (no recursion blow-up), and floats, NaN and
integers beyond 2**53 are refused, so that two implementations can never disagree about
what a bundle says.
"""

from __future__ import annotations

import json
import re
from typing import Any

from infohus_desktop.crypto.encoding import canonical_json

MAX_DEPTH = 32
MAX_SAFE_INT = 2**53 - 1

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]")


class StrictJsonError(ValueError):
    """The bytes are not canonical JSON within the limits. The text names no content."""


def nesting_depth(text: str) -> int:
    """Deepest nesting of objects and arrays, counted without recursion."""
    brackets = _NOT_BRACKET.sub("", _STRINGS.sub("", text))
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise StrictJsonError("duplicate key")
        out[key] = value
    return out


def _no_float(_text: str) -> Any:
    raise StrictJsonError("floats are not allowed")


def _int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INT:
        raise StrictJsonError("integer out of range")
    return value


def loads_canonical(data: bytes | bytearray | memoryview, max_bytes: int) -> Any:
    """Parse ``data`` if, and only if, it is canonical JSON of at most ``max_bytes`` bytes."""
    if len(data) > max_bytes:
        raise StrictJsonError("too large")
    raw = bytes(data)
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise StrictJsonError("not UTF-8") from exc
    if nesting_depth(text) > MAX_DEPTH:
        raise StrictJsonError("nested too deeply")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_float=_no_float,
            parse_int=_int,
            parse_constant=_no_float,
        )
    except StrictJsonError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a 5000-digit integer
        raise StrictJsonError("not JSON") from exc
    try:
        again = canonical_json(value)
    except (UnicodeEncodeError, ValueError) as exc:  # a lone surrogate escape, say
        raise StrictJsonError("not encodable") from exc
    if again != raw:
        raise StrictJsonError("not canonical")
    return value
