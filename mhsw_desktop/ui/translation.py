"""Installs the interface's translations (Qt's own and the app's) for the system language."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from mhsw_desktop.resources import resources_dir

log = logging.getLogger(__name__)

#: The language the source strings are written in: it needs no translation file.
SOURCE_LANGUAGE = "en"

#: The app's translations are ``<APP_PREFIX>_<language>.qm`` in ``translations_dir()``.
APP_PREFIX = "mhsw"

#: the QTranslators installed by ``install_translators``; Qt keeps only a pointer, so the
#: Python objects are held here for as long as they are installed.
_installed: list[QTranslator] = []
#: the language of the installed app translation (None: the interface is as written)
_language: str | None = None


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for lupdate under ``context`` and return it unchanged: for tables
    built at import, translated where shown with ``QCoreApplication.translate(context, …)``
    (PySide6's own is typed as returning ``object``)."""
    return text


def interface_locale() -> QLocale:
    """The locale the interface is shown in, for the names of days and months in its
    sentences: the installed translation's language, else C (English, as written)."""
    return QLocale.c() if _language is None else QLocale(_language)


def translations_dir() -> Path:
    """``resources/translations/``: the app's ``.ts`` sources and built ``.qm`` files."""
    return resources_dir() / "translations"


def qt_translations_dir() -> Path:
    """Where Qt's own translations (``qtbase_xx.qm``: OK, Cancel, context menus) are."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def find_translation(folder: Path, prefix: str, locale: QLocale) -> Path | None:
    """The ``prefix_xx.qm`` in ``folder`` for the first of the locale's UI languages.

    Languages are tried in the user's order of preference, each from the most specific
    (``pt_BR``) to the least (``pt``). English, the source language, ends the search:
    someone who prefers English before Spanish gets the interface as written.
    """
    for tag in locale.uiLanguages():
        parts = tag.replace("-", "_").split("_")
        if parts[0].lower() in {SOURCE_LANGUAGE, "c"}:
            return None
        for end in range(len(parts), 0, -1):
            candidate = folder / f"{prefix}_{'_'.join(parts[:end])}.qm"
            if candidate.is_file():
                return candidate
    return None


def install_translators(
    app: QCoreApplication,
    locale: QLocale | None = None,
    *,
    folder: Path | None = None,
    qt_folder: Path | None = None,
) -> list[QTranslator]:
    """Install Qt's and the app's translations for ``locale`` (the system's by default).

    Replaces any installed earlier by this function; returns the translators installed
    (none for English, or for a language with no translation yet). ``folder`` and
    ``qt_folder`` point elsewhere than ``translations_dir()`` and Qt's own folder, for
    tests. Nothing is stored: the choice follows the system language at each start.
    """
    global _language
    remove_translators(app)
    locale = QLocale.system() if locale is None else locale
    wanted = (
        (qt_translations_dir() if qt_folder is None else qt_folder, "qtbase"),
        (translations_dir() if folder is None else folder, APP_PREFIX),
    )
    for where, prefix in wanted:
        path = find_translation(where, prefix, locale)
        if path is None:
            continue
        translator = QTranslator()
        if not translator.load(str(path)):
            log.warning("could not load the translation %s", path.name)
            continue
        if not app.installTranslator(translator):
            log.warning("could not install the translation %s", path.name)
            continue
        _installed.append(translator)
        if prefix == APP_PREFIX:
            _language = path.stem.removeprefix(f"{APP_PREFIX}_")
    return list(_installed)


def remove_translators(app: QCoreApplication) -> None:
    """Uninstall what ``install_translators`` installed: the interface reads as written."""
    global _language
    _language = None
    while _installed:
        translator = _installed.pop()
        app.removeTranslator(translator)
