"""Session notes, their addenda, follow-up tasks, diagnoses and the practitioner who signs."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from mhsw_desktop.domain.base import Base, Record


class ServiceType(enum.StrEnum):
    INDIVIDUAL = "individual"
    FAMILY = "family"
    COUPLE = "couple"
    GROUP = "group"
    CRISIS = "crisis"
    PHONE = "phone"
    HOME_VISIT = "home_visit"
    COLLATERAL = "collateral"

    @property
    def label(self) -> str:
        return {
            "home_visit": "Home visit",
            "collateral": "Collateral contact",
        }.get(self.value, self.value.capitalize())


class Location(enum.StrEnum):
    OFFICE = "office"
    CLIENT_HOME = "client_home"
    TELEHEALTH = "telehealth"
    SCHOOL = "school"
    COMMUNITY = "community"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"client_home": "Client's home"}.get(self.value, self.value.capitalize())


class RiskLevel(enum.StrEnum):
    NOT_ASSESSED = ""
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.capitalize() if self.value else "Not assessed"


#: mental-status fields, in the order forms show them
MSE_FIELDS: tuple[tuple[str, str], ...] = (
    ("appearance", "Appearance"),
    ("mood", "Mood"),
    ("affect", "Affect"),
    ("thought_process", "Thought process"),
    ("orientation", "Orientation"),
)

NOTE_LIMITS: dict[str, int] = {
    "section": 20_000,
    "psychotherapy_note": 50_000,
    "present": 500,
    "mse": 500,
    "risk_comment": 2_000,
    "interventions": 4_000,
    "plan": 4_000,
    "homework": 2_000,
    "addendum": 20_000,
    "task_title": 200,
    "task_details": 2_000,
    "error_reason": 1_000,
}


class Note(Record, Base):
    """A session and its progress note. Once ``signed_at`` is set, its content is frozen
    (by the services and by a database trigger)."""

    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_client_date", "client_id", "session_date"),
        Index("ix_notes_signed_at", "signed_at"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    session_date: Mapped[date]
    start_time: Mapped[time | None] = mapped_column(default=None)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    service_type: Mapped[str] = mapped_column(String(20), default=ServiceType.INDIVIDUAL.value)
    location: Mapped[str] = mapped_column(String(20), default=Location.OFFICE.value)
    present: Mapped[str] = mapped_column(Text, default="")
    template_key: Mapped[str] = mapped_column(String(40))
    #: the template as it was when the note was written (JSON): later edits never alter it
    template_snapshot: Mapped[str] = mapped_column(Text)
    #: section key -> text (JSON)
    sections: Mapped[str] = mapped_column(Text, default="{}")
    #: mental-status field -> text (JSON)
    mental_status: Mapped[str] = mapped_column(Text, default="{}")
    risk_level: Mapped[str] = mapped_column(String(10), default="")
    risk_comment: Mapped[str] = mapped_column(Text, default="")
    interventions: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    next_appointment: Mapped[datetime | None] = mapped_column(default=None)
    #: what the client agreed to try before the next session (their next-steps sheet)
    homework: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: process notes: private; never in search, summaries or exports unless asked each time
    psychotherapy_note: Mapped[str] = mapped_column(Text, default="")
    #: set while an editor has the draft open; still set at unlock = recovered after a crash
    editing_since: Mapped[datetime | None] = mapped_column(default=None)
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_credentials: Mapped[str] = mapped_column(String(100), default="")
    signer_licence: Mapped[str] = mapped_column(String(100), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    entered_in_error_at: Mapped[datetime | None] = mapped_column(default=None)
    entered_in_error_reason: Mapped[str] = mapped_column(Text, default="")


class Addendum(Record, Base):
    """A signed correction or addition under a signed note; itself immutable."""

    __tablename__ = "note_addenda"
    __table_args__ = (Index("ix_note_addenda_note", "note_id"),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("notes.id"))
    text: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime]
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_credentials: Mapped[str] = mapped_column(String(100), default="")
    signer_licence: Mapped[str] = mapped_column(String(100), default="")
    content_hash: Mapped[str] = mapped_column(String(64))


class Task(Record, Base):
    """A follow-up with a due date, optionally about a client or a note."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_due", "completed_at", "due_date"),
        Index("ix_tasks_client", "client_id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date]
    client_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("clients.id"), default=None
    )
    note_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("notes.id"), default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)


class Diagnosis(Record, Base):
    """An ICD-10-CM diagnosis of a client, primary or secondary, with onset and resolution."""

    __tablename__ = "diagnoses"
    __table_args__ = (Index("ix_diagnoses_client", "client_id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    onset_date: Mapped[date | None] = mapped_column(default=None)
    resolved_date: Mapped[date | None] = mapped_column(default=None)


class Practitioner(Record, Base):
    """The practitioner who keeps this vault: who signs, and the practice header of reports."""

    __tablename__ = "practitioner"
    __table_args__ = (CheckConstraint("paper_size IN ('letter', 'a4')", name="paper_size"),)

    name: Mapped[str] = mapped_column(String(200), default="")
    credentials: Mapped[str] = mapped_column(String(100), default="")
    licence_number: Mapped[str] = mapped_column(String(100), default="")
    practice_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: the practice logo as the services stored it: PNG, at most 600x600 px, no metadata
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    #: paper the reports are laid out for: "letter" or "a4"
    paper_size: Mapped[str] = mapped_column(String(10), default="letter")


class CustomTemplate(Record, Base):
    """A template the practitioner added; the definition is the template's JSON."""

    __tablename__ = "note_templates"

    key: Mapped[str] = mapped_column(String(40), unique=True)
    definition: Mapped[str] = mapped_column(Text)
