"""Session notes: drafts that save themselves, signing that freezes, addenda, lists.

Signed notes are immutable here (every entry point checks) and in the database (a
trigger aborts any change), whatever the caller. A note written more than
``LATE_ENTRY_DAYS`` after its session is a late entry.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.note import (
    MSE_FIELDS,
    NOTE_LIMITS,
    Addendum,
    Location,
    Note,
    RiskLevel,
    ServiceType,
)
from mhsw_desktop.domain.templates import NoteTemplate, template_from_json
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.services.search import index_document, mark_signed, remove_document
from mhsw_desktop.services.templates import get_template

LATE_ENTRY_DAYS = 2
MAX_DURATION = 24 * 60
_MSE_KEYS = frozenset(key for key, _label in MSE_FIELDS)


class NoteSignedError(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "This note is signed and can no longer be changed. Add an addendum instead."
        )


@dataclass(frozen=True)
class NoteInput:
    """What the editor (or the command line) holds of a note."""

    client_id: uuid.UUID
    session_date: date
    template_key: str
    sections: dict[str, str] = field(default_factory=dict)
    start_time: time | None = None
    duration_minutes: int | None = None
    service_type: ServiceType = ServiceType.INDIVIDUAL
    location: Location = Location.OFFICE
    present: str = ""
    mental_status: dict[str, str] = field(default_factory=dict)
    risk_level: RiskLevel = RiskLevel.NOT_ASSESSED
    risk_comment: str = ""
    interventions: str = ""
    plan: str = ""
    next_appointment: datetime | None = None
    psychotherapy_note: str = ""
    #: what the client agreed to try before the next session (their next-steps sheet)
    homework: str = ""


@dataclass(frozen=True)
class AddendumView:
    id: uuid.UUID
    text: str
    signed_at: datetime
    signer_name: str
    signer_credentials: str
    signer_licence: str
    content_hash: str


@dataclass(frozen=True)
class NoteDetail:
    id: uuid.UUID
    client_id: uuid.UUID
    data: NoteInput
    template: NoteTemplate
    created_at: datetime
    updated_at: datetime
    signed_at: datetime | None
    signer_name: str
    signer_credentials: str
    signer_licence: str
    content_hash: str
    addenda: list[AddendumView]
    late_entry: bool
    entered_in_error_at: datetime | None
    entered_in_error_reason: str

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


@dataclass(frozen=True)
class NoteRow:
    id: uuid.UUID
    client_id: uuid.UUID
    session_date: date
    template_name: str
    service_type: ServiceType
    signed_at: datetime | None
    late_entry: bool
    addenda_count: int
    preview: str
    entered_in_error: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "session_date": self.session_date.isoformat(),
            "template": self.template_name,
            "service_type": self.service_type.value,
            "signed_at": self.signed_at.isoformat(timespec="seconds") if self.signed_at else None,
            "late_entry": self.late_entry,
            "addenda": self.addenda_count,
            "preview": self.preview,
            "entered_in_error": self.entered_in_error,
        }


@dataclass(frozen=True)
class UnsignedNote:
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    session_date: date
    age_days: int


# -- rules -------------------------------------------------------------------------
def is_late_entry(session_date: date, written: datetime) -> bool:
    """More than LATE_ENTRY_DAYS between the session and the day (local) it was written.

    ``written`` is a stored UTC time; the session date is the practitioner's local day,
    so both are compared as local days (an evening note west of Greenwich is not late).
    """
    if written.tzinfo is None:
        written = written.replace(tzinfo=UTC)
    return (written.astimezone().date() - session_date).days > LATE_ENTRY_DAYS


def draft_errors(data: NoteInput, template: NoteTemplate, today: date) -> dict[str, str]:
    """What makes even a draft unsaveable: impossible values and over-long text."""
    errors: dict[str, str] = {}
    if data.session_date > today:
        errors["session_date"] = f"{data.session_date.isoformat()} is in the future"
    elif data.session_date.year < 1990:
        errors["session_date"] = f"{data.session_date.isoformat()} is implausibly early"
    if data.duration_minutes is not None and not 0 < data.duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = f"must be between 1 and {MAX_DURATION} minutes"
    unknown = set(data.sections) - {s.key for s in template.sections}
    if unknown:
        errors["sections"] = f"{template.name} has no section {sorted(unknown)[0]!r}"
    for key, value in data.sections.items():
        if len(value) > NOTE_LIMITS["section"]:
            errors[f"section:{key}"] = f"is longer than {NOTE_LIMITS['section']} characters"
    bad_mse = set(data.mental_status) - _MSE_KEYS
    if bad_mse:
        errors["mental_status"] = f"unknown field {sorted(bad_mse)[0]!r}"
    for name, limit_key in (
        ("present", "present"),
        ("risk_comment", "risk_comment"),
        ("interventions", "interventions"),
        ("plan", "plan"),
        ("homework", "homework"),
        ("psychotherapy_note", "psychotherapy_note"),
    ):
        if len(getattr(data, name)) > NOTE_LIMITS[limit_key]:
            errors[name] = f"is longer than {NOTE_LIMITS[limit_key]} characters"
    for key, value in data.mental_status.items():
        if len(value) > NOTE_LIMITS["mse"]:
            errors[f"mental_status:{key}"] = f"is longer than {NOTE_LIMITS['mse']} characters"
    return errors


def signing_errors(data: NoteInput, template: NoteTemplate) -> dict[str, str]:
    """What a note must have before it is signed."""
    errors: dict[str, str] = {}
    for section in template.sections:
        if section.required and not data.sections.get(section.key, "").strip():
            errors[f"section:{section.key}"] = f"{section.title} is required before signing"
    elevated = data.risk_level not in (RiskLevel.NOT_ASSESSED, RiskLevel.NONE)
    if elevated and not data.risk_comment.strip():
        errors["risk_comment"] = "is required when risk is above none"
    return errors


def content_hash(note: Note) -> str:
    """SHA-256 over the note's frozen content, in a canonical JSON form."""
    content = {
        "id": note.id.hex,
        "client_id": note.client_id.hex,
        "session_date": note.session_date.isoformat(),
        "start_time": note.start_time.isoformat() if note.start_time else None,
        "duration_minutes": note.duration_minutes,
        "service_type": note.service_type,
        "location": note.location,
        "present": note.present,
        "template": json.loads(note.template_snapshot),
        "sections": json.loads(note.sections),
        "mental_status": json.loads(note.mental_status),
        "risk_level": note.risk_level,
        "risk_comment": note.risk_comment,
        "interventions": note.interventions,
        "plan": note.plan,
        "next_appointment": note.next_appointment.isoformat() if note.next_appointment else None,
        "psychotherapy_note": note.psychotherapy_note,
        "signed_at": note.signed_at.isoformat() if note.signed_at else None,
        "signer": [note.signer_name, note.signer_credentials, note.signer_licence],
    }
    if note.homework:  # only when there is some: notes signed before it existed keep their hash
        content["homework"] = note.homework
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def addendum_hash(note_hash: str, text: str, signed_at: datetime, signer: Signer) -> str:
    content = [note_hash, text, signed_at.isoformat(), signer.name, signer.credentials]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- helpers -----------------------------------------------------------------------
