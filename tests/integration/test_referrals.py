"""Referrals, part 1: prefill, drafts, the workflow and its refusals, required fields, the
minor consent rule (enforced in the service), conflicts, and the case's attachments."""

from __future__ import annotations

import io
import threading
import uuid
from datetime import date, timedelta

import pytest

from infohus_desktop.domain.errors import Conflict, InvalidInput
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import DEFAULT_FORM, Programme
from infohus_desktop.services.referrals.service import ReferralConflict
from tests.integration.conftest import District
from tests.integration.referral_fixtures import (
    COMPLETE,
    case_with_draft,
    mette,
    ready_draft,
)

S = ReferralStatus
TODAY = date.today()


def test_a_new_referral_is_a_draft_prefilled_from_the_case(district: District) -> None:
    m = mette(district)
    case, draft = case_with_draft(m)
    v = draft.values
    assert draft.status is S.DRAFT and draft.summary.case_number == case.number
    assert draft.summary.programme is Programme.PET_EXIT and v["programme"] == "pet_exit"
    assert (v["person_name"], v["person_cpr"], v["person_birth_date"]) == (
        "Ali Ærø",
        "0101901234",
        "1990-01-01",
    )
    assert v["person_address"] == "Testvej 1, 8000 Aarhus C"
    assert v["guardians"] == ["Forælder Testesen, mor, 87654321"]
    assert v["concern"] == "Eleven har delt voldsforherligende materiale i klassens chat."
    # the latest assessment: high level, violence present; isolation present (a risk sign)
    assert "bekymringsniveau høj" in str(v["assessment_summary"])
    assert "Hovedproblemer: Isolation og ny omgangskreds" in str(v["assessment_summary"])
    assert "Involveret i vold: Slåskamp i frikvarteret" in v["risk_factors"]
    assert v["protective_factors"] == []
    assert v["measures_tried"] == ["Mentor (Aarhus Kommune), planlagt"]
    assert v["referring_contact"] == "Mette Fjord"
    assert [(e.old, e.new, e.by_login) for e in draft.history] == [(None, S.DRAFT, "mette")]


def test_values_given_at_creation_win_over_the_prefill(district: District) -> None:
    m = mette(district)
    case, _ = case_with_draft(m)
    r = m.referrals.create(
        case.number, "kriminalforsorgen", {"concern": "Egen tekst", "risk_factors": ["a", "b"]}
    )
    assert r.values["concern"] == "Egen tekst" and r.values["risk_factors"] == ["a", "b"]
    assert r.summary.programme is Programme.KRIMINALFORSORGEN
    empty = m.referrals.create(case.number, "andet", prefill=False)
    assert empty.values == {"programme": "andet"}


def test_the_whole_workflow_with_who_when_and_why(district: District) -> None:
    m = mette(district)
    r = ready_draft(m)
    sent_day = TODAY - timedelta(days=3)
    r = m.referrals.change_status(r.id, "sendt", how="sikker_mail", on=sent_day)
    assert r.status is S.SENT and r.summary.sent_on == sent_day
    assert r.summary.referral_date == sent_day
    r = m.referrals.change_status(r.id, S.RECEIVED, "Bekræftet pr. telefon")
    r = m.referrals.change_status(r.id, S.ACCEPTED)
    r = m.referrals.change_status(r.id, S.CLOSED, "Forløbet gennemført")
    steps = [(e.old, e.new, e.how, e.reason, e.on) for e in r.history]
    assert steps == [
        (None, S.DRAFT, None, "", steps[0][4]),
        (S.DRAFT, S.SENT, SendMethod.SECURE_MAIL, "", sent_day),
        (S.SENT, S.RECEIVED, None, "Bekræftet pr. telefon", TODAY),
        (S.RECEIVED, S.ACCEPTED, None, "", TODAY),
        (S.ACCEPTED, S.CLOSED, None, "Forløbet gennemført", TODAY),
    ]
    assert {e.by_login for e in r.history} == {"mette"}
    assert [e.at for e in r.history] == sorted(e.at for e in r.history)


