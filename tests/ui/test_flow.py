"""The whole path a practitioner walks: wizard, unlock, add, filter, lock, unlock again."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWizard

from mhsw_desktop.ui.client_form import ClientFormDialog
from tests.conftest import TEST_PASSPHRASE


def visible_texts(widget):
    texts = []
    for child in [*widget.findChildren(QLabel), *widget.findChildren(QLineEdit)]:
        if child.isVisible():
            texts.append(child.text())
    for button in widget.findChildren(QAbstractButton):
        if button.isVisible():
            texts.append(button.text())
    texts.append(widget.windowTitle())
    return "\n".join(texts)


def run_wizard(qtbot, controller, folder):
    controller.show_wizard()
    wizard = controller.wizard
    wizard.folder_page.folder.setText(str(folder))
    wizard.next()
    assert wizard.currentId() == 1
    fields = wizard.passphrase_page.fields
    fields.passphrase.setText(TEST_PASSPHRASE)
    fields.confirm.setText(TEST_PASSPHRASE)
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    wizard.next()
    page = wizard.recovery_page
    qtbot.waitUntil(lambda: wizard.vault is not None, timeout=10_000)
    assert len(page.key.text().split()) == 9
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    page.confirmed.setChecked(True)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    with qtbot.waitSignal(controller.unlocked):
        wizard.button(QWizard.WizardButton.FinishButton).click()


def add_client(qtbot, window, first, last, born):
    window.actions_by_id["new_client"].trigger()
    form = window.findChild(ClientFormDialog)
    assert form is not None and form.isVisible()
    form.widgets["legal_first_name"].setText(first)
    form.widgets["legal_last_name"].setText(last)
    form.widgets["date_of_birth"].set_value(born)
    assert form.save_button.isEnabled()
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    qtbot.waitUntil(lambda: window.clients.model.rowCount() >= 1 and window.runner.idle())


def test_wizard_unlock_add_filter_lock_unlock(qtbot, controller, tmp_path):
    folder = tmp_path / "records"
    run_wizard(qtbot, controller, folder)
    window = controller.main_window
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.windowTitle() == "MHSW Desktop"
    assert str(folder) in window.vault_label.text()

    add_client(qtbot, window, "Ana", "González", date(1985, 3, 14))
    add_client(qtbot, window, "Earl", "Pruitt", date(1950, 6, 7))
    assert window.clients.model.rowCount() == 2

    qtbot.keyClicks(window.clients.filter, "gonzalez")
    proxy = window.clients.proxy
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data() == "González, Ana"
    assert "1 of 2 clients" in window.count_label.text()

    # a form with typed text is open when the lock comes
    window.clients.table.selectRow(0)
    window.edit_client()
    qtbot.waitUntil(lambda: window.findChild(ClientFormDialog) is not None)
    form = window.findChild(ClientFormDialog)
    form.widgets["pronouns"].setText("she/her")
    QApplication.clipboard().clear()
    # Ctrl+C in the client list copies the name the way any Qt view does.
    window.activateWindow()
    window.clients.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWindow() is not None)
    qtbot.keyClick(window.clients.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert "González" in QApplication.clipboard().text()

    window.actions_by_id["lock"].trigger()
    assert controller.vault is None
    assert window.clients.model.rowCount() == 0
    assert window.windowTitle() == "MHSW Desktop — Locked"
    assert QApplication.clipboard().text() == ""
    qtbot.waitUntil(lambda: window.findChild(ClientFormDialog) is None or not form.isVisible())
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            text = visible_texts(top)
            assert "González" not in text and "Pruitt" not in text, text
    dialog = controller.unlock_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Unlock — MHSW Desktop"

    dialog.passphrase.setText(TEST_PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 2)
    assert window.windowTitle() == "MHSW Desktop"
    assert window.clients.filter.text() == ""


def test_idle_auto_lock(qtbot, controller, filled_vault, settings):
    folder, passphrase, _recovery = filled_vault
    controller.start(folder)
    dialog = controller.unlock_dialog
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        dialog.attempt()
    qtbot.addWidget(controller.main_window)
    assert controller.idle.is_active()
    with qtbot.waitSignal(controller.locked, timeout=5_000):
        controller.idle.set_minutes(0.05 / 60)  # 50 ms without input
        controller.idle.start()
    assert controller.main_window.clients.model.rowCount() == 0
    assert controller.vault is None


def test_changing_the_passphrase_asks_for_the_current_one(qtbot, controller, filled_vault):
    from mhsw_desktop.ui.passphrase_fields import NewPassphraseDialog
    from mhsw_desktop.vault.vault import Vault

    folder, passphrase, _recovery = filled_vault
    controller.start(folder)
    dialog = controller.unlock_dialog
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        dialog.attempt()
    window = controller.main_window
    qtbot.addWidget(window)
    controller.change_passphrase()
    qtbot.waitUntil(lambda: window.findChild(NewPassphraseDialog) is not None)
    change = window.findChild(NewPassphraseDialog)
    new = "orchard lantern basalt 77 heron"
    change.fields.passphrase.setText(new)
    change.fields.confirm.setText(new)
    assert not change.save.isEnabled()  # the current passphrase is required first
    change.current.setText("someone else's guess")
    assert change.save.isEnabled()
    change.save.click()
    qtbot.waitUntil(lambda: "not correct" in change.error.text(), timeout=10_000)
    change.current.setText(passphrase)
    change.fields.passphrase.setText(new)
    change.fields.confirm.setText(new)
    with qtbot.waitSignal(change.accepted, timeout=10_000):
        change.save.click()
    controller.lock()
    Vault.open(folder, new).lock()
