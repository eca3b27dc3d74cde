"""The audit log's details as the DPO reads them: every detail the services write, in Danish
and English words; anything not understood in full shown exactly as stored."""

from __future__ import annotations

import json

import pytest

from infohus_desktop.domain.audit_words import READERS, detail_text, detail_words
from infohus_desktop.domain.backups import BackupAction
from infohus_desktop.domain.bundles import BundleAction
from infohus_desktop.domain.insight import ACTION_LABELS
from infohus_desktop.domain.meetings import MeetingAction
from infohus_desktop.domain.referrals import ReferralAction
from infohus_desktop.domain.retention import RetentionAction
from infohus_desktop.domain.statistics import StatisticsAction
from infohus_desktop.domain.trends import TrendAction

CASE = "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8"
OTHER = "9e8d7c6b-0000-4000-8000-000000000002"
RULES = json.dumps(
    {
        "audit_months": 36,
        "classes": {"forlaenget": 60},
        "closing_reasons": {"ubegrundet": 6, "andet": 24},
        "configured": True,
        "transferred": 6,
    },
    sort_keys=True,
)

#: (action, detail as a service writes it, words in Danish, words in English): one row per
#: detail format written in infohus_desktop/services (and the window's search).
FORMATS: list[tuple[str, str, str, str]] = [
    # cases
    (
        "case.create",
        "number=AAR-2026-0001",
        "Sagsnummer AAR-2026-0001",
        "Case number AAR-2026-0001",
    ),
    (
        "case.edit",
        "fields=['person', 'title']",
        "Felter: personen, overskrift",
        "Fields: the person, heading",
    ),
    (
        "case.edit",
        "fields=['retention'] retention=minimal approved_by=vibeke",
        "Felter: opbevaring, ny opbevaring »Minimal«, godkendt af vibeke",
        "Fields: retention, new retention 'Minimal', approved by vibeke",
    ),
    ("case.list", "all", "Alle, uden filtre", "All, no filters"),
    (
        "case.list",
        "statuses=afsluttet due=True",
        "Status: Afsluttet, kun sager til opfølgning",
        "Status: Closed, follow-up due only",
    ),
    (
        "case.list",
        f"changed=['{CASE}', 'AAR-2026-0002']",
        "Ændrede sager: 3f2a1b4c, AAR-2026-0002",
        "Changed cases: 3f2a1b4c, AAR-2026-0002",
    ),
    (
        "case.search",
        "search='Anne Holm' categories='højreekstremisme'",
        "Søgt efter »Anne Holm«, bekymringstype: højreekstremisme",
        'Searched for "Anne Holm", category: højreekstremisme',
    ),
    (
        "case.search",
        f"search='0101' municipality='Aarhus' lead_member_id={CASE} follow_up_due_by=2026-05-01",
        "Søgt efter »0101«, kommune: Aarhus, sagsansvarlig: 3f2a1b4c, opfølgning senest 01.05.2026",
        'Searched for "0101", municipality: Aarhus, lead: 3f2a1b4c, follow-up by 01.05.2026',
    ),
    (
        "case.duplicate_check",
        "name='Anne Holm' cpr='0101901234'",
        "Navn »Anne Holm«, CPR-nummer 010190-****",
        'Name "Anne Holm", CPR number 010190-****',
    ),
    (
        "case.duplicate_check",
        "name='Anne Holm' cpr=None",
        "Navn »Anne Holm«, uden CPR-nummer",
        'Name "Anne Holm", without a CPR number',
    ),
    ("case.read", "insight", "Til en indsigtsrapport", "For an insight report"),
    ("case.status", "modtaget->screening", "Modtaget → Screening", "Received → Screening"),
    ("case.screen", "behandles_i_infohus", "Behandles i Infohus", "Taken up by the Infohus"),
    (
        "case.move",
        f"{CASE}->{OTHER}",
        "Fra adgangskreds 3f2a1b4c til 9e8d7c6b",
        "From access group 3f2a1b4c to 9e8d7c6b",
    ),
    ("case.journal", "samtale", "Samtale", "Conversation"),
    (
        "case.journal",
        f"notat corrects={CASE}",
        "Notat, retter notat 3f2a1b4c",
        "Note, corrects entry 3f2a1b4c",
    ),
    ("case.disclose", "samtykke", "Hjemmel: Samtykke", "Legal basis: Consent"),
    ("case.measure.add", "mentor", "Mentor", "Mentor"),
    (
        "case.measure.update",
        f"{CASE} afsluttet",
        "Indsats 3f2a1b4c: Afsluttet",
        "Measure 3f2a1b4c: Completed",
    ),
    (
        "case.attachment.add",
        f"{CASE} 2048 bytes",
        "Bilag 3f2a1b4c, 2048 bytes",
        "Attachment 3f2a1b4c, 2048 bytes",
    ),
    ("case.attachment.read", CASE, "Bilag 3f2a1b4c", "Attachment 3f2a1b4c"),
    ("case.attachment.remove", CASE, "Bilag 3f2a1b4c", "Attachment 3f2a1b4c"),
    ("case.settings.indicators", "12 indicators", "12 indikatorer", "12 indicators"),
    (
        "case.settings.categories",
        "andet,venstreekstremisme",
        "Kategorier: andet,venstreekstremisme",
        "Categories: andet,venstreekstremisme",
    ),
    ("case.tampered", "AAR-2026-0001", "Sag AAR-2026-0001", "Case AAR-2026-0001"),
    ("case.transfer", f"to {CASE}", "Til modtager 3f2a1b4c", "To recipient 3f2a1b4c"),
    (
        "case.transfer",
        f"to {CASE} approved_by=dorte",
        "Til modtager 3f2a1b4c, godkendt af dorte",
        "To recipient 3f2a1b4c, approved by dorte",
    ),
    (
        "case.transfer",
        "outside",
        "Overdraget uden om programmet",
        "Handed over outside the program",
    ),
    (
        "case.transfer",
        "outside approved_by=vibeke",
        "Overdraget uden om programmet, godkendt af vibeke",
        "Handed over outside the program, approved by vibeke",
    ),
    (
        "case.import",
        f"bundle {CASE} original=KBH-2026-0004 attachments=2",
        "Pakke 3f2a1b4c, sagsnummer hos afsender KBH-2026-0004, 2 bilag",
        "Bundle 3f2a1b4c, sender's case number KBH-2026-0004, 2 attachments",
    ),
    # retention and deletion
    (RetentionAction.DUE, "within=30", "Inden for 30 dage", "Within 30 days"),
    (RetentionAction.HOLD, "until=2026-12-31", "Indtil 31.12.2026", "Until 31.12.2026"),
    (RetentionAction.HOLD, "until=None", "Indtil videre", "Until further notice"),
    (RetentionAction.RELEASE, "1", "1 blokering ophævet", "1 hold released"),
    (
        RetentionAction.DELETE,
        "number=AAR-2026-0001 approved_by=dorthe",
        "Sagsnummer AAR-2026-0001, godkendt af dorthe",
        "Case number AAR-2026-0001, approved by dorthe",
    ),
    (
        RetentionAction.DELETE,
        "number=AAR-2026-0001 approved_by=-",
        "Sagsnummer AAR-2026-0001, sagen var til sletning; ingen godkendelse nødvendig",
        "Case number AAR-2026-0001, due; no approval needed",
    ),
    (
        RetentionAction.RULES,
        f"{RULES} approved_by=dorthe",
        "Efter afslutning: andet 24 måneder, "
        "ubegrundet 6 måneder; Opbevaring: forlænget 60 måneder; revisionsloggen 36 måneder; "
        "overdragne sager 6 måneder; Infohusets egne regler; godkendt af dorthe",
        "After closing: other 24 months, "
        "unfounded 6 months; Retention: extended 60 months; the audit log 36 months; "
        "handed-over cases 6 months; the Infohus's own rules; approved by dorthe",
    ),
    # insight
    (
        "insight.report",
        "by=cpr cases=0 deleted=0 log_lines=3 staff_names=no",
        "Søgt på CPR-nummer, 0 sager fundet, 0 slettede sager, 3 linjer fra loggen, "
        "uden medarbejdernes navne",
        "Searched by CPR number, 0 cases found, 0 deleted cases, 3 log lines, without staff names",
    ),
    (
        "insight.report",
        "by=case cases=1 deleted=1 log_lines=1 staff_names=yes",
        "Søgt på sagsnummer, 1 sag fundet, 1 slettet sag, 1 linje fra loggen, "
        "med medarbejdernes navne",
        "Searched by case number, 1 case found, 1 deleted case, 1 log line, with staff names",
    ),
    # meetings
    (MeetingAction.CREATE, "netvaerksmoede", "Netværksmøde", "Network meeting"),
    (MeetingAction.READ, "names=yes", "Med navne", "With names"),
    (MeetingAction.MINUTES_PDF, "names=yes", "Med navne", "With names"),
    (MeetingAction.MINUTES_PDF_NAMES, "names=yes", "Med navne", "With names"),
    (MeetingAction.LIST, f"trend={CASE}", "Med tendensnotat 3f2a1b4c", "With trend note 3f2a1b4c"),
    (MeetingAction.ACTION_LIST, "mine", "Mine opgaver", "My action items"),
    (
        MeetingAction.ITEM_ADD,
        f"meeting={CASE} trend={OTHER}",
        "Møde 3f2a1b4c, tendensnotat 9e8d7c6b",
        "Meeting 3f2a1b4c, trend note 9e8d7c6b",
    ),
    (
        MeetingAction.CASE_ITEM_READ,
        f"meeting={CASE} action=meeting.read",
        "Møde 3f2a1b4c, ved: opslag i møde",
        "Meeting 3f2a1b4c, on: look-up of a meeting",
    ),
    (
        MeetingAction.PRINT,
        "document=minutes names=no",
        "Referat, uden navne",
        "Minutes, without names",
    ),
    (MeetingAction.SAVE, "document=agenda names=yes", "Dagsorden, med navne", "Agenda, with names"),
    (MeetingAction.TAMPERED, "1a2b3c4d", "Møde 1a2b3c4d", "Meeting 1a2b3c4d"),
    # trend notes
    (TrendAction.LIST, "all", "Alle, uden filtre", "All, no filters"),
    (
        TrendAction.SEARCH,
        "search='memes' area_kind=online developments=stigende period_from=2026-01-01",
        "Søgt efter »memes«, områdetype: Online platform, udvikling: Stigende, fra 01.01.2026",
        'Searched for "memes", area type: Online platform, trend: Rising, from 01.01.2026',
    ),
    (
        TrendAction.ACCESS,
        f"{CASE}->{OTHER}",
        "Fra adgangskreds 3f2a1b4c til 9e8d7c6b",
        "From access group 3f2a1b4c to 9e8d7c6b",
    ),
    (TrendAction.LINK, CASE, "Forbundet med notat 3f2a1b4c", "Linked to note 3f2a1b4c"),
    (
        TrendAction.UNLINK,
        CASE,
        "Forbindelse til notat 3f2a1b4c fjernet",
        "Unlinked from note 3f2a1b4c",
    ),
    (
        TrendAction.PERSONAL_DATA_CONFIRMED,
        "body:3:5:cpr",
        "CPR-nummer i body, linje 3, kolonne 5",
        "CPR number in body, line 3, column 5",
    ),
    (TrendAction.TAMPERED, "1a2b3c4d", "Tendensnotat 1a2b3c4d", "Trend note 1a2b3c4d"),
    # referrals and bundles
    (ReferralAction.CREATE, CASE, "Henvisning 3f2a1b4c", "Referral 3f2a1b4c"),
    (ReferralAction.READ, CASE, "Henvisning 3f2a1b4c", "Referral 3f2a1b4c"),
    (ReferralAction.PDF, CASE, "Henvisning 3f2a1b4c", "Referral 3f2a1b4c"),
    (ReferralAction.PRINT, CASE, "Henvisning 3f2a1b4c", "Referral 3f2a1b4c"),
    (ReferralAction.SAVE, CASE, "Henvisning 3f2a1b4c", "Referral 3f2a1b4c"),
    (
        ReferralAction.EDIT,
        f"{CASE} programme",
        "Henvisning 3f2a1b4c, felter: Modtagerprogram",
        "Referral 3f2a1b4c, fields: Recipient programme",
    ),
    (
        ReferralAction.STATUS,
        f"{CASE} kladde->sendt",
        "Henvisning 3f2a1b4c, Kladde → Sendt",
        "Referral 3f2a1b4c, Draft → Sent",
    ),
    (
        ReferralAction.LIST,
        "statuses=[<ReferralStatus.SENT: 'sendt'>] programmes=[]",
        "Status: Sendt",
        "Status: Sent",
    ),
    (ReferralAction.LIST, "statuses=[] programmes=[]", "Alle henvisninger", "All referrals"),
    (
        ReferralAction.LIST,
        "statuses=['modtaget', 'sendt'] programmes=[]",
        "Status: Modtaget, Sendt",
        "Status: Received, Sent",
    ),
    (
        "bundle.recipient.add",
        "fingerprint 2BC9 F577 0A1B 9C3D",
        "Fingeraftryk 2BC9 F577 0A1B 9C3D",
        "Fingerprint 2BC9 F577 0A1B 9C3D",
    ),
    (
        ReferralAction.FORM_CHANGE,
        "reset",
        "Sat tilbage til standardskemaet",
        "Reset to the standard form",
    ),
    (ReferralAction.FORM_CHANGE, "add housing", "Felt tilføjet: housing", "Field added: housing"),
    (
        ReferralAction.FORM_CHANGE,
        "required programme=False",
        "Felt gjort valgfrit: Modtagerprogram",
        "Field made optional: Recipient programme",
    ),
    (ReferralAction.INCOMING_READ, CASE, "Bilag 3f2a1b4c", "Attachment 3f2a1b4c"),
    (
        ReferralAction.INCOMING_STORE,
        f"bundle {CASE} 2 attachments",
        "Pakke 3f2a1b4c, 2 bilag",
        "Bundle 3f2a1b4c, 2 attachments",
    ),
    (ReferralAction.TAMPERED, "1a2b3c4d", "Henvisning 1a2b3c4d", "Referral 1a2b3c4d"),
    (
        BundleAction.EXPORT,
        f"case-transfer to {CASE} attachments 1",
        "Sagen overdraget, modtager 3f2a1b4c, 1 bilag",
        "The case handed over, recipient 3f2a1b4c, 1 attachment",
    ),
    (
        BundleAction.EXPORT,
        f"referral {CASE} to {OTHER} attachments 0",
        "Henvisning 3f2a1b4c, modtager 9e8d7c6b, 0 bilag",
        "Referral 3f2a1b4c, recipient 9e8d7c6b, 0 attachments",
    ),
    (
        BundleAction.IMPORT,
        f"from {CASE} incoming {OTHER} attachments 1",
        "Fra afsender 3f2a1b4c, modtaget henvisning 9e8d7c6b, 1 bilag",
        "From sender 3f2a1b4c, received referral 9e8d7c6b, 1 attachment",
    ),
    (
        BundleAction.IMPORT,
        f"from {CASE} case {OTHER} attachments 3",
        "Fra afsender 3f2a1b4c, ny sag 9e8d7c6b, 3 bilag",
        "From sender 3f2a1b4c, new case 9e8d7c6b, 3 attachments",
    ),
    (
        BundleAction.IMPORT_REJECTED,
        "reason replay",
        "Afvist: den er allerede importeret",
        "Refused: it has already been imported",
    ),
    (BundleAction.INSPECT, f"from {CASE}", "Fra afsender 3f2a1b4c", "From sender 3f2a1b4c"),
    (
        BundleAction.INSPECT,
        "rejected magic",
        "Afvist: filen er ikke en Infohus-pakke",
        "Refused: the file is not an Infohus bundle",
    ),
    (
        BundleAction.RECIPIENT_ADD,
        "fingerprint AB12-CD34",
        "Fingeraftryk AB12-CD34",
        "Fingerprint AB12-CD34",
    ),
    # administration
    ("group.add", "casework", "Sagsbehandlernes adgangskreds", "The caseworkers' access group"),
    ("group.list", "waiting", "Medlemmer, der venter på nøgler", "Members waiting for keys"),
    ("group.member.add", "gitte", "Bruger gitte", "User gitte"),
    ("group.member.remove", "gitte", "Bruger gitte", "User gitte"),
    ("member.add", "gitte", "Bruger gitte", "User gitte"),
    ("member.remove", "gitte", "Bruger gitte", "User gitte"),
    ("member.reset", "gitte", "Bruger gitte", "User gitte"),
    ("member.list", "administration", "Til administrationen", "For the administration"),
    (
        "member.role",
        "gitte: member -> dpo",
        "Bruger gitte: Medlem → Databeskyttelsesrådgiver",
        "User gitte: Member → Data protection officer",
    ),
    ("member.welcome_letter", "gitte", "Bruger gitte", "User gitte"),
    ("member.welcome_letter", "gitte: print", "Bruger gitte: udskrevet", "User gitte: printed"),
    (
        "vault.restore_accepted",
        "seen=120 vault=100 diverged=False",
        "Arbejdsstationen havde set til post 120, boksens log går til post 100, "
        "loggen er den sete, blot ældre",
        "The workstation had seen up to entry 120, the vault's log goes to entry 100, "
        "the log is the one seen, only older",
    ),
    (
        "vault.restore_accepted",
        "format=2 seen_format=3",
        "Boksens format 2, arbejdsstationen havde set format 3",
        "The vault's format 2, the workstation had seen format 3",
    ),
    (
        "vault.settings",
        "idle_lock_minutes=15",
        "Automatisk lås efter 15 minutter",
        "Automatic lock after 15 minutes",
    ),
    (
        "vault.upgrade",
        "format=3 signed=1 removed=0 retention_rules=sha256:ab12",
        "Format 3, 1 indstilling underskrevet, 0 fjernet; retention_rules sha256:ab12",
        "Format 3, 1 setting signed, 0 removed; retention_rules sha256:ab12",
    ),
    (
        "vault.upgrade",
        "cases=4 sealed=4 records=2",
        "4 sager, 4 forseglet, 2 statistikposter",
        "4 cases, 4 sealed, 2 statistics records",
    ),
    ("vault.upgrade", "listings=1", "1 sagsoversigt", "1 case listing"),
    ("audit.verify", "ok", "Loggen er hel", "The log is intact"),
    ("audit.verify", "bad at 12", "Loggen er brudt ved post 12", "The log is broken at entry 12"),
    ("audit.list", "counters", "Nøgletal", "Figures"),
    (
        "audit.prune",
        "entries=40 seq=1..40 before=2025-03-01",
        "40 poster, nr. 1–40, fra før 01.03.2025",
        "40 entries, no. 1–40, from before 01.03.2025",
    ),
    (
        "audit.sample",
        "size=20 since=2026-01-01 until=None",
        "20 poster, fra 01.01.2026, til nu",
        "20 entries, from 01.01.2026, until now",
    ),
    ("audit.spot_check", "afvigelse", "Afvigelse", "Deviation"),
    (
        BackupAction.CREATE,
        "cases=3 audit_head=0123456789abcdef0123 bytes=4096",
        "3 sager, revisionsloggens hoved 0123456789abcdef, 4096 bytes",
        "3 cases, audit log head 0123456789abcdef, 4096 bytes",
    ),
    (
        BackupAction.RESTORE,
        "created=2026-03-01T10:00:00Z by=lars audit_head=0123456789abcdef0123 deletions=2",
        "Lavet 01.03.2026 10.00 UTC, af lars, revisionsloggens hoved 0123456789abcdef, "
        "2 sletninger at gentage",
        "Made 01.03.2026 10.00 UTC, by lars, audit log head 0123456789abcdef, "
        "2 deletions to repeat",
    ),
    (
        BackupAction.DRILL,
        "cases_read=12 audit_head=0123456789abcdef0123 seconds=1.5",
        "12 sager læst, revisionsloggens hoved 0123456789abcdef, 1,5 sekunder",
        "12 cases read, audit log head 0123456789abcdef, 1.5 seconds",
    ),
    (
        BackupAction.SETTINGS,
        "backup_reminder_days=7",
        "Påmindelse efter 7 dage",
        "Reminder after 7 days",
    ),
    (
        StatisticsAction.COMPUTE,
        "period=2026-01-01..2026-06-30",
        "Periode 01.01.2026–30.06.2026",
        "Period 01.01.2026–30.06.2026",
    ),
    (
        StatisticsAction.PDF,
        "period=2026-01-01..2026-06-30",
        "Periode 01.01.2026–30.06.2026",
        "Period 01.01.2026–30.06.2026",
    ),
    (
        StatisticsAction.CSV,
        "period=2026-01-01..2026-06-30",
        "Periode 01.01.2026–30.06.2026",
        "Period 01.01.2026–30.06.2026",
    ),
    (
        StatisticsAction.PRINT,
        "period=2026-01-01..2026-06-30",
        "Periode 01.01.2026–30.06.2026",
        "Period 01.01.2026–30.06.2026",
    ),
    (
        StatisticsAction.SAVE,
        "period=2026-01-01..2026-06-30",
        "Periode 01.01.2026–30.06.2026",
        "Period 01.01.2026–30.06.2026",
    ),
    (StatisticsAction.REFRESH, "5", "5 statistikposter skrevet", "5 statistics records written"),
]


