"""The vault-wide vocabulary a coordinator sets, signed so that a database writer cannot
change it.

The case categories, the assessment indicators, the referral form and the retention rules
are no personal data, so they live in clear in ``vault_settings``. But what a category, an
indicator or a field is *called* decides how every sealed code is read: two labels swapped by
SQL would show every right-wing case as left-wing, and the rules decide when a case is
deleted. So each is stored as one canonical JSON envelope::

    {FIELD: value, "signer": member id, "signature": Ed25519 over the statement}

where the statement is ``statement(KIND, vault, FIELD=value, signer=...)`` (one kind per
setting, so a signed list cannot be moved to another setting or vault), and read only when
the signature verifies through the signer's certificate and the certificate names a
coordinator. Anything else is :class:`TamperedData` naming the setting.

A vault from before format 4 may still hold a vocabulary value that an earlier version wrote
without a signature: it is read as before until ``vault upgrade`` signs it, and from format 4
(signed by the root, never lowered on a workstation that saw it) an unsigned value is
tampering. The retention rules were signed from the start and never accept one.

What this does not stop: a value *deleted* by SQL (the shipped starting point applies, as in
a vault nobody configured) and an older signed value written back (row rollback, SECURITY.md
§1). A verified value is kept for the session by its stored text, so a list or a new case
reads one row and checks no signature again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import b64, canonical_json, unb64
from infohus_desktop.crypto.signing import SignKeys, statement
from infohus_desktop.domain.errors import InfohusError, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.access import flushed_connection
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.schema import MemberRow, SettingRow

#: From this vault format on a vocabulary value without a signature is tampering.
SIGNED_SETTINGS_FORMAT = 4
_SIGNER, _SIGNATURE = "signer", "signature"
_CACHE = "signed_settings"

_SETTINGS = SettingRow.__table__.c
_VALUE_OF = select(_SETTINGS.value).where(_SETTINGS.key == bindparam("setting"))


@dataclass(frozen=True, slots=True)
class SignedSetting:
    """One signed setting: its row, the kind of its statement, the envelope's value field,
    what a reader is told when it does not verify, and how a value is checked and brought
    into its stored form (raising :class:`~infohus_desktop.domain.errors.InvalidInput`)."""

    key: str
    kind: str
    #: What happened and what stops working, in Danish and English.
    tampered_da: str
    tampered_en: str
    #: Who sets it again, and where (left out in that very place).
    where_da: str
    where_en: str
    normalise: Callable[[object], object]
    field: str = "value"
    #: Whether a value stored without a signature is read in a vault before format 4.
    unsigned_before_format_4: bool = True

    def tampered(self) -> TamperedData:
        return TamperedData(
            f"{self.tampered_da} {self.where_da}", f"{self.tampered_en} {self.where_en}"
        )


@dataclass(frozen=True, slots=True)
class Stored:
    """What a setting's row holds: ``value`` None when there is no row."""

    value: object | None
    signed: bool


def _statement(ms: MemberSession, spec: SignedSetting, value: object, signer: str) -> bytes:
    return statement(spec.kind, ms.vault.vault_id, **{spec.field: value, _SIGNER: signer})


def _envelope(spec: SignedSetting, stored: object) -> tuple[object, str, str] | None:
    """(value, signer, signature) of a signed envelope, None for anything else. A legacy
    category map cannot look like one: its values are lists, never a signer's id."""
    if not isinstance(stored, dict) or set(stored) != {spec.field, _SIGNER, _SIGNATURE}:
        return None
    signer, signature = stored[_SIGNER], stored[_SIGNATURE]
    if not isinstance(signer, str) or not isinstance(signature, str):
        return None
    return stored[spec.field], signer, signature


def _text(session: Session, spec: SignedSetting) -> str | None:
    # Core, not session.get: read anew in every transaction (a new case reads the categories
    # in its own), and the ORM's layer cost more than the statement.
    connection = flushed_connection(session)
    text: str | None = connection.execute(_VALUE_OF, {"setting": spec.key}).scalar()
    return text


