"""The cold case list's shortcuts give the same bytes and values as the general forms they
stand in for (issue 17): the data-key label made from a per-epoch tail, the key id's bytes
read from its text, and the payload parser."""

from __future__ import annotations

import json
import uuid

import pytest

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.vault.bulk_data_keys import DATA_KEY_HEAD, data_key_label_tail, id_bytes
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.group_keys import data_key_label


@pytest.mark.parametrize("epoch", [1, 2, 255, 256, 70_000, 2**31])
def test_the_label_from_a_tail_is_the_data_key_label(epoch: int) -> None:
    for _ in range(20):
        key_id, group_id = uuid.uuid4(), uuid.uuid4()
        fast = DATA_KEY_HEAD + key_id.bytes + data_key_label_tail(group_id, epoch)
        assert fast == data_key_label(key_id, group_id, epoch)


def test_id_bytes_reads_the_stored_text_as_uuid_does() -> None:
    for _ in range(50):
        value = uuid.uuid4()
        assert id_bytes(str(value)) == value.bytes
        assert id_bytes(str(value).upper()) == value.bytes
    for bad in ("", "abc", str(uuid.uuid4())[:-2], str(uuid.uuid4()) + "00"):
        with pytest.raises(ValueError, match=r"UUID|hexadecimal"):
            id_bytes(bad)
    with pytest.raises(ValueError, match="non-hexadecimal"):
        id_bytes("x" * 36)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Åse Ørsted", "cpr": None},
        {"name": "x", "cpr": "0101901234", "guardians": [{"name": "y", "informed": True}]},
        {},
    ],
)
def test_loads_reads_what_dumps_wrote_and_what_json_reads(data: dict[str, object]) -> None:
    assert loads(dumps(data)) == data
    # White space around or inside (never written by dumps) reads as json.loads reads it.
    spaced = json.dumps(data, indent=2, ensure_ascii=False)
    for text in (spaced, f"  {spaced}\n", f"{spaced}\t "):
        assert loads(text.encode()) == json.loads(text) == data


@pytest.mark.parametrize(
    "raw",
    [b"", b"[]", b'"text"', b"1", b'{"a": 1} x', b'{"a": 1}{}', b'{"a":', b"\xff{}", b"null"],
)
def test_loads_refuses_what_is_not_one_object(raw: bytes) -> None:
    with pytest.raises(TamperedData):
        loads(raw)
