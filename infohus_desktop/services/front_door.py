"""The front door: what the UI, the CLI and the demo builder receive after unlocking.

The core (:mod:`~infohus_desktop.services.core`) knows no feature, and no feature knows this
module. Here the two meet: :class:`MemberServices` is the core member session with one
attribute per feature service, and :class:`Vault` is the accounts feature's vault whose
``unlock`` and ``create`` hand out a :class:`MemberServices`. Adding a feature means adding
its property here, nothing in the core.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from typing import TYPE_CHECKING, cast

from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import NewVault, Sleeper, VaultService
from infohus_desktop.services.core.session import MemberSession

if TYPE_CHECKING:
    from infohus_desktop.crypto import kdf
    from infohus_desktop.services.accounts.group_admin import GroupAdministration
    from infohus_desktop.services.accounts.groups import GroupService
    from infohus_desktop.services.accounts.members import AccountService
    from infohus_desktop.services.accounts.vault_defaults import VaultDefaults
    from infohus_desktop.services.audit.log import AuditService
    from infohus_desktop.services.audit.pruning import AuditPruning
    from infohus_desktop.services.audit.spot_checks import SpotChecks
    from infohus_desktop.services.backups.service import Backups
    from infohus_desktop.services.cases.attachments import AttachmentService
    from infohus_desktop.services.cases.records import CaseRecords
    from infohus_desktop.services.cases.service import CaseService
    from infohus_desktop.services.cases.settings import CaseSettings
    from infohus_desktop.services.cases.transfer import CaseTransfers
    from infohus_desktop.services.core.live_updates import LiveUpdates
    from infohus_desktop.services.insight.service import InsightService
    from infohus_desktop.services.meetings.service import MeetingService
    from infohus_desktop.services.overview.service import OverviewService
    from infohus_desktop.services.referrals.bundles import BundleService
    from infohus_desktop.services.referrals.service import ReferralService
    from infohus_desktop.services.retention.service import RetentionService
    from infohus_desktop.services.statistics.service import StatisticsService
    from infohus_desktop.services.trends.service import TrendService


#: The modules of the feature services, imported by their properties when first used.
FEATURE_MODULES = (
    "infohus_desktop.services.accounts.group_admin",
    "infohus_desktop.services.accounts.groups",
    "infohus_desktop.services.accounts.members",
    "infohus_desktop.services.accounts.vault_defaults",
    "infohus_desktop.services.audit.log",
    "infohus_desktop.services.audit.pruning",
    "infohus_desktop.services.audit.spot_checks",
    "infohus_desktop.services.backups.service",
    "infohus_desktop.services.cases.attachments",
    "infohus_desktop.services.cases.records",
    "infohus_desktop.services.cases.service",
    "infohus_desktop.services.cases.settings",
    "infohus_desktop.services.cases.transfer",
    "infohus_desktop.services.core.live_updates",
    "infohus_desktop.services.insight.service",
    "infohus_desktop.services.meetings.service",
    "infohus_desktop.services.overview.service",
    "infohus_desktop.services.referrals.bundles",
    "infohus_desktop.services.referrals.service",
    "infohus_desktop.services.retention.service",
    "infohus_desktop.services.statistics.service",
    "infohus_desktop.services.trends.service",
)


def load_features() -> None:
    """Import every feature service now: the app does it on the worker right after opening
    the vault, while the member types the passphrase, so that the first screens after the
    unlock do not wait for the imports."""
    for name in FEATURE_MODULES:
        importlib.import_module(name)


class MemberServices(MemberSession):
    """An unlocked member with every feature service. Each property builds a light service
    object over this session; the services keep no state of their own. Each feature's module
    is imported by its property, the first time it is used: opening a vault for the unlock
    screen does not load ReportLab, icalendar or the feature services (issue 17)."""

    vault: Vault

    @property
    def live_updates(self) -> LiveUpdates:
        from infohus_desktop.services.core.live_updates import LiveUpdates

        return LiveUpdates(self)

    @property
    def accounts(self) -> AccountService:
        from infohus_desktop.services.accounts.members import AccountService

        return AccountService(self)

    @property
    def groups(self) -> GroupService:
        from infohus_desktop.services.accounts.groups import GroupService

        return GroupService(self)

    @property
    def vault_defaults(self) -> VaultDefaults:
        from infohus_desktop.services.accounts.vault_defaults import VaultDefaults

        return VaultDefaults(self)

    @property
    def group_admin(self) -> GroupAdministration:
        from infohus_desktop.services.accounts.group_admin import GroupAdministration

        return GroupAdministration(self)

    @property
    def cases(self) -> CaseService:
        from infohus_desktop.services.cases.service import CaseService

        return CaseService(self)

    @property
    def case_records(self) -> CaseRecords:
        from infohus_desktop.services.cases.records import CaseRecords

        return CaseRecords(self)

    @property
    def case_settings(self) -> CaseSettings:
        from infohus_desktop.services.cases.settings import CaseSettings

        return CaseSettings(self)

    @property
    def attachments(self) -> AttachmentService:
        from infohus_desktop.services.cases.attachments import AttachmentService

        return AttachmentService(self)

    @property
    def audit(self) -> AuditService:
        from infohus_desktop.services.audit.log import AuditService

        return AuditService(self)

    @property
    def audit_pruning(self) -> AuditPruning:
        from infohus_desktop.services.audit.pruning import AuditPruning

        return AuditPruning(self)

    @property
    def spot_checks(self) -> SpotChecks:
        from infohus_desktop.services.audit.spot_checks import SpotChecks

        return SpotChecks(self)

    @property
    def meetings(self) -> MeetingService:
        from infohus_desktop.services.meetings.service import MeetingService

        return MeetingService(self)

    @property
    def trends(self) -> TrendService:
        from infohus_desktop.services.trends.service import TrendService

        return TrendService(self)

    @property
    def statistics(self) -> StatisticsService:
        from infohus_desktop.services.statistics.service import StatisticsService

        return StatisticsService(self)

    @property
    def referrals(self) -> ReferralService:
        from infohus_desktop.services.referrals.service import ReferralService

        return ReferralService(self)

    @property
    def bundles(self) -> BundleService:
        from infohus_desktop.services.referrals.bundles import BundleService

        return BundleService(self)

    @property
    def retention(self) -> RetentionService:
        from infohus_desktop.services.retention.service import RetentionService

        return RetentionService(self)

    @property
    def overview(self) -> OverviewService:
        from infohus_desktop.services.overview.service import OverviewService

        return OverviewService(self)

    @property
    def insight(self) -> InsightService:
        from infohus_desktop.services.insight.service import InsightService

        return InsightService(self)

    @property
    def backups(self) -> Backups:
        from infohus_desktop.services.backups.service import Backups

        return Backups(self)

    @property
    def transfers(self) -> CaseTransfers:
        from infohus_desktop.services.cases.transfer import CaseTransfers

        return CaseTransfers(self)


class Vault(VaultService):
    """A vault whose unlocked sessions are :class:`MemberServices`."""

    session_type = MemberServices

    def unlock(
        self,
        login: str,
        passphrase: str,
        sleep: Sleeper = time.sleep,
        accept_restore: bool = False,
        derived: kdf.DerivedKey | None = None,
    ) -> MemberServices:
        session = cast(
            MemberServices, super().unlock(login, passphrase, sleep, accept_restore, derived)
        )
        from infohus_desktop.services.backups.register import remember_deletions

        # The register is a safeguard of a later restore, not of this unlock.
        with contextlib.suppress(OSError):
            remember_deletions(session)
        return session

    @classmethod
    def create(cls, url: str, spec: NewVault, local: LocalState | None = None) -> MemberServices:
        """A new vault and its first coordinator's session (see ``accounts.creation``)."""
        from infohus_desktop.services.accounts.creation import create_vault

        return cast(MemberServices, create_vault(cls, url, spec, local))
