"""File > Backup settings…: the policy saved where mhsw reads it too; bad folders refused."""

from __future__ import annotations

from mhsw_desktop.vault.backup import BackupPolicy
from tests.ui.conftest import unlock


def _dialog(qtbot, controller, filled_vault):
    folder, passphrase, _recovery = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["backup_settings"].trigger()
    dialog = window.backup_settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    return folder, dialog


def test_the_policy_is_saved_in_the_vault(qtbot, controller, filled_vault, tmp_path) -> None:
    folder, dialog = _dialog(qtbot, controller, filled_vault)
    assert (dialog.daily.value(), dialog.weekly.value(), dialog.second.text()) == (7, 8, "")
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.daily.setValue(14)
    dialog.weekly.setValue(12)
    dialog.second.setText(str(usb))
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save()
    assert BackupPolicy.load(folder) == BackupPolicy(14, 12, usb)


def test_a_folder_that_is_not_there_is_refused(qtbot, controller, filled_vault, tmp_path):
    folder, dialog = _dialog(qtbot, controller, filled_vault)
    for text, words in (
        (str(tmp_path / "unplugged"), "Is the drive connected?"),
        ("relative/path", "full path"),
        (str(folder / "backups"), "another place"),
    ):
        dialog.second.setText(text)
        dialog.save()
        assert words in dialog.error.text()
        assert dialog.isVisible()
    assert not (folder / "backup-policy.json").exists()


def test_the_dialog_closes_on_lock(qtbot, controller, filled_vault) -> None:
    _folder, dialog = _dialog(qtbot, controller, filled_vault)
    controller.lock()
    assert not dialog.isVisible()


def test_a_folder_that_cannot_be_written_is_refused(
    qtbot, controller, filled_vault, tmp_path, monkeypatch
) -> None:
    import errno
    import tempfile

    folder, dialog = _dialog(qtbot, controller, filled_vault)
    usb = tmp_path / "read-only-drive"
    usb.mkdir()

    def read_only(*_a, **_k):  # what a write-protected stick says (root ignores chmod)
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    dialog.second.setText(str(usb))
    dialog.save()
    assert "cannot be written to" in dialog.error.text() and dialog.isVisible()
    assert not (folder / "backup-policy.json").exists()
