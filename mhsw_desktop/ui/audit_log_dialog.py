"""The audit log, viewable and filterable: who did what when (never record content), and
a check of the whole chain that names the first bad entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.widgets import plain_label

#: the actions the filter offers (the log may hold others; "All" shows them)
ACTIONS = ("view", "create", "change", "sign", "entered_in_error", "delete", "print",
           "export", "unlock", "unlock_failed", "lock", "change_passphrase")  # fmt: skip
#: how many of the newest entries the dialog shows
SHOWN = 2_000

COLUMNS = (
    ("No.", lambda r: str(r.seq)),
    ("When (UTC)", lambda r: r.at.isoformat(sep=" ", timespec="seconds")),
    ("Action", lambda r: r.action.replace("_", " ")),
    ("Outcome", lambda r: r.outcome),
    ("Record", lambda r: r.object_type.replace("_", " ")),
    ("Detail", lambda r: r.detail),
)


def open_audit_log(runner: OperationRunner, parent: QWidget) -> AuditLogDialog | None:
    if runner.vault is None:
        return None
    for dialog in parent.findChildren(AuditLogDialog):
        if dialog.isVisible():
            dialog.raise_()
            return dialog
    dialog = AuditLogDialog(runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class AuditLogDialog(QDialog):
    """Modeless; closes on lock."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("audit_log")
        self.setWindowTitle("Audit log")
        self.setAccessibleName("Audit log")

        self.action = QComboBox(self)
        self.action.setAccessibleName("Show entries of this action")
        self.action.addItem("All actions", None)
        for action in ACTIONS:
            self.action.addItem(action.replace("_", " ").capitalize(), action)
        self.since = OptionalDateEdit(None, self)
        self.since.setAccessibleName("From this day")
        self.until = OptionalDateEdit(None, self)
        self.until.setAccessibleName("To this day")
        action_label = QLabel("&Action:", self)
        action_label.setBuddy(self.action)
        since_label = QLabel("&From:", self)
        since_label.setBuddy(self.since)
        until_label = QLabel("T&o:", self)
        until_label.setBuddy(self.until)
        self.apply = QPushButton("&Show", self)
        self.apply.setAccessibleName("Show the entries that match")
        self.apply.clicked.connect(self.load)

        self.model = RecordTableModel(COLUMNS, self)
        self.table = RecordTableView(self.model, "Audit log entries", self)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.count = plain_label("", self)
        self.count.setAccessibleName("How many entries are shown")
        self.check = QPushButton("&Check the chain", self)
        self.check.setAccessibleName("Check that no entry was changed, removed or moved")
        self.check.clicked.connect(self.verify)
        self.chain_status = plain_label("", self)
        self.chain_status.setWordWrap(True)
        self.chain_status.setAccessibleName("Result of the chain check")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        for button in close.buttons():
            button.setAccessibleName("Close the audit log")

        filters = QHBoxLayout()
        for widget in (action_label, self.action, since_label, self.since, until_label,
                       self.until, self.apply):  # fmt: skip
            filters.addWidget(widget)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.check)
        bottom.addWidget(self.chain_status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Every unlock, view, change, signature, print and export, newest last. "
                "The log holds no record content.",
                self,
            )
        )
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(bottom)
        width = self.fontMetrics().averageCharWidth()
        self.resize(width * 130, self.fontMetrics().height() * 32)
        runner.locked.connect(self.close)
        self.load()

    def load(self) -> None:
        if self.runner.vault is None:
            return
        action = self.action.currentData()
        since, until = self.since.value(), self.until.value()

        def work(session: Any) -> Any:
            from mhsw_desktop.services.audit import list_entries

            return list_entries(session, action=action, since=since, until=until, limit=SHOWN)

        self.runner.query(work, self._show, self._failed)

    def _show(self, rows: Any) -> None:
        self.model.set_rows(rows)
        self.table.scrollToBottom()
        more = f" (the newest {SHOWN})" if len(rows) == SHOWN else ""
        self.count.setText(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}{more}")

    def verify(self) -> None:
        vault = self.runner.vault
        if vault is None:
            return
        self.chain_status.setText("Checking…")
        self.runner.run(vault.verify_audit, self._verified, self._failed)

    def _verified(self, check: Any) -> None:
        if check.ok:
            self.chain_status.setText(f"The chain of {check.entries} entries is unbroken.")
        else:
            where = f" The first bad entry is number {check.first_bad}." if check.first_bad else ""
            self.chain_status.setText(f"The audit log was tampered with: {check.problem}.{where}")

    def _failed(self, exc: BaseException) -> None:
        self.chain_status.setText(user_message(exc))
