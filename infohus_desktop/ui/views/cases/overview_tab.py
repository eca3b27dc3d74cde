"""The "Overblik" tab: the case at a glance, as a member preparing a meeting needs it.

Left: the concern and the case data. Right: the latest assessment (serious signs marked),
the open measures and the latest journal entries. No person data beyond what the concern
says: the person has their own tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QGroupBox, QVBoxLayout, QWidget

from infohus_desktop.domain.cases import MeasureStatus
from infohus_desktop.domain.labels import (
    JOURNAL_KIND_LABELS,
    MEASURE_STATUS_LABELS,
    MEASURE_TYPE_LABELS,
    RETENTION_LABELS,
    SOURCE_LABELS,
)
from infohus_desktop.domain.workflow import CLOSING_LABELS, STATUS_LABELS
from infohus_desktop.ui.case_format import (
    DASH,
    answers_text,
    assessment_heading,
    serious_signs_text,
)
from infohus_desktop.ui.i18n import fmt_date, fmt_datetime, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.widgets.tables import (
    SERIOUS_BG,
    SERIOUS_FG,
    form,
    scrolled,
    value_label,
)

LATEST_JOURNAL = 3
#: Below this width the two columns stack.
ONE_COLUMN_WIDTH = 820
_OPEN_MEASURES = (MeasureStatus.PLANNED, MeasureStatus.RUNNING)


def first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class OverviewTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewTab")
        names = (
            "status",
            "received",
            "source",
            "reporter",
            "follow_up",
            "lead",
            "participants",
            "retention",
        )
        self.values = {n: value_label(name=f"overview_{n}") for n in names}
        self.observed = value_label(name="overview_observed")
        self.answers = value_label(name="overview_answers")
        self.level = value_label(name="overview_level")
        self.serious = value_label(name="overview_serious")
        self.serious.setStyleSheet(
            f"background: {SERIOUS_BG}; color: {SERIOUS_FG}; font-weight: bold; padding: 4px;"
        )
        self.measures = value_label(name="overview_measures")
        self.journal = value_label(name="overview_journal")

        case_box = QGroupBox(tr("Sagen", "The case"))
        case_form = form()
        for key, (da, en) in zip(
            names,
            (
                ("Status", "Status"),
                ("Modtaget", "Received"),
                ("Kilde", "Source"),
                ("Anmelder", "Reporter"),
                ("Opfølgningsdato", "Follow-up date"),
                ("Sagsansvarlig", "Lead"),
                ("Deltagende organisationer", "Participating organisations"),
                ("Opbevaring", "Retention"),
            ),
            strict=True,
        ):
            case_form.addRow(tr(da, en), self.values[key])
        case_box.setLayout(case_form)
        concern_box = QGroupBox(tr("Bekymringen", "The concern"))
        concern = form()
        concern.addRow(tr("Hvad er observeret", "What was observed"), self.observed)
        concern.addRow(tr("Spørgsmål ved modtagelsen", "Intake questions"), self.answers)
        concern_box.setLayout(concern)
        left = QVBoxLayout()
        left.addWidget(case_box)
        left.addWidget(concern_box)

        assess_box = QGroupBox(tr("Seneste vurdering", "Latest assessment"))
        assess = QVBoxLayout(assess_box)
        assess.addWidget(self.level)
        assess.addWidget(self.serious)
        measures_box = QGroupBox(tr("Åbne indsatser", "Open measures"))
        QVBoxLayout(measures_box).addWidget(self.measures)
        journal_box = QGroupBox(tr("Seneste journalnotater", "Latest journal entries"))
        QVBoxLayout(journal_box).addWidget(self.journal)
        right = QVBoxLayout()
        right.addWidget(assess_box)
        right.addWidget(measures_box)
        right.addWidget(journal_box)

        page = QWidget()
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        self.columns.setAlignment(left, Qt.AlignmentFlag.AlignTop)
        self.columns.setAlignment(right, Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(page))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Two columns side by side when there is room, one under the other when the view
        is narrow (beside the case list)."""
        narrow = event.size().width() < ONE_COLUMN_WIDTH
        self.columns.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )
        super().resizeEvent(event)

    def show_case(self, data: CaseData) -> None:
        case, names = data.case, data.names
        summary, intake = case.summary, case.intake
        reporter = intake.reporter_organisation
        if intake.anonymous or not intake.reporter_contact:
            contact = tr("anonym", "anonymous") if intake.anonymous else ""
        else:
            contact = intake.reporter_contact
        status = label(STATUS_LABELS, summary.status)
        if case.closing_reason is not None:
            status += f" ({label(CLOSING_LABELS, case.closing_reason)})"
        texts = {
            "status": status,
            "received": fmt_date(summary.received),
            "source": label(SOURCE_LABELS, intake.source),
            "reporter": ", ".join(p for p in (reporter, contact) if p) or DASH,
            "follow_up": fmt_date(summary.follow_up) or DASH,
            "lead": names.lead(summary),
            "participants": ", ".join(case.participating_organisations) or DASH,
            "retention": label(RETENTION_LABELS, case.retention),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.observed.setText(intake.observed or DASH)
        self.answers.setText(answers_text(intake.answers))
        self._assessment(data)
        open_measures = [m for m in case.measures if m.status in _OPEN_MEASURES]
        self.measures.setText(
            "\n".join(
                f"{label(MEASURE_TYPE_LABELS, m.type)} · {m.owner} · "
                f"{label(MEASURE_STATUS_LABELS, m.status)}"
                for m in open_measures
            )
            or tr("Ingen åbne indsatser.", "No open measures.")
        )
        latest = sorted(case.journal, key=lambda e: e.at, reverse=True)[:LATEST_JOURNAL]
        corrected = {e.corrects for e in case.journal if e.corrects}
        marked = tr(" (rettet)", " (corrected)")
        self.journal.setText(
            "\n".join(
                f"{fmt_datetime(e.at)} · {label(JOURNAL_KIND_LABELS, e.kind)} · "
                f"{first_line(e.text, 80)}" + (marked if e.id in corrected else "")
                for e in latest
            )
            or tr("Ingen notater endnu.", "No entries yet.")
        )

    def _assessment(self, data: CaseData) -> None:
        latest = data.latest
        if latest is None:
            self.level.setText(tr("Sagen er ikke vurderet endnu.", "The case is not assessed yet."))
            self.serious.hide()
            return
        self.level.setText(assessment_heading(latest))
        self.serious.setVisible(bool(latest.serious_present()))
        self.serious.setText(serious_signs_text(latest))


__all__ = ["OverviewTab", "first_line"]
