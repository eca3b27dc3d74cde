"""The verification's fast encodings give exactly the bytes of the definitions they replace:
an entry's canonical JSON (``audit_chain.canonical_entry``, ``json.dumps`` with sorted keys
over the entry the ORM reads), the statement its actor signed, and ``canonical_json`` itself.
One byte of difference would make every honest log fail verification, or worse, make two
different entries hash alike; so each is held against its definition over many generated
entries: any text (quotes, back-slashes, control characters, every plane), any integer,
empty values, ids stored in another spelling."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infohus_desktop.crypto.encoding import canonical_json
from infohus_desktop.crypto.signing import audit_entry_statement
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_walk import (
    COLUMNS,
    canonical_fast,
    canonical_reference,
    entry_digest,
    entry_statement_fast,
)
from infohus_desktop.vault.schema import AuditEntryRow

texts = st.text(max_size=40) | st.sampled_from(['"', "\\", "\x00\x1f\x7f", "æøå 😀", "\u2028"])
integers = st.integers() | st.integers(min_value=1, max_value=10**6)
blobs = st.none() | st.binary(max_size=200)
uuids = st.uuids()
hex64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500)
@given(json_values)
def test_canonical_json_is_json_dumps_with_sorted_keys(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == expected.encode()


def _raw(**values: Any) -> tuple[Any, ...]:
    return tuple(values.get(name) for name in COLUMNS)


def _orm(**values: Any) -> AuditEntryRow:
    return AuditEntryRow(**values)


@st.composite
def format_2(draw: st.DrawFn) -> tuple[tuple[Any, ...], AuditEntryRow]:
    seq, entry_id, session_id = draw(integers), draw(uuids), draw(uuids)
    at, body, sig, prev = draw(texts), draw(blobs), draw(blobs), draw(hex64)
    raw = _raw(
        seq=seq, id=str(entry_id), at=at, session_id=str(session_id), body=body,
        signature=sig, prev_hash=prev, entry_hash="",
    )  # fmt: skip
    row = _orm(
        seq=seq, id=entry_id, at=at, session_id=session_id, body=body, signature=sig,
        prev_hash=prev, entry_hash="",
    )  # fmt: skip
    return raw, row


@st.composite
def format_1(draw: st.DrawFn) -> tuple[tuple[Any, ...], AuditEntryRow]:
    seq, entry_id, at = draw(integers), draw(uuids), draw(texts)
    actor, org = draw(st.none() | uuids), draw(st.none() | uuids)
    login, ws, action, obj, purpose = (draw(st.none() | texts) for _ in range(5))
    epoch, detail = draw(st.none() | integers), draw(blobs)
    raw = _raw(
        seq=seq, id=str(entry_id), at=at, actor_id=str(actor) if actor else None,
        actor_login=login, organisation_id=str(org) if org else None, workstation=ws,
        action=action, object_id=obj, purpose=purpose, detail_epoch=epoch, detail=detail,
        prev_hash="0" * 64, entry_hash="",
    )  # fmt: skip
    row = _orm(
        seq=seq, id=entry_id, at=at, actor_id=actor, actor_login=login, organisation_id=org,
        workstation=ws, action=action, object_id=obj, purpose=purpose, detail_epoch=epoch,
        detail=detail, prev_hash="0" * 64, entry_hash="",
    )  # fmt: skip
    return raw, row


@settings(max_examples=1000)
@given(format_2())
def test_an_entry_encodes_as_its_definition(entry: tuple[tuple[Any, ...], AuditEntryRow]) -> None:
    raw, row = entry
    expected = audit_chain.canonical_entry(row)
    assert canonical_fast(raw) == expected
    assert canonical_reference(raw) == expected


@settings(max_examples=300)
@given(format_1())
def test_a_format_1_entry_encodes_as_its_definition(
    entry: tuple[tuple[Any, ...], AuditEntryRow],
) -> None:
    raw, row = entry
    assert canonical_fast(raw) is None  # the definition encodes it
    assert canonical_reference(raw) == audit_chain.canonical_entry(row)


@settings(max_examples=300)
@given(format_2(), hex64)
def test_the_digest_is_the_definitions_whatever_the_spelling_of_the_ids(
    entry: tuple[tuple[Any, ...], AuditEntryRow], prev: str
) -> None:
    raw, row = entry
    expected = audit_chain.entry_hash(prev, row)
    stored = list(raw)
    stored[COLUMNS.index("entry_hash")] = expected
    assert entry_digest(prev.encode(), tuple(stored)) == expected
    # An id stored in capitals reads as the same id, so it hashes as before (the
    # definition, not the fast form, decides).
    stored[COLUMNS.index("id")] = str(row.id).upper()
    assert entry_digest(prev.encode(), tuple(stored)) == expected
    # A changed value does not.
    stored[COLUMNS.index("at")] = (row.at or "") + "x"
    assert entry_digest(prev.encode(), tuple(stored)) != expected


def test_an_id_that_is_no_id_does_not_match_rather_than_fail() -> None:
    raw = _raw(seq=1, id="not an id", at="t", session_id=str(uuid.uuid4()), entry_hash="0" * 64)
    assert entry_digest(b"0" * 64, raw) is None


@settings(max_examples=500)
@given(format_2(), uuids)
def test_the_signed_statement_encodes_as_its_definition(
    entry: tuple[tuple[Any, ...], AuditEntryRow], vault_id: uuid.UUID
) -> None:
    raw, row = entry
    assert row.session_id is not None
    expected = audit_entry_statement(
        vault_id, row.seq, row.id, row.at, row.session_id, bytes(row.body or b""), row.prev_hash
    )
    assert expected == audit_chain.signed_statement(vault_id, row)
    assert entry_statement_fast(str(vault_id), raw, str(row.id), str(row.session_id)) == expected
