"""A lock that waits long (today's backup of a large vault) says "Locking…" meanwhile, and
the vault locks even when the work before the lock fails."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from mhsw_desktop.ui import operations


def _progress_windows() -> list[QProgressDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.objectName() == "locking_progress"
    ]


def test_a_slow_lock_shows_locking_and_waits(qtbot, runner, vault_factory, monkeypatch) -> None:
    monkeypatch.setattr(operations, "SLOW_LOCK_SECONDS", 0.05)
    vault, _recovery = vault_factory()
    runner.vault = vault
    release = threading.Event()
    seen: dict[str, object] = {}

    def slow_backup(_vault) -> None:
        assert release.wait(10), "the GUI never let the backup finish"

    def look() -> None:  # runs inside the lock's wait, on the GUI thread
        shown = _progress_windows()
        seen["visible"] = bool(shown) and shown[0].isVisible()
        seen["text"] = shown[0].labelText() if shown else ""
        release.set()

    QTimer.singleShot(300, look)
    runner.lock_vault(before_lock=slow_backup)
    assert seen["visible"] is True
    assert "Locking" in str(seen["text"])
    assert runner.vault is None and vault.is_locked
    qtbot.waitUntil(lambda: not any(w.isVisible() for w in _progress_windows()))


def test_a_quick_lock_shows_nothing(qtbot, runner, vault_factory) -> None:
    vault, _recovery = vault_factory()
    runner.vault = vault
    runner.lock_vault(before_lock=lambda _v: None)
    assert not any(w.isVisible() for w in _progress_windows()) and vault.is_locked


def test_the_vault_locks_when_the_work_before_fails(qtbot, runner, vault_factory) -> None:
    vault, _recovery = vault_factory()
    runner.vault = vault

    def broken(_vault) -> None:
        raise RuntimeError("a bug in the backup")

    runner.lock_vault(before_lock=broken)
    assert runner.vault is None and vault.is_locked


def test_a_second_lock_while_a_slow_one_waits_is_the_same_lock(
    qtbot, controller, filled_vault, monkeypatch
) -> None:
    from tests.ui.conftest import unlock

    monkeypatch.setattr(operations, "SLOW_LOCK_SECONDS", 0.05)
    folder, passphrase, _recovery = filled_vault
    unlock(qtbot, controller, folder, passphrase)
    release = threading.Event()
    made = controller._daily_backup

    def slow_daily_backup(vault) -> None:
        assert release.wait(10)
        made(vault)

    monkeypatch.setattr(controller, "_daily_backup", slow_daily_backup)
    locked: list[int] = []
    controller.locked.connect(lambda: locked.append(1))

    def again() -> None:  # the session ends (commitDataRequest) during the wait
        controller.lock()
        release.set()

    QTimer.singleShot(200, again)
    controller.lock()
    assert locked == [1] and controller.vault is None
    assert controller.unlock_dialog is not None and controller.unlock_dialog.isVisible()
    assert len(list((folder / "backups").glob("auto-*.mhswbak"))) == 1
