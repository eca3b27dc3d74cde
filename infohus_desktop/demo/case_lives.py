"""The lives of the demo's cases: each planned kind (:data:`~.plans.KINDS`) played from intake
to its final status through the steps of :class:`~.case_steps.CaseSteps`.

Every status is reached the way the workflow allows, with reasons a coordinator would write:
closed with each closing reason, some reopened, police-only cases reduced to a minimal
registration and moved to the police's own group, measures started, finished or stopped.
"""

from __future__ import annotations

from dataclasses import replace

from infohus_desktop.demo.case_steps import CaseSteps
from infohus_desktop.demo.context import DemoContext, Progress
from infohus_desktop.demo.members import (
    DEMO_PASSPHRASES,
    POLICE,
    POLICE_COORDINATOR,
    POLICE_GROUP,
    POLICE_MEMBER,
)
from infohus_desktop.demo.plans import plan_cases
from infohus_desktop.demo.texts import OTHER_AUTHORITY
from infohus_desktop.domain.cases import (
    JournalKind,
    MeasureStatus,
    MeasureType,
    RetentionClass,
    ScreeningOutcome,
)
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.services.core.clock import played_at
from infohus_desktop.services.retention.approval import Approval


class CaseRun(CaseSteps):
    """One planned case, from intake to the final status its kind asks for."""

    def play(self) -> None:
        """Play the whole life; the early kinds stop after a few steps, the rest go on."""
        kind = self.plan.kind
        self.open()
        if kind == "received":
            if self.rng.random() < 0.5:
                self.journal_entry(
                    self.worker, JournalKind.NOTE, "Bekymringen er modtaget og registreret."
                )
            return
        if kind == "closed_other":
            self.status(
                self.coordinator,
                CaseStatus.CLOSED,
                "Registreret ved en fejl: henvendelsen vedrørte ikke ekstremisme.",
                ClosingReason.OTHER,
            )
            return
        self.to_screening()
        if self.rng.random() < 0.12 or not self.ctx.made["attachment"]:
            self.attachment()
        if kind == "screening":
            return
        if kind == "more_info":
            self.screen(
                ScreeningOutcome.MORE_INFORMATION,
                "Behov for oplysninger fra skole og socialforvaltning, før sagen kan vurderes.",
            )
            self.information(self.rng.randint(1, 2))
            return
        if kind in ("closed_unfounded", "reopened"):
            self.screen(
                ScreeningOutcome.NO_FURTHER_ACTION,
                "Politiets forhåndstjek: intet strafbart, ingen sikkerhedsmæssige forhold og "
                "ingen tegn på ekstremisme.",
            )
            self.status(
                self.police,
                CaseStatus.CLOSED,
                "Ingen videre handling efter screening.",
                ClosingReason.UNFOUNDED,
            )
            if kind == "closed_unfounded":
                return
            self.later(30, 90)
            self.status(
                self.coordinator,
                CaseStatus.SCREENING,
                "Genoptaget: ny henvendelse fra skolen om samme forhold skal screenes.",
            )
            self.to_infohus()
            self.measures([MeasureStatus.RUNNING])
            self.status(self.coordinator, CaseStatus.MEASURES, "Mentorforløb sat i gang.")
            return
        if kind == "closed_police":
            self.screen(
                ScreeningOutcome.POLICE_ONLY,
                "Mulig strafbar handling (trusler): politiet håndterer sagen selv.",
            )
            self.status(
                self.police,
                CaseStatus.CLOSED,
                "Håndteres af politiet; kun en minimal registrering bliver i Infohuset.",
                ClosingReason.POLICE,
            )
            # A shorter retention deletes the case sooner: the police's coordinator approves
            # what its prevention officer sets (four eyes, services/retention/approval.py).
            self.session_of(POLICE_MEMBER).cases.edit(
                self.ref,
                self.version,
                CaseEdit(retention=RetentionClass.MINIMAL),
                approval=Approval(POLICE_COORDINATOR, DEMO_PASSPHRASES[POLICE_COORDINATOR]),
            )
            if self.rng.random() < 0.5 or not self.ctx.made["case.moved"]:
                self.session_of(POLICE_COORDINATOR).cases.move(self.ref, POLICE_GROUP)
                self.ctx.made["case.moved"] += 1
            return
        if kind == "closed_other_authority":
            reason, legal = self.rng.choice(OTHER_AUTHORITY)
            self.screen(ScreeningOutcome.OTHER_AUTHORITY, reason, legal)
            self.status(
                self.police,
                CaseStatus.CLOSED,
                "Overgivet til anden myndighed efter screening.",
                ClosingReason.OTHER_AUTHORITY,
            )
            return
        self.to_infohus()
        if kind == "infohus":
            return
        if kind == "closed_moved":
            self.later(10, 40)
            self.status(
                self.coordinator,
                CaseStatus.CLOSED,
                "Borgeren er fraflyttet politikredsen; den nye kommune er orienteret.",
                ClosingReason.MOVED_AWAY,
            )
            return
        if kind == "transferred":
            self.later(10, 40)
            # Handed over outside the program: the other district's Infohus has no pinned
            # key card in the demo, so no bundle can be made for it. The police's coordinator
            # approves (four eyes).
            self.version = self.coordinator.transfers.record_outside(
                self.ref,
                "Infohus Fyns Politikreds",
                "Borgeren er flyttet; sagen er sendt med sikker post.",
                Approval(POLICE_COORDINATOR, DEMO_PASSPHRASES[POLICE_COORDINATOR]),
            ).version
            return
        if kind == "referred":
            if self.rng.random() < 0.5:
                self.measures([MeasureStatus.RUNNING])
                self.status(self.coordinator, CaseStatus.MEASURES, "Indsats sat i gang.")
            start = self.later(5, 20)
            self.worker.case_records.add_measure(
                self.ref,
                MeasureInput(
                    MeasureType.EXIT_PROGRAMME,
                    f"{POLICE}, exitprogram",
                    "Exitforløb med fast kontaktperson efter borgerens samtykke.",
                    start,
                    None,
                    MeasureStatus.RUNNING,
                ),
            )
            self.status(
                self.coordinator,
                CaseStatus.REFERRED,
                "Henvist til exitprogram; borgeren har givet samtykke.",
            )
            return
        statuses = [MeasureStatus.RUNNING] * self.rng.randint(1, 2)
        if self.rng.random() < 0.3:
            statuses.append(MeasureStatus.PLANNED)
        running = self.measures(statuses)
        self.status(
            self.coordinator,
            CaseStatus.MEASURES,
            "De anbefalede indsatser er sat i gang af de ansvarlige myndigheder.",
        )
        if kind == "measures":
            return
        for measure_id, version, measure in running:
            done = self.rng.random() < 0.85 or measure.status == MeasureStatus.PLANNED
            end = self.later(20, 60)
            self.worker.case_records.update_measure(
                self.ref,
                measure_id,
                version,
                replace(
                    measure,
                    status=MeasureStatus.COMPLETED if done else MeasureStatus.STOPPED,
                    start=measure.start or end,
                    end=end,
                    outcome="Gennemført som aftalt." if done else "Afbrudt efter eget ønske.",
                ),
            )
        self.status(
            self.coordinator,
            CaseStatus.FOLLOW_UP,
            "Indsatsen er gennemført; opfølgning om tre måneder.",
        )
        if kind == "follow_up":
            if self.rng.random() < 0.5:
                self.assess()
            return
        self.later(30, 90)
        if self.rng.random() < 0.6:
            self.assess()
        self.status(
            self.coordinator,
            CaseStatus.CLOSED,
            "Indsatsen er afsluttet, og bekymringen er aftaget.",
            ClosingReason.MEASURES_DONE,
        )
        if kind == "reopened_infohus":
            self.later(20, 60)
            self.status(
                self.coordinator,
                CaseStatus.IN_INFOHUS,
                "Genoptaget: ny bekymring fra familien; sagen vurderes igen.",
            )
            self.assess()


def make_cases(ctx: DemoContext, count: int, progress: Progress | None) -> None:
    """Plan ``count`` cases, then play them in order of receipt, reporting each to ``progress``."""
    plans = plan_cases(ctx, count)
    for done, plan in enumerate(plans, start=1):
        run = CaseRun(ctx, plan)
        with played_at(run.clock):  # each step stamped with the day its story tells
            run.play()
        ctx.made["case"] += 1
        ctx.made[f"case.{plan.kind}"] += 1
        if progress:
            progress(done, count)
