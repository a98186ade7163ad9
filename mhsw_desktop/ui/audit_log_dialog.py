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
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import plain_label

#: the actions the filter offers (the log may hold others; "All" shows them), with the
#: filter's words for them
ACTION_LABELS = {
    "view": QT_TRANSLATE_NOOP("AuditLogDialog", "View"),
    "create": QT_TRANSLATE_NOOP("AuditLogDialog", "Create"),
    "change": QT_TRANSLATE_NOOP("AuditLogDialog", "Change"),
    "sign": QT_TRANSLATE_NOOP("AuditLogDialog", "Sign"),
    "entered_in_error": QT_TRANSLATE_NOOP("AuditLogDialog", "Entered in error"),
    "delete": QT_TRANSLATE_NOOP("AuditLogDialog", "Delete"),
    "print": QT_TRANSLATE_NOOP("AuditLogDialog", "Print"),
    "export": QT_TRANSLATE_NOOP("AuditLogDialog", "Export"),
    "unlock": QT_TRANSLATE_NOOP("AuditLogDialog", "Unlock"),
    "unlock_failed": QT_TRANSLATE_NOOP("AuditLogDialog", "Unlock failed"),
    "lock": QT_TRANSLATE_NOOP("AuditLogDialog", "Lock"),
    "change_passphrase": QT_TRANSLATE_NOOP("AuditLogDialog", "Change passphrase"),
}
ACTIONS = tuple(ACTION_LABELS)
#: how many of the newest entries the dialog shows
SHOWN = 2_000

#: the cells are the log's own words (its action, outcome and record kind as stored)
COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "No."), lambda r: str(r.seq)),
    (
        QT_TRANSLATE_NOOP("Columns", "When (UTC)"),
        lambda r: r.at.isoformat(sep=" ", timespec="seconds"),
    ),
    (QT_TRANSLATE_NOOP("Columns", "Action"), lambda r: r.action.replace("_", " ")),
    (QT_TRANSLATE_NOOP("Columns", "Outcome"), lambda r: r.outcome),
    (QT_TRANSLATE_NOOP("Columns", "Record"), lambda r: r.object_type.replace("_", " ")),
    (QT_TRANSLATE_NOOP("Columns", "Detail"), lambda r: r.detail),
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
        self.setWindowTitle(self.tr("Audit log"))
        self.setAccessibleName(self.tr("Audit log"))

        self.action = QComboBox(self)
        self.action.setAccessibleName(self.tr("Show entries of this action"))
        self.action.addItem(self.tr("All actions"), None)
        for action, label in ACTION_LABELS.items():
            self.action.addItem(self.tr(label), action)
        self.since = OptionalDateEdit(None, self)
        self.since.setAccessibleName(self.tr("From this day"))
        self.until = OptionalDateEdit(None, self)
        self.until.setAccessibleName(self.tr("To this day"))
        action_label = QLabel(self.tr("&Action:"), self)
        action_label.setBuddy(self.action)
        since_label = QLabel(self.tr("&From:"), self)
        since_label.setBuddy(self.since)
        until_label = QLabel(self.tr("T&o:"), self)
        until_label.setBuddy(self.until)
        self.apply = QPushButton(self.tr("&Show"), self)
        self.apply.setAccessibleName(self.tr("Show the entries that match"))
        self.apply.clicked.connect(self.load)

        self.model = RecordTableModel(COLUMNS, self)
        self.table = RecordTableView(self.model, self.tr("Audit log entries"), self)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.count = plain_label("", self)
        self.count.setAccessibleName(self.tr("How many entries are shown"))
        self.check = QPushButton(self.tr("&Check the chain"), self)
        self.check.setAccessibleName(self.tr("Check that no entry was changed, removed or moved"))
        self.check.clicked.connect(self.verify)
        self.chain_status = plain_label("", self)
        self.chain_status.setWordWrap(True)
        self.chain_status.setAccessibleName(self.tr("Result of the chain check"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        for button in close.buttons():
            button.setAccessibleName(self.tr("Close the audit log"))

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
                self.tr(
                    "Every unlock, view, change, signature, print and export, newest last. "
                    "The log holds no record content."
                ),
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
        count = self.tr("1 entry") if len(rows) == 1 else self.tr("%n entries", "", len(rows))
        if len(rows) == SHOWN:
            count = self.tr("{count} (the newest {limit})").format(count=count, limit=SHOWN)
        self.count.setText(count)

    def verify(self) -> None:
        vault = self.runner.vault
        if vault is None:
            return
        self.chain_status.setText(self.tr("Checking…"))
        self.runner.run(vault.verify_audit, self._verified, self._failed)

    def _verified(self, check: Any) -> None:
        if check.ok:
            self.chain_status.setText(
                self.tr("The chain of %n entries is unbroken.", "", check.entries)
            )
        elif check.first_bad:
            self.chain_status.setText(
                self.tr(
                    "The audit log was tampered with: {problem}. The first bad entry is "
                    "number {number}."
                ).format(problem=check.problem, number=check.first_bad)
            )
        else:
            self.chain_status.setText(
                self.tr("The audit log was tampered with: {problem}.").format(problem=check.problem)
            )

    def _failed(self, exc: BaseException) -> None:
        self.chain_status.setText(user_message(exc))
