"""The application's life cycle: unlock, show the records, lock (on command, idle, quit,
suspend), unlock again. It owns the operation runner, the vault and the main window."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from mhsw_desktop.ui.clipboard import watch_copies
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.settings import Settings
from mhsw_desktop.ui.unlock_dialog import UnlockDialog
from mhsw_desktop.vault.throttle import UnlockThrottle

log = logging.getLogger(__name__)


class AppController(QObject):
    """Glue between the vault and the windows. Views never reach into each other."""

    #: the vault is open and the main window shows it
    unlocked = Signal()
    #: every view of client data is gone and the vault is locked
    locked = Signal()

    def __init__(
        self,
        settings: Settings,
        *,
        kdf_params: Any = None,
        quit_on_close: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.kdf_params = kdf_params
        self.quit_on_close = quit_on_close
        self.runner = OperationRunner(self)
        watch_copies()
        self.throttle = UnlockThrottle()
        self.folder: Path | None = None
        self.demo_passphrase: str | None = None
        self.main_window: Any = None
        self.unlock_dialog: UnlockDialog | None = None
        self.wizard: Any = None
        #: the restore wizard opened from the unlock prompt (None when not open)
        self.restore_wizard: Any = None
        self.idle: Any = None
        self._quitting = False
        #: what the last automatic backup attempt left to say ("" ok; None: none made)
        self._backup_problem: str | None = None
        #: a restore is locking the vault: no unlock prompt until it is done
        self._restoring = False
        #: the lock is waiting for the worker (its "Locking…" loop may run other events)
        self._locking = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
            app.commitDataRequest.connect(lambda _manager: self.lock())

    @property
    def vault(self) -> Any:
        return self.runner.vault

    # -- starting ---------------------------------------------------------------------
    def start(self, folder: Path | None, *, demo_passphrase: str | None = None) -> None:
        """Ask to unlock ``folder``, or run the first-run wizard when there is none."""
        if folder is None:
            self.show_wizard()
            return
        self.folder = folder
        self.demo_passphrase = demo_passphrase
        self.show_unlock()
        if demo_passphrase is None:
            QTimer.singleShot(0, self._check_demo)

    def _check_demo(self) -> None:
        """Off the GUI thread: is this the demo vault? (Also loads the vault libraries.)"""
        folder = self.folder

        def work() -> str | None:
            from mhsw_desktop.demo import DEMO_PASSPHRASE, is_demo_vault

            return DEMO_PASSPHRASE if folder is not None and is_demo_vault(folder) else None

        def done(passphrase: str | None) -> None:
            if passphrase and folder == self.folder:
                self.demo_passphrase = passphrase
                if self.unlock_dialog is not None:
                    self.unlock_dialog.show_demo(passphrase)

        self.runner.run(work, done, lambda _exc: None)

    def show_wizard(self) -> None:
        from mhsw_desktop.demo import default_vault_folder
        from mhsw_desktop.ui.wizard import SetupWizard

        self.wizard = SetupWizard(
            self.runner, default_folder=default_vault_folder(), kdf_params=self.kdf_params
        )
        self.wizard.finished.connect(self._wizard_finished)
        self.wizard.show()

    def _wizard_finished(self, _result: int) -> None:
        wizard, self.wizard = self.wizard, None
        wizard.deleteLater()
        if wizard.outcome == "created":
            self.folder = wizard.folder
            self.demo_passphrase = None
            self._unlocked(wizard.vault)
        elif wizard.outcome == "existing":
            self.start(wizard.folder)
        elif wizard.outcome == "demo":
            self.open_demo()
        else:
            self._quit_app()

    def open_demo(self) -> None:
        """Create the demo vault if needed (on the worker), then ask to unlock it."""

        def work() -> Any:
            from mhsw_desktop.demo import DEMO_PASSPHRASE, ensure_demo_vault

            return ensure_demo_vault(), DEMO_PASSPHRASE

        def done(result: Any) -> None:
            folder, passphrase = result
            self.start(folder, demo_passphrase=passphrase)

        def failed(exc: BaseException) -> None:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Demo vault"), user_message(exc))
            box.setTextFormat(Qt.TextFormat.PlainText)  # the message may hold a path
            box.exec()
            self._quit_app()

        self.runner.run(work, done, failed)

    # -- unlocking -----------------------------------------------------------------------
    def show_unlock(self) -> None:
        if self.unlock_dialog is not None or self.folder is None:
            if self.unlock_dialog is not None:
                self.unlock_dialog.raise_()
                self.unlock_dialog.activateWindow()
            return
        dialog = UnlockDialog(
            self.folder,
            self.runner,
            self.throttle,
            demo_passphrase=self.demo_passphrase,
            parent=self.main_window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._store_backup_problem()
        problem = self.settings.get("backup/last_problem")
        if problem:
            dialog.show_notice(problem)
        dialog.unlocked.connect(self._unlocked)
        dialog.rejected.connect(self._unlock_rejected)
        dialog.other_vault_requested.connect(self._other_vault)
        dialog.restore_requested.connect(self._restore_from_unlock)
        dialog.finished.connect(self._unlock_closed)
        self.unlock_dialog = dialog
        if self.main_window is not None:
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _unlock_closed(self, _result: int) -> None:
        self.unlock_dialog = None

    def _unlock_rejected(self) -> None:
        if self.main_window is None:
            self._quit_app()

    def _other_vault(self) -> None:
        from mhsw_desktop.ui.wizard import choose_folder

        parent = self.unlock_dialog
        chosen = choose_folder(
            parent or QWidget(), self.tr("Choose a vault folder"), str(Path.home())
        )
        if not chosen:
            return
        from mhsw_desktop.vault.vault import is_vault

        if not is_vault(Path(chosen)):
            if parent is not None:
                parent.error.setText(
                    self.tr("No vault was found in {folder}.").format(folder=chosen)
                )
            return
        if parent is not None:
            parent.done(2)  # neither accepted nor a quit
        self.unlock_dialog = None
        self.start(Path(chosen))

    def _restore_from_unlock(self) -> None:
        """The unlock prompt's Restore from backup… (a vault file that will not open):
        the wizard needs no open vault; the switch is :meth:`restore_backup`'s."""
        from mhsw_desktop.ui.restore_wizard import RestoreWizard
        from mhsw_desktop.vault.backup import all_folders

        folder, parent = self.folder, self.unlock_dialog
        if folder is None or parent is None:
            return
        wizard = RestoreWizard(self.runner, folder, all_folders(folder), parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.restore_requested.connect(self.restore_backup)
        self.restore_wizard = wizard
        wizard.open()

    def _unlocked(self, vault: Any) -> None:
        self.runner.vault = vault
        self.folder = Path(vault.folder)
        self.settings.set("vault/recent_path", str(self.folder))
        window = self._ensure_main_window()
        window.show_unlocked(self.folder)
        if not window.isVisible():
            window.show()
        self._start_idle()
        self.unlocked.emit()

    def _ensure_main_window(self) -> Any:
        if self.main_window is None:
            from mhsw_desktop.ui.main_window import MainWindow

            window = MainWindow(self.runner)
            geometry = self.settings.get("window/geometry")
            if not geometry.isEmpty():
                window.restoreGeometry(geometry)
            header = self.settings.get("window/client_header")
            if not header.isEmpty():
                window.clients.table.horizontalHeader().restoreState(header)
            window.clients.set_status_filter(self.settings.get("clients/status_filter"))
            window.lock_requested.connect(self.lock)
            window.unlock_requested.connect(self.show_unlock)
            window.quit_requested.connect(self.quit)
            window.change_passphrase_requested.connect(self.change_passphrase)
            window.restore_requested.connect(self.restore_backup)
            self.main_window = window
        return self.main_window

    # -- locking -----------------------------------------------------------------------
    def _start_idle(self) -> None:
        from mhsw_desktop.ui.idle import IdleWatcher

        minutes = self.settings.get("security/auto_lock_minutes")
        if self.idle is None:
            self.idle = IdleWatcher(minutes, self)
            self.idle.idle.connect(self.lock)
        else:
            self.idle.set_minutes(minutes)
        self.idle.start()

    def lock(self) -> None:
        """Lock now: every view drops client data, the clipboard forgets our copies,
        the running operation finishes, the engine is disposed; then ask to unlock."""
        from mhsw_desktop.ui.clipboard import clear_our_text

        if self._locking:  # a suspend or session end while a slow lock waits: one lock
            return
        if self.idle is not None:
            self.idle.stop()
        if self.main_window is not None:
            self._save_window_state()
            self.main_window.show_locked()
        clear_our_text()
        self._locking = True
        try:
            self.runner.lock_vault(before_lock=self._daily_backup)
        finally:
            self._locking = False
        self.locked.emit()
        if not self._quitting and not self._restoring:
            self.show_unlock()

    def restore_backup(self, path: Path, secret: str, moment: Any = None) -> None:
        """Lock, then put the checked backup in place of the vault (kept aside) on the
        worker; say what happened, then ask to unlock the restored vault. ``moment`` (a
        UTC datetime) names the vault kept aside, as the wizard's confirmation said."""
        from PySide6.QtWidgets import QMessageBox

        from mhsw_desktop.vault import backup

        folder = self.folder
        if folder is None:
            return
        self._restoring = True
        try:
            self.lock()
        finally:
            self._restoring = False
        parent = self.main_window

        def done(result: Any) -> None:
            made = result.manifest.created_at[:16].replace("T", " ")
            lines = [
                self.tr("The backup of {made} UTC is now the vault in {folder}.").format(
                    made=made, folder=result.folder
                )
            ]
            if result.kept_aside:
                lines.append(
                    self.tr("The vault that was there is kept at {path}.").format(
                        path=result.kept_aside
                    )
                )
            if result.how == "recovery key":
                lines.append(self.tr("Unlock it with the recovery key you just used."))
            else:
                lines.append(self.tr("Unlock it with the passphrase you just used."))
            QMessageBox.information(parent, self.tr("Restored"), "\n\n".join(lines))
            self.show_unlock()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(parent, self.tr("Not restored"), user_message(exc))
            self.show_unlock()

        if self.unlock_dialog is not None:
            self.unlock_dialog.done(2)
            self.unlock_dialog = None
        self.runner.run(lambda: backup.restore(path, secret, folder, now=moment), done, failed)

    def _daily_backup(self, vault: Any) -> None:
        """On the worker, before the lock: today's automatic backup. Its outcome is kept
        (a folder and a reason, never client data) and shown at the next unlock prompt,
        so a failure at quit is seen too."""
        from mhsw_desktop.ui.backups import daily_backup

        outcome = daily_backup(vault)
        if outcome is not None:
            self._backup_problem = outcome

    def _application_state(self, state: Qt.ApplicationState) -> None:
        """Best effort: lock when the platform suspends the application."""
        if state == Qt.ApplicationState.ApplicationSuspended and self.vault is not None:
            log.info("application suspended: locking")
            self.lock()

    def change_passphrase(self) -> None:
        from mhsw_desktop.ui.passphrase_fields import NewPassphraseDialog

        vault = self.vault
        if vault is None:
            return

        def apply(passphrase: str, done: Any, fail: Any) -> None:
            current = dialog.current_text()

            def work() -> None:
                from mhsw_desktop.vault.errors import WrongPassphrase

                if not vault.check_passphrase(current):
                    raise WrongPassphrase()
                vault.change_passphrase(passphrase)

            self.runner.run(work, lambda _r: done(), lambda exc: fail(user_message(exc)))

        dialog = NewPassphraseDialog(
            apply, required=False, ask_current=True, parent=self.main_window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _store_backup_problem(self) -> None:
        """Settings are touched on the GUI thread only: the worker leaves its outcome in
        ``_backup_problem`` (None: no backup was attempted since)."""
        if self._backup_problem is not None:
            self.settings.set("backup/last_problem", self._backup_problem)
            self._backup_problem = None

    # -- quitting ------------------------------------------------------------------------
    def quit(self) -> None:
        """Lock (saving window state first), stop the worker, leave the event loop."""
        self._quitting = True
        self.lock()
        self._store_backup_problem()
        if self.idle is not None:
            self.idle.remove()
        self.settings.sync()
        if self.unlock_dialog is not None:
            self.unlock_dialog.done(0)
        if self.main_window is not None:
            self.main_window.hide()
        self._quit_app()

    def shutdown(self) -> None:
        """Stop the worker thread (after the event loop ends, or at test teardown)."""
        self._quitting = True
        if self.idle is not None:
            self.idle.remove()
            self.idle = None
        if self.main_window is not None:
            self.main_window.show_locked()
        self.runner.shutdown()

    def _quit_app(self) -> None:
        self._quitting = True
        if self.quit_on_close:
            app = QApplication.instance()
            if app is not None:
                app.quit()

    def _save_window_state(self) -> None:
        window = self.main_window
        self.settings.set("window/geometry", window.saveGeometry())
        self.settings.set(
            "window/client_header", window.clients.table.horizontalHeader().saveState()
        )
        self.settings.set("clients/status_filter", window.clients.status_filter())
