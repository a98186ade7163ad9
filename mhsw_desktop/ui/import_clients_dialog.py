"""File > Import clients from CSV…: a preview of how each column of another system's file
maps to a client field (a combo box per column, its first values beside it), every row's
problems, likely duplicates, and an import that is all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import accept_cancel, busy_bar, error_label, plain_label

#: the headers of the file's first rows, shown beside each column (its row 1 names them)
SAMPLE_HEADERS = (
    QT_TRANSLATE_NOOP("Columns", "Row 2"),
    QT_TRANSLATE_NOOP("Columns", "Row 3"),
    QT_TRANSLATE_NOOP("Columns", "Row 4"),
)
#: how many of the file's first rows the mapping table shows beside each column
SAMPLE_ROWS = len(SAMPLE_HEADERS)
#: (value, words) of the date formats; the words are translated where shown
DATE_CHOICES = (
    ("auto", QT_TRANSLATE_NOOP("ImportClientsDialog", "Tell from the file")),
    ("iso", QT_TRANSLATE_NOOP("ImportClientsDialog", "YYYY-MM-DD")),
    ("mdy", QT_TRANSLATE_NOOP("ImportClientsDialog", "MM/DD/YYYY (month first)")),
    ("dmy", QT_TRANSLATE_NOOP("ImportClientsDialog", "DD/MM/YYYY (day first)")),
)


@dataclass(frozen=True)
class ColumnRow:
    """One CSV column in the mapping table."""

    id: int  # its position, from 0
    header: str
    samples: tuple[str, ...]


@dataclass(frozen=True)
class ProblemRow:
    id: int
    row: str
    column: str
    message: str


MAPPING_COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "CSV column"), lambda r: r.header),
    (QT_TRANSLATE_NOOP("Columns", "Imports as"), lambda r: ""),  # a combo box sits in this cell
    *((header, lambda r, n=n: r.samples[n] if n < len(r.samples) else "")
      for n, header in enumerate(SAMPLE_HEADERS)),
)  # fmt: skip
PROBLEM_COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "Row"), lambda r: r.row),
    (QT_TRANSLATE_NOOP("Columns", "Column"), lambda r: r.column),
    (QT_TRANSLATE_NOOP("Columns", "What is wrong"), lambda r: r.message),
)


def open_import_clients(runner: OperationRunner, parent: QWidget) -> ImportClientsDialog | None:
    if runner.vault is None:
        return None
    dialog = ImportClientsDialog(runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ImportClientsDialog(QDialog):
    """Window-modal; closes on lock (dropping what it read of the file)."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.source: Any = None  # services.client_import.ClientCsv
        self.checked: Any = None  # services.client_import.Preview
        self.imported: Any = None
        self._generation = 0
        self.setObjectName("import_clients_dialog")
        self.setWindowTitle(self.tr("Import clients from CSV"))
        self.setAccessibleName(self.tr("Import clients from CSV"))

        intro = plain_label(
            self.tr(
                "Add clients from another program's CSV file (UTF-8; comma, semicolon or tab "
                "separated, its first row naming the columns). Choose what each column holds "
                "(fields marked * are required); every row is checked like the client form, "
                "and nothing is added while any row has a problem."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.choose = QPushButton(self.tr("C&hoose file…"), self)
        self.choose.setAccessibleName(self.tr("Choose the CSV file to import"))
        self.choose.clicked.connect(self.choose_file)
        self.file_label = plain_label(self.tr("No file chosen."), self)
        self.file_label.setAccessibleName(self.tr("The chosen file"))
        self.date_format = QComboBox(self)
        self.date_format.setAccessibleName(self.tr("How the file writes dates"))
        for value, text in DATE_CHOICES:
            self.date_format.addItem(QCoreApplication.translate("ImportClientsDialog", text), value)
        self.date_format.currentIndexChanged.connect(self.refresh)
        date_label = QLabel(self.tr("&Dates:"), self)
        date_label.setBuddy(self.date_format)
        self.allow_duplicates = QCheckBox(self.tr("Add likely d&uplicates too"), self)
        self.allow_duplicates.setAccessibleName(self.tr("Add likely duplicates too"))

        self.mapping_model = RecordTableModel(MAPPING_COLUMNS, self)
        self.mapping = RecordTableView(self.mapping_model, self.tr("Columns of the file"), self)
        self.mapping.setTabKeyNavigation(False)
        header = self.mapping.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.combos: list[QComboBox] = []

        self.summary = plain_label("", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What the import would do"))
        self.problem_model = RecordTableModel(PROBLEM_COLUMNS, self)
        self.problems = RecordTableView(
            self.problem_model, self.tr("Problems and likely duplicates"), self
        )
        problem_header = self.problems.horizontalHeader()
        problem_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        problem_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.error = error_label(self)
        self.bar = busy_bar(self)
        self.buttons, self.import_button = accept_cancel(
            self, self.tr("&Import"), self.tr("Import the clients"), self.start_import
        )
        self.import_button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.choose)
        top.addWidget(self.file_label, 1)
        options = QHBoxLayout()
        options.addWidget(date_label)
        options.addWidget(self.date_format)
        options.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        options.addWidget(self.allow_duplicates)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.mapping, 5)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 2)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        width, height = self.fontMetrics().averageCharWidth(), self.fontMetrics().height()
        self.resize(width * 110, height * 44)
        runner.locked.connect(self.close)
        self.allow_duplicates.toggled.connect(self._show_summary)

    # -- the file -----------------------------------------------------------------
    def choose_file(self) -> None:
        from mhsw_desktop.ui.report_preview import file_dialog_history_kept

        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        with file_dialog_history_kept():
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Import clients from CSV"), documents or str(Path.home()),
                self.tr("CSV files") + " (*.csv *.txt);;" + self.tr("All files") + " (*)",
            )  # fmt: skip
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Read and parse ``path`` on the worker, then guess the mapping and preview it."""
        from mhsw_desktop.services import client_import as ci

        if self.runner.vault is None:
            return
        self.file_label.setText(path.name)
        self.error.setText("")
        unreadable = self.tr("Could not read the file: {reason}.")

        def read() -> Any:
            try:
                with path.open("rb") as file:
                    data = file.read(ci.MAX_CSV_BYTES + 1)
            except OSError as exc:
                raise ci.ClientCsvError(unreadable.format(reason=exc.strerror)) from None
            return ci.read_clients_csv(data)

        self._set_busy(True)
        self.runner.run(read, self._loaded, self._failed)

    def _loaded(self, source: Any) -> None:
        from mhsw_desktop.services import client_import as ci

        self._set_busy(False)
        self.source = source
        rows = [
            ColumnRow(i, header, tuple(cells[i] if i < len(cells) else "" for _n, cells in
                                       source.rows[:SAMPLE_ROWS]))
            for i, header in enumerate(source.header)
        ]  # fmt: skip
        self.mapping_model.set_rows(rows)
        for combo in self.combos:
            combo.deleteLater()
        self.combos = []
        for row, field in zip(rows, ci.guess_mapping(source.header), strict=True):
            combo = QComboBox(self.mapping)
            combo.setAccessibleName(
                self.tr("Field for column {number}, {header}").format(
                    number=row.id + 1, header=row.header
                )
            )
            combo.addItem(self.tr("(not imported)"), None)
            for name, label in ci.FIELDS.items():
                combo.addItem(label + (" *" if name in ci.REQUIRED else ""), name)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            combo.currentIndexChanged.connect(self._combo_changed)
            self.mapping.setIndexWidget(self.mapping_model.index(row.id, 1), combo)
            self.combos.append(combo)
        self.refresh()

    def mapping_now(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def _combo_changed(self, _index: int) -> None:
        """A field goes to one column: choosing it here takes it from any other."""
        sender = self.sender()
        chosen = sender.currentData() if isinstance(sender, QComboBox) else None
        if chosen is not None:
            for combo in self.combos:
                if combo is not sender and combo.currentData() == chosen:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self.refresh()

    # -- the preview ----------------------------------------------------------------
    def refresh(self, *_args: object) -> None:
        """Check every row with the current mapping (on the worker; stale results dropped)."""
        if self.source is None or self.runner.vault is None:
            return
        from mhsw_desktop.services.client_import import preview

        source, mapping = self.source, self.mapping_now()
        form = self.date_format.currentData()
        self._generation += 1
        generation = self._generation
        self.import_button.setEnabled(False)

        def work(session: Any) -> Any:
            return preview(source, mapping, today=date.today(), date_format=form, session=session)

        def shown(checked: Any) -> None:
            if generation == self._generation:
                self._show(checked)

        self.runner.query(work, shown, self._failed)

    def _show(self, checked: Any) -> None:
        self.checked = checked
        problems = [
            ProblemRow(n, self.tr("file") if p.row == 1 else str(p.row), p.column, p.message)
            for n, p in enumerate(checked.problems)
        ]
        start = len(problems)
        for n, dup in enumerate(checked.duplicates):
            if dup.duplicate_of:
                message = self.tr(
                    "Likely duplicate of a client already in the vault (same name and date of "
                    "birth)"
                )
            else:
                message = self.tr(
                    "Likely duplicate of an earlier row (same name and date of birth)"
                )
            problems.append(ProblemRow(start + n, str(dup.row), "", message))
        self.problem_model.set_rows(problems)
        self._show_summary()

    def _show_summary(self, *_args: object) -> None:
        checked = self.checked
        if checked is None:
            return
        bad = len(checked.problem_rows() - {1})
        duplicates = len(checked.duplicates)
        adding = len(checked.valid) - (0 if self.allow_duplicates.isChecked() else duplicates)
        parts = [
            self.tr("%n rows: {ready} ready", "", checked.rows).format(ready=len(checked.valid))
        ]
        if bad:
            parts.append(
                self.tr("%n with problems (fix them in the file, or change the columns)", "", bad)
            )
        if any(p.row == 1 for p in checked.problems):
            parts.append(self.tr("the columns or the date format need a choice"))
        if duplicates and self.allow_duplicates.isChecked():
            parts.append(self.tr("%n likely duplicates will be added", "", duplicates))
        elif duplicates:
            parts.append(self.tr("%n likely duplicates will be skipped", "", duplicates))
        text = "; ".join(parts) + "."
        if checked.ok and self.imported is None:
            text += " " + self.tr("Import adds %n clients.", "", adding)
        self.summary.setText(text)
        self.import_button.setEnabled(checked.ok and adding > 0 and self.imported is None)

    # -- importing ------------------------------------------------------------------
    def start_import(self) -> None:
        if self.checked is None or not self.checked.ok or self.runner.vault is None:
            return
        from mhsw_desktop.services.client_import import import_clients, preview

        source, mapping = self.source, self.mapping_now()
        form, allow = self.date_format.currentData(), self.allow_duplicates.isChecked()

        def work(session: Any) -> Any:
            fresh = preview(source, mapping, today=date.today(), date_format=form,
                            session=session)  # fmt: skip
            return import_clients(session, fresh, allow_duplicates=allow)

        self._set_busy(True)
        self.runner.query(work, self._imported, self._failed, changes="clients")

    def _imported(self, outcome: Any) -> None:
        self._set_busy(False)
        self.imported = outcome
        imported = len(outcome.imported)
        if outcome.skipped:
            text = self.tr(
                "Imported %n clients; {skipped} likely duplicates skipped.", "", imported
            )
            text = text.format(skipped=len(outcome.skipped))
        else:
            text = self.tr("Imported %n clients.", "", imported)
        self.summary.setText(text)
        self.import_button.setEnabled(False)
        for widget in (self.choose, self.date_format, self.allow_duplicates, *self.combos):
            widget.setEnabled(False)
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        if close is not None:
            close.setText(self.tr("Close"))
            close.setAccessibleName(self.tr("Close"))

    def _set_busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.choose.setEnabled(not busy)
        if busy:
            self.import_button.setEnabled(False)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.setText(user_message(exc))
        problems = getattr(exc, "problems", ())
        if problems:  # the file changed in the vault meanwhile: show the fresh problems
            self.problem_model.set_rows(
                [ProblemRow(n, str(p.row), p.column, p.message) for n, p in enumerate(problems)]
            )

    def done(self, result: int) -> None:
        """However it closes (Cancel, Escape, a lock), what was read of the file goes."""
        self.source = self.checked = None
        self.mapping_model.clear()
        self.problem_model.clear()
        super().done(result)
