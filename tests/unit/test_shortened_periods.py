"""Which periods new retention rules make shorter: what the four-eyes approval names."""

from __future__ import annotations

from dataclasses import replace

from infohus_desktop.domain.cases import RetentionClass
from infohus_desktop.domain.retention import DEFAULT_RULES, RetentionRules, shortened_periods
from infohus_desktop.domain.workflow import ClosingReason

REASONS_ONLY = RetentionRules(by_reason=dict.fromkeys(ClosingReason, 36))


def test_a_longer_or_equal_rule_names_nothing() -> None:
    assert shortened_periods(DEFAULT_RULES, DEFAULT_RULES) == []
    longer = replace(DEFAULT_RULES, transferred=12, audit_months=24)
    assert shortened_periods(DEFAULT_RULES, longer) == []


def test_one_shorter_reason_is_named_alone_when_no_class_has_its_own_period() -> None:
    """A class without a period of its own follows the reasons: named only through them
    (review: »Fraflyttet« came with »Forlænget« and »Minimal«)."""
    shorter = replace(
        REASONS_ONLY, by_reason={**REASONS_ONLY.by_reason, ClosingReason.MOVED_AWAY: 12}
    )
    assert shortened_periods(REASONS_ONLY, shorter) == [("Fraflyttet", "Moved away")]


def test_a_class_losing_its_own_longer_period_is_named() -> None:
    # The shipped extended class keeps cases 60 months; without it they follow 36.
    assert ("Forlænget", "Extended") in shortened_periods(DEFAULT_RULES, REASONS_ONLY)
    with_class = replace(REASONS_ONLY, by_class={RetentionClass.MINIMAL: 3})
    assert shortened_periods(REASONS_ONLY, with_class) == [("Minimal", "Minimal")]


def test_the_handed_over_cases_and_the_audit_log_count() -> None:
    old = replace(DEFAULT_RULES, audit_months=24)
    new = replace(DEFAULT_RULES, transferred=3, audit_months=13)
    assert shortened_periods(old, new) == [
        ("overdragne sager", "cases handed over"),
        ("revisionsloggen", "the audit log"),
    ]
