"""The community resource directory: every local service with a filter (words, folded
case and accents) and a category; add, edit and delete entries; import and export CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.resources import ResourceCategory
from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import error_label, plain_label

COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Name"), lambda r: r.name),
    (QT_TRANSLATE_NOOP("Columns", "Categories"), lambda r: r.category_labels),
    (QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.phone),
    (QT_TRANSLATE_NOOP("Columns", "Languages"), lambda r: r.languages),
    (QT_TRANSLATE_NOOP("Columns", "Hours"), lambda r: " ".join(r.hours.split())),
)
#: problems of a refused CSV shown one a line; the rest are counted
SHOWN_PROBLEMS = 12
#: the folder last used for CSV files, for this run only (never stored: it is not a setting)
_last_folder: Path | None = None


class FileProblem(UserFacingError):
    """A CSV file that could not be read or written."""


def details_text(row: Any) -> str:
    """The entry's other fields, for the lines under the table."""
    fields = (
        (QCoreApplication.translate("ResourceDirectoryDialog", "Services"), row.services),
        (QCoreApplication.translate("ResourceDirectoryDialog", "Eligibility"), row.eligibility),
        (QCoreApplication.translate("ResourceDirectoryDialog", "Email"), row.email),
        (QCoreApplication.translate("ResourceDirectoryDialog", "Website"), row.website),
        (QCoreApplication.translate("ResourceDirectoryDialog", "Address"), row.address),
        (QCoreApplication.translate("ResourceDirectoryDialog", "Notes"), row.notes),
    )
    flat = [" ".join(f"{label}: {value}".split()) for label, value in fields if value]
    if not flat:
        return QCoreApplication.translate(
            "ResourceDirectoryDialog", "No services, eligibility, email, website or address."
        )
    return "\n".join(flat)


def failure_text(exc: BaseException) -> str:
    """A refused import in lines: what happened, then each bad row and field."""
    from mhsw_desktop.services.resources import ResourceCsvError

    if not isinstance(exc, ResourceCsvError) or len(exc.problems) < 2:
        return user_message(exc)
    lines = [
        QCoreApplication.translate(
            "ResourceDirectoryDialog",
            "Nothing was imported: the file has {count} problems to correct.",
        ).format(count=len(exc.problems))
    ]
    lines += [f"• {p}" for p in exc.problems[:SHOWN_PROBLEMS]]  # in the service's words
    more = len(exc.problems) - SHOWN_PROBLEMS
    if more > 0:
        lines.append(
            QCoreApplication.translate("ResourceDirectoryDialog", "…and {more} more.").format(
                more=more
            )
        )
    return "\n".join(lines)


def _start_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return _last_folder or Path(documents or Path.home())


