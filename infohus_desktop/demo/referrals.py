"""Referrals in the demo vault: one referral in every status, and both ways a referral ends
badly (declined, withdrawn), on cases that have been assessed.

Made through the real service by the case's municipal coordinator: prefilled from the case,
completed with the answers a coordinator would give, then moved along the workflow with dated
steps that lie after the case's receipt and never after the demo's today.
"""

from __future__ import annotations

from datetime import date, timedelta

from infohus_desktop.demo.context import DemoContext, StoryClock
from infohus_desktop.demo.members import MUNICIPALITIES, POLICE_COORDINATOR
from infohus_desktop.domain.cpr import age_on
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import Programme
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.core.clock import played_at

S = ReferralStatus
#: The paths the demo's referrals take: every status is someone's last.
PATHS: tuple[tuple[ReferralStatus, ...], ...] = (
    (),
    (S.SENT,),
    (S.SENT, S.RECEIVED),
    (S.SENT, S.RECEIVED, S.ACCEPTED),
    (S.SENT, S.RECEIVED, S.DECLINED),
    (S.SENT, S.RECEIVED, S.ACCEPTED, S.CLOSED),
    (S.SENT, S.RECEIVED, S.DECLINED, S.CLOSED),
    (S.SENT, S.WITHDRAWN),
    (S.WITHDRAWN,),
)
REASONS: dict[ReferralStatus, tuple[str, ...]] = {
    S.RECEIVED: ("Modtagelse bekræftet pr. telefon.", "Kvittering modtaget pr. sikker mail."),
    S.ACCEPTED: ("Første samtale aftalt med exitkonsulenten.", ""),
    S.DECLINED: (
        "Personen ønsker ikke at deltage i et exitforløb.",
        "Målgruppen passer ikke; anbefaler fortsat mentorindsats i kommunen.",
    ),
    S.CLOSED: (
        "Forløbet er gennemført; personen har brudt med miljøet.",
        "Afsluttet efter afvisning; kommunen fortsætter indsatsen.",
    ),
    S.WITHDRAWN: (
        "Personen er fraflyttet kommunen.",
        "Ny vurdering: indsatsen fortsætter lokalt i stedet.",
    ),
}
_REASON_TEXTS = (
    "Personen har over for mentor udtrykt ønske om at komme ud af miljøet og har brug for "
    "støtte, som kommunens egne indsatser ikke kan give.",
    "Bekymringen er vedvarende trods kommunale indsatser; Infohuset vurderer, at et "
    "specialiseret exitforløb er nødvendigt.",
    "Personen er løsladt for nylig og har bedt om hjælp til at bryde med sin tidligere "
    "omgangskreds.",
)
_COORDINATORS = {m.prefix: m.coordinator for m in MUNICIPALITIES}


def _candidates(ctx: DemoContext) -> list[str]:
    """Case numbers worth a referral: referred cases first, then assessed open cases."""
    lars = ctx.sessions[POLICE_COORDINATOR]
    cases = sorted(lars.cases.list(), key=lambda c: c.number)
    preferred = [c for c in cases if c.status is CaseStatus.REFERRED]
    others = [
        c
        for c in cases
        if c.status in (CaseStatus.MEASURES, CaseStatus.FOLLOW_UP, CaseStatus.IN_INFOHUS)
    ]
    out = []
    for c in [*preferred, *others]:
        if c.number.split("-")[0] in _COORDINATORS and c.number not in out:
            out.append(c.number)
    return out


def make_referrals(ctx: DemoContext) -> None:
    """One referral per path, on as many distinct cases as there are."""
    numbers = _candidates(ctx)
    if not numbers:
        return
    programmes = list(Programme)
    for n, path in enumerate(PATHS):
        number = numbers[n % len(numbers)]
        session = ctx.sessions[_COORDINATORS[number.split("-")[0]]]
        case = session.cases.show(number)
        programme = Programme.PET_EXIT if n % 3 == 0 else ctx.rng.choice(programmes)
        referral = session.referrals.create(number, programme)
        answers: dict[str, object] = {
            "reason": ctx.rng.choice(_REASON_TEXTS),
            "person_informed": "ja",
            "person_consent": "ja" if n % 4 else "ukendt",
            "legal_basis": "samtykke" if n % 4 else "rpl_115",
            "urgency": ctx.rng.choice(("normal", "normal", "haster")),
            "contact_persons": [f"{ctx.fake.name()}, SSP-konsulent, {ctx.fake.phone_number()}"],
        }
        day = ctx.cap(max(case.summary.received, ctx.today - timedelta(days=120)))
        born = case.person.birth_date
        # Asked as of the story's first day, not today: every step comes later, and a
        # person who turns 18 in between is a minor on the day the referral is sent.
        if born is None or age_on(born, day) < 18:
            answers["guardians_informed"] = "ja"
            answers["guardians_consent"] = ctx.rng.choice(("ja", "nej"))
        if case.attachments:
            answers["attachments"] = [str(case.attachments[0].id)]
        referral = session.referrals.edit(referral.id, referral.version, answers)
        clock = StoryClock(day)
        for status in path:
            day = ctx.cap(day + timedelta(days=ctx.rng.randint(2, 20)))
            clock.on(day)
            how = ctx.rng.choice(list(SendMethod)) if status is S.SENT else None
            reason = ctx.rng.choice(REASONS.get(status, ("",)))
            with played_at(clock):  # the case's status follows on the step's own day
                referral = session.referrals.change_status(
                    referral.id, status, reason, how, _not_after(day, ctx.today)
                )
        ctx.made["referral"] += 1
        ctx.made[f"referral.{referral.status.value}"] += 1


def _not_after(day: date, today: date) -> date:
    return min(day, today)