@pytest.mark.parametrize(
    ("path", "bad", "why"),
    [
        ([], (S.ACCEPTED, "", None), "kan ikke gå fra »Kladde« til »Accepteret«"),
        ([], (S.SENT, "", None), "Angiv hvordan"),
        ([], (S.RECEIVED, "", None), "kan ikke gå fra »Kladde« til »Modtaget«"),
        ([], (S.WITHDRAWN, " \u200b ", None), "trækkes tilbage"),
        ([(S.SENT, "", "email")], (S.ACCEPTED, "", None), "fra »Sendt« til »Accepteret«"),
        ([(S.SENT, "", "email")], (S.RECEIVED, "", "post"), "kun, når henvisningen sendes"),
        (
            [(S.SENT, "", "email"), (S.RECEIVED, "", None)],
            (S.DECLINED, "", None),
            "hvorfor henvisningen er afvist",
        ),
        (
            [(S.SENT, "", "email"), (S.RECEIVED, "", None), (S.ACCEPTED, "", None)],
            (S.CLOSED, "", None),
            "resultatet",
        ),
        (
            [(S.SENT, "", "email"), (S.RECEIVED, "", None), (S.ACCEPTED, "", None),
             (S.CLOSED, "ok", None)],
            (S.WITHDRAWN, "for sent", None),
            "fra »Afsluttet« til »Trukket tilbage«",
        ),
        ([(S.WITHDRAWN, "fortrudt", None)], (S.SENT, "", "email"), "fra »Trukket tilbage«"),
    ],
)  # fmt: skip
def test_invalid_transitions_are_refused_and_change_nothing(
    district: District,
    path: list[tuple[S, str, str | None]],
    bad: tuple[S, str, str | None],
    why: str,
) -> None:
    m = mette(district)
    r = ready_draft(m)
    for status, reason, how in path:
        r = m.referrals.change_status(r.id, status, reason, how)
    with pytest.raises(InvalidInput) as refused:
        m.referrals.change_status(r.id, bad[0], bad[1], bad[2])
    assert why in refused.value.da and refused.value.en
    after = m.referrals.show(r.id)
    assert (after.status, after.version, after.history) == (r.status, r.version, r.history)


@pytest.mark.parametrize("before", [S.DRAFT, S.SENT, S.RECEIVED, S.ACCEPTED, S.DECLINED])
def test_withdrawn_from_any_status_before_closed_and_declined_can_close(
    district: District, before: S
) -> None:
    m = mette(district)
    r = ready_draft(m)
    path = {
        S.DRAFT: [],
        S.SENT: [S.SENT],
        S.RECEIVED: [S.SENT, S.RECEIVED],
        S.ACCEPTED: [S.SENT, S.RECEIVED, S.ACCEPTED],
        S.DECLINED: [S.SENT, S.RECEIVED, S.DECLINED],
    }[before]
    for status in path:
        how = "post" if status is S.SENT else None
        r = m.referrals.change_status(
            r.id, status, "ingen plads" if status is S.DECLINED else "", how
        )
    assert r.status is before
    withdrawn = m.referrals.change_status(r.id, S.WITHDRAWN, "Personen er flyttet")
    assert withdrawn.status is S.WITHDRAWN and withdrawn.history[-1].reason == "Personen er flyttet"
    if before is S.DECLINED:
        assert r.history[-1].reason == "ingen plads"


def test_a_date_in_the_future_or_an_unknown_method_is_refused(district: District) -> None:
    m = mette(district)
    r = ready_draft(m)
    with pytest.raises(InvalidInput, match="fremtiden"):
        m.referrals.change_status(r.id, S.SENT, how="email", on=TODAY + timedelta(days=1))
    with pytest.raises(InvalidInput, match="forsendelsesmåde"):
        m.referrals.change_status(r.id, S.SENT, how="brevdue")
    with pytest.raises(InvalidInput, match="Ukendt status"):
        m.referrals.change_status(r.id, "godkendt")
    assert m.referrals.show(r.id).status is S.DRAFT


