"""The safety plan in the client view: start one, write its steps by keyboard, save and
reload, a refused save naming the step, signing with the passphrase again (the editor
freezes), a new version from the last, discarding a draft only after asking, the item-9
alert's "Open safety plan" opening the right client's tab, unsaved edits asked about,
accessible names, and a lock that drops it all.

Only synthetic people."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from tests.ui.conftest import sample_client, unlock
from tests.ui.test_accessibility import unnamed
from tests.ui.test_reports_gui import previews, wait_preview

TODAY = date.today()
CONTROL = Qt.KeyboardModifier.ControlModifier
WARNINGS = "Not sleeping\nStaying in bed <all> day"
#: where the screenshots go (outside the repository), to be looked at by a person
SHOTS = os.environ.get("MHSW_SHOTS", "")


@pytest.fixture
def plan_vault(vault_factory):
    """A locked vault: a practitioner profile, Ana (a PHQ-9 with item 9 answered) and Earl."""
    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.services.measures import MeasureInput, add_measure
    from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory()
    with vault.unit_of_work() as session:
        save_practitioner(session, PractitionerInput("Jordan Reyes", "LCSW", "MT-1234"))
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        ana = add_client(session, sample_client())
        add_measure(
            session,
            MeasureInput(ana, "phq9", (2, 2, 2, 2, 1, 1, 1, 1, 2), TODAY - timedelta(days=2)),
        )
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, {"ana": ana, "earl": earl}


def open_tab(qtbot, window, client_id):
    window.show_safety_plan(client_id)
    view = window.client_view
    pane = view.safety_plan
    qtbot.waitUntil(lambda: pane.client_id == client_id and window.runner.idle())
    assert view.tabs.currentWidget() is pane
    return pane


def start(qtbot, window, pane):
    assert pane.empty.isVisible() and not pane.splitter.isVisible()
    assert pane.buttons["start_safety_plan"].isVisible()
    pane.buttons["start_safety_plan"].click()
    qtbot.waitUntil(lambda: pane.editable() and window.runner.idle())


def type_lines(qtbot, widget, *lines):
    widget.setFocus()
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def type_contact(qtbot, table, name, phone):
    """Insert adds a row editing its name; Tab goes to the phone; Return commits."""
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, phone)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits it on the event loop
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def save(qtbot, window, pane):
    with qtbot.waitSignal(pane.saved, timeout=5000, raising=False) as blocker:
        qtbot.keyClick(
            pane.item_edits["warning_signs"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
    assert blocker.signal_triggered, pane.error.text()
    qtbot.waitUntil(window.runner.idle)


def message_box(widget):
    boxes = [b for b in widget.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1, boxes
    return boxes[0]


def click(box, text):
    (button,) = [b for b in box.buttons() if b.text() == text]
    button.click()


def mnemonics(window):
    """The Alt+letter keys of what is visible in ``window`` (menus, buttons, labels, tabs),
    each with the texts that claim it."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    claims: dict[str, list[str]] = {}

    def claim(text):
        text = text.replace("&&", "")
        where = text.find("&")
        if 0 <= where < len(text) - 1:
            claims.setdefault(text[where + 1].lower(), []).append(text)

    if hasattr(window, "menuBar"):
        for action in window.menuBar().actions():
            claim(action.text())
    for widget in window.findChildren(QAbstractButton):
        if widget.isVisible():
            claim(widget.text())
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None:
            claim(label.text())
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            for index in range(bar.count()):
                claim(bar.tabText(index))
    return claims


def shoot(window, name):
    if SHOTS:
        assert window.grab().save(os.path.join(SHOTS, name))


def sign(qtbot, window, pane, passphrase):
    from mhsw_desktop.ui.plan_sign_dialogs import SignSafetyPlanDialog

    pane.buttons["sign_safety_plan"].click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in pane.findChildren(SignSafetyPlanDialog)))
    (dialog,) = [d for d in pane.findChildren(SignSafetyPlanDialog) if d.isVisible()]
    assert unnamed(dialog) == []
    dialog.passphrase.setText(passphrase)
    dialog.ok.click()
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.signed, timeout=10_000)
    qtbot.waitUntil(window.runner.idle)
    reactivate(qtbot, window)


