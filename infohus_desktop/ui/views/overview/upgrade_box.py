"""The start page's box for ``vault upgrade``: what waits (the schema's old form, copies
sealed without their listing, the step to format 4), for a coordinator the button that runs
it on the worker, and afterwards what it did."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout

from infohus_desktop.domain.errors import Conflict, InfohusError
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.format_step import PendingStep
from infohus_desktop.services.accounts.upgrade_text import (
    SETTING_WORDS,
    joined,
    shown_values,
    upgrade_summary,
)
from infohus_desktop.services.accounts.vault_upgrade import UpgradeReport, upgrade_vault
from infohus_desktop.services.overview.service import Overview
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.layout import hide_unless


def format_step_text(step: PendingStep) -> str:
    """What the step to format 4 does, for the root or for another coordinator."""
    what = tr(
        "sagskategorierne, indikatorerne og henvisningsformularen",
        "the case categories, the indicators and the referral form",
    )
    if step.root_login is not None:
        named = [SETTING_WORDS.get(key, (key, key)) for key in step.keys]
        these = tr(
            joined([da for da, _en in named], "og"), joined([en for _da, en in named], "and")
        )
        return tr(
            f"Boksen er i et ældre format: {these} er gemt af en tidligere version uden "
            "underskrift. Opgraderingen underskriver dem med din nøgle. Derefter skal "
            f"rodkoordinatoren ({step.root_login}) opgradere boksen, så en indstilling uden "
            "underskrift ikke længere læses. Det skrives i revisionsloggen.",
            f"The vault is in an older format: {these} were saved by an earlier version "
            "without a signature. The upgrade signs them with your key. Then the root "
            f"coordinator ({step.root_login}) must upgrade the vault, so that a setting "
            "without a signature is no longer read. It is recorded in the audit log.",
        )
    return tr(
        f"Boksen er i et ældre format, hvor {what} kan læses uden en koordinators "
        "underskrift: den, der kan skrive i databasen, kan give en kategori en andens navn. "
        "Opgraderingen underskriver dem og hæver formatet, så det opdages. Den skrives i "
        "revisionsloggen, og intet i sagerne ændres.",
        f"The vault is in an older format, where {what} are read without a coordinator's "
        "signature: whoever can write the database can give one category another's name. "
        "The upgrade signs them and raises the format, so that this is found. It is "
        "recorded in the audit log, and nothing in the cases changes.",
    )


class UpgradeBox(QGroupBox):
    """Shown while the vault waits for its upgrade (issue 20), or, to a coordinator, while
    cases keep sealed copies from before the listing (issue 17) or the vault waits for the
    step to format 4 (its settings signed): what it does, and for a coordinator the button
    that runs it on the worker."""

    def __init__(self, ctx: AppContext, done: Callable[[], None]) -> None:
        super().__init__(tr("Boksen skal opgraderes", "The vault must be upgraded"))
        self.setObjectName("upgradeBox")
        self.ctx, self.done = ctx, done
        coordinator = ctx.session.member.role is Role.COORDINATOR
        self.schema_text = (
            tr(
                "Boksen er lavet af en tidligere version, som gemte sagernes status, kategori, "
                "kilde, datoer og ansvarlige i klare kolonner ved siden af den forseglede "
                "kopi. Opgraderingen fjerner dem, så den, der kan læse databasen, ikke kan "
                "læse dem. Indtil da kan der ikke oprettes sager, og statistikken venter.",
                "The vault was made by an earlier version, which kept the cases' status, "
                "category, source, dates and lead in clear columns beside the sealed copy. "
                "The upgrade removes them, so that whoever can read the database cannot read "
                "them. Until then no case can be opened and the statistics wait.",
            )
            + " "
            + (
                tr(
                    "Den tager få sekunder og skrives i revisionsloggen.",
                    "It takes a few seconds and is recorded in the audit log.",
                )
                if coordinator
                else tr(
                    "En koordinator skal opgradere boksen.",
                    "A coordinator must upgrade the vault.",
                )
            )
        )
        self.text = QLabel(self.schema_text)
        self.text.setObjectName("upgradeText")
        self.text.setWordWrap(True)
        #: The schema's old form waits (no backup can be made before the upgrade).
        self.old_form = False
        #: The step to format 4 as last shown: its values go into the question's details,
        #: and the run signs them only if they are still what was shown.
        self.step: PendingStep | None = None
        self.button_text = tr("Opgradér boksen …", "Upgrade the vault …")
        self.button = QPushButton(self.button_text)
        self.button.setObjectName("upgradeVault")
        hide_unless(coordinator, self.button)
        self.button.clicked.connect(self.ask)
        box = QVBoxLayout(self)
        box.addWidget(self.text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        box.addLayout(row)
        self.setVisible(False)

    def show_for(self, overview: Overview) -> None:
        """Shown for the schema's upgrade first; else for cases sealed without the listing;
        else for the step to format 4, which any run also takes (said in each case)."""
        self.old_form = overview.upgrade_due
        step = self.step = overview.format_step
        only_signing = not (overview.upgrade_due or overview.unlisted) and (
            step is not None and step.root_login is not None
        )
        self.button_text = (
            tr("Underskriv indstillingerne …", "Sign the settings …")
            if only_signing
            else tr("Opgradér boksen …", "Upgrade the vault …")
        )
        self.button.setText(self.button_text)
        if overview.upgrade_due:
            self.setTitle(tr("Boksen skal opgraderes", "The vault must be upgraded"))
            self.text.setText(self.schema_text)
        elif overview.unlisted:
            self.setTitle(tr("Boksen bør opgraderes", "The vault should be upgraded"))
            n = overview.unlisted
            self.text.setText(
                tr(
                    f"{n} {'sag har' if n == 1 else 'sager har'} en forseglet kopi fra en "
                    "tidligere version, uden personens navn og CPR-nummer. Opgraderingen "
                    "lægger navn og CPR-nummer ind i den forseglede kopi: sagslisten åbnes "
                    "hurtigere, og en ældre udgave af personen, skrevet tilbage uden om "
                    "programmet, opdages, når sagen åbnes. Den skrives i revisionsloggen, og "
                    "intet andet i sagerne ændres.",
                    f"{n} {'case has' if n == 1 else 'cases have'} a sealed copy from an "
                    "earlier version, without the person's name and CPR number. The upgrade "
                    "adds the name and CPR number to the sealed copy: the case list opens "
                    "faster, and an older version of the person, written back outside the "
                    "program, is found when the case is opened. It is recorded in the audit "
                    "log, and nothing else in the cases changes.",
                )
            )
        elif step is not None:
            self.setTitle(tr("Boksen bør opgraderes", "The vault should be upgraded"))
        if step is not None:
            shown = self.text.text() if overview.upgrade_due or overview.unlisted else ""
            self.text.setText(f"{shown}\n\n{format_step_text(step)}".strip())
        self.setVisible(
            overview.upgrade_due or overview.unlisted > 0 or overview.format_step is not None
        )

    def ask(self) -> None:
        question = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Opgradér boksen", "Upgrade the vault"),
            (
                tr(
                    "Opgradér boksen nu? En sikkerhedskopi kan først laves bagefter: vil I kunne "
                    "gå tilbage, så kopiér boksens fil (eller få serverens administrator til at "
                    "kopiere databasen) først. Andre arbejdsstationer kan arbejde videre "
                    "bagefter uden at gøre noget.",
                    "Upgrade the vault now? A backup can only be made afterwards: to be able to "
                    "go back, copy the vault's file (or have the server's administrator copy "
                    "the database) first. Other workstations can go on working afterwards "
                    "without doing anything.",
                )
                if self.old_form
                else tr(
                    "Opgradér boksen nu? Tag gerne en sikkerhedskopi først. Andre "
                    "arbejdsstationer kan arbejde videre bagefter uden at gøre noget.",
                    "Upgrade the vault now? Consider a backup first. Other workstations can "
                    "go on working afterwards without doing anything.",
                )
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        question.setObjectName("upgradeQuestion")
        question.setDefaultButton(QMessageBox.StandardButton.No)
        # No step shown: nothing may be signed ({}), whatever a writer adds meanwhile.
        shown = self.step.shown() if self.step is not None else {}
        if self.step is not None and self.step.values:
            question.setInformativeText(
                tr(
                    "Se under Vis detaljer, hvad der underskrives: det, der står dér, er det, "
                    "der underskrives.",
                    "See Show Details for what is signed: what it shows is what is signed.",
                )
            )
            question.setDetailedText(tr(*shown_values(self.step)))
        yes = question.button(QMessageBox.StandardButton.Yes)
        question.buttonClicked.connect(lambda button: self.run(shown) if button == yes else None)
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.open()

    def run(self, shown: dict[str, str] | None = None) -> None:
        """Run the upgrade on the worker; the step signs only the values shown (``shown``,
        from the question; else those on the page): a value changed in the database
        meanwhile is refused, and the page loads it again."""
        self.button.setEnabled(False)
        self.button.setText(tr("Opgraderer …", "Upgrading …"))
        if shown is None:
            shown = self.step.shown() if self.step is not None else {}
        self.ctx.run(lambda s: upgrade_vault(s, shown=shown), self._finished, self, self._failed)

    def _finished(self, report: UpgradeReport) -> None:
        self.setVisible(False)
        self.button.setEnabled(True)
        self.button.setText(self.button_text)
        done = QMessageBox(
            QMessageBox.Icon.Information,
            tr("Opgradér boksen", "Upgrade the vault"),
            "\n\n".join(tr(da, en) for da, en in upgrade_summary(report)),
            QMessageBox.StandardButton.Ok,
            self.ctx.window,
        )
        done.setObjectName("upgradeDone")
        done.open()
        self.done()

    def _failed(self, error: InfohusError) -> None:
        self.button.setEnabled(True)
        self.button.setText(self.button_text)
        show_error(self, error)
        if isinstance(error, Conflict):
            self.done()  # the values changed after they were shown: show them anew