def test_sending_needs_every_required_field_and_the_message_lists_them(district: District) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m)
    with pytest.raises(InvalidInput) as refused:
        m.referrals.change_status(draft.id, S.SENT, how="email")
    da, en = refused.value.da, refused.value.en
    for f in m.referrals.missing_fields(draft.values):
        assert f"»{f.label_da}«" in da and f"'{f.label_en}'" in en
    assert [f.key for f in m.referrals.missing_fields(draft.values)] == [
        "reason",
        "person_informed",
        "person_consent",
        "legal_basis",
    ]
    assert da.startswith("Udfyld de påkrævede felter: »Begrundelse for henvisningen«")
    assert en.startswith("Fill in the required fields: 'Reason for the referral'")
    assert m.referrals.show(draft.id).status is S.DRAFT
    done = m.referrals.edit(draft.id, draft.version, COMPLETE)
    assert m.referrals.change_status(done.id, S.SENT, how="email").status is S.SENT


def test_bad_values_are_refused_naming_the_field(district: District) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m)
    for values, words in [
        ({"person_consent": "måske"}, "Personen samtykker"),
        ({"urgency": "straks"}, "vælg en af normal, haster, akut"),
        ({"person_birth_date": "1.2.2000"}, "ÅÅÅÅ-MM-DD"),
        ({"risk_factors": [1, 2]}, "liste af tekster"),
        ({"no_such_field": "x"}, "intet felt »no_such_field«"),
        ({"reason": "x" * 20_001}, "højst 20000 tegn"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            m.referrals.edit(draft.id, draft.version, values)
        assert words in refused.value.da
    assert m.referrals.show(draft.id).version == draft.version


def _years_ago(years: int, day: date = TODAY) -> date:
    return day.replace(year=day.year - years)


def test_a_minor_cannot_be_sent_until_the_guardians_consent_is_answered(
    district: District,
) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m, "Lille Ærø", cpr=None)
    eighteenth = TODAY - timedelta(days=1)
    birth = _years_ago(18, eighteenth)  # 18 since yesterday, 17 the day before
    r = m.referrals.edit(
        draft.id, draft.version, {**COMPLETE, "person_birth_date": birth.isoformat()}
    )
    for answer in ("", "ukendt"):
        r = m.referrals.edit(r.id, r.version, {"guardians_consent": answer})
        with pytest.raises(InvalidInput) as refused:
            m.referrals.change_status(r.id, S.SENT, how="email", on=eighteenth - timedelta(days=1))
        assert "under 18 år" in refused.value.da and "under 18" in refused.value.en
    assert m.referrals.show(r.id).status is S.DRAFT
    # the same person on their 18th birthday is an adult: no guardians' answer needed
    sent = m.referrals.change_status(r.id, S.SENT, how="email", on=eighteenth)
    assert sent.status is S.SENT


def test_a_minor_s_referral_is_sent_once_the_guardians_answer_yes_or_no(
    district: District,
) -> None:
    m = mette(district)
    for answer in ("ja", "nej"):
        r = ready_draft(m, cpr="0101124001")  # born 1 January 2012
        with pytest.raises(InvalidInput, match="under 18"):
            m.referrals.change_status(r.id, S.SENT, how="email")
        r = m.referrals.edit(r.id, r.version, {"guardians_consent": answer})
        assert m.referrals.change_status(r.id, S.SENT, how="email").status is S.SENT


def test_an_unknown_age_counts_as_possibly_a_minor(district: District) -> None:
    m = mette(district)
    r = ready_draft(m, cpr=None)
    assert r.values["person_birth_date"] == ""
    with pytest.raises(InvalidInput) as refused:
        m.referrals.change_status(r.id, S.SENT, how="email")
    assert "alder er ukendt" in refused.value.da and "age is unknown" in refused.value.en
    r = m.referrals.edit(r.id, r.version, {"person_birth_date": "1990-05-05"})
    assert m.referrals.change_status(r.id, S.SENT, how="email").status is S.SENT


def test_only_a_draft_can_be_edited(district: District) -> None:
    m = mette(district)
    r = m.referrals.change_status(ready_draft(m).id, S.SENT, how="post")
    with pytest.raises(InvalidInput, match="Kun en kladde"):
        m.referrals.edit(r.id, r.version, {"reason": "ny begrundelse"})
    assert m.referrals.show(r.id).values["reason"] == COMPLETE["reason"]


def test_a_stale_edit_of_the_same_field_is_a_conflict_and_saves_nothing(
    district: District,
) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m)
    other = district.unlock("lars")
    saved = other.referrals.edit(draft.id, draft.version, {"reason": "Lars' begrundelse"})
    with pytest.raises(ReferralConflict) as conflict:
        m.referrals.edit(draft.id, draft.version, {"reason": "Mettes begrundelse"}, base=draft)
    assert conflict.value.fields == ["reason"]
    assert "mens du arbejdede: Begrundelse for henvisningen. Intet er gemt." in conflict.value.da
    assert (conflict.value.base_version, conflict.value.current_version) == (1, saved.version)
    assert m.referrals.show(draft.id).values["reason"] == "Lars' begrundelse"
    # without the base the service cannot tell which fields differ: a conflict too
    with pytest.raises(ReferralConflict):
        m.referrals.edit(draft.id, draft.version, {"urgency": "akut"})
    # a field the other save did not touch is saved on top of it
    r = m.referrals.edit(draft.id, draft.version, {"urgency": "akut"}, base=draft)
    assert (r.values["urgency"], r.values["reason"]) == ("akut", "Lars' begrundelse")
    with pytest.raises(ReferralConflict):
        m.referrals.change_status(r.id, S.WITHDRAWN, "x", base_version=draft.version)


