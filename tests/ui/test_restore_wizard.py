"""File > Restore from backup…: choose, give the secret, see it checked, confirm, unlock."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox, QWizard

from mhsw_desktop.services.clients import add_client
from mhsw_desktop.vault import backup
from mhsw_desktop.vault.vault import Vault
from tests.support import snapshot
from tests.ui.conftest import sample_client, unlock


def _older_backup_then_a_new_client(folder, passphrase):
    with Vault.open(folder, passphrase) as vault:
        made = backup.back_up(vault, kind="manual")
        with vault.unit_of_work() as session:
            add_client(session, sample_client("Newer", "Client", date(1990, 2, 2)))
    return made


def _open_wizard(qtbot, window):
    window.actions_by_id["restore_backup"].trigger()
    wizard = window.restore_wizard
    qtbot.waitUntil(wizard.isVisible)
    return wizard


def _to_check_page(qtbot, wizard, secret):
    assert wizard.choose_page.isComplete()  # the newest whole backup is chosen
    wizard.next()
    wizard.secret_page.secret.setText(secret)
    assert wizard.secret_page.isComplete()
    wizard.next()
    page = wizard.check_page
    qtbot.waitUntil(lambda: page.verified is not None or bool(page.error.text()), timeout=15_000)
    return page


def test_restore_end_to_end(qtbot, controller, filled_vault, monkeypatch) -> None:
    folder, passphrase, _recovery = filled_vault
    made = _older_backup_then_a_new_client(folder, passphrase)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    window = unlock(qtbot, controller, folder, passphrase)
    assert window.clients.model.rowCount() == 4

    wizard = _open_wizard(qtbot, window)
    assert wizard.choose_page.model.rowCount() >= 1
    assert wizard.choose_page.chosen() == made.path
    assert wizard.choose_page.model.item(0, 2).text() == "3"  # clients in that backup
    page = _to_check_page(qtbot, wizard, passphrase)
    assert "Every check passed" in page.status.text() and "3 clients" in page.status.text()
    assert not page.isComplete()  # the replacement must be confirmed
    page.confirm.setChecked(True)
    assert page.isComplete()
    confirmation = page.status.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()

    qtbot.waitUntil(lambda: bool(told) and controller.unlock_dialog is not None, timeout=15_000)
    assert "is kept at" in told[0]
    asides = [p for p in folder.parent.iterdir() if p.name.startswith(f"{folder.name}.before")]
    assert len(asides) == 1
    assert f"as {asides[0].name} beside it" in confirmation  # exactly where it said
    window = unlock(qtbot, controller, folder, passphrase)
    assert window.clients.model.rowCount() == 3  # the older records are back
    with Vault.open(asides[0], passphrase) as kept, kept.unit_of_work() as session:
        from mhsw_desktop.services.clients import count_clients

        assert count_clients(session) == 4  # and the newer vault is kept whole


def test_a_tampered_backup_is_refused_with_nothing_replaced(qtbot, controller, filled_vault):
    folder, passphrase, _recovery = filled_vault
    made = _older_backup_then_a_new_client(folder, passphrase)
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    made.path.write_bytes(bytes(data))
    window = unlock(qtbot, controller, folder, passphrase)
    before = snapshot(made.path.parent)

    page = _to_check_page(qtbot, _open_wizard(qtbot, window), passphrase)
    assert "cannot be trusted" in page.error.text()
    assert "nothing was changed" in page.status.text()
    assert not page.confirm.isVisible() and not page.isComplete()
    assert snapshot(made.path.parent) == before
    assert controller.runner.vault is not None  # still unlocked, nothing switched
    assert not [p for p in folder.parent.iterdir() if "restore-check" in p.name]  # cleaned up


def test_a_wrong_passphrase_is_refused_on_the_page(qtbot, controller, filled_vault) -> None:
    folder, passphrase, _recovery = filled_vault
    _older_backup_then_a_new_client(folder, passphrase)
    window = unlock(qtbot, controller, folder, passphrase)
    page = _to_check_page(qtbot, _open_wizard(qtbot, window), "not the passphrase at all")
    assert "when the backup was made" in page.error.text()
    assert not page.isComplete()


def test_the_wizard_closes_on_lock_and_forgets_the_secret(qtbot, controller, filled_vault):
    folder, passphrase, _recovery = filled_vault
    _older_backup_then_a_new_client(folder, passphrase)
    window = unlock(qtbot, controller, folder, passphrase)
    wizard = _open_wizard(qtbot, window)
    wizard.next()
    wizard.secret_page.secret.setText(passphrase)
    field = wizard.secret_page.secret
    controller.lock()
    assert field.text() == ""


def test_restore_from_the_unlock_prompt_when_the_vault_is_damaged(
    qtbot, controller, filled_vault, monkeypatch
) -> None:
    folder, passphrase, _recovery = filled_vault
    with Vault.open(folder, passphrase) as vault:
        made = backup.back_up(vault, kind="manual")
    database = folder / "vault.db"
    data = bytearray(database.read_bytes())
    data[4096 + 100] ^= 0xFF  # a page the practitioner's disk lost
    database.write_bytes(bytes(data))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))

    controller.start(folder)
    dialog = controller.unlock_dialog
    assert dialog.restore_button.accessibleName() == "Restore from backup"
    dialog.restore_button.click()
    wizard = controller.restore_wizard
    qtbot.waitUntil(wizard.isVisible)
    assert wizard.choose_page.chosen() == made.path
    steps: list[str] = []
    wizard.check_page.step.connect(steps.append)
    page = _to_check_page(qtbot, wizard, passphrase)
    assert "Every check passed" in page.status.text(), page.error.text()
    assert "Checking every page of the copy…" in steps  # the check's own steps were shown
    page.confirm.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()

    qtbot.waitUntil(lambda: bool(told) and controller.unlock_dialog is not None, timeout=15_000)
    (aside,) = [p for p in folder.parent.iterdir() if p.name.startswith(f"{folder.name}.before")]
    assert (aside / "vault.db").read_bytes() == bytes(data)  # the damaged file, kept as it was
    window = unlock(qtbot, controller, folder, passphrase)
    assert window.clients.model.rowCount() == 3
