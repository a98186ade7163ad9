"""The unlock dialog: plain messages, throttled retries, recovery key forces a new passphrase."""

from __future__ import annotations

from mhsw_desktop.ui.unlock_dialog import UnlockDialog
from mhsw_desktop.vault.throttle import UnlockThrottle

NEW_PASSPHRASE = "otter lantern quarry mosaic 19"


def make_dialog(qtbot, runner, folder, throttle=None):
    dialog = UnlockDialog(folder, runner, throttle or UnlockThrottle())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fail_once(qtbot, runner, dialog, secret):
    dialog._secret_field().setText(secret)
    dialog.attempt()
    qtbot.waitUntil(lambda: runner.idle() and dialog.error.text() != "", timeout=10_000)


def test_title_and_folder_name_no_client(qtbot, runner, filled_vault):
    folder, _passphrase, _recovery = filled_vault
    dialog = make_dialog(qtbot, runner, folder)
    assert dialog.windowTitle() == "Unlock — MHSW Desktop"
    assert str(folder) in dialog.folder_label.text()
    assert not dialog.demo_banner.isVisible()


def test_wrong_passphrase_shows_plain_message_and_throttles(qtbot, runner, filled_vault):
    folder, _passphrase, _recovery = filled_vault
    dialog = make_dialog(qtbot, runner, folder)
    fail_once(qtbot, runner, dialog, "not the passphrase at all")
    assert dialog.error.text().startswith("The passphrase is not correct for this vault.")
    assert "Traceback" not in dialog.error.text()
    assert dialog.unlock_button.isEnabled()  # the first failures are free
    fail_once(qtbot, runner, dialog, "still not the passphrase")
    dialog.error.setText("")
    fail_once(qtbot, runner, dialog, "third wrong passphrase")
    assert "Wait 1 s" in dialog.error.text()
    assert not dialog.unlock_button.isEnabled()
    assert "wait" in dialog.unlock_button.text()
    qtbot.waitUntil(dialog.unlock_button.isEnabled, timeout=3_000)
    assert dialog.unlock_button.text() == "&Unlock"


def test_throttle_outlives_the_dialog(qtbot, runner, filled_vault):
    folder, _passphrase, _recovery = filled_vault
    throttle = UnlockThrottle()
    dialog = make_dialog(qtbot, runner, folder, throttle)
    for attempt in range(3):
        dialog.error.setText("")
        fail_once(qtbot, runner, dialog, f"wrong passphrase {attempt}")
    dialog.close()
    again = make_dialog(qtbot, runner, folder, throttle)
    assert not again.unlock_button.isEnabled()


def test_damaged_vault_message_is_plain(qtbot, runner, filled_vault):
    folder, passphrase, _recovery = filled_vault
    with (folder / "vault.db").open("r+b") as handle:
        handle.truncate(100)
    dialog = make_dialog(qtbot, runner, folder)
    fail_once(qtbot, runner, dialog, passphrase)
    assert "damaged" in dialog.error.text()


def test_recovery_key_unlock_forces_a_new_passphrase(qtbot, runner, filled_vault):
    from mhsw_desktop.vault.vault import Vault

    folder, _old_passphrase, recovery = filled_vault
    dialog = make_dialog(qtbot, runner, folder)
    dialog.use_recovery.setChecked(True)
    assert dialog.recovery.isVisible() and not dialog.passphrase.isVisible()
    unlocked = []
    dialog.unlocked.connect(unlocked.append)
    dialog.recovery.setText(recovery.lower())
    dialog.attempt()
    qtbot.waitUntil(
        lambda: getattr(dialog, "new_passphrase_dialog", None) is not None, timeout=10_000
    )
    chooser = dialog.new_passphrase_dialog
    assert chooser.isVisible()
    chooser.reject()  # cannot be skipped
    chooser.close()
    assert chooser.isVisible() and not unlocked
    chooser.fields.passphrase.setText("short")
    chooser.fields.confirm.setText("short")
    assert not chooser.save.isEnabled()
    chooser.fields.passphrase.setText(NEW_PASSPHRASE)
    chooser.fields.confirm.setText(NEW_PASSPHRASE)
    assert chooser.save.isEnabled()
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000):
        chooser.save.click()
    vault = unlocked[0]
    assert not vault.must_change_passphrase
    runner.vault = vault
    runner.lock_vault()
    Vault.open(folder, NEW_PASSPHRASE).lock()


def test_locking_while_the_new_passphrase_is_chosen_locks_the_vault(qtbot, runner, filled_vault):
    folder, _old_passphrase, recovery = filled_vault
    dialog = make_dialog(qtbot, runner, folder)
    dialog.use_recovery.setChecked(True)
    dialog.recovery.setText(recovery)
    dialog.attempt()
    qtbot.waitUntil(
        lambda: getattr(dialog, "new_passphrase_dialog", None) is not None, timeout=10_000
    )
    vault = runner.vault
    assert vault is not None and not vault.is_locked  # the runner holds it meanwhile
    runner.lock_vault()  # auto-lock or quit while the practitioner hesitates
    assert vault.is_locked
    assert not dialog.new_passphrase_dialog.isVisible()


def test_wrong_recovery_key_is_plain(qtbot, runner, filled_vault):
    folder, _passphrase, _recovery = filled_vault
    dialog = make_dialog(qtbot, runner, folder)
    dialog.use_recovery.setChecked(True)
    fail_once(qtbot, runner, dialog, "ABCD-EFGH")
    assert "recovery key has" in dialog.error.text()


def test_demo_banner_shows_the_passphrase(qtbot, runner, tmp_path):
    dialog = UnlockDialog(tmp_path, runner, UnlockThrottle(), demo_passphrase="demo words here")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.demo_banner.isVisible()
    assert dialog.demo_banner.text() == (
        "Demo vault — synthetic data only. Passphrase: demo words here"
    )


def test_wrong_attempts_are_written_down_by_the_unlock_that_follows(qtbot, runner, filled_vault):
    """A wrong passphrase changes no file, so the next unlock records the attempts."""
    from mhsw_desktop.services.audit import list_entries

    folder, passphrase, _recovery = filled_vault
    dialog = make_dialog(qtbot, runner, folder)
    for attempt in range(2):
        dialog.error.setText("")
        fail_once(qtbot, runner, dialog, f"wrong passphrase {attempt}")
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as opened:
        dialog.attempt()
    vault = opened.args[0]
    with vault.session() as session:
        last = list_entries(session, limit=2)
    assert [(e.action, e.outcome, e.detail) for e in last] == [
        ("unlock", "ok", "passphrase"),
        ("unlock_failed", "refused", "2 wrong attempts before this unlock"),
    ]
    runner.vault = vault
    runner.lock_vault()
