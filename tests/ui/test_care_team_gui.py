"""The care team in the GUI: the collaborator directory (form, validation, vCards), a
client's team, releases with their computed status, revocation, the coordination log,
the Today view's releases to renew, the models, accessible names, and lock closing it all.

Only synthetic people: 555-01xx phones, example.org addresses.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QMessageBox

from mhsw_desktop.domain.care_team import Category, CollaboratorRole, ContactMethod
from mhsw_desktop.ui.actions import accessible_name
from tests.ui.conftest import sample_client, unlock
from tests.ui.test_accessibility import unnamed

TODAY = date.today()


@pytest.fixture
def care_vault(vault_factory):
    """A locked vault: one client, two collaborators in the directory, and a second client
    whose release for Dr. Okafor expires in ten days.

    Returns (folder, passphrase, ids).
    """
    from mhsw_desktop.services.care_team import (
        CollaboratorInput,
        ReleaseInput,
        add_collaborator,
        add_release,
    )
    from mhsw_desktop.services.clients import add_client
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory()
    with vault.unit_of_work() as session:
        ana = add_client(session, sample_client(phone="(406) 555-0142"))
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        okafor = add_collaborator(
            session,
            CollaboratorInput(
                "Chidi Okafor",
                CollaboratorRole.PSYCHIATRIST,
                credentials="MD",
                organisation="Valley Community Health",
                phone="(406) 555-0110",
                email="c.okafor@example.org",
                preferred_contact=ContactMethod.PHONE,
            ),
        )
        lund = add_collaborator(
            session,
            CollaboratorInput(
                "Maren Lund",
                CollaboratorRole.CASE_MANAGER,
                organisation="County Services",
                phone="(406) 555-0111",
            ),
        )
        add_release(
            session,
            earl,
            ReleaseInput(
                collaborator_id=okafor,
                categories=(Category.ATTENDANCE, Category.DIAGNOSIS),
                purpose="Coordinate medication management",
                signed_date=TODAY - timedelta(days=300),
                expiry_date=TODAY + timedelta(days=10),
            ),
        )
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, {"ana": ana, "earl": earl, "okafor": okafor, "lund": lund}


def open_directory(qtbot, window):
    from mhsw_desktop.ui.collaborator_directory import CollaboratorDirectoryDialog

    window.actions_by_id["collaborators"].trigger()
    dialog = window.findChild(CollaboratorDirectoryDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 and window.runner.idle())
    return dialog


def names_in(dialog):
    return [dialog.model.row_at(n).name for n in range(dialog.model.rowCount())]


def set_text(form, name, text):
    widget = form.widgets[name]
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)


# -- the directory --------------------------------------------------------------------------
def test_add_a_collaborator_through_the_form(qtbot, controller, care_vault):
    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    assert names_in(dialog) == ["Chidi Okafor", "Maren Lund"]
    assert dialog.count.text() == "2 collaborators"

    form = dialog.add()
    set_text(form, "name", "Priya <b>Nair</b>")
    set_text(form, "credentials", "LAC")
    form.widgets["role"].setCurrentIndex(
        form.widgets["role"].findData(CollaboratorRole.SUBSTANCE_USE_COUNSELLOR.value)
    )
    set_text(form, "organisation", "Riverside Recovery")
    set_text(form, "phone", "(406) 555-0123")
    set_text(form, "email", "p.nair@example.org")
    set_text(form, "address", "12 Elm St\nHelena MT")
    form.widgets["preferred_contact"].setCurrentIndex(
        form.widgets["preferred_contact"].findData(ContactMethod.EMAIL.value)
    )
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_button.click()
    qtbot.waitUntil(lambda: "Priya <b>Nair</b>" in names_in(dialog) and window.runner.idle())
    assert not shiboken6.isValid(form) or not form.isVisible()
    row = dialog.table.current_record()
    assert row.name == "Priya <b>Nair</b>" and row.role is CollaboratorRole.SUBSTANCE_USE_COUNSELLOR
    assert row.address == "12 Elm St\nHelena MT"
    assert "p.nair@example.org" in dialog.details.text()
    # the filter folds case and finds the organisation
    dialog.filter.setText("riverside")
    assert names_in(dialog) == ["Priya <b>Nair</b>"]
    assert dialog.count.text() == "1 of 3"
    dialog.filter.setText("555 0110")
    assert names_in(dialog) == ["Chidi Okafor"]


def test_a_validation_error_keeps_the_form_open_and_saves_nothing(qtbot, controller, care_vault):
    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    form = dialog.add()
    set_text(form, "name", "Tomas Reyes")
    set_text(form, "email", "not an address")
    form.widgets["preferred_contact"].setCurrentIndex(
        form.widgets["preferred_contact"].findData(ContactMethod.FAX.value)
    )
    # the messages appear under the fields as they are typed
    assert form.errors["email"].isVisible()
    assert "does not look like an email address" in form.errors["email"].text()
    assert "none is recorded" in form.errors["preferred_contact"].text()
    form.save_button.click()
    qtbot.waitUntil(window.runner.idle)
    assert form.isVisible()
    assert form.summary.text().startswith("Nothing was saved")
    dialog.load()
    qtbot.waitUntil(window.runner.idle)
    assert names_in(dialog) == ["Chidi Okafor", "Maren Lund"]
    # an empty name is refused too, with the field named
    set_text(form, "name", "   ")
    assert form.errors["name"].text() == "Name is required"
    form.discard()
    assert not form.isVisible()


def test_duplicate_name_and_phone_asks_first(qtbot, controller, care_vault):
    from PySide6.QtWidgets import QMessageBox

    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    form = dialog.add()
    set_text(form, "name", "chidi okafor")
    set_text(form, "phone", "+1 406 555 0110")
    form.save_button.click()
    qtbot.waitUntil(lambda: form._confirm is not None)
    box = form._confirm
    assert isinstance(box, QMessageBox) and "Chidi Okafor, MD" in box.text()
    box.reject()
    qtbot.waitUntil(window.runner.idle)
    assert form.isVisible() and len(dialog.model.all_rows()) == 2
    form.discard()


def test_vcard_export_then_import_round_trip(qtbot, controller, care_vault, tmp_path, monkeypatch):
    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    out = tmp_path / "exports" / "directory"
    out.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "vCard 4.0 (*.vcf)")
    )
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Exported"))
    written = out.with_name("directory.vcf")
    text = written.read_text("utf-8")
    assert text.count("BEGIN:VCARD") == 2 and "VERSION:4.0" in text
    assert "Exported 2 collaborators as vCard 4.0" in dialog.notice.text()

    # importing the same file: both are duplicates, nothing is added
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(written), ""))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Added"))
    assert dialog.notice.text().startswith("Added 0 collaborators. Skipped 2")
    assert "Chidi Okafor (card 1)" in dialog.notice.text()

    # a file with one new card and one repeat
    extra = tmp_path / "new.vcf"
    extra.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ines Varga\r\nN:Varga;Ines;;;\r\n"
        "TEL;TYPE=WORK:(406) 555-0130\r\nEMAIL:i.varga@example.org\r\nROLE:Probation officer\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maren Lund\r\nN:Lund;Maren;;;\r\n"
        "TEL:406-555-0111\r\nEND:VCARD\r\n",
        "utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(extra), ""))
    dialog.notice.setText("")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Added"))
    assert dialog.notice.text().startswith("Added 1 collaborator. Skipped 1")
    assert "Maren Lund (card 2)" in dialog.notice.text()
    qtbot.waitUntil(lambda: "Ines Varga" in names_in(dialog))
    ines = next(r for r in dialog.model.all_rows() if r.name == "Ines Varga")
    assert ines.role is CollaboratorRole.PROBATION_PAROLE


def test_a_malformed_vcard_imports_nothing(qtbot, controller, care_vault, tmp_path, monkeypatch):
    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    bad = tmp_path / "bad.vcf"
    bad.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Person\r\nTEL:406-555-0140\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Mail\r\nEMAIL:nowhere\r\nEND:VCARD\r\n",
        "utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    assert "Nothing was imported" in dialog.error.text()
    assert "card 2" in dialog.error.text()
    dialog.load()
    qtbot.waitUntil(window.runner.idle)
    assert names_in(dialog) == ["Chidi Okafor", "Maren Lund"]
    # a file that cannot be read says so
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "gone.vcf"), "")
    )
    dialog.error.setText("")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    assert "Could not read gone.vcf" in dialog.error.text()


def test_delete_asks_and_is_refused_while_on_a_team(qtbot, controller, care_vault):
    from mhsw_desktop.services.care_team import TeamMemberInput, add_team_member

    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    done = []
    window.runner.query(
        lambda s: add_team_member(s, ids["ana"], TeamMemberInput(ids["okafor"])),
        done.append,
        changes="care_team",
    )
    qtbot.waitUntil(lambda: bool(done))
    dialog = open_directory(qtbot, window)
    for name, expect_deleted in (("Chidi Okafor", False), ("Maren Lund", True)):
        dialog.table.selectRow(names_in(dialog).index(name))
        dialog.delete_button.click()
        box = dialog._confirm
        assert box is not None and name in box.text()
        remove = next(b for b in box.buttons() if b.text() == "&Delete")
        remove.click()
        qtbot.waitUntil(window.runner.idle)
        qtbot.waitUntil(lambda n=name, e=expect_deleted: (n not in names_in(dialog)) == e)
        if not expect_deleted:
            assert "end those team memberships first" in dialog.error.text()


# -- a client's care team ------------------------------------------------------------------
def show_care_team(qtbot, window, client_id):
    window.show_client(client_id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.care_team)
    pane = view.care_team
    qtbot.waitUntil(lambda: pane.add_member.isEnabled() and window.runner.idle())
    return pane


def choose(combo, collaborator_id, qtbot):
    qtbot.waitUntil(lambda: combo.index_of(collaborator_id) >= 0)
    combo.setCurrentIndex(combo.index_of(collaborator_id))


def test_team_release_revoke_and_contact_in_the_client_view(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["ana"])
    assert pane.team_empty.isVisible() and pane.releases_empty.isVisible()
    assert not pane.end_member.isEnabled() and not pane.revoke.isEnabled()

    # add Dr. Okafor to the team as the primary contact
    dialog = pane._add_member()
    choose(dialog.collaborator, ids["okafor"], qtbot)
    dialog.team_role.setText("Prescriber")
    dialog.primary.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.team.rowCount() == 1)
    member = pane.team.row_at(0)
    assert member.display_name == "Chidi Okafor, MD" and member.primary_contact
    assert pane.team.index(0, 1).data() == "Prescriber"
    assert pane.team.index(0, 5).data() == "No release"

    # a release: psychotherapy notes and substance use are not ticked by default
    pane.team_table.selectRow(0)
    dialog = pane._add_release()
    qtbot.waitUntil(lambda: dialog.collaborator.chosen() == ids["okafor"])
    assert not dialog.categories[Category.PSYCHOTHERAPY_NOTES].isChecked()
    assert not dialog.categories[Category.SUBSTANCE_USE].isChecked()
    assert dialog.categories[Category.DIAGNOSIS].isChecked()
    assert not dialog.consent.isEnabled()
    # substance use without its specific consent: the service's message, under the field
    dialog.categories[Category.SUBSTANCE_USE].setChecked(True)
    assert dialog.consent.isEnabled()
    dialog.purpose.setPlainText("Coordinate medication management")
    dialog.expiry.set_value(TODAY + timedelta(days=20))
    assert dialog.preview.text() == "Expiring in 20 days"
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["substance_use_consent"].isVisible())
    assert "42 CFR Part 2" in dialog.errors["substance_use_consent"].text()
    assert dialog.isVisible() and pane.releases.rowCount() == 0
    dialog.consent.setPlainText("Attendance and treatment progress in the recovery programme")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 1 and window.runner.idle())
    assert pane.releases.index(0, 1).data() == "Expiring in 20 days"
    assert "Substance-use information" in pane.releases.index(0, 2).data()
    assert pane.releases.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert pane.team.index(0, 5).data().startswith("Expiring: attendance, diagnosis")

    # revoke it
    pane.release_table.selectRow(0)
    assert pane.revoke.isEnabled()
    dialog = pane._revoke()
    assert dialog.windowTitle() == "Revoke release of information"
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.releases.row_at(0).revoked_date is not None)
    assert pane.releases.index(0, 1).data() == f"Revoked {TODAY.isoformat()}"
    assert pane.team.index(0, 5).data() == "Revoked: share nothing"
    pane.release_table.selectRow(0)
    assert not pane.revoke.isEnabled()

    # log a contact
    pane.team_table.selectRow(0)
    dialog = pane._log_contact()
    qtbot.waitUntil(lambda: dialog.collaborator.chosen() == ids["okafor"])
    assert not dialog.save_button.isEnabled()
    dialog.summary_text.setPlainText("Asked about the dose change;\nwill call back Friday.")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.contacts.rowCount() == 1)
    assert [pane.contacts.index(0, c).data() for c in range(5)] == [
        TODAY.isoformat(),
        "Chidi Okafor, MD",
        "Phone",
        "Outgoing",
        "Asked about the dose change; will call back Friday.",
    ]

    # end the membership
    pane.team_table.selectRow(0)
    dialog = pane._end_member()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.team.row_at(0).end_date == TODAY)
    assert pane.team.index(0, 3).data().endswith(f"to {TODAY.isoformat()}")
    assert not pane.disclosures_empty.isHidden() and pane.disclosures.rowCount() == 0


def test_a_revocation_before_the_signed_date_is_refused(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 1)
    # a disclosure made under it shows in the accounting (read-only)
    from mhsw_desktop.domain.care_team import DisclosureMeans
    from mhsw_desktop.services.care_team import record_disclosure

    release_id = pane.releases.row_at(0).id
    window.runner.query(
        lambda s: record_disclosure(
            s, ids["earl"], ids["okafor"], release_id, [Category.ATTENDANCE],
            DisclosureMeans.FAX, "Attendance letter",
        ),
        changes="care_team",
    )  # fmt: skip
    qtbot.waitUntil(lambda: pane.disclosures.rowCount() == 1)
    assert [pane.disclosures.index(0, c).data() for c in range(6)] == [
        TODAY.isoformat(),
        "Chidi Okafor, MD, Valley Community Health",
        "Attendance letter",
        "attendance",
        "Fax",
        "Coordinate medication management",
    ]
    assert pane.disclosure_table.editTriggers() == pane.disclosure_table.EditTrigger.NoEditTriggers
    pane.release_table.selectRow(0)
    dialog = pane._revoke()
    dialog.on.set_value(TODAY - timedelta(days=400))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["revoked_date"].isVisible())
    assert dialog.errors["revoked_date"].text() == "Revoked on is before the signed date"
    assert dialog.isVisible()
    assert pane.releases.row_at(0).revoked_date is None
    dialog.discard()


def test_today_lists_a_release_to_renew_and_opens_the_client(qtbot, controller, care_vault):
    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["view_today"].trigger()
    today = window.today
    qtbot.waitUntil(lambda: today.releases.rowCount() == 1)
    assert today.releases_box.isVisible()
    assert [today.releases.index(0, c).data() for c in range(4)] == [
        "Pruitt, Earl",
        "Chidi Okafor, MD",
        "Expiring in 10 days",
        (TODAY + timedelta(days=10)).isoformat(),
    ]
    view = window.client_view
    assert view.tabs.currentWidget() is not view.care_team  # the timeline, until now
    release_id = today.releases.row_at(0).id
    today.release_table.setFocus()
    today.release_table.selectRow(0)
    qtbot.keyClick(today.release_table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.name.text() == "Pruitt, Earl")
    # the care team tab, with the release that needs renewing selected
    assert view.tabs.currentWidget() is view.care_team
    pane = view.care_team
    qtbot.waitUntil(lambda: pane.release_table.current_record() is not None)
    assert pane.release_table.current_record().id == release_id
    assert pane.edit_release.isEnabled() and pane.revoke.isEnabled()


# -- editing and deleting ------------------------------------------------------------------
def test_edit_a_collaborator_from_the_directory(qtbot, controller, care_vault):
    from PySide6.QtWidgets import QMessageBox

    from mhsw_desktop.ui.collaborator_form import CollaboratorFormDialog

    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    dialog.filter.setText("okafor")
    dialog.table.selectRow(0)
    assert dialog.edit_button.isEnabled()
    dialog.edit_button.click()  # the button, as a user presses it
    form = dialog.findChild(CollaboratorFormDialog)
    assert form is not None and form.isVisible()
    assert form.windowTitle() == "Edit collaborator"
    assert form.widgets["name"].text() == "Chidi Okafor"
    assert form.widgets["credentials"].text() == "MD"
    assert form.widgets["role"].currentData() == CollaboratorRole.PSYCHIATRIST.value
    assert form.widgets["preferred_contact"].currentData() == ContactMethod.PHONE.value
    assert not form.is_dirty()
    # the same checks as on adding, message under the field
    set_text(form, "phone", "")
    assert "none is recorded" in form.errors["preferred_contact"].text()
    form.save_button.click()
    assert form.summary.text().startswith("Nothing was saved")
    set_text(form, "phone", "(406) 555-0199")
    assert not form.errors["preferred_contact"].isVisible()
    set_text(form, "organisation", "Valley Community Health & <North>")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_button.click()
    qtbot.waitUntil(
        lambda: (
            dialog.table.current_record() is not None
            and dialog.table.current_record().phone == "(406) 555-0199"
            and window.runner.idle()
        )
    )
    row = dialog.table.current_record()
    assert row.organisation == "Valley Community Health & <North>"
    assert dialog.filter.text() == "okafor"  # the entry still matches: the filter stays
    assert names_in(dialog) == ["Chidi Okafor"]
    assert len(dialog.model.all_rows()) == 2

    # an edit that makes the entry look like another one asks first
    dialog.filter.clear()
    dialog.table.selectRow(names_in(dialog).index("Maren Lund"))
    dialog.table.open_requested.emit(dialog.table.current_record())  # double-click, Enter
    form = next(f for f in dialog.findChildren(CollaboratorFormDialog) if f.isVisible())
    set_text(form, "name", "chidi okafor")
    set_text(form, "phone", "406 555 0199")
    form.save_button.click()
    qtbot.waitUntil(lambda: form._confirm is not None)
    box = form._confirm
    assert isinstance(box, QMessageBox) and "another entry" in box.text()
    assert "Chidi Okafor, MD" in box.text()
    box.reject()
    qtbot.waitUntil(window.runner.idle)
    assert form.isVisible() and "Maren Lund" in names_in(dialog)
    form.discard()


def test_edit_a_release(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 1)
    assert not pane.edit_release.isEnabled() and not pane.delete_release.isEnabled()
    pane.release_table.selectRow(0)
    assert pane.edit_release.isEnabled() and pane.delete_release.isEnabled()
    pane.edit_release.click()
    dialog = pane.findChild(QDialog, "release_dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Edit release of information"
    assert dialog.save_button.text() == "&Save"
    qtbot.waitUntil(lambda: dialog.collaborator.chosen() == ids["okafor"])
    assert dialog.chosen_categories() == (Category.ATTENDANCE, Category.DIAGNOSIS)
    assert dialog.purpose.toPlainText() == "Coordinate medication management"
    assert dialog.signed.value() == TODAY - timedelta(days=300)
    assert dialog.expiry.value() == TODAY + timedelta(days=10)
    assert dialog.preview.text() == "Expiring in 10 days"
    assert not dialog.is_dirty()
    # the service's checks, under the field
    dialog.expiry.set_value(TODAY - timedelta(days=400))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors["expiry_date"].isVisible())
    assert dialog.errors["expiry_date"].text() == "Expires after is before the signed date"
    # corrected as signed: a later end and the treatment plan too
    dialog.expiry.set_value(TODAY + timedelta(days=200))
    dialog.categories[Category.TREATMENT_PLAN].setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.releases.row_at(0).expiry_date == TODAY + timedelta(days=200))
    assert pane.releases.rowCount() == 1
    assert pane.releases.index(0, 1).data() == "Active"
    assert "Treatment plan" in pane.releases.index(0, 2).data()
    # no longer expiring: the Today view drops it
    window.actions_by_id["view_today"].trigger()
    qtbot.waitUntil(lambda: window.runner.idle() and window.today.releases.rowCount() == 0)


def test_a_release_with_a_disclosure_is_locked(qtbot, controller, care_vault):
    from mhsw_desktop.domain.care_team import DisclosureMeans
    from mhsw_desktop.services.care_team import record_disclosure

    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 1)
    release_id = pane.releases.row_at(0).id
    window.runner.query(
        lambda s: record_disclosure(
            s, ids["earl"], ids["okafor"], release_id, [Category.ATTENDANCE],
            DisclosureMeans.FAX, "Attendance letter",
        ),
        changes="care_team",
    )  # fmt: skip
    qtbot.waitUntil(lambda: pane.disclosures.rowCount() == 1)
    pane.release_table.selectRow(0)
    qtbot.keyClick(pane.release_table, Qt.Key.Key_Return)
    dialog = pane.findChild(QDialog, "release_dialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.collaborator.chosen() == ids["okafor"])
    dialog.purpose.setPlainText("Something else entirely")
    dialog.save_button.click()
    # the service refuses, in its own words; the form shows the release as it stays
    qtbot.waitUntil(lambda: dialog.locked)
    assert dialog.summary.text() == (
        "Information was disclosed under this release, so it stays as it was signed. "
        "Record a new release instead, or revoke this one."
    )
    assert dialog.purpose.toPlainText() == "Coordinate medication management"
    assert not dialog.purpose.isEnabled() and not dialog.save_button.isEnabled()
    assert not dialog.categories[Category.ATTENDANCE].isEnabled()
    assert pane.releases.row_at(0).purpose == "Coordinate medication management"
    dialog.reject()  # nothing could be saved: it closes without asking
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()

    # deleting it is refused too, with the service's message
    problems = []
    pane.problem.connect(problems.append)
    pane.release_table.selectRow(0)
    box = pane.delete_release_row()
    assert "entered by mistake" in box.text()
    next(b for b in box.buttons() if b.text() == "&Delete release").click()
    qtbot.waitUntil(lambda: bool(problems))
    assert problems == [
        "Information was disclosed under this release, so it is kept. Revoke it instead."
    ]
    qtbot.waitUntil(window.runner.idle)
    assert pane.releases.rowCount() == 1


def test_delete_a_mistaken_release_from_its_dialog(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 1)
    dialog = pane.edit_release_row(pane.releases.row_at(0))
    qtbot.waitUntil(window.runner.idle)
    dialog.delete_button.click()
    box = dialog._confirm
    assert box is not None and "Chidi Okafor, MD" in box.text()
    assert box.defaultButton().text() == "&Keep"
    with qtbot.waitSignal(dialog.deleted, timeout=5000):
        next(b for b in box.buttons() if b.text() == "&Delete release").click()
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 0)
    assert pane.releases_empty.isVisible()


def add_contacts(qtbot, window, ids):
    """Two contacts with Dr. Okafor about Ana (today and 40 days ago) and a draft note 10
    days ago, through the services."""
    from mhsw_desktop.domain.care_team import ContactMode, Direction
    from mhsw_desktop.services.care_team import ContactInput, add_contact
    from mhsw_desktop.services.notes import NoteInput, create_draft

    def work(s):
        add_contact(s, ids["ana"], ContactInput(
            ids["okafor"], TODAY, ContactMode.PHONE, Direction.OUTGOING,
            "Asked about the dose change;\nwill call back <Friday>.",
        ))  # fmt: skip
        add_contact(s, ids["ana"], ContactInput(
            ids["lund"], TODAY - timedelta(days=40), ContactMode.SECURE_MESSAGE,
            Direction.INCOMING, "Housing application sent.",
        ))  # fmt: skip
        create_draft(s, NoteInput(
            ids["ana"], TODAY - timedelta(days=10), "dap", {"data": "Talked about sleep."},
        ))  # fmt: skip

    done = []
    window.runner.query(work, done.append, changes="care_team")
    qtbot.waitUntil(lambda: bool(done) and window.runner.idle())


def test_contacts_in_the_timeline(qtbot, controller, care_vault, qtmodeltester):
    from mhsw_desktop.ui.contact_dialog import ContactDialog
    from mhsw_desktop.ui.timeline import TimelineModel

    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    add_contacts(qtbot, window, ids)
    window.show_client(ids["ana"])
    view = window.client_view
    assert view.tabs.currentWidget() is not view.care_team
    qtbot.waitUntil(lambda: view.timeline.rowCount() == 3)
    table = [[view.timeline.index(r, c).data() for c in range(4)] for r in range(3)]
    assert table[0] == [
        TODAY.isoformat(),
        "Contact · phone · outgoing",
        "Chidi Okafor, MD",
        "Asked about the dose change; will call back <Friday>.",
    ]
    assert table[1][0] == (TODAY - timedelta(days=10)).isoformat()
    assert table[1][1].startswith("DAP note · ") and table[1][2].startswith("Draft")
    assert table[2][:3] == [
        (TODAY - timedelta(days=40)).isoformat(),
        "Contact · secure message · incoming",
        "Maren Lund",
    ]
    assert view.timeline.headerData(2, Qt.Orientation.Horizontal) == "Status / with"
    assert view.count.text() == "3 entries"

    # the Show: filter has a choice for contacts; the others leave contacts out
    kinds = {view.kind.itemData(n): view.kind.itemText(n) for n in range(view.kind.count())}
    assert kinds["contacts"] == "Coordination contacts"
    view.kind.setCurrentIndex(view.kind.findData("contacts"))
    assert [view.timeline.index(r, 1).data()[:7] for r in range(2)] == ["Contact"] * 2
    assert view.count.text() == "2 of 3 entries"
    for kind, expected in (("notes", 1), ("drafts", 1), ("signed", 0), ("in_error", 0)):
        view.kind.setCurrentIndex(view.kind.findData(kind))
        assert view.timeline.rowCount() == expected, kind
    # date filters apply to contacts too
    view.kind.setCurrentIndex(view.kind.findData("contacts"))
    view.date_from.set_value(TODAY - timedelta(days=30))
    assert view.timeline.rowCount() == 1
    assert view.timeline.index(0, 2).data() == "Chidi Okafor, MD"
    view.date_from.set_value(None)
    view.date_to.set_value(TODAY - timedelta(days=1))
    assert view.timeline.rowCount() == 1
    assert view.timeline.index(0, 2).data() == "Maren Lund"
    view.date_to.set_value(None)
    view.kind.setCurrentIndex(0)
    assert view.timeline.rowCount() == 3

    # activating a contact opens it (not the note editor); it is not a note to print
    view.table.setFocus()
    view.table.selectRow(0)
    assert view.selected_note_id() is None
    opened = []
    view.open_note_requested.connect(opened.append)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = next(d for d in window.findChildren(ContactDialog) if d.isVisible())
    assert opened == [] and dialog.windowTitle() == "Edit coordination contact"
    qtbot.waitUntil(lambda: dialog.collaborator.chosen() == ids["okafor"])
    assert dialog.summary_text.toPlainText().startswith("Asked about the dose change;\n")
    assert dialog.on.value() == TODAY and not dialog.is_dirty()
    dialog.summary_text.setPlainText("Dose change agreed with the client.")
    dialog.mode.setCurrentIndex(dialog.mode.findData("meeting"))
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(
        lambda: view.timeline.index(0, 3).data() == "Dose change agreed with the client."
    )
    assert view.timeline.index(0, 1).data() == "Contact · meeting · outgoing"
    # a note still opens in the editor
    view.table.selectRow(1)
    assert view.selected_note_id() == view.timeline.row_at(1).id
    view.open_note.click()
    assert opened == [view.timeline.row_at(1).id]

    # the model, with notes and contacts, passes Qt's model tester in every filter state
    rows = view.timeline.all_rows()
    for kind in ("all", "notes", "contacts", "drafts", "signed", "in_error"):
        model = TimelineModel()
        model.set_kind(kind, TODAY - timedelta(days=20), None)
        model.set_entries(rows)
        qtmodeltester.check(model)


def test_delete_a_contact(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    add_contacts(qtbot, window, ids)
    pane = show_care_team(qtbot, window, ids["ana"])
    view = window.client_view
    qtbot.waitUntil(lambda: pane.contacts.rowCount() == 2)
    assert not pane.delete_contact.isEnabled()
    pane.contact_table.selectRow(0)
    assert pane.delete_contact.isEnabled() and pane.edit_contact.isEnabled()
    # the Delete key asks first; Keep keeps it
    qtbot.keyClick(pane.contact_table, Qt.Key.Key_Delete)
    box = next(b for b in pane.findChildren(QMessageBox) if b.isVisible())
    assert box.text().startswith(
        f"Delete the phone contact with Chidi Okafor, MD on {TODAY.isoformat()}"
    )
    next(b for b in box.buttons() if b.text() == "&Keep").click()
    qtbot.waitUntil(window.runner.idle)
    assert pane.contacts.rowCount() == 2
    # the button, then Delete contact: gone from the log and from the timeline
    pane.contact_table.selectRow(0)
    pane.delete_contact.click()
    box = next(b for b in pane.findChildren(QMessageBox) if b.isVisible())
    next(b for b in box.buttons() if b.text() == "&Delete contact").click()
    qtbot.waitUntil(lambda: pane.contacts.rowCount() == 1 and window.runner.idle())
    assert pane.contacts.row_at(0).collaborator_name == "Maren Lund"
    view.tabs.setCurrentIndex(0)
    view.load()
    qtbot.waitUntil(lambda: view.timeline.rowCount() == 2 and window.runner.idle())
    assert "Chidi Okafor, MD" not in [view.timeline.index(r, 2).data() for r in range(2)]
    # from its own dialog, opened from the timeline
    contact_row = next(n for n in range(2) if view.timeline.index(n, 2).data() == "Maren Lund")
    dialog = pane.edit_contact_row(view.timeline.row_at(contact_row))
    dialog.delete_button.click()
    with qtbot.waitSignal(dialog.deleted, timeout=5000):
        next(b for b in dialog._confirm.buttons() if b.text() == "&Delete contact").click()
    qtbot.waitUntil(lambda: view.timeline.rowCount() == 1 and pane.contacts.rowCount() == 0)


def test_edit_and_remove_a_team_member(qtbot, controller, care_vault):
    from mhsw_desktop.services.care_team import TeamMemberInput, add_team_member

    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    done = []
    window.runner.query(
        lambda s: [
            add_team_member(s, ids["ana"], TeamMemberInput(ids["okafor"], "Prescriber")),
            add_team_member(s, ids["ana"], TeamMemberInput(ids["lund"])),
        ],
        done.append,
        changes="care_team",
    )
    qtbot.waitUntil(lambda: bool(done))
    pane = show_care_team(qtbot, window, ids["ana"])
    qtbot.waitUntil(lambda: pane.team.rowCount() == 2)
    row = next(r for r in pane.team.all_rows() if r.collaborator_id == ids["lund"])
    pane.team_table.selectRow(pane.team.row_of(row.id))
    pane.edit_member.click()
    dialog = pane.findChild(QDialog, "team_member_dialog")
    assert dialog is not None and dialog.windowTitle() == "Edit care-team membership"
    qtbot.waitUntil(lambda: dialog.collaborator.chosen() == ids["lund"])
    assert not dialog.collaborator.isEnabled() and not dialog.new_collaborator.isVisible()
    assert dialog.start.value() == TODAY and not dialog.is_dirty()
    dialog.team_role.setText("Housing case manager")
    dialog.primary.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.team.row_at(0).collaborator_id == ids["lund"])
    assert pane.team.index(0, 1).data() == "Housing case manager"
    assert pane.team.index(0, 2).data() == "Primary contact"
    # removing one entered by mistake asks first
    pane.team_table.selectRow(1)
    box = pane.remove_member_row()
    assert "end the membership instead" in box.text()
    next(b for b in box.buttons() if b.text() == "&Remove").click()
    qtbot.waitUntil(lambda: pane.team.rowCount() == 1 and window.runner.idle())
    assert pane.team.row_at(0).collaborator_id == ids["lund"]


# -- models, names, lock ------------------------------------------------------------------
def release_rows():
    import uuid

    from mhsw_desktop.domain.care_team import ReleaseStatus
    from mhsw_desktop.services.care_team import ReleaseRow

    def row(status, left, revoked=None, event=""):
        return ReleaseRow(
            uuid.uuid4(), uuid.uuid4(), "Pruitt, Earl", uuid.uuid4(), "Chidi Okafor, MD",
            (Category.ATTENDANCE,), "Care <i>coordination</i>", TODAY - timedelta(days=30),
            None if event else TODAY + timedelta(days=left or 0), event, revoked, "",
            status, left, None,
        )  # fmt: skip

    return [
        row(ReleaseStatus.ACTIVE, None, event="End of treatment"),
        row(ReleaseStatus.EXPIRING, 0),
        row(ReleaseStatus.EXPIRED, -3),
        row(ReleaseStatus.REVOKED, 40, revoked=TODAY),
    ]


def test_release_models_pass_the_model_tester(qtmodeltester):
    from mhsw_desktop.ui.release_model import (
        ATTENTION_COLUMNS,
        RELEASE_COLUMNS,
        StatusTableModel,
    )

    for columns, status_column in ((RELEASE_COLUMNS, 1), (ATTENTION_COLUMNS, 2)):
        model = StatusTableModel(columns, status_column)
        model.set_rows(release_rows())
        qtmodeltester.check(model)
        words = [model.index(n, status_column).data() for n in range(4)]
        assert words == [
            "Active",
            "Expires today (last day)",
            "Expired 3 days ago",
            f"Revoked {TODAY.isoformat()}",
        ]
        colours = {model.index(n, status_column).data(Qt.ItemDataRole.ForegroundRole).name()
                   for n in range(4)}  # fmt: skip
        assert len(colours) == 4
        assert model.index(1, status_column).data(Qt.ItemDataRole.FontRole).bold()


def test_directory_and_pane_models_pass_the_model_tester(qtmodeltester):
    import uuid

    from mhsw_desktop.services.care_team import CollaboratorRow
    from mhsw_desktop.ui.care_team_pane import CONTACT_COLUMNS
    from mhsw_desktop.ui.collaborator_directory import COLUMNS, matches
    from mhsw_desktop.ui.record_model import RecordTableModel

    rows = [
        CollaboratorRow(
            uuid.uuid4(), name, role, "", org, phone, "", "", "", ContactMethod.NONE, ""
        )
        for name, role, org, phone in (
            ("Zoë Lefèvre", CollaboratorRole.THERAPIST, "", "406-555-0150"),
            ("Chidi Okafor", CollaboratorRole.PSYCHIATRIST, "Valley", "406-555-0110"),
        )
    ]
    model = RecordTableModel(COLUMNS)
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.set_filter(lambda r: matches(r, ["zoe"]))
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Zoë Lefèvre"
    qtmodeltester.check(model)
    assert RecordTableModel(CONTACT_COLUMNS).columnCount() == 5


def test_new_widgets_have_accessible_names(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["earl"])
    assert unnamed(window) == []
    dialogs = [
        open_directory(qtbot, window),
        pane._add_member(),
        pane._add_release(),
        pane._log_contact(),
    ]
    qtbot.waitUntil(window.runner.idle)
    dialogs.append(dialogs[0].add())
    pane.release_table.selectRow(0)
    dialogs.append(pane._revoke())
    # the edit forms, with their Delete buttons, and a question before deleting
    dialogs[0].table.selectRow(0)
    dialogs.append(dialogs[0].edit())
    dialogs.append(pane.edit_release_row())
    dialogs.append(pane.delete_release_row())
    qtbot.waitUntil(window.runner.idle)
    assert dialogs[-2].delete_button is not None
    for dialog in dialogs:
        assert unnamed(dialog) == [], type(dialog).__name__
    assert accessible_name("collaborators") == "Collaborator directory"


def test_lock_closes_every_care_team_window_and_forgets_the_rows(qtbot, controller, care_vault):
    folder, passphrase, ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    pane = show_care_team(qtbot, window, ids["earl"])
    qtbot.waitUntil(lambda: pane.releases.rowCount() == 1)
    directory = open_directory(qtbot, window)
    form = directory.add()
    set_text(form, "name", "Unsaved Person")  # typed but not saved: the lock discards it
    release = pane._add_release()
    contact = pane._log_contact()
    editing = pane.edit_release_row(pane.releases.row_at(0))
    qtbot.waitUntil(window.runner.idle)
    editing.purpose.setPlainText("Typed, not saved")
    editing.delete_button.click()  # asking whether to delete when the lock comes
    asking = pane.delete_release_row(pane.releases.row_at(0))
    with qtbot.waitSignal(controller.locked, timeout=5000):
        controller.lock()
    for dialog in (directory, form, release, contact, editing, asking):
        assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    from mhsw_desktop.ui.unlock_dialog import UnlockDialog

    still = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert [d for d in still if not isinstance(d, UnlockDialog)] == []
    assert pane.client_id is None
    for model in (pane.team, pane.releases, pane.contacts, pane.disclosures):
        assert model.rowCount() == 0
    assert window.today.releases.rowCount() == 0
    assert not window.actions_by_id["collaborators"].isEnabled()


def test_export_into_a_synced_folder_asks_first(
    qtbot, controller, care_vault, tmp_path, monkeypatch
):
    folder, passphrase, _ids = care_vault
    window = unlock(qtbot, controller, folder, passphrase)
    dialog = open_directory(qtbot, window)
    target = tmp_path / "Dropbox" / "team.vcf"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "vCard 3.0 (*.vcf)")
    )
    dialog.export_button.click()
    box = dialog._confirm
    assert box is not None and "Dropbox" in box.text()
    assert not target.exists()
    next(b for b in box.buttons() if b.text() == "Save &there").click()
    qtbot.waitUntil(lambda: dialog.notice.text().startswith("Exported"))
    assert "VERSION:3.0" in target.read_text("utf-8")
