"""What the window shows when the vocabulary was changed outside the program: the
coordinator's editors open on the shipped lists with the reason in red, so that the
coordinator can set them again there (nobody else can); and the start page of a vault of an
earlier format offers the root coordinator the step to format 4."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.cases import DEFAULT_CATEGORIES
from infohus_desktop.domain.referrals import DEFAULT_FORM
from infohus_desktop.domain.retention import DEFAULT_RULES
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.referral_form_config import ReferralFormConfigDialog
from infohus_desktop.ui.dialogs.retention.rules import RulesDialog
from infohus_desktop.ui.views.administration.view import AdministrationView
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.conftest import District
from tests.integration.test_retention import RULES
from tests.integration.test_signed_vocabulary import (
    CATEGORIES,
    _as_format_3,
    _store,
    _stored,
    _swap_labels,
    relabel_consent,
)
from tests.ui.test_meetings_helpers import settle, visible_dialog

MakeCtx = Callable[[MemberServices], AppContext]
_KEPT: list[WorkArea] = []


def _area(qtbot: QtBot, make_ctx: MakeCtx, session: MemberServices, name: str) -> object:
    area = WorkArea(make_ctx(session))
    _KEPT[:] = [area]
    qtbot.addWidget(area)
    area.resize(1440, 900)
    area.show()
    view = area.show_area(name)
    settle(qtbot, view.ctx)  # type: ignore[attr-defined]
    return view


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def _tamper_categories_and_rules(district: District, lars: MemberServices) -> None:
    lars.case_settings.set_categories(CATEGORIES)
    lars.retention.rules.set(RULES, district.approval())
    categories = _stored(district, "case.categories")
    assert isinstance(categories, dict)
    _store(district, "case.categories", {**categories, "value": _swap_labels(categories["value"])})
    rules = _stored(district, "retention.rules")
    assert isinstance(rules, dict)
    rules["rules"]["audit_months"] = 120
    _store(district, "retention.rules", rules)


def test_the_settings_tab_shows_the_shipped_lists_says_why_and_sets_them_again(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    _tamper_categories_and_rules(district, district.coordinator)
    lars = district.unlock("lars")
    view = _area(qtbot, make_ctx, lars, "administration")
    assert isinstance(view, AdministrationView)
    view.tabs.setCurrentWidget(view.settings)
    settings = view.settings
    qtbot.waitUntil(lambda: settings.categories_warning.isVisible(), timeout=20000)
    assert settings.categories_warning.text().startswith(
        "Sagskategorierne er ændret uden om programmet: sagerne viser deres koder"
    )
    assert "Administration → Indstillinger" not in settings.categories_warning.text()
    assert "Infohusets egne kategorier er ikke med" in settings.categories_warning.text()
    assert not settings.indicators_warning.isVisible()
    shown = [settings.categories.item(r, 0).text() for r in range(settings.categories.rowCount())]
    assert shown == list(DEFAULT_CATEGORIES)
    _shot(view, "settings-tampered-categories-da.png")

    settings.rules_button.click()
    rules = visible_dialog(qtbot, view, RulesDialog)
    assert isinstance(rules, RulesDialog)
    assert rules.error.isVisible() and "Slettereglerne er ændret" in rules.error.text()
    assert rules.audit.value() == DEFAULT_RULES.audit_months != 120  # the shipped rules
    _shot(rules, "rules-tampered-da.png")
    rules.ok_button.click()
    # Nothing to compare with: setting them again needs the second person (review).
    assert rules.approval.isVisible() and "ændret uden om programmet" in rules.approval.why.text()
    approval = district.approval()
    rules.approval.login.setText(approval.login)
    rules.approval.secret.setText(approval.passphrase)
    rules.ok_button.click()
    qtbot.waitUntil(lambda: not lars.retention.rules.for_editing()[1], timeout=20000)
    assert lars.retention.rules.get().configured

    settings.save_categories.click()
    qtbot.waitUntil(lambda: not settings.categories_warning.isVisible(), timeout=20000)
    assert lars.case_settings.categories() == DEFAULT_CATEGORIES


def test_the_form_editor_opens_on_the_shipped_form_and_saves_it_signed(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    lars.referrals.settings.rename("person_consent", "Personen samtykker")
    relabel_consent(district)
    ctx = make_ctx(district.unlock("lars"))
    dialog = ReferralFormConfigDialog(ctx, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=20000)
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Henvisningsformularen er ændret uden om programmet,")
    assert [f.key for f in dialog.fields] == [f.key for f in DEFAULT_FORM.fields]
    _shot(dialog, "referral-form-tampered-da.png")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    assert district.unlock("lars").referrals.form() == DEFAULT_FORM


def _question(qtbot: QtBot, box: object) -> QMessageBox:
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    found: list[QMessageBox] = []

    def shown() -> bool:
        asked = box.findChildren(QMessageBox, "upgradeQuestion")  # type: ignore[attr-defined]
        found[:] = [q for q in asked if q.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=5000)
    return found[0]


def test_the_root_is_offered_the_step_to_format_4_and_takes_it(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    _as_format_3(district, district.coordinator, {"case.categories": CATEGORIES})
    lars = district.unlock("lars")
    view = _area(qtbot, make_ctx, lars, "overview")
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)  # type: ignore[attr-defined]
    box = view.upgrade  # type: ignore[attr-defined]
    assert box.isVisible() and box.button.isVisible()
    assert box.title() == "Boksen bør opgraderes"
    assert box.text.text().startswith("Boksen er i et ældre format")
    _shot(view, "overview-format-step-da.png")

    # The question shows, under its details, what will be signed.
    question = _question(qtbot, box)
    assert "Online radikalisering" in question.detailedText()
    assert question.detailedText().startswith("Sagskategorierne (sha256:")
    assert "det, der står dér, er det, der underskrives" in question.informativeText()
    _shot(question, "overview-format-step-question-da.png")
    # Meanwhile someone with the database swaps two labels: "Ja" signs nothing.
    _store(district, "case.categories", _swap_labels(CATEGORIES))
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    error = visible_dialog(qtbot, box, QMessageBox)
    assert "ændret, siden de blev vist" in error.text()  # type: ignore[attr-defined]
    error.close()  # type: ignore[attr-defined]
    assert lars.vault.format_version == 3
    settle(qtbot, view.ctx)  # type: ignore[attr-defined]
    # Shown again, with the labels as they now are; this time "Ja" signs them.
    question = _question(qtbot, box)
    right_wing = question.detailedText().index('"hoejreekstremisme"')
    assert question.detailedText()[right_wing:].split("]")[0].count("Venstreekstremisme") == 1
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=20000)
    assert lars.vault.format_version == 4
    assert district.unlock("lars").vault.format_version == 4
    # The window says what the upgrade did, in the command line's words.
    done = view.ctx.window.findChild(QMessageBox, "upgradeDone")  # type: ignore[attr-defined]
    assert done is not None and done.isVisible()
    assert done.text().startswith("Boksen er nu i format 4")
    assert (
        "1 indstilling fra en tidligere version (sagskategorierne) er underskrevet" in done.text()
    )
    _shot(done, "overview-format-step-done-da.png")
    done.close()


def test_another_coordinator_is_offered_to_sign_and_told_who_finishes(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.domain.organisations import Role

    district.enrol("dorte", "Dorte Dal", "Aarhus Kommune", Role.COORDINATOR)
    _as_format_3(district, district.coordinator, {"case.categories": CATEGORIES})
    view = _area(qtbot, make_ctx, district.unlock("dorte"), "overview")
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)  # type: ignore[attr-defined]
    box = view.upgrade  # type: ignore[attr-defined]
    assert box.isVisible() and box.button.text() == "Underskriv indstillingerne …"
    assert "sagskategorierne er gemt af en tidligere version" in box.text.text()
    assert "rodkoordinatoren (lars)" in box.text.text()
    box.run()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=20000)
    done = view.ctx.window.findChild(QMessageBox, "upgradeDone")  # type: ignore[attr-defined]
    assert done is not None and "når rodkoordinatoren (lars) opgraderer boksen" in done.text()
    done.close()


def test_tampered_indicators_are_set_again_with_the_programs_own_from_the_window(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.domain.assessment import DEFAULT_INDICATORS

    lars = district.coordinator
    lars.case_settings.set_indicators(
        [
            {
                "code": "fritidsjob",
                "part": "trivsel_modstandskraft",
                "group": "beskyttende faktorer",
                "label_da": "Har et fritidsjob",
                "label_en": "Has a part-time job",
            }
        ]
    )
    stored = _stored(district, "case.indicators")
    assert isinstance(stored, dict)
    stored["value"][0]["label_da"] = "Har ingen venner"
    _store(district, "case.indicators", stored)
    view = _area(qtbot, make_ctx, district.unlock("lars"), "administration")
    assert isinstance(view, AdministrationView)
    view.tabs.setCurrentWidget(view.settings)
    settings = view.settings
    qtbot.waitUntil(lambda: settings.indicators_warning.isVisible(), timeout=20000)
    assert "ingen vurdering" in settings.indicators_warning.text()
    assert settings.indicator_count.text() == (
        f"Programmets egen liste har {len(DEFAULT_INDICATORS)} indikatorer."
    )
    assert settings.shipped_indicators.isVisible()
    _shot(view, "settings-tampered-indicators-da.png")
    settings.shipped_indicators.click()
    qtbot.waitUntil(lambda: not settings.indicators_warning.isVisible(), timeout=20000)
    assert not settings.shipped_indicators.isVisible()
    assert lars.case_settings.indicators() == DEFAULT_INDICATORS


def test_the_start_page_names_changed_settings_and_still_loads(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    _tamper_categories_and_rules(district, district.coordinator)
    view = _area(qtbot, make_ctx, district.unlock("lars"), "overview")
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)  # type: ignore[attr-defined]
    problems = view.problems  # type: ignore[attr-defined]
    assert problems.isVisible()
    lines = problems.text().splitlines()
    assert [line.split(" ")[0] for line in lines] == ["Sagskategorierne", "Slettereglerne"]
    assert "(Til sletning → Sletteregler)" in lines[1]
    assert view.status.text() == ""  # type: ignore[attr-defined]  # loaded, not failed
    _shot(view, "overview-settings-problems-da.png")
