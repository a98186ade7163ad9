"""File > Export all data…: every record as JSON and CSV, into a folder or one encrypted
archive; a plaintext export is confirmed first, in words that say where it goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.passphrase_fields import NewPassphraseFields
from mhsw_desktop.ui.widgets import accept_cancel, busy_bar, error_label, plain_label


def open_export_dialog(runner: OperationRunner, parent: QWidget) -> ExportDialog | None:
    if runner.vault is None:
        return None
    dialog = ExportDialog(runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ExportDialog(QDialog):
    """Window-modal; closes on lock. The export runs on the database worker.

    ``kdf_params`` (tests) sets the archive's Argon2id parameters instead of calibrating.
    """

    def __init__(
        self, runner: OperationRunner, parent: QWidget | None = None, *, kdf_params: Any = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.kdf_params = kdf_params
        self.outcome: Any = None
        self.confirm_box: QMessageBox | None = None
        self._busy = False
        self.setObjectName("export_dialog")
        self.setWindowTitle(self.tr("Export all data"))
        self.setAccessibleName(self.tr("Export all data"))

        intro = plain_label(
            self.tr(
                "Every record in the vault (clients, notes, plans, measures, care team, "
                "resources and the audit log) in open formats, to keep or to take to another "
                "program. The file names hold the date, never a client's name."
            ),
            self,
        )
        intro.setWordWrap(True)

        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self.folder = QLineEdit(str(Path(documents or Path.home())), self)
        self.folder.setAccessibleName(self.tr("Folder to export into"))
        self.choose = QPushButton(self.tr("C&hoose…"), self)
        self.choose.setAccessibleName(self.tr("Choose the folder to export into"))
        self.choose.clicked.connect(self.choose_folder)
        folder_label = QLabel(self.tr("&Into folder:"), self)
        folder_label.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)

        self.encrypted = QRadioButton(self.tr("One &encrypted archive (a password opens it)"), self)
        self.encrypted.setAccessibleName(self.tr("Export as one encrypted archive"))
        self.plain = QRadioButton(self.tr("A folder of &plain files (not encrypted)"), self)
        self.plain.setAccessibleName(self.tr("Export as a folder of plain, unencrypted files"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.encrypted)
        kinds.addButton(self.plain)
        self.encrypted.setChecked(True)

        self.json = QCheckBox(
            self.tr("&JSON (export.json: for importing into MHSW Desktop again)"), self
        )
        self.json.setAccessibleName(self.tr("Include JSON"))
        self.json.setChecked(True)
        self.csv = QCheckBox(self.tr("&CSV (one file per table, for spreadsheets)"), self)
        self.csv.setAccessibleName(self.tr("Include CSV files"))
        self.csv.setChecked(True)
        formats = QGroupBox(self.tr("Formats"), self)
        box = QVBoxLayout(formats)
        box.addWidget(self.json)
        box.addWidget(self.csv)

        self.password = NewPassphraseFields(self)
        self.password.passphrase.setAccessibleName(self.tr("Archive password"))
        self.password.confirm.setAccessibleName(self.tr("Repeat the archive password"))
        for label in self.password.findChildren(QLabel):
            if label.buddy() is self.password.passphrase:  # Alt+P is the plain-files choice
                label.setText(self.tr("Pass&word:"))
        self.password_box = QGroupBox(self.tr("Archive password"), self)
        QVBoxLayout(self.password_box).addWidget(self.password)

        self.status = plain_label("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Export result"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = error_label(self)
        self.bar = busy_bar(self)
        self.buttons, self.export_button = accept_cancel(
            self, self.tr("E&xport"), self.tr("Export all data"), self.start
        )

        form = QFormLayout()
        form.addRow(folder_label, folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.encrypted)
        layout.addWidget(self.plain)
        layout.addWidget(formats)
        layout.addWidget(self.password_box)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

        for signal in (self.encrypted.toggled, self.json.toggled, self.csv.toggled,
                       self.password.valid_changed, self.folder.textChanged):  # fmt: skip
            signal.connect(self._update)
        runner.locked.connect(self.close)
        self._update()

    # -- state --------------------------------------------------------------------
    def formats(self) -> tuple[str, ...]:
        return tuple(name for name, box in (("json", self.json), ("csv", self.csv))
                     if box.isChecked())  # fmt: skip

    def _update(self, *_args: object) -> None:
        encrypt = self.encrypted.isChecked()
        self.password_box.setVisible(encrypt)
        ready = (
            not self._busy
            and bool(self.formats())
            and bool(self.folder.text().strip())
            and (self.password.is_valid() or not encrypt)
        )
        self.export_button.setEnabled(ready)
        if not self.formats():
            self.error.setText(self.tr("Choose at least one format."))
        elif self.error.text() == self.tr("Choose at least one format."):
            self.error.setText("")

    def choose_folder(self) -> None:
        from mhsw_desktop.ui.report_preview import file_dialog_history_kept

        with file_dialog_history_kept():
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Export into"), self.folder.text()
            )
        if chosen:
            self.folder.setText(chosen)

    # -- exporting ----------------------------------------------------------------
    def start(self) -> None:
        """Check the folder, ask about plaintext and cloud folders, then export."""
        from mhsw_desktop.ui.report_preview import cloud_service

        if self._busy or self.runner.vault is None:
            return
        folder = Path(self.folder.text().strip()).expanduser()
        if not folder.is_dir():
            self.error.setText(self.tr("The folder {folder} does not exist.").format(folder=folder))
            return
        self.error.setText("")
        worries = []
        if self.plain.isChecked():
            worries.append(
                self.tr(
                    "The export will NOT be encrypted: every client record is written as plain "
                    "files into a new folder in\n\n{folder}\n\nAnyone who can open that folder "
                    "can read them. Keep it safe, and delete it when it has served its purpose."
                ).format(folder=folder)
            )
        service = cloud_service(folder / "x")
        if service is not None:
            worries.append(
                self.tr(
                    "That folder looks like one that {service} copies to the internet: the "
                    "export would leave this computer."
                ).format(service=service)
            )
        if not worries:
            self._run(folder)
            return
        box = QMessageBox(self)
        box.setObjectName("export_confirm")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Export all data"))
        box.setText("\n\n".join([*worries, self.tr("Export anyway?")]))
        if self.plain.isChecked():
            go_text, go_name = self.tr("Export &unencrypted"), self.tr("Export unencrypted")
        else:
            go_text, go_name = self.tr("Export &there"), self.tr("Export there")
        go = box.addButton(go_text, QMessageBox.ButtonRole.AcceptRole)
        go.setAccessibleName(go_name)
        back = box.addButton(self.tr("&Go back"), QMessageBox.ButtonRole.RejectRole)
        back.setAccessibleName(self.tr("Go back"))
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_box = box

        def decided() -> None:
            self.confirm_box = None
            if box.clickedButton() is go:
                self._run(folder)

        box.finished.connect(decided)
        box.open()

    def _run(self, folder: Path) -> None:
        vault = self.runner.vault
        if vault is None or self._busy:
            return
        from mhsw_desktop import __version__
        from mhsw_desktop.services.open_export import export_vault

        password = self.password.text() if self.encrypted.isChecked() else None
        formats, params = self.formats(), self.kdf_params

        def work() -> Any:
            return export_vault(vault, folder, formats=formats, password=password,
                                params=params, app_version=__version__)  # fmt: skip

        self._set_busy(True)
        self.status.setText(self.tr("Exporting…"))
        self.runner.run(work, self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.bar.setVisible(busy)
        for widget in (self.folder, self.choose, self.encrypted, self.plain, self.json, self.csv,
                       self.password):  # fmt: skip
            widget.setEnabled(not busy)
        self._update()

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        self.outcome = result
        self.password.clear()
        records = sum(result.counts.values())
        if result.encrypted:
            template = self.tr(
                "Encrypted archive written to:\n{path}\n"
                "{clients} clients, {records:,} records, {bytes:,} bytes."
            )
        else:
            template = self.tr(
                "Plain files (not encrypted) written to:\n{path}\n"
                "{clients} clients, {records:,} records, {bytes:,} bytes."
            )
        self.status.setText(
            template.format(
                path=result.path,
                clients=result.counts.get("clients", 0),
                records=records,
                bytes=result.bytes,
            )
        )
        self.export_button.setEnabled(False)
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        if close is not None:
            close.setText(self.tr("Close"))
            close.setAccessibleName(self.tr("Close"))

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.status.setText("")
        self.error.setText(user_message(exc))
