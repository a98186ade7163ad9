"""The practice adds its own note template from the app, and a note can use it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from mhsw_desktop.ui.template_dialog import TemplateDialog, key_for
from tests.ui.test_accessibility import unnamed


def test_key_for_makes_unique_keys():
    assert key_for("Family session", set()) == "family_session"
    assert key_for("Family session", {"family_session"}) == "family_session_2"
    assert key_for("2nd visit", set()) == "t_2nd_visit"


def test_a_new_template_from_soap_is_saved_and_usable(qtbot, runner, vault_factory):
    from mhsw_desktop.services import notes, templates
    from mhsw_desktop.services.clients import add_client
    from tests.ui.conftest import sample_client

    vault, _recovery = vault_factory()
    runner.vault = vault
    dialog = TemplateDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.start_from.count() > 5)
    assert unnamed(dialog) == []
    dialog.name.setText("Family session")
    dialog.start_from.setCurrentIndex(dialog.start_from.findData("soap"))
    assert dialog.sections.rowCount() == 4
    dialog.remove_section.click()  # the current row: the last one added (Plan)
    dialog.add_section.click()
    row = dialog.sections.rowCount() - 1
    dialog.sections.item(row, 0).setText("Who was present and roles")
    dialog.sections.item(row, 2).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save_button.click()
    assert saved.args == ["family_session"]
    assert dialog.error.text() == ""

    with vault.unit_of_work() as session:
        made = templates.get_template(session, "family_session")
        assert [s.title for s in made.sections] == [
            "Subjective", "Objective", "Assessment", "Who was present and roles",
        ]  # fmt: skip
        assert made.sections[-1].required and not made.builtin
        client = add_client(session, sample_client())
        note_id = notes.create_draft(
            session,
            notes.NoteInput(client, date.today(), "family_session", {"subjective": "x"}),
        )
        assert notes.get_note(session, note_id).template.name == "Family session"


def test_a_nameless_or_empty_template_is_refused_with_a_message(qtbot, runner, vault_factory):
    vault, _recovery = vault_factory()
    runner.vault = vault
    dialog = TemplateDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.start_from.count() > 5)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10_000)
    assert "name" in dialog.error.text() and "section" in dialog.error.text()
