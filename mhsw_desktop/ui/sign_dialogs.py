"""Dialogs around signing: passphrase re-entry, an addendum, marking a note entered in error.

The passphrase is checked with the vault's KDF on the operation runner (about half a
second), never on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.note import NOTE_LIMITS
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import accept_cancel, busy_bar, error_label, plain_label


class _PassphraseDialog(QDialog):
    """Base: an explanation, optional text, the passphrase, and a verified outcome. The
    subclass gives ``title``, ``explanation``, ``action_text`` and ``text_label`` translated.

    :attr:`verified` is emitted with the text (or "") once the passphrase is right.
    """

    verified = Signal(str)

    def __init__(
        self,
        runner: OperationRunner,
        title: str,
        explanation: str,
        action_text: str,
        *,
        text_label: str = "",
        text_limit: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._busy = False
        self._text_limit = text_limit
        self.setWindowTitle(title)
        intro = plain_label(explanation, self)
        intro.setWordWrap(True)
        self.text: QPlainTextEdit | None = None
        form = QFormLayout()
        if text_label:
            self.text = QPlainTextEdit(self)
            self.text.setTabChangesFocus(True)
            self.text.setAccessibleName(text_label.replace("&", ""))
            self.text.setObjectName("dialog_text")
            self.text.textChanged.connect(self._revalidate)
            label = QLabel(self.tr("{label}:").format(label=text_label), self)
            label.setBuddy(self.text)
            form.addRow(label, self.text)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Your passphrase"))
        self.passphrase.setObjectName("passphrase")
        self.passphrase.textChanged.connect(self._revalidate)
        pass_label = QLabel(self.tr("&Passphrase:"), self)
        pass_label.setBuddy(self.passphrase)
        form.addRow(pass_label, self.passphrase)
        self.error = error_label(self)
        self.busy = busy_bar(self)
        self.buttons, self.ok = accept_cancel(
            self, action_text, action_text.replace("&", ""), self.attempt
        )
        self.ok.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def _problem(self) -> str:
        if self.text is not None:
            text = self.text.toPlainText()
            if not text.strip():
                return "empty"
            if self._text_limit and len(text) > self._text_limit:
                return self.tr("The text is too long (at most {limit} characters).").format(
                    limit=self._text_limit
                )
        if not self.passphrase.text():
            return "empty"
        return ""

    def _revalidate(self) -> None:
        problem = self._problem()
        if problem != "empty":
            self.error.setText(problem)
        self.ok.setEnabled(not problem and not self._busy)

    def attempt(self) -> None:
        if self._problem() or self._busy:
            return
        vault = self.runner.vault
        if vault is None:
            return
        passphrase = self.passphrase.text()
        self._busy = True
        self.busy.show()
        self.ok.setEnabled(False)
        self.error.setText("")
        self.runner.run(lambda: vault.check_passphrase(passphrase), self._checked, self._failed)

    def _checked(self, right: bool) -> None:
        self._busy = False
        self.busy.hide()
        self.passphrase.clear()
        if not right:
            self.error.setText(self.tr("That passphrase is not right. Please try again."))
            self.passphrase.setFocus()
            self._revalidate()
            return
        text = self.text.toPlainText() if self.text is not None else ""
        self.accept()
        self.verified.emit(text)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.hide()
        self.error.setText(user_message(exc))
        self._revalidate()

    def discard(self) -> None:
        """Close at once (the vault is locking)."""
        self._busy = False
        self.passphrase.clear()
        QDialog.reject(self)


class SignDialog(_PassphraseDialog):
    """Re-enter the passphrase to sign a note."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            self.tr("Sign note"),
            self.tr(
                "Signing freezes this note: it can no longer be changed, and corrections "
                "become signed addenda. Your name, credentials and licence number from the "
                "practitioner profile are recorded with the time.\n\n"
                "Enter your passphrase to sign."
            ),
            self.tr("&Sign note"),
            parent=parent,
        )
        self.setObjectName("sign_dialog")


class AddendumDialog(_PassphraseDialog):
    """Write an addendum to a signed note; it is signed when added."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            self.tr("Add addendum"),
            self.tr(
                "An addendum corrects or adds to a signed note. It is signed when you add "
                "it and shown under the note; the note itself does not change."
            ),
            self.tr("&Sign and add"),
            text_label=self.tr("&Addendum"),
            text_limit=NOTE_LIMITS["addendum"],
            parent=parent,
        )
        self.setObjectName("addendum_dialog")


class EnteredInErrorDialog(_PassphraseDialog):
    """Mark a note entered in error (e.g. written in the wrong chart), with a reason."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            self.tr("Mark entered in error"),
            self.tr(
                "A note entered in error is kept (and visible in the audit) but hidden from "
                "the timeline, search, summaries and exports. Say why."
            ),
            self.tr("&Mark entered in error"),
            text_label=self.tr("&Reason"),
            text_limit=NOTE_LIMITS["error_reason"],
            parent=parent,
        )
        self.setObjectName("entered_in_error_dialog")
