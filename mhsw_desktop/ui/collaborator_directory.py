"""The collaborator directory: every collaborator with a filter; add, edit and delete
entries; import and export vCard files (3.0 or 4.0)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import (
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

from mhsw_desktop.domain.text import fold
from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import error_label, plain_label

COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Name"), lambda r: r.display_name),
    (QT_TRANSLATE_NOOP("Columns", "Role"), lambda r: r.role.label),
    (QT_TRANSLATE_NOOP("Columns", "Organisation"), lambda r: r.organisation),
    (QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.phone),
    (
        QT_TRANSLATE_NOOP("Columns", "Preferred contact"),
        lambda r: r.preferred_contact.label if r.preferred_contact else "",
    ),
)
#: the vCard versions the export offers, the first being the default
VCARD_VERSIONS = ("3.0", "4.0")
#: the folder last used for vCards, for this run only (never stored: it is not a setting)
_last_folder: Path | None = None


class FileProblem(UserFacingError):
    """A vCard file that could not be read or written."""


def matches(row: Any, words: list[str]) -> bool:
    """Whether every word (folded) is in the entry's name, role, organisation, phone or email."""
    hay = fold(" ".join((row.display_name, row.role.label, row.organisation, row.phone, row.email)))
    digits = "".join(ch for ch in row.phone if ch.isdigit())
    return all(w in hay or (w.isdigit() and w in digits) for w in words)


def details_text(row: Any) -> str:
    """The entry's other fields, for the line under the table."""
    fields = (
        (QCoreApplication.translate("CollaboratorDirectoryDialog", "Fax"), row.fax),
        (QCoreApplication.translate("CollaboratorDirectoryDialog", "Email"), row.email),
        (
            QCoreApplication.translate("CollaboratorDirectoryDialog", "Address"),
            " ".join(row.address.split()),
        ),
        (
            QCoreApplication.translate("CollaboratorDirectoryDialog", "Notes"),
            " ".join(row.notes.split()),
        ),
    )
    parts = [f"{label}: {value}" for label, value in fields if value]
    if not parts:
        return QCoreApplication.translate(
            "CollaboratorDirectoryDialog", "No fax, email, address or notes recorded."
        )
    return " · ".join(parts)


def _start_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return _last_folder or Path(documents or Path.home())


