"""The step from vault format 3 to 4: the vocabulary settings signed.

A vault made before format 4 may hold its case categories, assessment indicators and
referral form as an earlier version wrote them, without a signature, and reads them as they
are (services/core/signed_settings.py). The step, part of ``vault upgrade``, in one
transaction:

1. every such value is signed by the coordinator who runs it, after the same checks a value
   set now gets; one that an earlier version could not read either (it fell back to the
   shipped list) is removed, which changes nothing anyone sees;
2. if that coordinator is the vault's root, the format is raised to 4 with the root's
   signature (vault_format.py), and ``vault.upgrade`` is audited with what was done. From
   then on an unsigned value is tampering, and a workstation that has seen format 4 refuses
   the vault in format 3.

Any coordinator may sign the values; only the root can raise the format, so another
coordinator's run signs and says that the root must run it to finish.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import canonical_json
from infohus_desktop.crypto.signing import vault_format_statement
from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.errors import Conflict, InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.settings import CATEGORIES, INDICATORS
from infohus_desktop.services.core import signed_settings
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.core.signed_settings import SIGNED_SETTINGS_FORMAT, SignedSetting
from infohus_desktop.services.referrals.settings import FORM
from infohus_desktop.services.retention.rules import RULES
from infohus_desktop.vault.schema import MemberRow, VaultInfo

#: The settings a vault before format 4 may hold unsigned.
VOCABULARY: tuple[SignedSetting, ...] = (CATEGORIES, INDICATORS, FORM)
#: Every signed setting: what a departing coordinator signed is taken over (vouching.py).
SIGNED_SETTINGS: tuple[SignedSetting, ...] = (*VOCABULARY, RULES)


@dataclass(frozen=True, slots=True)
class FormatStep:
    signed: int
    """Values signed now."""
    removed: int
    """Unsigned values no version could read, removed."""
    format: int
    """The vault's format after the step."""
    root_login: str | None
    """Set when the format still waits for the root coordinator (this member is not it)."""
    keys: tuple[str, ...] = ()
    """The settings signed now (``case.categories``, ...)."""


def format_step_due(ms: MemberSession) -> bool:
    return ms.vault.format_version < SIGNED_SETTINGS_FORMAT


@dataclass(frozen=True, slots=True)
class ShownValue:
    """An unsigned value as the coordinator is shown it before signing: what would be
    signed, and its digest, which the signing checks again (what was seen is what is
    signed: a value changed in the database meanwhile is refused, not signed)."""

    key: str
    digest: str
    """SHA-256 (64 hex digits) of the canonical JSON of the value that would be signed, or
    ``REMOVED`` for one that no version could read (it would be removed)."""
    text: str
    """The value as JSON, a list one entry a line (vocabulary, no personal data); "" when it
    is removed."""
    value: object = None
    """The value itself (``vault upgrade --show --json``); None when it is removed."""


#: The digest of a value the step removes instead of signing.
REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class PendingStep:
    """What the step would do for this coordinator (the start page offers it)."""

    unsigned: int
    root_login: str | None
    """The root's login when this member is not the root (then only the signing is theirs)."""
    keys: tuple[str, ...] = ()
    """The unsigned settings' keys (``case.categories``, ...)."""
    values: tuple[ShownValue, ...] = ()
    """What signing would sign, to be shown first (the start page's question)."""

    def shown(self) -> dict[str, str]:
        """The digests to hand to :func:`take_format_step` once the values were shown."""
        return {value.key: value.digest for value in self.values}


def pending_step(ms: MemberSession) -> PendingStep | None:
    """None when the vault is at format 4, the member is no coordinator, or the step has
    nothing for them (no unsigned value, and they are not the root)."""
    if ms.member.role is not Role.COORDINATOR or not format_step_due(ms):
        return None
    with ms.uow() as session:
        found = unsigned_settings(ms, session)
        keys = tuple(spec.key for spec in found)
        values = tuple(_shown(ms, session, spec) for spec in found)
        info = session.get(VaultInfo, 1)
        if info is not None and info.root_member_id == ms.member.id:
            return PendingStep(len(keys), None, keys, values)
        return PendingStep(len(keys), root_login(session), keys, values) if keys else None


def _to_sign(ms: MemberSession, session: Session, spec: SignedSetting) -> object | None:
    """The unsigned value as it would be signed, or None when no version could read it."""
    stored = signed_settings.read(ms, session, spec).value
    try:
        value = spec.normalise(stored)
        canonical_json(value)  # what no encoder takes (a lone surrogate) cannot be signed
    except (InvalidInput, TamperedData, ValueError, OverflowError, RecursionError):
        return None
    return value


def _shown(ms: MemberSession, session: Session, spec: SignedSetting) -> ShownValue:
    value = _to_sign(ms, session, spec)
    return ShownValue(spec.key, _digest_or_removed(value), _as_text(value), value)


