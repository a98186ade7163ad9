"""A release's computed status in words (never colour alone) and the colour that goes with it."""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from mhsw_desktop.domain.care_team import ReleaseStatus

#: dark enough to read on a white or alternate row; the words carry the meaning
STATUS_COLOURS = {
    ReleaseStatus.ACTIVE: QColor(0, 110, 50),
    ReleaseStatus.EXPIRING: QColor(150, 80, 0),
    ReleaseStatus.EXPIRED: QColor(170, 20, 20),
    ReleaseStatus.REVOKED: QColor(95, 95, 95),
}


class ReleaseStatusText(QObject):
    """The words, in a QObject so that ``self.tr(text, "", n)`` gives the day counts
    their plural forms (lupdate marks a ``translate()`` with a count as singular only)."""

    def words(self, status: ReleaseStatus, days_left: int | None, row: Any = None) -> str:
        if status is ReleaseStatus.REVOKED:
            revoked = getattr(row, "revoked_date", None)
            if revoked:
                return self.tr("Revoked {day}").format(day=revoked.isoformat())
            return self.tr("Revoked")
        if status is ReleaseStatus.EXPIRED:
            if days_left is None:
                return self.tr("Expired")
            ago = -days_left
            if ago == 1:
                return self.tr("Expired yesterday")
            return self.tr("Expired %n days ago", "", ago)
        if status is ReleaseStatus.EXPIRING:
            if days_left == 0:
                return self.tr("Expires today (last day)")
            if days_left == 1:
                return self.tr("Expiring tomorrow")
            return self.tr("Expiring in %n days", "", days_left or 0)
        return self.tr("Active")

    def ends_on_event(self, event: str) -> str:
        return self.tr("When: {event}").format(event=event)


@cache
def _text() -> ReleaseStatusText:
    return ReleaseStatusText()


def status_words(status: ReleaseStatus, days_left: int | None, row: Any = None) -> str:
    """ "Active", "Expiring in 12 days", "Expires today (last day)", "Expired 3 days ago",
    "Revoked 2026-02-01"; ``row`` (with ``revoked_date``, ``expiry_date``) adds dates."""
    return _text().words(status, days_left, row)


def row_status_words(row: Any) -> str:
    """The words for a ``ReleaseRow`` (status computed by the service for its day)."""
    return status_words(row.status, row.days_left, row)


def expiry_words(row: Any) -> str:
    """When a release ends: its last day, or the event that ends it."""
    if row.expiry_date is not None:
        return str(row.expiry_date.isoformat())
    if not row.expiry_event:
        return ""
    return _text().ends_on_event(row.expiry_event)