def open_resource_directory(
    runner: OperationRunner, parent: QWidget
) -> ResourceDirectoryDialog | None:
    """Show the directory (raising the one already open under ``parent``)."""
    if runner.vault is None:
        return None
    for dialog in parent.findChildren(ResourceDirectoryDialog):
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
    dialog = ResourceDirectoryDialog(runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class ResourceDirectoryDialog(QDialog):
    """Modeless: it can stay open beside a client's referrals."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._busy = False
        self._confirm: QMessageBox | None = None
        self.setObjectName("resource_directory")
        self.setWindowTitle(self.tr("Community resources"))

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(
            self.tr("Filter by name, service, category, language or phone")
        )
        self.filter.setAccessibleName(self.tr("Filter community resources"))
        self.filter.setClearButtonEnabled(True)
        filter_label = QLabel(self.tr("&Filter:"), self)
        filter_label.setBuddy(self.filter)
        self.category = QComboBox(self)
        self.category.addItem(self.tr("All categories"), "")
        for category in ResourceCategory:
            self.category.addItem(category.label, category.value)
        self.category.setAccessibleName(self.tr("Show which category"))
        category_label = QLabel(self.tr("C&ategory:"), self)
        category_label.setBuddy(self.category)
        self.count = plain_label("", self)
        self.count.setAccessibleName(self.tr("Number of community resources shown"))
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(category_label)
        top.addWidget(self.category)
        top.addWidget(self.count)

        self.model = RecordTableModel(COLUMNS, self)
        self.table = RecordTableView(self.model, self.tr("Community resources"), self)
        self.table.setObjectName("resources")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)  # the hours
        chars = self.fontMetrics().averageCharWidth()
        for section, width in ((0, 34), (1, 24), (3, 20)):
            header.resizeSection(section, chars * width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.open_requested.connect(self.edit)
        self.table.delete_requested.connect(lambda _row: self.delete())
        self.details = plain_label("", self)
        self.details.setWordWrap(True)
        self.details.setAccessibleName(self.tr("Selected resource's other details"))
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = plain_label(
            self.tr(
                "The directory is empty. Add the food banks, shelters, transport, benefits and "
                "legal help, crisis lines, support groups and treatment services near you, or "
                "import them from a CSV file."
            ),
            self,
        )
        self.empty.setWordWrap(True)

        self.add_button = self._button(
            self.tr("&Add…"), self.tr("Add community resource"), self.add
        )
        self.edit_button = self._button(
            self.tr("&Edit…"), self.tr("Edit the selected resource"), self.edit
        )
        self.delete_button = self._button(
            self.tr("&Delete…"), self.tr("Delete the selected resource"), self.delete
        )
        self.import_button = self._button(
            self.tr("&Import CSV…"),
            self.tr("Import community resources from a CSV file"),
            self.import_csv,
        )
        self.export_button = self._button(
            self.tr("E&xport CSV…"), self.tr("Export the directory as a CSV file"), self.export_csv
        )
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            side.addWidget(button)
        side.addSpacing(self.fontMetrics().height())
        side.addWidget(self.import_button)
        side.addWidget(self.export_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        column = QVBoxLayout()
        column.addWidget(self.table, 1)
        column.addWidget(self.empty)
        column.addWidget(self.details)
        middle.addLayout(column, 1)
        middle.addLayout(side)

        self.notice = plain_label("", self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Result of the last import or export"))
        self.error = error_label(self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.error)
        layout.addWidget(close)

        self.filter.textChanged.connect(self._filter)
        self.category.currentIndexChanged.connect(self._filter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._selected)
        runner.changed.connect(self._records_changed)
        self.resize(chars * 140, self.fontMetrics().height() * 32)
        self._selected()
        self.load()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: slot())  # not slot(checked)
        return button

    # -- loading -----------------------------------------------------------------------
    def load(self) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.resources import list_resources

        self.runner.query(list_resources, self._loaded, self._failed)

    def _loaded(self, rows: list[Any]) -> None:
        selected = self.table.current_record()
        self.model.set_rows(rows)
        if selected is not None and self.model.row_of(selected.id) >= 0:
            self.table.selectRow(self.model.row_of(selected.id))
        self._show_count()

    def _records_changed(self, kind: str) -> None:
        if kind == "resources" and self.isVisible():
            self.load()

    def _filter(self, *_args: object) -> None:
        from mhsw_desktop.services.resources import resource_matches

        text = self.filter.text()
        value = self.category.currentData()
        category = ResourceCategory(value) if value else None
        if text.strip() or category is not None:
            self.model.set_filter(lambda row: resource_matches(row, text, category=category))
        else:
            self.model.set_filter(None)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        if shown == total:
            self.count.setText(self.tr("%n resources", "", total))
        else:
            self.count.setText(self.tr("{shown} of {total}").format(shown=shown, total=total))
        self.empty.setVisible(total == 0)
        self.table.setVisible(total > 0)

    def _selected(self, *_args: object) -> None:
        row = self.table.current_record()
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        self.details.setText(details_text(row) if row is not None else "")
        self.details.setVisible(row is not None)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.error.setText(user_message(exc))

    def _say(self, notice: str = "", error: str = "") -> None:
        self.notice.setText(notice)
        self.error.setText(error)

    # -- entries ---------------------------------------------------------------------------
    def add(self) -> Any:
        return self._form(None)

    def edit(self, row: Any = None) -> Any:
        row = row if row is not None else self.table.current_record()
        return self._form(row) if row is not None else None

    def _form(self, row: Any) -> Any:
        from mhsw_desktop.ui.resource_form import ResourceFormDialog

        if self.runner.vault is None:
            return None
        self._say()
        form = ResourceFormDialog(self.runner, row, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._select_later)
        form.open()
        return form

    def _select_later(self, resource_id: Any) -> None:
        """Select the saved entry once reloaded; the filter is cleared only when it would
        hide the entry."""
        from mhsw_desktop.services.resources import list_resources

        def loaded(rows: list[Any]) -> None:
            self._loaded(rows)
            if self.model.row_of(resource_id) < 0:
                self.filter.clear()
                self.category.setCurrentIndex(0)
            index = self.model.row_of(resource_id)
            if index >= 0:
                self.table.selectRow(index)

        if self.runner.vault is not None:
            self.runner.query(list_resources, loaded, self._failed)

    def delete(self) -> None:
        row = self.table.current_record()
        if row is None or self._confirm is not None:
            return
        from mhsw_desktop.ui.confirm import ask_first

        resource_id, name = row.id, row.name
        deleted = self.tr("Deleted {name}.").format(name=name)

        def forget() -> None:
            self._confirm = None

        def confirmed() -> None:
            if self.runner.vault is None:
                return
            from mhsw_desktop.services.resources import delete_resource

            self._say()
            self.runner.query(
                lambda s: delete_resource(s, resource_id),
                lambda _r: self._say(deleted),
                self._failed,
                changes="resources",
            )

        self._confirm = ask_first(
            self,
            self.tr("Delete community resource"),
            self.tr(
                "Delete {name} from the directory? Clients' referrals to it are kept and still "
                "name it."
            ).format(name=name),
            self.tr("&Delete"),
            confirmed,
            on_close=forget,
        )

    # -- CSV ---------------------------------------------------------------------------------
    def import_csv(self) -> None:
        if self._busy or self.runner.vault is None:
            return
        from mhsw_desktop.ui.report_preview import file_dialog_history_kept

        with file_dialog_history_kept():
            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Import community resources from CSV"),
                str(_start_folder()),
                self.tr("CSV files") + " (*.csv);;" + self.tr("All files") + " (*)",
            )
        if not chosen or self.runner.vault is None or not self.isVisible():
            return
        self.import_path(Path(chosen))

    def import_path(self, path: Path) -> None:
        """Import ``path`` on the runner (the file dialog's choice, or a test's)."""
        from mhsw_desktop.services.resources import MAX_CSV_BYTES, import_resources_csv

        # worded here, on the GUI thread, for the worker to use
        unreadable = self.tr("Could not read {file}: {reason}. Nothing was imported.")
        no_reason = self.tr("it cannot be read")

        def work(session: Any) -> Any:
            try:
                with path.open("rb") as file:
                    data = file.read(MAX_CSV_BYTES + 1)  # the service refuses it in its words
            except OSError as exc:
                reason = exc.strerror or no_reason
                raise FileProblem(unreadable.format(file=path.name, reason=reason)) from None
            return import_resources_csv(session, data)

        self._busy = True
        self._say(self.tr("Importing…"))
        self.runner.query(work, lambda r: self._imported(path, r), self._failed_import,
                          changes="resources")  # fmt: skip

    def _failed_import(self, exc: BaseException) -> None:
        self._busy = False
        self._say(error=failure_text(exc))

    def _imported(self, path: Path, result: Any) -> None:
        global _last_folder
        _last_folder = path.parent
        self._busy = False
        added = len(result.imported)
        if added == 1:
            text = self.tr("Added 1 resource.")
        else:
            text = self.tr("Added %n resources.", "", added)
        if result.skipped:
            entry = self.tr("{name} (row {row})")
            names = ", ".join(entry.format(name=s.name, row=s.row) for s in result.skipped[:8])
            more = len(result.skipped) - 8
            if more > 0:
                skipped = self.tr(
                    "Skipped {count} already in the directory or repeated in the file: {names} "
                    "and {more} more."
                )
            else:
                skipped = self.tr(
                    "Skipped {count} already in the directory or repeated in the file: {names}."
                )
            text += " " + skipped.format(count=len(result.skipped), names=names, more=more)
        self._say(text)

    def export_csv(self) -> None:
        if self._busy or self.runner.vault is None:
            return
        suggested = _start_folder() / f"community-resources-{date.today().isoformat()}.csv"
        from mhsw_desktop.ui.report_preview import cloud_service, file_dialog_history_kept

        with file_dialog_history_kept():
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Export community resources as CSV"),
                str(suggested),
                self.tr("CSV files") + " (*.csv)",
            )
        if not chosen or self.runner.vault is None or not self.isVisible():
            return
        path = Path(chosen)
        if path.suffix.casefold() != ".csv":
            path = path.with_name(f"{path.name}.csv")
        service = cloud_service(path)
        if service is None:
            self.export_path(path)
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Export CSV"))
        box.setText(
            self.tr(
                "That folder looks like one that {service} copies to the internet. The "
                "directory saved there leaves this computer.\n\nSave it there anyway?"
            ).format(service=service)
        )
        save = box.addButton(self.tr("Save &there"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("&Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._confirm = box

        def decided() -> None:
            self._confirm = None
            if box.clickedButton() is save:
                self.export_path(path)

        box.finished.connect(decided)
        box.open()

    def export_path(self, path: Path) -> None:
        """Write the directory to ``path`` on the runner (whole or not at all)."""
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.resources import list_resources, resources_to_csv
        from mhsw_desktop.vault.files import write_atomic

        # worded here, on the GUI thread, for the worker to use
        unwritable = self.tr("Could not save {path}: {reason}. Nothing was written.")
        no_reason = self.tr("the folder cannot be written to")

        def work(session: Any) -> int:
            rows = list_resources(session)
            try:
                write_atomic(path, resources_to_csv(rows).encode("utf-8"))
            except OSError as exc:
                reason = exc.strerror or no_reason
                raise FileProblem(unwritable.format(path=path, reason=reason)) from None
            return len(rows)

        def done(count: int) -> None:
            global _last_folder
            _last_folder = path.parent
            self._busy = False
            self._say(self.tr("Exported %n resources to {path}.", "", count).format(path=path))

        self._busy = True
        self._say(self.tr("Exporting…"))
        self.runner.query(work, done, self._failed_import)

    # -- closing ---------------------------------------------------------------------------
    def discard(self) -> None:
        """Close at once and forget every row (the vault is locking)."""
        if self._confirm is not None:
            self._confirm.done(0)
            self._confirm = None
        self._busy = False
        self.model.clear()
        self.filter.clear()
        self._say()
        QDialog.reject(self)
