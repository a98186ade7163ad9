"""Choosing a passphrase: two fields, live strength feedback, and the dialog that uses them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.widgets import busy_bar, error_label, plain_label


class NewPassphraseFields(QWidget):
    """Passphrase, confirmation and a strength meter; :attr:`valid_changed` says when
    the passphrase is acceptable and both fields agree."""

    valid_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._valid = False
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("New passphrase"))
        self.passphrase.setObjectName("new_passphrase")
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(self.tr("Repeat the new passphrase"))
        self.confirm.setObjectName("confirm_passphrase")
        self.meter = QProgressBar(self)
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(self.tr("Passphrase strength"))
        self.meter.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        self.strength = plain_label("", self)
        self.strength.setAccessibleName(self.tr("Passphrase strength"))
        self.feedback = plain_label(
            self.tr("Use at least 12 characters; several unrelated words work well."), self
        )
        self.feedback.setWordWrap(True)
        self.mismatch = error_label(self)

        form = QFormLayout(self)
        label = QLabel(self.tr("&Passphrase:"), self)
        label.setBuddy(self.passphrase)
        form.addRow(label, self.passphrase)
        label = QLabel(self.tr("&Repeat it:"), self)
        label.setBuddy(self.confirm)
        form.addRow(label, self.confirm)
        form.addRow(self.tr("Strength:"), self.meter)
        form.addRow("", self.strength)
        form.addRow("", self.feedback)
        form.addRow("", self.mismatch)
        self.passphrase.textChanged.connect(self._update)
        self.confirm.textChanged.connect(self._update)
        self.setTabOrder(self.passphrase, self.confirm)

    def is_valid(self) -> bool:
        return self._valid

    def text(self) -> str:
        return self.passphrase.text()

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()

    def _update(self) -> None:
        from mhsw_desktop.vault.passphrase import assess

        text = self.passphrase.text()
        if text:
            verdict = assess(text)
            self.meter.setValue(verdict.score)
            # the verdict's label and feedback are the vault layer's words
            if verdict.acceptable:
                self.strength.setText(verdict.label)
            else:
                self.strength.setText(
                    self.tr("{strength} — not enough").format(strength=verdict.label)
                )
            self.feedback.setText(
                verdict.feedback or self.tr("Good: this passphrase is strong enough.")
            )
            acceptable = verdict.acceptable
        else:
            self.meter.setValue(0)
            self.strength.setText("")
            acceptable = False
        same = text == self.confirm.text()
        self.mismatch.setText(
            ""
            if same or not self.confirm.text()
            else self.tr("The two passphrases are not the same.")
        )
        valid = acceptable and same
        if valid != self._valid:
            self._valid = valid
            self.valid_changed.emit(valid)


class NewPassphraseDialog(QDialog):
    """Asks for a new passphrase and applies it through ``apply(passphrase, done, fail)``.

    With ``required`` (after a recovery-key unlock) it cannot be cancelled or closed
    until the new passphrase is saved.
    """

    def __init__(
        self,
        apply: Callable[[str, Callable[[], None], Callable[[str], None]], None],
        *,
        required: bool,
        ask_current: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._apply = apply
        self._required = required
        #: the current passphrase, asked when changing it in an open session (someone at an
        #: unattended, unlocked laptop must not be able to set a passphrase of their own)
        self.current: QLineEdit | None = None
        self.setWindowTitle(self.tr("Choose a new passphrase — MHSW Desktop"))
        self.setModal(True)
        intro = plain_label(
            self.tr(
                "You opened the vault with its recovery key. Choose a new passphrase now; "
                "the old one will no longer work."
            )
            if required
            else self.tr(
                "Choose a new passphrase for this vault. The recovery key stays the same."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.fields = NewPassphraseFields(self)
        current_row: QWidget | None = None
        if ask_current:
            current_row = QWidget(self)
            row = QHBoxLayout(current_row)
            row.setContentsMargins(0, 0, 0, 0)
            self.current = QLineEdit(current_row)
            self.current.setEchoMode(QLineEdit.EchoMode.Password)
            self.current.setAccessibleName(self.tr("Current passphrase"))
            label = QLabel(self.tr("C&urrent passphrase:"), current_row)
            label.setBuddy(self.current)
            row.addWidget(label)
            row.addWidget(self.current, 1)
            self.current.textChanged.connect(self._update_save)
        self.error = error_label(self)
        self.busy = busy_bar(self)
        self.buttons = QDialogButtonBox(self)
        self.save = self.buttons.addButton(
            self.tr("&Save passphrase"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save.setAccessibleName(self.tr("Save the new passphrase"))
        self.save.setEnabled(False)
        if not required:
            cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setAccessibleName(self.tr("Cancel"))
            self.buttons.rejected.connect(self.reject)
        else:
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.buttons.accepted.connect(self._submit)
        self.fields.valid_changed.connect(self._update_save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if current_row is not None and self.current is not None:
            layout.addWidget(current_row)
            self.setTabOrder(self.current, self.fields.passphrase)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def current_text(self) -> str:
        return self.current.text() if self.current is not None else ""

    def _ready(self) -> bool:
        return self.fields.is_valid() and (self.current is None or bool(self.current.text()))

    def _update_save(self, *_args: object) -> None:
        self.save.setEnabled(self._ready())

    def reject(self) -> None:
        if not self._required:
            if self.current is not None:
                self.current.clear()
            super().reject()

    def _submit(self) -> None:
        if not self._ready():
            return
        self.save.setEnabled(False)
        self.fields.setEnabled(False)
        self.busy.show()
        self.error.setText("")
        self._apply(self.fields.text(), self._done, self._failed)

    def _done(self) -> None:
        self.busy.hide()
        self.fields.clear()
        if self.current is not None:
            self.current.clear()
        self.accept()

    def _failed(self, message: str) -> None:
        self.busy.hide()
        self.fields.setEnabled(True)
        self.save.setEnabled(self._ready())
        self.error.setText(message)
