"""Retention and deletion as a coordinator does it, on SQLite and PostgreSQL: the rules, the
deletion date through close, reopen and hold, the four eyes of an early deletion, and what
is left after a deletion (nothing of the case but its signed tombstone)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.domain.cases import CaseSummary, JournalKind
from infohus_desktop.domain.errors import (
    AccessDenied,
    InfohusError,
    InvalidInput,
    NotFound,
    TamperedData,
    WrongPassphrase,
)
from infohus_desktop.domain.meetings import ItemKind, MeetingKind, NewAgendaItem, NewMeeting
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.retention import DEFAULT_RULES, add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.retention.deletion import Approval
from infohus_desktop.vault.case_schema import AttachmentChunkRow, AttachmentRow, CaseRow
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.models import METADATA
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.schema import DataKeyRow
from infohus_desktop.vault.types import UUIDString
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import edit_stored_rules, tamper
from tests.integration.test_cli_cases import CaseCli, refused
from tests.integration.test_cli_cases import cli as cli  # the fixture

NAME = "Sentinel Sørensen"
CPR = "010203-4567"
JOURNAL = "Sentinelsætning om samtalen med familien"
ATTACHMENT = b"SENTINEL-BILAG-BYTES-0123456789" * 40
RULES = {
    "closing_reasons": {reason.value: 12 for reason in ClosingReason},
    "classes": {"minimal": 3, "forlaenget": 48},
    "audit_months": 24,
}


def _closed_case(session: MemberServices, name: str = NAME, cpr: str | None = CPR) -> CaseSummary:
    case = session.cases.open_case(new_case(name, cpr), accept_duplicate=True)
    number = case.number
    session.case_records.add_journal(number, JournalKind.CONVERSATION, JOURNAL)
    session.attachments.add(number, "notat.txt", io.BytesIO(ATTACHMENT))
    return session.cases.change_status(
        number, CaseStatus.CLOSED, "Ingen grund til videre bekymring", ClosingReason.UNFOUNDED
    )


@pytest.fixture
def lars(district: District) -> MemberServices:
    return district.coordinator


# -- the rules --------------------------------------------------------------------------------


def test_the_shipped_rules_say_they_are_a_starting_point_until_set(
    lars: MemberServices, approval: Approval
) -> None:
    assert lars.retention.rules.get() == DEFAULT_RULES
    assert not lars.retention.rules.get().configured
    rules = lars.retention.rules.set(RULES, approval)
    assert rules.configured and rules.by_reason[ClosingReason.POLICE] == 12
    assert lars.retention.rules.get() == rules


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"closing_reasons": {"ubegrundet": 6}}, "Der mangler en periode"),
        ({"audit_months": 6}, "mindst 13 måneder"),
        ({"classes": {"evig": 5}}, "Ukendt kode"),
        ({"closing_reasons": {r.value: 0 for r in ClosingReason}}, "mellem 1 og 600"),
        ({"closing_reasons": None}, "Reglerne mangler 'closing_reasons'."),
        (
            {
                "closing_reasons": {
                    r.value: 0 if r.value == "ubegrundet" else 6 for r in ClosingReason
                }
            },
            "Perioden for »Ubegrundet« (ubegrundet) skal være",
        ),
    ],
)
def test_bad_rules_are_refused_with_the_reason(
    lars: MemberServices, change: dict[str, object], fragment: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        lars.retention.rules.set({**RULES, **change})
    assert fragment in caught.value.message("da")


def test_rules_changed_in_the_database_are_refused(
    district: District,
    lars: MemberServices,
    approval: Approval,
) -> None:
    lars.retention.rules.set(RULES, approval)
    tamper(district.url, edit_stored_rules("closing_reasons", "ubegrundet", 600))
    with pytest.raises(TamperedData) as caught:
        district.unlock("lars").retention.rules.get()
    assert "Slettereglerne er ændret uden om programmet" in caught.value.message("da")


def test_rules_that_shorten_a_period_need_a_second_person(
    district: District, lars: MemberServices
) -> None:
    """The user trial: one coordinator set every period to a month and deleted the cases
    that made due, which the early deletion's four eyes exist to prevent."""
    longer = {
        "closing_reasons": {r.value: 36 for r in ClosingReason},
        "classes": {"minimal": 12, "forlaenget": 72},
        "audit_months": 24,
    }
    assert lars.retention.rules.set(longer).by_reason[ClosingReason.MOVED_AWAY] == 36
    shorter = {**longer, "closing_reasons": {**longer["closing_reasons"], "fraflyttet": 1}}
    with pytest.raises(InvalidInput) as caught:
        lars.retention.rules.set(shorter)
    assert "kortere for »Fraflyttet«" in caught.value.message("da")
    assert "'Moved away'" in caught.value.message("en")
    assert lars.retention.rules.get().by_reason[ClosingReason.MOVED_AWAY] == 36
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for who, passphrase, fragment in (
        ("lars", district.passphrases["lars"], "anden end dig selv"),
        ("mette", district.passphrases["mette"], "Kun DPO'en eller en anden koordinator"),
    ):
        with pytest.raises(InvalidInput) as caught:
            lars.retention.rules.set(shorter, Approval(who, passphrase))
        assert fragment in caught.value.message("da")
    with pytest.raises(WrongPassphrase):
        lars.retention.rules.set(shorter, Approval("vibeke", "forkert frase her"))
    assert lars.retention.rules.get().by_reason[ClosingReason.MOVED_AWAY] == 36
    # A shorter class, the handed-over cases and the audit log count as well.
    for change, name in (
        ({"classes": {"minimal": 6, "forlaenget": 72}}, "»Minimal«"),
        ({"transferred": 3}, "»overdragne sager«"),
        ({"audit_months": 13}, "»revisionsloggen«"),
    ):
        with pytest.raises(InvalidInput) as caught:
            lars.retention.rules.set({**longer, **change})
        assert name in caught.value.message("da")

    rules = lars.retention.rules.set(shorter, district.approval())
    assert rules.by_reason[ClosingReason.MOVED_AWAY] == 1
    [entry] = [b for _, b in opened_since(lars) if b.action == "retention.rules"][-1:]
    assert entry.detail is not None and entry.detail.endswith("approved_by=vibeke")


