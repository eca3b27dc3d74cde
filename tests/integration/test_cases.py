"""Concern cases, part 1: intake (person, CPR, reporter), case numbers (also under
concurrency) and the intake duplicate check.

Further parts: test_cases_edit.py (conflicts, journal, moving), test_cases_find.py (list and
search), test_cases_attachments.py and test_cases_sentinels.py.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

import pytest

from infohus_desktop.domain.cases import (
    DuplicateCheck,
    Guardian,
    Intake,
    Person,
    RetentionClass,
    Source,
)
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.index import PossibleDuplicate
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import RECEIVED, new_case
from tests.integration.conftest import District

NUMBER = re.compile(r"^(AAR|RAN)-\d{4}-\d{4}$")


def _mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def _numbers(session: MemberServices) -> set[str]:
    return {c.number for c in session.cases.list()}


# -- intake -----------------------------------------------------------------------------------


def test_intake_is_shown_as_entered_with_birth_date_and_sex_from_the_cpr(
    district: District,
) -> None:
    mette = _mette(district)
    person = Person(
        "  Søren   Ørsted-Åberg ",
        "070761-4285",
        birth_date=date(2000, 1, 1),  # what the CPR number says wins
        address="Æblevej 3, 8000 Aarhus C",
        municipality="Aarhus",
        phone="+45 12 34 56 78",
        email="soeren@example.invalid",
        school_or_work="Værkstedsskolen",
        guardians=(Guardian("Åse Ørsted", "mor", "87654321", informed=True),),
    )
    intake = Intake(
        Source.SOCIAL_SERVICES,
        RECEIVED,
        "Socialforvaltningen",
        "Sagsbehandler Bo Bæk",
        observed="Har vist våbenbilleder og talt om »den store dag«.",
        answers=(
            ("Hvad er observeret?", "Billeder af våben"),
            ("Hvor ofte?", "Tre gange i november"),
            ("Hvem ved ellers noget?", "Klasselæreren"),
            ("Nylig personlig krise?", "Forældrenes skilsmisse"),
        ),
    )
    opened = mette.cases.open_case(
        NewCase(
            person,
            intake,
            "hoejreekstremisme",
            title="Underretning fra socialforvaltningen",
            follow_up=date(2026, 12, 1),
            retention=RetentionClass.EXTENDED,
        )
    )

    # Read back through another member's own unlock: nothing comes from a cache.
    case = district.unlock("lars").cases.show(opened.number.lower())
    assert case.person == replace(
        person,
        name="Søren Ørsted-Åberg",
        cpr="0707614285",
        birth_date=date(1961, 7, 7),
        sex=Sex.MALE,
    )
    assert case.intake == intake
    assert case.title == "Underretning fra socialforvaltningen"
    assert case.retention == RetentionClass.EXTENDED
    s = case.summary
    assert (s.number, s.status, s.category) == (
        opened.number,
        CaseStatus.RECEIVED,
        "hoejreekstremisme",
    )
    assert (s.municipality, s.received, s.follow_up) == (
        "Aarhus Kommune",
        RECEIVED,
        date(2026, 12, 1),
    )
    assert (s.lead_member_id, s.lead_organisation_id) == (
        mette.member.id,
        mette.member.organisation_id,
    )
    assert (s.person_name, s.person_cpr) == ("Søren Ørsted-Åberg", "0707614285")
    assert [(h.by_login, h.old, h.new) for h in case.history] == [
        ("mette", None, CaseStatus.RECEIVED)
    ]
    assert not (case.journal or case.attachments or case.measures or case.assessment_ids)


def test_a_malformed_cpr_is_refused_and_one_failing_modulus_11_accepted(
    district: District,
) -> None:
    mette = _mette(district)
    unborn = date.today() + timedelta(days=400)  # 7th digit 5: born 2000-2057
    bad = {
        "12345": "too short",
        "12345678901": "too long",
        "29020O1234": "a letter",
        "2902001234": "29 February 1900",
        "3213901234": "day 32",
        f"{unborn:%d%m%y}5000": "born next year",
    }
    for cpr, why in bad.items():
        with pytest.raises(InvalidInput) as caught:
            mette.cases.open_case(new_case("Per Ugyldig", cpr), accept_duplicate=True)
        for message in (caught.value.da, caught.value.en):
            assert cpr not in message, why
            assert "Ugyldig" not in message, why
    assert _numbers(mette) == set()

    # 010190-1234 fails modulus 11 (weighted sum 7); numbers since 2007 need not pass it.
    opened = mette.cases.open_case(new_case("Ida Modulus", "010190 1234"))
    case = district.coordinator.cases.show(opened.number)
    assert (case.person.cpr, case.person.birth_date, case.person.sex) == (
        "0101901234",
        date(1990, 1, 1),
        Sex.FEMALE,
    )


def test_an_anonymous_hotline_reporter_has_no_contact(district: District) -> None:
    mette = _mette(district)
    intake = Intake(
        Source.HOTLINE,
        RECEIVED,
        "Den nationale hotline",
        anonymous=True,
        observed="Anonym opringning om en nabo",
    )
    opened = mette.cases.open_case(replace(new_case("Nabo Naboesen"), intake=intake))
    shown = district.unlock("lars").cases.show(opened.number).intake
    assert shown.anonymous
    assert shown.reporter_contact == ""
    assert (shown.source, shown.reporter_organisation) == (Source.HOTLINE, "Den nationale hotline")


def test_an_anonymous_reporter_s_typed_contact_is_never_stored(district: District) -> None:
    mette = _mette(district)
    intake = Intake(
        Source.HOTLINE,
        RECEIVED,
        "Den nationale hotline",
        reporter_contact="Naboen, tlf. 11223344",
        anonymous=True,
    )
    try:
        opened = mette.cases.open_case(replace(new_case("Nabo Naboesen"), intake=intake))
    except InvalidInput:
        return  # refusing the contradiction is as good as dropping the contact
    shown = district.unlock("lars").cases.show(opened.number).intake
    assert shown.anonymous
    assert shown.reporter_contact == ""


# -- case numbers -----------------------------------------------------------------------------


def test_case_numbers_run_per_infohus_kommune_and_year(district: District) -> None:
    lars = district.coordinator

    def open_(name: str, municipality: str, received: date = RECEIVED) -> str:
        new = new_case(name, municipality=municipality)
        new = replace(new, intake=replace(new.intake, received=received))
        return lars.cases.open_case(new).number

    opened = [
        open_("A En", "Aarhus Kommune"),
        open_("A To", "Aarhus Kommune"),
        open_("R En", "Randers Kommune"),
        open_("A Tidligere", "Aarhus Kommune", date(2025, 12, 31)),
        open_("A Tre", "AAR"),
        open_("R To", "randers kommune"),
        open_("R Næste år", "Randers Kommune", date(2027, 1, 1)),
    ]
    assert opened == [
        "AAR-2026-0001",
        "AAR-2026-0002",
        "RAN-2026-0001",
        "AAR-2025-0001",
        "AAR-2026-0003",
        "RAN-2026-0002",
        "RAN-2027-0001",
    ]
    assert all(NUMBER.match(n) for n in opened)
    assert _numbers(lars) == set(opened)
    # The list: the newest received first, and within a day the highest number first.
    assert [c.number for c in lars.cases.list()] == [
        "RAN-2027-0001",
        "RAN-2026-0002",
        "RAN-2026-0001",
        "AAR-2026-0003",
        "AAR-2026-0002",
        "AAR-2026-0001",
        "AAR-2025-0001",
    ]


def test_case_numbers_are_unique_and_gap_free_when_opened_at_once(district: District) -> None:
    """Four workstations (each its own vault handle and unlock) open twelve cases at once."""
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("karl", "Karl Rand", "Randers Kommune", Role.MEMBER)
    plans: list[tuple[MemberServices, list[str]]] = [
        (district.coordinator, ["Aarhus Kommune", "Randers Kommune", "Aarhus Kommune"]),
        (district.unlock("lars"), ["Randers Kommune", "Aarhus Kommune", "Randers Kommune"]),
        (district.unlock("mette"), ["Aarhus Kommune"] * 3),
        (district.unlock("karl"), ["Randers Kommune"] * 3),
    ]
    start = threading.Barrier(len(plans))
    got: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(thread: int, session: MemberServices, municipalities: list[str]) -> None:
        try:
            start.wait(timeout=60)
            for i, municipality in enumerate(municipalities):
                new = new_case(f"Person T{thread} N{i}", municipality=municipality)
                number = session.cases.open_case(new).number
                with lock:
                    got.append(number)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(i, session, plan))
        for i, (session, plan) in enumerate(plans)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    expected = {f"{p}-2026-{n:04d}" for p in ("AAR", "RAN") for n in range(1, 7)}
    assert sorted(got) == sorted(expected)  # twelve numbers, none twice, none skipped
    assert _numbers(district.coordinator) == expected


# -- the duplicate check ----------------------------------------------------------------------


def test_duplicates_by_cpr_and_by_name_in_readable_cases(district: District) -> None:
    mette = _mette(district)
    first = mette.cases.open_case(new_case("Anna Hansen", "0101901234"))

    assert mette.cases.check_duplicates("Helt Anden", "010190-1234") == DuplicateCheck(
        (first.number,), False
    )
    assert mette.cases.check_duplicates("  anna   HANSEN ", None) == DuplicateCheck(
        (first.number,), False
    )
    nfd = unicodedata.normalize("NFD", "Åse Ærø")  # the same name, typed decomposed
    third = mette.cases.open_case(new_case(nfd, None))
    assert mette.cases.check_duplicates(" åSE  ærø", None).known_in == (third.number,)
    assert mette.cases.check_duplicates("Anna Hansen-Berg", "0101901233") == DuplicateCheck(
        (), False
    )

    with pytest.raises(PossibleDuplicate) as caught:
        mette.cases.open_case(new_case("ANNA  hansen", None))
    assert caught.value.check == DuplicateCheck((first.number,), False)
    assert caught.value.message("en") == f"The person is already known in {first.number}."
    assert caught.value.message("da") == f"Personen er allerede kendt i {first.number}."
    assert _numbers(mette) == {first.number, third.number}  # refused: nothing opened

    second = mette.cases.open_case(new_case("ANNA  hansen", None), accept_duplicate=True)
    assert second.number == "AAR-2026-0003"
    with pytest.raises(PossibleDuplicate) as caught:
        mette.cases.open_case(new_case("Anna Andersen", "0101901234"))
    assert caught.value.check.known_in == (first.number,)
    assert mette.cases.check_duplicates("anna hansen", None).known_in == (
        first.number,
        second.number,
    )


def test_a_duplicate_in_a_case_the_member_cannot_see_reveals_nothing(
    district: District,
) -> None:
    mette = _mette(district)  # Aarhus: not in Randers Kommune og politiet
    hidden = district.coordinator.cases.open_case(
        new_case("Skjult Skjultesen", "0707614285", municipality="Randers Kommune")
    )

    assert mette.cases.check_duplicates("Noget Andet", "070761-4285") == DuplicateCheck((), True)
    with pytest.raises(PossibleDuplicate) as caught:
        mette.cases.open_case(new_case("Noget Andet", "0707614285"))
    error = caught.value
    assert error.check == DuplicateCheck((), True)
    assert "possibly known in a case you cannot see" in error.message("en")
    assert "muligvis kendt i en sag, du ikke kan se" in error.message("da")
    shown = " ".join([error.da, error.en, str(error), repr(error.args), repr(error.check)])
    for secret in (hidden.number, "RAN", "Randers", "Skjult", "0707614285", "070761", "2026-0001"):
        assert secret not in shown
    assert _numbers(mette) == set()
    # Names are compared only over readable cases: a name alone finds nothing hidden.
    assert mette.cases.check_duplicates("Skjult Skjultesen", None) == DuplicateCheck((), False)

    checks = district.coordinator.audit.list(action="case.duplicate_check", actor_login="mette")
    assert [e.detail for e in reversed(checks)] == [
        "name='Noget Andet' cpr='0707614285'",
        "name='Noget Andet' cpr='0707614285'",
        "name='Skjult Skjultesen' cpr=None",
    ]


def test_the_cpr_index_follows_an_edited_cpr(district: District) -> None:
    mette = _mette(district)
    lars = district.coordinator
    ref = lars.cases.open_case(new_case("Lis Lisesen", "0707614285", "Randers Kommune")).number
    assert mette.cases.check_duplicates("X", "0707614285").possibly_elsewhere

    seen = lars.cases.show(ref)
    lars.cases.edit(
        ref, seen.summary.version, CaseEdit(person=replace(seen.person, cpr="0101901234"))
    )
    assert not mette.cases.check_duplicates("X", "0707614285").possibly_elsewhere
    assert mette.cases.check_duplicates("X", "0101901234").possibly_elsewhere
    shown = lars.cases.show(ref).person
    assert (shown.cpr, shown.birth_date, shown.sex) == ("0101901234", date(1990, 1, 1), Sex.FEMALE)

    seen = lars.cases.show(ref)
    lars.cases.edit(ref, seen.summary.version, CaseEdit(person=replace(seen.person, cpr=None)))
    assert not mette.cases.check_duplicates("X", "0101901234").possibly_elsewhere
