"""The daily backup when the disk fails it or the second folder (a USB drive) is not
there: the lock still happens, the unlock prompt says so in plain words, and the earlier
backups are left byte for byte."""

from __future__ import annotations

import errno
import shutil
from datetime import UTC, datetime, timedelta

from mhsw_desktop.vault import backup
from mhsw_desktop.vault.vault import Vault
from tests.support import snapshot
from tests.ui.conftest import unlock


def _yesterdays_backup(folder, passphrase) -> None:
    with Vault.open(folder, passphrase) as vault:
        backup.back_up(vault, kind="auto", now=datetime.now(UTC) - timedelta(days=1))


def test_a_disk_full_mid_backup_keeps_the_earlier_backups(
    qtbot, controller, filled_vault, monkeypatch
) -> None:
    folder, passphrase, _recovery = filled_vault
    _yesterdays_backup(folder, passphrase)
    unlock(qtbot, controller, folder, passphrase)
    before = snapshot(folder / "backups")
    assert len(before) == 1
    copy = shutil.copyfileobj

    def fills_the_disk(src, dst, length=0) -> None:  # half the copy lands, then ENOSPC
        dst.write(src.read(4096))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", fills_the_disk)
    controller.lock()
    monkeypatch.setattr(shutil, "copyfileobj", copy)

    assert controller.vault is None  # locked whatever happened
    notice = controller.unlock_dialog.notice
    assert notice.isVisible()
    text = notice.text()
    assert "the disk is full" in text and "earlier backups are kept" in text
    assert "Traceback" not in text and "Errno" not in text
    for client in ("Ana", "González", "Østergaard", "Pruitt"):
        assert client not in text
    assert snapshot(folder / "backups") == before  # no partial file left beside them
    assert controller.settings.get("backup/last_problem") == text


def test_a_missing_second_folder_is_said_gently(qtbot, controller, filled_vault, tmp_path) -> None:
    folder, passphrase, _recovery = filled_vault
    usb = tmp_path / "usb-drive"
    backup.BackupPolicy(second_folder=usb).save(folder)  # the drive is not plugged in
    unlock(qtbot, controller, folder, passphrase)
    controller.lock()

    (made,) = (folder / "backups").glob("auto-*.mhswbak")
    assert backup.read_entry(made).ok  # the backup itself was made
    assert not usb.exists()  # and no folder was made where the drive should be
    text = controller.unlock_dialog.notice.text()
    assert controller.unlock_dialog.notice.isVisible()
    assert "not copied to the second folder" in text and "is the drive connected" in text
