"""The client list as a Qt table model, and the proxy that filters it as the user types.

Filtering folds case and diacritics (``fold``) on a search key computed once per row,
so "gonzalez" finds "González" and each keystroke costs one plain ``in`` per row.
Sorting is done by the source model on precomputed keys (the proxy hands it over),
which keeps a 10,000-client list quick to sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from mhsw_desktop.domain.text import fold

ModelIndex = QModelIndex | QPersistentModelIndex

#: (header, attribute or property of ClientRow)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Name", "display_name"),
    ("Preferred", "preferred_name"),
    ("Pronouns", "pronouns"),
    ("Date of birth", "date_of_birth"),
    ("Phone", "phone"),
    ("Status", "status"),
    ("Intake", "intake_date"),
)
NAME, PREFERRED, PRONOUNS, DOB, PHONE, STATUS, INTAKE = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole

#: the status filter's choices: (key, label, statuses shown)
STATUS_CHOICES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("current", "Current (active and on hold)", frozenset({"active", "on_hold"})),
    ("active", "Active", frozenset({"active"})),
    ("on_hold", "On hold", frozenset({"on_hold"})),
    ("discharged", "Discharged", frozenset({"discharged"})),
    ("all", "All clients", frozenset({"active", "on_hold", "discharged"})),
)
_STATUSES = {key: statuses for key, _label, statuses in STATUS_CHOICES}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def search_key(row: Any) -> str:
    """The folded text a row is matched against: names, phone (also bare digits), dob."""
    parts = (
        row.legal_first_name,
        row.legal_last_name,
        row.preferred_name,
        row.phone,
        _digits(row.phone),
        row.date_of_birth.isoformat(),
    )
    return fold(" ".join(p for p in parts if p))


class ClientTableModel(QAbstractTableModel):
    """Rows of ``ClientRow`` (from ``services.clients.list_clients``), read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._cells: list[tuple[str, ...]] = []
        #: folded search key per row (public for the proxy: no data() call per row)
        self.keys: list[str] = []
        #: status value per row, for the proxy's status filter
        self.statuses: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- contents -------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a reset: views drop their old items)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._precompute()
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row, e.g. on lock."""
        self.set_rows([])

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, client_id: Any) -> int:
        """Source row of a client id, or -1."""
        for number, item in enumerate(self._rows):
            if item.id == client_id:
                return number
        return -1

    def _precompute(self) -> None:
        self._cells = [
            (
                r.display_name,
                r.preferred_name,
                r.pronouns,
                r.date_of_birth.isoformat(),
                r.phone,
                r.status.label,
                r.intake_date.isoformat(),
            )
            for r in self._rows
        ]
        self.keys = [search_key(r) for r in self._rows]
        self.statuses = [r.status.value for r in self._rows]

    # -- Qt's model interface ----------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(COLUMNS)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[row][column]
        if role == ID_ROLE:
            return self._rows[row].id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            self._sort = None
            return
        self._sort = (column, order)
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id for i in old_persistent]
        self._sort_rows(column, order)
        position = {r.id: n for n, r in enumerate(self._rows)}
        new_persistent = [
            self.index(position[client_id], i.column())
            for client_id, i in zip(old_ids, old_persistent, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        if column in (DOB, INTAKE):
            keys = [cells[column] for cells in self._cells]  # ISO dates sort as text
        else:
            keys = [fold(cells[column]) for cells in self._cells]
        # the name breaks ties so that equal cells keep a stable, readable order
        names = [fold(cells[NAME]) for cells in self._cells]
        order_ = sorted(
            range(len(self._rows)),
            key=lambda n: (keys[n], names[n]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._rows = [self._rows[n] for n in order_]
        self._cells = [self._cells[n] for n in order_]
        self.keys = [self.keys[n] for n in order_]
        self.statuses = [self.statuses[n] for n in order_]


class ClientFilterProxy(QSortFilterProxyModel):
    """Shows the rows whose folded key holds every typed word, in the chosen status set."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._text = ""
        self._status = "current"
        self._allowed = _STATUSES["current"]
        self._source: ClientTableModel | None = None
        self._accepted: list[bool] = []
        self._verdicts_for: list[str] | None = None
        self.setRecursiveFilteringEnabled(False)
        self.setDynamicSortFilter(True)

    @property
    def filter_text(self) -> str:
        return self._text

    @property
    def status_filter(self) -> str:
        return self._status

    def set_filter_text(self, text: str) -> None:
        words = tuple(fold(text).split())
        self._text = text
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self._verdicts_for = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status_filter(self, key: str) -> None:
        if key not in _STATUSES:
            raise ValueError(f"unknown status filter {key!r}")
        if key == self._status:
            return
        self.beginFilterChange()
        self._status = key
        self._allowed = _STATUSES[key]
        self._verdicts_for = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        """Looks the answer up in a list computed for all rows at once (see :meth:`_verdicts`)."""
        source = self._source
        if source is None:
            return True
        if self._verdicts_for is not source.keys:
            self._verdicts(source)
        return self._accepted[source_row]

    def setSourceModel(self, model: Any) -> None:
        self._source = model if isinstance(model, ClientTableModel) else None
        self._verdicts_for = None
        super().setSourceModel(model)

    def _verdicts(self, source: ClientTableModel) -> None:
        """One pass over the precomputed keys; cheaper than judging row by row from C++.

        It is redone whenever the source's key list is a different object (a reset or a
        sort rebinds it) or the filter changed.
        """
        allowed, words = self._allowed, self._words
        statuses = source.statuses
        if words:
            self._accepted = [
                statuses[n] in allowed and all(w in key for w in words)
                for n, key in enumerate(source.keys)
            ]
        else:
            self._accepted = [status in allowed for status in statuses]
        self._verdicts_for = source.keys

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let the source model sort on its precomputed keys (fast for long lists)."""
        source = self.sourceModel()
        if isinstance(source, ClientTableModel):
            source.sort(column, order)
        else:
            super().sort(column, order)