@pytest.mark.parametrize(("action", "detail", "da", "en"), FORMATS)
def test_every_detail_format_reads_in_words(action: str, detail: str, da: str, en: str) -> None:
    assert detail_words(str(action), detail) == (da, en)
    assert detail_text(str(action), detail, "en") == en
    assert detail_text(str(action), detail, "da") == da


def test_every_action_with_a_reader_has_a_format_row_and_is_a_known_action() -> None:
    """No reader is left without a row here, nor written for an action nobody records."""
    tested = {str(action) for action, *_ in FORMATS}
    assert set(READERS) <= tested
    assert set(READERS) <= set(ACTION_LABELS)


@pytest.mark.parametrize(
    ("action", "detail"),
    [
        ("case.search", "search='x' colour=blue"),  # a key no reader knows
        ("retention.due", "within=soon"),  # a value of another kind
        ("case.status", "modtaget->screening extra"),  # something left over
        ("insight.report", "by=cpr cases=0 ghost"),
        ("retention.rules", '{"closing_reasons": {"andet": 24}, "surprise": 1}'),
        ("retention.rules", "{not json"),
        ("case.attachment.read", "not-an-id"),
        ("audit.verify", "bad"),
        ("login", "something written by a later version"),  # an action without a reader
        ("some.future.action", "key=value"),
        ("case.read", "⚠ (kan ikke læses / unreadable)"),  # an entry that could not be opened
    ],
)
def test_a_detail_not_understood_in_full_is_shown_unchanged(action: str, detail: str) -> None:
    assert detail_words(action, detail) == (detail, detail)