def _note(session: Session, note_id: uuid.UUID) -> Note:
    note = session.get(Note, note_id)
    if note is None or note.deleted_at is not None:
        raise NotFoundError(f"No note with id {note_id}.")
    return note


def _not_in_error(note: Note) -> Note:
    if note.entered_in_error_at is not None:
        raise ValidationError({"note": "was marked as entered in error and is closed to changes"})
    return note


def _editable(session: Session, note_id: uuid.UUID) -> Note:
    note = _note(session, note_id)
    if note.signed_at is not None:
        raise NoteSignedError()
    return _not_in_error(note)


def _client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    return client


def _clean(data: NoteInput) -> NoteInput:
    return NoteInput(
        client_id=data.client_id,
        session_date=data.session_date,
        template_key=data.template_key,
        sections={k: v.rstrip() for k, v in data.sections.items()},
        start_time=data.start_time,
        duration_minutes=data.duration_minutes,
        service_type=ServiceType(data.service_type),
        location=Location(data.location),
        present=data.present.strip(),
        mental_status={k: v.strip() for k, v in data.mental_status.items() if v.strip()},
        risk_level=RiskLevel(data.risk_level),
        risk_comment=data.risk_comment.strip(),
        interventions=data.interventions.strip(),
        plan=data.plan.strip(),
        next_appointment=data.next_appointment,
        psychotherapy_note=data.psychotherapy_note.rstrip(),
        homework=data.homework.strip(),
    )


def _write(note: Note, data: NoteInput) -> None:
    note.client_id = data.client_id
    note.session_date = data.session_date
    note.start_time = data.start_time
    note.duration_minutes = data.duration_minutes
    note.service_type = data.service_type.value
    note.location = data.location.value
    note.present = data.present
    note.sections = json.dumps(data.sections, ensure_ascii=False, sort_keys=True)
    note.mental_status = json.dumps(data.mental_status, ensure_ascii=False, sort_keys=True)
    note.risk_level = data.risk_level.value
    note.risk_comment = data.risk_comment
    note.interventions = data.interventions
    note.plan = data.plan
    note.next_appointment = data.next_appointment
    note.psychotherapy_note = data.psychotherapy_note
    note.homework = data.homework


def _template_of(note: Note) -> NoteTemplate:
    return template_from_json(note.template_snapshot)


