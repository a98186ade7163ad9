"""The interface's strings are marked for Qt's translation system, and a translation shows."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "mhsw_desktop" / "ui"


def _load_checker():
    spec = importlib.util.spec_from_file_location(
        "check_translatable", ROOT / "scripts" / "check_translatable.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


@pytest.mark.parametrize("name", sorted(p.name for p in UI.glob("*.py")))
def test_display_strings_are_marked_for_translation(name):
    findings = checker.check_file(UI / name)
    assert not findings, "\n".join(str(f) for f in findings)


@pytest.mark.parametrize(
    ("source", "count"),
    [
        ('label.setText("Save")', 1),
        ('label.setText(self.tr("Save"))', 0),
        ('label.setText(self.tr("{n} notes").format(n=n))', 0),
        ('label.setText(f"{n} notes")', 1),
        ('label.setText(self.tr(f"{n} notes"))', 1),
        ('label.setText("…")', 0),
        ('label.setText("")', 0),
        ('label.setText("{}")', 0),
        ('label.setText("%1")', 0),
        ('label.setText(name + " — not enough")', 1),
        ('label.setText(a if b else "Never")', 1),
        ('QLabel("&Name:", self)', 1),
        ('QLabel(QCoreApplication.translate("Ctx", "&Name:"), self)', 0),
        ('QAction(icon, "&Open", self)', 1),
        ('combo.addItem("Weekly", "weekly")', 1),
        ('combo.addItem(label, "weekly")', 0),
        ('form.addRow("Strength:", meter)', 1),
        ("form.addRow(label, meter)", 0),
        ('tabs.addTab(page, "Time&line")', 1),
        ('table.setHorizontalHeaderLabels(["Date", "Who"])', 2),
        ('QMessageBox.warning(self, "Title", "Text")', 2),
        ('QMessageBox.warning(self, self.tr("Title"), self.tr("Text"))', 0),
        ('QFileDialog.getSaveFileName(self, "Save", "", "PDF files (*.pdf)")', 2),
        ('QFileDialog.getSaveFileName(self, self.tr("Save"), "", "(*.pdf)")', 0),
        ('QPushButton("&Go", toolTip="Go there")', 2),
        ('widget.setObjectName("client-list")', 0),
        ('X = (QT_TRANSLATE_NOOP("Ctx", "Name"),)', 0),
        ('self.tr("%n notes", "", n)', 0),
        ('self.tr("%n notes", n=n)', 1),
        ('QCoreApplication.translate("Ctx", "Name", disambiguation="x")', 1),
        ('QCoreApplication.translate("Ctx", "%n notes", "", n)', 1),
    ],
)
def test_checker_cases(source, count):
    assert len(checker.check_source(source)) == count, checker.check_source(source)


# -- the translation round trip: lupdate finds the strings, a Spanish .qm shows ------------

LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"
LRELEASE = Path(sys.executable).parent / "pyside6-lrelease"

#: (context, source) -> Spanish; a tuple of forms for a plural (%n) message
SPANISH = {
    ("LockedPane", "The vault is locked"): "La bóveda está cerrada",
    ("LockedPane", "&Unlock…"): "&Desbloquear…",
    ("TaskDialog", "Add task"): "Añadir tarea",
    ("SignDialog", "Sign note"): "Firmar nota",
    ("_PassphraseDialog", "Your passphrase"): "Su frase de contraseña",
    ("OptionalDateEdit", "Not set"): "Sin fecha",
    ("Widgets", "Cancel"): "Cancelar",
    ("Columns", "Client"): "Cliente",
    ("ReleaseStatusText", "Expired %n days ago"): ("Venció hace %n día", "Venció hace %n días"),
}


def _run(*command: object) -> None:
    import subprocess

    subprocess.run([str(c) for c in command], cwd=ROOT, check=True, capture_output=True)


def _translate_ts(ts: Path) -> set[tuple[str, str]]:
    """Fill in :data:`SPANISH` in ``ts``; returns every (context, source) it holds."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts)  # noqa: S314 (lupdate just wrote it, in tmp_path)
    found = set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            found.add((name, source))
            spanish = SPANISH.get((name, source))
            translation = message.find("translation")
            if spanish is None or translation is None:
                continue
            translation.attrib.pop("type", None)
            if isinstance(spanish, tuple):
                assert message.get("numerus") == "yes", f"{source!r} is not a plural"
                for form, text in zip(translation.findall("numerusform"), spanish, strict=True):
                    form.text = text
            else:
                translation.text = spanish
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return found


