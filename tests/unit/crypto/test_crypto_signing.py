"""Signed statements: canonical, typed, bound to the vault; verify() never raises."""

from __future__ import annotations

import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from infohus_desktop.crypto import signing
from infohus_desktop.crypto.encoding import b64
from infohus_desktop.crypto.keys import PublicKeys, UserKeyPair
from infohus_desktop.crypto.signing import (
    certificate_statement,
    checkpoint_statement,
    epoch_key_statement,
    membership_statement,
    statement,
    verify,
)

VAULT = uuid.UUID("11111111-1111-4111-8111-111111111111")
OTHER_VAULT = uuid.UUID("99999999-9999-4999-8999-999999999999")
MEMBER = uuid.UUID("22222222-2222-4222-8222-222222222222")
ORG = uuid.UUID("33333333-3333-4333-8333-333333333333")
GROUP = uuid.UUID("44444444-4444-4444-8444-444444444444")


@pytest.fixture(scope="module")
def member_keys() -> PublicKeys:
    return UserKeyPair.generate().public()


@pytest.fixture(scope="module")
def signer() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def _flip(data: bytes, position: int) -> bytes:
    out = bytearray(data)
    out[position] ^= 1
    return bytes(out)


# --- statements ---------------------------------------------------------------------------


def test_certificate_statement_content(member_keys: PublicKeys) -> None:
    text = certificate_statement(VAULT, MEMBER, ORG, "coordinator", member_keys)
    assert json.loads(text) == {
        "type": "member-certificate",
        "v": 1,
        "vault": str(VAULT),
        "member": str(MEMBER),
        "org": str(ORG),
        "role": "coordinator",
        "kem": b64(member_keys.kem),
        "sign": b64(member_keys.sign),
    }
    assert b" " not in text  # canonical: no white space
    assert text == certificate_statement(VAULT, MEMBER, ORG, "coordinator", member_keys)


def test_certificate_statement_differs_when_any_field_changes(member_keys: PublicKeys) -> None:
    other_keys = UserKeyPair.generate().public()
    base = certificate_statement(VAULT, MEMBER, ORG, "member", member_keys)
    variants = {
        "vault": certificate_statement(OTHER_VAULT, MEMBER, ORG, "member", member_keys),
        "member": certificate_statement(VAULT, uuid.uuid4(), ORG, "member", member_keys),
        "org": certificate_statement(VAULT, MEMBER, uuid.uuid4(), "member", member_keys),
        "role": certificate_statement(VAULT, MEMBER, ORG, "coordinator", member_keys),
        "kem": certificate_statement(
            VAULT, MEMBER, ORG, "member", PublicKeys(other_keys.kem, member_keys.sign)
        ),
        "sign": certificate_statement(
            VAULT, MEMBER, ORG, "member", PublicKeys(member_keys.kem, other_keys.sign)
        ),
        "member-org-swapped": certificate_statement(VAULT, ORG, MEMBER, "member", member_keys),
        "kem-one-bit": certificate_statement(
            VAULT, MEMBER, ORG, "member", PublicKeys(_flip(member_keys.kem, 1215), member_keys.sign)
        ),
    }
    for name, variant in variants.items():
        assert variant != base, name
    assert len(set(variants.values())) == len(variants)


def test_other_statements_differ_by_every_field() -> None:
    pub = bytes(range(32))
    assert checkpoint_statement(VAULT, 100, "ab") != checkpoint_statement(VAULT, 101, "ab")
    assert checkpoint_statement(VAULT, 100, "ab") != checkpoint_statement(VAULT, 100, "ac")
    assert checkpoint_statement(VAULT, 100, "ab") != checkpoint_statement(OTHER_VAULT, 100, "ab")
    epoch = epoch_key_statement(VAULT, GROUP, 3, pub)
    assert epoch != epoch_key_statement(VAULT, GROUP, 4, pub)
    assert epoch != epoch_key_statement(VAULT, MEMBER, 3, pub)
    assert epoch != epoch_key_statement(VAULT, GROUP, 3, _flip(pub, 0))
    assert epoch != epoch_key_statement(OTHER_VAULT, GROUP, 3, pub)
    membership = membership_statement(VAULT, GROUP, MEMBER, 3)
    assert membership != membership_statement(VAULT, GROUP, MEMBER, 4)
    assert membership != membership_statement(VAULT, GROUP, ORG, 3)
    assert membership != membership_statement(VAULT, ORG, MEMBER, 3)
    assert membership != membership_statement(OTHER_VAULT, GROUP, MEMBER, 3)


def test_every_statement_carries_its_type_and_vault(member_keys: PublicKeys) -> None:
    statements = {
        "member-certificate": certificate_statement(VAULT, MEMBER, ORG, "member", member_keys),
        "audit-checkpoint": checkpoint_statement(VAULT, 1, "00"),
        "group-epoch-key": epoch_key_statement(VAULT, GROUP, 1, bytes(32)),
        "group-membership": membership_statement(VAULT, GROUP, MEMBER, 1),
    }
    for kind, text in statements.items():
        parsed = json.loads(text)
        assert parsed["type"] == kind
        assert parsed["vault"] == str(VAULT)
        assert parsed["v"] == 1


