"""A new assessment (*vurdering*) in the structure of the national assessment tool.

Two parts of indicators, each marked present / absent / unknown with a comment, then the
overall assessment the assessors write: main problems, resources, focus areas, level of
concern, rationale, who assessed and when. Indicators are an aid, not a checklist: nothing is
counted or computed from them, and the level is chosen by people. Serious signs are marked
and light up when set present. The form starts from the latest assessment, so a new one
records what changed rather than retyping everything.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.assessment import (
    FOCUS_AREAS,
    Assessment,
    AssessmentInput,
    ConcernLevel,
    Indicator,
    IndicatorAnswer,
    IndicatorState,
    Part,
)
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import (
    INDICATOR_GROUP_LABELS,
    INDICATOR_STATE_LABELS,
    LEVEL_LABELS,
    PART_LABELS,
)
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, text_area
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.dates import DateEdit
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.person_form import line

SERIOUS_STYLE = "color: #8a1c1c; font-weight: bold;"
SERIOUS_PRESENT_STYLE = "background: #fde2e1; color: #8a1c1c; font-weight: bold; padding: 2px;"
_STATES = (IndicatorState.PRESENT, IndicatorState.ABSENT, IndicatorState.UNKNOWN)


class IndicatorRow:
    """One indicator's widgets in the part's grid: label, three states, comment."""

    def __init__(self, indicator: Indicator, parent: QWidget) -> None:
        self.indicator = indicator
        text = tr(indicator.label_da, indicator.label_en)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setObjectName(f"indicator_{indicator.code}")
        self.mark = QLabel()
        if indicator.serious:
            self.mark.setPixmap(icon("warning").pixmap(16, 16))
            tip = tr("Alvorligt tegn", "Serious sign")
            self.mark.setToolTip(tip)
            self.mark.setAccessibleName(tip)
            self.label.setToolTip(tip)
        self.group = QButtonGroup(parent)
        self.buttons: dict[IndicatorState, QRadioButton] = {}
        for state in _STATES:
            button = QRadioButton(label(INDICATOR_STATE_LABELS, state))
            button.setObjectName(f"{indicator.code}_{state.value}")
            button.setAccessibleName(f"{text}: {label(INDICATOR_STATE_LABELS, state)}")
            self.group.addButton(button)
            self.buttons[state] = button
        self.buttons[IndicatorState.UNKNOWN].setChecked(True)
        self.comment = QLineEdit()
        self.comment.setObjectName(f"{indicator.code}_comment")
        self.comment.setAccessibleName(tr(f"Kommentar: {text}", f"Comment: {text}"))
        self.comment.setPlaceholderText(tr("Kommentar", "Comment"))
        self.group.buttonToggled.connect(lambda _b, _c: self._update_style())
        self._update_style()

    def state(self) -> IndicatorState:
        for state, button in self.buttons.items():
            if button.isChecked():
                return state
        return IndicatorState.UNKNOWN

    def set_answer(self, answer: IndicatorAnswer) -> None:
        self.buttons[answer.state].setChecked(True)
        self.comment.setText(answer.comment)

    def answer(self) -> IndicatorAnswer:
        return IndicatorAnswer(self.state(), self.comment.text().strip())

    def _update_style(self) -> None:
        if not self.indicator.serious:
            return
        present = self.state() == IndicatorState.PRESENT
        self.label.setStyleSheet(SERIOUS_PRESENT_STYLE if present else SERIOUS_STYLE)


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


class AssessmentDialog(SavingDialog):
    """:attr:`saved` holds the new assessment after saving."""

    def __init__(
        self,
        ctx: AppContext,
        number: str,
        latest: Assessment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr(f"Ny vurdering af {number}", f"New assessment of {number}"),
            "assessmentDialog",
            tr("&Gem vurdering", "&Save assessment"),
            parent,
        )
        self.number = number
        self.latest = latest
        self.saved: Assessment | None = None
        self.rows: dict[str, IndicatorRow] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("assessmentTabs")
        self.main_problems = text_area("mainProblems", tr("Hovedproblemer", "Main problems"), 70)
        self.resources = text_area("resources", tr("Ressourcer", "Resources"), 70)
        self.focus: dict[str, QCheckBox] = {}
        for code, labels in FOCUS_AREAS.items():
            box = QCheckBox(tr(*labels))
            box.setObjectName(f"focus_{code}")
            self.focus[code] = box
        self.level_group = QButtonGroup(self)
        self.levels: dict[ConcernLevel, QRadioButton] = {}
        for level in ConcernLevel:
            button = QRadioButton(label(LEVEL_LABELS, level))
            button.setObjectName(f"level_{level.value}")
            self.level_group.addButton(button)
            self.levels[level] = button
        self.rationale = text_area("rationale", tr("Begrundelse", "Rationale"), 80)
        self.assessors = line("assessors", tr("Vurderet af", "Assessed by"))
        self.assessors.setPlaceholderText(
            tr("Navne eller funktioner, adskilt af komma", "Names or roles, separated by commas")
        )
        self.assessed_on = DateEdit()
        self.assessed_on.setObjectName("assessedOn")
        self.assessed_on.setAccessibleName(tr("Vurderingsdato", "Date of assessment"))
        self.body.addWidget(
            hint(
                tr(
                    "Indikatorerne er en hjælp, ikke en tjekliste: intet beregnes ud fra dem. "
                    "Bekymringsniveauet vælges af jer.",
                    "The indicators are an aid, not a checklist: nothing is computed from "
                    "them. You choose the level of concern.",
                )
            )
        )
        self.body.addWidget(self.tabs, 1)
        self.finish()
        self.ok_button.setEnabled(False)
        self.resize(1000, 720)
        self.ctx.run(
            lambda s: s.case_settings.indicators(), self._loaded, owner=self, on_error=self._failed
        )

    # -- building ----------------------------------------------------------------------------

    def _loaded(self, indicators: tuple[Indicator, ...]) -> None:
        for part in Part:
            page = QWidget()
            column = QVBoxLayout(page)
            in_part = [i for i in indicators if i.part == part]
            groups: list[str] = []
            for indicator in in_part:
                if indicator.group not in groups:
                    groups.append(indicator.group)
            for group in groups:
                column.addWidget(self._group_box(part, group, in_part))
            column.addStretch(1)
            self.tabs.addTab(_scrolled(page), label(PART_LABELS, part))
        self.tabs.addTab(_scrolled(self._overall()), tr("Samlet vurdering", "Overall assessment"))
        self._prefill()
        self.ok_button.setEnabled(True)

    def _group_box(self, part: Part, group: str, indicators: list[Indicator]) -> QGroupBox:
        box = QGroupBox(label(INDICATOR_GROUP_LABELS, group) if group else label(PART_LABELS, part))
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(6, 2)
        grid.setHorizontalSpacing(10)
        for n, indicator in enumerate(i for i in indicators if i.group == group):
            row = IndicatorRow(indicator, self)
            self.rows[indicator.code] = row
            grid.addWidget(row.mark, n, 0)
            grid.addWidget(row.label, n, 1)
            for col, state in enumerate(_STATES, start=2):
                grid.addWidget(row.buttons[state], n, col)
            grid.addWidget(row.comment, n, 6)
        grid.setColumnMinimumWidth(0, 18)
        grid.setColumnMinimumWidth(5, 8)
        return box

    def _overall(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("&Hovedproblemer", "&Main problems"), self.main_problems)
        form.addRow(tr("&Ressourcer", "&Resources"), self.resources)
        focus = QGridLayout()
        for n, box in enumerate(self.focus.values()):
            focus.addWidget(box, n // 2, n % 2)
        form.addRow(tr("Anbefalede fokusområder", "Recommended focus areas"), focus)
        levels = QHBoxLayout()
        for button in self.levels.values():
            levels.addWidget(button)
        levels.addStretch(1)
        form.addRow(tr("Bekymringsniveau", "Level of concern"), levels)
        form.addRow(tr("&Begrundelse", "Ra&tionale"), self.rationale)
        form.addRow(tr("&Vurderet af", "Assessed &by"), self.assessors)
        form.addRow(tr("&Dato", "&Date"), self.assessed_on)
        return page

    def _prefill(self) -> None:
        if self.latest is None:
            self.assessors.setText(self.ctx.session.member.name)
            return
        content = self.latest.content
        for code, answer in content.answers.items():
            if code in self.rows:
                self.rows[code].set_answer(answer)
        self.main_problems.setPlainText(content.main_problems)
        self.resources.setPlainText(content.resources)
        for code, box in self.focus.items():
            box.setChecked(code in content.focus_areas)
        self.levels[content.level].setChecked(True)
        self.rationale.setPlainText(content.rationale)
        self.assessors.setText(", ".join(content.assessors))

    # -- saving ------------------------------------------------------------------------------

    def chosen_level(self) -> ConcernLevel | None:
        return next((lvl for lvl, b in self.levels.items() if b.isChecked()), None)

    def value(self, level: ConcernLevel) -> AssessmentInput:
        return AssessmentInput(
            answers={code: row.answer() for code, row in self.rows.items()},
            main_problems=self.main_problems.toPlainText().strip(),
            resources=self.resources.toPlainText().strip(),
            focus_areas=tuple(code for code, box in self.focus.items() if box.isChecked()),
            level=level,
            rationale=self.rationale.toPlainText().strip(),
            assessors=tuple(a.strip() for a in self.assessors.text().split(",") if a.strip()),
            assessed_on=self.assessed_on.value(),
        )

    def _overall_problem(self, text: str, focus: QWidget) -> None:
        self.tabs.setCurrentIndex(self.tabs.count() - 1)
        self.show_problem(text)
        focus.setFocus()

    def submit(self) -> None:
        level = self.chosen_level()
        if level is None:
            self._overall_problem(
                tr("Vælg bekymringsniveauet.", "Choose the level of concern."),
                self.levels[ConcernLevel.LOW],
            )
            return
        content = self.value(level)
        if not content.rationale:
            self._overall_problem(
                tr(
                    "Den samlede vurdering skal begrundes.",
                    "The overall assessment needs a rationale.",
                ),
                self.rationale,
            )
            return
        if not content.assessors:
            self._overall_problem(
                tr("Angiv hvem der har vurderet.", "Name the assessors."), self.assessors
            )
            return
        if content.assessed_on > date.today():
            self._overall_problem(
                tr(
                    "Vurderingsdatoen ligger i fremtiden.",
                    "The date of assessment lies in the future.",
                ),
                self.assessed_on,
            )
            return
        number = self.number
        self.save(lambda s: s.case_records.assess(number, content), self._saved)

    def _saved(self, assessment: Assessment) -> None:
        self.saved = assessment
        self.finish_saved()

    def _failed(self, exc: InfohusError) -> None:
        self.show_problem(exc.message(language()))


__all__ = ["AssessmentDialog"]
