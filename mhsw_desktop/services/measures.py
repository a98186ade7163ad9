"""Measures (PHQ-9, GAD-7, ...): recording them, listing them, their alerts and trend events.

Totals, bands and alerts are computed by the rules in ``domain/measure_defs.py`` on every
write and stored beside the item answers; nothing here takes a total from the caller. An
alert (PHQ-9 item 9 above 0) stays in :func:`alerts` until the practitioner marks it
reviewed, with what was done.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.measure_defs import (
    Change,
    MeasureDefinition,
    Score,
    change_reading,
    definition,
    missing_text,
    score,
)
from mhsw_desktop.domain.measures import MEASURE_LIMITS, EventKind, Measure, MeasureEvent
from mhsw_desktop.domain.note import Note
from mhsw_desktop.errors import NotFoundError, ValidationError

EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class MeasureInput:
    client_id: uuid.UUID
    kind: str
    #: in item order; None for an unanswered item
    answers: tuple[int | None, ...]
    taken_on: date
    #: the unscored difficulty question, when asked and answered
    difficulty: int | None = None
    note_id: uuid.UUID | None = None


@dataclass(frozen=True)
class MeasureRow:
    """A recorded measure with everything the rules say about it."""

    id: uuid.UUID
    client_id: uuid.UUID
    kind: str
    #: the measure's short name ("PHQ-9")
    name: str
    taken_on: date
    answers: tuple[int | None, ...]
    difficulty: int | None
    total: int | None
    band: str
    band_label: str
    #: 1-based numbers of unanswered items
    missing: tuple[int, ...]
    alert: bool
    #: what the alerts say ("PHQ-9 item 9 (...): answered 'Several days' (1)")
    alert_messages: tuple[str, ...]
    #: things to ask about that are not alerts (an unanswered item 9)
    notices: tuple[str, ...]
    alert_reviewed_at: datetime | None
    alert_review_note: str
    note_id: uuid.UUID | None

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def alert_open(self) -> bool:
        return self.alert and self.alert_reviewed_at is None

    @property
    def score_text(self) -> str:
        """ "14 (Moderate)" or "Incomplete: item 9 not answered"."""
        if self.total is None:
            return f"Incomplete: {missing_text(self.missing)}"
        return f"{self.total} ({self.band_label})" if self.band_label else str(self.total)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "kind": self.kind,
            "name": self.name,
            "date": self.taken_on.isoformat(),
            "items": list(self.answers),
            "difficulty": self.difficulty,
            "total": self.total,
            "band": self.band or None,
            "band_label": self.band_label or None,
            "complete": self.complete,
            "missing_items": list(self.missing),
            "alert": self.alert,
            "alerts": list(self.alert_messages),
            "notices": list(self.notices),
            "alert_reviewed_at": _stamp(self.alert_reviewed_at),
            "alert_review_note": self.alert_review_note,
            "note_id": str(self.note_id) if self.note_id else None,
        }


@dataclass(frozen=True)
class AlertRow:
    """An alert still to review, with whose it is."""

    measure_id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    kind: str
    name: str
    taken_on: date
    #: days from the measure to ``today`` (0 on the day)
    age_days: int
    messages: tuple[str, ...]

    @property
    def id(self) -> uuid.UUID:
        """Table models key rows by ``id``: an alert is its measure."""
        return self.measure_id

    def to_json(self) -> dict[str, Any]:
        return {
            "measure_id": str(self.measure_id),
            "client_id": str(self.client_id),
            "client_name": self.client_name,
            "kind": self.kind,
            "name": self.name,
            "date": self.taken_on.isoformat(),
            "age_days": self.age_days,
            "alerts": list(self.messages),
        }


@dataclass(frozen=True)
class EventInput:
    client_id: uuid.UUID
    event_date: date
    kind: EventKind = EventKind.OTHER
    label: str = ""


@dataclass(frozen=True)
class EventRow:
    id: uuid.UUID
    client_id: uuid.UUID
    event_date: date
    kind: EventKind
    label: str

    @property
    def text(self) -> str:
        """What the chart prints: the label, or the kind's name when there is none."""
        return self.label or self.kind.label

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "date": self.event_date.isoformat(),
            "kind": self.kind.value,
            "label": self.label,
        }


