"""Signing a treatment-plan or safety-plan version (the passphrase again, as for notes) and
recording the day the client signed it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from mhsw_desktop.ui.date_edit import DISPLAY_FORMAT
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.sign_dialogs import _PassphraseDialog
from mhsw_desktop.ui.widgets import accept_cancel, plain_label


class SignPlanDialog(_PassphraseDialog):
    """Re-enter the passphrase to sign a treatment-plan version."""

    def __init__(self, runner: OperationRunner, number: int, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            self.tr("Sign treatment plan"),
            self.tr(
                "Signing freezes version {number} of this treatment plan: it can no longer be "
                "changed, and a later review starts a new version from it. Your name, "
                "credentials and licence number from the practitioner profile are recorded "
                "with the time.\n\nEnter your passphrase to sign."
            ).format(number=number),
            self.tr("&Sign plan"),
            parent=parent,
        )
        self.setObjectName("sign_plan_dialog")


class SignSafetyPlanDialog(_PassphraseDialog):
    """Re-enter the passphrase to sign a safety-plan version."""

    def __init__(self, runner: OperationRunner, number: int, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            self.tr("Sign safety plan"),
            self.tr(
                "Signing freezes version {number} of this safety plan: it is the copy the "
                "client takes home, and it can no longer be changed. A later change starts a "
                "new version from it. Your name, credentials and licence number from the "
                "practitioner profile are recorded with the time.\n\n"
                "Enter your passphrase to sign."
            ).format(number=number),
            self.tr("&Sign safety plan"),
            parent=parent,
        )
        self.setObjectName("sign_safety_plan_dialog")


class ClientSignedDialog(QDialog):
    """The day the client signed the plan (today by default, never a future day)."""

    chosen = Signal(object)

    def __init__(self, plan_date: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Client signature"))
        self.setObjectName("client_signed_dialog")
        intro = plain_label(
            self.tr(
                "Record the day the client signed this version of the plan (on paper or in "
                "front of you). It can be recorded once."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.day = QDateEdit(self)
        self.day.setDisplayFormat(DISPLAY_FORMAT)
        self.day.setCalendarPopup(True)
        self.day.setMinimumDate(QDate(plan_date.year, plan_date.month, plan_date.day))
        today = date.today()
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.day.setAccessibleName(self.tr("Day the client signed"))
        label = QLabel(self.tr("&Signed on:"), self)
        label.setBuddy(self.day)
        form = QFormLayout()
        form.addRow(label, self.day)
        self.buttons, self.ok = accept_cancel(
            self, self.tr("&Record"), self.tr("Record"), self._record
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def value(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _record(self) -> None:
        self.accept()
        self.chosen.emit(self.value())
