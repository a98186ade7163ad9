"""A date field that can also be "Not set" (optional dates on forms)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

#: the day before the earliest date a record may hold stands for "not set"
SENTINEL = QDate(1899, 12, 31)
DISPLAY_FORMAT = "yyyy-MM-dd"


class OptionalDateEdit(QDateEdit):
    """A QDateEdit whose lowest value shows as "Not set"; Delete clears it."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDate(SENTINEL)
        self.setMaximumDate(QDate(2999, 12, 31))
        self.setSpecialValueText(self.tr("Not set"))
        self.setToolTip(self.tr("Type a date as YYYY-MM-DD, or press Delete to clear it"))
        self.set_value(value)

    def value(self) -> date | None:
        current = self.date()
        if current == SENTINEL:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(SENTINEL if value is None else QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and not event.modifiers():
            self.set_value(None)
            return
        if self.date() == SENTINEL and event.text().isdigit():
            # typing into "Not set" starts from today, so the sections are real dates
            self.set_value(date.today())
            self.setSelectedSection(QDateEdit.Section.YearSection)
        super().keyPressEvent(event)
