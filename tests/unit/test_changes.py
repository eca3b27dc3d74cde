"""The "what changed" value: which audit actions are changes, of which area, and how values
combine. Every open screen decides from it whether to refresh."""

from __future__ import annotations

import enum

import pytest

from infohus_desktop.domain import (
    audit,
    backups,
    bundles,
    insight,
    meetings,
    referrals,
    retention,
    statistics,
    trends,
)
from infohus_desktop.domain.changes import MAX_OBJECTS, Area, Changes, area_of


@pytest.mark.parametrize(
    ("action", "area"),
    [
        ("case.create", Area.CASES),
        ("case.edit", Area.CASES),
        ("case.status", Area.CASES),
        ("case.attachment.add", Area.CASES),
        ("case.settings.categories", Area.CASES),
        ("meeting.item.reorder", Area.MEETINGS),
        ("meeting.approve", Area.MEETINGS),
        ("trend.create", Area.TRENDS),
        ("referral.status", Area.REFERRALS),
        ("referral.incoming.store", Area.REFERRALS),
        ("bundle.recipient.add", Area.REFERRALS),
        ("member.add", Area.ACCOUNTS),
        ("group.member.remove", Area.ACCOUNTS),
        ("passphrase.change", Area.ACCOUNTS),
    ],
)
def test_a_change_names_its_area(action: str, area: Area) -> None:
    assert area_of(action) is area


@pytest.mark.parametrize(
    "action",
    [
        "case.read",
        "case.read.assessments",
        "case.list",
        "case.search",
        "case.duplicate_check",
        "case.categories",
        "case.indicators",
        "case.attachment.read",
        "meeting.read",
        "meeting.case_item.read",
        "trend.name_check",
        "referral.pdf",
        "referral.incoming.print",
        "bundle.inspect",
        "bundle.import.rejected",
        "bundle.key.export",
        "statistics.compute",
        "audit.verify",
        "insight.report",
        "login",
        "login.failed",
        "lock",
    ],
)
def test_looking_is_no_change(action: str) -> None:
    assert area_of(action) is None


#: Every audited action that is no change of data: a new action lands either here (on
#: purpose) or in an area, and this list says which.
NOT_CHANGES = {
    "audit.export", "audit.list", "audit.prune", "audit.sample", "audit.spot_check",
    "audit.verify",
    "datakey.create", "group.list", "lock",
    "login", "login.failed", "member.list", "vault.create", "vault.restore_accepted",
    "vault.upgrade", "vault.settings",
    "backup.create", "backup.restore", "backup.drill", "backup.settings",
    "meeting.tampered", "trend.tampered", "referral.tampered",
    "retention.due", "retention.tombstones",
    "bundle.export", "bundle.import.rejected", "bundle.inspect", "bundle.key.export",
    "bundle.recipient.list",
    "insight.print", "insight.report", "insight.save",
    "meeting.action.list", "meeting.agenda.pdf", "meeting.case_item.read", "meeting.ics",
    "meeting.list", "meeting.minutes.pdf", "meeting.minutes.pdf.names", "meeting.print",
    "meeting.read", "meeting.save",
    "referral.case_list", "referral.incoming.list", "referral.incoming.pdf",
    "referral.incoming.print", "referral.incoming.read", "referral.incoming.save",
    "referral.list", "referral.pdf", "referral.print", "referral.read", "referral.save",
    "statistics.compute", "statistics.csv", "statistics.pdf", "statistics.print",
    "statistics.refresh", "statistics.save",
    "trend.list", "trend.name_check", "trend.personal_data_confirmed", "trend.read",
    "trend.search",
}  # fmt: skip


#: Every kind of audited action but the cases', which are plain strings.
ACTION_ENUMS: list[type[enum.StrEnum]] = [
    audit.AuditAction,
    backups.BackupAction,
    bundles.BundleAction,
    insight.InsightAction,
    meetings.MeetingAction,
    referrals.ReferralAction,
    retention.RetentionAction,
    statistics.StatisticsAction,
    trends.TrendAction,
]