def reactivate(qtbot, window):
    """After a dialog: the offscreen platform does not hand activation back by itself."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_write_save_sign_new_version_and_discard(qtbot, qtmodeltester, controller, plan_vault):
    from mhsw_desktop.ui.plan_diff_dialog import PlanDiffDialog

    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.resize(1280, 800)
    window.show()
    pane = open_tab(qtbot, window, ids["ana"])
    view = window.client_view
    assert view.tabs.tabText(view.tabs.indexOf(pane)) == "Safet&y plan"
    assert "safety plan" in view.tabs.accessibleName()
    assert "no safety plan yet" in pane.explanation.text()
    assert QApplication.focusWidget() is pane.buttons["start_safety_plan"]
    shoot(window, "sp_empty.png")
    start(qtbot, window, pane)
    assert pane.state.text().startswith("Version 1 · Draft (not signed)")
    professionals = pane.contact_tables["professional_contacts"].contacts
    names = [c.name for c in professionals.contacts()]
    assert names[0] == "Jordan Reyes, LCSW" and len(names) >= 2  # the clinician, the lines
    assert unnamed(window) == []
    assert QApplication.focusWidget() is pane.item_edits["warning_signs"]
    # the tab's and the pane's Alt+letters are theirs alone (S, G, D, W, K, B and Y)
    ours = set(mnemonics(pane)) | {"y"}
    assert ours == {"s", "g", "d", "w", "k", "b", "y"}
    clashes = {k: v for k, v in mnemonics(window).items() if len(v) > 1 and k in ours}
    assert clashes == {}

    # typed by keyboard: lines in the list steps, rows in the people steps
    type_lines(qtbot, pane.item_edits["warning_signs"], "Not sleeping", "Staying in bed <all> day")
    type_lines(qtbot, pane.item_edits["coping_strategies"], "Walk the dog", "  ", "Music & tea")
    type_contact(qtbot, pane.contact_tables["help_contacts"], "Marisol (sister)", "406-555-0188")
    type_lines(qtbot, pane.item_edits["environment_safety"], "Medicines kept by Marisol")
    pane.likelihood.setValue(8)
    assert pane.is_dirty() and pane.save_status.text().startswith("Unsaved changes")
    qtmodeltester.check(pane.contact_tables["help_contacts"].contacts)
    save(qtbot, window, pane)
    assert not pane.is_dirty() and pane.save_status.text() == "All changes saved"

    # reloading (another client and back) shows what was saved, blank lines gone
    window.show_client(ids["earl"])
    qtbot.waitUntil(lambda: pane.client_id == ids["earl"] and window.runner.idle())
    assert pane.empty.isVisible()
    pane = open_tab(qtbot, window, ids["ana"])
    assert (
        pane.item_edits["warning_signs"].toPlainText() == "Not sleeping\nStaying in bed <all> day"
    )
    assert pane.item_edits["coping_strategies"].toPlainText() == "Walk the dog\nMusic & tea"
    help_model = pane.contact_tables["help_contacts"].contacts
    assert [(c.name, c.phone) for c in help_model.contacts()] == [
        ("Marisol (sister)", "406-555-0188")
    ]
    assert pane.likelihood.value() == 8
    shoot(window, "sp_draft.png")
    shoot(pane.steps_area.widget(), "sp_draft_steps.png")  # all of it, beyond the scrolling

    # a contact without a name is refused next to its step, and nothing is saved
    type_contact(qtbot, pane.contact_tables["distraction_contacts"], "", "555-0100")
    with qtbot.waitSignal(window.runner.finished, timeout=5000):
        pane.actions_by_id["save_safety_plan"].trigger()
    qtbot.waitUntil(window.runner.idle)
    problem = pane.field_errors["distraction_contacts"]
    assert problem.isVisible() and "a name is required" in problem.text()
    assert "Not saved" in pane.error.text()
    assert pane.is_dirty()
    shoot(window, "sp_error.png")
    table = pane.contact_tables["distraction_contacts"]
    table.setCurrentIndex(table.contacts.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table.contacts.rowCount() == 0
    save(qtbot, window, pane)
    assert not problem.isVisible()

    # signing asks for the passphrase again and freezes the editor
    sign(qtbot, window, pane, passphrase)
    assert pane.state.text().startswith("Version 1 · Signed by Jordan Reyes, LCSW on")
    assert pane.item_edits["warning_signs"].isReadOnly()
    assert pane.contact_tables["help_contacts"].read_only()
    assert not pane.contact_buttons["help_contacts"][0].isVisible()
    assert not pane.actions_by_id["save_safety_plan"].isEnabled()
    assert pane.actions_by_id["new_safety_plan_version"].isEnabled()
    assert pane.history.rowCount() == 1 and pane.history.data(pane.history.index(0, 2)).startswith(
        "Signed 2"
    )
    shoot(window, "sp_signed.png")

    # the day the client signed, once
    from mhsw_desktop.ui.plan_sign_dialogs import ClientSignedDialog

    pane.buttons["safety_plan_client_signed"].click()
    (day,) = [d for d in pane.findChildren(ClientSignedDialog) if d.isVisible()]
    day.ok.click()
    qtbot.waitUntil(lambda: pane.shown.client_signed_on == TODAY and window.runner.idle())
    assert f"client signed {TODAY.isoformat()}" in pane.state.text()
    assert not pane.actions_by_id["safety_plan_client_signed"].isEnabled()
    reactivate(qtbot, window)

    # a new version starts from the last one, and Compare says what changed
    pane.buttons["new_safety_plan_version"].click()
    qtbot.waitUntil(lambda: pane.editable() and pane.shown.version_number == 2)
    qtbot.waitUntil(window.runner.idle)
    assert (
        pane.item_edits["warning_signs"].toPlainText() == "Not sleeping\nStaying in bed <all> day"
    )
    assert "version 1 stays in force" in pane.state.text()
    type_lines(qtbot, pane.item_edits["reasons_for_living"], "My nephew Tomas")
    save(qtbot, window, pane)
    pane.actions_by_id["compare_safety_plans"].trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in pane.findChildren(PlanDiffDialog)))
    (diff,) = [d for d in pane.findChildren(PlanDiffDialog) if d.isVisible()]
    assert "Step 7 (Reasons for living): added “My nephew Tomas”" in diff.changes.toPlainText()
    diff.reject()

    # the older version is shown read-only from the history
    pane.history_table.selectRow(pane.history.row_of(pane.plan.versions[1].id))
    qtbot.waitUntil(lambda: pane.shown.version_number == 1 and window.runner.idle())
    assert pane.item_edits["reasons_for_living"].isReadOnly()
    assert "the version in force" in pane.state.text()
    pane.history_table.selectRow(0)
    qtbot.waitUntil(lambda: pane.shown.version_number == 2 and pane.editable())

    # discarding the draft asks first; Keep keeps it
    pane.buttons["discard_safety_plan_draft"].click()
    click(message_box(pane), "&Keep")
    qtbot.waitUntil(window.runner.idle)
    assert pane.plan.current.version_number == 2
    pane.buttons["discard_safety_plan_draft"].click()
    click(message_box(pane), "&Discard")
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.version_number == 1)
    qtbot.waitUntil(window.runner.idle)
    assert pane.history.rowCount() == 1 and pane.shown.signed
    assert unnamed(window) == []


def test_signing_needs_the_steps_and_says_which(qtbot, controller, plan_vault):
    from mhsw_desktop.ui.plan_sign_dialogs import SignSafetyPlanDialog

    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = open_tab(qtbot, window, ids["earl"])
    start(qtbot, window, pane)
    pane.buttons["sign_safety_plan"].click()
    assert not [d for d in pane.findChildren(SignSafetyPlanDialog) if d.isVisible()]
    assert "Not signed yet" in pane.error.text()
    for key in ("warning_signs", "coping_strategies", "environment_safety"):
        assert "needs at least one entry" in pane.field_errors[key].text()
    assert not pane.field_errors["professional_contacts"].isVisible()  # the lines have phones
    assert QApplication.focusWidget() is pane.item_edits["warning_signs"]


def test_the_item_9_alert_opens_the_right_clients_safety_plan(qtbot, controller, plan_vault):
    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.show_client(ids["earl"])  # another client shown first
    qtbot.waitUntil(lambda: window.client_view.client_id == ids["earl"] and window.runner.idle())
    window.show_view(window.today)
    box = window.today.measure_alerts
    qtbot.waitUntil(lambda: box.alerts.rowCount() == 1 and window.runner.idle(), timeout=5000)
    assert box.safety_plan.isVisible()
    box.table.selectRow(0)
    box.safety_plan.click()
    view = window.client_view
    qtbot.waitUntil(lambda: view.client_id == ids["ana"] and window.runner.idle())
    assert window.stack.currentWidget() is view
    assert view.tabs.currentWidget() is view.safety_plan
    assert view.safety_plan.client_id == ids["ana"]
    assert view.safety_plan.buttons["start_safety_plan"].isVisible()  # none yet: offered

    # the banner above the tabs opens it too, from any tab
    view.tabs.setCurrentWidget(view.measures)
    banner = view.measures.alert_banner
    qtbot.waitUntil(lambda: banner.isVisible())
    assert banner.safety_plan.isVisible()
    banner.safety_plan.click()
    assert view.tabs.currentWidget() is view.safety_plan


def test_unsaved_edits_are_asked_about_and_a_lock_drops_them(qtbot, controller, plan_vault):
    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = open_tab(qtbot, window, ids["ana"])
    start(qtbot, window, pane)
    type_lines(qtbot, pane.item_edits["warning_signs"], "Pacing at night")

    # another client: asked first; Cancel stays, Save saves then goes
    window.show_client(ids["earl"])
    box = message_box(pane)
    assert unnamed(box) == []
    click(box, "Cancel")
    assert pane.client_id == ids["ana"] and pane.is_dirty()
    window.show_client(ids["earl"])
    click(message_box(pane), "&Save")
    qtbot.waitUntil(lambda: pane.client_id == ids["earl"] and window.runner.idle())
    pane = open_tab(qtbot, window, ids["ana"])
    assert pane.item_edits["warning_signs"].toPlainText() == "Pacing at night"

    # closing the window asks as well
    type_lines(qtbot, pane.item_edits["coping_strategies"], "Cold water on my face")
    window.close()
    click(message_box(pane), "Cancel")
    assert pane.is_dirty()

    # a lock drops the typing and everything shown, and closes any question
    window.show_client(ids["earl"])
    question = message_box(pane)
    controller.lock()
    assert not shiboken6.isValid(question) or not question.isVisible()
    assert pane.client_id is None and pane.plan is None and not pane.is_dirty()
    assert pane.item_edits["coping_strategies"].toPlainText() == ""
    assert pane.history.rowCount() == 0 and pane.state.text() == ""
    assert not pane.splitter.isVisibleTo(pane) and not pane.empty.isVisibleTo(pane)

    window = unlock(qtbot, controller, folder, passphrase)
    pane = open_tab(qtbot, window, ids["ana"])
    assert pane.item_edits["coping_strategies"].toPlainText() == ""  # never saved


def test_print_entries_are_in_the_menu_and_on_the_tab(qtbot, controller, plan_vault):
    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = open_tab(qtbot, window, ids["ana"])
    act = window.actions_by_id
    in_menu = [a.objectName() for a in window.client_view.print_menu.actions()]
    assert in_menu.index("action_print_safety_plan") + 1 == in_menu.index(
        "action_print_wallet_card"
    )
    assert [b.defaultAction() for b in pane.print_buttons] == [
        act["print_safety_plan"],
        act["print_wallet_card"],
    ]
    assert not any(b.isVisible() for b in pane.print_buttons)  # no plan yet
    start(qtbot, window, pane)
    assert all(b.isVisible() and b.isEnabled() for b in pane.print_buttons)
    assert pane.print_buttons[0].accessibleName() == "Print safety plan (client copy)"
    for button, title in zip(
        pane.print_buttons,
        ("Safety plan (client copy) — preview", "Safety plan wallet card — preview"),
        strict=True,
    ):
        button.click()
        preview = wait_preview(qtbot)
        assert preview.windowTitle() == title and preview.page_count >= 1
        preview.discard()
        qtbot.waitUntil(lambda: not previews())


def test_the_pane_alone_is_named_and_the_contact_model_is_sound(qtbot, qtmodeltester, runner):
    from mhsw_desktop.services.safety_plans import Contact
    from mhsw_desktop.ui.contact_table_model import SERVICE_COLUMNS, ContactTableModel
    from mhsw_desktop.ui.safety_plan_pane import SafetyPlanPane

    pane = SafetyPlanPane(runner)
    qtbot.addWidget(pane)
    pane.show()
    assert unnamed(pane) == []
    model = ContactTableModel(SERVICE_COLUMNS)
    model.set_contacts([Contact("988 Lifeline", "988", "24/7"), Contact("<b>Clinic</b>")])
    qtmodeltester.check(model)
    assert model.move_row(0, 1) == 1
    assert [c.name for c in model.contacts()] == ["<b>Clinic</b>", "988 Lifeline"]
    assert model.move_row(1, 1) == 1  # already last
    model.add_row(0)
    assert model.setData(model.index(0, 2), "Walk-in")
    assert model.contacts()[0] == Contact("", "", "Walk-in", "")
    model.set_read_only(True)
    assert not model.setData(model.index(0, 0), "x")
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
