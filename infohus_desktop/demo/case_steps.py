"""The steps of a demo case's life, each through the services as the member who would take it.

:class:`CaseSteps` knows who does what (the municipality's coordinator and member, the
police, the guest from Kriminalforsorgen) and makes each step (intake, screening, status
changes, information, assessments, journal, disclosures, measures, attachments) with a real
service call, so the audit log, key epochs and case numbers are what real work leaves.
:class:`~infohus_desktop.demo.case_lives.CaseRun` strings the steps into a life.

Intake goes through the member's plain :class:`~infohus_desktop.services.cases.service.CaseService`:
its duplicate check reads summaries through the case cache and decrypts only new or changed
cases, so a large demo costs about linear time.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from infohus_desktop.demo.assessments import assessment
from infohus_desktop.demo.context import DemoContext, StoryClock
from infohus_desktop.demo.members import (
    GUEST,
    KRIMINALFORSORGEN,
    POLICE,
    POLICE_COORDINATOR,
    POLICE_MEMBER,
    PSYCHIATRY,
    SHARED_GROUP,
)
from infohus_desktop.demo.people import phone, plain_name
from infohus_desktop.demo.plans import Plan
from infohus_desktop.demo.texts import (
    ATTACHMENTS,
    CRISIS,
    DEMO_MARK,
    DISCLOSURES,
    INFORMATION,
    JOURNAL,
    MEASURES,
    OBSERVED,
    TITLES_BY_SOURCE,
    WHEN,
    WHO_KNOWS,
    for_municipality,
    reporter_organisation,
)
from infohus_desktop.domain.assessment import AssessmentInput
from infohus_desktop.domain.cases import (
    Intake,
    JournalKind,
    LegalBasis,
    MeasureStatus,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.cpr import age_on
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.services.front_door import MemberServices


class CaseSteps:
    """The steps of one planned case, each by the member who would take it. Who takes a step
    is drawn from the build's generator, like everything else, so a seed fixes it too."""

    def __init__(self, ctx: DemoContext, plan: Plan) -> None:
        self.ctx, self.plan, self.rng = ctx, plan, ctx.rng
        self.muni = plan.muni
        self.day = plan.received
        self.clock = StoryClock(plan.received)
        self.ref = ""
        self.version = 0
        self.assessments: list[AssessmentInput] = []
        self.journal: list[uuid.UUID] = []

    # who
    def session_of(self, login: str) -> MemberServices:
        """The session of the member ``login`` (every demo member is unlocked for the build)."""
        return self.ctx.sessions[login]

    @property
    def coordinator(self) -> MemberServices:
        """The municipality's coordinator: status changes and edits that are theirs to make."""
        return self.session_of(self.muni.coordinator)

    @property
    def worker(self) -> MemberServices:
        """Who does the everyday work: the municipality's member, now and then the coordinator."""
        return self.session_of(
            self.rng.choice((self.muni.member, self.muni.member, self.muni.coordinator))
        )

    @property
    def police(self) -> MemberServices:
        """The police's prevention officer, now and then its coordinator (screenings)."""
        return self.session_of(self.rng.choice((POLICE_MEMBER, POLICE_MEMBER, POLICE_COORDINATOR)))

    def later(self, low: int, high: int) -> date:
        """Move the case's day on by ``low``-``high`` days (never past today) for the next step."""
        self.day = self.ctx.cap(self.day + timedelta(days=self.rng.randint(low, high)))
        self.clock.on(self.day)
        return self.day

    # steps
    def status(
        self,
        who: MemberServices,
        new: CaseStatus,
        reason: str,
        closing: ClosingReason | None = None,
    ) -> None:
        self.version = who.cases.change_status(self.ref, new, reason, closing).version

    def open(self) -> None:
        """Intake, with the duplicate check; a repeated person is accepted as a real one is."""
        plan, rng = self.plan, self.rng
        assert plan.person is not None
        person = plan.person
        if not plan.cpr_known:
            person = replace(person, cpr=None, birth_date=None)
        anonymous = plan.source == Source.HOTLINE
        answers = (
            ("Hvad er observeret?", rng.choice(OBSERVED[plan.category])),
            ("Hvornår og hvor ofte?", rng.choice(WHEN)),
            ("Hvem ved ellers besked?", rng.choice(WHO_KNOWS)),
            ("Personlig krise for nylig?", rng.choice(CRISIS)),
        )
        intake = Intake(
            plan.source,
            plan.received,
            reporter_organisation(rng, plan.source, plan.muni),
            "" if anonymous else f"{plain_name(self.ctx.fake)}, tlf. {phone(rng)}",
            anonymous=anonymous,
            observed=answers[0][1],
            answers=answers,
        )
        opener = self.police if plan.source == Source.POLICE else self.worker
        summary = opener.cases.open_case(
            NewCase(
                person=person,
                intake=intake,
                category=plan.category,
                municipality=self.muni.name,
                group=SHARED_GROUP if plan.shared else None,
                title=TITLES_BY_SOURCE[plan.source],
                follow_up=plan.follow_up,
            ),
            accept_duplicate=True,
        )
        self.ref, self.version = summary.number, summary.version

    def to_screening(self) -> None:
        self.later(0, 3)
        self.status(self.worker, CaseStatus.SCREENING, "Sendt til politiets forhåndstjek.")

    def screen(self, outcome: ScreeningOutcome, reason: str, legal: str = "") -> None:
        self.later(1, 7)
        self.police.cases.screen(self.ref, outcome, reason, legal)

    def information(self, count: int) -> None:
        choices = list(INFORMATION)
        if self.plan.source != Source.KRIMINALFORSORGEN:
            choices = [c for c in choices if c[0] != KRIMINALFORSORGEN]
        for authority, answer, basis in self.rng.sample(choices, count):
            asked = self.later(1, 10)
            self.worker.cases.add_information(
                self.ref,
                for_municipality(authority, self.muni),
                asked,
                for_municipality(answer, self.muni),
                basis,
            )

    def to_infohus(self) -> None:
        """Screened to the Infohus (sometimes after asking for more information first), then
        the work there: participants, assessments, journal, perhaps a disclosure."""
        if self.rng.random() < 0.3:
            self.screen(
                ScreeningOutcome.MORE_INFORMATION,
                "Oplysninger fra skole og socialforvaltning mangler, før sagen kan vurderes.",
            )
            self.information(1)
        self.screen(
            ScreeningOutcome.INFOHUS,
            "Bekymringstegn af ekstremistisk karakter og ingen akut fare: behandles i Infohuset.",
        )
        self.information(self.rng.randint(0, 2))
        self.status(self.police, CaseStatus.IN_INFOHUS, "Screening: behandles i Infohuset.")
        self._edit_after_infohus()
        for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
            self.assess()
        self.journal_entries(self.rng.randint(1, 3))
        if self.rng.random() < 0.4:
            self.disclosure()
        if self.plan.shared:
            self._guest_note()

    def _edit_after_infohus(self) -> None:
        """Record the participating organisations, and a CPR number the intake did not know."""
        plan = self.plan
        participants = [POLICE, self.muni.name]
        if plan.source in (Source.PSYCHIATRY, Source.KRIMINALFORSORGEN) or plan.shared:
            participants.append(
                KRIMINALFORSORGEN if plan.source != Source.PSYCHIATRY else PSYCHIATRY
            )
        learn_cpr = not plan.cpr_known
        edit = CaseEdit(
            person=plan.person if learn_cpr else None,
            participating_organisations=tuple(participants),
        )
        self.version = self.coordinator.cases.edit(self.ref, self.version, edit).version
        if learn_cpr:
            self.journal_entry(
                self.coordinator, JournalKind.NOTE, "CPR-nummer oplyst af kommunen og tilføjet."
            )

    def assess(self) -> None:
        day = self.later(7, 45)
        previous = self.assessments[-1] if self.assessments else None
        content = assessment(
            self.rng, self.ctx.indicators, self.muni, self.plan.category, day, previous
        )
        self.worker.case_records.assess(self.ref, content)
        self.assessments.append(content)

    def journal_entry(
        self,
        who: MemberServices,
        kind: JournalKind,
        text: str,
        corrects: uuid.UUID | None = None,
    ) -> uuid.UUID:
        entry = who.case_records.add_journal(self.ref, kind, text, corrects)
        self.journal.append(entry.id)
        return entry.id

    def journal_entries(self, count: int) -> None:
        """``count`` entries; the first conversation of the demo is always corrected, so the
        immutable journal's corrections have something to show."""
        for kind, text in self.rng.sample(JOURNAL, count):
            entry = self.journal_entry(self.worker, kind, text)
            first = not self.ctx.made["journal.correction"]
            if kind == JournalKind.CONVERSATION and (first or self.rng.random() < 0.4):
                self.journal_entry(
                    self.worker,
                    JournalKind.NOTE,
                    "Rettelse: samtalen var med faren, ikke moren; i øvrigt som noteret.",
                    corrects=entry,
                )
                self.ctx.made["journal.correction"] += 1

    def disclosure(self) -> None:
        choices = [
            d
            for d in DISCLOSURES
            if (d[3] != LegalBasis.BARNETS_LOV or self._minor())
            and (d[3] != LegalBasis.RPL_115_1_3 or self.plan.source == Source.KRIMINALFORSORGEN)
        ]
        src, dst, what, basis = self.rng.choice(choices)
        self.worker.case_records.add_disclosure(
            self.ref,
            self.later(0, 5),
            for_municipality(src, self.muni),
            for_municipality(dst, self.muni),
            what,
            basis,
        )

    def _guest_note(self) -> None:
        """Kriminalforsorgen's guest writes in a case shared with them, as guests may."""
        gitte = self.session_of(GUEST)
        gitte.case_records.add_journal(
            self.ref,
            JournalKind.MEETING,
            "Kriminalforsorgen: tilsynsmøde holdt; møder stabilt op og overholder vilkårene.",
        )
        if self.rng.random() < 0.5:
            gitte.attachments.add(
                self.ref,
                "tilsynsplan.txt",
                io.BytesIO(
                    (DEMO_MARK + f"Tilsynsplan, udarbejdet {self.day:%d.%m.%Y}.\n").encode()
                ),
                "text/plain",
            )

    def _minor(self) -> bool:
        person = self.plan.person
        return bool(person and person.birth_date and age_on(person.birth_date, self.day) < 18)

    def measures(
        self, statuses: Sequence[MeasureStatus]
    ) -> list[tuple[uuid.UUID, int, MeasureInput]]:
        """One measure per status, of kinds that fit the person's age; (id, version, input)."""
        options = [m for m in MEASURES if m[3]] if self._minor() else list(MEASURES)
        out = []
        for status, (kind, owner, description, _) in zip(
            statuses, self.rng.sample(options, len(statuses)), strict=False
        ):
            start = self.later(3, 20)
            end = None
            outcome = ""
            if status == MeasureStatus.COMPLETED:
                end = self.ctx.cap(start + timedelta(days=self.rng.randint(30, 90)))
                outcome = "Gennemført som aftalt; bekymringen er aftaget."
            elif status == MeasureStatus.STOPPED:
                end = self.ctx.cap(start + timedelta(days=self.rng.randint(10, 40)))
                outcome = "Afbrudt: borgeren ønskede ikke at fortsætte."
            measure = MeasureInput(
                kind, for_municipality(owner, self.muni), description, start, end, status, outcome
            )
            added = self.worker.case_records.add_measure(self.ref, measure)
            out.append((added.id, added.version, measure))
        return out

    def attachment(self) -> None:
        name, text = self.rng.choice(ATTACHMENTS)
        body = DEMO_MARK + text.replace("{d}", f"{self.plan.received:%d.%m.%Y}")
        self.worker.attachments.add(self.ref, name, io.BytesIO(body.encode()), "text/plain")
        self.ctx.made["attachment"] += 1
