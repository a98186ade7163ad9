"""The client's timeline as a lazy table model: notes now, newest first; later issues add
measures, plans and contacts as further kinds of entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QObject

from mhsw_desktop.ui.record_model import RecordTableModel

#: rows handed to the view at a time (the rest as it scrolls)
BATCH = 100

#: (key, label) of the kind filter
KINDS: tuple[tuple[str, str], ...] = (
    ("all", "All entries"),
    ("notes", "Notes"),
    ("drafts", "Notes to finish (unsigned)"),
    ("signed", "Signed notes"),
    ("in_error", "Entered in error"),
)


def entry_status(row: Any) -> str:
    if row.entered_in_error:
        return "Entered in error"
    if row.signed_at is None:
        status = "Draft"
    else:
        status = "Signed"
        if row.addenda_count:
            plural = "addendum" if row.addenda_count == 1 else "addenda"
            status += f" + {row.addenda_count} {plural}"
    if row.late_entry:
        status += " · late entry"
    return status


COLUMNS = (
    ("Date", lambda r: r.session_date.isoformat()),
    ("Entry", lambda r: f"{r.template_name} note · {r.service_type.label}"),
    ("Status", entry_status),
    ("Summary", lambda r: " ".join(r.preview.split())),
)


class TimelineModel(RecordTableModel):
    """Timeline entries (``NoteRow``), newest first, filtered by kind and date range."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent, batch=BATCH)
        self.kind = "all"
        self.date_from: date | None = None
        self.date_to: date | None = None

    def set_entries(self, rows: list[Any]) -> None:
        """Rows from ``list_notes(include_in_error=True)``; sorted newest first here too."""
        ordered = sorted(rows, key=lambda r: (r.session_date, str(r.id)), reverse=True)
        self._update_keep()
        self.set_rows(ordered)

    def set_kind(self, kind: str, date_from: date | None, date_to: date | None) -> None:
        self.kind, self.date_from, self.date_to = kind, date_from, date_to
        self.set_filter(self._keep_fn())

    def _update_keep(self) -> None:
        self._keep = self._keep_fn()

    def _keep_fn(self) -> Any:
        kind, start, end = self.kind, self.date_from, self.date_to

        def keep(row: Any) -> bool:
            if kind == "in_error":
                if not row.entered_in_error:
                    return False
            elif row.entered_in_error:
                return False
            if kind == "drafts" and row.signed_at is not None:
                return False
            if kind == "signed" and row.signed_at is None:
                return False
            if start is not None and row.session_date < start:
                return False
            return not (end is not None and row.session_date > end)

        return keep
