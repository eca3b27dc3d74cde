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
from itertools import accumulate
from typing import Any

from infohus_desktop.crypto.encoding import canonical_json

MAX_DEPTH = 32
MAX_SAFE_INT = 2**53 - 1

_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class StrictJsonError(ValueError):
    """The bytes are not canonical JSON within the limits. The text names no content."""


def nesting_depth(text: str) -> int:
    """Deepest nesting of objects and arrays, counted without recursion and in time linear
    in the text: it runs on a bundle's header *before* the signature is checked, so an
    attacker chooses these bytes.

    A scan that tracks whether it is inside a string, done by the C string routines (each
    step below walks the text once, never back): first the escapes, as JSON reads them left
    to right — every ``\\\\`` pair is one escaped backslash, so dropping those pairs leaves
    each remaining backslash escaping the character after it, and dropping ``\\"`` removes
    exactly the escaped quotes; now every quote opens or closes a string, so the text between
    the quotes at even positions is outside strings, and only its brackets count. (A regex
    matching whole strings, as before, retried from every quote of an unterminated string:
    quadratic, 11 s for a 64 KiB header.) For text that is not JSON the count may differ
    from any parser's, but the parser then refuses that text anyway.
    """
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    outside = "".join(unescaped.split('"')[0::2])
    steps = map(_STEP.__getitem__, _NOT_BRACKET.sub("", outside))
    return max(accumulate(steps, initial=0))


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
