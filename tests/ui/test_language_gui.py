"""Client languages in the app: the client form's three fields, the preview's Language
choice, and the Documents menu of client documents."""

from __future__ import annotations

from datetime import date

import pytest

from mhsw_desktop.ui.actions import CLIENT_DOCUMENT_ACTIONS
from mhsw_desktop.ui.client_form import ClientFormDialog
from tests.ui.conftest import sample_client, unlock
from tests.ui.test_reports_gui import text_of, wait_preview


@pytest.fixture
def language_vault(vault_factory):
    """A locked vault: Lucía, who reads Spanish, with a safety plan; Earl, in English."""
    from mhsw_desktop.services import safety_plans as sp
    from mhsw_desktop.services.clients import add_client
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory("languages")
    with vault.unit_of_work() as session:
        lucia = add_client(
            session,
            sample_client("Lucía", "Ramírez", date(1979, 6, 2), preferred_language="es",
                          interpreter_needed=True),
        )  # fmt: skip
        sp.create_safety_plan(session, lucia)
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, {"lucia": lucia, "earl": earl}


def test_the_client_form_keeps_language_interpreter_and_documents(qtbot, runner, vault_factory):
    from mhsw_desktop.services.clients import get_client, list_clients

    vault, _ = vault_factory()
    runner.vault = vault
    form = ClientFormDialog(runner)
    qtbot.addWidget(form)
    form.show()
    form.widgets["legal_first_name"].setText("Lucía")
    form.widgets["legal_last_name"].setText("Ramírez")
    form.widgets["date_of_birth"].set_value(date(1979, 6, 2))
    language = form.widgets["preferred_language"]
    assert language.itemData(0) == "en" and language.findData("es") > 0
    language.setCurrentIndex(language.findData("es"))
    form.widgets["interpreter_needed"].setChecked(True)
    documents = form.widgets["document_language"]
    documents.setCurrentIndex(documents.findData("both"))
    assert form.is_dirty()
    with qtbot.waitSignal(form.saved, timeout=5_000):
        form.save_button.click()
    with vault.session() as s:
        [row] = list_clients(s)
        detail = get_client(s, row.id)
    data = detail.data
    assert (data.preferred_language, data.interpreter_needed, data.document_language) == (
        "es", True, "both",
    )  # fmt: skip
    again = ClientFormDialog(runner, detail)
    qtbot.addWidget(again)
    assert again.widgets["preferred_language"].currentData() == "es"
    assert again.widgets["interpreter_needed"].isChecked()
    assert again.widgets["document_language"].currentData() == "both"
    assert not again.is_dirty()
    assert again.widgets["preferred_language"].accessibleName() == "Preferred language"


def test_the_preview_prints_spanish_by_default_and_english_on_request(
    qtbot, controller, language_vault
):
    folder, passphrase, ids = language_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.show_client(ids["lucia"])
    facts = window.client_view.facts
    qtbot.waitUntil(lambda: "Spanish, interpreter needed" in facts.text())
    window.actions_by_id["print_safety_plan"].trigger()
    dialog = wait_preview(qtbot)
    assert dialog.language_row.isVisibleTo(dialog)
    assert dialog._report.languages == ("es",)
    assert "Mi plan de seguridad" in text_of(dialog._pdf)
    assert dialog.language.currentText() == "As the client's record asks (Spanish)"
    english = dialog.language.findData("en")
    dialog.language.setCurrentIndex(english)
    dialog.language.activated.emit(english)
    qtbot.waitUntil(lambda: dialog._report.languages == ("en",), timeout=10_000)
    assert "My safety plan" in text_of(dialog._pdf)
    assert dialog.language.currentData() == "en"
    dialog.reject()


