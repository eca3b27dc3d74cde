"""The status workflow of a concern case (DOMAIN.md, "Concern case", 6. Status).

A state machine drives ``change_status`` with arbitrary targets, reasons (empty and blank
among them) and closing reasons against a real vault, and after every step checks what a
user would: the status, the version, the status history and the audit log. Then a few plain
examples of the table.
"""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import Case, StatusChange
from infohus_desktop.domain.errors import Conflict, InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import TRANSITIONS, CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

S = CaseStatus
ACTORS = ("lars", "mette")  # a police coordinator and a municipal member: both may change status

#: Reasons as people type them, and as they do not: empty, blank, odd characters.
REASONS = st.one_of(
    st.sampled_from(["", " ", "\t\n ", "\u200b", "\x00 ", "Drøftet på mødet", "  fordi  "]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
)
CLOSINGS = st.one_of(st.none(), st.sampled_from(ClosingReason))


def _accepted(
    current: CaseStatus, new: CaseStatus, reason: str, closing: ClosingReason | None
) -> bool:
    """The rule, restated: an allowed step, never to *overdraget* (only a handover sets it),
    a reason a reader can see (not only blanks, zero-width or control characters), and a
    closing reason exactly when the case is closed."""
    closing_ok = (new == S.CLOSED) == (closing is not None)
    chosen = new != S.TRANSFERRED
    return new in TRANSITIONS[current] and chosen and _visible(reason) and closing_ok


def _visible(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def _check_history(case: Case) -> None:
    """What the history shows always holds, whatever happened before."""
    history = case.history
    assert history[0].old is None and history[0].new == S.RECEIVED
    for prev, change in itertools.pairwise(history):
        assert change.old == prev.new, "the history is not a chain"
    for change in history[1:]:
        assert change.old is not None
        assert change.new in TRANSITIONS[change.old], f"{change.old} -> {change.new}"
        assert _visible(change.reason), "a change without a reason"
        assert (change.closing_reason is not None) == (change.new == S.CLOSED)
    assert history[-1].new == case.summary.status
    assert (case.closing_reason is not None) == (case.summary.status == S.CLOSED)
    if case.summary.status == S.CLOSED:
        assert case.closing_reason == history[-1].closing_reason


def _status_audit(
    lars: MemberServices, case_id: str, after_seq: int
) -> list[tuple[int, str, str, str]]:
    """(seq, actor, purpose, detail) of the "case.status" entries on this case after
    ``after_seq``, read the way a coordinator or the DPO reads the log."""
    return [
        (e.seq, e.actor_login, e.purpose, e.detail or "")
        for e in lars.audit.list(limit=3, action="case.status")
        if e.object_id == case_id and e.seq > after_seq
    ]


def _last_status_seq(lars: MemberServices) -> int:
    entries = lars.audit.list(limit=1, action="case.status")
    return entries[0].seq if entries else 0


def _workflow_machine(sessions: dict[str, MemberServices]) -> type:
    names = itertools.count(1)
    lars = sessions["lars"]

    class Workflow(RuleBasedStateMachine):
        """One fresh case per example; the model is its status, version and history."""

        def __init__(self) -> None:
            super().__init__()
            summary = lars.cases.open_case(
                new_case(f"Arbejdsgang Person {next(names)}"), accept_duplicate=True
            )
            self.ref = summary.number
            self.case_id = str(summary.id)
            self.status = summary.status
            self.version = summary.version
            self.history: list[StatusChange] = list(lars.cases.show(self.ref).history)
            self.seen_seq = _last_status_seq(lars)
            assert self.status == S.RECEIVED and len(self.history) == 1

        def _change(
            self, actor: str, new: CaseStatus, reason: str, closing: ClosingReason | None
        ) -> None:
            old = self.status
            expect_ok = _accepted(old, new, reason, closing)
            try:
                summary = sessions[actor].cases.change_status(self.ref, new, reason, closing)
            except InvalidInput:
                accepted = False
            else:
                accepted = True
                assert summary.status == new
            assert accepted == expect_ok, (
                f"{old} -> {new} reason={reason!r} closing={closing}: "
                f"{'accepted' if accepted else 'refused'}"
            )

            case = lars.cases.show(self.ref)
            entries = _status_audit(lars, self.case_id, self.seen_seq)
            if accepted:
                self.status, self.version = new, self.version + 1
                assert case.history[: len(self.history)] == tuple(self.history)
                (added,) = case.history[len(self.history) :]
                assert (added.old, added.new) == (old, new)
                assert (added.reason, added.closing_reason) == (reason, closing)
                assert added.by_login == actor
                self.history.append(added)
                assert len(entries) == 1, entries
                seq, by, purpose, detail = entries[0]
                assert (by, purpose) == (actor, Purpose.CASEWORK)
                assert detail == f"{old.value}->{new.value}"
                self.seen_seq = seq
            else:
                assert case.history == tuple(self.history), "a refused change left history"
                assert entries == [], "a refused change was audited as done"
            assert case.summary.status == self.status
            assert case.summary.version == self.version
            _check_history(case)

        @rule(
            actor=st.sampled_from(ACTORS),
            new=st.sampled_from(CaseStatus),
            reason=REASONS,
            closing=CLOSINGS,
        )
        def anything(
            self, actor: str, new: CaseStatus, reason: str, closing: ClosingReason | None
        ) -> None:
            self._change(actor, new, reason, closing)

        @precondition(lambda self: bool(TRANSITIONS[self.status]))
        @rule(
            data=st.data(),
            actor=st.sampled_from(ACTORS),
            reason=st.sampled_from(["Besluttet på mødet", "Genoptages: nye oplysninger"]),
            closing=st.sampled_from(ClosingReason),
        )
        def allowed_step(
            self, data: st.DataObject, actor: str, reason: str, closing: ClosingReason
        ) -> None:
            """A step the table allows, so the walk gets far (to CLOSED, out of it, beyond)."""
            new = data.draw(st.sampled_from(sorted(TRANSITIONS[self.status])))
            self._change(actor, new, reason, closing if new == S.CLOSED else None)

        @rule(
            data=st.data(),
            actor=st.sampled_from(ACTORS),
            reason=st.sampled_from(["Besluttet på mødet", "Genoptages: nye oplysninger"]),
            closing=st.sampled_from(ClosingReason),
        )
        def forbidden_step(
            self, data: st.DataObject, actor: str, reason: str, closing: ClosingReason
        ) -> None:
            """A step the table forbids, with every reason in order: only the table refuses."""
            new = data.draw(st.sampled_from(sorted(set(CaseStatus) - TRANSITIONS[self.status])))
            self._change(actor, new, reason, closing if new == S.CLOSED else None)

    return Workflow


def test_status_changes_follow_the_table(district: District) -> None:
    sessions = {
        "lars": district.coordinator,
        "mette": district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER),
    }
    run_state_machine_as_test(
        _workflow_machine(sessions),
        settings=settings(
            max_examples=25,
            stateful_step_count=7,
            deadline=None,
            database=None,
            # Every step is a real round trip to the database: shrinking a failure would take
            # minutes, and an unshrunk failing run is at most seven readable steps.
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


# -- examples ---------------------------------------------------------------------------------


def _open(lars: MemberServices, name: str = "Eksempel Person") -> str:
    return lars.cases.open_case(new_case(name), accept_duplicate=True).number


def test_the_main_path_of_a_case(district: District) -> None:
    """modtaget → screening → i infohus → indsats → opfølgning → afsluttet, by two members,
    each change with who and why."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    ref = _open(lars)
    steps = [
        (lars, S.SCREENING, "Politiets forhåndstjek", None),
        (lars, S.IN_INFOHUS, "Tages op i Infohuset", None),
        (mette, S.MEASURES, "Mentor sat i gang", None),
        (mette, S.FOLLOW_UP, "Mentorforløbet er slut", None),
        (lars, S.CLOSED, "Ingen bekymring længere", ClosingReason.MEASURES_DONE),
    ]
    for who, new, reason, closing in steps:
        assert who.cases.change_status(ref, new, reason, closing).status == new
    case = mette.cases.show(ref)
    assert [(c.by_login, c.old, c.new, c.reason, c.closing_reason) for c in case.history] == [
        ("lars", None, S.RECEIVED, "Bekymring modtaget", None),
        ("lars", S.RECEIVED, S.SCREENING, "Politiets forhåndstjek", None),
        ("lars", S.SCREENING, S.IN_INFOHUS, "Tages op i Infohuset", None),
        ("mette", S.IN_INFOHUS, S.MEASURES, "Mentor sat i gang", None),
        ("mette", S.MEASURES, S.FOLLOW_UP, "Mentorforløbet er slut", None),
        ("lars", S.FOLLOW_UP, S.CLOSED, "Ingen bekymring længere", ClosingReason.MEASURES_DONE),
    ]
    assert case.closing_reason == ClosingReason.MEASURES_DONE


def test_no_step_is_skipped_before_the_infohus(district: District) -> None:
    lars = district.coordinator
    ref = _open(lars)
    for skipped in (S.IN_INFOHUS, S.MEASURES, S.FOLLOW_UP, S.REFERRED, S.TRANSFERRED):
        with pytest.raises(InvalidInput):
            lars.cases.change_status(ref, skipped, "Springer over")
    lars.cases.change_status(ref, S.SCREENING, "Forhåndstjek")
    for skipped in (S.MEASURES, S.FOLLOW_UP, S.REFERRED, S.TRANSFERRED):
        with pytest.raises(InvalidInput):
            lars.cases.change_status(ref, skipped, "Springer over")
    assert len(lars.cases.show(ref).history) == 2


def test_closing_needs_a_closing_reason(district: District) -> None:
    lars = district.coordinator
    ref = _open(lars)
    with pytest.raises(InvalidInput):
        lars.cases.change_status(ref, S.CLOSED, "Ubegrundet bekymring")
    case = lars.cases.show(ref)
    assert case.summary.status == S.RECEIVED and case.closing_reason is None
    assert len(case.history) == 1

    lars.cases.change_status(ref, S.CLOSED, "Ubegrundet bekymring", ClosingReason.UNFOUNDED)
    case = lars.cases.show(ref)
    assert case.summary.status == S.CLOSED
    assert case.closing_reason == ClosingReason.UNFOUNDED
    assert case.history[-1].closing_reason == ClosingReason.UNFOUNDED


def test_a_closing_reason_only_when_closing(district: District) -> None:
    lars = district.coordinator
    ref = _open(lars)
    with pytest.raises(InvalidInput):
        lars.cases.change_status(ref, S.SCREENING, "Forhåndstjek", ClosingReason.POLICE)
    assert lars.cases.show(ref).summary.status == S.RECEIVED


def test_reopening_needs_a_reason(district: District) -> None:
    lars = district.coordinator
    ref = _open(lars)
    lars.cases.change_status(ref, S.CLOSED, "Flyttet", ClosingReason.MOVED_AWAY)
    version = lars.cases.show(ref).summary.version
    for reason in ("", "   ", "\n\t"):
        with pytest.raises(InvalidInput):
            lars.cases.change_status(ref, S.IN_INFOHUS, reason)
    case = lars.cases.show(ref)
    assert (case.summary.status, case.summary.version) == (S.CLOSED, version)

    lars.cases.change_status(ref, S.IN_INFOHUS, "Flyttet tilbage til kommunen")
    case = lars.cases.show(ref)
    assert case.summary.status == S.IN_INFOHUS
    assert case.closing_reason is None  # an open case has no closing reason
    assert case.history[-1].reason == "Flyttet tilbage til kommunen"


def test_a_closed_case_reopens_only_to_screening_or_the_infohus(district: District) -> None:
    lars = district.coordinator
    ref = _open(lars)
    lars.cases.change_status(ref, S.CLOSED, "Ubegrundet", ClosingReason.UNFOUNDED)
    for target in (S.RECEIVED, S.MEASURES, S.FOLLOW_UP, S.REFERRED, S.TRANSFERRED, S.CLOSED):
        closing = ClosingReason.OTHER if target == S.CLOSED else None
        with pytest.raises(InvalidInput):
            lars.cases.change_status(ref, target, "Nye oplysninger", closing)
    lars.cases.change_status(ref, S.SCREENING, "Nye oplysninger")
    assert lars.cases.show(ref).summary.status == S.SCREENING


def test_transferred_is_final(district: District) -> None:
    lars = district.coordinator
    ref = _open(lars)
    for step in (S.SCREENING, S.IN_INFOHUS):
        lars.cases.change_status(ref, step, "Overdrages til Randers")
    lars.transfers.record_outside(ref, "Infohus Fyn", "Sendt med sikker post", district.approval())
    before = lars.cases.show(ref)
    for target in CaseStatus:
        closing = ClosingReason.OTHER if target == S.CLOSED else None
        with pytest.raises(InvalidInput):
            lars.cases.change_status(ref, target, "Forsøg", closing)
    after = lars.cases.show(ref)
    assert after.summary.status == S.TRANSFERRED
    assert after.summary.version == before.summary.version
    assert after.history == before.history


def test_a_status_change_against_a_stale_version_changes_nothing(district: District) -> None:
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    ref = _open(lars)
    seen = mette.cases.show(ref).summary.version
    lars.cases.change_status(ref, S.SCREENING, "Politiets forhåndstjek")
    with pytest.raises(Conflict):
        mette.cases.change_status(ref, S.CLOSED, "Ubegrundet", ClosingReason.UNFOUNDED, seen)
    case = lars.cases.show(ref)
    assert case.summary.status == S.SCREENING
    assert [c.by_login for c in case.history] == ["lars", "lars"]