def _verified(ms: MemberSession, session: Session, spec: SignedSetting, text: str) -> Stored:
    try:
        stored: object = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than any value
        raise spec.tampered() from None
    envelope = _envelope(spec, stored)
    if envelope is None:
        if spec.unsigned_before_format_4 and not signed_settings_required(ms):
            return Stored(stored, signed=False)
        raise spec.tampered()
    value, signer_text, signature_text = envelope
    try:
        signer = uuid.UUID(signer_text)
        signature = unb64(signature_text)
        keys = ms.keyring.trust.sign_keys(session, signer)
        # ValueError too: a string no encoder takes (a lone surrogate written by SQL).
        said = _statement(ms, spec, value, signer_text)
    except (ValueError, RecursionError, InfohusError):
        raise spec.tampered() from None
    member = session.get(MemberRow, signer)
    # The role is part of the certificate sign_keys just verified. A coordinator who left
    # or became something else signs nothing any more: what they signed was signed anew by
    # the coordinator who changed them (take_over), so only a forged value can name them.
    if (
        member is None
        or member.role != Role.COORDINATOR.value
        or not member.active
        or member.removed_at is not None
    ):
        raise spec.tampered()
    if not keys.verify(signature, said):
        raise spec.tampered()
    return Stored(value, signed=True)


def signed_settings_required(ms: MemberSession) -> bool:
    return bool(ms.vault.format_version >= SIGNED_SETTINGS_FORMAT)


def forget(ms: MemberSession) -> None:
    """Drop the values verified so far (the format changed what an unsigned one is)."""
    ms.memory.pop(_CACHE, None)


def read(ms: MemberSession, session: Session, spec: SignedSetting) -> Stored:
    """The stored value, verified; ``Stored(None, False)`` when none is stored.
    :class:`TamperedData` naming the setting when it does not verify."""
    text = _text(session, spec)
    if text is None:
        return Stored(None, signed=False)
    cache = ms.memory.setdefault(_CACHE, {})
    assert isinstance(cache, dict)
    known = cache.get(spec.key)
    if known is not None and known[0] == text:
        result: Stored = known[1]
        return result
    result = _verified(ms, session, spec, text)
    cache[spec.key] = (text, result)
    return result


def write(ms: MemberSession, session: Session, spec: SignedSetting, value: object) -> None:
    """Store ``value`` (already in its normalised form) signed by this member."""
    me = str(ms.member.id)
    signature = ms.keyring.user_keys.sign(_statement(ms, spec, value, me))
    text = canonical_json({spec.field: value, _SIGNER: me, _SIGNATURE: b64(signature)}).decode()
    row = session.get(SettingRow, spec.key)
    if row is None:
        session.add(SettingRow(key=spec.key, value=text))
    else:
        row.value = text


def take_over(
    ms: MemberSession, session: Session, spec: SignedSetting, departing: uuid.UUID, theirs: SignKeys
) -> bool:
    """Sign anew, as this coordinator, the value ``departing`` validly signed (they are
    removed, become something else, or lose their keys; services/accounts/vouching.py). A
    value that does not verify with their keys is left as it is: re-signing would launder
    it. Whether it was signed anew."""
    text = _text(session, spec)
    if text is None:
        return False
    try:
        envelope = _envelope(spec, json.loads(text))
        if envelope is None or uuid.UUID(envelope[1]) != departing:
            return False
        value, signer_text, signature_text = envelope
        if not theirs.verify(unb64(signature_text), _statement(ms, spec, value, signer_text)):
            return False
    except (ValueError, RecursionError):
        return False
    write(ms, session, spec, value)
    return True


def remove(session: Session, spec: SignedSetting) -> None:
    session.execute(delete(SettingRow).where(SettingRow.key == spec.key))


__all__ = [
    "SIGNED_SETTINGS_FORMAT",
    "SignedSetting",
    "Stored",
    "forget",
    "read",
    "remove",
    "signed_settings_required",
    "take_over",
    "write",
]
