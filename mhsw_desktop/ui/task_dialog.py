"""Add a follow-up task: a title, a due date, details, optionally about a client."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
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
from mhsw_desktop.ui.widgets import accept_cancel, error_label


class TaskDialog(QDialog):
    """New task; ``client`` = (id, name) preselects the client it is about."""

    saved = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        client: tuple[uuid.UUID, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._saving = False
        self.setWindowTitle(self.tr("Add task"))
        self.setObjectName("task_dialog")
        self.title = QLineEdit(self)
        self.title.setMaxLength(NOTE_LIMITS["task_title"])
        self.title.setPlaceholderText(self.tr("e.g. Call Dr. Lee about medication"))
        self.title.setAccessibleName(self.tr("Task (required)"))
        self.due = QDateEdit(QDate.currentDate(), self)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setCalendarPopup(True)
        self.due.setAccessibleName(self.tr("Due date"))
        self.client = QComboBox(self)
        self.client.setAccessibleName(self.tr("About which client (optional)"))
        self.client.addItem(self.tr("No client"), None)
        if client is not None:
            self.client.addItem(client[1], client[0])
            self.client.setCurrentIndex(1)
        self.details = QPlainTextEdit(self)
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName(self.tr("Details"))
        self.details.setMaximumHeight(self.details.fontMetrics().height() * 6)
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Task *:"), self.title),
            (self.tr("&Due:"), self.due),
            (self.tr("&Client:"), self.client),
            (self.tr("D&etails:"), self.details),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.error = error_label(self)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Add task"), self.tr("Add task"), self.save
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.title.textChanged.connect(self._revalidate)
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())
        if client is None:
            self._load_clients()

    def _load_clients(self) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.clients import list_clients

        self.runner.query(lambda s: list_clients(s, "current"), self._clients_loaded, None)

    def _clients_loaded(self, rows: list[Any]) -> None:
        for row in rows:
            self.client.addItem(row.display_name, row.id)

    def _revalidate(self, *_args: object) -> None:
        self.save_button.setEnabled(bool(self.title.text().strip()) and not self._saving)

    def save(self) -> None:
        if not self.title.text().strip() or self._saving:
            return
        from mhsw_desktop.services.tasks import TaskInput, add_task

        qd = self.due.date()
        data = TaskInput(
            title=self.title.text(),
            due_date=date(qd.year(), qd.month(), qd.day()),
            details=self.details.toPlainText(),
            client_id=self.client.currentData(),
        )
        self._saving = True
        self._revalidate()
        self.runner.query(lambda s: add_task(s, data), self._saved, self._failed, changes="tasks")

    def _saved(self, task_id: Any) -> None:
        self._saving = False
        self.saved.emit(task_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.error.setText(user_message(exc))
        self._revalidate()

    def discard(self) -> None:
        """Close at once (the vault is locking)."""
        self._saving = False
        QDialog.reject(self)