def open_directory(runner: OperationRunner, parent: QWidget) -> CollaboratorDirectoryDialog | None:
    """Show the directory (raising the one already open under ``parent``)."""
    if runner.vault is None:
        return None
    for dialog in parent.findChildren(CollaboratorDirectoryDialog):
        if dialog.isVisible():
            dialog.raise_()
            return dialog
    dialog = CollaboratorDirectoryDialog(runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class CollaboratorDirectoryDialog(QDialog):
    """Modeless: it can stay open beside a client's care team."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._busy = False
        self._confirm: QMessageBox | None = None
        self.setObjectName("collaborator_directory")
        self.setWindowTitle(self.tr("Collaborators"))

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter by name, role, organisation or phone"))
        self.filter.setAccessibleName(self.tr("Filter collaborators"))
        self.filter.setClearButtonEnabled(True)
        filter_label = QLabel(self.tr("&Filter:"), self)
        filter_label.setBuddy(self.filter)
        self.count = plain_label("", self)
        self.count.setAccessibleName(self.tr("Number of collaborators shown"))
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)

        self.model = RecordTableModel(COLUMNS, self)
        self.table = RecordTableView(self.model, self.tr("Collaborators"), self)
        self.table.setObjectName("collaborators")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.open_requested.connect(self.edit)
        self.table.delete_requested.connect(lambda _row: self.delete())
        self.details = plain_label("", self)
        self.details.setWordWrap(True)
        self.details.setAccessibleName(self.tr("Selected collaborator's other details"))
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = plain_label(
            self.tr(
                "The directory is empty. Add the psychiatrists, doctors, counsellors and others "
                "you coordinate care with, or import them from a vCard file."
            ),
            self,
        )
        self.empty.setWordWrap(True)

        self.add_button = self._button(self.tr("&Add…"), self.tr("Add collaborator"), self.add)
        self.edit_button = self._button(
            self.tr("&Edit…"), self.tr("Edit the selected collaborator"), self.edit
        )
        self.delete_button = self._button(
            self.tr("&Delete…"), self.tr("Delete the selected collaborator"), self.delete
        )
        self.import_button = self._button(
            self.tr("&Import vCard…"),
            self.tr("Import collaborators from a vCard file"),
            self.import_vcard,
        )
        self.export_button = self._button(
            self.tr("E&xport vCard…"),
            self.tr("Export the directory as a vCard file"),
            self.export_vcard,
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
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._selected)
        runner.changed.connect(self._records_changed)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 130, self.fontMetrics().height() * 30)
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
        from mhsw_desktop.services.collaborators import list_collaborators

        self.runner.query(list_collaborators, self._loaded, self._failed)

    def _loaded(self, rows: list[Any]) -> None:
        selected = self.table.current_record()
        self.model.set_rows(rows)
        if selected is not None and self.model.row_of(selected.id) >= 0:
            self.table.selectRow(self.model.row_of(selected.id))
        self._show_count()

    def _records_changed(self, kind: str) -> None:
        if kind == "collaborators" and self.isVisible():
            self.load()

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        self.model.set_filter((lambda row: matches(row, words)) if words else None)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        if shown == total:
            self.count.setText(self.tr("%n collaborators", "", total))
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
        from mhsw_desktop.ui.collaborator_form import CollaboratorFormDialog

        if self.runner.vault is None:
            return None
        self._say()
        form = CollaboratorFormDialog(self.runner, row, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._select_later)
        form.open()
        return form

    def _select_later(self, collaborator_id: Any) -> None:
        """Select the saved entry once the reload (after the change signal) has arrived;
        the filter is cleared only when it would hide the entry."""
        from mhsw_desktop.services.collaborators import list_collaborators

        def loaded(rows: list[Any]) -> None:
            self._loaded(rows)
            if self.model.row_of(collaborator_id) < 0:
                self.filter.clear()
            index = self.model.row_of(collaborator_id)
            if index >= 0:
                self.table.selectRow(index)

        if self.runner.vault is not None:
            self.runner.query(list_collaborators, loaded, self._failed)

    def delete(self) -> None:
        row = self.table.current_record()
        if row is None:
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete collaborator"))
        box.setText(
            self.tr(
                "Delete {name} from the directory? Releases and disclosures that name them "
                "are kept."
            ).format(name=row.display_name)
        )
        remove = box.addButton(self.tr("&Delete"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._confirm = box
        collaborator_id = row.id
        deleted = self.tr("Deleted {name}.").format(name=row.display_name)

        def decided() -> None:
            self._confirm = None
            if box.clickedButton() is remove and self.runner.vault is not None:
                from mhsw_desktop.services.collaborators import delete_collaborator

                self._say()
                self.runner.query(
                    lambda s: delete_collaborator(s, collaborator_id),
                    lambda _r: self._say(deleted),
                    self._failed,
                    changes="collaborators",
                )

        box.finished.connect(decided)
        box.open()

    # -- vCards ----------------------------------------------------------------------------
    def import_vcard(self) -> None:
        if self._busy or self.runner.vault is None:
            return
        from mhsw_desktop.ui.report_preview import file_dialog_history_kept

        with file_dialog_history_kept():
            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Import collaborators from vCard"),
                str(_start_folder()),
                self.tr("vCard files") + " (*.vcf *.vcard);;" + self.tr("All files") + " (*)",
            )
        if not chosen or self.runner.vault is None or not self.isVisible():
            return
        from mhsw_desktop.services.vcard import MAX_VCARD_BYTES, import_vcards

        path = Path(chosen)
        # worded here, on the GUI thread, for the worker to use
        unreadable = self.tr("Could not read {file}: {reason}. Nothing was imported.")
        no_reason = self.tr("it cannot be read")

        def work(session: Any) -> Any:
            try:
                if path.stat().st_size > MAX_VCARD_BYTES:
                    data = b"x" * (MAX_VCARD_BYTES + 1)  # the service refuses it in its words
                else:
                    data = path.read_bytes()
            except OSError as exc:
                reason = exc.strerror or no_reason
                raise FileProblem(unreadable.format(file=path.name, reason=reason)) from None
            return import_vcards(session, data)

        self._busy = True
        self._say(self.tr("Importing…"))
        self.runner.query(work, lambda r: self._imported(path, r), self._failed_import,
                          changes="collaborators")  # fmt: skip

    def _failed_import(self, exc: BaseException) -> None:
        self._busy = False
        self._say(error=user_message(exc))

    def _imported(self, path: Path, result: Any) -> None:
        global _last_folder
        _last_folder = path.parent
        self._busy = False
        added = len(result.imported)
        if added == 1:
            text = self.tr("Added 1 collaborator.")
        else:
            text = self.tr("Added %n collaborators.", "", added)
        if result.skipped:
            card = self.tr("{name} (card {number})")
            names = ", ".join(card.format(name=s.name, number=s.number) for s in result.skipped[:8])
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

    def export_vcard(self) -> None:
        if self._busy or self.runner.vault is None:
            return
        suggested = _start_folder() / f"collaborators-{date.today().isoformat()}.vcf"
        filters = {
            self.tr("vCard {version}").format(version=version) + " (*.vcf)": version
            for version in VCARD_VERSIONS
        }
        from mhsw_desktop.ui.report_preview import cloud_service, file_dialog_history_kept

        with file_dialog_history_kept():
            chosen, chosen_filter = QFileDialog.getSaveFileName(
                self, self.tr("Export collaborators as vCard"), str(suggested), ";;".join(filters)
            )
        if not chosen or self.runner.vault is None or not self.isVisible():
            return
        path = Path(chosen)
        if path.suffix.casefold() not in (".vcf", ".vcard"):
            path = path.with_name(f"{path.name}.vcf")
        version = filters.get(chosen_filter, VCARD_VERSIONS[0])
        service = cloud_service(path)
        if service is None:
            self._export(path, version)
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Export vCard"))
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
                self._export(path, version)

        box.finished.connect(decided)
        box.open()

    def _export(self, path: Path, version: str) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.vcard import export_vcards
        from mhsw_desktop.vault.files import write_atomic

        # worded here, on the GUI thread, for the worker to use
        unwritable = self.tr("Could not save {path}: {reason}. Nothing was written.")
        no_reason = self.tr("the folder cannot be written to")

        def work(session: Any) -> int:
            text = export_vcards(session, "4.0" if version == "4.0" else "3.0")
            try:
                write_atomic(path, text.encode("utf-8"))
            except OSError as exc:
                reason = exc.strerror or no_reason
                raise FileProblem(unwritable.format(path=path, reason=reason)) from None
            return text.count("BEGIN:VCARD")

        def done(count: int) -> None:
            global _last_folder
            _last_folder = path.parent
            self._busy = False
            self._say(
                self.tr(
                    "Exported %n collaborators as vCard {version} to {path}.", "", count
                ).format(version=version, path=path)
            )

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
