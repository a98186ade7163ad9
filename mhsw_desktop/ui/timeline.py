"""The client's timeline as a lazy table model: notes and coordination contacts, newest
first; later issues add measures and plans as further kinds of entry.

Entries are the services' own rows: a ``NoteRow`` (from ``list_notes``) or a
``ContactRow`` (from ``list_contacts``); :func:`is_contact` tells them apart.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

#: rows handed to the view at a time (the rest as it scrolls)
BATCH = 100

#: (key, label) of the kind filter; the labels are source text: see :func:`kind_choices`
KINDS: tuple[tuple[str, str], ...] = (
    ("all", QT_TRANSLATE_NOOP("TimelineModel", "All entries")),
    ("notes", QT_TRANSLATE_NOOP("TimelineModel", "Notes")),
    ("drafts", QT_TRANSLATE_NOOP("TimelineModel", "Notes to finish (unsigned)")),
    ("signed", QT_TRANSLATE_NOOP("TimelineModel", "Signed notes")),
    ("in_error", QT_TRANSLATE_NOOP("TimelineModel", "Entered in error")),
    ("contacts", QT_TRANSLATE_NOOP("TimelineModel", "Coordination contacts")),
)


def kind_choices() -> list[tuple[str, str]]:
    """:data:`KINDS` with the labels in the interface's language."""
    return [(key, QCoreApplication.translate("TimelineModel", label)) for key, label in KINDS]


class TimelineWords(QObject):
    """The cells' words, in a QObject so that ``self.tr(text, "", n)`` gives counts their
    plural forms (lupdate marks a ``translate()`` with a count as singular only)."""

    def status(self, row: Any) -> str:
        if row.entered_in_error:
            return self.tr("Entered in error")
        if row.signed_at is None:
            status = self.tr("Draft")
        elif not row.addenda_count:
            status = self.tr("Signed")
        elif row.addenda_count == 1:
            status = self.tr("Signed + 1 addendum")
        else:
            status = self.tr("Signed + %n addenda", "", row.addenda_count)
        if row.late_entry:
            status = self.tr("{status} · late entry").format(status=status)
        return status

    def title(self, row: Any) -> str:
        if is_contact(row):
            return self.tr("Contact · {mode} · {direction}").format(
                mode=row.mode.label.lower(), direction=row.direction.label.lower()
            )
        return self.tr("{template} note · {service}").format(
            template=row.template_name, service=row.service_type.label
        )


@cache
def _words() -> TimelineWords:
    return TimelineWords()


def is_contact(row: Any) -> bool:
    """Whether a timeline entry is a coordination contact (else it is a note)."""
    return hasattr(row, "contact_date")


def entry_date(row: Any) -> date:
    """The day an entry happened: the session's or the contact's."""
    day: date = row.contact_date if is_contact(row) else row.session_date
    return day


def entry_status(row: Any) -> str:
    """ "Draft", "Signed + 2 addenda · late entry", "Entered in error"."""
    return _words().status(row)


def entry_title(row: Any) -> str:
    """ "SOAP note · Individual therapy", "Contact · phone · outgoing"."""
    return _words().title(row)


def entry_summary(row: Any) -> str:
    return " ".join((row.summary if is_contact(row) else row.preview).split())


COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "Date"), lambda r: entry_date(r).isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Entry"), entry_title),
    # a note's status; the collaborator a contact was with
    (
        QT_TRANSLATE_NOOP("Columns", "Status / with"),
        lambda r: r.collaborator_name if is_contact(r) else entry_status(r),
    ),
    (QT_TRANSLATE_NOOP("Columns", "Summary"), entry_summary),
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
