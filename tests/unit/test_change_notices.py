"""The live-update notice: small, content-free, and nothing malformed gets through."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from infohus_desktop.domain.change_notices import MAX_PAYLOAD, decode_notice, encode_notice
from infohus_desktop.domain.changes import Area, ChangeOrigin, Changes

AT = datetime(2026, 12, 6, 9, 42, 17, tzinfo=UTC)
# Fixed, not random: it appears in parameter ids, which every xdist worker must collect alike.
SESSION = "5e55109a0c0ffee05e55109a0c0ffee0"


def test_a_notice_round_trips_with_its_origin() -> None:
    ids = frozenset({str(uuid.uuid4()), str(uuid.uuid4())})
    payload = encode_notice(Changes(frozenset({Area.CASES, Area.MEETINGS}), ids), SESSION, "x", AT)
    changes = decode_notice(payload)
    assert changes == Changes(
        frozenset({Area.CASES, Area.MEETINGS}),
        ids,
        ChangeOrigin(SESSION, "x", AT.replace(second=17)),
    )


def test_too_many_ids_become_the_areas_only() -> None:
    ids = frozenset(str(uuid.uuid4()) for _ in range(500))
    payload = encode_notice(Changes(frozenset({Area.TRENDS}), ids), SESSION, "x" * 82, AT)
    assert len(payload.encode()) <= MAX_PAYLOAD
    changes = decode_notice(payload)
    assert changes is not None and changes.areas == {Area.TRENDS} and not changes.objects
    assert changes.touches(Area.TRENDS, uuid.uuid4())  # "reload the area"


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "not json",
        "[]",
        json.dumps({"v": 2, "s": SESSION, "m": "", "t": 1, "a": ["cases"]}),
        json.dumps({"v": 1, "s": "", "m": "", "t": 1, "a": ["cases"]}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": "1", "a": ["cases"]}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": True, "a": ["cases"]}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": 1, "a": ["nothing"]}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": 1, "a": "cases"}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": 1, "a": ["cases"], "o": [1]}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": 1, "a": ["cases"], "o": ["lars"]}),
        json.dumps({"v": 1, "s": SESSION, "m": "", "t": 10**20, "a": ["cases"]}),
        json.dumps({"v": 1, "s": SESSION, "m": 5, "t": 1, "a": ["cases"]}),
    ],
)
def test_a_malformed_notice_is_dropped(payload: str) -> None:
    assert decode_notice(payload) is None


def test_only_row_ids_travel() -> None:
    ids = frozenset({str(uuid.uuid4()), "lars", "AAR-2026-0001"})
    payload = encode_notice(Changes(frozenset({Area.ACCOUNTS}), ids), SESSION, "x", AT)
    assert "lars" not in payload and "AAR" not in payload
    changes = decode_notice(payload)
    assert changes is not None and changes.areas == {Area.ACCOUNTS} and not changes.objects


def test_an_origin_survives_merging_only_with_itself() -> None:
    origin = ChangeOrigin(SESSION, "x", AT)
    a = Changes(frozenset({Area.CASES}), frozenset({"1"}), origin)
    assert a.merged(Changes(frozenset({Area.CASES}), frozenset({"2"}), origin)).origin == origin
    assert a.merged(Changes(frozenset({Area.CASES}), frozenset({"2"}))).origin is None


def test_a_deeply_nested_notice_is_dropped_not_raised() -> None:
    # Anyone who may connect may NOTIFY: 3,990 brackets fit under the size limit and would
    # make json.loads raise RecursionError, ending the listener thread.
    assert decode_notice("[" * 3990 + "]" * 3990) is None
    assert decode_notice("[" * 3990) is None
    assert decode_notice(" " * 9000) is None