@dataclass(frozen=True)
class ChangeView:
    """A client's change on one measure, from the first complete form to the latest."""

    kind: str
    name: str
    baseline_id: uuid.UUID
    baseline_date: date
    latest_id: uuid.UUID
    latest_date: date
    change: Change
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "baseline": {"id": str(self.baseline_id), "date": self.baseline_date.isoformat(),
                         "total": self.change.baseline},
            "latest": {"id": str(self.latest_id), "date": self.latest_date.isoformat(),
                       "total": self.change.latest},
            "change": self.change.change,
            "reading": self.change.reading.value,
            "threshold": self.change.threshold,
            "threshold_source": self.change.source,
            "summary": self.summary,
        }  # fmt: skip


def _stamp(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when else None


# -- measures ---------------------------------------------------------------------------
def add_measure(session: Session, data: MeasureInput, *, today: date | None = None) -> MeasureRow:
    """Check and score a form, store it, and return it as scored.

    ValidationError names what is wrong: an unknown measure, the wrong number of answers,
    an answer out of range, a date in the future, a note of another client.
    """
    today = today or date.today()
    client = _client(session, data.client_id)
    errors: dict[str, str] = {}
    result: Score | None = None
    try:
        result = score(definition(data.kind), data.answers, data.difficulty)
    except ValidationError as exc:
        errors.update(exc.errors)
    if data.taken_on > today:
        errors["date"] = f"{data.taken_on.isoformat()} is in the future"
    elif data.taken_on < max(EARLIEST, client.date_of_birth):
        errors["date"] = f"{data.taken_on.isoformat()} is before the client was born"
    if data.note_id is not None:
        note = session.get(Note, data.note_id)
        if note is None or note.deleted_at is not None:
            errors["note_id"] = "no such note"
        elif note.client_id != data.client_id:
            errors["note_id"] = "belongs to another client"
    if errors or result is None:
        raise ValidationError(errors)
    measure = Measure(
        client_id=data.client_id,
        kind=result.kind,
        taken_on=data.taken_on,
        answers=json.dumps(list(result.answers)),
        difficulty=data.difficulty,
        total=result.total,
        band=result.band.key if result.band else "",
        alert=bool(result.alerts),
        note_id=data.note_id,
    )
    session.add(measure)
    session.flush()
    return _row(measure)


def get_measure(session: Session, measure_id: uuid.UUID) -> MeasureRow:
    return _row(_measure(session, measure_id))


def list_measures(
    session: Session, client_id: uuid.UUID, kind: str | None = None
) -> list[MeasureRow]:
    """A client's measures, oldest first (the order of a trend), of one kind or all."""
    _client(session, client_id)
    query = select(Measure).where(Measure.client_id == client_id, Measure.deleted_at.is_(None))
    if kind is not None:
        query = query.where(Measure.kind == definition(kind).key)
    query = query.order_by(Measure.taken_on, Measure.created_at)
    return [_row(m) for m in session.scalars(query)]


def delete_measure(session: Session, measure_id: uuid.UUID) -> None:
    """Tombstone a measure recorded by mistake (it leaves lists, trends and alerts)."""
    _measure(session, measure_id).deleted_at = utcnow()
    session.flush()


def review_alert(
    session: Session, measure_id: uuid.UUID, note: str = "", *, now: datetime | None = None
) -> None:
    """Mark a measure's alert reviewed, with what was done (it leaves :func:`alerts`)."""
    measure = _measure(session, measure_id)
    if not measure.alert:
        raise ValidationError({"measure": "has no alert to review"})
    if measure.alert_reviewed_at is not None:
        raise ValidationError({"measure": "its alert was already reviewed"})
    text = note.strip()
    if len(text) > MEASURE_LIMITS["alert_review_note"]:
        raise ValidationError(
            {"note": f"is longer than {MEASURE_LIMITS['alert_review_note']} characters"}
        )
    measure.alert_reviewed_at = now or utcnow()
    measure.alert_review_note = text
    session.flush()


def alerts(session: Session, today: date, client_id: uuid.UUID | None = None) -> list[AlertRow]:
    """Alerts not yet reviewed, oldest first (of one client, or of every current one)."""
    query = (
        select(Measure, Client.legal_last_name, Client.legal_first_name)
        .join(Client, Client.id == Measure.client_id)
        .where(
            Measure.alert.is_(True),
            Measure.alert_reviewed_at.is_(None),
            Measure.deleted_at.is_(None),
            Client.deleted_at.is_(None),
        )
        .order_by(Measure.taken_on, Measure.created_at)
    )
    if client_id is not None:
        query = query.where(Measure.client_id == client_id)
    found = []
    for measure, last, first in session.execute(query).all():
        row = _row(measure)
        found.append(
            AlertRow(
                measure_id=row.id,
                client_id=row.client_id,
                client_name=f"{last}, {first}",
                kind=row.kind,
                name=row.name,
                taken_on=row.taken_on,
                age_days=(today - row.taken_on).days,
                messages=row.alert_messages,
            )
        )
    return found


def change_since_baseline(session: Session, client_id: uuid.UUID, kind: str) -> ChangeView | None:
    """First complete form against the latest complete one (None with fewer than two)."""
    d = definition(kind)
    complete = [r for r in list_measures(session, client_id, d.key) if r.total is not None]
    if len(complete) < 2:
        return None
    first, last = complete[0], complete[-1]
    assert first.total is not None and last.total is not None
    change = change_reading(d, first.total, last.total)
    return ChangeView(
        kind=d.key,
        name=d.name,
        baseline_id=first.id,
        baseline_date=first.taken_on,
        latest_id=last.id,
        latest_date=last.taken_on,
        change=change,
        summary=change.summary(d),
    )


# -- events -----------------------------------------------------------------------------
def add_event(session: Session, data: EventInput, *, today: date | None = None) -> uuid.UUID:
    """A marker on the client's trend (a medication change, a crisis, a discharge...)."""
    _client(session, data.client_id)
    label = data.label.strip()
    errors: dict[str, str] = {}
    if "\n" in label or len(label) > MEASURE_LIMITS["event_label"]:
        errors["label"] = f"must be one line of at most {MEASURE_LIMITS['event_label']} characters"
    if data.event_date < EARLIEST or data.event_date.year > (today or date.today()).year + 1:
        errors["date"] = f"{data.event_date.isoformat()} is not a plausible date"
    try:
        kind = EventKind(data.kind)
    except ValueError:
        errors["kind"] = f"{data.kind!r} is not a kind of event"
    if errors:
        raise ValidationError(errors)
    event = MeasureEvent(
        client_id=data.client_id, event_date=data.event_date, kind=kind.value, label=label
    )
    session.add(event)
    session.flush()
    return event.id


def list_events(session: Session, client_id: uuid.UUID) -> list[EventRow]:
    """A client's trend markers, oldest first."""
    _client(session, client_id)
    query = (
        select(MeasureEvent)
        .where(MeasureEvent.client_id == client_id, MeasureEvent.deleted_at.is_(None))
        .order_by(MeasureEvent.event_date, MeasureEvent.created_at)
    )
    return [
        EventRow(e.id, e.client_id, e.event_date, EventKind(e.kind), e.label)
        for e in session.scalars(query)
    ]


def delete_event(session: Session, event_id: uuid.UUID) -> None:
    event = session.get(MeasureEvent, event_id)
    if event is None or event.deleted_at is not None:
        raise NotFoundError(f"No event with id {event_id}.")
    event.deleted_at = utcnow()
    session.flush()


# -- helpers ----------------------------------------------------------------------------
def _client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    return client


def _measure(session: Session, measure_id: uuid.UUID) -> Measure:
    measure = session.get(Measure, measure_id)
    if measure is None or measure.deleted_at is not None:
        raise NotFoundError(f"No measure with id {measure_id}.")
    return measure


def _rescore(d: MeasureDefinition, measure: Measure) -> Score:
    answers = tuple(json.loads(measure.answers))
    return score(d, answers, measure.difficulty)


def _row(measure: Measure) -> MeasureRow:
    """The stored total, band and alert flag as saved; missing items and the alert's words
    are read again from the answers (they are not stored)."""
    d = definition(measure.kind)
    result = _rescore(d, measure)
    band = d.band(measure.band)
    return MeasureRow(
        id=measure.id,
        client_id=measure.client_id,
        kind=measure.kind,
        name=d.name,
        taken_on=measure.taken_on,
        answers=result.answers,
        difficulty=measure.difficulty,
        total=measure.total,
        band=measure.band,
        band_label=band.label if band else "",
        missing=result.missing,
        alert=measure.alert,
        alert_messages=tuple(a.message for a in result.alerts),
        notices=result.notices,
        alert_reviewed_at=measure.alert_reviewed_at,
        alert_review_note=measure.alert_review_note,
        note_id=measure.note_id,
    )
