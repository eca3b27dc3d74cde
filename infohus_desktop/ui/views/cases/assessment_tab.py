"""The "Vurdering" tab: the assessment history and one assessment in full.

Every assessment is kept; the list shows them newest first. The selected one shows its
indicators by part and group with state and comment (serious signs marked, and highlighted
when present), the overall assessment, and what changed since the assessment before it
(for the latest one that is ``case_records.changes_since_previous``; the same domain rule,
``changes_since``, is applied here to the pair in memory rather than reading the history twice).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.assessment import (
    FOCUS_AREAS,
    Assessment,
    AssessmentChange,
    ConcernLevel,
    IndicatorAnswer,
    IndicatorState,
    Part,
    changes_since,
)
from infohus_desktop.domain.labels import (
    INDICATOR_GROUP_LABELS,
    INDICATOR_STATE_LABELS,
    LEVEL_LABELS,
    PART_LABELS,
)
from infohus_desktop.ui.case_format import DASH, assessment_heading, serious_signs_text
from infohus_desktop.ui.i18n import fmt_date, fmt_datetime, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.widgets.tables import (
    SERIOUS_BG,
    SERIOUS_FG,
    form,
    scrolled,
    value_label,
)

_FIELD_NAMES: dict[str, tuple[str, str]] = {
    "main_problems": ("Hovedproblemer", "Main problems"),
    "resources": ("Ressourcer", "Resources"),
    "rationale": ("Begrundelse", "Rationale"),
    "level": ("Bekymringsniveau", "Level of concern"),
    "focus_areas": ("Fokusområder", "Focus areas"),
}


def _state(value: str) -> str:
    try:
        return label(INDICATOR_STATE_LABELS, IndicatorState(value))
    except ValueError:
        return value


def change_text(change: AssessmentChange, assessment: Assessment) -> str:
    """One line of "what changed", in words rather than codes."""
    indicators = {i.code: i for i in assessment.indicators}
    code, _, sub = change.what.partition(".")
    if code in indicators:
        name = tr(indicators[code].label_da, indicators[code].label_en)
        if sub == "comment":
            return tr(
                f"{name}, kommentar: »{change.before}« → »{change.after}«",
                f"{name}, comment: '{change.before}' → '{change.after}'",
            )
        return f"{name}: {_state(change.before)} → {_state(change.after)}"
    what = label(_FIELD_NAMES, change.what)
    if change.what == "level":
        before = label(LEVEL_LABELS, ConcernLevel(change.before))
        after = label(LEVEL_LABELS, ConcernLevel(change.after))
        return f"{what}: {before} → {after}"
    if change.what == "focus_areas":

        def areas(text: str) -> str:
            return ", ".join(label(FOCUS_AREAS, c) for c in text.split(", ") if c) or DASH

        return f"{what}: {areas(change.before)} → {areas(change.after)}"
    return tr(f"{what} er ændret", f"{what} changed")


class AssessmentTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentTab")
        self.data: CaseData | None = None
        self.history = QListWidget()
        self.history.setObjectName("assessmentHistory")
        self.history.setAccessibleName(tr("Vurderinger", "Assessments"))
        self.history.currentRowChanged.connect(lambda _r: self._show_selected())
        self.empty = value_label(
            tr("Sagen er ikke vurderet endnu.", "The case is not assessed yet.")
        )
        self.heading = value_label(name="assessmentHeading")
        # The level in bold: rich text, whose only user text (the assessors) is escaped.
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.serious = value_label(name="assessmentSerious")
        self.serious.setStyleSheet(
            f"background: {SERIOUS_BG}; color: {SERIOUS_FG}; font-weight: bold; padding: 4px;"
        )
        self.changes = value_label(name="assessmentChanges")
        self.indicators = QTreeWidget()
        self.indicators.setObjectName("assessmentIndicators")
        self.indicators.setAccessibleName(tr("Indikatorer", "Indicators"))
        self.indicators.setHeaderLabels(
            [tr("Indikator", "Indicator"), tr("Tilstand", "State"), tr("Kommentar", "Comment")]
        )
        self.indicators.setWordWrap(True)
        self.indicators.setMinimumHeight(260)
        header = self.indicators.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.indicators.setColumnWidth(0, 360)
        self.overall = {
            k: value_label(name=f"overall_{k}")
            for k in ("main_problems", "resources", "focus", "rationale")
        }

        changes_box = QGroupBox(
            tr("Ændret siden sidste vurdering", "Changed since the previous assessment")
        )
        changes_box.setObjectName("changesBox")
        QVBoxLayout(changes_box).addWidget(self.changes)
        overall_box = QGroupBox(tr("Samlet vurdering", "Overall assessment"))
        overall = form()
        for key, labels in (
            ("main_problems", ("Hovedproblemer", "Main problems")),
            ("resources", ("Ressourcer", "Resources")),
            ("focus", ("Anbefalede fokusområder", "Recommended focus areas")),
            ("rationale", ("Begrundelse", "Rationale")),
        ):
            overall.addRow(tr(*labels), self.overall[key])
        overall_box.setLayout(overall)
        detail = QWidget()
        column = QVBoxLayout(detail)
        column.addWidget(self.empty)
        column.addWidget(self.heading)
        column.addWidget(self.serious)
        column.addWidget(changes_box)
        column.addWidget(self.indicators, 1)
        column.addWidget(overall_box)
        self.detail_parts: list[QWidget] = [self.heading, changes_box, self.indicators, overall_box]
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.history)
        splitter.addWidget(scrolled(detail))
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 790])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

    def show_case(self, data: CaseData) -> None:
        # An older assessment the user was reading stays selected; otherwise the newest is.
        selected = self._selected()
        newest = self.history.currentRow() <= 0
        keep = selected.id if selected is not None and not newest else None
        self.data = data
        self.history.blockSignals(True)
        self.history.clear()
        for assessment in reversed(data.assessments):
            content = assessment.content
            level = label(LEVEL_LABELS, content.level)
            item = QListWidgetItem(
                f"{fmt_date(content.assessed_on)} · {level} · "
                f"{data.names.person(assessment.by_login)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(assessment.id))
            item.setToolTip(
                tr(
                    f"Gemt {fmt_datetime(assessment.created_at)}",
                    f"Saved {fmt_datetime(assessment.created_at)}",
                )
            )
            if assessment.serious_present():
                item.setForeground(QBrush(QColor(SERIOUS_FG)))
            self.history.addItem(item)
        row = 0
        for n in range(self.history.count()):
            if keep is not None and self.history.item(n).data(Qt.ItemDataRole.UserRole) == str(
                keep
            ):
                row = n
        self.history.blockSignals(False)
        self.history.setCurrentRow(row if self.history.count() else -1)
        self._show_selected()

    def _selected(self) -> Assessment | None:
        if self.data is None or self.history.currentItem() is None:
            return None
        wanted = self.history.currentItem().data(Qt.ItemDataRole.UserRole)
        return next((a for a in self.data.assessments if str(a.id) == wanted), None)

    def _show_selected(self) -> None:
        assessment = self._selected()
        self.empty.setVisible(assessment is None)
        for part in self.detail_parts:
            part.setVisible(assessment is not None)
        if assessment is None or self.data is None:
            self.serious.hide()
            return
        content = assessment.content
        self.heading.setText(assessment_heading(assessment, bold_level=True))
        self.serious.setVisible(bool(assessment.serious_present()))
        self.serious.setText(serious_signs_text(assessment))
        index = self.data.assessments.index(assessment)
        previous = self.data.assessments[index - 1].content if index > 0 else None
        if previous is None:
            self.changes.setText(
                tr("Første vurdering af sagen.", "The first assessment of the case.")
            )
        else:
            lines = [change_text(c, assessment) for c in changes_since(previous, content)]
            self.changes.setText("\n".join(lines) or tr("Intet er ændret.", "Nothing changed."))
        self._fill_indicators(assessment)
        self.overall["main_problems"].setText(content.main_problems or DASH)
        self.overall["resources"].setText(content.resources or DASH)
        self.overall["focus"].setText(
            ", ".join(label(FOCUS_AREAS, c) for c in content.focus_areas) or DASH
        )
        self.overall["rationale"].setText(content.rationale or DASH)

    def _fill_indicators(self, assessment: Assessment) -> None:
        self.indicators.clear()
        bold = QFont()
        bold.setBold(True)
        for part in Part:
            in_part = [i for i in assessment.indicators if i.part == part]
            if not in_part:
                continue
            part_item = QTreeWidgetItem([label(PART_LABELS, part)])
            part_item.setFont(0, bold)
            self.indicators.addTopLevelItem(part_item)
            groups: dict[str, QTreeWidgetItem] = {}
            for indicator in in_part:
                if indicator.group not in groups:
                    groups[indicator.group] = QTreeWidgetItem(
                        part_item, [label(INDICATOR_GROUP_LABELS, indicator.group)]
                    )
                answer = assessment.content.answers.get(
                    indicator.code, IndicatorAnswer(IndicatorState.UNKNOWN)
                )
                name = tr(indicator.label_da, indicator.label_en)
                item = QTreeWidgetItem(
                    groups[indicator.group],
                    [name, label(INDICATOR_STATE_LABELS, answer.state), answer.comment],
                )
                item.setToolTip(0, name)
                item.setToolTip(2, answer.comment)
                if indicator.serious:
                    item.setIcon(0, icon("warning"))
                    item.setToolTip(0, name + tr(" – alvorligt tegn", " – serious sign"))
                    item.setForeground(0, QBrush(QColor(SERIOUS_FG)))
                    if answer.state == IndicatorState.PRESENT:
                        for col in range(3):
                            item.setBackground(col, QBrush(QColor(SERIOUS_BG)))
                            item.setFont(col, bold)
        self.indicators.expandAll()
        self.indicators.resizeColumnToContents(0)
