"""What reports print, gathered from the vault into plain data (the builders never query).

Every gatherer runs inside one session and returns frozen dataclasses, so a report prints
the same from the app and from the command line. Psychotherapy (process) notes are left
out unless the caller asks for them in that very call; notes entered in error never print.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.measure_defs import DEFINITIONS, MeasureDefinition
from mhsw_desktop.domain.note import MSE_FIELDS, Note, RiskLevel, Task
from mhsw_desktop.errors import NotFoundError, UserFacingError
from mhsw_desktop.services.care_team import DisclosureRow, check_sharing, list_disclosures
from mhsw_desktop.services.clients import ClientRow, StatusFilter, get_client, list_clients
from mhsw_desktop.services.collaborators import get_collaborator
from mhsw_desktop.services.diagnoses import DiagnosisRow, list_diagnoses
from mhsw_desktop.services.measures import (
    MeasureRow,
    change_since_baseline,
    list_events,
    list_measures,
)
from mhsw_desktop.services.notes import NoteDetail, get_note
from mhsw_desktop.services.practitioner import get_logo, get_practitioner
from mhsw_desktop.services.releases import get_release

#: how a report may be addressed; "letter" is the practice default
PAPER_SIZES = ("letter", "a4")


class NoteInErrorError(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "This note was marked as entered in error. It stays in the record's history "
            "but is never printed or exported."
        )


@dataclass(frozen=True)
class PracticeHeader:
    """The top of every report, from the practitioner profile."""

    practice_name: str
    practitioner_name: str
    credentials: str
    licence_number: str
    address: str
    phone: str
    logo_png: bytes | None = None
    paper_size: str = "letter"
    #: the audit log's newest entry when the report was made ("Audit 41, 3f2a…"),
    #: printed in the footer so that a paper copy anchors the chain outside the vault
    audit_ref: str = ""


@dataclass(frozen=True)
class ClientFacts:
    id: uuid.UUID
    data: ClientInput

    @property
    def name(self) -> str:
        """ "First Last", with the preferred name in quotes when it differs."""
        first = self.data.legal_first_name
        if self.data.preferred_name and self.data.preferred_name != first:
            first += f" “{self.data.preferred_name}”"
        return f"{first} {self.data.legal_last_name}"


@dataclass(frozen=True)
class SignedBy:
    name: str
    credentials: str
    licence: str
    signed_at: datetime  # UTC, naive as stored
    content_hash: str


@dataclass(frozen=True)
class AddendumText:
    text: str
    signed: SignedBy


@dataclass(frozen=True)
class NoteText:
    """One note as it prints: template sections in order, empty parts left out."""

    id: uuid.UUID
    session_date: date
    start_time: time | None
    duration_minutes: int | None
    service_type: str
    location: str
    present: str
    template_name: str
    sections: tuple[tuple[str, str], ...]
    mental_status: tuple[tuple[str, str], ...]
    risk_level: str
    risk_comment: str
    interventions: str
    plan: str
    next_appointment: datetime | None
    late_entry: bool
    #: the day the note was first written (what makes it a late entry)
    written_on: date
    signed: SignedBy | None
    addenda: tuple[AddendumText, ...]
    #: None unless the psychotherapy note was asked for in this export (and has text)
    psychotherapy_note: str | None = None
    #: what the client agreed to try before the next session
    homework: str = ""

    @property
    def is_draft(self) -> bool:
        return self.signed is None


@dataclass(frozen=True)
class SessionSummaryData:
    practice: PracticeHeader
    client: ClientFacts
    note: NoteText
    diagnoses: tuple[DiagnosisRow, ...]


@dataclass(frozen=True)
class TaskLine:
    title: str
    due_date: date
    done: bool


@dataclass(frozen=True)
class FaceSheetData:
    practice: PracticeHeader
    client: ClientFacts
    diagnoses: tuple[DiagnosisRow, ...]
    open_tasks: tuple[TaskLine, ...]
    sessions: int
    first_session: date | None
    last_session: date | None
    unsigned: int


@dataclass(frozen=True)
class RecordData:
    face: FaceSheetData
    notes: tuple[NoteText, ...]  # oldest session first
    tasks: tuple[TaskLine, ...]
    psychotherapy_included: bool = False


@dataclass(frozen=True)
class PreparedFor:
    """A copy made for a collaborator, and the release that allows it."""

    client_id: uuid.UUID
    collaborator_id: uuid.UUID
    release_id: uuid.UUID
    recipient: str
    organisation: str
    purpose: str
    signed_date: date
    categories: tuple[Category, ...]

    @property
    def substance_use(self) -> bool:
        return Category.SUBSTANCE_USE in self.categories


@dataclass(frozen=True)
class DisclosuresData:
    practice: PracticeHeader
    client: ClientFacts
    disclosures: tuple[DisclosureRow, ...]  # oldest first


@dataclass(frozen=True)
class MeasureSeries:
    """Every form of one measure for a client, oldest first, with the change since baseline."""

    definition: MeasureDefinition
    rows: tuple[MeasureRow, ...]
    change: str = ""


@dataclass(frozen=True)
class MeasuresData:
    practice: PracticeHeader
    client: ClientFacts
    series: tuple[MeasureSeries, ...]
    #: the practitioner's markers on the trend (medication change, crisis, ...)
    events: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class CaseloadLine:
    client: ClientRow
    sessions: int
    last_session: date | None
    unsigned: int


@dataclass(frozen=True)
class CaseloadData:
    practice: PracticeHeader
    status_filter: str
    lines: tuple[CaseloadLine, ...] = field(default_factory=tuple)


# -- gathering ----------------------------------------------------------------------------
def practice_header(session: Session) -> PracticeHeader:
    profile = get_practitioner(session)
    return PracticeHeader(
        practice_name=profile.practice_name,
        practitioner_name=profile.name,
        credentials=profile.credentials,
        licence_number=profile.licence_number,
        address=profile.address,
        phone=profile.phone,
        logo_png=get_logo(session),
        paper_size=profile.paper_size if profile.paper_size in PAPER_SIZES else "letter",
        audit_ref=audit_reference(session),
    )


def audit_reference(session: Session) -> str:
    """ "Audit 41, 3f2a9c1b7d4e" for the newest entry ("" where there is no log)."""
    if not session.info.get("audit", False):
        return ""
    from mhsw_desktop.vault.audit import head

    seq, digest, _ = head(session.connection())
    return f"Audit {seq}, {digest[:12]}" if seq else ""


def client_facts(session: Session, client_id: uuid.UUID) -> ClientFacts:
    detail = get_client(session, client_id)
    return ClientFacts(detail.id, detail.data)


def note_text(detail: NoteDetail, *, include_psychotherapy: bool) -> NoteText:
    """A note as it prints; NoteInErrorError for one entered in error."""
    if detail.entered_in_error_at is not None:
        raise NoteInErrorError()
    data = detail.data
    sections = tuple(
        (s.title, data.sections[s.key].strip())
        for s in detail.template.sections
        if data.sections.get(s.key, "").strip()
    )
    mse = tuple(
        (label, data.mental_status[key].strip())
        for key, label in MSE_FIELDS
        if data.mental_status.get(key, "").strip()
    )
    signed = None
    if detail.signed_at is not None:
        signed = SignedBy(
            detail.signer_name,
            detail.signer_credentials,
            detail.signer_licence,
            detail.signed_at,
            detail.content_hash,
        )
    private = data.psychotherapy_note.strip() if include_psychotherapy else ""
    return NoteText(
        id=detail.id,
        session_date=data.session_date,
        start_time=data.start_time,
        duration_minutes=data.duration_minutes,
        service_type=data.service_type.label,
        location=data.location.label,
        present=data.present.strip(),
        template_name=detail.template.name,
        sections=sections,
        mental_status=mse,
        risk_level=data.risk_level.label if data.risk_level != RiskLevel.NOT_ASSESSED else "",
        risk_comment=data.risk_comment.strip(),
        interventions=data.interventions.strip(),
        plan=data.plan.strip(),
        next_appointment=data.next_appointment,
        homework=data.homework,
        late_entry=detail.late_entry,
        written_on=local_time(detail.created_at).date(),
        signed=signed,
        addenda=tuple(
            AddendumText(
                a.text,
                SignedBy(
                    a.signer_name,
                    a.signer_credentials,
                    a.signer_licence,
                    a.signed_at,
                    a.content_hash,
                ),
            )
            for a in detail.addenda
        ),
        psychotherapy_note=private or None,
    )


def session_summary_data(
    session: Session, note_id: uuid.UUID, *, include_psychotherapy: bool = False
) -> SessionSummaryData:
    detail = get_note(session, note_id)
    note = note_text(detail, include_psychotherapy=include_psychotherapy)
    return SessionSummaryData(
        practice=practice_header(session),
        client=client_facts(session, detail.client_id),
        note=note,
        diagnoses=tuple(list_diagnoses(session, detail.client_id)),
    )


def _live_notes(client_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
    return (
        Note.client_id == client_id,
        Note.deleted_at.is_(None),
        Note.entered_in_error_at.is_(None),
    )


def latest_note_id(session: Session, client_id: uuid.UUID) -> uuid.UUID:
    """The client's most recent session note (NotFoundError when there is none)."""
    get_client(session, client_id)
    note_id = session.scalar(
        select(Note.id)
        .where(*_live_notes(client_id))
        .order_by(Note.session_date.desc(), Note.start_time.desc(), Note.created_at.desc())
        .limit(1)
    )
    if note_id is None:
        raise NotFoundError("This client has no session notes yet.")
    return note_id