def _index(session: Session, note: Note, addenda: list[str] | None = None) -> None:
    template = _template_of(note)
    sections = json.loads(note.sections)
    parts = [sections.get(s.key, "") for s in template.sections]
    parts += [note.present, note.interventions, note.plan, note.homework, note.risk_comment]
    parts += list(json.loads(note.mental_status).values())
    if addenda is None:
        addenda = [
            a.text
            for a in session.scalars(
                select(Addendum).where(Addendum.note_id == note.id, Addendum.deleted_at.is_(None))
            )
        ]
    parts += addenda
    index_document(
        session,
        kind="note",
        ref_id=note.id,
        client_id=note.client_id,
        day=note.session_date,
        title=f"{template.name} note, {note.session_date.isoformat()}",
        body="\n".join(p for p in parts if p),
        private=note.psychotherapy_note,
        template_key=note.template_key,
        signed=note.signed_at is not None,
    )


# -- use cases ---------------------------------------------------------------------
def create_draft(session: Session, data: NoteInput, *, today: date | None = None) -> uuid.UUID:
    """Start a note (a draft). Only impossible values are refused; completeness is for signing."""
    _client(session, data.client_id)
    template = get_template(session, data.template_key)
    clean = _clean(data)
    errors = draft_errors(clean, template, today or date.today())
    if errors:
        raise ValidationError(errors)
    note = Note(template_key=template.key, template_snapshot=template.to_json())
    _write(note, clean)
    session.add(note)
    session.flush()
    _index(session, note, addenda=[])
    return note.id


def save_draft(
    session: Session, note_id: uuid.UUID, data: NoteInput, *, today: date | None = None
) -> None:
    """Autosave: replace a draft's content. The template stays the one it was started with."""
    note = _editable(session, note_id)
    if data.client_id != note.client_id:
        _client(session, data.client_id)
    clean = _clean(data)
    errors = draft_errors(clean, _template_of(note), today or date.today())
    if errors:
        raise ValidationError(errors)
    _write(note, clean)
    session.flush()
    _index(session, note, addenda=[])


def set_editing(session: Session, note_id: uuid.UUID, editing: bool) -> None:
    """Mark a draft open in an editor (True) or closed normally (False)."""
    note = _note(session, note_id)
    note.editing_since = utcnow() if editing and note.signed_at is None else None
    session.flush()


def delete_draft(session: Session, note_id: uuid.UUID) -> None:
    note = _editable(session, note_id)
    note.deleted_at = utcnow()
    session.flush()
    remove_document(session, note.id)


def sign_note(
    session: Session, note_id: uuid.UUID, signer: Signer, *, now: datetime | None = None
) -> str:
    """Freeze a complete note with the signer as they are today; return its content hash.

    The caller has already asked for the passphrase again (``Vault.check_passphrase``).
    """
    note = _editable(session, note_id)
    if not signer.name.strip():
        raise ValidationError({"signer": "a signer's name is required"})
    detail = _detail(session, note)
    errors = signing_errors(detail.data, detail.template)
    if errors:
        raise ValidationError(errors)
    note.signed_at = now or utcnow()
    note.signer_name = signer.name
    note.signer_credentials = signer.credentials
    note.signer_licence = signer.licence
    note.editing_since = None
    note.content_hash = content_hash(note)
    session.flush()
    mark_signed(session, note.id)
    return note.content_hash


def add_addendum(
    session: Session,
    note_id: uuid.UUID,
    text: str,
    signer: Signer,
    *,
    now: datetime | None = None,
) -> uuid.UUID:
    """A signed correction or addition under a signed note."""
    note = _not_in_error(_note(session, note_id))
    if note.signed_at is None:
        raise ValidationError({"note": "is still a draft: edit it instead of adding an addendum"})
    body = text.strip()
    if not body:
        raise ValidationError({"addendum": "is empty"})
    if len(body) > NOTE_LIMITS["addendum"]:
        raise ValidationError({"addendum": f"is longer than {NOTE_LIMITS['addendum']} characters"})
    if not signer.name.strip():
        raise ValidationError({"signer": "a signer's name is required"})
    signed_at = now or utcnow()
    addendum = Addendum(
        note_id=note.id,
        text=body,
        signed_at=signed_at,
        signer_name=signer.name,
        signer_credentials=signer.credentials,
        signer_licence=signer.licence,
        content_hash=addendum_hash(note.content_hash, body, signed_at, signer),
    )
    session.add(addendum)
    session.flush()
    _index(session, note)
    return addendum.id