def test_statement_is_canonical_whatever_the_field_order() -> None:
    assert statement("x", VAULT, a=1, b="æ") == statement("x", VAULT, b="æ", a=1)
    assert statement("x", VAULT, b="æ") == '{"b":"æ","type":"x","v":1,"vault":"%s"}'.encode() % (
        str(VAULT).encode(),
    )


# --- verify -------------------------------------------------------------------------------


def test_verify_right_signature(signer: ed25519.Ed25519PrivateKey, member_keys: PublicKeys) -> None:
    message = certificate_statement(VAULT, MEMBER, ORG, "member", member_keys)
    signature = signer.sign(message)
    assert verify(signer.public_key().public_bytes_raw(), signature, message) is True


def test_verify_with_user_key_pair_signature(member_keys: PublicKeys) -> None:
    pair = UserKeyPair.generate()
    message = checkpoint_statement(VAULT, 100, "ff" * 32)
    assert verify(pair.public().sign, pair.sign(message), message) is True


def test_verify_false_for_every_flipped_signature_byte(
    signer: ed25519.Ed25519PrivateKey,
) -> None:
    message = checkpoint_statement(VAULT, 200, "ab" * 32)
    signature = signer.sign(message)
    public = signer.public_key().public_bytes_raw()
    for position in range(len(signature)):
        for bit in range(8):
            mutated = bytearray(signature)
            mutated[position] ^= 1 << bit
            assert verify(public, bytes(mutated), message) is False, (position, bit)


def test_verify_false_for_every_flipped_message_byte(
    signer: ed25519.Ed25519PrivateKey,
) -> None:
    message = membership_statement(VAULT, GROUP, MEMBER, 2)
    signature = signer.sign(message)
    public = signer.public_key().public_bytes_raw()
    for position in range(len(message)):
        assert verify(public, signature, _flip(message, position)) is False, position
    assert verify(public, signature, message + b" ") is False
    assert verify(public, signature, message[:-1]) is False


def test_verify_false_for_wrong_key(signer: ed25519.Ed25519PrivateKey) -> None:
    message = checkpoint_statement(VAULT, 1, "00")
    signature = signer.sign(message)
    other = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    assert verify(other, signature, message) is False
    public = signer.public_key().public_bytes_raw()
    for position in (0, 15, 31):
        assert verify(_flip(public, position), signature, message) is False


@pytest.mark.parametrize(
    ("public", "signature_len"),
    [
        pytest.param(b"", 64, id="empty-key"),
        pytest.param(bytes(31), 64, id="short-key"),
        pytest.param(bytes(33), 64, id="long-key"),
        pytest.param(None, 0, id="empty-signature"),
        pytest.param(None, 63, id="short-signature"),
        pytest.param(None, 65, id="long-signature"),
    ],
)
def test_verify_false_never_raises_for_malformed_input(
    signer: ed25519.Ed25519PrivateKey, public: bytes | None, signature_len: int
) -> None:
    message = checkpoint_statement(VAULT, 1, "00")
    signature = (signer.sign(message) * 2)[:signature_len]
    key = public if public is not None else signer.public_key().public_bytes_raw()
    assert verify(key, signature, message) is False


def test_verify_false_for_statement_of_another_type_or_vault(
    signer: ed25519.Ed25519PrivateKey,
) -> None:
    public = signer.public_key().public_bytes_raw()
    fields = {"group": str(GROUP), "member": str(MEMBER), "epoch": 5}
    signed = statement("group-membership", VAULT, **fields)
    signature = signer.sign(signed)
    assert signed == membership_statement(VAULT, GROUP, MEMBER, 5)
    assert verify(public, signature, signed) is True
    assert verify(public, signature, statement("group-epoch-key", VAULT, **fields)) is False
    assert verify(public, signature, statement("audit-checkpoint", VAULT, **fields)) is False
    assert verify(public, signature, membership_statement(OTHER_VAULT, GROUP, MEMBER, 5)) is False

    head = "aa" * 32
    sig = signer.sign(checkpoint_statement(VAULT, 100, head))
    assert verify(public, sig, checkpoint_statement(VAULT, 100, head)) is True
    assert verify(public, sig, checkpoint_statement(OTHER_VAULT, 100, head)) is False
    assert verify(public, sig, statement("member-certificate", VAULT, seq=100, head=head)) is False


def test_statement_module_uses_canonical_json() -> None:
    assert signing.canonical_json({"b": 1, "a": "ø"}) == '{"a":"ø","b":1}'.encode()


@pytest.mark.parametrize(
    "override",
    [{"type": "member-certificate"}, {"vault": str(OTHER_VAULT)}, {"v": 2}],
    ids=["type", "vault", "v"],
)
def test_fields_cannot_override_type_vault_or_version(override: dict[str, object]) -> None:
    try:
        text = statement("audit-checkpoint", VAULT, **override)
    except (TypeError, ValueError):
        return
    parsed = json.loads(text)
    assert (parsed["type"], parsed["vault"], parsed["v"]) == ("audit-checkpoint", str(VAULT), 1)
