"""The small dialogs of a meeting's agenda and minutes: add an agenda item, a recommendation or
agreement with its owning authority, an action item, an addendum after approval.

Each saves through the worker (``SavingDialog``) and keeps what the user typed when the
service refuses; :attr:`saved` holds what was stored. A case item offers only the cases the
coordinator can read of the meeting's Infohus Kommune, by number: the picker never shows a
person's name, since the agenda is built with others in the room. A trend item offers the
trend notes the member can read (``trend_picker``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import DECISION_KIND_LABELS, ITEM_KIND_LABELS
from infohus_desktop.domain.meetings import (
    ITEM_KINDS,
    ActionItem,
    Addendum,
    AgendaItem,
    Decision,
    DecisionKind,
    ItemKind,
    Meeting,
    NewActionItem,
    NewAgendaItem,
)
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_plan import index_of
from infohus_desktop.ui.dialogs.meetings.trend_picker import TrendPicker
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.meeting_agenda import item_subject
from infohus_desktop.ui.widgets.dates import OptionalDateEdit
from infohus_desktop.ui.widgets.person_form import line


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class AgendaItemDialog(SavingDialog):
    """Append an item of a kind the meeting allows (``ITEM_KINDS``)."""

    def __init__(self, ctx: AppContext, meeting: Meeting, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Nyt punkt på dagsordenen", "New agenda item"),
            "agendaItemDialog",
            tr("&Tilføj punkt", "&Add item"),
            parent,
        )
        self.meeting_id = meeting.id
        self.saved: AgendaItem | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("itemKind")
        self.kind.setAccessibleName(tr("Punktets type", "Kind of item"))
        for kind in ITEM_KINDS[meeting.kind]:
            self.kind.addItem(label(ITEM_KIND_LABELS, kind), kind)
        self.case = QComboBox()
        self.case.setObjectName("itemCase")
        self.case.setAccessibleName(tr("Sag", "Case"))
        self.case.setEditable(True)  # type to find a number among many
        self.case.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.case_hint = QLabel(tr("Henter sager …", "Fetching cases …"))
        self.case_hint.setObjectName("itemCaseHint")
        self.trend = TrendPicker()
        self.title_edit = line("itemTitle", tr("Overskrift", "Heading"))
        self.organisation = line("itemOrganisation", tr("Organisation", "Organisation"))
        form = _form()
        form.addRow(tr("T&ype", "&Kind"), self.kind)
        form.addRow(tr("&Sag", "&Case"), self.case)
        form.addRow("", self.case_hint)
        form.addRow(tr("T&endensnotat", "&Trend note"), self.trend)
        form.addRow("", self.trend.hint)
        form.addRow(tr("&Overskrift", "&Heading"), self.title_edit)
        form.addRow(tr("&Organisation", "&Organisation"), self.organisation)
        self.form = form
        self.body.addLayout(form)
        self.finish()
        chain_tab_order(
            [self.kind, self.case, self.trend, self.title_edit, self.organisation, self.ok_button]
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.setMinimumWidth(480)
        if ItemKind.CASE in ITEM_KINDS[meeting.kind]:
            meeting_id = meeting.id
            ctx.run(
                lambda s: s.meetings.case_choices(meeting_id),
                self._cases_loaded,
                self,
                self._cases_failed,
            )
        if ItemKind.TREND in ITEM_KINDS[meeting.kind]:
            self.trend.load(ctx, meeting.id, self)

    def _cases_loaded(self, cases: Sequence[CaseSummary]) -> None:
        self.case.clear()
        for case in sorted(cases, key=lambda c: c.number):
            self.case.addItem(case.number, case.number)
        self.case.setCurrentIndex(-1)
        self.case_hint.setText(
            tr(f"{len(cases)} sager du kan læse", f"{len(cases)} cases you can read")
            if cases
            else tr("Ingen sager, du kan læse, i dette Infohus.", "No cases you can read here.")
        )

    def _cases_failed(self, exc: InfohusError) -> None:
        self.case_hint.setText(exc.message(language()))

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for widget, shown in (
            (self.case, kind == ItemKind.CASE),
            (self.case_hint, kind == ItemKind.CASE),
            (self.trend, kind == ItemKind.TREND),
            (self.trend.hint, kind == ItemKind.TREND),
            (self.organisation, kind == ItemKind.ORIENTATION),
        ):
            self.form.setRowVisible(widget, shown)

    def value(self) -> NewAgendaItem:
        kind = ItemKind(self.kind.currentData())
        number = self.case.currentText().strip().upper() if kind is ItemKind.CASE else None
        return NewAgendaItem(
            kind=kind,
            title=self.title_edit.text().strip(),
            case=number or None,
            organisation=self.organisation.text().strip() if kind is ItemKind.ORIENTATION else "",
            trend_note=self.trend.note_id() if kind is ItemKind.TREND else None,
        )

    def submit(self) -> None:
        value = self.value()
        if value.kind is ItemKind.CASE and not value.case:
            self.show_problem(tr("Vælg sagen (sagsnummer).", "Choose the case (case number)."))
            self.case.setFocus()
            return
        if value.kind is ItemKind.ORIENTATION and not value.organisation:
            self.show_problem(
                tr("Angiv hvem der orienterer (organisation).", "Say who orients (organisation).")
            )
            self.organisation.setFocus()
            return
        if value.kind is ItemKind.TREND and value.trend_note is None:
            self.show_problem(tr("Vælg tendensnotatet.", "Choose the trend note."))
            self.trend.setFocus()
            return
        meeting_id = self.meeting_id
        self.save(lambda s: s.meetings.add_item(meeting_id, value), self._saved)

    def _saved(self, item: AgendaItem) -> None:
        self.saved = item
        self.finish_saved()


class DecisionDialog(SavingDialog):
    """A recommendation or an agreement, always with the authority that owns it."""

    def __init__(
        self,
        ctx: AppContext,
        item: AgendaItem,
        decision: Decision | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr("Anbefaling eller aftale", "Recommendation or agreement"),
            "decisionDialog",
            tr("&Gem", "&Save"),
            parent,
        )
        self.item_id = item.id
        self.decision = decision
        self.saved: Decision | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("decisionKind")
        self.kind.setAccessibleName(tr("Anbefaling eller aftale", "Recommendation or agreement"))
        for kind in DecisionKind:
            self.kind.addItem(label(DECISION_KIND_LABELS, kind), kind)
        self.text = text_area("decisionText", tr("Tekst", "Text"), 90)
        self.authority = line("decisionAuthority", tr("Ansvarlig myndighed", "Owning authority"))
        self.authority.setToolTip(
            tr(
                "Infohuset anbefaler; myndigheden beslutter efter sin egen lovgivning.",
                "The Infohus recommends; the authority decides under its own law.",
            )
        )
        form = _form()
        form.addRow(tr("T&ype", "&Kind"), self.kind)
        form.addRow(tr("&Tekst", "&Text"), self.text)
        form.addRow(tr("Ansvarlig &myndighed", "Owning &authority"), self.authority)
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.kind, self.text, self.authority, self.ok_button])
        if decision is not None:
            self.kind.setCurrentIndex(self.kind.findData(decision.kind))
            self.kind.setEnabled(False)
            self.text.setPlainText(decision.text)
            self.authority.setText(decision.authority)
        self.setMinimumWidth(520)

    def submit(self) -> None:
        text, authority = self.text.toPlainText().strip(), self.authority.text().strip()
        if not text:
            self.show_problem(tr("Skriv anbefalingen eller aftalen.", "Write the text."))
            self.text.setFocus()
            return
        if not authority:
            self.show_problem(tr("Angiv den ansvarlige myndighed.", "Name the owning authority."))
            self.authority.setFocus()
            return
        if self.decision is None:
            item_id, kind = self.item_id, DecisionKind(self.kind.currentData())
            self.save(
                lambda s: s.meetings.add_decision(item_id, kind, text, authority), self._saved
            )
            return
        decision_id, version = self.decision.id, self.decision.version
        self.save(
            lambda s: s.meetings.edit_decision(decision_id, version, text, authority), self._saved
        )

    def _saved(self, decision: Decision) -> None:
        self.saved = decision
        self.finish_saved()


class ActionItemDialog(SavingDialog):
    """Who does what by when. The owner is a participating member or someone named."""

    def __init__(
        self,
        ctx: AppContext,
        item: AgendaItem,
        owners: Sequence[tuple[uuid.UUID, str]],
        action: ActionItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, tr("Opgave", "Action item"), "actionItemDialog", tr("&Gem", "&Save"), parent
        )
        self.item_id = item.id
        self.action = action
        self.saved: ActionItem | None = None
        self.text = text_area("actionText", tr("Opgave", "Action item"), 70)
        self.owner = QComboBox()
        self.owner.setObjectName("actionOwner")
        self.owner.setAccessibleName(tr("Ansvarlig", "Owner"))
        self.owner.addItem(tr("Anden (skriv navn) …", "Someone else (type a name) …"), None)
        for member_id, name in owners:
            self.owner.addItem(name, member_id)
        self.owner_name = line("actionOwnerName", tr("Ansvarligs navn", "Owner's name"))
        self.deadline = OptionalDateEdit()
        self.deadline.setObjectName("actionDeadline")
        self.deadline.setAccessibleName(tr("Frist", "Deadline"))
        form = _form()
        form.addRow(tr("&Opgave", "&Action item"), self.text)
        form.addRow(tr("&Ansvarlig", "O&wner"), self.owner)
        form.addRow(tr("&Navn", "&Name"), self.owner_name)
        form.addRow(tr("&Frist", "&Deadline"), self.deadline)
        self.form = form
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.text, self.owner, self.owner_name, self.deadline, self.ok_button])
        self.owner.currentIndexChanged.connect(self._owner_changed)
        if action is not None:
            self.text.setPlainText(action.text)
            found = index_of(self.owner, action.owner_id) if action.owner_id else -1
            self.owner.setCurrentIndex(max(found, 0))
            if found < 0:
                self.owner_name.setText(action.owner_name)
            self.deadline.set_value(action.deadline)
        elif owners:
            self.owner.setCurrentIndex(1)
        self._owner_changed()
        self.setMinimumWidth(520)

    def _owner_changed(self) -> None:
        self.form.setRowVisible(self.owner_name, self.owner.currentData() is None)

    def value(self) -> NewActionItem:
        owner_id = self.owner.currentData()
        return NewActionItem(
            text=self.text.toPlainText().strip(),
            deadline=self.deadline.value(),
            owner_id=owner_id,
            owner_name="" if owner_id else self.owner_name.text().strip(),
        )

    def submit(self) -> None:
        value = self.value()
        if not value.text:
            self.show_problem(tr("Beskriv opgaven.", "Describe the action item."))
            self.text.setFocus()
            return
        if value.owner_id is None and not value.owner_name:
            self.show_problem(tr("Angiv hvem der er ansvarlig.", "Say who owns the action item."))
            self.owner_name.setFocus()
            return
        if self.action is None:
            item_id = self.item_id
            self.save(lambda s: s.meetings.add_action_item(item_id, value), self._saved)
            return
        action_id, version = self.action.id, self.action.version
        self.save(lambda s: s.meetings.edit_action_item(action_id, version, value), self._saved)

    def _saved(self, action: ActionItem) -> None:
        self.saved = action
        self.finish_saved()


class AddendumDialog(SavingDialog):
    """A correction to approved minutes: stored with who and when, never editing them."""

    def __init__(self, ctx: AppContext, meeting: Meeting, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Tilføj tillæg til referatet", "Add an addendum to the minutes"),
            "addendumDialog",
            tr("&Tilføj tillæg", "&Add addendum"),
            parent,
        )
        self.meeting_id = meeting.id
        self.saved: Addendum | None = None
        self.item = QComboBox()
        self.item.setObjectName("addendumItem")
        self.item.setAccessibleName(tr("Vedrører punkt", "Concerns item"))
        self.item.addItem(tr("Hele referatet", "The whole minutes"), None)
        for item in sorted(meeting.items, key=lambda i: i.position):
            if not item.withheld:
                self.item.addItem(f"{item.position}. {item_subject(item)}", item.id)
        self.text = text_area("addendumText", tr("Tillæg", "Addendum"), 110)
        note = QLabel(
            tr(
                "Referatet er godkendt og ændres ikke. Tillægget gemmes med dit navn og "
                "tidspunktet.",
                "The minutes are approved and stay as they are. The addendum is stored with "
                "your name and the time.",
            )
        )
        note.setWordWrap(True)
        form = _form()
        form.addRow(tr("&Vedrører", "&Concerns"), self.item)
        form.addRow(tr("Tillæ&g", "A&ddendum"), self.text)
        self.body.addWidget(note)
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.item, self.text, self.ok_button])
        self.setMinimumWidth(520)

    def submit(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            self.show_problem(tr("Skriv tillægget.", "Write the addendum."))
            self.text.setFocus()
            return
        meeting_id, item_id = self.meeting_id, self.item.currentData()
        self.save(lambda s: s.meetings.add_addendum(meeting_id, text, item_id), self._saved)

    def _saved(self, addendum: Addendum) -> None:
        self.saved = addendum
        self.finish_saved()
