"""A read-only table model over a list of service rows, with lazy batches and a filter.

Columns are declared as (header, function of the row); the header is English source
text marked ``QT_TRANSLATE_NOOP("Columns", "Date")`` where the table is declared and
translated here, in the ``Columns`` context, when the view asks for it. Long lists hand rows to the
view in batches (``canFetchMore``/``fetchMore``), so a timeline of hundreds of entries
shows at once and scrolls without building every item. The model never queries: its
owner gives it rows from a service call on the operation runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

ModelIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1

#: (header, cell text from a row); the header is marked for the ``Columns`` context
Column = tuple[str, Callable[[Any], str]]

#: the translation context of every column header (see :func:`header_text`)
COLUMNS_CONTEXT = "Columns"


def header_text(source: str) -> str:
    """A column header in the interface's language (source marked with
    ``QT_TRANSLATE_NOOP("Columns", ...)``)."""
    return QCoreApplication.translate(COLUMNS_CONTEXT, source)


class RecordTableModel(QAbstractTableModel):
    """Rows of any frozen service dataclass with an ``id``; plain text only.

    ``batch`` > 0 makes the model lazy: it exposes that many rows at first and more as
    the view scrolls. :meth:`set_filter` keeps the rows but shows only those matching.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        parent: QObject | None = None,
        *,
        batch: int = 0,
        check_column: int = -1,
        is_checked: Callable[[Any], bool] | None = None,
        on_check: Callable[[Any, bool], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._batch = batch
        self._all: list[Any] = []
        self._shown: list[Any] = []  # after the filter
        self._exposed = 0  # rows of _shown the view knows about
        self._keep: Callable[[Any], bool] | None = None
        self._check_column = check_column
        self._is_checked = is_checked
        self._on_check = on_check

    # -- contents -------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._apply_filter()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def set_filter(self, keep: Callable[[Any], bool] | None) -> None:
        """Show only the rows for which ``keep(row)`` is true (None shows all)."""
        self.beginResetModel()
        self._keep = keep
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        keep = self._keep
        self._shown = self._all if keep is None else [r for r in self._all if keep(r)]
        self._exposed = len(self._shown) if self._batch <= 0 else min(self._batch, len(self._shown))

    def row_at(self, row: int) -> Any:
        return self._shown[row]

    def row_of(self, record_id: Any) -> int:
        for number, item in enumerate(self._shown[: self._exposed]):
            if item.id == record_id:
                return number
        return -1

    def total(self) -> int:
        """Rows that match the filter, exposed or not."""
        return len(self._shown)

    def all_rows(self) -> list[Any]:
        return list(self._all)

    # -- lazy loading -------------------------------------------------------------
    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._exposed < len(self._shown)

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exposed >= len(self._shown):
            return
        more = min(max(self._batch, 1), len(self._shown) - self._exposed)
        self.beginInsertRows(QModelIndex(), self._exposed, self._exposed + more - 1)
        self._exposed += more
        self.endInsertRows()

    # -- Qt's model interface ----------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._exposed

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self._exposed and 0 <= column < len(self._columns)):
            return None
        record = self._shown[row]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            if role == Qt.ItemDataRole.ToolTipRole and column == self._check_column:
                return None
            return self._columns[column][1](record)
        if role == Qt.ItemDataRole.CheckStateRole and column == self._check_column:
            checked = self._is_checked is not None and self._is_checked(record)
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == ROW_ROLE:
            return record
        if role == ID_ROLE:
            return getattr(record, "id", None)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Checking a box asks the owner (``on_check``) to do the work; the model waits
        for new rows rather than changing its own."""
        if (
            not index.isValid()
            or role != Qt.ItemDataRole.CheckStateRole
            or index.column() != self._check_column
            or self._on_check is None
            or not 0 <= index.row() < self._exposed
        ):
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self._on_check(self._shown[index.row()], bool(checked))
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return header_text(self._columns[section][0])
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == self._check_column and self._on_check is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags
