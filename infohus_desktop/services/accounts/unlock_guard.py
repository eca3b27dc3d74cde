"""The server-side unlock guard on PostgreSQL (``resources/sql/postgresql-unlock-guard.sql``).

The guard is a schema ``infohus_guard`` that the server administrator installs as a superuser;
its SECURITY DEFINER functions belong to the NOLOGIN role ``infohus_guard``, so the
application role can call them but cannot write the failure counts or change the code. Before
the key derivation :func:`begin` waits on the server (queued behind any other attempt for the
member) and counts the attempt as a failure; after a successful unlock :func:`finish` signs
the server's nonce with the member's Ed25519 key, and only that resets the count.

:func:`probe` tells whether the guard is installed *and* sound for the connected role (not its
owner, no superuser, no CREATEROLE, no write privilege on its tables). Without a sound guard
the client falls back to its own delay (SQLite's behaviour) and says so; with
``INFOHUS_REQUIRE_UNLOCK_GUARD=1`` it refuses to unlock instead. See docs/SECURITY.md §7.
"""

from __future__ import annotations

import enum
import os
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from infohus_desktop.crypto.encoding import lp
from infohus_desktop.domain.errors import VaultUnavailable
from infohus_desktop.vault.engine import database_error, is_sqlite

REQUIRE_ENV = "INFOHUS_REQUIRE_UNLOCK_GUARD"
GUARD_VERSION = 1
PROOF_LABEL = b"infohus/unlock-proof/v1"
SCRIPT_NAME = "postgresql-unlock-guard.sql"
SCRIPT = f"infohus_desktop/resources/sql/{SCRIPT_NAME}"


class GuardState(enum.StrEnum):
    NOT_APPLICABLE = "not-applicable"  # SQLite: nothing can enforce anything on a file
    ACTIVE = "active"
    ABSENT = "absent"
    UNSOUND = "unsound"


@dataclass(frozen=True, slots=True)
class GuardStatus:
    state: GuardState
    #: Why an installed guard does not count (English, no values): for ``vault info``
    #: (its JSON says it in English, as scripts read it).
    reason: str = ""
    #: The same in Danish, for ``vault info``'s text.
    reason_da: str = ""

    @property
    def active(self) -> bool:
        return self.state is GuardState.ACTIVE


_PROBE = text(
    """
    SELECT p.prosecdef AS definer,
           p.proowner = r.oid OR n.nspowner = r.oid AS owned_by_us,
           pg_has_role(r.oid, p.proowner, 'MEMBER') AS member_of_owner,
           r.rolsuper AS superuser,
           r.rolcreaterole AS createrole,
           has_function_privilege(p.oid, 'EXECUTE') AS can_call,
           coalesce((SELECT bool_or(has_table_privilege(
                        c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
                     FROM pg_class c
                     WHERE c.relnamespace = n.oid AND c.relkind = 'r'), false) AS can_write
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    CROSS JOIN pg_roles r
    WHERE n.nspname = 'infohus_guard' AND p.proname = 'begin_unlock'
      AND r.rolname = current_user
    """
)


