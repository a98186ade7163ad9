"""The treatment plan in the client view: start a plan, build it item by item, sign it with
the passphrase again, record the client's signature, start a review, compare versions,
print it; the tree model, accessible names, and a lock that closes it all.

Only synthetic people."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from tests.ui.conftest import sample_client, unlock
from tests.ui.test_accessibility import unnamed
from tests.ui.test_reports_gui import previews, wait_preview

TODAY = date.today()


@pytest.fixture
def plan_vault(vault_factory):
    """A locked vault: a practitioner profile and Ana with one session note."""
    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.services.notes import NoteInput, create_draft
    from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory()
    with vault.unit_of_work() as session:
        save_practitioner(session, PractitionerInput("Jordan Reyes", "LCSW", "MT-1234"))
        ana = add_client(session, sample_client())
        note = create_draft(session, NoteInput(ana, TODAY - timedelta(days=1), "soap"))
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, {"ana": ana, "note": note}


def open_pane(qtbot, window, client_id):
    window.show_client(client_id)
    pane = window.client_view.treatment_plan
    window.client_view.tabs.setCurrentWidget(pane)
    qtbot.waitUntil(lambda: pane.client_id == client_id and window.runner.idle())
    return pane


def dialog_of(pane, cls):
    found = [d for d in pane.findChildren(cls) if d.isVisible()]
    assert len(found) == 1, found
    return found[0]


def select(pane, item_id):
    index = pane.model.index_of(item_id)
    assert index.isValid()
    pane.tree.setCurrentIndex(index)


def add(qtbot, pane, action_id, text, **fields):
    from mhsw_desktop.ui.plan_item_dialog import PlanItemDialog

    assert pane.actions_by_id[action_id].isEnabled(), action_id
    pane.actions_by_id[action_id].trigger()
    dialog = dialog_of(pane, PlanItemDialog)
    assert unnamed(dialog) == []
    dialog.text.setPlainText(text)
    for name, value in fields.items():
        widget = getattr(dialog, name)
        if hasattr(widget, "findData"):
            widget.setCurrentIndex(widget.findData(value))
        elif hasattr(widget, "setValue"):
            widget.setValue(value)
        else:
            widget.setText(value)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.ok.click()
    qtbot.waitUntil(lambda: pane.window().runner.idle() and pane.shown is not None)
    return saved.args[0]


def test_build_sign_review_and_compare(qtbot, qtmodeltester, controller, plan_vault, tmp_path):
    from mhsw_desktop.domain.plans import GoalStatus
    from mhsw_desktop.ui.plan_diff_dialog import PlanDiffDialog
    from mhsw_desktop.ui.plan_item_dialog import PlanItemDialog
    from mhsw_desktop.ui.plan_sign_dialogs import ClientSignedDialog, SignPlanDialog

    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = open_pane(qtbot, window, ids["ana"])
    assert pane.empty.isVisible() and not pane.tree.isVisible()
    assert pane.actions_by_id["start_plan"].isEnabled()
    assert not pane.actions_by_id["add_problem"].isEnabled()
    pane.actions_by_id["start_plan"].trigger()
    qtbot.waitUntil(lambda: pane.plan is not None and pane.shown is not None)
    assert pane.state.text().startswith("Version 1 · Draft (not signed)")
    assert not pane.buttons["start_plan"].isVisible()
    assert pane.buttons["add_goal"].text() == "Add &goal…"  # from the registry, mnemonic kept

    # a problem, a measurable goal, an objective with a date, an intervention
    problem = add(qtbot, pane, "add_problem", "Low <b>mood</b> & isolation")
    qtbot.waitUntil(lambda: pane.model.index_of(problem).isValid())
    assert pane._selected_id() == problem  # what was added is selected
    pane.tree.clearSelection()
    assert not pane.actions_by_id["add_goal"].isEnabled()  # nothing selected
    select(pane, problem)
    goal = add(qtbot, pane, "add_goal", "PHQ-9 below 10", measure="phq9", target=9)
    qtbot.waitUntil(lambda: pane.model.index_of(goal).isValid())
    select(pane, goal)
    objective = add(qtbot, pane, "add_objective", "Walk 20 minutes, 5 days a week")
    qtbot.waitUntil(lambda: pane.model.index_of(objective).isValid())
    select(pane, objective)  # an intervention goes under the goal holding the selection
    add(qtbot, pane, "add_intervention", "Behavioural activation", responsible="Clinician",
        frequency="Weekly", objective=objective)  # fmt: skip
    qtbot.waitUntil(lambda: len(pane.shown.goals()[0].interventions) == 1)
    labels = []
    index = pane.model.index(0, 0)
    while index.isValid():
        labels.append(index.data())
        index = pane.tree.indexBelow(index)
    assert labels == [
        "Problem 1: Low <b>mood</b> & isolation",
        "Goal 1.1: PHQ-9 below 10",
        "Objective 1.1.1: Walk 20 minutes, 5 days a week",
        "Intervention: Behavioural activation",
    ]
    goal_index = pane.model.index_of(goal)
    assert goal_index.siblingAtColumn(1).data() == "Not started · PHQ-9 ≤ 9"
    qtmodeltester.check(pane.model)
    assert unnamed(window) == []

    # an over-long goal is refused with the service's words, and nothing is saved
    select(pane, goal)
    pane.actions_by_id["edit_plan_item"].trigger()
    editing = dialog_of(pane, PlanItemDialog)
    editing.text.setPlainText("x" * 4001)
    assert "at most 4000 fit" in editing.error.text()
    editing.ok.click()
    qtbot.waitUntil(lambda: "goal: is 4001 characters long" in editing.error.text())
    editing.reject()

    # the pane as the practitioner sees it
    window.resize(1200, 800)
    qtbot.waitUntil(lambda: pane.isVisible())
    assert pane.grab().save(str(tmp_path / "pane.png"))
    pane.grab().save("/tmp/treatment_plan_pane.png")

    # signing asks the passphrase again
    pane.actions_by_id["sign_plan"].trigger()
    signing = dialog_of(pane, SignPlanDialog)
    assert unnamed(signing) == []
    signing.passphrase.setText("not the passphrase at all")
    signing.ok.click()
    qtbot.waitUntil(lambda: "not right" in signing.error.text(), timeout=10_000)
    signing.passphrase.setText(passphrase)
    signing.ok.click()
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.signed, timeout=10_000)
    assert "Signed by Jordan Reyes, LCSW" in pane.state.text()
    for action_id in ("add_problem", "edit_plan_item", "remove_plan_item", "sign_plan"):
        assert not pane.actions_by_id[action_id].isEnabled(), action_id
    assert pane.actions_by_id["start_review"].isEnabled()

    # the client's signature date, once
    pane.actions_by_id["client_signed"].trigger()
    client_signed = dialog_of(pane, ClientSignedDialog)
    assert client_signed.value() == TODAY
    client_signed.ok.click()
    qtbot.waitUntil(lambda: pane.shown.client_signed_on == TODAY)
    assert not pane.actions_by_id["client_signed"].isEnabled()

    # linking the session note to the goal
    select(pane, pane.shown.goals()[0].id)
    pane.actions_by_id["link_note"].trigger()
    from mhsw_desktop.ui.link_note_dialog import LinkNoteDialog

    qtbot.waitUntil(lambda: any(d.isVisible() for d in pane.findChildren(LinkNoteDialog)))
    linking = dialog_of(pane, LinkNoteDialog)
    assert linking.note.currentData() == ids["note"]
    linking.ok.click()
    qtbot.waitUntil(lambda: len(pane.shown.goals()[0].notes) == 1)

    # a review: version 2, a draft copied from version 1
    pane.actions_by_id["start_review"].trigger()
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.version_number == 2)
    assert pane.history.rowCount() == 2 and not pane.shown.signed
    new_goal = pane.shown.goals()[0]
    select(pane, new_goal.id)
    pane.actions_by_id["edit_plan_item"].trigger()
    editing = dialog_of(pane, PlanItemDialog)
    editing.status.setCurrentIndex(editing.status.findData(GoalStatus.IN_PROGRESS))
    editing.ok.click()
    qtbot.waitUntil(lambda: pane.shown.goals()[0].status is GoalStatus.IN_PROGRESS)
    pane.actions_by_id["compare_versions"].trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in pane.findChildren(PlanDiffDialog)))
    comparing = dialog_of(pane, PlanDiffDialog)
    assert "status changed from not started to in progress" in comparing.changes.toPlainText()
    assert unnamed(comparing) == []
    comparing.reject()

    # a review can be dropped, asking first; the default answer keeps it
    assert pane.buttons["discard_review"].isVisible()
    asking = pane.discard_review()
    asking.defaultButton().click()
    qtbot.waitUntil(window.runner.idle)
    assert pane.plan.current.version_number == 2
    asking = pane.discard_review()
    next(b for b in asking.buttons() if b.text() == "&Discard").click()
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.version_number == 1)
    assert pane.history.rowCount() == 1 and pane.shown.signed
    pane.actions_by_id["start_review"].trigger()
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.version_number == 3)
    assert not pane.shown.signed and pane.history.rowCount() == 2

    # an earlier version shows read-only from the history
    pane.history_table.selectRow(pane.history.row_of(pane.plan.versions[1].id))
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.version_number == 1)
    assert "an earlier version (read-only)" in pane.state.text()
    assert not pane.actions_by_id["add_problem"].isEnabled()

    # printing it
    window.actions_by_id["print_treatment_plan"].trigger()
    preview = wait_preview(qtbot)
    assert preview.windowTitle() == "Treatment plan — preview"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(preview._pdf)).pages)
    assert "DRAFT" in text and "Low <b>mood</b> & isolation" in text
    preview.close()
    qtbot.waitUntil(lambda: previews() == [])


def test_lock_closes_the_plan_dialogs_and_forgets_the_plan(qtbot, controller, plan_vault):
    from mhsw_desktop.ui.plan_item_dialog import PlanItemDialog

    folder, passphrase, ids = plan_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = open_pane(qtbot, window, ids["ana"])
    pane.actions_by_id["start_plan"].trigger()
    qtbot.waitUntil(lambda: pane.shown is not None)
    pane.actions_by_id["add_problem"].trigger()
    dialog = dialog_of(pane, PlanItemDialog)
    dialog.text.setPlainText("Typed, not saved")
    details = pane.edit_details()
    with qtbot.waitSignal(controller.locked, timeout=5000):
        controller.lock()
    for open_dialog in (dialog, details):
        assert not shiboken6.isValid(open_dialog) or not open_dialog.isVisible()
    from mhsw_desktop.ui.unlock_dialog import UnlockDialog

    still = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert [d for d in still if not isinstance(d, UnlockDialog)] == []
    assert pane.client_id is None and pane.plan is None
    assert pane.model.rowCount() == 0 and pane.history.rowCount() == 0
    assert pane.state.text() == ""
    assert not any(a.isEnabled() for a in pane.actions_by_id.values())


def test_plans_past_their_review_date_are_in_the_today_view(qtbot, controller, vault_factory):
    from datetime import datetime

    from mhsw_desktop.services import treatment_plans as tp
    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.services.practitioner import Signer
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory()
    started = TODAY - timedelta(days=tp.REVIEW_INTERVAL_DAYS + 5)
    with vault.unit_of_work() as s:
        ana = add_client(s, sample_client())
        add_client(s, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        version = tp.create_plan(s, ana, plan_date=started)
        problem = tp.add_problem(s, version, tp.ProblemInput("Low mood"))
        goal = tp.add_goal(s, problem, tp.GoalInput("Mood lifts"))
        tp.add_objective(s, goal, tp.ObjectiveInput("Walk daily"))
        tp.sign_version(s, version, Signer("Jordan Reyes", "LCSW"),
                        now=datetime.combine(started, datetime.min.time()))  # fmt: skip
    folder = vault.folder
    vault.lock()
    window = unlock(qtbot, controller, folder, TEST_PASSPHRASE)
    window.show_view(window.today)
    box = window.today.plan_reviews
    qtbot.waitUntil(lambda: box.reviews.rowCount() == 1 and box.isVisible())
    row = box.reviews.row_at(0)
    assert (row.client_name, row.days_overdue) == ("González, Ana", 5)
    assert box.reviews.index(0, 3).data() == "5 days"
    assert unnamed(window) == []
    box.table.selectRow(0)
    box.table.open_requested.emit(row)
    pane = window.client_view.treatment_plan
    assert window.client_view.tabs.currentWidget() is pane
    qtbot.waitUntil(lambda: pane.plan is not None and window.runner.idle())
    assert pane.overdue.isVisible() and "Review overdue" in pane.overdue.text()
    with qtbot.waitSignal(controller.locked, timeout=5000):
        controller.lock()
    assert box.reviews.rowCount() == 0 and not box.isVisible()
