"""Session notes in the GUI: the client view and timeline, the note editor's autosave and
recovery, signing and addenda, search with highlights, Today, and lock clearing it all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mhsw_desktop.ui.note_editor import NoteEditor
from tests.ui.conftest import unlock


def editors(window):
    return [e for e in window.findChildren(NoteEditor) if e.isVisible()]


def open_new_note(qtbot, window, client_id):
    window.show_client(client_id)
    qtbot.waitUntil(lambda: window.client_view.timeline.rowCount() > 0 or window.runner.idle())
    qtbot.waitUntil(lambda: window.client_view.new_note.isEnabled())
    window.client_view.new_note.click()
    qtbot.waitUntil(lambda: len(editors(window)) == 1)
    return editors(window)[0]


def test_enter_in_client_list_opens_client_view(qtbot, controller, notes_vault):
    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    window.clients.select_id(ids["ana"])
    qtbot.keyClick(window.clients.table, Qt.Key.Key_Return)
    view = window.client_view
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.timeline.rowCount() > 0)
    assert view.name.text() == "González, Ana"
    assert view.important.textFormat() == Qt.TextFormat.PlainText
    assert "<b>not</b>" in view.important.text()
    # lazy: 250 notes, the first batch only until the view scrolls
    assert view.timeline.total() == 250
    assert view.timeline.rowCount() == 100
    view.timeline.fetchMore()
    assert view.timeline.rowCount() == 200
    dates = [view.timeline.row_at(n).session_date for n in range(view.timeline.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert view.diagnoses.rowCount() >= 1
    # filter by kind and date
    view.kind.setCurrentIndex(view.kind.findData("drafts"))
    assert all(view.timeline.row_at(n).signed_at is None for n in range(view.timeline.rowCount()))
    view.kind.setCurrentIndex(0)
    cutoff = date.today() - timedelta(days=30)
    view.date_from.set_value(cutoff)
    rows = [view.timeline.row_at(n) for n in range(view.timeline.rowCount())]
    assert rows and all(r.session_date >= cutoff for r in rows)
    assert "of 250 entries" in view.count.text()
    # Edit details is the form
    from mhsw_desktop.ui.client_form import ClientFormDialog

    view.edit.click()
    qtbot.waitUntil(lambda: window.findChild(ClientFormDialog) is not None)


def test_timeline_model_passes_the_model_tester(qtmodeltester, notes_vault, vault_factory):
    from mhsw_desktop.services.notes import list_notes
    from mhsw_desktop.ui.timeline import TimelineModel
    from mhsw_desktop.vault.vault import Vault

    folder, passphrase, ids = notes_vault
    vault = Vault.open(folder, passphrase)
    try:
        with vault.unit_of_work() as session:
            rows = list_notes(session, ids["ana"], include_in_error=True)
    finally:
        vault.lock()
    # Qt's tester calls fetchMore from its own modelReset handler (before it marks the
    # reset finished), so each filter state gets a fresh model rather than a reset
    for kind in ("all", "signed", "drafts", "in_error"):
        model = TimelineModel()
        model.set_kind(kind, None, None)
        model.set_entries(rows)
        qtmodeltester.check(model)
    model = TimelineModel()
    model.set_entries(rows)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == model.total()


def test_draft_autosaves_and_is_recovered_after_the_window_closes(qtbot, controller, notes_vault):
    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    editor = open_new_note(qtbot, window, ids["ana"])
    assert editor.windowTitle() == "Session note — MHSW Desktop"  # no client data
    first = editor.section_edits["subjective"]
    qtbot.keyClicks(first, "Client reported better sleep.")
    assert editor.timer.isActive()
    qtbot.waitUntil(lambda: editor.status.text().startswith("Draft saved"), timeout=5_000)
    assert editor.note_id is not None
    note_id = editor.note_id
    # more typing, then the window closes before the two seconds are up
    qtbot.keyClicks(first, " Walked daily.")
    assert editor.timer.isActive()
    window.close()  # quits: the controller locks first
    assert controller.vault is None
    assert not editor.isVisible()
    assert window.client_view.timeline.rowCount() == 0

    controller._quitting = False
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner_text.text().startswith("1 draft")
    window.banner_open.click()
    qtbot.waitUntil(lambda: len(editors(window)) == 1)
    reopened = editors(window)[0]
    assert reopened.note_id == note_id
    assert (
        reopened.section_edits["subjective"].toPlainText()
        == "Client reported better sleep. Walked daily."
    )
    # a normal close marks it closed: no longer recovered
    reopened.close_button.click()
    qtbot.waitUntil(lambda: not editors(window) and window.runner.idle())
    from mhsw_desktop.services.notes import recovered_drafts

    found = []
    window.runner.query(recovered_drafts, found.append)
    qtbot.waitUntil(lambda: bool(found) or found == [[]])
    assert found == [[]]


def test_a_draft_left_open_by_a_crash_is_announced(qtbot, controller, notes_vault):
    from mhsw_desktop.services.notes import NoteInput, create_draft, set_editing
    from mhsw_desktop.vault.vault import Vault

    folder, passphrase, ids = notes_vault
    vault = Vault.open(folder, passphrase)
    with vault.unit_of_work() as session:
        note_id = create_draft(
            session,
            NoteInput(
                client_id=ids["bjorn"],
                session_date=date.today(),
                template_key="soap",
                sections={"subjective": "Typed before the battery died"},
            ),
        )
        set_editing(session, note_id, True)
    vault.lock()
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner_text.text() == "1 draft was recovered after the app closed unexpectedly."
    window.show_view(window.today)
    qtbot.waitUntil(lambda: window.today.recovered.rowCount() == 1)
    assert window.today.recovered_box.isVisible()


def test_sign_with_passphrase_then_addendum(qtbot, controller, notes_vault):
    from mhsw_desktop.vault.vault import Vault

    if not hasattr(Vault, "check_passphrase"):
        pytest.skip("Vault.check_passphrase is not there yet")
    from mhsw_desktop.ui.sign_dialogs import AddendumDialog, SignDialog

    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    editor = open_new_note(qtbot, window, ids["bjorn"])
    # nothing written, then required sections empty: no passphrase asked
    editor.sign_button.click()
    assert editor.error.text() == "Write the note before signing it."
    editor.section_edits["subjective"].setPlainText("Only this one")
    editor.sign_button.click()
    assert "Objective is required before signing" in editor.error.text()
    assert editor.findChild(SignDialog) is None
    for key, edit in editor.section_edits.items():
        edit.setPlainText(f"{key} text for the note")
    editor.risk.setCurrentIndex(editor.risk.findData("low"))
    editor.sign_button.click()
    assert "risk comment" in editor.error.text()
    editor.risk_comment.setPlainText("Denies intent; safety plan reviewed.")
    editor.sign_button.click()
    dialog = editor.findChild(SignDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.passphrase.setText("not the passphrase at all")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "not right" in dialog.error.text(), timeout=10_000)
    dialog.passphrase.setText(passphrase)
    dialog.ok.click()
    qtbot.waitUntil(lambda: editor.read_only, timeout=10_000)
    assert editor.pages.currentIndex() == 1
    text = editor.reader.toPlainText()
    assert "Signed by Jordan Reyes, LCSW" in text
    assert "Licence MT-1234" in text
    assert "SHA-256 " + editor.detail.content_hash in text
    assert not editor.sign_button.isVisible()
    assert editor.addendum_button.isVisible()

    editor.addendum_button.click()
    addendum = editor.findChild(AddendumDialog)
    assert addendum is not None
    addendum.text.setPlainText("Correction: the session was 50 minutes <not 45>.")
    addendum.passphrase.setText(passphrase)
    addendum.ok.click()
    qtbot.waitUntil(lambda: len(editor.detail.addenda) == 1, timeout=10_000)
    text = editor.reader.toPlainText()
    assert "Addendum 1" in text and "<not 45>" in text

    # written in the wrong chart: entered in error, with a reason
    from mhsw_desktop.ui.sign_dialogs import EnteredInErrorDialog

    editor.error_button.click()
    marking = editor.findChild(EnteredInErrorDialog)
    marking.text.setPlainText("Written in the wrong chart")
    marking.passphrase.setText(passphrase)
    marking.ok.click()
    qtbot.waitUntil(lambda: editor.detail.entered_in_error_at is not None, timeout=10_000)
    assert "ENTERED IN ERROR" in editor.reader.toPlainText()
    assert not editor.addendum_button.isVisible() and not editor.error_button.isVisible()
    view = window.client_view
    view.kind.setCurrentIndex(view.kind.findData("in_error"))
    qtbot.waitUntil(lambda: view.timeline.rowCount() == 1)
    assert view.timeline.index(0, 2).data() == "Entered in error"


def test_search_highlights_and_hints(qtbot, controller, notes_vault):
    from mhsw_desktop.ui.search_view import HTML_ROLE

    folder, passphrase, _ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    window.actions_by_id["view_search"].trigger()
    assert window.stack.currentWidget() is window.search
    view = window.search
    qtbot.keyClicks(view.query, "zebrafinch")
    qtbot.waitUntil(lambda: view.results.rowCount() == 1, timeout=5_000)
    html = view.results.index(0, 0).data(HTML_ROLE)
    assert "<b>zebrafinch</b>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "&amp;" in html
    plain = view.results.index(0, 0).data()
    assert "\x02" not in plain and "zebrafinch" in plain

    # a stray quote: a hint, never a crash
    view.query.setText('"unbalanced')
    qtbot.waitUntil(lambda: "quotation mark" in view.hint.text(), timeout=5_000)
    assert view.hint.isVisible()
    assert view.results.rowCount() == 0

    # include psychotherapy notes resets after one search
    view.private.setChecked(True)
    view.search()
    assert not view.private.isChecked()

    # Enter opens the note with the match selected
    view.query.setText("zebrafinch")
    qtbot.waitUntil(lambda: view.results.rowCount() == 1, timeout=5_000)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editors(window)) == 1)
    editor = editors(window)[0]
    qtbot.waitUntil(lambda: editor.section_edits["data"].textCursor().hasSelection())
    assert editor.section_edits["data"].textCursor().selectedText().lower() == "zebrafinch"


def test_search_hint_for_a_malformed_query(qtbot, controller, notes_vault):
    folder, passphrase, _ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    window.show_view(window.search)
    view = window.search
    for query in ('"', "AND", "sleep OR", "(", "NEAR("):
        view.query.setText(query)
        view.search()
        qtbot.waitUntil(lambda: view.runner.idle())
        # either results, none, or a hint; never a bug message
        assert "Something went wrong" not in view.hint.text()


def test_today_lists_overdue_task_and_unsigned_note(qtbot, controller, notes_vault):
    folder, passphrase, _ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.today
    today = window.today
    qtbot.waitUntil(lambda: today.tasks.rowCount() >= 1)
    titles = [today.tasks.row_at(n).title for n in range(today.tasks.rowCount())]
    assert "Renew release of information" in titles
    row = titles.index("Renew release of information")
    assert today.tasks.index(row, 2).data().startswith("Overdue since")
    qtbot.waitUntil(lambda: today.unsigned.rowCount() >= 1)
    unsigned = [today.unsigned.row_at(n) for n in range(today.unsigned.rowCount())]
    ages = [u.age_days for u in unsigned]
    assert ages == sorted(ages, reverse=True)  # oldest first
    earl = next(n for n, u in enumerate(unsigned) if u.client_name.startswith("Pruitt"))
    assert today.unsigned.index(earl, 2).data() == "5 days"
    # check a task done: it leaves the list
    index = today.tasks.index(row, 0)
    assert today.tasks.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(
        lambda: (
            "Renew release of information"
            not in [today.tasks.row_at(n).title for n in range(today.tasks.rowCount())]
        )
    )
    # add a task through the dialog
    from mhsw_desktop.ui.task_dialog import TaskDialog

    today.add_task.click()
    dialog = window.findChild(TaskDialog)
    assert dialog is not None
    dialog.title.setText("Call Dr. Lee about medication")
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: (
            "Call Dr. Lee about medication"
            in [today.tasks.row_at(n).title for n in range(today.tasks.rowCount())]
        )
    )
    # opening an unsigned note from Today
    today.unsigned_table.selectRow(earl)
    qtbot.keyClick(today.unsigned_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editors(window)) == 1)


def test_views_are_reachable_with_ctrl_numbers(qtbot, controller, notes_vault):
    from PySide6.QtGui import QKeySequence

    folder, passphrase, _ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    act = window.actions_by_id
    assert act["view_today"].shortcut() == QKeySequence("Ctrl+1")
    assert act["view_clients"].shortcut() == QKeySequence("Ctrl+2")
    assert act["view_search"].shortcut() == QKeySequence("Ctrl+3")
    act["view_search"].trigger()
    assert window.stack.currentWidget() is window.search
    act["view_clients"].trigger()
    assert window.stack.currentWidget() is window.clients


def test_lock_clears_every_new_view(qtbot, controller, notes_vault):
    from tests.ui.test_flow import visible_texts

    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    window.show_view(window.today)
    qtbot.waitUntil(lambda: window.today.tasks.rowCount() > 0)
    window.show_view(window.search)
    window.search.query.setText("zebrafinch")
    qtbot.waitUntil(lambda: window.search.results.rowCount() == 1, timeout=5_000)
    editor = open_new_note(qtbot, window, ids["ana"])
    editor.section_edits["subjective"].setPlainText("Private words typed just now")
    window.actions_by_id["lock"].trigger()
    assert controller.vault is None
    assert window.today.tasks.rowCount() == 0 and window.today.unsigned.rowCount() == 0
    assert window.search.results.rowCount() == 0 and window.search.query.text() == ""
    assert window.search.client.count() == 1
    assert window.client_view.timeline.rowCount() == 0
    assert window.client_view.name.text() == ""
    assert window.client_view.diagnoses.rowCount() == 0
    assert not editor.isVisible()
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            text = visible_texts(top)
            for secret in ("González", "Pruitt", "zebrafinch", "Private words"):
                assert secret not in text, (secret, text)

    window = unlock(qtbot, controller, folder, passphrase)
    # the client view comes back (the last view), and the typed draft was kept
    assert window.stack.currentWidget() is window.client_view
    qtbot.waitUntil(lambda: window.client_view.timeline.rowCount() > 0)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "when the vault locked" in window.banner_text.text()
    window.show_view(window.today)
    qtbot.waitUntil(lambda: window.today.tasks.rowCount() > 0)


def test_practitioner_profile_dialog_saves(qtbot, controller, notes_vault):
    from mhsw_desktop.ui.practitioner_dialog import PractitionerDialog

    folder, passphrase, _ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    window.actions_by_id["practitioner_profile"].trigger()
    dialog = window.findChild(PractitionerDialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    assert dialog.widgets["name"].text() == "Jordan Reyes"
    dialog.widgets["credentials"].setText("LCSW, MSW")
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    window.actions_by_id["practitioner_profile"].trigger()
    again = [d for d in window.findChildren(PractitionerDialog) if d.isVisible()][-1]
    qtbot.waitUntil(lambda: again.save_button.isEnabled())
    assert again.widgets["credentials"].text() == "LCSW, MSW"


def test_diagnosis_lookup_and_add(qtbot, controller, notes_vault):
    from mhsw_desktop.ui.diagnosis_dialog import DiagnosisDialog

    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    window.show_client(ids["earl"])
    view = window.client_view
    qtbot.waitUntil(lambda: view.add_diagnosis.isEnabled())
    view.add_diagnosis.click()
    dialog = window.findChild(DiagnosisDialog)
    qtbot.keyClicks(dialog.query, "F41.1")
    qtbot.waitUntil(lambda: dialog.results.rowCount() >= 1, timeout=5_000)
    assert dialog.results.row_at(0)[0].startswith("F41.1")
    assert dialog.save_button.isEnabled()
    dialog.primary.setChecked(True)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: view.diagnoses.rowCount() == 1)
    assert view.diagnoses.index(0, 2).data() == "Primary"


def test_focus_leaving_the_editor_saves_at_once(qtbot, controller, notes_vault):
    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    editor = open_new_note(qtbot, window, ids["ana"])
    editor.activateWindow()
    first = editor.section_edits["subjective"]
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    qtbot.keyClicks(first, "Seen at the school.")
    assert editor.timer.isActive()
    window.activateWindow()
    window.client_view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not first)
    assert not editor.timer.isActive()  # saved at once, not two seconds later
    qtbot.waitUntil(lambda: editor.status.text().startswith("Draft saved"), timeout=1_000)


def test_locking_right_after_a_new_notes_first_autosave_keeps_every_word(
    qtbot, controller, notes_vault
):
    """The create is queued behind other work when the lock comes: nothing typed is lost."""
    import time

    from mhsw_desktop.services.notes import list_notes

    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.addWidget(window)
    editor = open_new_note(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: controller.runner.idle())
    first = next(iter(editor.section_edits.values()))
    controller.runner.run(lambda: time.sleep(0.4))  # the worker is busy (a search, say)
    first.setPlainText("Client reported KEEPME worries")
    editor.save_now()  # the autosave: its create waits behind the busy work
    first.setPlainText("Client reported KEEPME worries and more")
    controller.lock()
    window = unlock(qtbot, controller, folder, passphrase)
    qtbot.waitUntil(lambda: controller.runner.idle())
    with controller.runner.vault.session() as session:
        previews = [n.preview for n in list_notes(session, ids["earl"])]
    assert "Client reported KEEPME worries and more" in previews
    assert sum("KEEPME" in p for p in previews) == 1  # one draft, not two
