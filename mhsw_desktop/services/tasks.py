"""Follow-up tasks with due dates, and the Today summary built on them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.note import NOTE_LIMITS, Note, Task
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services.notes import UnsignedNote, recovered_drafts, unsigned_notes

DueFilter = Literal["today", "overdue", "open", "all"]
DUE_FILTERS: tuple[DueFilter, ...] = ("today", "overdue", "open", "all")


@dataclass(frozen=True)
class TaskInput:
    title: str
    due_date: date
    details: str = ""
    client_id: uuid.UUID | None = None
    note_id: uuid.UUID | None = None


@dataclass(frozen=True)
class TaskRow:
    id: uuid.UUID
    title: str
    due_date: date
    client_id: uuid.UUID | None
    client_name: str
    note_id: uuid.UUID | None
    completed_at: datetime | None
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "due_date": self.due_date.isoformat(),
            "client_id": str(self.client_id) if self.client_id else None,
            "client_name": self.client_name,
            "note_id": str(self.note_id) if self.note_id else None,
            "completed_at": self.completed_at.isoformat(timespec="seconds")
            if self.completed_at
            else None,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class TodaySummary:
    due_today: list[TaskRow]
    overdue: list[TaskRow]
    unsigned_notes: list[UnsignedNote]
    recovered_drafts: list[UnsignedNote]


def add_task(session: Session, data: TaskInput) -> uuid.UUID:
    title = data.title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "is required"
    elif len(title) > NOTE_LIMITS["task_title"] or "\n" in title:
        errors["title"] = f"must be one line of at most {NOTE_LIMITS['task_title']} characters"
    if len(data.details) > NOTE_LIMITS["task_details"]:
        errors["details"] = f"is longer than {NOTE_LIMITS['task_details']} characters"
    if data.due_date.year < 1990 or data.due_date.year > 2200:
        errors["due_date"] = f"{data.due_date.isoformat()} is not a plausible due date"
    if data.client_id is not None:
        client = session.get(Client, data.client_id)
        if client is None or client.deleted_at is not None:
            errors["client_id"] = "no such client"
    if data.note_id is not None:
        note = session.get(Note, data.note_id)
        if note is None or note.deleted_at is not None:
            errors["note_id"] = "no such note"
        elif data.client_id is None:
            data = TaskInput(data.title, data.due_date, data.details, note.client_id, note.id)
        elif data.client_id != note.client_id:
            errors["note_id"] = "belongs to another client"
    if errors:
        raise ValidationError(errors)
    task = Task(
        title=title,
        details=data.details.strip(),
        due_date=data.due_date,
        client_id=data.client_id,
        note_id=data.note_id,
    )
    session.add(task)
    session.flush()
    return task.id


def complete_task(session: Session, task_id: uuid.UUID, done: bool = True) -> None:
    task = session.get(Task, task_id)
    if task is None or task.deleted_at is not None:
        raise NotFoundError(f"No task with id {task_id}.")
    task.completed_at = utcnow() if done else None
    session.flush()


def delete_task(session: Session, task_id: uuid.UUID) -> None:
    task = session.get(Task, task_id)
    if task is None or task.deleted_at is not None:
        raise NotFoundError(f"No task with id {task_id}.")
    task.deleted_at = utcnow()
    session.flush()


def list_tasks(
    session: Session, due: DueFilter = "open", today: date | None = None
) -> list[TaskRow]:
    """Tasks by due date. ``today`` and ``overdue`` and ``open`` list unfinished ones only."""
    day = today or date.today()
    query = (
        select(Task, Client.legal_last_name, Client.legal_first_name)
        .outerjoin(Client, Client.id == Task.client_id)
        .where(Task.deleted_at.is_(None))
        .order_by(Task.due_date, Task.created_at)
    )
    if due != "all":
        query = query.where(Task.completed_at.is_(None))
    if due == "today":
        query = query.where(Task.due_date == day)
    elif due == "overdue":
        query = query.where(Task.due_date < day)
    return [
        TaskRow(
            id=task.id,
            title=task.title,
            due_date=task.due_date,
            client_id=task.client_id,
            client_name=f"{last}, {first}" if last else "",
            note_id=task.note_id,
            completed_at=task.completed_at,
            overdue=task.completed_at is None and task.due_date < day,
        )
        for task, last, first in session.execute(query)
    ]


def today_summary(session: Session, today: date | None = None) -> TodaySummary:
    day = today or date.today()
    return TodaySummary(
        due_today=list_tasks(session, "today", day),
        overdue=list_tasks(session, "overdue", day),
        unsigned_notes=unsigned_notes(session, day),
        recovered_drafts=recovered_drafts(session, day),
    )
