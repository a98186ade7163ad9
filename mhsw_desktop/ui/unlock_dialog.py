"""The unlock dialog: passphrase or recovery key, throttled retries, KDF off the GUI thread.

It imports nothing from the vault until the user presses Unlock, so it can appear
before the database libraries have loaded.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop import APP_NAME
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import busy_bar, error_label, plain_label, scaled_font

#: the shape of a recovery key, shown as its placeholder (not words: never translated)
RECOVERY_KEY_SHAPE = "ABCD-EFGH-…"


class UnlockDialog(QDialog):
    """Unlocks the vault in ``folder``; emits :attr:`unlocked` with the open Vault.

    After a recovery-key unlock it asks for a new passphrase (which cannot be skipped)
    before emitting. ``throttle`` outlives the dialog so that closing it resets nothing.
    """

    unlocked = Signal(object)
    #: the user asked to open another vault folder
    other_vault_requested = Signal()
    #: the user asked to restore a backup (the vault file may be damaged)
    restore_requested = Signal()

    def __init__(
        self,
        folder: Path,
        runner: OperationRunner,
        throttle: Any,
        *,
        demo_passphrase: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.runner = runner
        self.throttle = throttle
        self._busy = False
        self.setWindowTitle(self.tr("Unlock — {app}").format(app=APP_NAME))
        self.setObjectName("unlock_dialog")

        heading = plain_label(self.tr("Unlock your vault"), self)
        heading.setFont(scaled_font(self.font(), 1.4, bold=True))
        self.folder_label = plain_label(self.tr("Vault: {folder}").format(folder=folder), self)
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName(self.tr("Vault folder"))

        self.demo_banner = plain_label("", self)
        self.demo_banner.setObjectName("demo_banner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.demo_banner.setFont(scaled_font(self.font(), 1.15, bold=True))
        self.demo_banner.setMargin(self.fontMetrics().height() // 2)
        self.demo_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_banner.setAccessibleName(self.tr("Demo vault notice"))
        self.demo_banner.setAutoFillBackground(True)
        palette = self.demo_banner.palette()
        palette.setColor(self.demo_banner.backgroundRole(), Qt.GlobalColor.yellow)
        palette.setColor(self.demo_banner.foregroundRole(), Qt.GlobalColor.black)
        self.demo_banner.setPalette(palette)
        self.demo_banner.hide()

        self.notice = plain_label("", self)
        self.notice.setObjectName("backup_notice")
        self.notice.setWordWrap(True)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setMargin(self.fontMetrics().height() // 2)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setAccessibleName(self.tr("Backup notice"))
        self.notice.hide()

        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setObjectName("passphrase")
        self.passphrase_label = QLabel(self.tr("&Passphrase:"), self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.recovery = QLineEdit(self)
        self.recovery.setAccessibleName(self.tr("Recovery key"))
        self.recovery.setObjectName("recovery_key")
        self.recovery.setPlaceholderText(RECOVERY_KEY_SHAPE)
        self.recovery_label = QLabel(self.tr("&Recovery key:"), self)
        self.recovery_label.setBuddy(self.recovery)
        self.use_recovery = QCheckBox(self.tr("Use the recovery &key instead"), self)
        self.use_recovery.setAccessibleName(self.tr("Use the recovery key instead"))
        self.use_recovery.toggled.connect(self._switch_mode)

        self.error = error_label(self)
        self.busy = busy_bar(self)
        self.buttons = QDialogButtonBox(self)
        self.unlock_button = self.buttons.addButton(
            self.tr("&Unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.other_button = self.buttons.addButton(
            self.tr("&Other vault…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.other_button.setAccessibleName(self.tr("Open another vault"))
        self.restore_button = self.buttons.addButton(
            self.tr("Restore from &backup…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setAccessibleName(self.tr("Restore from backup"))
        self.restore_button.setToolTip(
            self.tr("Choose a backup, check it, and put it in place of this vault (kept aside)")
        )
        self.quit_button = self.buttons.addButton(
            self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.quit_button.setAccessibleName(self.tr("Quit"))
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        self.other_button.clicked.connect(self.other_vault_requested)
        self.restore_button.clicked.connect(self.restore_requested)

        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.recovery_label, self.recovery)
        form.addRow("", self.use_recovery)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)
        self._switch_mode(False)
        if demo_passphrase:
            self.show_demo(demo_passphrase)
        self._tick()

    # -- presentation --------------------------------------------------------------
    def show_demo(self, passphrase: str) -> None:
        self.demo_banner.setText(
            self.tr("Demo vault — synthetic data only. Passphrase: {passphrase}").format(
                passphrase=passphrase
            )
        )
        self.demo_banner.show()

    def show_notice(self, text: str) -> None:
        """A message that must not be missed (a failed automatic backup)."""
        self.notice.setText(text)
        self.notice.show()

    def _switch_mode(self, recovery: bool) -> None:
        self.passphrase_label.setVisible(not recovery)
        self.passphrase.setVisible(not recovery)
        self.recovery_label.setVisible(recovery)
        self.recovery.setVisible(recovery)
        self.error.setText("")
        (self.recovery if recovery else self.passphrase).setFocus()

    def _secret_field(self) -> QLineEdit:
        return self.recovery if self.use_recovery.isChecked() else self.passphrase

    def _tick(self) -> None:
        remaining = self.throttle.remaining()
        if remaining > 0:
            self.unlock_button.setText(
                self.tr("&Unlock (wait {seconds} s)").format(seconds=int(remaining + 0.999))
            )
            self.unlock_button.setEnabled(False)
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self._countdown.stop()
            self.unlock_button.setText(self.tr("&Unlock"))
            self.unlock_button.setEnabled(not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (self.passphrase, self.recovery, self.use_recovery, self.other_button):
            widget.setEnabled(not busy)
        self.quit_button.setEnabled(not busy)
        self._tick()

    # -- unlocking -------------------------------------------------------------------
    def attempt(self) -> None:
        """Try the typed secret (on the worker); errors come back as plain words."""
        if self._busy or self.throttle.remaining() > 0:
            return
        secret = self._secret_field().text()
        if not secret.strip():
            self.error.setText(
                self.tr("Type the recovery key.")
                if self.use_recovery.isChecked()
                else self.tr("Type the passphrase.")
            )
            return
        folder, with_recovery = self.folder, self.use_recovery.isChecked()
        self.error.setText("")
        self._set_busy(True)

        failures = self.throttle.failures

        def work() -> Any:
            from mhsw_desktop.vault.vault import Vault

            if with_recovery:
                vault = Vault.open_with_recovery(folder, secret)
            else:
                vault = Vault.open(folder, secret)
            if failures:
                # A wrong attempt changes no file, so the attempts are written down by
                # the unlock that follows them (in this run of the app).
                detail = (
                    f"{failures} wrong attempt{'s' if failures != 1 else ''} before this unlock"
                )
                vault.record("unlock_failed", object_type="vault", outcome="refused", detail=detail)
            return vault

        self.runner.run(work, self._opened, self._failed)

    def _opened(self, vault: Any) -> None:
        self.throttle.record_success()
        self.passphrase.clear()
        self.recovery.clear()
        if vault.must_change_passphrase:
            self._require_new_passphrase(vault)
            return
        self._set_busy(False)
        self.unlocked.emit(vault)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from mhsw_desktop.vault.errors import WrongPassphrase, WrongRecoveryKey

        self._set_busy(False)
        if isinstance(exc, WrongPassphrase | WrongRecoveryKey):
            wait = self.throttle.record_failure()
            message = user_message(exc)
            if wait > 0:
                message = self.tr("{message} Wait {seconds} s before trying again.").format(
                    message=message, seconds=int(wait + 0.999)
                )
            self.error.setText(message)
            self._tick()
        else:
            self.error.setText(user_message(exc))
        field = self._secret_field()
        field.selectAll()
        field.setFocus()

    def _require_new_passphrase(self, vault: Any) -> None:
        from mhsw_desktop.ui.passphrase_fields import NewPassphraseDialog

        def apply(passphrase: str, done: Any, fail: Any) -> None:
            self.runner.run(
                lambda: vault.change_passphrase(passphrase),
                lambda _r: done(),
                lambda exc: fail(user_message(exc)),
            )

        # The vault is open while the new passphrase is chosen: hand it to the runner so
        # that quitting or locking now locks it too, and close the dialog if that happens.
        self.runner.vault = vault
        dialog = NewPassphraseDialog(apply, required=True, parent=self)
        self.new_passphrase_dialog = dialog
        dialog.accepted.connect(lambda: self._after_new_passphrase(vault))

        def locked_meanwhile() -> None:
            self.runner.locked.disconnect(locked_meanwhile)
            if dialog.isVisible():
                dialog.done(0)
                self._set_busy(False)

        self._locked_meanwhile = locked_meanwhile
        self.runner.locked.connect(locked_meanwhile)
        dialog.open()

    def _after_new_passphrase(self, vault: Any) -> None:
        with contextlib.suppress(RuntimeError, TypeError):
            self.runner.locked.disconnect(self._locked_meanwhile)
        self._set_busy(False)
        self.unlocked.emit(vault)
        self.accept()

    def reject(self) -> None:
        if self._busy:
            return
        super().reject()
