"""A release's computed status in words (never colour alone) and the colour that goes with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from mhsw_desktop.domain.care_team import ReleaseStatus

#: dark enough to read on a white or alternate row; the words carry the meaning
STATUS_COLOURS = {
    ReleaseStatus.ACTIVE: QColor(0, 110, 50),
    ReleaseStatus.EXPIRING: QColor(150, 80, 0),
    ReleaseStatus.EXPIRED: QColor(170, 20, 20),
    ReleaseStatus.REVOKED: QColor(95, 95, 95),
}


def status_words(status: ReleaseStatus, days_left: int | None, row: Any = None) -> str:
    """ "Active", "Expiring in 12 days", "Expires today (last day)", "Expired 3 days ago",
    "Revoked 2026-02-01"; ``row`` (with ``revoked_date``, ``expiry_date``) adds dates."""
    if status is ReleaseStatus.REVOKED:
        revoked = getattr(row, "revoked_date", None)
        return f"Revoked {revoked.isoformat()}" if revoked else "Revoked"
    if status is ReleaseStatus.EXPIRED:
        if days_left is None:
            return "Expired"
        ago = -days_left
        return "Expired yesterday" if ago == 1 else f"Expired {ago} days ago"
    if status is ReleaseStatus.EXPIRING:
        if days_left == 0:
            return "Expires today (last day)"
        if days_left == 1:
            return "Expiring tomorrow"
        return f"Expiring in {days_left} days"
    return "Active"


def row_status_words(row: Any) -> str:
    """The words for a ``ReleaseRow`` (status computed by the service for its day)."""
    return status_words(row.status, row.days_left, row)


def expiry_words(row: Any) -> str:
    """When a release ends: its last day, or the event that ends it."""
    if row.expiry_date is not None:
        return str(row.expiry_date.isoformat())
    return f"When: {row.expiry_event}" if row.expiry_event else ""