def test_two_concurrent_edits_one_wins_one_conflicts(district: District) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m)
    sessions = [district.unlock("lars"), m]
    results: list[str] = []

    def save(n: int) -> None:
        try:
            sessions[n].referrals.edit(draft.id, draft.version, {"reason": f"tekst {n}"})
            results.append("saved")
        except Conflict:  # ReferralConflict, or the engine's when both read the same version
            results.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "saved"]
    assert m.referrals.show(draft.id).version == draft.version + 1


def test_attachments_are_the_case_s_own(district: District) -> None:
    m = mette(district)
    case, draft = case_with_draft(m)
    own = m.attachments.add(case.number, "udtalelse-æøå.pdf", io.BytesIO(b"%PDF-1.4 x"))
    other_case, _ = case_with_draft(m, "Anden Person")
    foreign = m.attachments.add(other_case.number, "fremmed.txt", io.BytesIO(b"x"))
    r = m.referrals.edit(draft.id, draft.version, {"attachments": [str(own.id)]})
    assert [a.filename for a in r.attachments] == ["udtalelse-æøå.pdf"]
    for bad in ([str(foreign.id)], [str(uuid.uuid4())], ["ikke-et-id"], [str(own.id)] * 2):
        with pytest.raises(InvalidInput, match="sagens egne bilag"):
            m.referrals.edit(r.id, r.version, {"attachments": bad})


def test_the_case_shows_its_referrals_and_the_list_filters_by_status(
    district: District,
) -> None:
    m = mette(district)
    first = ready_draft(m)
    second = m.referrals.create(first.summary.case_number, "kommunal_exit")
    m.referrals.change_status(first.id, S.SENT, how="email")
    other = ready_draft(m)
    m.referrals.change_status(other.id, S.WITHDRAWN, "fortrudt")
    in_case = m.referrals.for_case(first.summary.case_number)
    assert {r.id for r in in_case} == {first.id, second.id}
    assert {r.id for r in m.referrals.list()} == {first.id, second.id, other.id}
    assert [r.id for r in m.referrals.list(["sendt"])] == [first.id]
    assert {r.id for r in m.referrals.list([S.DRAFT, S.WITHDRAWN])} == {second.id, other.id}
    assert [r.id for r in m.referrals.list(programmes=["kommunal_exit"])] == [second.id]
    row = next(r for r in m.referrals.list() if r.id == first.id)
    assert (row.person_name, row.case_number) == ("Ali Ærø", first.summary.case_number)
    with pytest.raises(InvalidInput, match="Ukendt status"):
        m.referrals.list(["sent"])


def test_the_default_form_has_every_field_of_the_domain() -> None:
    keys = [f.key for f in DEFAULT_FORM.fields]
    for key in (
        "programme", "referring_organisation", "referring_contact", "reason",
        "assessment_summary", "risk_factors", "protective_factors", "measures_tried",
        "person_informed", "person_consent", "guardians_informed", "guardians_consent",
        "urgency", "contact_persons", "attachments", "legal_basis",
    ):  # fmt: skip
        assert key in keys
    assert len(set(keys)) == len(keys)
    assert all(f.label_da and f.label_en for f in DEFAULT_FORM.fields)