def notes_on(session: Session, day: date, *, client_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """The notes of every session held on ``day`` (of one client, if given), in order."""
    query = (
        select(Note.id)
        .join(Client, Client.id == Note.client_id)
        .where(
            Note.session_date == day,
            Note.deleted_at.is_(None),
            Note.entered_in_error_at.is_(None),
            Client.deleted_at.is_(None),
        )
        .order_by(Note.start_time, Client.sort_name, Note.created_at)
    )
    if client_id is not None:
        get_client(session, client_id)
        query = query.where(Note.client_id == client_id)
    return list(session.scalars(query))


def _tasks(session: Session, client_id: uuid.UUID, *, open_only: bool) -> tuple[TaskLine, ...]:
    query = (
        select(Task)
        .where(Task.client_id == client_id, Task.deleted_at.is_(None))
        .order_by(Task.due_date, Task.created_at)
    )
    if open_only:
        query = query.where(Task.completed_at.is_(None))
    return tuple(
        TaskLine(t.title, t.due_date, t.completed_at is not None) for t in session.scalars(query)
    )


def face_sheet_data(session: Session, client_id: uuid.UUID) -> FaceSheetData:
    client = client_facts(session, client_id)
    count, first, last = session.execute(
        select(func.count(Note.id), func.min(Note.session_date), func.max(Note.session_date))
        .where(*_live_notes(client_id))
    ).one()  # fmt: skip
    unsigned = session.scalar(
        select(func.count(Note.id)).where(
            *_live_notes(client_id),
            Note.signed_at.is_(None),
        )
    )
    return FaceSheetData(
        practice=practice_header(session),
        client=client,
        diagnoses=tuple(list_diagnoses(session, client_id)),
        open_tasks=_tasks(session, client_id, open_only=True),
        sessions=int(count or 0),
        first_session=first,
        last_session=last,
        unsigned=int(unsigned or 0),
    )


def record_data(
    session: Session,
    client_id: uuid.UUID,
    *,
    include_psychotherapy: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RecordData:
    """The whole record of a client; ``progress(done, total)`` is called per note."""
    face = face_sheet_data(session, client_id)
    ids = list(
        session.scalars(
            select(Note.id)
            .where(*_live_notes(client_id))
            .order_by(Note.session_date, Note.start_time, Note.created_at)
        )
    )
    notes = []
    for done, note_id in enumerate(ids, start=1):
        notes.append(
            note_text(get_note(session, note_id), include_psychotherapy=include_psychotherapy)
        )
        if progress is not None:
            progress(done, len(ids))
    return RecordData(
        face=face,
        notes=tuple(notes),
        tasks=_tasks(session, client_id, open_only=False),
        psychotherapy_included=include_psychotherapy,
    )


def caseload_data(session: Session, status: StatusFilter = "current") -> CaseloadData:
    """Every client of the filter (as `clients list`), with session counts and last dates."""
    rows = list_clients(session, status)
    stats = {
        client_id: (int(count), last, int(unsigned or 0))
        for client_id, count, last, unsigned in session.execute(
            select(
                Note.client_id,
                func.count(Note.id),
                func.max(Note.session_date),
                func.sum(case((Note.signed_at.is_(None), 1), else_=0)),
            )
            .where(Note.deleted_at.is_(None), Note.entered_in_error_at.is_(None))
            .group_by(Note.client_id)
        )
    }
    lines = tuple(CaseloadLine(row, *stats.get(row.id, (0, None, 0))) for row in rows)
    return CaseloadData(practice=practice_header(session), status_filter=status, lines=lines)


def is_substance_use(code: str) -> bool:
    """ICD-10-CM F10-F19: mental and behavioural disorders due to substance use."""
    return len(code) >= 3 and code[:2].upper() == "F1" and code[2].isdigit()


def categories_of_notes(
    notes: Sequence[NoteText], diagnoses: Iterable[DiagnosisRow]
) -> set[Category]:
    """What a report holding these notes and diagnoses discloses, for the sharing guard."""
    found = {Category.ATTENDANCE}
    if notes:
        found.add(Category.PROGRESS_SUMMARIES)
    if any(note.psychotherapy_note for note in notes):
        found.add(Category.PSYCHOTHERAPY_NOTES)
    codes = [d.code for d in diagnoses]
    if codes:
        found.add(Category.DIAGNOSIS)
    if any(is_substance_use(code) for code in codes):
        found.add(Category.SUBSTANCE_USE)
    return found


def prepared_for(
    session: Session,
    client_id: uuid.UUID,
    collaborator_id: uuid.UUID,
    categories: Iterable[Category],
    *,
    today: date | None = None,
) -> PreparedFor:
    """The sharing guard's answer for a copy (SharingRefused names what is missing)."""
    wanted = tuple(sorted(set(categories)))
    release_id = check_sharing(session, client_id, collaborator_id, wanted, today=today)
    release = get_release(session, release_id, today=today)
    collaborator = get_collaborator(session, collaborator_id)
    return PreparedFor(
        client_id=client_id,
        collaborator_id=collaborator_id,
        release_id=release_id,
        recipient=collaborator.display_name,
        organisation=collaborator.organisation,
        purpose=release.purpose,
        signed_date=release.signed_date,
        categories=wanted,
    )


def disclosures_data(session: Session, client_id: uuid.UUID) -> DisclosuresData:
    rows = sorted(
        list_disclosures(session, client_id), key=lambda d: (d.disclosed_on, d.recorded_at)
    )
    return DisclosuresData(practice_header(session), client_facts(session, client_id), tuple(rows))


def measures_data(session: Session, client_id: uuid.UUID) -> MeasuresData:
    """A client's measures by kind (in the order the definitions list them) and markers."""
    rows = list_measures(session, client_id)
    series = []
    for d in DEFINITIONS:
        mine = tuple(r for r in rows if r.kind == d.key)
        if mine:
            change = change_since_baseline(session, client_id, d.key)
            series.append(MeasureSeries(d, mine, change.summary if change else ""))
    events = tuple((e.event_date, e.label or e.kind.label) for e in list_events(session, client_id))
    return MeasuresData(
        practice_header(session), client_facts(session, client_id), tuple(series), events
    )


def local_time(moment: datetime) -> datetime:
    """A stored UTC time in the machine's local zone (aware, so it prints its offset)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()
