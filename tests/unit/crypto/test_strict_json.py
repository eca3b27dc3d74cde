"""The nesting check of the strict JSON reader runs on a bundle's header before its signature
is checked: it must take time linear in the input whatever the bytes, and count exactly what a
character-by-character scan that tracks strings and escapes counts."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infohus_desktop.crypto import bundle
from infohus_desktop.crypto.strict_json import StrictJsonError, loads_canonical, nesting_depth
from infohus_desktop.domain.bundles import BundleRejected, RejectReason

#: ``"`` then ``\"`` repeated: one string that never closes. The old regex retried it from
#: every quote: 11 s for these 64 KiB, hours for a 4 MiB manifest.
HOSTILE_HEADER = '"' + '\\"' * (bundle.MAX_HEADER_BYTES // 2 - 1)
MANIFEST_BYTES = 4 * 1024 * 1024


def reference_depth(text: str) -> int:
    """The obvious scan, one character at a time (the oracle; too slow for the reader)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def cpu_seconds(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    fn()
    return time.process_time() - start


_plain = st.sampled_from(list("[]{},:a"))
_string_body = st.lists(_plain | st.sampled_from(list('[]{}"\\au')).map(lambda c: "\\" + c))
_closed_string = _string_body.map(lambda parts: '"' + "".join(parts) + '"')
_open_string = _string_body.map(lambda parts: '"' + "".join(parts))
#: Any text whose backslashes are inside strings (elsewhere JSON has none, and the parser
#: refuses such text whatever the count): balanced or not, a string may stay open at the end.
any_text = st.tuples(st.lists(_plain | _closed_string, max_size=30), st.none() | _open_string).map(
    lambda t: "".join(t[0]) + (t[1] or "")
)


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_depth_equals_the_character_scan_on_any_text(text: str) -> None:
    assert nesting_depth(text) == reference_depth(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\a\n/'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet='[]{}"\\b', max_size=4), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_depth_of_json_with_brackets_quotes_and_backslashes_in_strings(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert nesting_depth(text) == reference_depth(text)


def test_escapes_decide_where_a_string_ends() -> None:
    assert nesting_depth(r'["\\",[]]') == 2  # an escaped backslash: the quote closes
    assert nesting_depth(r'["\"",[]]') == 2  # an escaped quote: the next one closes
    assert nesting_depth(r'["\\\"[[",[]]') == 2  # three backslashes: the quote is escaped
    assert nesting_depth(r'["\\\\"]') == 1
    assert nesting_depth('"[[[') == 0  # an unterminated string hides the rest


def test_a_hostile_header_is_refused_in_linear_time() -> None:
    """The 64 KiB header that took the old regex 11 s: refused as a header in a fraction of
    that (the bound is 10x generous; the scan itself takes about a millisecond)."""
    assert len(HOSTILE_HEADER) <= bundle.MAX_HEADER_BYTES
    assert nesting_depth(HOSTILE_HEADER) == 0
    header = HOSTILE_HEADER.encode()
    data = (
        bundle.MAGIC
        + bundle.FORMAT_VERSION.to_bytes(2, "big")
        + len(header).to_bytes(4, "big")
        + header
        + bytes(64)
    )
    outcome: list[BundleRejected] = []

    def parse() -> None:
        with pytest.raises(BundleRejected) as info:
            bundle.parse(data)
        outcome.append(info.value)

    assert cpu_seconds(parse) < 1.0
    assert outcome[0].reason is RejectReason.HEADER


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("unterminated escaped quotes", '{"data":"' + '\\"' * (MANIFEST_BYTES // 2 - 8)),
        ("escaped backslashes", '{"data":"' + "\\\\" * (MANIFEST_BYTES // 2 - 8) + '"}'),
        ("empty strings", "[" + '"",' * (MANIFEST_BYTES // 3 - 1) + '""]'),
        ("brackets", "[" + "[]," * (MANIFEST_BYTES // 3 - 1) + "[]]"),
        ("deep", "[" * (MANIFEST_BYTES // 2) + "]" * (MANIFEST_BYTES // 2)),
    ],
)
def test_a_4_mib_manifest_is_measured_in_linear_time(name: str, text: str) -> None:
    """Manifest-sized hostile inputs (the old regex needed hours for the first) are counted
    in well under a few seconds of CPU each (typically 0.02-0.4 s; the parse that follows a
    valid count is the json module's, not measured here)."""
    assert len(text.encode()) <= MANIFEST_BYTES
    assert cpu_seconds(lambda: nesting_depth(text)) < 3.0, name


def test_a_4_mib_unterminated_manifest_is_refused_quickly() -> None:
    data = ('{"data":"' + '\\"' * (MANIFEST_BYTES // 2 - 8)).encode()

    def refuse() -> None:
        with pytest.raises(StrictJsonError):
            loads_canonical(data, MANIFEST_BYTES)

    assert cpu_seconds(refuse) < 3.0
