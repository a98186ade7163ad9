"""The client's timeline as a lazy table model: notes and coordination contacts, newest
first; later issues add measures and plans as further kinds of entry.

Entries are the services' own rows: a ``NoteRow`` (from ``list_notes``) or a
``ContactRow`` (from ``list_contacts``); :func:`is_contact` tells them apart.
"""

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
    ("contacts", "Coordination contacts"),
)


def is_contact(row: Any) -> bool:
    """Whether a timeline entry is a coordination contact (else it is a note)."""
    return hasattr(row, "contact_date")


def entry_date(row: Any) -> date:
    """The day an entry happened: the session's or the contact's."""
    day: date = row.contact_date if is_contact(row) else row.session_date
    return day


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


def entry_title(row: Any) -> str:
    """ "SOAP note · Individual therapy", "Contact · phone · outgoing"."""
    if is_contact(row):
        return f"Contact · {row.mode.label.lower()} · {row.direction.label.lower()}"
    return f"{row.template_name} note · {row.service_type.label}"


def entry_summary(row: Any) -> str:
    return " ".join((row.summary if is_contact(row) else row.preview).split())


COLUMNS = (
    ("Date", lambda r: entry_date(r).isoformat()),
    ("Entry", entry_title),
    # a note's status; the collaborator a contact was with
    ("Status / with", lambda r: r.collaborator_name if is_contact(r) else entry_status(r)),
    ("Summary", entry_summary),
)


class TimelineModel(RecordTableModel):
    """Timeline entries (``NoteRow`` and ``ContactRow``), newest first, filtered by kind
    and date range."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent, batch=BATCH)
        self.kind = "all"
        self.date_from: date | None = None
        self.date_to: date | None = None

    def set_entries(self, rows: list[Any]) -> None:
        """Notes from ``list_notes(include_in_error=True)`` and contacts from
        ``list_contacts``, in any order: sorted newest first here (ids, which are
        time-ordered, settle a day's entries, latest first)."""
        ordered = sorted(rows, key=lambda r: (entry_date(r), str(r.id)), reverse=True)
        self._update_keep()
        self.set_rows(ordered)

    def set_kind(self, kind: str, date_from: date | None, date_to: date | None) -> None:
        self.kind, self.date_from, self.date_to = kind, date_from, date_to
        self.set_filter(self._keep_fn())

    def _update_keep(self) -> None:
        self._keep = self._keep_fn()

    def _keep_fn(self) -> Any:
        kind, start, end = self.kind, self.date_from, self.date_to

        def keep_kind(row: Any) -> bool:
            if is_contact(row):
                return kind in ("all", "contacts")
            if kind == "contacts":
                return False
            if kind == "in_error":
                return bool(row.entered_in_error)
            if row.entered_in_error:
                return False
            if kind == "drafts":
                return row.signed_at is None
            if kind == "signed":
                return row.signed_at is not None
            return True

        def keep(row: Any) -> bool:
            if not keep_kind(row):
                return False
            day = entry_date(row)
            if start is not None and day < start:
                return False
            return not (end is not None and day > end)

        return keep