def probe(engine: Engine) -> GuardStatus:
    """Is the guard installed, and can the role we are connected as not get around it?"""
    if is_sqlite(engine):
        return GuardStatus(GuardState.NOT_APPLICABLE)
    try:
        with engine.connect() as conn:
            row = conn.execute(_PROBE).mappings().first()
            if row is None:
                return GuardStatus(GuardState.ABSENT, "not installed", "ikke installeret")
            problems = [
                (en, da)
                for flag, en, da in (
                    (
                        not row["definer"],
                        "begin_unlock is not SECURITY DEFINER",
                        "begin_unlock er ikke SECURITY DEFINER",
                    ),
                    (
                        row["owned_by_us"],
                        "the guard belongs to the application role",
                        "vagten tilhører programmets rolle",
                    ),
                    (
                        row["member_of_owner"],
                        "the application role is a member of its owner",
                        "programmets rolle er medlem af dens ejer",
                    ),
                    (
                        row["superuser"],
                        "the application role is a superuser",
                        "programmets rolle er superbruger",
                    ),
                    (
                        row["createrole"],
                        "the application role has CREATEROLE",
                        "programmets rolle har CREATEROLE",
                    ),
                    (
                        not row["can_call"],
                        "the application role may not call it",
                        "programmets rolle må ikke kalde den",
                    ),
                    (
                        row["can_write"],
                        "the application role may write its tables",
                        "programmets rolle kan skrive i dens tabeller",
                    ),
                )
                if flag
            ]
            if not problems:
                version = conn.execute(text("SELECT infohus_guard.version()")).scalar()
                if version != GUARD_VERSION:
                    problems.append(
                        (
                            f"version {version}, expected {GUARD_VERSION}",
                            f"version {version}, forventet {GUARD_VERSION}",
                        )
                    )
    except OperationalError as exc:
        raise database_error(exc) from exc
    if problems:
        return GuardStatus(
            GuardState.UNSOUND,
            "; ".join(en for en, _da in problems),
            "; ".join(da for _en, da in problems),
        )
    return GuardStatus(GuardState.ACTIVE)


def required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


#: What the server's administrator runs to install the guard, or to mend it (it installs the
#: guard of this version as well as it upgrades the schema; docs/SERVER.md).
MENDED_BY = "infohus server migrate"


def refuse(status: GuardStatus) -> VaultUnavailable:
    if status.state is GuardState.ABSENT:
        return VaultUnavailable(
            "Serverens beskyttelse mod gætteforsøg (infohus_guard) mangler. Bed "
            f"serveradministratoren installere den med '{MENDED_BY}'.",
            "The server's protection against guessing (infohus_guard) is missing. Ask the "
            f"server administrator to install it with '{MENDED_BY}'.",
        )
    return VaultUnavailable(
        "Serverens beskyttelse mod gætteforsøg (infohus_guard) kan omgås "
        f"({status.reason_da}). Bed serveradministratoren rette det.",
        "The server's protection against guessing (infohus_guard) can be bypassed "
        f"({status.reason}). Ask the server administrator to put it right.",
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt the server has counted as a failure and waited for."""

    attempt_id: uuid.UUID
    member_id: uuid.UUID
    nonce: bytes
    failures_before: int
    waited: float


def begin(engine: Engine, member_id: uuid.UUID) -> Attempt:
    """Wait on the server for this member's turn and delay; the attempt counts as failed."""
    try:
        with engine.begin() as conn:
            row = conn.execute(
                text("SELECT * FROM infohus_guard.begin_unlock(:member)"),
                {"member": str(member_id)},
            ).one()
    except OperationalError as exc:
        raise database_error(exc) from exc
    return Attempt(
        uuid.UUID(str(row.o_attempt)), member_id, bytes(row.o_nonce), row.o_failures, row.o_waited
    )


def proof_message(attempt: Attempt) -> bytes:
    """What ``infohus_guard.proof_message`` builds on the server, byte for byte."""
    return lp(PROOF_LABEL, attempt.attempt_id.bytes, str(attempt.member_id).encode(), attempt.nonce)


def finish(engine: Engine, attempt: Attempt, signing: ed25519.Ed25519PrivateKey) -> bool:
    """Prove the unlock succeeded; the server then resets the member's count. One try."""
    signature = signing.sign(proof_message(attempt))
    try:
        with engine.begin() as conn:
            return bool(
                conn.execute(
                    text("SELECT infohus_guard.finish_unlock(:attempt, :sig)"),
                    {"attempt": str(attempt.attempt_id), "sig": signature},
                ).scalar()
            )
    except OperationalError as exc:
        raise database_error(exc) from exc


def failures(engine: Engine, member_id: uuid.UUID) -> int | None:
    """The server's count of failures in a row (``None`` if the member has no row yet)."""
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT infohus_guard.failures(:member)"), {"member": str(member_id)}
        ).scalar()
    return None if value is None else int(value)
