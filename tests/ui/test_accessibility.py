"""Every interactive widget in the main windows and dialogs has an accessible name."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from mhsw_desktop.ui.client_form import ClientFormDialog, DischargeDialog
from mhsw_desktop.ui.main_window import MainWindow
from mhsw_desktop.ui.unlock_dialog import UnlockDialog
from mhsw_desktop.ui.wizard import SetupWizard
from mhsw_desktop.vault.throttle import UnlockThrottle

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE):
            continue
        # pieces Qt builds inside composite widgets (a combo's popup view, a spin box's
        # line edit, scroll bar buttons) carry their parent's name
        parent = widget.parentWidget()
        if isinstance(parent, QComboBox | QAbstractSpinBox | QLineEdit):
            continue
        if widget.objectName().startswith("qt_") or widget.window() is not root.window():
            continue
        if type(widget).__name__ in {"QToolBarExtension", "QCalendarWidget"}:
            continue
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


@pytest.mark.parametrize("wizard_page", [0, 1, 2])
def test_wizard(qtbot, runner, tmp_path, wizard_page):
    wizard = SetupWizard(runner, default_folder=tmp_path / "v")
    qtbot.addWidget(wizard)
    wizard.show()
    assert unnamed(wizard) == []


def test_unlock_dialog(qtbot, runner, tmp_path):
    dialog = UnlockDialog(tmp_path, runner, UnlockThrottle())
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []


def test_main_window(qtbot, runner):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    assert unnamed(window) == []
    assert window.clients.filter.placeholderText() == "Filter clients (Ctrl+F)"


def test_client_form_and_discharge(qtbot, runner):
    import uuid

    form = ClientFormDialog(runner)
    qtbot.addWidget(form)
    form.show()
    assert unnamed(form) == []
    dialog = DischargeDialog(runner, uuid.uuid4())
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []


def test_labels_have_buddies_for_every_form_field(qtbot, runner):
    from PySide6.QtWidgets import QLabel

    form = ClientFormDialog(runner)
    qtbot.addWidget(form)
    buddies = {label.buddy() for label in form.findChildren(QLabel) if label.buddy()}
    assert set(form.widgets.values()) <= buddies


def test_actions_come_from_the_registry(qtbot, runner):
    from PySide6.QtGui import QKeySequence

    from mhsw_desktop.ui.actions import ACTIONS

    window = MainWindow(runner)
    qtbot.addWidget(window)
    assert set(window.actions_by_id) == {spec.id for spec in ACTIONS}
    assert window.actions_by_id["lock"].shortcut() == QKeySequence("Ctrl+L")
    assert window.actions_by_id["new_client"].shortcut() == QKeySequence("Ctrl+N")
    assert window.actions_by_id["quit"].shortcuts() == QKeySequence.keyBindings(
        QKeySequence.StandardKey.Quit
    )


def _templates():
    from mhsw_desktop.services.templates import builtin_templates

    return list(builtin_templates())


def test_note_editor_new_and_expanded(qtbot, runner):
    import uuid

    from mhsw_desktop.ui.note_editor import NoteEditor

    editor = NoteEditor(runner, uuid.uuid4(), "Client", _templates())
    qtbot.addWidget(editor)
    editor.show()
    editor.more.set_expanded(True)
    editor.private.set_expanded(True)
    assert unnamed(editor) == []
    assert editor.section_edits, "the first template's sections are shown"
    required = [e for e in editor.section_edits.values() if "(required)" in e.accessibleName()]
    assert required
    editor.discard()


@pytest.mark.parametrize("name", ["sign", "addendum", "error", "task", "practitioner"])
def test_small_dialogs(qtbot, runner, name):
    import uuid

    from mhsw_desktop.ui.practitioner_dialog import PractitionerDialog
    from mhsw_desktop.ui.sign_dialogs import AddendumDialog, EnteredInErrorDialog, SignDialog
    from mhsw_desktop.ui.task_dialog import TaskDialog

    makers = {
        "sign": lambda: SignDialog(runner),
        "addendum": lambda: AddendumDialog(runner),
        "error": lambda: EnteredInErrorDialog(runner),
        "task": lambda: TaskDialog(runner, (uuid.uuid4(), "Client")),
        "practitioner": lambda: PractitionerDialog(runner),
    }
    dialog = makers[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []
    dialog.discard()


def test_diagnosis_dialog(qtbot, runner):
    import uuid

    from mhsw_desktop.ui.diagnosis_dialog import DiagnosisDialog

    dialog = DiagnosisDialog(runner, uuid.uuid4())
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed(dialog) == []
    dialog.discard()


@pytest.mark.parametrize("view", ["today", "search", "client_view"])
def test_main_views(qtbot, runner, view):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    pane = getattr(window, view)
    window.stack.setCurrentWidget(pane)
    window.banner.show()
    assert unnamed(window) == []
