"""Mark a client's measure alerts reviewed, saying what was done (risk assessed, safety plan
reviewed...): they then leave the client view's banner and the Today view."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from mhsw_desktop.domain.measures import MEASURE_LIMITS
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import accept_cancel, error_label, plain_label


class AlertReviewDialog(QDialog):
    """``alerts`` are the service's ``AlertRow`` objects, all reviewed with one note."""

    def __init__(
        self, runner: OperationRunner, alerts: list[Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.alerts = list(alerts)
        self._saving = False
        self.setObjectName("alert_review_dialog")
        self.setWindowTitle(self.tr("Mark alerts reviewed"))
        listing = plain_label(
            "\n".join(
                f"{a.taken_on.isoformat()}: {message}"
                for a in self.alerts
                for message in a.messages
            ),
            self,
        )
        listing.setWordWrap(True)
        listing.setAccessibleName(self.tr("Alerts to review"))
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName(self.tr("What was done"))
        self.note.setPlaceholderText(
            self.tr("e.g. Risk assessed in session; safety plan reviewed.")
        )
        self.note.setTabChangesFocus(True)
        note_label = QLabel(self.tr("&What was done:"), self)
        note_label.setBuddy(self.note)
        self.error = error_label(self)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Mark reviewed"), self.tr("Mark alerts reviewed"), self.save
        )
        layout = QVBoxLayout(self)
        layout.addWidget(listing)
        layout.addWidget(note_label)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 80, self.fontMetrics().height() * 16)

    def save(self) -> None:
        if self._saving:
            return
        text = self.note.toPlainText().strip()
        if len(text) > MEASURE_LIMITS["alert_review_note"]:
            self.error.setText(
                self.tr("Please keep it under {limit} characters.").format(
                    limit=MEASURE_LIMITS["alert_review_note"]
                )
            )
            return
        from mhsw_desktop.services.measures import review_alert

        ids = [a.measure_id for a in self.alerts]

        def work(session: Any) -> None:
            for measure_id in ids:
                review_alert(session, measure_id, text)

        self._saving = True
        self.save_button.setEnabled(False)
        self.runner.query(work, lambda _r: self._saved(), self._failed, changes="measures")

    def _saved(self) -> None:
        self._saving = False
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.error.setText(user_message(exc))

    def discard(self) -> None:
        self._saving = False
        QDialog.reject(self)
