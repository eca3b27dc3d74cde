"""The referral sections of the statistics (DOMAIN.md "Statistics": "referrals and outcomes").

A referral counts in the period it was *sent* (``sent_on``, a clear date): a draft never left
the Infohus and is not a referral made, and a referral received from another Infohus in a
bundle is theirs to count. Both sections count the same referrals, so their totals agree: one
by recipient programme, one by where each referral stands now, with ``sendt`` and
``modtaget`` together as "open" (no answer yet). Like the case sections they cover every
case of the district, whoever may read it, and only as counts (clear codes, GROUP BY in SQL);
they count people's cases, so small counts are suppressed. A deleted case's referrals count
from the codes it left (services/statistics/kept_counts.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import PROGRAMME_LABELS
from infohus_desktop.domain.statistics import Pair, Section, SectionKey
from infohus_desktop.services.statistics.query import StatisticsQuery, section
from infohus_desktop.vault.referral_schema import ReferralRow

#: The code for a sent referral without an answer yet (``sendt`` or ``modtaget``).
OPEN = "aaben"
_OPEN_STATUSES = frozenset({ReferralStatus.SENT.value, ReferralStatus.RECEIVED.value})

OUTCOME_LABELS: dict[str, Pair] = {
    OPEN: ("Åben (afventer svar)", "Open (awaiting an answer)"),
    ReferralStatus.ACCEPTED.value: ("Accepteret", "Accepted"),
    ReferralStatus.DECLINED.value: ("Afvist", "Declined"),
    ReferralStatus.CLOSED.value: ("Afsluttet", "Closed"),
    ReferralStatus.WITHDRAWN.value: ("Trukket tilbage", "Withdrawn"),
}
_UNIT: Pair = ("henvisninger", "referrals")
_NOTE: Pair = (
    "Henvisninger sendt i perioden (efter afsendelsesdato); kladder og henvisninger "
    "modtaget fra andre tælles ikke. En sag kan have flere henvisninger.",
    "Referrals sent in the period (by the day they were sent); drafts and referrals "
    "received from others are not counted. A case can have several referrals.",
)


def _sent_in_period(q: StatisticsQuery, code: InstrumentedAttribute[str]) -> Counter[str]:
    query = (
        select(code, func.count())
        .where(ReferralRow.sent_on >= q.period_from, ReferralRow.sent_on <= q.period_to)
        .group_by(code)
    )
    return Counter({str(k): int(n) for k, n in q.session.execute(query)})


def referral_sections(q: StatisticsQuery) -> Iterable[Section]:
    """Referrals sent in the period by recipient programme, and by their status now."""
    programmes = _sent_in_period(q, ReferralRow.programme) + q.kept.referral_codes("programme")
    statuses = _sent_in_period(q, ReferralRow.status) + q.kept.referral_codes("status")
    outcomes: Counter[str] = Counter()
    for status, n in statuses.items():
        outcomes[OPEN if status in _OPEN_STATUSES else status] += n
    yield section(
        SectionKey.REFERRALS,
        ("Henvisninger efter modtager", "Referrals by recipient programme"),
        programmes,
        {p.value: pair for p, pair in PROGRAMME_LABELS.items()},
        unit=_UNIT,
        note=_NOTE,
    )
    yield section(
        SectionKey.REFERRAL_STATUS,
        ("Henvisninger efter status nu", "Referrals by current status"),
        outcomes,
        OUTCOME_LABELS,
        unit=_UNIT,
        note=_NOTE,
    )
