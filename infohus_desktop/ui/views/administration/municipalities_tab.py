"""Administration → Infohus Kommuner: the municipalities of the district with their case-number
prefix; for coordinators a new one, a new name and a new prefix (for new cases only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QTableWidget, QVBoxLayout, QWidget

from infohus_desktop.domain.organisations import LocalInfohus, Role
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.administration.groups import NewMunicipalityDialog, TextDialog
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.views.administration.common import open_then
from infohus_desktop.ui.widgets.layout import action_button, hide_unless, hint
from infohus_desktop.ui.widgets.tables import fill, selected_data, table

HEADERS = (
    ("Infohus Kommune", "Infohus Kommune"),
    ("Sagspræfiks", "Case prefix"),
    ("Eksempel på sagsnummer", "Example case number"),
)


class MunicipalitiesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("municipalitiesTab")
        self.ctx = ctx
        self.items: list[LocalInfohus] = []
        coordinator = ctx.session.member.role == Role.COORDINATOR
        self.table: QTableWidget = table(
            "municipalityTable", tr("Infohus Kommuner", "Infohus Kommuner"), HEADERS
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.new_button = action_button(
            "newMunicipality", "add", ("&Ny Infohus Kommune …", "&New Infohus Kommune …")
        )
        self.new_button.clicked.connect(self.new_municipality)
        self.rename_button = action_button("renameMunicipality", "edit", ("&Omdøb …", "Re&name …"))
        self.rename_button.clicked.connect(self.rename)
        self.prefix_button = action_button(
            "changePrefix", "edit", ("Skift &præfiks …", "Change &prefix …")
        )
        self.prefix_button.clicked.connect(self.change_prefix)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.prefix_button):
            hide_unless(coordinator, button)
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(
            hint(
                tr(
                    "Hver kommune i politikredsen har sit Infohus Kommune med kommunen og "
                    "politiet. Et nyt præfiks gælder for nye sager; de eksisterende beholder "
                    "deres numre.",
                    "Each municipality of the police district has its Infohus Kommune with the "
                    "municipality and the police. A new prefix applies to new cases; existing "
                    "ones keep their numbers.",
                )
            )
        )
        outer.addLayout(buttons)
        outer.addWidget(self.table, 1)
        self._update_buttons()

    def reload(self) -> None:
        self.ctx.run(lambda s: s.groups.local_infohuse(), self._loaded, self)

    def _loaded(self, items: list[LocalInfohus]) -> None:
        self.items = items
        fill(
            self.table,
            [[i.name, i.case_prefix, f"{i.case_prefix}-{date.today().year}-0001"] for i in items],
            [str(i.id) for i in items],
        )
        self._update_buttons()

    def selected(self) -> LocalInfohus | None:
        wanted = selected_data(self.table)
        return next((i for i in self.items if str(i.id) == wanted), None)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.rename_button.setEnabled(chosen)
        self.prefix_button.setEnabled(chosen)

    def new_municipality(self) -> None:
        dialog = NewMunicipalityDialog(self.ctx, self)
        open_then(dialog, self.reload)

    def rename(self) -> None:
        self._edit(
            lambda item: (
                tr(f"Omdøb {item.name}", f"Rename {item.name}"),
                tr("&Kommunens navn", "&Municipality's name"),
                item.name,
                tr(
                    "Kommunens adgangskreds får samme navn (»… og politiet«).",
                    "The municipality's access group follows (»… og politiet«).",
                ),
            ),
            "name",
        )

    def change_prefix(self) -> None:
        self._edit(
            lambda item: (
                tr(f"Sagspræfiks for {item.name}", f"Case prefix of {item.name}"),
                tr("Nyt &præfiks", "New &prefix"),
                item.case_prefix,
                tr(
                    "1-8 bogstaver (A-Z) eller tal. Kun nye sager får det nye præfiks.",
                    "1-8 letters (A-Z) or digits. Only new cases get the new prefix.",
                ),
            ),
            "prefix",
        )

    def _edit(self, texts: Callable[[LocalInfohus], tuple[str, str, str, str]], what: str) -> None:
        """One value of the chosen Infohus Kommune (``what``: "name" or "prefix")."""
        item = self.selected()
        if item is None:
            return
        ref = str(item.id)
        title, caption, value, explanation = texts(item)
        dialog = TextDialog(
            self.ctx,
            title,
            caption,
            value,
            lambda s, text: s.group_admin.change_municipality(ref, **{what: text}),
            explanation,
            self,
        )
        open_then(dialog, self.reload)
