"""The life of a referral (DOMAIN.md "Referral"): which status may follow which, and what each
step must say.

``kladde`` → ``sendt`` (date and how) → ``modtaget`` → ``accepteret`` / ``afvist`` (reason) →
``afsluttet`` (outcome); ``trukket_tilbage`` (reason) from any status before ``afsluttet``.
The table below is the whole rule: nothing else in the code decides a transition.
"""

from __future__ import annotations

import enum

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.workflow import has_visible_text


class ReferralStatus(enum.StrEnum):
    DRAFT = "kladde"
    SENT = "sendt"
    RECEIVED = "modtaget"
    ACCEPTED = "accepteret"
    DECLINED = "afvist"
    CLOSED = "afsluttet"
    WITHDRAWN = "trukket_tilbage"


REFERRAL_STATUS_LABELS: dict[ReferralStatus, tuple[str, str]] = {
    ReferralStatus.DRAFT: ("Kladde", "Draft"),
    ReferralStatus.SENT: ("Sendt", "Sent"),
    ReferralStatus.RECEIVED: ("Modtaget", "Received"),
    ReferralStatus.ACCEPTED: ("Accepteret", "Accepted"),
    ReferralStatus.DECLINED: ("Afvist", "Declined"),
    ReferralStatus.CLOSED: ("Afsluttet", "Closed"),
    ReferralStatus.WITHDRAWN: ("Trukket tilbage", "Withdrawn"),
}


class SendMethod(enum.StrEnum):
    """How a referral left the Infohus."""

    EMAIL = "email"
    SECURE_MAIL = "sikker_mail"
    POST = "post"
    BUNDLE = "bundle"
    HANDED_OVER = "overleveret"


SEND_METHOD_LABELS: dict[SendMethod, tuple[str, str]] = {
    SendMethod.EMAIL: ("E-mail", "E-mail"),
    SendMethod.SECURE_MAIL: ("Sikker mail", "Secure mail"),
    SendMethod.POST: ("Post", "Post"),
    SendMethod.BUNDLE: ("Krypteret pakke", "Encrypted bundle"),
    SendMethod.HANDED_OVER: ("Overleveret personligt", "Handed over"),
}

R = ReferralStatus
#: Allowed transitions. ``afsluttet`` and ``trukket_tilbage`` are final.
REFERRAL_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    R.DRAFT: frozenset({R.SENT, R.WITHDRAWN}),
    R.SENT: frozenset({R.RECEIVED, R.WITHDRAWN}),
    R.RECEIVED: frozenset({R.ACCEPTED, R.DECLINED, R.WITHDRAWN}),
    R.ACCEPTED: frozenset({R.CLOSED, R.WITHDRAWN}),
    R.DECLINED: frozenset({R.CLOSED, R.WITHDRAWN}),
    R.CLOSED: frozenset(),
    R.WITHDRAWN: frozenset(),
}
#: Steps that must say why: a declined referral its reason, a closed one its outcome.
NEEDS_REASON: dict[ReferralStatus, tuple[str, str]] = {
    R.DECLINED: ("Skriv hvorfor henvisningen er afvist.", "Say why the referral was declined."),
    R.CLOSED: ("Skriv resultatet af forløbet.", "Write the outcome."),
    R.WITHDRAWN: (
        "Skriv hvorfor henvisningen trækkes tilbage.",
        "Say why the referral is withdrawn.",
    ),
}
OPEN_REFERRAL_STATUSES = frozenset({R.DRAFT, R.SENT, R.RECEIVED, R.ACCEPTED, R.DECLINED})


def check_referral_transition(
    current: ReferralStatus, new: ReferralStatus, reason: str, how: SendMethod | None
) -> None:
    """Raise :class:`InvalidInput` unless ``current → new`` is allowed with what is given."""
    if new not in REFERRAL_TRANSITIONS[current]:
        da_from, en_from = REFERRAL_STATUS_LABELS[current]
        da_to, en_to = REFERRAL_STATUS_LABELS[new]
        raise InvalidInput(
            f"En henvisning kan ikke gå fra »{da_from}« til »{da_to}«.",
            f"A referral cannot go from '{en_from}' to '{en_to}'.",
        )
    if new in NEEDS_REASON and not has_visible_text(reason):
        raise InvalidInput(*NEEDS_REASON[new])
    if new is R.SENT and how is None:
        methods = ", ".join(m.value for m in SendMethod)
        raise InvalidInput(
            f"Angiv hvordan henvisningen er sendt ({methods}).",
            f"Say how the referral was sent ({methods}).",
        )
    if new is not R.SENT and how is not None:
        raise InvalidInput(
            "Forsendelsesmåde angives kun, når henvisningen sendes.",
            "The sending method is given only when the referral is sent.",
        )
