"""The citizen's insight report (*indsigt*) as a coordinator makes it, on SQLite and
PostgreSQL: every field of every case about the person, read back from the PDF with pypdf;
the log of look-ups and changes with date, purpose, organisation and kind of action, staff
names only on request; a person without cases; by case number, a deleted case's dates; the
DPO's refusal; the production audited with the purpose *indsigt*; and the command line."""

from __future__ import annotations

import argparse
import io
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from infohus_desktop.cli import build_parser
from infohus_desktop.cli.person_input import warn_visible_arguments
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound
from infohus_desktop.domain.insight import InsightReport, SearchBy
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.reports.insight import render_insight
from infohus_desktop.services.front_door import MemberServices
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import fill_case, new_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import mette
from tests.integration.test_cli_cases import CaseCli
from tests.integration.test_cli_cases import cli as cli  # the fixture

CPR = "0101901234"  # born 1 January 1990
NAME = "Ali Ærø"
OTHER_CPR = "0202801234"


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def keep(pdf: bytes, name: str) -> None:
    """With ``INSIGHT_PDF_DIR`` set, keep the PDF there to look at (pdftoppm)."""
    folder = os.environ.get("INSIGHT_PDF_DIR")
    if folder:
        (Path(folder) / name).write_bytes(pdf)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space: table cells wrap."""
    return " ".join(text.split())


@pytest.fixture
def lars(district: District) -> MemberServices:
    return district.coordinator


def _person_with_two_cases(district: District, lars: MemberServices) -> tuple[str, str]:
    """Two cases about Ali (one full, with a referral; one bare), one about someone else,
    and a look-up by member Mette of Aarhus Kommune."""
    full = fill_case(lars, NAME, CPR, "Aarhus Kommune")
    lars.referrals.create(full.number, "pet_exit")
    bare = lars.cases.open_case(new_case(NAME, "010190-1234"), accept_duplicate=True)
    lars.cases.open_case(new_case("Anden Person", OTHER_CPR), accept_duplicate=True)
    m = mette(district)
    m.cases.show(full.number)
    return full.number, bare.number


def test_the_report_by_cpr_holds_every_case_field_and_the_log(
    district: District, lars: MemberServices
) -> None:
    full, bare = _person_with_two_cases(district, lars)
    report = lars.insight.build(cpr="010190-1234")
    assert report.searched_by is SearchBy.CPR
    assert [c.case.summary.number for c in report.cases] == sorted([full, bare])
    assert report.person_name == NAME and report.person_cpr == CPR
    assert not report.possibly_elsewhere
    [whole] = [c for c in report.cases if c.case.summary.number == full]
    assert len(whole.assessments) == 2 and len(whole.referrals) == 1

    pdf = render_insight(report)
    keep(pdf, "insight-da.pdf")
    text = flat(pdf_text(pdf))
    for expected in (
        "FORTROLIGT",
        "Side 1 af",
        "Indsigt i egne oplysninger",
        f"Sag {full}",
        f"Sag {bare}",
        NAME,
        "010190-1234",
        "01.01.1990",
        "Testvej 1, 8000 Aarhus C",
        "12345678",
        "Forælder Testesen",
        "Bekymring fra skolen",
        "Militant islamisme",
        "Eleven har delt voldsforherligende materiale i klassens chat.",
        "Flere gange om ugen",
        "Testskolen",
        "Behandles i Infohus",
        "Fravær stigende",
        "I Infohus",
        "Høj",
        "Middel",
        "Bekymrende tegn, ingen akut fare",
        "Slåskamp i frikvarteret",
        "Mentor fra korpset",
        "Samtale med mor om bekymringen",
        "Rettelse: samtalen var med far",
        "Oplysninger om bekymringen",
        "Retsplejelovens § 115, stk. 1, nr. 1",
        "notat.txt",
        "PET's exitprogram (EXIT)",
        "Kladde",
        # the log: date, kind of action, purpose, organisation
        "Log over opslag og ændringer",
        "Oprettelse af sagen",
        "Opslag",
        "Journalnotat",
        "Videregivelse",
        "Henvisning oprettet",
        "Sagsbehandling",
        "Indsigt",
        "Aarhus Kommune",
        "Østjylland – politiet",
        "Slettede sager: Når en sag slettes",
    ):
        assert expected in text, expected
    assert "Anden Person" not in text
    # No staff names or logins of the log by default (the footer names the producer only).
    assert "Mette Fjord" not in text and "(mette)" not in text and " mette " not in text
    lines = report.log
    assert {line.case_number for line in lines} == {full, bare}
    assert all(line.staff is None for line in lines)
    looked = {
        line.organisation
        for line in lines
        if line.action == "case.read" and line.purpose == "sagsbehandling"
    }
    assert "Aarhus Kommune" in looked  # Mette's look-up, without her name
    day = f"{date.today():%d.%m.%Y}"
    assert day in text


def test_staff_names_only_with_the_option(district: District, lars: MemberServices) -> None:
    full, _bare = _person_with_two_cases(district, lars)
    report = lars.insight.build(case=full, with_staff_names=True)
    assert all(line.staff for line in report.log)
    assert "Mette Fjord (mette)" in {line.staff for line in report.log}
    text = flat(pdf_text(render_insight(report)))
    assert "Mette Fjord (mette)" in text and "Medarbejder" in text
    assert "Loggen nævner medarbejdernes navne efter særlig beslutning." in text
    without = flat(pdf_text(render_insight(lars.insight.build(case=full))))
    # What is left out is the log's staff, not names written in the case (user trial).
    assert "Loggen nævner organisationen, ikke medarbejderens navn." in without
    assert "Mette Fjord (mette)" not in without
    english_pdf = render_insight(report, "en")
    keep(english_pdf, "insight-en-names.pdf")
    english = flat(pdf_text(english_pdf))
    for expected in ("Subject access report", "Page 1 of", "Look-up", "Casework", "Staff member"):
        assert expected in english, expected


def test_a_person_without_cases_gets_a_report_saying_so(lars: MemberServices) -> None:
    fill_case(lars, NAME, CPR, "Aarhus Kommune")
    report = lars.insight.build(cpr=OTHER_CPR)
    assert report.empty and report.cases == () and report.log == ()
    pdf = render_insight(report)
    keep(pdf, "insight-none.pdf")
    text = flat(pdf_text(pdf))
    assert "Der er ingen sager om personen i Infohus Østjylland." in text
    assert "020280-1234" in text and NAME not in text


def test_by_case_number_all_the_persons_cases_or_that_case_alone(
    district: District, lars: MemberServices
) -> None:
    full, bare = _person_with_two_cases(district, lars)
    by_number = lars.insight.build(case=bare.lower())
    assert by_number.searched_case == bare
    assert {c.case.summary.number for c in by_number.cases} == {full, bare}
    alone = lars.cases.open_case(new_case("Uden Cpr", None), accept_duplicate=True)
    report = lars.insight.build(case=alone.number)
    assert [c.case.summary.number for c in report.cases] == [alone.number]
    assert report.person_cpr is None
    with pytest.raises(NotFound):
        lars.insight.build(case="IH-1999-9999")


def test_a_deleted_case_by_its_number_gives_the_tombstones_dates(lars: MemberServices) -> None:
    case = lars.cases.open_case(new_case(NAME, CPR), accept_duplicate=True)
    lars.cases.change_status(
        case.number, CaseStatus.CLOSED, "Ingen grund til bekymring", ClosingReason.UNFOUNDED
    )
    lars.retention.delete(case.number, "Udløbet", today=date.today() + timedelta(days=4000))
    assert lars.insight.build(cpr=CPR).cases == ()  # a tombstone has no CPR number
    report = lars.insight.build(case=case.number)
    assert report.cases == () and [d.number for d in report.deleted] == [case.number]
    assert {line.action for line in report.log} >= {"case.create", "case.delete"}
    pdf = render_insight(report)
    keep(pdf, "insight-deleted.pdf")
    text = flat(pdf_text(pdf))
    assert f"Sagen blev slettet {date.today():%d.%m.%Y}" in text
    assert f"Sag {case.number} (Aarhus Kommune): modtaget 20.11.2026" in text


def test_the_dpo_is_refused_and_told_who_can(district: District, lars: MemberServices) -> None:
    fill_case(lars, NAME, CPR, "Aarhus Kommune")
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    with pytest.raises(AccessDenied) as caught:
        dorte.insight.build(cpr=CPR)
    assert "koordinator i sagens adgangskreds" in caught.value.message("da")
    with pytest.raises(AccessDenied):
        mette(district).insight.build(cpr=CPR)


def test_producing_the_report_is_audited_with_the_purpose_indsigt(
    district: District, lars: MemberServices
) -> None:
    full, bare = _person_with_two_cases(district, lars)
    ids = {c.id: c.number for c in lars.cases.list()}
    [before] = opened_since(lars)[-1:]
    report: InsightReport = lars.insight.build(cpr=CPR)
    entries = [body for _seq, body in opened_since(lars, before[0])]
    reads = [e for e in entries if e.action == "case.read"]
    assert sorted(ids[uuid_of(e.object_id)] for e in reads) == sorted([full, bare])
    assert all(e.purpose == "indsigt" for e in reads)
    [made] = [e for e in entries if e.action == "insight.report"]
    assert made.purpose == "indsigt" and made.object_id is None
    assert made.detail is not None and "cases=2" in made.detail
    assert "staff_names=no" in made.detail
    assert CPR not in made.detail and "010190" not in made.detail and NAME not in made.detail
    # the report's own reads are in its log, as reads for insight
    assert any(line.purpose == "indsigt" for line in report.log)


def uuid_of(text: str | None) -> object:
    import uuid

    assert text is not None
    return uuid.UUID(text)


# -- the command line --------------------------------------------------------------------------


def test_the_cli_writes_a_private_pdf(cli: CaseCli, tmp_path: Path) -> None:
    number = cli.add_case("mette", "Cli Ærø", "--cpr", "010190-1234")["number"]
    target = tmp_path / "indsigt.pdf"
    out = cli.ok("lars", "insight", "--case", number, "--pdf", str(target))
    assert "Indsigtsrapporten er skrevet" in out
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    text = flat(pdf_text(target.read_bytes()))
    assert number in text and "Cli Ærø" in text and "Oprettelse af sagen" in text
    assert "(mette)" not in text

    by_cpr = tmp_path / "cpr.pdf"
    result = cli.as_(
        "lars", "insight", "--cpr-file", "-", "--pdf", str(by_cpr), sys_stdin="010190-1234\n"
    )
    assert result.code == 0, result
    assert stat.S_IMODE(os.stat(by_cpr).st_mode) == 0o600
    assert number in flat(pdf_text(by_cpr.read_bytes()))

    named = tmp_path / "navne.pdf"
    cli.ok("lars", "insight", "--case", number, "--pdf", str(named), "--with-staff-names")
    assert "(mette)" in flat(pdf_text(named.read_bytes()))


def test_the_cli_says_when_the_report_may_be_incomplete(cli: CaseCli, tmp_path: Path) -> None:
    """The user trial: only the PDF said so, further down; the window asks first."""
    cli.ok("lars", "group", "add", "Kun Mette", "--member", "mette")
    cli.add_case("mette", "Skjult Skjulesen", "--cpr", "010190-1234", "--group", "Kun Mette")
    target = tmp_path / "indsigt.pdf"
    out = cli.as_(
        "lars", "insight", "--cpr-file", "-", "--pdf", str(target), sys_stdin="010190-1234\n"
    )
    assert out.code == 0, out
    assert "Bemærk: personen findes muligvis også i en sag i en adgangskreds" in out.out
    answer = cli.as_(
        "lars", "insight", "--cpr-file", "-", "--pdf", str(tmp_path / "igen.pdf"), "--json",
        sys_stdin="010190-1234\n",
    ).json()  # fmt: skip
    assert answer["possibly_elsewhere"] is True


def _insight_help() -> str:
    parser = build_parser("insight")
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return flat(sub.choices["insight"].format_help())


def test_lang_is_the_reports_language_and_the_messages_keep_the_programs(
    cli: CaseCli, tmp_path: Path
) -> None:
    """The citizen may read English while the coordinator works in Danish: ``--lang en``
    makes an English report and the command answers in Danish, saying the report is in
    English; with INFOHUS_LANG=en and ``--lang da`` the other way round. The help says so."""
    number = cli.add_case("mette", "Cli Ærø", "--cpr", "010190-1234")["number"]
    english = tmp_path / "insight.pdf"
    out = cli.ok("lars", "insight", "--case", number, "--pdf", str(english), "--lang", "en")
    assert out.startswith(f"Indsigtsrapporten er skrevet på engelsk til {english} ("), out
    text = flat(pdf_text(english.read_bytes()))
    assert "Subject access report" in text and "Indsigt i egne oplysninger" not in text
    assert (
        "rapportens sprog; standard er programmets sprog (INFOHUS_LANG, ellers dansk), som "
        "kommandoens egne beskeder altid følger"
    ) in _insight_help()

    cli.monkeypatch.setenv("INFOHUS_LANG", "en")
    danish = tmp_path / "indsigt.pdf"
    out = cli.ok("lars", "insight", "--case", number, "--pdf", str(danish), "--language", "da")
    assert out.startswith(f"The insight report is written in Danish to {danish} ("), out
    assert "Indsigt i egne oplysninger" in flat(pdf_text(danish.read_bytes()))
    same = tmp_path / "same.pdf"
    out = cli.ok("lars", "insight", "--case", number, "--pdf", str(same))
    assert out.startswith(f"The insight report is written to {same} ("), out
    assert "Subject access report" in flat(pdf_text(same.read_bytes()))
    answer = cli.as_(
        "lars", "insight", "--case", number, "--pdf", str(same), "--lang", "da", "--json"
    ).json()
    assert answer["language"] == "da"
    assert (
        "the language of the report; by default the program's language (INFOHUS_LANG, else "
        "Danish), which the command's own messages always follow"
    ) in _insight_help()


def test_a_cpr_number_whose_date_does_not_exist_is_refused(lars: MemberServices) -> None:
    """The user trial: day 32 gave an official report saying there are no cases."""
    for impossible in ("320101-1234", "310490-1234", "000000-0000"):
        with pytest.raises(InvalidInput) as caught:
            lars.insight.build(cpr=impossible)
        assert "CPR-nummeret er ikke gyldigt" in caught.value.message("da")


def test_a_cpr_number_as_an_argument_warns_at_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = build_parser().parse_args(
        ["insight", "--cpr", "0101901234", "--pdf", "x.pdf", "--user", "lars"]
    )
    warn_visible_arguments(args, stderr_is_terminal=True)
    err = capsys.readouterr().err
    assert "--cpr could be seen" in err or "--cpr kunne ses" in err
    assert "--cpr-file FILE" in err and "0101901234" not in err
    quiet = build_parser().parse_args(
        ["insight", "--cpr-file", "-", "--pdf", "x.pdf", "--user", "lars"]
    )
    warn_visible_arguments(quiet, stderr_is_terminal=True)
    assert capsys.readouterr().err == ""


def test_a_case_in_a_group_the_coordinator_is_not_in_is_only_mentioned(
    district: District, lars: MemberServices
) -> None:
    m = mette(district)
    lars.groups.add("Kun Mette", ["mette"])
    hidden = m.cases.open_case(new_case(NAME, CPR, group="Kun Mette"), accept_duplicate=True)
    seen = lars.cases.open_case(new_case(NAME, CPR), accept_duplicate=True)
    report = lars.insight.build(cpr=CPR)
    assert [c.case.summary.number for c in report.cases] == [seen.number]
    assert report.possibly_elsewhere and report.limited_to_groups
    assert hidden.number not in {line.case_number for line in report.log}
    text = flat(pdf_text(render_insight(report)))
    assert "CPR-nummeret findes muligvis også i en sag i en adgangskreds" in text
    assert "Søgningen omfatter de adgangskredse, som rapportens udsteder er medlem af." in text
    assert hidden.number not in text


def test_a_person_only_in_a_group_the_issuer_is_not_in_is_not_told_there_are_no_cases(
    district: District, lars: MemberServices
) -> None:
    """The citizen reads the headline: it must not say "no cases" when the note below says
    the person possibly is in a case of another access group."""
    m = mette(district)
    lars.groups.add("Kun Mette", ["mette"])
    m.cases.open_case(new_case(NAME, CPR, group="Kun Mette"))
    report = lars.insight.build(cpr=CPR)
    assert report.cases == () and report.possibly_elsewhere
    pdf = render_insight(report)
    keep(pdf, "insight-elsewhere.pdf")
    text = flat(pdf_text(pdf))
    assert "Der er ingen sager om personen" not in text
    assert (
        "Rapportens udsteder kan ikke se nogen sag om personen i Infohus Østjylland, men "
        "personen findes muligvis i en sag, som udstederen ikke kan læse (se nedenfor)."
    ) in text


def test_a_case_whose_blind_index_was_cleared_by_sql_is_still_in_the_report(
    district: District, lars: MemberServices
) -> None:
    """The CPR blind index is a clear column: set to NULL (or another case's value), the
    case would drop out of the citizen's report. Its sealed listing finds it, and the
    changed index is audited as tampering."""
    from sqlalchemy import update

    from infohus_desktop.vault.case_schema import CaseRow
    from tests.integration.sql_tamper import tamper

    full, bare = _person_with_two_cases(district, lars)
    tamper(
        district.url,
        lambda c: c.execute(
            update(CaseRow).where(CaseRow.number == full).values(cpr_index=None, cpr_epoch=None)
        ),
    )
    fresh = district.unlock("lars")
    report = fresh.insight.build(cpr=CPR)
    assert sorted(c.case.summary.number for c in report.cases) == sorted([full, bare])
    entries = [body for _seq, body in opened_since(fresh)]
    tampered = [e for e in entries if e.action == "case.tampered"]
    ids = {c.id: c.number for c in fresh.cases.list()}
    assert [ids[uuid_of(e.object_id)] for e in tampered] == [full]
    # The search by CPR number is audited for insight like any search of the list.
    assert [e.purpose for e in entries if e.action == "case.search"] == ["indsigt"]


def test_a_case_changed_and_its_index_cleared_is_not_silently_left_out(
    district: District, lars: MemberServices
) -> None:
    """The tamper review: a case's number changed by SQL (so it reads as tampered) and its
    index cleared gave a report with no case and no note. The report now says the person
    possibly is in a case the issuer cannot read."""
    from sqlalchemy import update

    from infohus_desktop.vault.case_schema import CaseRow
    from tests.integration.sql_tamper import tamper

    only = lars.cases.open_case(new_case(NAME, CPR), accept_duplicate=True).number
    tamper(
        district.url,
        lambda c: c.execute(
            update(CaseRow)
            .where(CaseRow.number == only)
            .values(number="RAN-2026-0099", cpr_index=None, cpr_epoch=None)
        ),
    )
    report = district.unlock("lars").insight.build(cpr=CPR)
    assert report.cases == () and report.possibly_elsewhere
    assert "Der er ingen sager om personen" not in flat(pdf_text(render_insight(report)))
