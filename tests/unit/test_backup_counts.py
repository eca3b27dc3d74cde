"""What a backup holds, in words that count right: one meeting is 'et møde' in meaning and
'1 møde' in form, in the window and on the command line alike (user trial: '1 møder')."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from infohus_desktop.domain.backups import BackupHeaderInfo, BackupReport, counts_words


def _report(counts: dict[str, int]) -> BackupReport:
    header = BackupHeaderInfo(
        uuid.uuid4(), uuid.uuid4(), datetime.now(UTC), "lars", "AA84", "0017", "sqlite", ("lars",)
    )
    return BackupReport(header, counts, audit_head=41)


def test_one_and_many_in_both_languages() -> None:
    da, en = counts_words(
        _report({"cases": 1, "meetings": 1, "trend_notes": 2, "referrals": 0, "audit_entries": 41})
    )
    assert da == (
        "1 sag, 1 møde, 2 tendensnotater, 0 henvisninger og 41 revisionsposter; "
        "revisionsloggen er verificeret til post 41."
    )
    assert en == (
        "1 case, 1 meeting, 2 trend notes, 0 referrals and 41 audit entries; "
        "the audit log is verified to entry 41."
    )


def test_a_drill_names_one_case_as_one_and_many_up_to_twenty() -> None:
    from infohus_desktop.domain.backups import DrillFoundUnreadableCases

    one = DrillFoundUnreadableCases(["AAR-2026-0001"], 0).message("da")
    assert "kun læse 0 af 1 sag. Denne sag var ændret" in one
    many = [f"AAR-2026-{n:04d}" for n in range(1, 26)]
    said = DrillFoundUnreadableCases(many, 100).message("en")
    assert "read only 100 of 125 cases. These cases were changed" in said
    assert "AAR-2026-0020 and 5 more." in said and "AAR-2026-0021" not in said