def test_no_detail_is_no_words() -> None:
    assert detail_words("login", None) == ("", "")
    assert detail_words("case.read", "") == ("", "")


def test_an_id_is_named_when_its_name_is_at_hand() -> None:
    """A case's id says its number; an id without a name keeps its first eight characters,
    never dropped."""
    names = {CASE: "AAR-2026-0007"}
    assert detail_words("case.disclose", "rpl_115_1_1", names)[0].startswith("Hjemmel")
    assert detail_words("case.attachment.read", CASE, names) == (
        "Bilag AAR-2026-0007",
        "Attachment AAR-2026-0007",
    )
    assert detail_words(BundleAction.EXPORT, f"referral {CASE} to {OTHER} attachments 1", names)[
        0
    ] == ("Henvisning AAR-2026-0007, modtager 9e8d7c6b, 1 bilag")


def test_a_cpr_number_in_the_words_shows_only_the_birth_date() -> None:
    """The log's table is read by whoever sits at the screen; the whole number stays in the
    stored detail (tooltip, --json), where the DPO looks on purpose."""
    da, en = detail_words("case.search", "search='0101901234 og 020202-4321'")
    assert da == "Søgt efter »010190-**** og 020202-****«"
    assert "0101901234" not in en and "4321" not in en
    assert detail_words("case.search", "search='Anne 12345678901'")[0] == (
        "Søgt efter »Anne 12345678901«"  # eleven digits: no CPR number
    )
