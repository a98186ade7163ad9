"""The people, places and services of a safety-plan step, as an editable table model and
the keyboard-friendly table that edits it (Insert adds, Delete removes, Ctrl+Up/Down
moves). The model holds the draft's rows; the pane reads them back when it saves."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from mhsw_desktop.ui.record_model import header_text
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from mhsw_desktop.services.safety_plans import Contact

ModelIndex = QModelIndex | QPersistentModelIndex
#: (field of Contact, column heading; source text in the "Columns" context)
PERSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    ("phone", QT_TRANSLATE_NOOP("Columns", "Phone")),
)
SERVICE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    ("phone", QT_TRANSLATE_NOOP("Columns", "Phone")),
    ("organisation", QT_TRANSLATE_NOOP("Columns", "Organisation or service")),
    ("address", QT_TRANSLATE_NOOP("Columns", "Address")),
)


class ContactTableModel(QAbstractTableModel):
    """Rows of :class:`Contact`, each cell plain text and editable unless read-only."""

    def __init__(self, columns: tuple[tuple[str, str], ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._rows: list[Contact] = []
        self._read_only = False

    # -- contents -----------------------------------------------------------------------
    def set_contacts(self, contacts: tuple[Contact, ...] | list[Contact]) -> None:
        self.beginResetModel()
        self._rows = list(contacts)
        self.endResetModel()

    def contacts(self) -> tuple[Contact, ...]:
        return tuple(self._rows)

    def clear(self) -> None:
        self.set_contacts([])

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def add_row(self, at: int | None = None) -> QModelIndex:
        """A blank row at ``at`` (the end by default); returns its first cell."""
        from mhsw_desktop.services.safety_plans import Contact

        row = len(self._rows) if at is None else max(0, min(at, len(self._rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, Contact(""))
        self.endInsertRows()
        return self.index(row, 0)

    def remove_row(self, row: int) -> bool:
        if not 0 <= row < len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True

    def move_row(self, row: int, delta: int) -> int:
        """Move ``row`` up (-1) or down (+1); returns where it is now."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)) or delta == 0:
            return row
        # Qt's destination is the row before which it goes, counted before the move
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return target

    # -- Qt's model interface ----------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (
            0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self._columns)
        ):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            value: str = getattr(self._rows[index.row()], self._columns[index.column()][0])
            if role == Qt.ItemDataRole.ToolTipRole and not value:
                return None
            return value
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            self._read_only
            or role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not 0 <= index.row() < len(self._rows)
            or not 0 <= index.column() < len(self._columns)
        ):
            return False
        name = self._columns[index.column()][0]
        text = "" if value is None else str(value)
        row = self._rows[index.row()]
        if getattr(row, name) == text:
            return True
        self._rows[index.row()] = replace(row, **{name: text})
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return header_text(self._columns[section][1])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if not self._read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class ContactTableView(QTableView):
    """Edits a :class:`ContactTableModel`: typing starts editing a cell, Tab moves to the
    next one, Insert adds a row (editing its name), Delete removes the current row, and
    Ctrl+Up/Ctrl+Down move it."""

    def __init__(
        self, model: ContactTableModel, accessible_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.contacts = model
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setAccessibleName(
            self.tr("{table} rows").format(table=accessible_name)
        )
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setAccessibleName(self.tr("{table} columns").format(table=accessible_name))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.set_read_only(False)

    def set_read_only(self, read_only: bool) -> None:
        self.contacts.set_read_only(read_only)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

    def read_only(self) -> bool:
        return self.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers

    def add_row(self) -> None:
        """A new row after the current one (or at the end), its name being edited."""
        if self.read_only():
            return
        current = self.currentIndex()
        at = current.row() + 1 if current.isValid() else None
        index = self.contacts.add_row(at)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        self.edit(index)

    def remove_current(self) -> None:
        current = self.currentIndex()
        if self.read_only() or not current.isValid():
            return
        row, column = current.row(), current.column()
        self.contacts.remove_row(row)
        if self.contacts.rowCount():
            self.setCurrentIndex(
                self.contacts.index(min(row, self.contacts.rowCount() - 1), column)
            )

    def move_current(self, delta: int) -> None:
        current = self.currentIndex()
        if self.read_only() or not current.isValid():
            return
        row = self.contacts.move_row(current.row(), delta)
        self.setCurrentIndex(self.contacts.index(row, current.column()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState and not self.read_only():
            key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key == Qt.Key.Key_Insert and not mods:
                self.add_row()
                return
            if key == Qt.Key.Key_Delete and not mods:
                self.remove_current()
                return
            control = mods == Qt.KeyboardModifier.ControlModifier
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and control:
                self.move_current(-1 if key == Qt.Key.Key_Up else 1)
                return
        super().keyPressEvent(event)
