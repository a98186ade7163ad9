"""Measures a client completed (PHQ-9, GAD-7, ...) and the events marked on their trend.

A measure keeps the **item-level answers** as given (a JSON array in item order, ``null``
for an item left blank) and, beside them, the total, band and alert exactly as the
scoring rules (``domain/measure_defs.py``) computed them when the answers were saved.
They are never typed in: the services recompute them on every write, so that lists,
trends and reports read them without re-scoring. An incomplete form has no total and no
band (``NULL`` and ``""``); the rules name the missing items.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mhsw_desktop.domain.base import Base, Record


class EventKind(enum.StrEnum):
    """What a marker on a client's measure trend stands for."""

    MEDICATION_CHANGE = "medication_change"
    CRISIS = "crisis"
    DISCHARGE = "discharge"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"medication_change": "Medication change"}.get(self.value, self.value.capitalize())


MEASURE_LIMITS: dict[str, int] = {
    "kind": 20,
    "event_label": 200,
    "alert_review_note": 2000,
}


def _in(column: str, values: Iterable[str]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class Measure(Record, Base):
    """One completed (or partly completed) questionnaire of one client on one day."""

    __tablename__ = "measures"
    __table_args__ = (
        Index("ix_measures_client_kind_date", "client_id", "kind", "taken_on"),
        Index("ix_measures_alert", "alert", "alert_reviewed_at"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    #: the definition's key ("phq9", "gad7", ...): measures are data, so no CHECK here
    kind: Mapped[str] = mapped_column(String(20))
    taken_on: Mapped[date]
    #: JSON array of int-or-null, in item order (``null`` = left blank)
    answers: Mapped[str] = mapped_column(Text)
    #: the functional-difficulty question (PHQ-9's and GAD-7's last): recorded, not scored
    difficulty: Mapped[int | None] = mapped_column(Integer, default=None)
    #: as the rules computed it on save; NULL when items are missing
    total: Mapped[int | None] = mapped_column(Integer, default=None)
    #: the band's key as the rules computed it on save ("" when there is no total)
    band: Mapped[str] = mapped_column(String(30), default="")
    #: an answer the rules flag whatever the total (PHQ-9 item 9 above 0), computed on save
    alert: Mapped[bool] = mapped_column(Boolean, default=False)
    #: when the practitioner reviewed the alert (NULL = still to review)
    alert_reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    alert_review_note: Mapped[str] = mapped_column(Text, default="")
    #: the session note it was given in, if any
    note_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("notes.id"), default=None)


class MeasureEvent(Record, Base):
    """A dated marker on a client's trend: a medication change, a crisis, a discharge..."""

    __tablename__ = "measure_events"
    __table_args__ = (
        CheckConstraint(_in("kind", EventKind), name="kind"),
        Index("ix_measure_events_client_date", "client_id", "event_date"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    event_date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20), default=EventKind.OTHER.value)
    #: what the chart prints beside the marker ("Sertraline 50 mg started")
    label: Mapped[str] = mapped_column(String(200), default="")
