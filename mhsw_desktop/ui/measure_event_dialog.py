"""Mark an event on a client's measure trend: a medication change, a crisis, a discharge."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.measures import MEASURE_LIMITS, EventKind
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import accept_cancel, error_label


class MeasureEventDialog(QDialog):
    def __init__(
        self, runner: OperationRunner, client_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.client_id = client_id
        self._saving = False
        self.setObjectName("measure_event_dialog")
        self.setWindowTitle(self.tr("Mark an event on the trend"))
        today = date.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName(self.tr("Event date"))
        self.kind = QComboBox(self)
        for kind in EventKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setAccessibleName(self.tr("Kind of event"))
        self.label = QLineEdit(self)
        self.label.setMaxLength(MEASURE_LIMITS["event_label"])
        self.label.setPlaceholderText(self.tr("e.g. Sertraline 50 mg started"))
        self.label.setAccessibleName(self.tr("What the chart shows"))
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Date:"), self.day),
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Label:"), self.label),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.error = error_label(self)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Save"), self.tr("Save event"), self.save
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 60, self.sizeHint().height())

    def save(self) -> None:
        if self._saving:
            return
        from mhsw_desktop.services.measures import EventInput, add_event

        qdate = self.day.date()
        data = EventInput(
            self.client_id,
            date(qdate.year(), qdate.month(), qdate.day()),
            EventKind(self.kind.currentData()),
            self.label.text(),
        )
        self._saving = True
        self.save_button.setEnabled(False)
        self.runner.query(
            lambda s: add_event(s, data), lambda _r: self._saved(), self._failed,
            changes="measures",
        )  # fmt: skip

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
