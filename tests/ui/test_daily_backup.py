"""Backups in the app: the daily one as the vault locks, a failure that is shown until a
backup succeeds, and File > Back up now."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMessageBox

from mhsw_desktop.vault import backup
from tests.support import snapshot
from tests.ui.conftest import unlock


def _files(folder, kind: str) -> list[str]:
    return sorted(p.name for p in (folder / "backups").glob(f"{kind}-*.mhswbak"))


def test_locking_makes_todays_backup_once(qtbot, controller, filled_vault) -> None:
    folder, passphrase, _recovery = filled_vault
    unlock(qtbot, controller, folder, passphrase)
    controller.lock()
    (made,) = _files(folder, "auto")
    (entry,) = [e for e in backup.list_backups(folder / "backups") if e.path.name == made]
    assert entry.ok and entry.manifest is not None and entry.manifest.counts["clients"] == 3
    assert not controller.unlock_dialog.notice.isVisible()

    unlock(qtbot, controller, folder, passphrase)
    controller.lock()  # the same day: no second automatic backup
    assert _files(folder, "auto") == [made]


def test_quitting_makes_the_backup_too(qtbot, controller, filled_vault) -> None:
    folder, passphrase, _recovery = filled_vault
    unlock(qtbot, controller, folder, passphrase)
    controller.quit()
    assert len(_files(folder, "auto")) == 1


def test_a_failed_backup_is_shown_until_one_succeeds(qtbot, controller, filled_vault) -> None:
    folder, passphrase, _recovery = filled_vault
    backups = folder / "backups"
    shutil.rmtree(backups)
    backups.write_text("a file where the backups folder should be")
    unlock(qtbot, controller, folder, passphrase)
    before = snapshot(folder)
    controller.lock()

    notice = controller.unlock_dialog.notice
    assert notice.isVisible()
    assert (
        "automatic backup failed" in notice.text() and "earlier backups are kept" in notice.text()
    )
    assert "Traceback" not in notice.text()
    after = snapshot(folder)
    assert after["backups"] == before["backups"]  # the file in its place is untouched

    # quitting and starting again: the warning is still there (kept in the settings)
    controller.quit()
    assert "automatic backup failed" in controller.settings.get("backup/last_problem")

    backups.unlink()
    controller._quitting = False
    controller.start(folder)
    assert controller.unlock_dialog.notice.isVisible()
    unlock(qtbot, controller, folder, passphrase)
    controller.lock()
    assert len(_files(folder, "auto")) == 1
    assert controller.settings.get("backup/last_problem") == ""
    assert not controller.unlock_dialog.notice.isVisible()


def test_back_up_now_says_where_the_backup_went(qtbot, controller, filled_vault) -> None:
    folder, passphrase, _recovery = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    action = window.actions_by_id["backup_now"]
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+B"
    action.trigger()
    qtbot.waitUntil(lambda: "Backup saved" in window.statusBar().currentMessage(), timeout=10_000)
    (made,) = _files(folder, "manual")
    assert made in window.statusBar().currentMessage()


def test_back_up_now_failing_says_so(qtbot, controller, filled_vault, monkeypatch) -> None:
    folder, passphrase, _recovery = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    shutil.rmtree(folder / "backups")
    (folder / "backups").write_text("not a folder")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    window.actions_by_id["backup_now"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "could not be made" in shown[0] and "earlier backups are kept" in shown[0]
    assert window.actions_by_id["backup_now"].isEnabled()
