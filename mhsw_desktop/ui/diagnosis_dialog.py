"""Add or edit a client's diagnosis: ICD-10-CM look-up as you type (offline), primary or
secondary, onset and resolved dates."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import accept_cancel, error_label, plain_label

LOOKUP_DELAY_MS = 200
CODE_COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "Code"), lambda r: r[0]),
    (QT_TRANSLATE_NOOP("Columns", "Description"), lambda r: r[1]),
)


class DiagnosisDialog(QDialog):
    """``row`` is a ``DiagnosisRow`` to edit, or None to add one."""

    saved = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        row: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.client_id = client_id
        self.row = row
        self._chosen: tuple[str, str] | None = (row.code, row.description) if row else None
        self._lookup_serial = 0
        self._saving = False
        self.setWindowTitle(self.tr("Edit diagnosis") if row else self.tr("Add diagnosis"))
        self.setObjectName("diagnosis_dialog")

        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Type a code (F41.1) or words (generalized anxiety)"))
        self.query.setAccessibleName(self.tr("Look up a diagnosis by code or words"))
        self.query.setClearButtonEnabled(True)
        query_label = QLabel(self.tr("&Look up:"), self)
        query_label.setBuddy(self.query)
        self.results = RecordTableModel(CODE_COLUMNS, self)
        self.table = RecordTableView(self.results, self.tr("ICD-10-CM codes found"), self)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self.table.open_requested.connect(lambda _r: self.save())
        self.chosen_label = plain_label("", self)
        self.chosen_label.setWordWrap(True)
        self.chosen_label.setAccessibleName(self.tr("Chosen diagnosis"))
        self.primary = QCheckBox(self.tr("&Primary diagnosis"), self)
        self.primary.setAccessibleName(self.tr("Primary diagnosis"))
        self.onset = OptionalDateEdit(row.onset_date if row else None, self)
        self.onset.setAccessibleName(self.tr("Onset date"))
        self.resolved = OptionalDateEdit(row.resolved_date if row else None, self)
        self.resolved.setAccessibleName(self.tr("Resolved date"))
        if row is not None:
            self.primary.setChecked(row.is_primary)
        onset_label = QLabel(self.tr("&Onset:"), self)
        onset_label.setBuddy(self.onset)
        resolved_label = QLabel(self.tr("&Resolved:"), self)
        resolved_label.setBuddy(self.resolved)
        form = QFormLayout()
        form.addRow(onset_label, self.onset)
        form.addRow(resolved_label, self.resolved)
        self.error = error_label(self)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Save"), self.tr("Save diagnosis"), self.save
        )

        layout = QVBoxLayout(self)
        layout.addWidget(query_label)
        layout.addWidget(self.query)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chosen_label)
        layout.addWidget(self.primary)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(LOOKUP_DELAY_MS)
        self.timer.timeout.connect(self.lookup)
        self.query.textChanged.connect(lambda _t: self.timer.start())
        self.onset.dateChanged.connect(self._revalidate)
        self.resolved.dateChanged.connect(self._revalidate)
        self._show_chosen()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 90, self.fontMetrics().height() * 34)

    def lookup(self) -> None:
        """Search the offline code set on the worker; only the latest answer shows."""
        text = self.query.text().strip()
        self._lookup_serial += 1
        serial = self._lookup_serial
        if len(text) < 2:
            self.results.clear()
            return
        from mhsw_desktop.services.diagnoses import lookup

        def done(found: list[tuple[str, str]]) -> None:
            if serial == self._lookup_serial:
                self.results.set_rows(found)
                if found:
                    self.table.selectRow(0)

        self.runner.run(lambda: lookup(text, limit=50), done, self._failed)

    def _picked(self, *_args: object) -> None:
        record = self.table.current_record()
        if record is not None:
            self._chosen = (record[0], record[1])
        self._show_chosen()

    def _show_chosen(self) -> None:
        chosen = self._chosen
        self.chosen_label.setText(
            self.tr("Chosen: {code} — {description}").format(code=chosen[0], description=chosen[1])
            if chosen
            else self.tr("Choose a code from the list.")
        )
        self._revalidate()

    def _problem(self) -> str:
        if self._chosen is None:
            return "empty"
        onset, resolved = self.onset.value(), self.resolved.value()
        if onset is not None and resolved is not None and resolved < onset:
            return self.tr("The resolved date is before the onset date.")
        return ""

    def _revalidate(self, *_args: object) -> None:
        problem = self._problem()
        self.error.setText("" if problem == "empty" else problem)
        self.save_button.setEnabled(not problem and not self._saving)

    def save(self) -> None:
        if self._problem() or self._saving or self._chosen is None:
            return
        from mhsw_desktop.services.diagnoses import (
            DiagnosisInput,
            add_diagnosis,
            update_diagnosis,
        )

        data = DiagnosisInput(
            code=self._chosen[0],
            is_primary=self.primary.isChecked(),
            onset_date=self.onset.value(),
            resolved_date=self.resolved.value(),
        )
        client_id, row = self.client_id, self.row
        self._saving = True
        self.save_button.setEnabled(False)

        def work(session: Any) -> Any:
            if row is None:
                return add_diagnosis(session, client_id, data)
            return update_diagnosis(session, row.id, data)

        self.runner.query(work, lambda _r: self._saved(), self._failed, changes="diagnoses")

    def _saved(self) -> None:
        self._saving = False
        self.saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.error.setText(user_message(exc))
        self._revalidate()

    def discard(self) -> None:
        """Close at once (the vault is locking)."""
        self.timer.stop()
        self._saving = False
        QDialog.reject(self)
