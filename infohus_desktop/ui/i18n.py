"""Danish and English in the window.

The UI keeps each text as a Danish/English pair at the place it is used, ``tr("Sager",
"Cases")``, the same pattern as the domain's error messages and the CLI's ``t()``. We chose
this over Qt Linguist ``.ts``/``.qm`` files: a missing translation cannot happen (both halves
are written together and reviewed in one diff), there is no build step that CI could skip, and
switching language at run time is rebuilding the widgets. Qt's own standard dialogs (buttons
of message boxes, file dialogs) are translated with the ``qt_da.qm`` that PySide6 ships.

Dates are shown as ``22.11.2026`` and times as ``14.30`` in both languages: the users are
Danish public servants whose documents use that form.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from infohus_desktop.domain.danish_time import COPENHAGEN

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

LANGUAGES = ("da", "en")
_state = {"lang": "da"}
_translator: list[QTranslator] = []


def language() -> str:
    return _state["lang"]


def tr(da: str, en: str) -> str:
    """The text in the current UI language."""
    return en if _state["lang"] == "en" else da


def set_language(lang: str, window: QWidget | None = None) -> None:
    """Switch the language of texts, of expected-error messages and of Qt's dialogs. Widgets
    already built keep their texts: the shell rebuilds them. ``window``, made before the
    language was set with the system's locale (C on many machines), takes the language's
    locale, and its widgets with it: a Danish window's month pickers said "January"."""
    lang = "en" if lang.lower().startswith("en") else "da"
    _state["lang"] = lang
    # The domain's messages (InfohusError.message()) follow the same setting.
    os.environ["INFOHUS_LANG"] = lang
    QLocale.setDefault(
        QLocale(
            QLocale.Language.Danish if lang == "da" else QLocale.Language.English,
            QLocale.Country.Denmark,
        )
    )
    if window is not None:
        window.setLocale(QLocale())
    _install_qt_translator(lang)


def _install_qt_translator(lang: str) -> None:
    app = QCoreApplication.instance()
    if app is None:
        return
    for old in _translator:
        app.removeTranslator(old)
    _translator.clear()
    if lang != "da":
        return
    # Qt's own words (Ja/Nej, Annuller, Vis detaljer …, a file dialog's) are in qtbase_da;
    # the app's own Cancel buttons say Annuller as Qt's do.
    # The catalog qt_da only names the module catalogs, and does not load when one of them
    # is missing, as in PySide6's wheels: the Danish window's buttons said Yes and No.
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_da", path) or translator.load("qt_da", path):
        app.installTranslator(translator)
        _translator.append(translator)
    # The few texts of Qt's file dialog that qtbase_da has only in an older form (without
    # the shortcut mark Qt now asks for): "Look in:", "Files of type:" and the type Folder
    # stood in English beside "Filnavn:" (window trial). Installed last: asked first.
    from infohus_desktop.resources import resource_path

    gaps = QTranslator(app)
    if gaps.load(str(resource_path("translations", "qt_gaps_da.qm"))):
        app.installTranslator(gaps)
        _translator.append(gaps)


def fmt_count(value: int) -> str:
    """A whole number with thousands grouped as the language writes it: 39.205 / 39,205."""
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if language() == "da" else grouped


def fmt_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    """A moment in Danish time, as the audit log, meetings and backups show theirs: not the
    machine's zone, which on a server-set or travelling laptop put an unlock an hour off
    the log line that records it."""
    if value is None:
        return ""
    local = value.astimezone(COPENHAGEN) if value.tzinfo else value
    return local.strftime("%d.%m.%Y %H.%M")
