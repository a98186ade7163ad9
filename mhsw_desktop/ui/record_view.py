"""A read-only table of records that opens the current row on Enter or double-click and
asks to delete it on the Delete key."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from mhsw_desktop.ui.record_model import ROW_ROLE, RecordTableModel


class RecordTableView(QTableView):
    """Rows are selected whole; Enter or a double-click emits :attr:`open_requested`
    with the row's record, the Delete key :attr:`delete_requested` (its owner asks first)."""

    open_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(
        self, model: RecordTableModel, accessible_name: str, parent: QWidget | None = None
    ) -> None:
        """``accessible_name`` is already in the interface's language (the caller's tr())."""
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setAccessibleName(
            self.tr("{table} rows").format(table=accessible_name)
        )
        header = self.horizontalHeader()
        header.setAccessibleName(self.tr("{table} columns").format(table=accessible_name))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.doubleClicked.connect(self._open_index)

    def current_record(self) -> Any:
        index = self.currentIndex()
        rows = self.selectionModel().selectedRows()
        if rows:
            index = rows[0]
        return index.data(ROW_ROLE) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        record = index.data(ROW_ROLE)
        if record is not None:
            self.open_requested.emit(record)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            record = self.current_record()
            if record is not None:
                self.open_requested.emit(record)
                return
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Delete and plain:
            record = self.current_record()
            if record is not None:
                self.delete_requested.emit(record)
                return
        super().keyPressEvent(event)