def test_every_action_the_product_audits_is_classified_on_purpose() -> None:
    looking = {a.value for kind in ACTION_ENUMS for a in kind if area_of(a.value) is None}
    assert looking == NOT_CHANGES


def test_values_merge_and_tell_what_they_touch() -> None:
    a = Changes.of([("case.edit", "c1"), ("case.read", "c2")])
    assert a.touches(Area.CASES, "c1")
    assert not a.touches(Area.CASES, "c2")
    assert not a.touches(Area.MEETINGS)
    b = Changes.of([("meeting.edit", "m1")])
    both = a.merged(b)
    assert both.areas == {Area.CASES, Area.MEETINGS}
    assert both.touches(Area.MEETINGS, "m1") and both.touches(Area.CASES, "c1")
    assert not Changes() and not Changes.of([("case.read", "c1")])


def test_a_setting_or_too_many_objects_touch_the_whole_area() -> None:
    setting = Changes.of([("case.edit", "c1"), ("case.settings.categories", None)])
    assert setting.touches(Area.CASES, "any case")
    many = Changes.of([("case.edit", str(i)) for i in range(MAX_OBJECTS + 1)])
    assert many.touches(Area.CASES, "not one of them") and not many.objects


def test_a_tampered_row_found_by_a_list_does_not_ask_that_list_to_reload() -> None:
    """The report of a finding is audited after the list; if it counted as a change, the
    list would reload, meet the row again and report it again, for ever."""
    for action in ("case.tampered", "meeting.tampered", "trend.tampered", "referral.tampered"):
        assert area_of(action) is None
    assert area_of("retention.rules") is Area.CASES  # new periods move every date in the list


@pytest.mark.parametrize("action", ["group.member.add", "group.member.remove", "member.role"])
def test_who_holds_a_groups_key_changed_every_content_screen_reads_again(action: str) -> None:
    """A member taken out of a group must not keep its cases, meetings, notes or referrals
    on screen: the change names a group or a member, which no such screen lists, so it asks
    them to read again in full."""
    changes = Changes.of([(action, "0f8fad5b-d9cb-469f-a165-70867728950e")])
    for area in (Area.CASES, Area.MEETINGS, Area.TRENDS, Area.REFERRALS, Area.ACCOUNTS):
        assert changes.touches(area, "any object of the area"), area
    assert not changes.objects


def test_other_account_changes_leave_the_content_screens_alone() -> None:
    for action in ("group.rename", "member.add", "group.epoch", "municipality.change"):
        changes = Changes.of([(action, "0f8fad5b-d9cb-469f-a165-70867728950e")])
        assert changes.areas == {Area.ACCOUNTS}, action


def test_every_action_the_product_audits_has_words_in_both_languages() -> None:
    """The insight report and Tilsyn show an action without words as its code
    ("referral.incoming.list"): every action the product audits has its words, Danish and
    English (the case actions are plain strings; the others are ACTION_ENUMS)."""
    from infohus_desktop.domain.insight import ACTION_LABELS

    cases = {
        "case.create", "case.read", "case.read.assessments", "case.edit", "case.status",
        "case.screen", "case.information", "case.assess", "case.measure.add",
        "case.measure.update", "case.journal", "case.disclose", "case.attachment.add",
        "case.attachment.read", "case.attachment.remove", "case.move", "case.transfer",
        "case.import", "case.tampered", "case.list", "case.search", "case.duplicate_check",
        "case.settings.categories", "case.settings.indicators",
    }  # fmt: skip
    actions = {a.value for kind in ACTION_ENUMS for a in kind} | cases
    missing = sorted(a for a in actions if a not in ACTION_LABELS)
    assert not missing
    for action in actions:
        da, en = ACTION_LABELS[action]
        assert da and en and da != action and en != action, action