def test_only_a_coordinator_sets_the_rules(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with pytest.raises(InfohusError):
        mette.retention.rules.set(RULES)


# -- the deletion date ------------------------------------------------------------------------


def test_the_date_comes_with_closing_goes_with_reopening_and_a_hold_keeps_the_case(
    lars: MemberServices,
    approval: Approval,
) -> None:
    lars.retention.rules.set(RULES, approval)
    case = _closed_case(lars)
    closed = date.today()
    later = add_months(closed, 12)
    [entry] = [e for e in lars.retention.due(today=later) if e.number == case.number]
    assert entry.delete_on == later and entry.closing_reason is ClosingReason.UNFOUNDED
    assert entry.due(later) and not entry.due(later - timedelta(days=1))
    assert case.number not in {
        e.number for e in lars.retention.due(today=later - timedelta(days=31))
    }
    lars.cases.change_status(case.number, CaseStatus.SCREENING, "Ny henvendelse fra skolen")
    assert case.number not in {e.number for e in lars.retention.due(today=later)}
    lars.cases.change_status(case.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.POLICE)
    lars.retention.holds.add(case.number, "Klage til Datatilsynet", later + timedelta(days=90))
    [entry] = [e for e in lars.retention.due(today=later) if e.number == case.number]
    assert entry.held(later) and entry.hold is not None
    assert entry.hold.reason == "Klage til Datatilsynet"
    with pytest.raises(InvalidInput) as caught:
        lars.retention.delete(case.number, "Slettefrist udløbet", today=later)
    assert "sletteblokering" in caught.value.message("da")
    assert lars.retention.holds.release(case.number) == 1
    stone = lars.retention.delete(case.number, "Slettefrist udløbet", today=later)
    assert stone.number == case.number and stone.closing_reason is ClosingReason.POLICE


def test_a_window_past_the_calendars_end_lists_every_closed_case(
    lars: MemberServices, approval: Approval
) -> None:
    """``retention due --within 999999999`` was an intern fejl (OverflowError)."""
    lars.retention.rules.set(RULES, approval)
    case = _closed_case(lars)
    assert [e.number for e in lars.retention.due(within_days=999_999_999)] == [case.number]


def test_an_open_case_and_an_open_referral_are_not_deleted(lars: MemberServices) -> None:
    case = lars.cases.open_case(new_case("Åben Åbensen"), accept_duplicate=True)
    with pytest.raises(InvalidInput) as caught:
        lars.retention.delete(case.number, "Fejl")
    assert "er ikke afsluttet" in caught.value.message("da")
    closed = _closed_case(lars, "Henvist Henvisen", None)
    lars.referrals.create(closed.number, "pet_exit")
    far = add_months(date.today(), 30)
    with pytest.raises(InvalidInput) as caught:
        lars.retention.delete(closed.number, "Slettefrist udløbet", today=far)
    assert "åben henvisning" in caught.value.message("da")
    [referral] = lars.referrals.for_case(closed.number)
    lars.referrals.change_status(referral.id, ReferralStatus.WITHDRAWN, "Ikke relevant")
    assert lars.retention.delete(closed.number, "Slettefrist udløbet", today=far).number


# -- four eyes --------------------------------------------------------------------------------


def test_an_early_deletion_needs_the_dpo_or_another_coordinator(
    district: District, lars: MemberServices
) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    case = _closed_case(lars)
    with pytest.raises(InvalidInput) as caught:
        lars.retention.delete(case.number, "Borgeren har bedt om sletning")
    assert "kræver godkendelse af DPO'en eller en anden koordinator" in caught.value.message("da")
    with pytest.raises(InvalidInput):  # a member is not a second pair of eyes
        lars.retention.delete(
            case.number,
            "Borgeren har bedt om sletning",
            Approval("mette", district.passphrases["mette"]),
        )
    with pytest.raises(WrongPassphrase):
        lars.retention.delete(
            case.number, "Borgeren har bedt om sletning", Approval("dorte", "forkert frase her")
        )
    with pytest.raises(InvalidInput):  # nor is the coordinator themselves
        lars.retention.delete(
            case.number,
            "Borgeren har bedt om sletning",
            Approval("lars", district.passphrases["lars"]),
        )
    stone = lars.retention.delete(
        case.number,
        "Borgeren har bedt om sletning",
        Approval("dorte", district.passphrases["dorte"]),
    )
    assert stone.approved_by == "dorte" and stone.deleted_by == "lars"
    # Asked for afterwards, the case is said to be deleted, not unknown (user trial).
    with pytest.raises(NotFound) as caught:
        lars.cases.show(case.number)
    assert f"Sag {case.number} er slettet (" in caught.value.message("da")
    entries = [b for _, b in opened_since(lars) if b.action == "case.delete"]
    assert len(entries) == 1
    assert entries[0].purpose == "sletning" and "approved_by=dorte" in (entries[0].detail or "")
    dorte = district.unlock("dorte")
    [listed] = dorte.retention.tombstones()
    assert listed.reason == "Borgeren har bedt om sletning" and listed.number == case.number


def test_an_approver_with_the_first_passphrase_a_coordinator_gave_cannot_approve(
    district: District, lars: MemberServices
) -> None:
    """The coordinator who asks for the deletion may have chosen that passphrase (a DPO just
    added, or just reset): it proves nothing of a second person, and deletes nothing."""
    lars.accounts.add("dorte", "Dorte Vang", "police", Role.DPO, "dortes første lange frase")
    case = _closed_case(lars)
    with pytest.raises(AccessDenied) as refused:
        lars.retention.delete(
            case.number,
            "Borgeren har bedt om sletning",
            Approval("dorte", "dortes første lange frase"),
        )
    assert "har ikke skiftet den første adgangsfrase" in refused.value.message("da")
    assert "has not changed the first passphrase" in refused.value.message("en")
    assert lars.cases.show(case.number).summary.number == case.number  # still there
    assert not lars.retention.tombstones()


# -- what is left -----------------------------------------------------------------------------


def _case_rows(district: District, case_id: object) -> dict[str, int]:
    """Rows in any table that name the case id in a column called case_id or id."""
    engine = create_vault_engine(district.url)
    found: dict[str, int] = {}
    with engine.connect() as c:
        for table in METADATA.sorted_tables:
            for column in ("case_id", "id", "deleted_case_id"):
                if (
                    column in table.c
                    and isinstance(table.c[column].type, UUIDString)
                    and table.name != "case_tombstones"
                ):
                    n = c.scalar(
                        select(func.count()).select_from(table).where(table.c[column] == case_id)
                    )
                    if n:
                        found[f"{table.name}.{column}"] = int(n)
    engine.dispose()
    return found


def _vault_bytes(db_url: str) -> bytes:
    """The vault file with its -wal, -shm and -journal, as a thief of the folder gets them."""
    path = Path(db_url.split("///", 1)[1])
    return b"".join(
        f.read_bytes() for f in sorted(path.parent.iterdir()) if f.name.startswith(path.name)
    )


def test_nothing_of_a_deleted_case_remains_and_its_key_is_gone(
    district: District,
    lars: MemberServices,
    approval: Approval,
) -> None:
    db_url = district.url
    lars.retention.rules.set(RULES, approval)
    case = _closed_case(lars)
    keep = _closed_case(lars, "Anden Andersen", None)
    engine = create_vault_engine(district.url)
    with engine.connect() as c:
        old = c.execute(
            select(CaseRow.person, CaseRow.data_key_id).where(CaseRow.id == case.id)
        ).one()
        old_chunk = bytes(
            c.scalar(
                select(AttachmentChunkRow.data)
                .join(AttachmentRow, AttachmentRow.id == AttachmentChunkRow.attachment_id)
                .where(AttachmentRow.case_id == case.id)
            )
        )
    engine.dispose()
    if db_url.startswith("sqlite"):
        before = _vault_bytes(db_url)
        assert old_chunk[20:60] in before, "the scan must be able to find it"
    lars.retention.delete(case.number, "Slettefrist udløbet", today=add_months(date.today(), 13))

    remaining = _case_rows(district, case.id)
    assert set(remaining) <= {"meeting_items.deleted_case_id"}, remaining
    engine = create_vault_engine(district.url)
    with engine.connect() as c:
        assert (
            c.scalar(
                select(func.count()).select_from(DataKeyRow).where(DataKeyRow.id == old.data_key_id)
            )
            == 0
        )
        assert c.scalar(select(func.count()).select_from(TombstoneRow)) == 1
    engine.dispose()
    # The live vault has no key that opens the case's old ciphertext, even freshly unlocked.
    fresh = district.unlock("lars")
    with fresh.uow() as session, pytest.raises(InfohusError):
        fresh.keyring.field_key_by_id(session, Ciphertext(old.person).key_id)
    assert [c.number for c in fresh.cases.list()] == [keep.number]
    if db_url.startswith("sqlite"):
        # Everything was encrypted all along, so the plain sentinels were never there; what
        # must be gone is the case's ciphertext itself: secure_delete zeroes the freed pages
        # and the WAL checkpoint empties the -wal file.
        fresh.lock()
        after = _vault_bytes(db_url)
        for sentinel in (NAME.encode(), CPR.encode(), JOURNAL.encode(), ATTACHMENT[:31]):
            assert sentinel not in after
        for blob in (bytes(old.person), old_chunk):
            assert blob[20:60] not in after


def test_a_deleted_case_stays_in_approved_minutes_as_deleted(
    district: District, lars: MemberServices
) -> None:
    from datetime import UTC, datetime

    case = _closed_case(lars)
    meeting = lars.meetings.plan(
        NewMeeting(
            MeetingKind.CASE,
            "Infohusmøde",
            datetime(2026, 11, 3, 9, tzinfo=UTC),
            local_infohus="Aarhus Kommune",
            chair_id=lars.member.id,
        )
    )
    item = lars.meetings.add_item(meeting.id, NewAgendaItem(ItemKind.CASE, "Sagen", case.number))
    lars.meetings.record_notes(item.id, f"Drøftet: {NAME}", item.version)
    far = add_months(date.today(), 30)
    with pytest.raises(InvalidInput) as caught:
        lars.retention.delete(case.number, "Slettefrist udløbet", today=far)
    assert "ikke er godkendt endnu" in caught.value.message("da")
    held = lars.meetings.mark_held(meeting.id, lars.meetings.get(meeting.id).summary.version)
    lars.meetings.approve(meeting.id, held.version)
    lars.retention.delete(case.number, "Slettefrist udløbet", today=far)
    minutes = district.unlock("lars").meetings.get(meeting.id)
    [shown] = minutes.items
    assert shown.deleted_on == date.today() and shown.notes == "" and shown.case_number is None


def test_a_changed_tombstone_reads_as_tampered(district: District, lars: MemberServices) -> None:
    """One stone changed in the database is listed as tampered, with no reason; the others
    read on (one such stone took the whole list down, and the deletion screen with it)."""
    case = _closed_case(lars)
    other = _closed_case(lars, "Anden Andersen", None)
    later = add_months(date.today(), 30)
    lars.retention.delete(case.number, "Slettefrist udløbet", today=later)
    lars.retention.delete(other.number, "Borgeren har klaget", today=later)
    engine = create_vault_engine(district.url)
    with engine.begin() as c:
        c.execute(
            update(TombstoneRow)
            .where(TombstoneRow.number == case.number)
            .values(closed_on=date(2020, 1, 1))
        )
    engine.dispose()
    again = district.unlock("lars")
    entries = opened_since(again)
    stones = {s.number: s for s in again.retention.tombstones()}
    assert stones[case.number].tampered and stones[case.number].reason == ""
    assert not stones[other.number].tampered
    assert stones[other.number].reason == "Borgeren har klaget"
    noted = [(b.action, b.object_id) for _, b in opened_since(again, entries[-1][0])]
    assert ("case.tampered", str(stones[case.number].case_id)) in noted
    # And the verification of the log says so, naming the case (issue 12).
    checked = again.audit.verify()
    assert not checked.ok
    assert f"Sletningen af sag {case.number} er ændret" in (checked.problem_da or "")


# -- the command line -------------------------------------------------------------------------


def _close(cli: CaseCli, number: str) -> None:
    cli.ok("mette", "case", "status", number, "--to", "afsluttet", "--reason", "Afklaret",
           "--closing-reason", "ubegrundet")  # fmt: skip


def test_the_cli_sets_rules_lists_due_cases_holds_and_refuses_an_early_deletion(
    cli: CaseCli,
) -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "retention-rules-example.json"
    shown = cli.as_("lars", "retention", "rules", "--json").json()
    assert shown["configured"] is False
    text_out = cli.as_("lars", "retention", "rules")
    assert "Infohuset har ikke sat sine egne sletteregler" in text_out.out
    # The example keeps a case closed as "fraflyttet" 12 months, not the shipped 24: a
    # shorter period, which the DPO (or another coordinator) approves.
    refused(
        cli.as_("lars", "retention", "rules", "--set", str(example)),
        2,
        "Reglerne gør perioden kortere for »Fraflyttet«",
        "kræver godkendelse af DPO'en eller en anden koordinator",
    )
    cli.enrol("dorte", "Dorte Dal", "Aarhus Kommune", "dpo")
    approver = ("--approver", "dorte", "--approver-passphrase-file", cli.passfiles["dorte"])
    set_rules = ("retention", "rules", "--set", str(example), *approver, "--json")
    assert cli.as_("lars", *set_rules).json()["closing_reasons"]["fraflyttet"] == 12
    number = cli.add_case("mette", "Slet Slettesen")["number"]
    _close(cli, number)
    assert cli.as_("lars", "retention", "due", "--json").json() == []
    [due] = cli.as_("lars", "retention", "due", "--within", "200", "--json").json()
    assert due["number"] == number and due["closing_reason"] == "ubegrundet"
    assert "name" not in due and "person" not in json.dumps(due)
    hold = cli.as_(
        "mette",
        "case",
        "hold",
        number,
        "--until",
        "2099-01-01",
        "--reason",
        "Anmodning om indsigt",
        "--json",
    ).json()
    assert hold["until"] == "2099-01-01"
    [due] = cli.as_("lars", "retention", "due", "--within", "200", "--json").json()
    assert due["hold"]["reason"] == "Anmodning om indsigt"
    refused(
        cli.as_("lars", "case", "delete", number, "--reason", "Fejl"),
        2,
        "sletteblokering",
    )
    assert cli.as_("mette", "case", "release-hold", number, "--json").json() == {"released": 1}
    refused(
        cli.as_("lars", "case", "delete", number, "--reason", "Fejl"),
        2,
        "kræver godkendelse af DPO'en eller en anden koordinator",
    )
    refused(cli.as_("mette", "case", "delete", number, "--reason", "Fejl"), 4)
    assert cli.as_("lars", "retention", "deleted", "--json").json() == []


def test_every_due_case_goes_at_once_and_one_that_cannot_is_left_with_its_reason(
    lars: MemberServices,
) -> None:
    due = [_closed_case(lars, f"Forfalden Person {n}", None) for n in range(3)]
    held = _closed_case(lars, "Blokeret Person", None)
    lars.retention.holds.add(held.number, "Klage", add_months(date.today(), 40))
    lars.referrals.create(due[2].number, "pet_exit")  # an open referral keeps it
    result = lars.retention.delete_due(
        "Slettefristen er udløbet", today=add_months(date.today(), 30)
    )
    assert sorted(s.number for s in result.deleted) == sorted(c.number for c in due[:2])
    [(number, reason)] = result.skipped
    assert number == due[2].number and "åben henvisning" in reason.message("da")
    left = {c.number for c in lars.cases.list()}
    assert left == {held.number, due[2].number}


def test_the_cli_deletes_every_due_case(cli: CaseCli) -> None:
    numbers = [cli.add_case("mette", f"Slet Slettesen {n}")["number"] for n in range(2)]
    for number in numbers:
        _close(cli, number)
    # Not due for six months: nothing goes, and nothing is said to have gone.
    result = cli.as_("lars", "retention", "delete-due", "--reason", "Udløbet", "--json").json()
    assert result == {"deleted": [], "skipped": []}
    said = cli.ok("lars", "retention", "delete-due", "--reason", "Udløbet")
    assert said == "Ingen sager er slettet.\n"  # not "0 sager er slettet; deres nøgler …"
