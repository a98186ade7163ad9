"""Community resources and referrals in the GUI: the directory (filter, category, form,
delete, CSV import and export through the file dialogs), the client view's Referrals tab
(refer, change, remove, follow-up tasks), the models, accessible names, and lock closing
it all.

Only synthetic places and people: example.org addresses, 555-01xx phones.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit

from mhsw_desktop.domain.resources import ReferralStatus, ResourceCategory
from mhsw_desktop.ui.actions import accessible_name
from tests.ui.conftest import sample_client, unlock
from tests.ui.test_accessibility import unnamed

TODAY = date.today()
HEADER = "name,services,categories,eligibility,hours,phone,email,website,address,languages,notes"


@pytest.fixture
def resource_vault(vault_factory):
    """A locked vault: two clients and the synthetic directory. Returns (folder,
    passphrase, ids)."""
    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.services.synthetic_resources import add_synthetic_resources
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory()
    with vault.unit_of_work() as session:
        ana = add_client(session, sample_client(phone="(406) 555-0142"))
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        resources = add_synthetic_resources(session)
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, {"ana": ana, "earl": earl, "resources": resources}


def open_directory(qtbot, window):
    from mhsw_desktop.ui.resource_directory import ResourceDirectoryDialog

    window.actions_by_id["resources"].trigger()
    dialog = window.findChild(ResourceDirectoryDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0 and window.runner.idle())
    return dialog


def names_in(model):
    return [model.row_at(n).name for n in range(model.rowCount())]


def set_text(form, name, text):
    widget = form.widgets[name]
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)


def tasks(window):
    from mhsw_desktop.services.tasks import list_tasks

    with window.runner.vault.session() as session:
        return list_tasks(session, "all")


# -- the directory -----------------------------------------------------------------------
def test_filter_folds_case_and_accents_and_picks_a_category(qtbot, controller, resource_vault):
    folder, passphrase, _ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    assert dialog.count.text() == "8 resources"
    assert names_in(dialog.model)[0] == "Cedar Hall Peer Support Circle"  # by folded name
    dialog.filter.setText("ESPANOL")
    assert names_in(dialog.model) == ["Valley Ride Volunteer Transport"]
    assert dialog.count.text() == "1 of 8"
    dialog.filter.setText("francais")
    assert names_in(dialog.model) == ["Northfork Legal Aid Clinic"]
    dialog.filter.clear()
    dialog.category.setCurrentIndex(dialog.category.findData(ResourceCategory.BENEFITS.value))
    assert names_in(dialog.model) == [
        "Harbor Lane Housing Help Desk",
        "Maple Street Benefits Navigators",
        "Northfork Legal Aid Clinic",
    ]
    dialog.filter.setText("0108")  # and a phone number's digits
    assert names_in(dialog.model) == ["Maple Street Benefits Navigators"]
    dialog.table.selectRow(0)
    assert "SNAP, Medicaid" in dialog.details.text()
    assert "navigators@maplestreet.example.org" in dialog.details.text()


def test_add_edit_and_delete_an_entry(qtbot, controller, resource_vault):
    folder, passphrase, _ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    form = dialog.add()
    set_text(form, "name", "Tidewater <b>Shelter</b>")
    form.category_boxes[ResourceCategory.HOUSING].setChecked(True)
    form.category_boxes[ResourceCategory.CRISIS].setChecked(True)
    set_text(form, "phone", "not a phone")
    assert "does not look like a phone number" in form.errors["phone"].text()
    form.save_button.click()
    qtbot.waitUntil(window.runner.idle)
    assert form.isVisible() and form.summary.text().startswith("Nothing was saved")
    set_text(form, "phone", "(406) 555-0190")
    set_text(form, "services", "Beds for the night\nshowers")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_button.click()
    qtbot.waitUntil(lambda: "Tidewater <b>Shelter</b>" in names_in(dialog.model))
    qtbot.waitUntil(window.runner.idle)
    row = dialog.table.current_record()
    assert row.name == "Tidewater <b>Shelter</b>"
    assert row.categories == (ResourceCategory.HOUSING, ResourceCategory.CRISIS)
    assert "Beds for the night showers" in dialog.details.text()

    edit = dialog.edit()
    assert edit.widgets["name"].text() == "Tidewater <b>Shelter</b>"
    assert edit.category_boxes[ResourceCategory.CRISIS].isChecked()
    set_text(edit, "name", "Tidewater Shelter")
    with qtbot.waitSignal(edit.saved, timeout=5000):
        edit.save_button.click()
    qtbot.waitUntil(lambda: "Tidewater Shelter" in names_in(dialog.model))
    qtbot.waitUntil(window.runner.idle)

    dialog.table.selectRow(dialog.model.row_of(dialog.table.current_record().id))
    dialog.delete()
    box = dialog._confirm
    assert box is not None and "Delete Tidewater Shelter" in box.text()
    next(b for b in box.buttons() if b.text() == "&Delete").click()
    qtbot.waitUntil(lambda: "Tidewater Shelter" not in names_in(dialog.model))
    assert dialog.notice.text() == "Deleted Tidewater Shelter."


def test_duplicate_name_and_phone_asks_first(qtbot, controller, resource_vault):
    folder, passphrase, _ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    form = dialog.add()
    set_text(form, "name", "riverbend community food pantry")
    set_text(form, "phone", "+1 406 555 0101")
    form.save_button.click()
    qtbot.waitUntil(lambda: form._confirm is not None)
    assert "Riverbend Community Food Pantry" in form._confirm.text()
    form._confirm.reject()
    qtbot.waitUntil(window.runner.idle)
    assert form.isVisible() and len(dialog.model.all_rows()) == 8
    form.discard()


def test_csv_import_refuses_bad_rows_then_imports_and_exports(
    qtbot, controller, resource_vault, tmp_path, monkeypatch
):
    folder, passphrase, _ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{HEADER}\nGood Place,,food,,,,,,,,\n,no name,,,,,,,,,\nBad,,,,,call me,,,,,\n", "utf-8"
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()) and window.runner.idle())
    assert "Nothing was imported: the file has 2 problems" in dialog.error.text()
    assert "• row 3, name: is required" in dialog.error.text()
    assert "• row 4, phone: does not look like a phone number" in dialog.error.text()
    assert len(dialog.model.all_rows()) == 8

    good = tmp_path / "good.csv"
    good.write_text(
        f"{HEADER}\nSynth Bridge Café,Meals,food,,,(406) 555-0180,,,,Español,\n"
        "Riverbend Community Food Pantry,,,,,(406) 555-0101,,,,,\n",
        "utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Added"))
    qtbot.waitUntil(lambda: len(dialog.model.all_rows()) == 9 and window.runner.idle())
    assert dialog.notice.text() == (
        "Added 1 resource. Skipped 1 already in the directory or repeated in the file: "
        "Riverbend Community Food Pantry (row 3)."
    )
    assert dialog.error.text() == ""

    out = tmp_path / "exports" / "directory"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Exported"))
    written = out.with_name("directory.csv")
    text = written.read_bytes().decode("utf-8-sig")
    assert text.startswith(HEADER + "\r\n")
    assert "Synth Bridge Café" in text and text.count("\r\n") == 10


def test_export_into_a_synced_folder_asks_first(
    qtbot, controller, resource_vault, tmp_path, monkeypatch
):
    folder, passphrase, _ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    target = tmp_path / "Dropbox" / "resources.csv"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.export_button.click()
    box = dialog._confirm
    assert box is not None and "Dropbox" in box.text()
    assert not target.exists()
    next(b for b in box.buttons() if b.text() == "&Cancel").click()
    qtbot.waitUntil(window.runner.idle)
    assert not target.exists()


# -- referrals in the client view -------------------------------------------------------
def show_referrals(qtbot, window, client_id):
    window.show_client(client_id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.referrals)
    pane = view.referrals
    qtbot.waitUntil(lambda: pane.actions_by_id["refer"].isEnabled() and window.runner.idle())
    return pane


def choose(qtbot, dialog, resource_id):
    combo = dialog.resource
    qtbot.waitUntil(lambda: combo.findData(str(resource_id)) >= 0)
    combo.setCurrentIndex(combo.findData(str(resource_id)))


def test_refer_change_and_remove_with_follow_up_tasks(qtbot, controller, resource_vault):
    folder, passphrase, ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_referrals(qtbot, window, ids["ana"])
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()
    assert not pane.actions_by_id["edit_referral"].isEnabled()

    dialog = pane.refer()
    assert not dialog.save_button.isEnabled()  # no resource chosen yet
    pantry = ids["resources"][0]
    choose(qtbot, dialog, pantry)
    follow = TODAY + timedelta(days=7)
    dialog.followup.setDate(QDate(follow.year, follow.month, follow.day))
    dialog.notes.setPlainText("Groceries <i>weekly</i>")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and window.runner.idle())
    row = pane.model.row_at(0)
    assert row.resource_name == "Riverbend Community Food Pantry"
    assert pane.model.index(0, 2).data() == f"Made ({TODAY.isoformat()})"
    assert pane.model.index(0, 3).data() == follow.isoformat()
    assert pane.model.index(0, 4).data() == "Groceries <i>weekly</i>"
    [task] = tasks(window)
    assert task.title == "Follow up referral: Riverbend Community Food Pantry"
    assert task.due_date == follow and task.client_id == ids["ana"]

    # a future referral date is refused under its field
    dialog = pane.refer(pantry)
    choose(qtbot, dialog, pantry)
    tomorrow = TODAY + timedelta(days=1)
    dialog.referred_on.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["referred_on"].isVisible())
    assert "is in the future" in dialog.errors["referred_on"].text()
    dialog.discard()

    pane.table.selectRow(0)
    change = pane.edit()
    qtbot.waitUntil(lambda: change.chosen() == pantry and window.runner.idle())
    assert not change.is_dirty()
    change.status.setCurrentIndex(change.status.findData(ReferralStatus.COMPLETED.value))
    with qtbot.waitSignal(change.saved, timeout=5000):
        change.save_button.click()
    qtbot.waitUntil(lambda: pane.model.row_at(0).status is ReferralStatus.COMPLETED)
    qtbot.waitUntil(window.runner.idle)
    assert pane.model.index(0, 3).data() == f"{follow.isoformat()} (done)"
    assert tasks(window)[0].completed_at is not None

    pane.table.selectRow(0)
    box = pane.remove()
    assert "Remove the referral to Riverbend Community Food Pantry" in box.text()
    next(b for b in box.buttons() if b.text() == "&Remove").click()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0 and window.runner.idle())
    assert pane.empty.isVisible()


def test_the_pane_follows_the_client_and_opens_the_directory(qtbot, controller, resource_vault):
    from mhsw_desktop.services.resources import ReferralInput, add_referral

    folder, passphrase, ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    with window.runner.vault.unit_of_work() as session:
        add_referral(session, ReferralInput(ids["earl"], ids["resources"][3], TODAY))
    pane = show_referrals(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert pane.count.text() == "1 referral"
    pane = show_referrals(qtbot, window, ids["ana"])
    qtbot.waitUntil(lambda: pane.empty.isVisible())
    assert pane.model.rowCount() == 0
    pane.actions_by_id["open_resources"].trigger()
    from mhsw_desktop.ui.resource_directory import ResourceDirectoryDialog

    assert window.findChild(ResourceDirectoryDialog).isVisible()


# -- models, names, lock -----------------------------------------------------------------
def test_models_pass_the_model_tester(qtmodeltester):
    import uuid

    from mhsw_desktop.services.resources import ReferralRow, ResourceRow, resource_matches
    from mhsw_desktop.ui.record_model import RecordTableModel
    from mhsw_desktop.ui.referrals_pane import COLUMNS as REFERRAL_COLUMNS
    from mhsw_desktop.ui.resource_directory import COLUMNS

    rows = [
        ResourceRow(uuid.uuid4(), name, "", cats, "", "", phone, "", "", "", langs, "")
        for name, cats, phone, langs in (
            ("Zoë's Pantry", (ResourceCategory.FOOD,), "406-555-0150", "Español"),
            ("Crisis Line", (ResourceCategory.CRISIS,), "406-555-0104", "English"),
        )
    ]
    model = RecordTableModel(COLUMNS)
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.set_filter(lambda r: resource_matches(r, "zoe"))
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Zoë's Pantry"
    qtmodeltester.check(model)
    referrals = RecordTableModel(REFERRAL_COLUMNS)
    referrals.set_rows(
        [
            ReferralRow(
                uuid.uuid4(),
                uuid.uuid4(),
                rows[0].id,
                rows[0].name,
                "",
                True,
                TODAY,
                ReferralStatus.NO_RESPONSE,
                TODAY,
                None,
                None,
                False,
                "note",
            ),
        ]
    )
    qtmodeltester.check(referrals)
    assert referrals.index(0, 1).data() == "Zoë's Pantry (no longer in the directory)"
    assert referrals.index(0, 2).data() == f"No response ({TODAY.isoformat()})"


def test_new_widgets_have_accessible_names(qtbot, controller, resource_vault):
    folder, passphrase, ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_referrals(qtbot, window, ids["ana"])
    assert unnamed(window) == []
    directory = open_directory(qtbot, window)
    directory.table.selectRow(0)
    dialogs = [directory, directory.add(), directory.edit(), pane.refer()]
    qtbot.waitUntil(window.runner.idle)
    for dialog in dialogs:
        assert unnamed(dialog) == [], type(dialog).__name__
    assert accessible_name("resources") == "Community resource directory"
    assert pane.buttons["refer"].text() == "Re&fer…"


def test_lock_closes_every_window_and_forgets_the_rows(qtbot, controller, resource_vault):
    folder, passphrase, ids = resource_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_referrals(qtbot, window, ids["ana"])
    directory = open_directory(qtbot, window)
    form = directory.add()
    set_text(form, "name", "Typed, not saved")
    refer = pane.refer()
    refer.notes.setPlainText("Typed, not saved")
    qtbot.waitUntil(window.runner.idle)
    with qtbot.waitSignal(controller.locked, timeout=5000):
        controller.lock()
    for dialog in (directory, form, refer):
        assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    from mhsw_desktop.ui.unlock_dialog import UnlockDialog

    still = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert [d for d in still if not isinstance(d, UnlockDialog)] == []
    assert pane.client_id is None and pane.model.rowCount() == 0
    assert not pane.actions_by_id["refer"].isEnabled()
    assert not window.actions_by_id["resources"].isEnabled()
