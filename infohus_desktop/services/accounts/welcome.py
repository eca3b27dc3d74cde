"""The welcome letter (*velkomstbrev*) of a member, built in memory for the preview.

The passphrase comes from the caller (the enrolment or reset that just made it): the vault
never stores it, so a letter can only be made while the coordinator's dialog still shows it.
Building it is audited; printing or saving it is audited again by the preview.
"""

from __future__ import annotations

from datetime import UTC, datetime

from infohus_desktop.crypto.keys import fingerprint
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.labels import ROLE_LABELS
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.members import member_row_by_login, to_member
from infohus_desktop.vault.schema import MemberRow
from infohus_desktop.vault.trust import public_keys


def welcome_letter_pdf(
    ms: MemberSession, login: str, passphrase: str, reset: bool, language: str = "da"
) -> bytes:
    # ReportLab (and PIL under it) is imported here, on the worker, when a letter is made:
    # not by the unlock, which loads this module with the member services (issue 17).
    from infohus_desktop.reports.base import PrintStamp
    from infohus_desktop.reports.welcome_letter import WelcomeLetter, render_welcome_letter

    ms.require(Role.COORDINATOR)
    with ms.uow() as session:
        member = to_member(session, ms.keyring, member_row_by_login(session, login))
        root = session.get(MemberRow, ms.keyring.trust.root_id)
        assert root is not None
        root_fingerprint = fingerprint(public_keys(root))
    lang = "en" if language == "en" else "da"
    role = ROLE_LABELS[member.role][1 if lang == "en" else 0]
    letter = WelcomeLetter(
        name=member.name,
        login=member.login,
        organisation=member.organisation_name,
        role=role,
        passphrase=passphrase,
        root_fingerprint=root_fingerprint,
        infohus=ms.vault.infohus_name,
        reset=reset,
    )
    ms.audited_read(AuditAction.MEMBER_WELCOME_LETTER, member.id, detail=login)
    stamp = PrintStamp(f"{ms.member.name} ({ms.member.login})", datetime.now(UTC), lang)
    return render_welcome_letter(letter, stamp)


def audit_letter_output(ms: MemberSession, login: str, how: str) -> None:
    """Before the letter leaves the app (``print`` or ``save``)."""
    ms.audited_read(AuditAction.MEMBER_WELCOME_LETTER, detail=f"{login}: {how}")