@pytest.fixture
def spanish(qapp, tmp_path):
    """The ui package's strings extracted, a few translated, built and installed as Spanish
    (with Qt's own Spanish); uninstalled afterwards so no other test sees it."""
    if not LUPDATE.is_file() or not LRELEASE.is_file():
        pytest.skip(f"pyside6-lupdate or pyside6-lrelease not found beside {sys.executable}")
    from PySide6.QtCore import QLocale

    from mhsw_desktop.ui.translation import install_translators, remove_translators

    ts = tmp_path / "mhsw_es.ts"
    sources = sorted(str(p.relative_to(ROOT)) for p in UI.glob("*.py"))
    _run(LUPDATE, *sources, "-no-obsolete", "-target-language", "es", "-ts", ts)
    found = _translate_ts(ts)
    _run(LRELEASE, ts, "-qm", tmp_path / "mhsw_es.qm")
    installed = install_translators(qapp, QLocale("es_MX"), folder=tmp_path)
    assert len(installed) == 2  # Qt's and the app's
    yield found
    remove_translators(qapp)


def test_lupdate_finds_the_strings_and_a_translation_shows(spanish, qtbot, runner):
    from PySide6.QtCore import QLocale, Qt
    from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

    from mhsw_desktop.domain.care_team import ReleaseStatus
    from mhsw_desktop.ui.date_edit import OptionalDateEdit
    from mhsw_desktop.ui.locked_pane import LockedPane
    from mhsw_desktop.ui.record_model import RecordTableModel
    from mhsw_desktop.ui.release_status_text import status_words
    from mhsw_desktop.ui.sign_dialogs import SignDialog
    from mhsw_desktop.ui.task_dialog import TaskDialog
    from mhsw_desktop.ui.translation import interface_locale

    assert set(SPANISH) <= spanish, set(SPANISH) - spanish
    # marked in module-level tables and plain functions too
    assert {("Columns", "Status"), ("TimelineModel", "Signed notes"),
            ("Backups", "Making a backup…"), ("Confirm", "&Keep")} <= spanish  # fmt: skip

    pane = LockedPane()
    qtbot.addWidget(pane)
    assert "La bóveda está cerrada" in [label.text() for label in pane.findChildren(QLabel)]
    assert pane.findChild(QPushButton).text() == "&Desbloquear…"

    task = TaskDialog(runner)
    qtbot.addWidget(task)
    assert task.windowTitle() == "Añadir tarea"
    cancel = task.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "Cancelar"  # Qt's own translation
    assert cancel.accessibleName() == "Cancelar"  # the app's

    # translated before the base dialog's __init__ ran, and in the base class's context
    sign = SignDialog(runner)
    qtbot.addWidget(sign)
    assert sign.windowTitle() == "Firmar nota"
    assert sign.passphrase.accessibleName() == "Su frase de contraseña"

    assert OptionalDateEdit().specialValueText() == "Sin fecha"
    model = RecordTableModel([("Client", str)])
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Cliente"
    assert status_words(ReleaseStatus.EXPIRED, -3) == "Venció hace 3 días"
    assert status_words(ReleaseStatus.EXPIRED, -1) == "Expired yesterday"  # not translated
    assert interface_locale().language() == QLocale.Language.Spanish


def test_without_a_translation_the_interface_reads_as_written(qapp, qtbot, tmp_path):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QPushButton

    from mhsw_desktop.domain.care_team import ReleaseStatus
    from mhsw_desktop.ui.locked_pane import LockedPane
    from mhsw_desktop.ui.release_status_text import status_words
    from mhsw_desktop.ui.translation import (
        install_translators,
        interface_locale,
        remove_translators,
    )

    # English is the source; a language with no file here installs nothing of the app's
    assert install_translators(qapp, QLocale("en_GB"), folder=tmp_path) == []
    assert install_translators(qapp, QLocale("de"), folder=tmp_path, qt_folder=tmp_path) == []
    remove_translators(qapp)
    pane = LockedPane()
    qtbot.addWidget(pane)
    assert pane.findChild(QPushButton).text() == "&Unlock…"
    assert status_words(ReleaseStatus.EXPIRED, -3) == "Expired 3 days ago"
    assert status_words(ReleaseStatus.EXPIRING, 12) == "Expiring in 12 days"
    assert interface_locale() == QLocale.c()


def test_the_preferred_language_is_found_and_english_ends_the_search(tmp_path):
    from PySide6.QtCore import QLocale

    from mhsw_desktop.ui.translation import find_translation

    (tmp_path / "mhsw_es.qm").write_bytes(b"")
    (tmp_path / "mhsw_pt_BR.qm").write_bytes(b"")
    assert find_translation(tmp_path, "mhsw", QLocale("es_MX")) == tmp_path / "mhsw_es.qm"
    assert find_translation(tmp_path, "mhsw", QLocale("pt_BR")) == tmp_path / "mhsw_pt_BR.qm"
    assert find_translation(tmp_path, "mhsw", QLocale("fr_FR")) is None
    assert find_translation(tmp_path, "mhsw", QLocale("en_US")) is None
