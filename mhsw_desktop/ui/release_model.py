"""Table models whose rows carry a release status: the words are in the cell, and the
cell's colour (never the only sign) goes with them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from mhsw_desktop.domain.care_team import ReleaseStatus
from mhsw_desktop.ui.record_model import Column, ModelIndex, RecordTableModel
from mhsw_desktop.ui.release_status_text import (
    STATUS_COLOURS,
    expiry_words,
    row_status_words,
)
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP


def _categories(row: Any) -> str:
    return ", ".join(c.label for c in row.categories)


#: a client's releases (``ReleaseRow``)
RELEASE_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Collaborator"), lambda r: r.collaborator_name),
    (QT_TRANSLATE_NOOP("Columns", "Status"), row_status_words),
    (QT_TRANSLATE_NOOP("Columns", "May share"), _categories),
    (QT_TRANSLATE_NOOP("Columns", "Purpose"), lambda r: " ".join(r.purpose.split())),
    (QT_TRANSLATE_NOOP("Columns", "Signed"), lambda r: r.signed_date.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Ends"), expiry_words),
)
#: releases across clients that need renewing (the Today view)
ATTENTION_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Client"), lambda r: r.client_name),
    (QT_TRANSLATE_NOOP("Columns", "Collaborator"), lambda r: r.collaborator_name),
    (QT_TRANSLATE_NOOP("Columns", "Status"), row_status_words),
    (QT_TRANSLATE_NOOP("Columns", "Last day"), expiry_words),
)


class StatusTableModel(RecordTableModel):
    """A :class:`RecordTableModel` whose ``status_column`` is coloured by
    ``status_of(row)`` (None: no colour) and bold while the status needs attention."""

    def __init__(
        self,
        columns: Sequence[Column],
        status_column: int,
        status_of: Callable[[Any], ReleaseStatus | None] = lambda r: r.status,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self._status_column = status_column
        self._status_of = status_of

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)
            and index.isValid()
            and index.column() == self._status_column
            and 0 <= index.row() < self.rowCount()
        ):
            status = self._status_of(self.row_at(index.row()))
            if status is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(STATUS_COLOURS[status])
            if status in (ReleaseStatus.EXPIRING, ReleaseStatus.EXPIRED):
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)
