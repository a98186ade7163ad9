"""The first-run wizard: choose a folder, choose a passphrase, create the vault, keep the key.

Creating a vault runs the key derivation (about a second) on the database worker, never
on the GUI thread. The recovery key is shown once, to print or write down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.passphrase_fields import NewPassphraseFields
from mhsw_desktop.ui.widgets import busy_bar, error_label, plain_label, scaled_font

FOLDER_PAGE, PASSPHRASE_PAGE, RECOVERY_PAGE = range(3)


def choose_folder(parent: QWidget, caption: str, start: str) -> str:
    """A folder picker that keeps no history beyond what the user sees (folders only)."""
    return QFileDialog.getExistingDirectory(parent, caption, start, QFileDialog.Option.ShowDirsOnly)


def recovery_key_lines(key: str) -> str:
    """The recovery key as rows of three groups, easier to copy by hand."""
    groups = key.split("-")
    return "\n".join("  ".join(groups[i : i + 3]) for i in range(0, len(groups), 3))


class FolderPage(QWizardPage):
    """Page 1: where the vault lives (or open the demo or an existing vault instead)."""

    def __init__(self, wizard: SetupWizard, default_folder: Path) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Where should your records live?"))
        self.setSubTitle(
            self.tr(
                "MHSW Desktop keeps everything in one encrypted folder on this computer. "
                "Nothing is sent anywhere."
            )
        )
        self.folder = QLineEdit(str(default_folder), self)
        self.folder.setAccessibleName(self.tr("Vault folder"))
        self.folder.setObjectName("folder")
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.setAccessibleName(self.tr("Browse for a vault folder"))
        browse.clicked.connect(self._browse)
        label = QLabel(self.tr("Vault &folder:"), self)
        label.setBuddy(self.folder)
        self.error = error_label(self)
        hint = plain_label(
            self.tr(
                "Choose an empty folder, or a new one. Back it up like any important folder; "
                "its contents are useless without your passphrase or recovery key."
            ),
            self,
        )
        hint.setWordWrap(True)

        self.demo = QPushButton(self.tr("Open the &demo vault instead"), self)
        self.demo.setAccessibleName(self.tr("Open the demo vault instead"))
        self.demo.setToolTip(self.tr("A vault of invented people, to try the app safely"))
        self.demo.clicked.connect(wizard.choose_demo)
        self.existing = QPushButton(self.tr("Open an &existing vault…"), self)
        self.existing.setAccessibleName(self.tr("Open an existing vault"))
        self.existing.clicked.connect(self._open_existing)

        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        others = QHBoxLayout()
        others.addWidget(self.demo)
        others.addWidget(self.existing)
        others.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(plain_label(self.tr("Just looking?"), self))
        layout.addLayout(others)
        self.folder.textChanged.connect(self.completeChanged)
        self.folder.textChanged.connect(lambda _t: self.error.setText(""))

    def isComplete(self) -> bool:
        return bool(self.folder.text().strip())

    def validatePage(self) -> bool:
        from mhsw_desktop.vault.vault import is_vault

        folder = Path(self.folder.text().strip()).expanduser()
        if is_vault(folder):
            self.error.setText(
                self.tr(
                    "This folder already holds a vault. Choose another folder, or use "
                    "“Open an existing vault…” to open it."
                )
            )
            return False
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            self.error.setText(
                self.tr("Choose an empty folder or a new one; this one holds other files.")
            )
            return False
        return True

    def _browse(self) -> None:
        chosen = choose_folder(self, self.tr("Choose a folder for the vault"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _open_existing(self) -> None:
        from mhsw_desktop.vault.vault import is_vault

        chosen = choose_folder(self, self.tr("Choose a vault folder"), str(Path.home()))
        if not chosen:
            return
        if not is_vault(Path(chosen)):
            self.error.setText(self.tr("No vault was found in {folder}.").format(folder=chosen))
            return
        self._wizard.choose_existing(Path(chosen))


class PassphrasePage(QWizardPage):
    """Page 2: the passphrase, with live strength feedback."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Choose a passphrase"))
        self.setSubTitle(
            self.tr(
                "It unlocks the vault each day. A few unrelated words are easy to remember "
                "and hard to guess."
            )
        )
        self.fields = NewPassphraseFields(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        self.fields.valid_changed.connect(self.completeChanged)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Create vault"))

    def isComplete(self) -> bool:
        return self.fields.is_valid()


class RecoveryPage(QWizardPage):
    """Page 3: the vault is created here, then its recovery key is shown once."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Your recovery key"))
        self.status = plain_label(self.tr("Creating your vault…"), self)
        self.status.setWordWrap(True)
        self.busy = busy_bar(self)
        self.error = error_label(self)
        self.retry = QPushButton(self.tr("&Try again"), self)
        self.retry.setAccessibleName(self.tr("Try creating the vault again"))
        self.retry.hide()
        self.retry.clicked.connect(self._create)

        self.key = plain_label("", self)
        self.key.setObjectName("recovery_key")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.key.setFont(scaled_font(font, 1.6, bold=True))
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setAccessibleName(self.tr("Recovery key"))
        self.key.setFrameShape(QLabel.Shape.StyledPanel)
        self.key.setMargin(self.fontMetrics().height())
        self.print = QPushButton(self.tr("&Print…"), self)
        self.print.setAccessibleName(self.tr("Print the recovery key"))
        self.print.clicked.connect(self._print)
        self.copy = QPushButton(self.tr("C&opy"), self)
        self.copy.setAccessibleName(self.tr("Copy the recovery key"))
        self.copy.setToolTip(self.tr("The copy is removed from the clipboard when the vault locks"))
        self.copy.clicked.connect(self._copy)
        self.confirmed = QCheckBox(self.tr("I have &written down or printed my recovery key"), self)
        self.confirmed.setAccessibleName(self.tr("I have written down or printed my recovery key"))
        self.confirmed.toggled.connect(self.completeChanged)
        self.key_widgets: list[QWidget] = [self.key, self.print, self.copy, self.confirmed]

        buttons = QHBoxLayout()
        buttons.addWidget(self.print)
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.retry)
        layout.addWidget(self.key)
        layout.addLayout(buttons)
        layout.addWidget(self.confirmed)
        layout.addStretch(1)
        for widget in self.key_widgets:
            widget.hide()

    def initializePage(self) -> None:
        if self._wizard.vault is None:
            self._create()

    def isComplete(self) -> bool:
        return self._wizard.vault is not None and self.confirmed.isChecked()

    def _create(self) -> None:
        self.retry.hide()
        self.error.setText("")
        self.busy.show()
        self.status.setText(self.tr("Creating your vault… (this takes a moment)"))
        self._wizard.create_vault(self._created, self._failed)

    def _created(self, recovery_key: str) -> None:
        self.busy.hide()
        self._key_text = recovery_key
        self.status.setText(
            self.tr(
                "Anyone with this key can open the vault, and without it a forgotten passphrase "
                "means the records are lost. Print it or write it down now and keep it "
                "somewhere safe, apart from this computer. It will not be shown again."
            )
        )
        self.key.setText(recovery_key_lines(recovery_key))
        for widget in self.key_widgets:
            widget.show()
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.busy.hide()
        self.status.setText(self.tr("The vault could not be created."))
        self.error.setText(message)
        self.retry.show()

    def _copy(self) -> None:
        from mhsw_desktop.ui.clipboard import copy_text

        copy_text(self._key_text)
        self.copy.setText(self.tr("C&opied"))

    def _print(self) -> None:
        from mhsw_desktop.ui.printing import print_recovery_key

        print_recovery_key(self, self._key_text, self._wizard.folder)


class SetupWizard(QWizard):
    """First run. Afterwards :attr:`outcome` is ``"created"`` (with :attr:`vault` open),
    ``"demo"`` or ``"existing"`` (with :attr:`folder`), or ``None`` when cancelled."""

    #: the user chose the demo vault or an existing vault; the wizard then closes
    outcome_chosen = Signal(str)

    def __init__(
        self,
        runner: OperationRunner,
        *,
        default_folder: Path,
        kdf_params: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.kdf_params = kdf_params
        self.vault: Any = None
        self.outcome: str | None = None
        self.folder = default_folder
        self.setWindowTitle(self.tr("Set up — MHSW Desktop"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.folder_page = FolderPage(self, default_folder)
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryPage(self)
        self.setPage(FOLDER_PAGE, self.folder_page)
        self.setPage(PASSPHRASE_PAGE, self.passphrase_page)
        self.setPage(RECOVERY_PAGE, self.recovery_page)
        for which, name in (
            (QWizard.WizardButton.NextButton, self.tr("Next")),
            (QWizard.WizardButton.BackButton, self.tr("Back")),
            (QWizard.WizardButton.CancelButton, self.tr("Cancel")),
            (QWizard.WizardButton.FinishButton, self.tr("Finish")),
            (QWizard.WizardButton.CommitButton, self.tr("Create vault")),
            (QWizard.WizardButton.HelpButton, self.tr("Help")),
        ):
            self.button(which).setAccessibleName(name)
        width = self.fontMetrics().averageCharWidth() * 100
        self.resize(width, int(width * 0.7))

    def create_vault(self, done: Any, failed: Any) -> None:
        """Create the vault on the worker; ``done(recovery_key)`` or ``failed(message)``."""
        folder = Path(self.folder_page.folder.text().strip()).expanduser().absolute()
        passphrase = self.passphrase_page.fields.text()
        params = self.kdf_params
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)

        def work() -> Any:
            from mhsw_desktop.vault.vault import Vault

            return Vault.create(folder, passphrase, params=params)

        def success(result: Any) -> None:
            self.vault, recovery_key = result
            self.folder = folder
            self.outcome = "created"
            self.passphrase_page.fields.clear()
            done(recovery_key)

        def failure(exc: BaseException) -> None:
            self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
            failed(user_message(exc))

        self.runner.run(work, success, failure)

    def choose_demo(self) -> None:
        self.outcome = "demo"
        self.outcome_chosen.emit("demo")
        self.accept()

    def choose_existing(self, folder: Path) -> None:
        self.outcome = "existing"
        self.folder = folder
        self.outcome_chosen.emit("existing")
        self.accept()

    def reject(self) -> None:
        """Cancelling is refused once the vault exists: the key must be acknowledged."""
        if self.vault is not None or not self.runner.idle():
            return
        super().reject()
