"""Building the demo vault: :func:`create_demo_vault`, and the clean-up when a build fails.

A demo is only ever made in a new place (:func:`refuse_existing`), and a build that fails or
is interrupted (Ctrl+C included) removes what it made: the SQLite file with its journal files,
or the new tables, and the audit checkpoint file. A half-made demo would be a vault nobody
can trust or finish, and it would block the next attempt at the same place.
"""

from __future__ import annotations

import contextlib
import random
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from faker import Faker
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from infohus_desktop.demo.bundles import make_bundles
from infohus_desktop.demo.case_lives import make_cases
from infohus_desktop.demo.context import DemoContext, Progress
from infohus_desktop.demo.meetings import make_meetings
from infohus_desktop.demo.members import (
    DEMO_MEMBERS,
    DISTRICT,
    POLICE,
    DemoMember,
    make_organisation,
)
from infohus_desktop.demo.referrals import make_referrals
from infohus_desktop.demo.trends import make_trend_notes
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import OrgKind
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.creation import discard_new_schema
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import Vault
from infohus_desktop.vault.engine import create_vault_engine, database_error, describe_location

#: The largest demo accepted; beyond it the build takes hours.
MAX_CASES = 100_000


@dataclass(frozen=True, slots=True)
class DemoVault:
    """What :func:`create_demo_vault` made: where, and who can unlock it with what."""

    location: str  # a file path, or host/database without password
    vault_id: uuid.UUID
    infohus: str
    root_fingerprint: str
    cases: int
    members: list[DemoMember]


def create_demo_vault(
    url: str,
    cases: int = 60,
    seed: int = 2026,
    local: LocalState | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    meeting_months: int = 12,
) -> DemoVault:
    """Make a new demo vault at ``url``; refuse (:class:`InvalidInput`) if one exists there.

    ``progress(done, total)`` is called at the start and after each step: the organisation
    (members with their keys, the slow start), each case, then trend notes, meetings,
    referrals and bundles; ``total`` is the number of cases plus :data:`OTHER_STEPS`. A
    build that fails or is interrupted leaves nothing behind: the new SQLite file, or the
    new tables, are removed. ``meeting_months`` is how far back the meetings go (a year for
    every user; a test that only reads cases asks for less, as the meetings are most of the
    build's time).
    """
    if not 0 <= cases <= MAX_CASES:
        raise InvalidInput(
            f"Antallet af sager skal være mellem 0 og {MAX_CASES}.",
            f"The number of cases must be between 0 and {MAX_CASES}.",
        )
    today = today or date.today()
    if today > date.today():
        raise InvalidInput(
            "Demoens dato kan ikke ligge i fremtiden.", "The demo's date cannot lie in the future."
        )
    refuse_existing(url)
    local = local or LocalState()
    root = DEMO_MEMBERS[0]
    session = Vault.create(
        url,
        NewVault(DISTRICT, root.login, root.name, POLICE, OrgKind.POLICE, root.passphrase, POLICE),
        local,
    )
    vault = session.vault
    # Seeded on purpose: the same seed gives the same synthetic data. Nothing secret.
    rng = random.Random(seed)  # noqa: S311
    ctx = DemoContext(vault, {root.login: session}, rng, _faker(seed), today)
    ctx.meeting_months = meeting_months
    total = cases + OTHER_STEPS
    step = _Steps(progress, total)
    try:
        make_organisation(ctx)
        step.done(1)
        make_cases(ctx, cases, lambda done, _count: step.done(1 + done))
        for make in (make_trend_notes, make_meetings, make_referrals, make_bundles):
            make(ctx)
            step.done(step.at + 1)
        result = DemoVault(
            vault.location,
            vault.vault_id,
            vault.infohus_name,
            vault.root_fingerprint(),
            cases,
            list(DEMO_MEMBERS),
        )
        for member_session in ctx.sessions.values():
            member_session.lock()
    except BaseException:
        _discard(ctx, url, local)
        raise
    finally:
        vault.close()
    return result


#: The steps of a build besides its cases: organisation, trend notes, meetings, referrals,
#: bundles.
OTHER_STEPS = 5


class _Steps:
    """Reports the build's progress, from 0 to ``total``, each step once."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.at = progress, total, 0
        if progress:
            progress(0, total)

    def done(self, at: int) -> None:
        if self.progress and at > self.at:
            self.progress(at, self.total)
        self.at = max(self.at, at)


def _faker(seed: int) -> Faker:
    """The build's Danish Faker, seeded so that the same seed gives the same names."""
    fake = Faker("da_DK")
    fake.seed_instance(seed)
    return fake


def refuse_existing(url: str) -> None:
    """Raise :class:`InvalidInput` if a vault, or anything, already exists at ``url``."""
    location = describe_location(url)
    if make_url(url).get_backend_name() == "sqlite":
        exists = Path(location).exists()
    else:
        engine = create_vault_engine(url)
        try:
            exists = bool(inspect(engine).get_table_names())
        except OperationalError as exc:
            raise database_error(exc) from exc
        finally:
            engine.dispose()
    if exists:
        raise InvalidInput(
            f"Der findes allerede en boks på {location}; demoboksen laves kun et nyt sted. "
            "Intet er ændret.",
            f"A vault already exists at {location}; the demo vault is only made in a new "
            "place. Nothing was changed.",
        )


def _discard(ctx: DemoContext, url: str, local: LocalState) -> None:
    """Remove a half-made demo: its database (or file) and its checkpoint file."""
    vault = ctx.vault
    for member_session in ctx.sessions.values():
        with contextlib.suppress(Exception):
            member_session.case_cache.clear()
            member_session.keyring.forget()
    with contextlib.suppress(Exception):
        local.checkpoint_file(vault.vault_id).unlink(missing_ok=True)
    vault.close()
    if make_url(url).get_backend_name() == "sqlite":
        path = Path(vault.location)
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
    else:
        with contextlib.suppress(Exception):
            discard_new_schema(vault)
        vault.close()
