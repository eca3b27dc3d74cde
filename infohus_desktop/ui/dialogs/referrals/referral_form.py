"""The referral form (*henvisning*): drawn from the vault's form definition, prefilled from
the case by the service, saved as a draft or saved and then sent.

The form, the prefilled values and the case's attachments are read on the worker when the
dialog opens. Checking what was typed uses the domain's own rules (``check_value``,
``missing_required``) on the GUI thread: they are pure functions and touch nothing stored.
A draft may leave required fields empty; "Gem og send …" needs every required field and,
for a person under 18 (or of unknown age), an answer on the guardians' consent: until then
the button stays disabled and says why. The service checks the same again when it sends.
Each problem is shown under its field and listed above the form, and the first such field
gets the focus.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.cpr import age_on, parse_cpr
from infohus_desktop.domain.errors import Conflict, InfohusError, InvalidInput
from infohus_desktop.domain.referrals import (
    NO,
    SECTION_LABELS,
    YES,
    FieldValue,
    Programme,
    Referral,
    ReferralForm,
    check_value,
    missing_required,
)
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.referral_fields import (
    ERROR_STYLE,
    FieldEditor,
    field_label,
)
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import scrolled

CONSENT_KEY = "guardians_consent"


@dataclass(frozen=True)
class FormData:
    """What the dialog needs, read on the worker."""

    form: ReferralForm
    values: dict[str, FieldValue]
    attachments: tuple[AttachmentInfo, ...]
    case_birth_date: date | None
    referral: Referral | None = None


def load_form(session: MemberServices, number: str, referral_id: uuid.UUID | None) -> FormData:
    """On the worker: the form, the values (prefilled for a new referral), the attachments."""
    case = session.cases.show(number)
    birth = case.person.birth_date
    if birth is None and case.person.cpr:
        try:
            birth = parse_cpr(case.person.cpr).birth_date
        except InvalidInput:
            birth = None
    if referral_id is not None:
        referral = session.referrals.show(referral_id)
        return FormData(referral.form, dict(referral.values), case.attachments, birth, referral)
    return FormData(
        session.referrals.form(), session.referrals.prefill(number), case.attachments, birth
    )


def birth_date_from(values: dict[str, FieldValue], case_birth: date | None) -> date | None:
    """As the service decides it: the form's birth date, else its CPR number, else the case's."""
    given = values.get("person_birth_date")
    if isinstance(given, str) and given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            return None
    cpr = values.get("person_cpr")
    if isinstance(cpr, str) and cpr.strip():
        try:
            return parse_cpr(cpr).birth_date
        except InvalidInput:
            pass
    return case_birth


class ReferralFormDialog(SavingDialog):
    """New referral for case ``number`` (``referral_id`` None) or edit a draft.

    After a save :attr:`saved` holds the referral; :attr:`send_next` says the user chose
    "Gem og send …", so the caller opens the send step for it."""

    def __init__(
        self,
        ctx: AppContext,
        number: str,
        referral_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr(f"Henvisning for {number}", f"Referral for {number}"),
            "referralFormDialog",
            tr("&Gem kladde", "&Save draft"),
            parent,
        )
        self.number = number
        self.referral_id = referral_id
        self.today = today or date.today()
        self.data: FormData | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.saved: Referral | None = None
        self.send_next = False
        self._sending = False
        self.send_button = QPushButton(tr("Gem og &send …", "Save and s&end …"))
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.submit_and_send)
        self.buttons.addButton(self.send_button, self.buttons.ButtonRole.ActionRole)
        self.summary = QLabel()
        self.summary.setObjectName("problemSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet(ERROR_STYLE + " border: 1px solid #b00020; padding: 6px;")
        self.summary.setAccessibleName(tr("Fejl i formularen", "Problems in the form"))
        self.summary.hide()
        self.minor_hint = QLabel()
        self.minor_hint.setObjectName("minorHint")
        self.minor_hint.setWordWrap(True)
        self.minor_hint.setStyleSheet("color: #8a4b00;")
        self.minor_hint.hide()
        self.loading = QLabel(tr("Henter formularen …", "Loading the form …"))
        self.loading.setObjectName("formLoading")
        self.page = QWidget()
        self.page.setObjectName("referralFormPage")
        self.sections = QVBoxLayout(self.page)
        self.sections.addWidget(self.loading)
        self.body.addWidget(
            hint(
                tr(
                    "Felter med * skal udfyldes, før henvisningen sendes; en kladde kan "
                    "gemmes uden.",
                    "Fields marked * must be filled in before the referral is sent; a draft "
                    "can be saved without them.",
                )
            )
        )
        self.body.addWidget(self.summary)
        self.form_area = scrolled(self.page)
        self.body.addWidget(self.form_area, 1)
        self.body.addWidget(self.minor_hint)
        self.finish()
        self.ok_button.setEnabled(False)
        self.send_button.setEnabled(False)
        self.resize(860, 640)
        self.setMinimumSize(640, 420)
        ctx.run(
            lambda s: load_form(s, number, referral_id),
            self._loaded,
            owner=self,
            on_error=lambda exc: self.loading.setText(exc.message(language())),
        )

    # -- building ----------------------------------------------------------------------------

    def _loaded(self, data: FormData) -> None:
        self.data = data
        self.loading.hide()
        order: list[QWidget] = []
        for section, fields in data.form.by_section():
            box = QGroupBox(label(SECTION_LABELS, section))
            box.setObjectName(f"section_{section.value}")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for f in fields:
                editor = FieldEditor(f, data.attachments)
                editor.set_value(data.values.get(f.key, f.empty()))
                editor.on_change(functools.partial(self._edited, editor))
                caption = QLabel(field_label(f))
                caption.setObjectName(f"label_{f.key}")
                caption.setBuddy(editor.input)
                caption.setWordWrap(True)
                # One label width in every section, so the fields line up down the form.
                caption.setFixedWidth(230)
                form.addRow(caption, editor)
                self.editors[f.key] = editor
                order.append(editor.input)
            self.sections.addWidget(box)
        self.sections.addStretch(1)
        chain_tab_order([*order, self.ok_button, self.send_button])
        self.ok_button.setEnabled(True)
        self._update_send()
        if order:
            order[0].setFocus()

    def _edited(self, editor: FieldEditor) -> None:
        if editor.has_error:  # a fixed field loses its mark as soon as it is changed
            editor.show_error("")
            self._refresh_summary()
        self._update_send()

    # -- values and checks -------------------------------------------------------------------

    def values(self) -> dict[str, FieldValue]:
        return {key: editor.value() for key, editor in self.editors.items()}

    def consent_needed(self) -> bool:
        """True when the person is (or may be) under 18 and the guardians' consent is not
        answered yes or no: then the referral cannot be sent."""
        if self.data is None or CONSENT_KEY not in self.editors:
            return False
        values = self.values()
        if values.get(CONSENT_KEY) in (YES, NO):
            return False
        born = birth_date_from(values, self.data.case_birth_date)
        return born is None or age_on(born, self.today) < 18

    def _update_send(self) -> None:
        blocked = self.consent_needed()
        self.send_button.setEnabled(self.data is not None and not blocked and not self.saving)
        if blocked:
            consent = self.editors[CONSENT_KEY].field.label(language())
            self.minor_hint.setText(
                tr(
                    f"Personen er under 18 år (eller alderen er ukendt): besvar »{consent}« "
                    "med ja eller nej, før henvisningen kan sendes.",
                    f"The person is under 18 (or the age is unknown): answer '{consent}' "
                    "with yes or no before the referral can be sent.",
                )
            )
        self.minor_hint.setVisible(blocked)
        self.send_button.setToolTip(self.minor_hint.text() if blocked else "")

    def check(self, sending: bool) -> bool:
        """Mark every problem under its field, list them above, focus the first."""
        assert self.data is not None
        self._sending = sending
        problems: list[tuple[FieldEditor, str]] = []
        values = self.values()
        for key, editor in self.editors.items():
            try:
                check_value(editor.field, values[key])
            except InvalidInput as exc:
                problems.append((editor, exc.message(language())))
        bad = {e.field.key for e, _ in problems}
        programme = self.editors.get("programme")
        if programme is not None and not values.get("programme") and "programme" not in bad:
            problems.append((programme, tr("Vælg modtageren.", "Choose the recipient.")))
        if sending:
            for f in missing_required(self.data.form, values):
                if f.key not in bad and f.key != "programme":
                    problems.append((self.editors[f.key], tr("Skal udfyldes.", "Required.")))
        order = list(self.editors)
        problems.sort(key=lambda p: order.index(p[0].field.key))
        for editor in self.editors.values():
            editor.show_error("")
        for editor, text in problems:
            editor.show_error(text)
        self._refresh_summary()
        if problems:
            first = problems[0][0]
            self.form_area.ensureWidgetVisible(first)
            first.input.setFocus()
        return not problems

    def _refresh_summary(self) -> None:
        lines = [
            f"• {e.field.label(language())}: {e.error.text()}"
            for e in self.editors.values()
            if e.has_error
        ]
        if lines:
            head = (
                tr(
                    f"Ret {len(lines)} felt(er), før henvisningen kan sendes:",
                    f"Correct {len(lines)} field(s) before the referral can be sent:",
                )
                if self._sending
                else tr(
                    f"Ret {len(lines)} felt(er), før der kan gemmes:",
                    f"Correct {len(lines)} field(s) before saving:",
                )
            )
            self.summary.setText("\n".join([head, *lines]))
        self.summary.setVisible(bool(lines))

    # -- saving ------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.data is not None and self.check(sending=False):
            self._save(send_next=False)

    def submit_and_send(self) -> None:
        if self.data is None or self.saving:
            return
        if self.consent_needed():
            self._update_send()
            return
        if self.check(sending=True):
            self._save(send_next=True)

    def _save(self, send_next: bool) -> None:
        assert self.data is not None
        values = self.values()
        number = self.number
        referral = self.data.referral
        self.send_next = send_next
        if referral is None:
            programme = Programme(str(values["programme"]))
            rest = {k: v for k, v in values.items() if k != "programme"}
            self.save(
                lambda s: s.referrals.create(number, programme, rest, prefill=False), self._saved
            )
            return
        changed = {k: v for k, v in values.items() if referral.values.get(k, "") != v}
        if not changed:
            self._saved(referral)
            return
        ref_id, version = referral.id, referral.version
        self.save(
            lambda s: s.referrals.edit(ref_id, version, changed, referral),
            self._saved,
            self._edit_failed,
        )

    def _edit_failed(self, exc: InfohusError) -> None:
        """Someone saved the draft meanwhile: say so, keep what the user typed, and take
        their version as the new base, so a second save (an explicit choice) replaces it."""
        message = exc.message(language())
        if not isinstance(exc, Conflict) or self.data is None or self.data.referral is None:
            self.show_problem(message)
            return
        ref_id = self.data.referral.id

        def current(theirs: Referral) -> None:
            assert self.data is not None
            self.data = replace(self.data, referral=theirs)
            self.show_problem(
                message
                + " "
                + tr(
                    "Din indtastning er bevaret: gem igen for at erstatte deres version af "
                    "de felter, du har ændret, eller annullér.",
                    "Your input is kept: save again to replace their version of the fields "
                    "you changed, or cancel.",
                )
            )

        self.save(lambda s: s.referrals.show(ref_id), current)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if not busy:
            self._update_send()

    def _saved(self, referral: Referral) -> None:
        self.saved = referral
        self.finish_saved()
