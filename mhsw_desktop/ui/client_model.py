"""The client list as a Qt table model, and the proxy that filters it as the user types.

Filtering matches the folded search key each row carries from the vault (case and
diacritics folded, so "gonzalez" finds "González"). Sorting is done by the source model
on keys computed once per column. Both are whole-list passes in Python, never a Python
call per row from C++: a keystroke over 10,000 clients costs a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from mhsw_desktop.domain.text import fold
from mhsw_desktop.ui.record_model import header_text
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

ModelIndex = QModelIndex | QPersistentModelIndex

#: (header, attribute or property of ClientRow); headers translated in the Columns context
COLUMNS: tuple[tuple[str, str], ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Name"), "display_name"),
    (QT_TRANSLATE_NOOP("Columns", "Preferred"), "preferred_name"),
    (QT_TRANSLATE_NOOP("Columns", "Pronouns"), "pronouns"),
    (QT_TRANSLATE_NOOP("Columns", "Date of birth"), "date_of_birth"),
    (QT_TRANSLATE_NOOP("Columns", "Phone"), "phone"),
    (QT_TRANSLATE_NOOP("Columns", "Status"), "status"),
    (QT_TRANSLATE_NOOP("Columns", "Intake"), "intake_date"),
)
NAME, PREFERRED, PRONOUNS, DOB, PHONE, STATUS, INTAKE = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole

#: the translation context of the status filter's labels (see :func:`status_choices`)
STATUS_CONTEXT = "ClientFilterProxy"

#: the status filter's choices: (key, label, statuses shown); the labels are source text,
#: :func:`status_choices` gives them in the interface's language
STATUS_CHOICES: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "current",
        QT_TRANSLATE_NOOP("ClientFilterProxy", "Current (active and on hold)"),
        frozenset({"active", "on_hold"}),
    ),
    ("active", QT_TRANSLATE_NOOP("ClientFilterProxy", "Active"), frozenset({"active"})),
    ("on_hold", QT_TRANSLATE_NOOP("ClientFilterProxy", "On hold"), frozenset({"on_hold"})),
    ("discharged", QT_TRANSLATE_NOOP("ClientFilterProxy", "Discharged"), frozenset({"discharged"})),
    (
        "all",
        QT_TRANSLATE_NOOP("ClientFilterProxy", "All clients"),
        frozenset({"active", "on_hold", "discharged"}),
    ),
)
_STATUSES = {key: statuses for key, _label, statuses in STATUS_CHOICES}


def status_choices() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """:data:`STATUS_CHOICES` with each label in the interface's language."""
    return tuple(
        (key, QCoreApplication.translate(STATUS_CONTEXT, label), statuses)
        for key, label, statuses in STATUS_CHOICES
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def search_key(row: Any) -> str:
    """The folded text a row is matched against; the vault stores it with each client."""
    stored = getattr(row, "search_key", "")
    if stored:
        return str(stored)
    parts = (
        row.legal_first_name,
        row.legal_last_name,
        row.preferred_name,
        row.phone,
        _digits(row.phone),
        row.date_of_birth.isoformat(),
    )
    return fold(" ".join(p for p in parts if p))


def _cell(row: Any, column: int) -> str:
    if column == NAME:
        return str(row.display_name)
    if column == DOB:
        return str(row.date_of_birth.isoformat())
    if column == INTAKE:
        return str(row.intake_date.isoformat())
    if column == STATUS:
        return str(row.status.label)
    return str(getattr(row, COLUMNS[column][1]))


def _sort_key(row: Any, column: int) -> str:
    if column == NAME:
        stored = getattr(row, "sort_name", "")
        if stored:
            return str(stored)
        return fold(f"{row.legal_last_name}\x00{row.legal_first_name}\x00{row.preferred_name}")
    if column in (DOB, INTAKE):
        return _cell(row, column)  # ISO dates sort as text
    return fold(_cell(row, column))


class ClientTableModel(QAbstractTableModel):
    """Rows of ``ClientRow`` (from ``services.clients.list_clients``), read-only.

    It only ever resets (new rows) or re-sorts (a layout change): the proxy relies on it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        #: folded search key per row (public for the proxy: no data() call per row)
        self.keys: list[str] = []
        #: status value per row, for the proxy's status filter
        self.statuses: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._name_keys: list[str] | None = None

    # -- contents -------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a reset: views drop their old items)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._name_keys = None
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.keys = [search_key(r) for r in self._rows]
        self.statuses = [r.status.value for r in self._rows]
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
            return _cell(self._rows[row], column)
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
            return header_text(COLUMNS[section][0])
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
        old_rows = [self._rows[i.row()] for i in old_persistent]
        moved = self._sort_rows(column, order)
        self.keys = [self.keys[n] for n in moved]
        self.statuses = [self.statuses[n] for n in moved]
        position = {id(r): n for n, r in enumerate(self._rows)}
        new_persistent = [
            self.index(position[id(row)], i.column())
            for row, i in zip(old_rows, old_persistent, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Reorder the rows; return the old position of each new row."""
        if self._name_keys is None:
            self._name_keys = [_sort_key(r, NAME) for r in self._rows]
        names = self._name_keys
        keys = names if column == NAME else [_sort_key(r, column) for r in self._rows]
        # the name breaks ties so that equal cells keep a stable, readable order
        moved = sorted(
            range(len(self._rows)),
            key=lambda n: (keys[n], names[n]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._rows = [self._rows[n] for n in moved]
        self._name_keys = [names[n] for n in moved]
        return moved


class ClientFilterProxy(QAbstractProxyModel):
    """Shows the rows whose folded key holds every typed word, in the chosen status set.

    A list maps proxy rows to source rows; a filter change recomputes it in one pass and
    announces a layout change, keeping selected rows that still match selected.
    ``sort`` is handed to the source model.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._text = ""
        self._status = "current"
        self._allowed = _STATUSES["current"]
        self._source: ClientTableModel | None = None
        self._map: list[int] = []  # proxy row -> source row
        self._inverse: list[int] = []  # source row -> proxy row, or -1
        #: persistent indexes carried across a source re-sort: (source, proxy)
        self._pending: list[tuple[QPersistentModelIndex, QModelIndex]] = []

    @property
    def filter_text(self) -> str:
        return self._text

    @property
    def status_filter(self) -> str:
        return self._status

    def set_filter_text(self, text: str) -> None:
        words = tuple(fold(text).split())
        self._text = text
        if words != self._words:
            self._words = words
            self._refilter()

    def set_status_filter(self, key: str) -> None:
        if key not in _STATUSES:
            raise ValueError(f"unknown status filter {key!r}")
        if key != self._status:
            self._status = key
            self._allowed = _STATUSES[key]
            self._refilter()

    # -- the mapping ------------------------------------------------------------------
    def _compute(self) -> None:
        source = self._source
        if source is None:
            self._map, self._inverse = [], []
            return
        allowed, words, statuses = self._allowed, self._words, source.statuses
        everything = len(allowed) == len(_STATUSES["all"])
        if not words:
            rows = (
                list(range(len(statuses)))
                if everything
                else [n for n, status in enumerate(statuses) if status in allowed]
            )
        elif len(words) == 1:
            (word,) = words
            rows = [
                n
                for n, key in enumerate(source.keys)
                if word in key and (everything or statuses[n] in allowed)
            ]
        else:
            rows = [
                n
                for n, key in enumerate(source.keys)
                if all(w in key for w in words) and (everything or statuses[n] in allowed)
            ]
        inverse = [-1] * len(statuses)
        for proxy_row, source_row in enumerate(rows):
            inverse[source_row] = proxy_row
        self._map, self._inverse = rows, inverse

    def _refilter(self) -> None:
        """Recompute the mapping inside a layout change, carrying persistent indexes."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_source = [self._map[i.row()] if 0 <= i.row() < len(self._map) else -1 for i in old]
        self._compute()
        new = [
            self.index(self._inverse[s], i.column())
            if s >= 0 and self._inverse[s] >= 0
            else QModelIndex()
            for s, i in zip(old_source, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- following the source ---------------------------------------------------------
    def setSourceModel(self, model: Any) -> None:
        if not isinstance(model, ClientTableModel):
            raise TypeError("ClientFilterProxy filters a ClientTableModel")
        self.beginResetModel()
        if self._source is not None:
            self._source.modelAboutToBeReset.disconnect(self.beginResetModel)
            self._source.modelReset.disconnect(self._source_reset)
            self._source.layoutAboutToBeChanged.disconnect(self._source_layout_about)
            self._source.layoutChanged.disconnect(self._source_layout_changed)
        self._source = model
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_layout_about)
        model.layoutChanged.connect(self._source_layout_changed)
        self._compute()
        self.endResetModel()

    def _source_reset(self) -> None:
        self._compute()
        self.endResetModel()

    def _source_layout_about(self, *_args: Any) -> None:
        self.layoutAboutToBeChanged.emit()
        self._pending = [
            (QPersistentModelIndex(self.mapToSource(i)), i) for i in self.persistentIndexList()
        ]

    def _source_layout_changed(self, *_args: Any) -> None:
        self._compute()
        old = [proxy for _source, proxy in self._pending]
        new = [self.mapFromSource(source) for source, _proxy in self._pending]
        self.changePersistentIndexList(old, new)
        self._pending = []
        self.layoutChanged.emit()

    # -- Qt's proxy interface ---------------------------------------------------------
    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._map)):
            return QModelIndex()
        if not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._map)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._source is None else len(COLUMNS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._map)

    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:
        if self._source is None or not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._map):
            return QModelIndex()
        return self._source.index(self._map[row], proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:
        if not source_index.isValid() or not 0 <= source_index.row() < len(self._inverse):
            return QModelIndex()
        row = self._inverse[source_index.row()]
        return self.index(row, source_index.column()) if row >= 0 else QModelIndex()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._source is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._source.headerData(section, orientation, role)
        return section + 1 if role == Qt.ItemDataRole.DisplayRole else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let the source model sort on its precomputed keys (fast for long lists)."""
        if self._source is not None:
            self._source.sort(column, order)
