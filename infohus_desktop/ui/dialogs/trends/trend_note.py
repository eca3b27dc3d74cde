"""Write or edit a trend note, with the personal-data check running while the user types.

When the dialog opens, the worker loads the themes and builds the name register (the names
of the persons in the cases this member can read, in memory only, audited). After each pause
in typing the pure check marks what looks like a CPR number or such a name in the text and
lists where and why. Saving with findings asks for an explicit confirmation, which the
service audits. A save against a stale version opens :class:`TrendConflictDialog`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.trends import (
    AREA_KIND_LABELS,
    SOURCE_KIND_LABELS,
    AreaKind,
    Development,
    SourceKind,
    TrendContent,
    TrendNote,
)
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.trends.personal_data_check import (
    Finding,
    NameRegister,
    find_personal_data,
)
from infohus_desktop.services.trends.rules import PersonalDataFound, TrendConflict
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.dialogs.trends.trend_conflict import TrendConflictDialog
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.models.trend_list import development_text
from infohus_desktop.ui.views.trends.check_panel import (
    WARN_STYLE,
    PersonalDataPanel,
    mark_findings,
)
from infohus_desktop.ui.widgets.dates import DateEdit, OptionalDateEdit

#: The check runs this long after the last keystroke.
CHECK_PAUSE_MS = 250


class TrendNoteDialog(SavingDialog):
    """:attr:`result_note` holds the saved note after the dialog is accepted."""

    def __init__(
        self, ctx: AppContext, note: TrendNote | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            tr("Rediger tendensnotat", "Edit trend note")
            if note
            else tr("Nyt tendensnotat", "New trend note"),
            "trendNoteDialog",
            tr("&Gem", "&Save"),
            parent,
        )
        self.note = note
        self.result_note: TrendNote | None = None
        self.names: NameRegister | None = None
        self.findings: list[Finding] = []
        self.confirm_box: QMessageBox | None = None
        self.conflict: TrendConflictDialog | None = None
        self._build()
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_PAUSE_MS)
        self.check_timer.timeout.connect(self.run_check)
        for edit in (self.title_edit, self.area):
            edit.textChanged.connect(self.check_timer.start)
        self.description.textChanged.connect(self.check_timer.start)
        self.panel.activated.connect(self._show_finding)
        self.ok_button.setEnabled(False)  # until the themes are loaded
        self.resize(780, 760)
        ctx.run(
            lambda s: (s.trends.themes(), s.trends.name_register()),
            self._loaded,
            self,
            self._load_failed,
        )
        self.run_check()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("trendTitle")
        self.title_edit.setAccessibleName(tr("Titel", "Title"))
        self.title_edit.setPlaceholderText(
            tr("Hvad er tendensen? Fx 'Flere unge deler …'", "What is the trend?")
        )
        today = date.today()
        self.period_from = DateEdit(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1))
        self.period_from.setObjectName("trendFrom")
        self.period_from.setAccessibleName(tr("Periode fra", "Period from"))
        self.period_to = DateEdit()
        self.period_to.setObjectName("trendTo")
        self.period_to.setAccessibleName(tr("Periode til", "Period to"))
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(QLabel(tr("til", "to")))
        period.addWidget(self.period_to)
        period.addStretch(1)
        self.theme = QComboBox()
        self.theme.setObjectName("trendTheme")
        self.theme.setAccessibleName(tr("Tema", "Theme"))
        self.area_kind = QComboBox()
        self.area_kind.setObjectName("trendAreaKind")
        self.area_kind.setAccessibleName(tr("Områdetype", "Kind of area"))
        for kind in AreaKind:
            self.area_kind.addItem(tr(*AREA_KIND_LABELS[kind]), kind.value)
        self.area = QLineEdit()
        self.area.setObjectName("trendArea")
        self.area.setAccessibleName(tr("Område", "Area"))
        self.area.setPlaceholderText(tr("Fx Aarhus Kommune eller TikTok", "E.g. Aarhus or TikTok"))
        area = QHBoxLayout()
        area.addWidget(self.area_kind)
        area.addWidget(self.area, 1)
        self.development = QComboBox()
        self.development.setObjectName("trendDevelopment")
        self.development.setAccessibleName(tr("Udvikling", "Development"))
        for dev in Development:
            self.development.addItem(development_text(dev), dev.value)
        # A new note suggests no finding: theme and development start unchosen.
        self.development.setPlaceholderText(tr("Vælg udvikling …", "Choose development …"))
        self.development.setCurrentIndex(-1)
        self.follow_up = OptionalDateEdit()
        self.follow_up.setObjectName("trendFollowUp")
        self.follow_up.setAccessibleName(tr("Opfølgning", "Follow-up"))
        sources = QWidget()
        grid = QGridLayout(sources)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.sources: dict[SourceKind, QCheckBox] = {}
        for i, source in enumerate(SourceKind):
            box = QCheckBox(tr(*SOURCE_KIND_LABELS[source]))
            box.setObjectName(f"source_{source.value}")
            self.sources[source] = box
            grid.addWidget(box, i // 2, i % 2)
        self.description = text_area("trendDescription", tr("Beskrivelse", "Description"), 150)
        self.description.setPlaceholderText(
            tr(
                "Hvad ses, hvor ofte, hvem berøres (grupper, ikke personer), hvad gøres?",
                "What is seen, how often, who is affected (groups, not persons), what is done?",
            )
        )
        self.panel = PersonalDataPanel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("&Titel", "&Title"), self.title_edit)
        form.addRow(self._label(tr("&Periode", "&Period"), self.period_from), period)
        form.addRow(tr("T&ema", "T&heme"), self.theme)
        form.addRow(self._label(tr("&Område", "&Area"), self.area_kind), area)
        development = QHBoxLayout()
        development.addWidget(self.development)
        development.addStretch(1)
        form.addRow(self._label(tr("&Udvikling", "&Development"), self.development), development)
        form.addRow(tr("Opfølgnin&g", "Follow-&up"), self.follow_up)
        form.addRow(tr("Kildetyper", "Kinds of sources"), sources)
        form.addRow(tr("&Beskrivelse", "D&escription"), self.description)
        self.body.addLayout(form, 1)
        self.body.addWidget(self.panel)
        self.finish()
        chain_tab_order(
            [
                self.title_edit,
                self.period_from,
                self.period_to,
                self.theme,
                self.area_kind,
                self.area,
                self.development,
                self.follow_up,
                *self.sources.values(),
                self.description,
                self.panel.list,
                self.ok_button,
            ]
        )

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        """A form label whose mnemonic moves to ``buddy`` (a row that is a layout has none)."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _fill(self, note: TrendNote) -> None:
        c = note.content
        self.title_edit.setText(c.title)
        self.period_from.set_value(c.period_from)
        self.period_to.set_value(c.period_to)
        self._select(self.theme, c.theme)
        self._select(self.area_kind, c.area_kind.value)
        self.area.setText(c.area)
        self._select(self.development, c.development.value)
        self.follow_up.set_value(c.follow_up)
        for kind, box in self.sources.items():
            box.setChecked(kind in c.source_kinds)
        self.description.setPlainText(c.description)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index < 0:  # a theme since removed from the list stays what it was
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    # -- loading -----------------------------------------------------------------------------

    def _loaded(self, loaded: tuple[dict[str, tuple[str, str]], NameRegister]) -> None:
        themes, self.names = loaded
        for code, labels in themes.items():
            self.theme.addItem(tr(*labels), code)
        self.theme.setPlaceholderText(tr("Vælg tema …", "Choose theme …"))
        self.theme.setCurrentIndex(-1)
        if self.note is not None:
            self._fill(self.note)
        self.ok_button.setEnabled(True)
        self.run_check()

    def _load_failed(self, exc: InfohusError) -> None:
        self.show_problem(exc.message(language()))

    # -- the check ---------------------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        return {
            "title": self.title_edit.text(),
            "area": self.area.text(),
            "description": self.description.toPlainText(),
        }

    def run_check(self) -> None:
        """Check the texts now (the timer calls this a moment after typing pauses)."""
        self.check_timer.stop()
        self.findings = find_personal_data(self.texts(), self.names)
        self.panel.show_findings(self.findings, self.names is not None)
        mark_findings(self.description, [f for f in self.findings if f.field == "description"])
        fields_hit = {f.field for f in self.findings}
        self.title_edit.setStyleSheet(WARN_STYLE if "title" in fields_hit else "")
        self.area.setStyleSheet(WARN_STYLE if "area" in fields_hit else "")

    def _show_finding(self, finding: Finding) -> None:
        """Put the cursor on a finding so the user can correct it."""
        if finding.field == "description":
            cursor = self.description.textCursor()
            cursor.setPosition(finding.start)
            cursor.setPosition(finding.end, QTextCursor.MoveMode.KeepAnchor)
            self.description.setTextCursor(cursor)
            self.description.setFocus()
            return
        edit = self.title_edit if finding.field == "title" else self.area
        edit.setSelection(finding.start, finding.end - finding.start)
        edit.setFocus()

    # -- saving ------------------------------------------------------------------------------

    def content(self) -> TrendContent:
        return TrendContent(
            title=self.title_edit.text(),
            period_from=self.period_from.value(),
            period_to=self.period_to.value(),
            area_kind=AreaKind(self.area_kind.currentData()),
            area=self.area.text(),
            theme=self.theme.currentData() or "",
            description=self.description.toPlainText(),
            source_kinds=tuple(k for k, box in self.sources.items() if box.isChecked()),
            # Unchosen only while typing (the check reads the texts); submit refuses it.
            development=Development(self.development.currentData() or Development.STABLE),
            follow_up=self.follow_up.value(),
        )

    def submit(self) -> None:
        if not self.title_edit.text().strip():
            self.show_problem(tr("Notatet skal have en titel.", "The note needs a title."))
            self.title_edit.setFocus()
            return
        if self.period_to.value() < self.period_from.value():
            self.show_problem(
                tr("Perioden slutter før den begynder.", "The period ends before it begins.")
            )
            return
        for combo, what in (
            (self.theme, tr("Vælg et tema.", "Choose a theme.")),
            (self.development, tr("Vælg udviklingen.", "Choose the development.")),
        ):
            if combo.currentIndex() < 0:
                self.show_problem(what)
                combo.setFocus()
                return
        if self.note is not None and self.content() == self.note.content:
            self.result_note = self.note  # nothing changed: no new version
            self.finish_saved()
            return
        self.run_check()
        if self.findings:
            self.ask_confirmation()
        else:
            self._save(confirmed=False)

    def ask_confirmation(self) -> None:
        """Where and why, then "Gem alligevel" or back to the text."""
        lang = language()
        box = QMessageBox(self)
        box.setObjectName("personalDataConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Mulige personoplysninger", "Possible personal data"))
        box.setText(
            tr(
                "Notatet ser ud til at indeholde personoplysninger:",
                "The note looks like it holds personal data:",
            )
        )
        box.setInformativeText(
            "\n".join(f"• {f.explain(lang)}" for f in self.findings[:8])
            + "\n\n"
            + tr(
                "Et tendensnotat handler om en tendens, ikke om personer. Gem kun, hvis du "
                "er sikker på, at teksten ikke oplyser om en person. Bekræftelsen logges.",
                "A trend note is about a trend, not about people. Save only if you are sure "
                "the text tells nothing about a person. The confirmation is logged.",
            )
        )
        save = box.addButton(
            tr("&Gem alligevel", "&Save anyway"), QMessageBox.ButtonRole.AcceptRole
        )
        save.setObjectName("confirmSave")
        back = box.addButton(
            tr("&Ret teksten", "&Correct the text"), QMessageBox.ButtonRole.RejectRole
        )
        back.setObjectName("backToText")
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        self.confirm_box = box

        def answered() -> None:
            self.confirm_box = None
            if box.clickedButton() is save:
                self._save(confirmed=True)
            elif self.findings:
                self._show_finding(self.findings[0])

        box.finished.connect(answered)
        box.open()

    def _save(self, confirmed: bool) -> None:
        content, names, note = self.content(), self.names, self.note

        def work(s: MemberServices) -> TrendNote:
            if note is None:
                return s.trends.create(content, confirmed, names=names)
            return s.trends.edit(
                note.id, note.version, content, confirmed, base=note.content, names=names
            )

        def failed(exc: InfohusError) -> None:
            if isinstance(exc, PersonalDataFound):
                # The service saw more than the editor (a case opened meanwhile): show it.
                self.findings = exc.findings
                self.panel.show_findings(exc.findings, True)
                self.ask_confirmation()
            elif isinstance(exc, TrendConflict) and note is not None:
                self._resolve(note, content, confirmed, exc)
            else:
                self.show_problem(exc.message(language()))

        self.save(work, self._saved, failed)

    def _resolve(
        self, note: TrendNote, content: TrendContent, confirmed: bool, exc: TrendConflict
    ) -> None:
        self.conflict = TrendConflictDialog(
            self.ctx, note.content, content, exc, confirmed, self.names, self
        )
        self.conflict.accepted.connect(lambda: self._conflict_saved())
        self.conflict.open()

    def _conflict_saved(self) -> None:
        assert self.conflict is not None
        self._saved(self.conflict.result_note)

    def _saved(self, note: TrendNote | None) -> None:
        self.result_note = note
        self.finish_saved()


__all__ = ["TrendNoteDialog"]