def test_the_documents_menu_prints_each_client_document(qtbot, controller, language_vault):
    folder, passphrase, ids = language_vault
    window = unlock(qtbot, controller, folder, passphrase)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "Doc&uments" in titles
    menu = window.menuBar().actions()[titles.index("Doc&uments")].menu()
    assert [a.objectName() for a in menu.actions() if not a.isSeparator()] == [
        f"action_{action_id}" for action_id, _kind in CLIENT_DOCUMENT_ACTIONS
    ]
    window.clients.select_id(ids["lucia"])
    for action_id in ("print_phq9_form", "print_treatment_consent_form"):
        action = window.actions_by_id[action_id]
        assert action.isEnabled()
        action.trigger()
        dialog = wait_preview(qtbot)
        assert dialog._report.languages == ("es",)
        assert "—" in dialog.windowTitle() and "Lucía" not in dialog.windowTitle()
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())


def test_the_measures_tab_prints_the_selected_phq9_as_answered(qtbot, controller, language_vault):
    from mhsw_desktop.services.measures import MeasureInput, add_measure

    folder, passphrase, ids = language_vault
    window = unlock(qtbot, controller, folder, passphrase)
    with controller.runner.vault.unit_of_work() as s:
        answers = (1, 2, 1, 0, 2, 1, 0, 1, 0)
        add_measure(s, MeasureInput(ids["lucia"], "phq9", answers, date.today()))
    window.show_client(ids["lucia"])
    pane = window.client_view.measures
    qtbot.waitUntil(lambda: pane.history.rowCount() == 1 and pane.print_form.isEnabled())
    pane.history_table.selectRow(0)
    pane.print_form.click()
    dialog = wait_preview(qtbot)
    assert dialog.request.kind == "phq9-form" and dialog.request.measure_id is not None
    words = text_of(dialog._pdf)
    assert "Cuestionario sobre la salud del paciente-9" in words and "Dakota" not in words
    assert "Puntuación total" in words
    dialog.reject()


def test_with_no_row_selected_the_measures_tab_prints_a_blank_form(
    qtbot, controller, language_vault
):
    """Tab leaves a current row in the history; only a selected one prints as answered."""
    from mhsw_desktop.services.measures import MeasureInput, add_measure

    folder, passphrase, ids = language_vault
    window = unlock(qtbot, controller, folder, passphrase)
    with controller.runner.vault.unit_of_work() as s:
        answers = (1, 2, 1, 0, 2, 1, 0, 1, 0)
        add_measure(s, MeasureInput(ids["lucia"], "phq9", answers, date.today()))
    window.show_client(ids["lucia"])
    pane = window.client_view.measures
    qtbot.waitUntil(lambda: pane.history.rowCount() == 1 and pane.print_form.isEnabled())
    table = pane.history_table
    table.setCurrentIndex(pane.history.index(0, 0))
    table.clearSelection()
    pane.print_form.click()
    dialog = wait_preview(qtbot)
    assert dialog.request.kind == "phq9-form" and dialog.request.measure_id is None
    dialog.reject()


def test_the_next_steps_sheet_is_of_the_note_selected_in_the_timeline(
    qtbot, controller, language_vault
):
    from datetime import timedelta

    from mhsw_desktop.services.notes import NoteInput, create_draft

    folder, passphrase, ids = language_vault
    window = unlock(qtbot, controller, folder, passphrase)
    today = date.today()
    with controller.runner.vault.unit_of_work() as s:
        week_ago = today - timedelta(days=7)
        body = {"note": "Sesión."}
        older = create_draft(
            s, NoteInput(ids["lucia"], week_ago, "free", body, homework="Caminar cada mañana.")
        )
        create_draft(
            s, NoteInput(ids["lucia"], today, "free", body, homework="Llamar a mi hermana.")
        )
    window.show_client(ids["lucia"])
    view = window.client_view
    qtbot.waitUntil(lambda: view.timeline.rowCount() == 2)
    view.table.selectRow(view.timeline.row_of(older))
    assert view.selected_note_id() == older
    window.actions_by_id["print_next_steps"].trigger()
    dialog = wait_preview(qtbot)
    words = text_of(dialog._pdf)
    assert "Caminar cada mañana." in words and "Llamar a mi hermana." not in words
    dialog.reject()
