"""The referral sections of the statistics (DOMAIN.md "Statistics": "referrals and outcomes").

A referral counts in the period it was *sent* (the month of ``sent_on``, in its case's
statistics record): a draft never left the Infohus and is not a referral made, and a referral
received from another Infohus in a bundle is theirs to count. Both sections count the same
referrals, so their totals agree: one by recipient programme, one by where each referral stands
now, with ``sendt`` and ``modtaget`` together as "open" (no answer yet). Like the case sections
they cover every case of the district, whoever may read it, and only as counts (from the cases'
sealed statistics records); they count people's cases, so small counts are suppressed. A deleted
case's referrals count from the record it left (services/statistics/kept_counts.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import PROGRAMME_LABELS
from infohus_desktop.domain.statistics import Pair, Section, SectionKey
from infohus_desktop.services.statistics.query import StatisticsQuery, section

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


def referral_sections(q: StatisticsQuery) -> Iterable[Section]:
    """Referrals sent in the period by recipient programme, and by their status now."""
    programmes = q.records.referral_codes("programme")
    statuses = q.records.referral_codes("status")
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
