"""File > Backup settings…: how many backups to keep, and a second folder (a USB drive)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import error_label, plain_label


class BackupSettingsDialog(QDialog):
    """Window-modal; closes on lock. The policy is saved in the vault folder on the worker
    (so that ``mhsw backup`` keeps to it too)."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        from mhsw_desktop.vault.backup import BackupPolicy

        super().__init__(parent)
        self.runner = runner
        vault = runner.vault
        assert vault is not None
        self.folder = Path(vault.folder)
        policy = BackupPolicy.load(self.folder)
        self.setObjectName("backup_settings")
        self.setWindowTitle(self.tr("Backup settings"))
        intro = plain_label(
            self.tr(
                "A backup is made on the first lock or quit of each day. Rotation keeps the "
                "newest of each day and of each week; backups made with Back up now are kept "
                "until you delete them."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.daily = QSpinBox(self)
        self.daily.setRange(1, 366)
        self.daily.setValue(policy.keep_daily)
        self.daily.setAccessibleName(self.tr("Days to keep a daily backup for"))
        self.weekly = QSpinBox(self)
        self.weekly.setRange(1, 366)
        self.weekly.setValue(policy.keep_weekly)
        self.weekly.setAccessibleName(self.tr("Weeks to keep a weekly backup for"))
        self.second = QLineEdit(str(policy.second_folder or ""), self)
        self.second.setAccessibleName(self.tr("Second backup folder"))
        self.second.setPlaceholderText(self.tr("None (a USB drive or another disk)"))
        self.second.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        for box in (self.daily, self.weekly):
            box.setMaximumWidth(self.fontMetrics().averageCharWidth() * 10)
        self.browse = QPushButton(self.tr("C&hoose…"), self)
        self.browse.setAccessibleName(self.tr("Choose the second backup folder"))
        self.browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.second, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(
            self._label(self.tr("Keep &daily backups of the last (days):"), self.daily), self.daily
        )
        form.addRow(
            self._label(self.tr("Keep &weekly backups of the last (weeks):"), self.weekly),
            self.weekly,
        )
        form.addRow(self._label(self.tr("Second &folder:"), self.second), row)
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        runner.locked.connect(self.close)

    def _label(self, text: str, buddy: QWidget) -> QWidget:
        label = plain_label(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(buddy)
        return label

    def _choose(self) -> None:
        from mhsw_desktop.ui.wizard import choose_folder

        chosen = choose_folder(self, self.tr("Choose the second backup folder"), str(Path.home()))
        if chosen:
            self.second.setText(chosen)

    def problem(self) -> str:
        """Why the form cannot be saved ("" when it can)."""
        text = self.second.text().strip()
        if not text:
            return ""
        folder = Path(text).expanduser()
        if not folder.is_absolute():
            return self.tr("Give the second folder's full path, or choose it.")
        if not folder.is_dir():
            return self.tr("The folder {folder} does not exist. Is the drive connected?").format(
                folder=folder
            )
        if not _writable(folder):
            return self.tr("The folder {folder} cannot be written to.").format(folder=folder)
        if folder.resolve() == (self.folder / "backups").resolve():
            return self.tr("The second folder must be another place than the vault's own backups.")
        return ""

    def save(self) -> None:
        from mhsw_desktop.vault.backup import BackupPolicy

        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        text = self.second.text().strip()
        policy = BackupPolicy(
            keep_daily=self.daily.value(),
            keep_weekly=self.weekly.value(),
            second_folder=Path(text).expanduser() if text else None,
        )
        folder = self.folder

        def failed(exc: BaseException) -> None:
            self.error.setText(user_message(exc))

        self.runner.run(lambda: policy.save(folder), lambda _r: self.accept(), failed)


def _writable(folder: Path) -> bool:
    """Try it (an unnamed scratch file, gone when closed): ``os.access`` says yes to root
    and to a read-only drive on some systems."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def open_backup_settings(runner: OperationRunner, parent: QWidget) -> Any:
    if runner.vault is None:
        return None
    dialog = BackupSettingsDialog(runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