def mark_entered_in_error(session: Session, note_id: uuid.UUID, reason: str) -> None:
    """Hide a note written in the wrong chart from every output; it stays for the audit."""
    note = _note(session, note_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "say why the note was entered in error"})
    if len(reason) > NOTE_LIMITS["error_reason"]:
        raise ValidationError({"reason": f"is longer than {NOTE_LIMITS['error_reason']}"})
    if note.entered_in_error_at is not None:
        raise ValidationError({"note": "is already marked as entered in error"})
    note.entered_in_error_at = utcnow()
    note.entered_in_error_reason = reason
    note.editing_since = None
    session.flush()
    remove_document(session, note.id)


def _detail(session: Session, note: Note) -> NoteDetail:
    addenda = session.scalars(
        select(Addendum)
        .where(Addendum.note_id == note.id, Addendum.deleted_at.is_(None))
        .order_by(Addendum.signed_at)
    )
    data = NoteInput(
        client_id=note.client_id,
        session_date=note.session_date,
        template_key=note.template_key,
        sections=json.loads(note.sections),
        start_time=note.start_time,
        duration_minutes=note.duration_minutes,
        service_type=ServiceType(note.service_type),
        location=Location(note.location),
        present=note.present,
        mental_status=json.loads(note.mental_status),
        risk_level=RiskLevel(note.risk_level),
        risk_comment=note.risk_comment,
        interventions=note.interventions,
        plan=note.plan,
        next_appointment=note.next_appointment,
        psychotherapy_note=note.psychotherapy_note,
        homework=note.homework,
    )
    return NoteDetail(
        id=note.id,
        client_id=note.client_id,
        data=data,
        template=_template_of(note),
        created_at=note.created_at,
        updated_at=note.updated_at,
        signed_at=note.signed_at,
        signer_name=note.signer_name,
        signer_credentials=note.signer_credentials,
        signer_licence=note.signer_licence,
        content_hash=note.content_hash,
        addenda=[
            AddendumView(
                a.id,
                a.text,
                a.signed_at,
                a.signer_name,
                a.signer_credentials,
                a.signer_licence,
                a.content_hash,
            )
            for a in addenda
        ],
        late_entry=is_late_entry(note.session_date, note.created_at),
        entered_in_error_at=note.entered_in_error_at,
        entered_in_error_reason=note.entered_in_error_reason,
    )


def get_note(session: Session, note_id: uuid.UUID) -> NoteDetail:
    return _detail(session, _note(session, note_id))


def list_notes(
    session: Session, client_id: uuid.UUID, *, include_in_error: bool = False
) -> list[NoteRow]:
    """A client's notes, newest session first (NotFoundError for an unknown client)."""
    _client(session, client_id)
    count = (
        select(func.count(Addendum.id))
        .where(Addendum.note_id == Note.id, Addendum.deleted_at.is_(None))
        .scalar_subquery()
    )
    query = (
        select(Note, count)
        .where(Note.client_id == client_id, Note.deleted_at.is_(None))
        .order_by(Note.session_date.desc(), Note.start_time.desc(), Note.created_at.desc())
    )
    if not include_in_error:
        query = query.where(Note.entered_in_error_at.is_(None))
    rows = []
    for note, addenda in session.execute(query):
        template = _template_of(note)
        sections = json.loads(note.sections)
        first = next((sections[s.key] for s in template.sections if sections.get(s.key)), "")
        preview = " ".join(first.split())[:120]
        rows.append(
            NoteRow(
                id=note.id,
                client_id=note.client_id,
                session_date=note.session_date,
                template_name=template.name,
                service_type=ServiceType(note.service_type),
                signed_at=note.signed_at,
                late_entry=is_late_entry(note.session_date, note.created_at),
                addenda_count=int(addenda),
                preview=preview,
                entered_in_error=note.entered_in_error_at is not None,
            )
        )
    return rows


def _unsigned(session: Session, today: date, *, recovered_only: bool) -> list[UnsignedNote]:
    query = (
        select(Note.id, Note.client_id, Client.legal_last_name, Client.legal_first_name,
               Note.session_date)
        .join(Client, Client.id == Note.client_id)
        .where(
            Note.signed_at.is_(None),
            Note.deleted_at.is_(None),
            Note.entered_in_error_at.is_(None),
            Client.deleted_at.is_(None),
        )
        .order_by(Note.session_date, Note.created_at)
    )  # fmt: skip
    if recovered_only:
        query = query.where(Note.editing_since.is_not(None))
    return [
        UnsignedNote(note_id, client_id, f"{last}, {first}", day, (today - day).days)
        for note_id, client_id, last, first, day in session.execute(query)
    ]


def unsigned_notes(session: Session, today: date | None = None) -> list[UnsignedNote]:
    """Notes to finish: every unsigned draft, oldest session first, with its age in days."""
    return _unsigned(session, today or date.today(), recovered_only=False)


def recovered_drafts(session: Session, today: date | None = None) -> list[UnsignedNote]:
    """Drafts whose editor never closed normally (the app or the machine stopped)."""
    return _unsigned(session, today or date.today(), recovered_only=True)
