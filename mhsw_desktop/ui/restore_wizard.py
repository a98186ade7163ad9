"""File > Restore from backup…: choose a backup, give its secret, see it checked, confirm.

The wizard only chooses and checks (``backup.unpack_and_verify`` into a scratch folder,
on the worker); the switch itself is the controller's, which locks the open vault first
and then runs ``backup.restore`` (which checks everything again before replacing).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import header_text
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import error_label, plain_label

#: the backups table's headers (translated in the "Columns" context where shown)
COLUMNS = (
    QT_TRANSLATE_NOOP("Columns", "Made"),
    QT_TRANSLATE_NOOP("Columns", "Kind"),
    QT_TRANSLATE_NOOP("Columns", "Clients"),
    QT_TRANSLATE_NOOP("Columns", "Notes"),
    QT_TRANSLATE_NOOP("Columns", "Size"),
    QT_TRANSLATE_NOOP("Columns", "App version"),
    QT_TRANSLATE_NOOP("Columns", "State"),
)
#: a backup's kind (as its manifest names it) in words, translated where shown
KIND_WORDS = {
    "auto": QT_TRANSLATE_NOOP("RestoreWizard", "daily"),
    "manual": QT_TRANSLATE_NOOP("RestoreWizard", "on demand"),
    "scheduled": QT_TRANSLATE_NOOP("RestoreWizard", "scheduled"),
}


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _size(n: int) -> str:
    if n >= 2**20:
        return QCoreApplication.translate("RestoreWizard", "{size:.1f} MB").format(size=n / 2**20)
    return QCoreApplication.translate("RestoreWizard", "{size} KB").format(
        size=max(n, 1) // 1024 or 1
    )


def _kind(kind: str) -> str:
    words = KIND_WORDS.get(kind)
    return kind if words is None else QCoreApplication.translate("RestoreWizard", words)


class ChoosePage(QWizardPage):
    """Page 1: the backups in the vault's folders, newest first, or a file elsewhere."""

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Choose a backup"))
        self.setSubTitle(self.tr("The newest is first. A damaged backup cannot be chosen."))
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([header_text(column) for column in COLUMNS])
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Backups"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.completeChanged.emit())
        self.other = QPushButton(self.tr("Choose a &file…"), self)
        self.other.setAccessibleName(self.tr("Choose a backup file elsewhere"))
        self.other.clicked.connect(self._choose_file)
        self.empty = plain_label("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.other, 0, Qt.AlignmentFlag.AlignLeft)
        self._paths: list[Path] = []
        self._ok: list[bool] = []

    def load(self, folders: list[Path]) -> None:
        from mhsw_desktop.vault import backup

        entries = backup.list_backups(*folders)
        for entry in entries:
            self._add(entry)
        self.empty.setText("" if entries else self.tr("No backups yet in the vault's folders."))
        self.empty.setVisible(not entries)
        if entries and entries[0].ok:
            self.table.selectRow(0)

    def _add(self, entry: Any) -> int:
        manifest = entry.manifest
        cells = (
            [
                local_time(manifest.created_at),
                _kind(manifest.kind),
                str(manifest.counts.get("clients", 0)),
                str(manifest.counts.get("notes", 0)),
                _size(entry.bytes),
                manifest.app_version or "—",
                entry.problem or self.tr("looks whole"),
            ]
            if manifest is not None
            else [entry.path.name, "", "", "", _size(entry.bytes), "", entry.problem]
        )
        items = [QStandardItem(text) for text in cells]
        tip = f"{entry.path}\n{entry.problem}" if entry.problem else str(entry.path)
        for item in items:
            item.setToolTip(tip)
            if not entry.ok:
                item.setEnabled(False)
        self.model.appendRow(items)
        self._paths.append(entry.path)
        self._ok.append(entry.ok)
        return self.model.rowCount() - 1

    def _choose_file(self) -> None:
        from mhsw_desktop.ui.report_preview import file_dialog_history_kept

        with file_dialog_history_kept():
            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose a backup"),
                str(Path.home()),
                self.tr("MHSW backups") + " (*.mhswbak);;" + self.tr("All") + " (*)",
            )
        if chosen:
            self.add_file(Path(chosen))

    def add_file(self, path: Path) -> None:
        from mhsw_desktop.vault import backup

        row = self._add(backup.read_entry(path))
        self.empty.hide()
        if self._ok[row]:
            self.table.selectRow(row)
        self.completeChanged.emit()

    def chosen(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self._ok[rows[0].row()]:
            return None
        return self._paths[rows[0].row()]

    def isComplete(self) -> bool:
        return self.chosen() is not None


class SecretPage(QWizardPage):
    """Page 2: the passphrase of the backup's time, or the recovery key."""

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("The backup's passphrase"))
        self.hint = plain_label("", self)
        self.hint.setWordWrap(True)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(self.tr("Passphrase or recovery key"))
        self.secret.textChanged.connect(lambda _t: self.completeChanged.emit())
        label = plain_label(self.tr("&Passphrase or recovery key:"), self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(self.secret)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(label)
        layout.addWidget(self.secret)
        layout.addStretch(1)

    def initializePage(self) -> None:
        from mhsw_desktop.vault import backup

        path = self.wizard().choose_page.chosen()  # type: ignore[attr-defined]
        entry = backup.read_entry(path) if path else None
        if entry and entry.manifest:
            made = local_time(entry.manifest.created_at)
        else:
            made = self.tr("then")
        self.hint.setText(
            self.tr(
                "Type the passphrase the vault had when this backup was made ({made}), or the "
                "recovery key. A passphrase changed since then does not open it."
            ).format(made=made)
        )
        self.secret.setFocus()

    def isComplete(self) -> bool:
        return bool(self.secret.text())


class CheckPage(QWizardPage):
    """Page 3: every check of the backup, off the GUI thread; then a confirmation."""

    #: a step of the check (emitted on the worker, shown on the GUI thread)
    step = Signal(str)

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__(wizard)
        self.step.connect(self._show_step, Qt.ConnectionType.QueuedConnection)
        self.setTitle(self.tr("Checking the backup"))
        self.status = plain_label("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Check result"))
        self.error = error_label(self)
        self.confirm = QCheckBox(self.tr("&Replace the current vault with this backup"), self)
        self.confirm.setAccessibleName(self.tr("Replace the current vault with this backup"))
        self.confirm.toggled.connect(lambda _c: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.confirm)
        layout.addStretch(1)
        self.verified: Any = None
        #: names the vault kept aside (``<folder>.before-restore-<moment>``), as shown here
        self.moment: datetime | None = None

    def initializePage(self) -> None:
        from mhsw_desktop.vault import backup

        wizard: RestoreWizard = self.wizard()  # type: ignore[assignment]
        path = wizard.choose_page.chosen()
        secret = wizard.secret_page.secret.text()
        self.verified = None
        self.confirm.hide()
        self.confirm.setChecked(False)
        self.error.setText("")
        self.status.setText(self.tr("Checking every page of the backup… (this takes a moment)"))
        assert path is not None

        def say(text: str) -> None:  # on the worker: a signal, never the widget itself
            with contextlib.suppress(RuntimeError):  # the page may be gone (a lock)
                self.step.emit(text)

        beside = wizard.folder.parent  # where restore stages too: the same disk, not /tmp

        def work() -> Any:
            try:
                scratch = Path(tempfile.mkdtemp(prefix=".mhsw-restore-check-", dir=beside))
            except OSError:  # a folder we cannot write beside: the restore will say so
                scratch = Path(tempfile.mkdtemp(prefix="mhsw-restore-check-"))
            try:
                return backup.unpack_and_verify(path, secret, scratch / "copy", progress=say)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

        wizard.runner.run(work, self._checked, self._failed, keep=True)

    def _show_step(self, text: str) -> None:
        if self.verified is None and not self.error.text():
            self.status.setText(text)

    def _checked(self, verified: Any) -> None:
        wizard: RestoreWizard = self.wizard()  # type: ignore[assignment]
        self.verified = verified
        manifest = verified.manifest
        self.moment = datetime.now(UTC).replace(microsecond=0)
        stamp = self.moment.strftime("%Y%m%dT%H%M%SZ")
        aside = wizard.folder.with_name(f"{wizard.folder.name}.before-restore-{stamp}")
        clients, notes = manifest.counts.get("clients", 0), manifest.counts.get("notes", 0)
        how = self.tr("recovery key") if verified.how == "recovery key" else self.tr("passphrase")
        self.status.setText(
            self.tr(
                "Every check passed: the backup of {made} holds {clients} clients and {notes} "
                "notes, and opens with the {how}.\n\n"
                "Restoring locks the vault first if it is open. The vault in {folder} "
                "is kept, whole, as {aside} beside it (nothing is deleted), and the "
                "backups move along to the restored vault."
            ).format(
                made=local_time(manifest.created_at),
                clients=clients,
                notes=notes,
                how=how,
                folder=wizard.folder,
                aside=aside.name,
            )
        )
        self.confirm.show()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The backup was not restored, and nothing was changed."))
        self.error.setText(user_message(exc))

    def isComplete(self) -> bool:
        return self.verified is not None and self.confirm.isChecked()


class RestoreWizard(QWizard):
    """Window-modal; closes on lock. Emits :attr:`restore_requested` when confirmed."""

    #: the chosen backup file, its secret and the moment that names the vault kept aside
    #: as the confirmation said (the controller locks, then restores)
    restore_requested = Signal(object, str, object)

    def __init__(
        self,
        runner: OperationRunner,
        folder: Path,
        folders: list[Path],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.folder = folder
        self.setObjectName("restore_wizard")
        self.setWindowTitle(self.tr("Restore from backup"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.choose_page = ChoosePage(self)
        self.secret_page = SecretPage(self)
        self.check_page = CheckPage(self)
        for page in (self.choose_page, self.secret_page, self.check_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Restore"))
        self.choose_page.load(folders)
        runner.locked.connect(self.close)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 110)

    def accept(self) -> None:
        path = self.choose_page.chosen()
        secret = self.secret_page.secret.text()
        self.secret_page.secret.clear()
        super().accept()
        if path is not None and self.check_page.verified is not None:
            self.restore_requested.emit(path, secret, self.check_page.moment)

    def done(self, result: int) -> None:
        self.secret_page.secret.clear()
        super().done(result)
