"""The client list pane: filter box, status choice and the table of clients."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.client_model import (
    ID_ROLE,
    NAME,
    ClientFilterProxy,
    ClientTableModel,
    status_choices,
)
from mhsw_desktop.ui.operations import OperationRunner, user_message


class ClientTableView(QTableView):
    """A table that opens the current client on Enter as well as on double-click."""

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class ClientListPane(QWidget):
    """Shows the caseload; emits :attr:`open_requested` with a client id."""

    open_requested = Signal(object)
    #: (shown, total) after every filter change or reload
    count_changed = Signal(int, int)
    #: a client is (or no longer is) selected
    selection_changed = Signal(bool)
    #: a load failed; the message is safe to show
    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = ClientTableModel(self)
        self.proxy = ClientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._loading = False
        self._reload_again = False
        #: milliseconds the last filter change took (for the status bar and benchmarks)
        self.last_filter_ms = 0.0

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter clients (Ctrl+F)"))
        self.filter.setAccessibleName(self.tr("Filter clients"))
        self.filter.setAccessibleDescription(
            self.tr("Type part of a name, phone number or date of birth")
        )
        self.filter.setClearButtonEnabled(True)
        self.filter.setObjectName("client_filter")
        filter_label = QLabel(self.tr("&Find:"), self)
        filter_label.setBuddy(self.filter)
        self.status = QComboBox(self)
        self.status.setAccessibleName(self.tr("Which clients to show"))
        self.status.setObjectName("status_filter")
        for key, label, _statuses in status_choices():
            self.status.addItem(label, key)
        status_label = QLabel(self.tr("&Show:"), self)
        status_label.setBuddy(self.status)

        self.table = ClientTableView(self)
        self.table.setObjectName("client_table")
        self.table.setAccessibleName(self.tr("Clients"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Client list columns (click to sort)"))
        self.table.verticalHeader().setAccessibleName(self.tr("Client rows"))
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        chars = self.fontMetrics().averageCharWidth()
        for column, width in ((1, 14), (2, 12), (3, 14), (4, 18), (5, 14), (6, 14)):
            header.resizeSection(column, chars * width)
        self.table.doubleClicked.connect(lambda _index: self._open_current())
        self.table.open_requested.connect(self._open_current)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_a: self.selection_changed.emit(self.current_id() is not None)
        )

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 3)
        top.addSpacing(chars * 2)
        top.addWidget(status_label)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.filter, self.status)
        self.setTabOrder(self.status, self.table)

        self.filter.textChanged.connect(self._filter_changed)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.proxy.rowsInserted.connect(self._emit_count)
        self.proxy.rowsRemoved.connect(self._emit_count)
        self.proxy.modelReset.connect(self._emit_count)
        self.proxy.layoutChanged.connect(self._emit_count)
        runner.changed.connect(self._records_changed)

    # -- data ----------------------------------------------------------------------
    def load(self) -> None:
        """Fetch every client (the status filter works on the model, not the query)."""
        if self._loading:
            self._reload_again = True
            return
        from mhsw_desktop.services.clients import list_clients

        self._loading = True
        self.runner.query(lambda s: list_clients(s, "all"), self._loaded, self._load_failed)

    def _loaded(self, rows: list[Any]) -> None:
        self._loading = False
        selected = self.current_id()
        self.model.set_rows(rows)
        if selected is not None:
            self.select_id(selected)
        if self._reload_again:
            self._reload_again = False
            self.load()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind == "clients" and self.runner.vault is not None:
            self.load()

    def clear(self) -> None:
        """Drop every row and the filter text (on lock)."""
        self._loading = False
        self._reload_again = False
        self.filter.clear()
        self.model.clear()

    # -- selection ---------------------------------------------------------------------
    def current_id(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ID_ROLE)

    def current_row(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_id(self, client_id: Any) -> bool:
        source_row = self.model.row_of(client_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _open_current(self) -> None:
        client_id = self.current_id()
        if client_id is None:
            index = self.table.currentIndex()
            client_id = index.data(ID_ROLE) if index.isValid() else None
        if client_id is not None:
            self.open_requested.emit(client_id)

    # -- filtering -----------------------------------------------------------------------
    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def set_status_filter(self, key: str) -> None:
        index = self.status.findData(key)
        if index >= 0:
            self.status.setCurrentIndex(index)

    def status_filter(self) -> str:
        return str(self.status.currentData())

    def _filter_changed(self, text: str) -> None:
        start = time.perf_counter()
        self.proxy.set_filter_text(text)
        self.last_filter_ms = (time.perf_counter() - start) * 1000
        self._emit_count()

    def _status_changed(self, _index: int) -> None:
        self.proxy.set_status_filter(self.status_filter())
        self._emit_count()

    def _emit_count(self, *_args: object) -> None:
        self.count_changed.emit(self.proxy.rowCount(), self.model.rowCount())
        self.selection_changed.emit(self.current_id() is not None)