def _as_text(value: object | None) -> str:
    """A list one entry a line (a category, an indicator), anything else indented. Letters
    as they are, so æøå read as themselves; characters that print as nothing or move the
    text (format, control and separator characters: U+202E, U+200B) as ``\\uXXXX``, so a
    label that differs from another only by them shows that it does."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = "\n".join(json.dumps(entry, ensure_ascii=False) for entry in value)
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(_visible(ch) for ch in text)


def _visible(ch: str) -> str:
    if ch == "\n" or unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp"):
        return ch
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def unsigned_settings(ms: MemberSession, session: Session) -> list[SignedSetting]:
    """The vocabulary values stored without a signature."""
    found = []
    for spec in VOCABULARY:
        try:
            stored = signed_settings.read(ms, session, spec)
        except TamperedData:
            continue  # no step signs over that: its readers say so, a coordinator sets it
        if stored.value is not None and not stored.signed:
            found.append(spec)
    return found


def root_login(session: Session) -> str | None:
    """The root coordinator's login: who can raise the format."""
    info = session.get(VaultInfo, 1)
    root = session.get(MemberRow, info.root_member_id) if info is not None else None
    return None if root is None else root.login


def take_format_step(ms: MemberSession, shown: Mapping[str, str] | None = None) -> FormatStep:
    """Sign the unsigned vocabulary and, as the root, raise the format to 4 (see the
    module's docstring). Coordinators only; nothing to do in a vault of format 4.

    ``shown``: the digests of the values the coordinator was shown
    (:meth:`PendingStep.shown`); a value that is not the one shown is refused with
    :class:`Conflict` and nothing is signed. Without it (the command line) what is found is
    signed, and named in the audit entry by its digest."""
    ms.require(Role.COORDINATOR)
    if not format_step_due(ms):
        return FormatStep(0, 0, ms.vault.format_version, None)
    with ms.transaction() as session:
        ms.vault.uow.lock_audit_chain(session)
        found = [(spec, _to_sign(ms, session, spec)) for spec in unsigned_settings(ms, session)]
        now = {spec.key: _digest_or_removed(value) for spec, value in found}
        if shown is not None and now != dict(shown):
            raise _changed_since_shown()
        removed, signed_now = 0, []
        for spec, value in found:
            if value is None:
                # No version could read it (it fell back to the shipped list), or no encoder
                # takes it (a lone surrogate): not signed, and removed, which nobody sees.
                signed_settings.remove(session, spec)
                removed += 1
                continue
            signed_settings.write(ms, session, spec, value)
            signed_now.append((spec.key, _digest(value)))
        signed = len(signed_now)
        info = session.get(VaultInfo, 1)
        is_root = info is not None and info.root_member_id == ms.member.id
        new_format = ms.vault.format_version
        if is_root:
            new_format = SIGNED_SETTINGS_FORMAT
            session.execute(
                update(VaultInfo)
                .where(VaultInfo.id == 1)
                .values(
                    format_version=new_format,
                    format_signature=ms.keyring.user_keys.sign(
                        vault_format_statement(ms.vault.vault_id, new_format)
                    ),
                )
            )
        if signed or removed or is_root:
            ms.record(
                session,
                AuditAction.VAULT_UPGRADE,
                None,
                Purpose.ADMINISTRATION,
                # Which values were signed, by digest: the audit group can later tell that
                # a list signed here is the one it was (a relabelling before the step shows).
                " ".join(
                    [f"format={new_format} signed={signed} removed={removed}"]
                    + [f"{key}=sha256:{digest}" for key, digest in signed_now]
                ),
            )
    keys = tuple(key for key, _digest in signed_now)
    if is_root:
        _raise_seen_format(ms, new_format)
        return FormatStep(signed, removed, new_format, None, keys)
    with ms.uow() as session:
        return FormatStep(signed, removed, new_format, root_login(session), keys)


def check_shown(ms: MemberSession, shown: Mapping[str, str]) -> None:
    """Refuse early, before an upgrade's other steps, when the values are not those shown
    (``take_format_step`` checks again in the transaction that signs)."""
    with ms.uow() as session:
        found = unsigned_settings(ms, session)
        now = {spec.key: _digest_or_removed(_to_sign(ms, session, spec)) for spec in found}
    if now != dict(shown):
        raise _changed_since_shown()


def _digest_or_removed(value: object | None) -> str:
    """The binding's digest: all of SHA-256 (a 64-bit prefix is a collision of about 2^32
    work: two lists that print alike in the question and sign differently)."""
    return REMOVED if value is None else hashlib.sha256(canonical_json(value)).hexdigest()


def _changed_since_shown() -> Conflict:
    return Conflict(
        "Indstillingerne fra en tidligere version er ændret, siden de blev vist, og intet er "
        "underskrevet. Se dem igen, før de underskrives.",
        "The settings from an earlier version changed after they were shown, and nothing "
        "was signed. Look at them again before they are signed.",
    )


def _digest(value: object) -> str:
    """The first 16 hex digits of SHA-256 over the value's canonical JSON: the audit entry's
    note of what was signed (the binding to what was shown uses all of it)."""
    return hashlib.sha256(canonical_json(value)).hexdigest()[:16]


def _raise_seen_format(ms: MemberSession, version: int) -> None:
    """This session and this workstation know the vault at the new format from now."""
    ms.vault.format_version = version
    signed_settings.forget(ms)
    pin = ms.vault.local.pin(ms.vault.vault_id)
    if pin is not None and pin.format_version < version:
        pin.format_version = version
        ms.vault.local.save_pin(pin)


__all__ = [
    "REMOVED",
    "SIGNED_SETTINGS",
    "VOCABULARY",
    "FormatStep",
    "PendingStep",
    "ShownValue",
    "check_shown",
    "format_step_due",
    "pending_step",
    "root_login",
    "take_format_step",
    "unsigned_settings",
]
