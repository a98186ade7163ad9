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

#: Files whose strings are not marked yet (skipped); remove a name once it is converted.
PENDING = {
    # being marked by another helper
    "export_dialog.py",
    "measure_form.py",
    "release_dialog.py",
    "practitioner_dialog.py",
    "service_form.py",
    "unlock_dialog.py",
    "restore_wizard.py",
    "wizard.py",
    "search_view.py",
    "import_clients_dialog.py",
    "client_model.py",
    "measure_chart.py",
    "measures_pane.py",
    "controller.py",
    "collaborator_directory.py",
    "resource_directory.py",
    "care_team_pane.py",
    "treatment_plan_pane.py",
    "safety_plan_pane.py",
    # reserved for now
    "client_form.py",
    "report_preview.py",
    "main_window.py",
    "actions.py",
    "note_editor.py",
    "client_view.py",
    # being marked in this change
}


@pytest.mark.parametrize("name", sorted(p.name for p in UI.glob("*.py")))
def test_display_strings_are_marked_for_translation(name):
    if name in PENDING:
        pytest.skip("not marked yet")
    findings = checker.check_file(UI / name)
    assert not findings, "\n".join(str(f) for f in findings)


def test_pending_lists_only_files_that_exist():
    assert {p.name for p in UI.glob("*.py")} >= PENDING


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
