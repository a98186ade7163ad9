"""Care-team use cases: the collaborator directory, team links, the coordination log,
releases of information, the sharing guard and the accounting of disclosures.

Anything produced for a collaborator goes through ``check_sharing`` first and is then
written down with ``record_disclosure`` in the same unit of work; a refusal raises
``SharingRefused`` and records nothing.

Follow-ups: whenever a release with an expiry date is saved (added, edited, revoked),
its follow-up task is kept in step, idempotently: one open task per release, due on the
first day of its last ``EXPIRING_DAYS`` in force (or today, if that day has passed),
moved when the expiry date moves, withdrawn when the release is revoked or loses its
date, and marked done when a new release for the same collaborator renews it. So the
task shows in the Today view exactly when the release starts expiring, without any
read having to write. ``releases_needing_attention`` lists the same releases for the
Today view, and is read-only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import (
    CARE_LIMITS,
    EXPIRING_DAYS,
    Category,
    Collaborator,
    CollaboratorRole,
    ContactMethod,
    ContactMode,
    CoordinationContact,
    Direction,
    Disclosure,
    DisclosureMeans,
    Refusal,
    Release,
    ReleaseStatus,
    TeamMember,
    categories_from_text,
    categories_to_text,
    days_left,
    likely_same_collaborator,
    name_key,
    ordered,
    release_status,
    sharing_decision,
)
from mhsw_desktop.domain.client import Client, ClientStatus
from mhsw_desktop.domain.client_rules import UNSTORABLE, has_unstorable
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.note import Task
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError

#: an expired release stays in the Today view this many days, unless renewed first
ATTENTION_AFTER_EXPIRY_DAYS = 90
EARLIEST = date(1990, 1, 1)
LATEST = date(2200, 12, 31)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[0-9()\-.\s/]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)


class SharingRefused(UserFacingError):
    """Sharing with a collaborator that the client's releases do not allow (exit code 1).

    The message names what is missing; ``reason`` and ``missing`` say it for code.
    """

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.reason = refusal.reason
        self.missing = refusal.missing


class ReleaseLocked(UserFacingError):
    """A release that can no longer be edited (it was used, or revoked)."""


# -- checking ---------------------------------------------------------------------------
def _check_text(
    errors: dict[str, str],
    name: str,
    value: str,
    *,
    required: bool = False,
    multiline: bool = False,
    limit_key: str | None = None,
) -> None:
    limit = CARE_LIMITS[limit_key or name]
    if len(value) > limit:
        errors[name] = f"is {len(value)} characters long; at most {limit} fit"
    elif has_unstorable(value, multiline=multiline):
        errors[name] = UNSTORABLE
    elif required and not value.strip():
        errors[name] = "is required"


def _check_date(
    errors: dict[str, str], name: str, value: date, today: date, *, future: bool = False
) -> None:
    if not future and value > today:
        errors[name] = f"{value.isoformat()} is in the future"
    elif value < EARLIEST or value > LATEST:
        errors[name] = f"{value.isoformat()} is not a plausible date"


def _enum(errors: dict[str, str], name: str, kind: type[Any], value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(v.value for v in kind if v.value)
        errors[name] = f"{value!r} is not one of: {choices}"
        return None


def _live_client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    return client


def _live_collaborator(session: Session, collaborator_id: uuid.UUID) -> Collaborator:
    collaborator = session.get(Collaborator, collaborator_id)
    if collaborator is None or collaborator.deleted_at is not None:
        raise NotFoundError(f"No collaborator with id {collaborator_id}.")
    return collaborator


def _display(name: str, credentials: str) -> str:
    return f"{name}, {credentials}" if credentials else name


# -- collaborators ----------------------------------------------------------------------
@dataclass(frozen=True)
class CollaboratorInput:
    """A directory entry as a form, the command line or a vCard gives it."""

    name: str
    role: CollaboratorRole = CollaboratorRole.OTHER
    credentials: str = ""
    organisation: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    address: str = ""
    preferred_contact: ContactMethod = ContactMethod.NONE
    notes: str = ""


@dataclass(frozen=True)
class CollaboratorRow:
    id: uuid.UUID
    name: str
    role: CollaboratorRole
    credentials: str
    organisation: str
    phone: str
    fax: str
    email: str
    address: str
    preferred_contact: ContactMethod
    notes: str

    @property
    def display_name(self) -> str:
        """ "Name, Credentials" (just the name without credentials)."""
        return _display(self.name, self.credentials)

    @property
    def data(self) -> CollaboratorInput:
        return CollaboratorInput(
            **{f.name: getattr(self, f.name) for f in fields(CollaboratorInput)}
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "credentials": self.credentials,
            "role": self.role.value,
            "role_label": self.role.label,
            "organisation": self.organisation,
            "phone": self.phone,
            "fax": self.fax,
            "email": self.email,
            "address": self.address,
            "preferred_contact": self.preferred_contact.value or None,
            "notes": self.notes,
        }


def checked_collaborator(data: CollaboratorInput) -> CollaboratorInput:
    """``data`` with whitespace stripped, or ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    stripped = {
        f.name: getattr(data, f.name).strip()
        for f in fields(CollaboratorInput)
        if isinstance(getattr(data, f.name), str) and f.name not in ("role", "preferred_contact")
    }
    for name, value in stripped.items():
        _check_text(
            errors, name, value, required=name == "name", multiline=name in ("address", "notes")
        )
    role = _enum(errors, "role", CollaboratorRole, data.role)
    preferred = _enum(errors, "preferred_contact", ContactMethod, data.preferred_contact)
    if stripped["email"] and "email" not in errors and not _EMAIL.match(stripped["email"]):
        errors["email"] = "does not look like an email address (name@example.org)"
    for name in ("phone", "fax"):
        value = stripped[name]
        if value and name not in errors:
            digits = sum(ch.isdigit() for ch in value)
            if not _PHONE.match(value) or not 7 <= digits <= 20:
                errors[name] = "does not look like a phone number"
    if preferred in (ContactMethod.PHONE, ContactMethod.FAX, ContactMethod.EMAIL):
        field = preferred.value
        if not stripped[field] and field not in errors:
            errors["preferred_contact"] = f"is {preferred.label.lower()}, but none is recorded"
    if errors:
        raise ValidationError(errors)
    return CollaboratorInput(**{**stripped, "role": role, "preferred_contact": preferred})


def _write_collaborator(row: Collaborator, data: CollaboratorInput) -> None:
    for f in fields(CollaboratorInput):
        value = getattr(data, f.name)
        plain = value.value if isinstance(value, ContactMethod | CollaboratorRole) else value
        setattr(row, f.name, plain)
    row.sort_name = name_key(data.name)


def _collaborator_row(c: Collaborator) -> CollaboratorRow:
    return CollaboratorRow(
        id=c.id,
        name=c.name,
        role=CollaboratorRole(c.role),
        credentials=c.credentials,
        organisation=c.organisation,
        phone=c.phone,
        fax=c.fax,
        email=c.email,
        address=c.address,
        preferred_contact=ContactMethod(c.preferred_contact),
        notes=c.notes,
    )


def add_collaborator(session: Session, data: CollaboratorInput) -> uuid.UUID:
    """Validate and add a directory entry; return its id (duplicates are the caller's call:
    see ``likely_duplicate_collaborators``)."""
    clean = checked_collaborator(data)
    row = Collaborator()
    _write_collaborator(row, clean)
    session.add(row)
    session.flush()
    return row.id


def update_collaborator(
    session: Session, collaborator_id: uuid.UUID, data: CollaboratorInput
) -> None:
    clean = checked_collaborator(data)
    _write_collaborator(_live_collaborator(session, collaborator_id), clean)
    session.flush()


def delete_collaborator(
    session: Session, collaborator_id: uuid.UUID, *, today: date | None = None
) -> None:
    """Tombstone a directory entry. Refused while they are on a client's current team;
    their releases and disclosures are kept (the accounting names them as they were)."""
    day = today or date.today()
    row = _live_collaborator(session, collaborator_id)
    current = session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .where(
            TeamMember.collaborator_id == collaborator_id,
            TeamMember.deleted_at.is_(None),
            (TeamMember.end_date.is_(None)) | (TeamMember.end_date >= day),
        )
    )
    if current:
        raise UserFacingError(
            f"This collaborator is on {current} client care team{'s' if current != 1 else ''}; "
            "end those team memberships first. Nothing was deleted."
        )
    row.deleted_at = utcnow()
    session.flush()


def get_collaborator(session: Session, collaborator_id: uuid.UUID) -> CollaboratorRow:
    return _collaborator_row(_live_collaborator(session, collaborator_id))


def list_collaborators(session: Session) -> list[CollaboratorRow]:
    """The directory, by folded name."""
    rows = session.scalars(
        select(Collaborator)
        .where(Collaborator.deleted_at.is_(None))
        .order_by(Collaborator.sort_name, Collaborator.id)
    )
    return [_collaborator_row(c) for c in rows]


def likely_duplicate_collaborators(
    session: Session, data: CollaboratorInput, *, exclude: uuid.UUID | None = None
) -> list[CollaboratorRow]:
    """Directory entries with the same folded name and the same phone digits as ``data``."""
    key = name_key(data.name)
    rows = session.scalars(
        select(Collaborator).where(Collaborator.deleted_at.is_(None), Collaborator.sort_name == key)
    )
    return [
        _collaborator_row(c)
        for c in rows
        if c.id != exclude and likely_same_collaborator(c.name, c.phone, data.name, data.phone)
    ]


# -- releases (their status is needed by the team list) -----------------------------------
@dataclass(frozen=True)
class ReleaseInput:
    collaborator_id: uuid.UUID
    categories: tuple[Category, ...]
    purpose: str
    signed_date: date
    #: the last day the release is in force
    expiry_date: date | None = None
    expiry_event: str = ""
    #: required when substance-use information is released (42 CFR Part 2)
    substance_use_consent: str = ""


@dataclass(frozen=True)
class ReleaseRow:
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    collaborator_id: uuid.UUID
    collaborator_name: str
    categories: tuple[Category, ...]
    purpose: str
    signed_date: date
    expiry_date: date | None
    expiry_event: str
    revoked_date: date | None
    substance_use_consent: str
    #: computed for the day the list was asked for
    status: ReleaseStatus
    days_left: int | None
    followup_task_id: uuid.UUID | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "client_name": self.client_name,
            "collaborator_id": str(self.collaborator_id),
            "collaborator_name": self.collaborator_name,
            "categories": [c.value for c in self.categories],
            "purpose": self.purpose,
            "signed_date": self.signed_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "expiry_event": self.expiry_event or None,
            "revoked_date": self.revoked_date.isoformat() if self.revoked_date else None,
            "substance_use_consent": self.substance_use_consent or None,
            "status": self.status.value,
            "days_left": self.days_left,
        }


def _release_row(
    release: Release, client: Client, collaborator: Collaborator, day: date
) -> ReleaseRow:
    return ReleaseRow(
        id=release.id,
        client_id=release.client_id,
        client_name=f"{client.legal_last_name}, {client.legal_first_name}",
        collaborator_id=release.collaborator_id,
        collaborator_name=_display(collaborator.name, collaborator.credentials),
        categories=categories_from_text(release.categories),
        purpose=release.purpose,
        signed_date=release.signed_date,
        expiry_date=release.expiry_date,
        expiry_event=release.expiry_event,
        revoked_date=release.revoked_date,
        substance_use_consent=release.substance_use_consent,
        status=release_status(release, day),
        days_left=days_left(release, day),
        followup_task_id=release.followup_task_id,
    )


def _releases_query() -> Any:
    return (
        select(Release, Client, Collaborator)
        .join(Client, Client.id == Release.client_id)
        .join(Collaborator, Collaborator.id == Release.collaborator_id)
        .where(Release.deleted_at.is_(None))
    )


def _releases_for(
    session: Session, client_id: uuid.UUID, collaborator_id: uuid.UUID
) -> list[Release]:
    return list(
        session.scalars(
            select(Release).where(
                Release.client_id == client_id,
                Release.collaborator_id == collaborator_id,
                Release.deleted_at.is_(None),
            )
        )
    )


def _checked_release(
    session: Session, client_id: uuid.UUID, data: ReleaseInput, today: date
) -> tuple[ReleaseInput, Collaborator]:
    _live_client(session, client_id)
    collaborator = _live_collaborator(session, data.collaborator_id)
    errors: dict[str, str] = {}
    purpose = data.purpose.strip()
    event = data.expiry_event.strip()
    consent = data.substance_use_consent.strip()
    _check_text(errors, "purpose", purpose, required=True, multiline=True)
    _check_text(errors, "expiry_event", event)
    _check_text(errors, "substance_use_consent", consent, multiline=True)
    try:
        categories = ordered(data.categories)
    except ValueError:
        categories = ()
        errors["categories"] = "holds an unknown category"
    if not categories and "categories" not in errors:
        errors["categories"] = "name at least one category of information"
    _check_date(errors, "signed_date", data.signed_date, today)
    if data.expiry_date is not None:
        _check_date(errors, "expiry_date", data.expiry_date, today, future=True)
        if "expiry_date" not in errors and data.expiry_date < data.signed_date:
            errors["expiry_date"] = "is before the signed date"
    elif not event and "expiry_event" not in errors:
        errors["expiry_date"] = "a release needs an expiry date or an expiry event"
    if Category.SUBSTANCE_USE in categories:
        if not consent and "substance_use_consent" not in errors:
            errors["substance_use_consent"] = (
                "is required to release substance-use information (42 CFR Part 2): "
                "record what the client's specific consent allows"
            )
    elif consent and "substance_use_consent" not in errors:
        errors["substance_use_consent"] = (
            "is recorded only when substance-use information is released"
        )
    if errors:
        raise ValidationError(errors)
    clean = ReleaseInput(
        collaborator_id=data.collaborator_id,
        categories=categories,
        purpose=purpose,
        signed_date=data.signed_date,
        expiry_date=data.expiry_date,
        expiry_event=event,
        substance_use_consent=consent,
    )
    return clean, collaborator


def _write_release(release: Release, data: ReleaseInput) -> None:
    release.collaborator_id = data.collaborator_id
    release.categories = categories_to_text(data.categories)
    release.purpose = data.purpose
    release.signed_date = data.signed_date
    release.expiry_date = data.expiry_date
    release.expiry_event = data.expiry_event
    release.substance_use_consent = data.substance_use_consent


def _followup_due(expiry: date, today: date) -> date:
    return max(expiry - timedelta(days=EXPIRING_DAYS - 1), today)


def _sync_followup(
    session: Session, release: Release, collaborator: Collaborator, today: date
) -> None:
    """Keep the release's follow-up task in step with it (see the module docstring)."""
    task = session.get(Task, release.followup_task_id) if release.followup_task_id else None
    if task is not None and task.deleted_at is not None:
        task = None
    wanted = (
        release.expiry_date is not None
        and release.revoked_date is None
        and release.deleted_at is None
        and release.expiry_date >= today
    )
    if not wanted:
        if task is not None and task.completed_at is None:
            task.deleted_at = utcnow()
        return
    assert release.expiry_date is not None
    due = _followup_due(release.expiry_date, today)
    title = f"Release of information expires {release.expiry_date.isoformat()}: renew or close"
    details = (
        f"Release for {_display(collaborator.name, collaborator.credentials)} "
        f"({', '.join(c.label.lower() for c in categories_from_text(release.categories))}), "
        f"signed {release.signed_date.isoformat()}. Renew it with the client, or let it end."
    )[:2000]
    if task is not None and task.title == title:
        if task.completed_at is None:
            task.due_date, task.details = due, details
        return  # done for this expiry date: nothing more to do
    if task is not None and task.completed_at is None:
        task.deleted_at = utcnow()  # a different expiry date: this follow-up is replaced
    task = Task(title=title, details=details, due_date=due, client_id=release.client_id)
    session.add(task)
    session.flush()
    release.followup_task_id = task.id


def _settle_renewed(session: Session, release: Release, today: date) -> None:
    """A new release that is active and covers an earlier one's categories renews it: the
    earlier one's open follow-up is marked done."""
    if release_status(release, today) is not ReleaseStatus.ACTIVE:
        return
    covered = set(categories_from_text(release.categories))
    for other in _releases_for(session, release.client_id, release.collaborator_id):
        if other.id == release.id or other.followup_task_id is None:
            continue
        if not set(categories_from_text(other.categories)) <= covered:
            continue
        task = session.get(Task, other.followup_task_id)
        if task is not None and task.completed_at is None and task.deleted_at is None:
            task.completed_at = utcnow()


def add_release(
    session: Session, client_id: uuid.UUID, data: ReleaseInput, *, today: date | None = None
) -> uuid.UUID:
    """Record a client's signed release for a collaborator; return its id."""
    day = today or date.today()
    clean, collaborator = _checked_release(session, client_id, data, day)
    release = Release(client_id=client_id)
    _write_release(release, clean)
    session.add(release)
    session.flush()
    _sync_followup(session, release, collaborator, day)
    _settle_renewed(session, release, day)
    session.flush()
    return release.id


def _live_release(session: Session, release_id: uuid.UUID) -> Release:
    release = session.get(Release, release_id)
    if release is None or release.deleted_at is not None:
        raise NotFoundError(f"No release of information with id {release_id}.")
    return release


def _disclosures_under(session: Session, release_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(Disclosure).where(Disclosure.release_id == release_id)
        )
        or 0
    )


def update_release(
    session: Session, release_id: uuid.UUID, data: ReleaseInput, *, today: date | None = None
) -> None:
    """Correct a release as entered. Refused once anything was disclosed under it (it is the
    evidence of that consent: record a new release instead) and once it is revoked."""
    day = today or date.today()
    release = _live_release(session, release_id)
    if release.revoked_date is not None:
        raise ReleaseLocked("This release was revoked and can no longer be changed.")
    if _disclosures_under(session, release_id):
        raise ReleaseLocked(
            "Information was disclosed under this release, so it stays as it was signed. "
            "Record a new release instead, or revoke this one."
        )
    clean, collaborator = _checked_release(session, release.client_id, data, day)
    _write_release(release, clean)
    session.flush()
    _sync_followup(session, release, collaborator, day)
    session.flush()


def revoke_release(
    session: Session, release_id: uuid.UUID, on: date | None = None, *, today: date | None = None
) -> None:
    """Record the client's revocation, in force from ``on`` (default today)."""
    day = today or date.today()
    when = on or day
    release = _live_release(session, release_id)
    errors: dict[str, str] = {}
    if release.revoked_date is not None:
        errors["revoked_date"] = f"the release was already revoked on {release.revoked_date}"
    else:
        _check_date(errors, "revoked_date", when, day)
        if "revoked_date" not in errors and when < release.signed_date:
            errors["revoked_date"] = "is before the signed date"
    if errors:
        raise ValidationError(errors)
    release.revoked_date = when
    session.flush()
    _sync_followup(session, release, _live_or_any_collaborator(session, release), day)
    session.flush()


def delete_release(session: Session, release_id: uuid.UUID) -> None:
    """Tombstone a release entered by mistake; refused once anything was disclosed under it."""
    release = _live_release(session, release_id)
    if _disclosures_under(session, release_id):
        raise ReleaseLocked(
            "Information was disclosed under this release, so it is kept. Revoke it instead."
        )
    release.deleted_at = utcnow()
    session.flush()
    _sync_followup(session, release, _live_or_any_collaborator(session, release), date.today())
    session.flush()


def _live_or_any_collaborator(session: Session, release: Release) -> Collaborator:
    collaborator = session.get(Collaborator, release.collaborator_id)
    assert collaborator is not None  # a foreign key
    return collaborator


def get_release(
    session: Session, release_id: uuid.UUID, *, today: date | None = None
) -> ReleaseRow:
    day = today or date.today()
    release = _live_release(session, release_id)
    client = session.get(Client, release.client_id)
    collaborator = session.get(Collaborator, release.collaborator_id)
    assert client is not None and collaborator is not None
    return _release_row(release, client, collaborator, day)


def list_releases(
    session: Session, client_id: uuid.UUID, *, today: date | None = None
) -> list[ReleaseRow]:
    """A client's releases, newest signed first, each with its status on ``today``."""
    day = today or date.today()
    _live_client(session, client_id)
    query = _releases_query().where(Release.client_id == client_id)
    rows = [_release_row(r, c, k, day) for r, c, k in session.execute(query)]
    return sorted(rows, key=lambda r: (r.signed_date, r.id), reverse=True)


def releases_needing_attention(session: Session, today: date | None = None) -> list[ReleaseRow]:
    """Releases of current clients that are expiring, or expired in the last
    ``ATTENTION_AFTER_EXPIRY_DAYS`` days, and not yet renewed (no other release for the same
    collaborator that is active and names at least the same categories); soonest first."""
    day = today or date.today()
    query = _releases_query().where(
        Client.deleted_at.is_(None),
        Client.status != ClientStatus.DISCHARGED.value,
        Release.revoked_date.is_(None),
        Release.expiry_date.is_not(None),
        Release.expiry_date >= day - timedelta(days=ATTENTION_AFTER_EXPIRY_DAYS),
        Release.expiry_date < day + timedelta(days=EXPIRING_DAYS),
    )
    found = [_release_row(r, c, k, day) for r, c, k in session.execute(query)]
    result = []
    for row in found:
        renewals = _releases_for(session, row.client_id, row.collaborator_id)
        renewed = any(
            other.id != row.id
            and release_status(other, day) is ReleaseStatus.ACTIVE
            and set(categories_from_text(other.categories)) >= set(row.categories)
            for other in renewals
        )
        if not renewed:
            result.append(row)
    return sorted(result, key=lambda r: (r.expiry_date or day, r.client_name, r.id))


# -- the care team ----------------------------------------------------------------------
@dataclass(frozen=True)
class TeamMemberInput:
    collaborator_id: uuid.UUID
    team_role: str = ""
    start_date: date | None = None  # today
    end_date: date | None = None
    primary_contact: bool = False


@dataclass(frozen=True)
class TeamMemberRow:
    id: uuid.UUID
    client_id: uuid.UUID
    collaborator_id: uuid.UUID
    name: str
    credentials: str
    role: CollaboratorRole
    team_role: str
    organisation: str
    phone: str
    email: str
    start_date: date
    end_date: date | None
    primary_contact: bool
    #: on the team on the day the list was asked for
    current: bool
    #: the release sharing would go under today (None: no release at all)
    release_id: uuid.UUID | None
    release_status: ReleaseStatus | None
    #: what that release lets be shared (empty unless it is in force)
    may_share: tuple[Category, ...]

    @property
    def display_name(self) -> str:
        return _display(self.name, self.credentials)

    @property
    def display_role(self) -> str:
        return self.team_role or self.role.label

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "collaborator_id": str(self.collaborator_id),
            "name": self.name,
            "credentials": self.credentials,
            "role": self.role.value,
            "team_role": self.team_role,
            "organisation": self.organisation,
            "phone": self.phone,
            "email": self.email,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "primary_contact": self.primary_contact,
            "current": self.current,
            "release_id": str(self.release_id) if self.release_id else None,
            "release_status": self.release_status.value if self.release_status else None,
            "may_share": [c.value for c in self.may_share],
        }


def _checked_member(
    session: Session,
    client_id: uuid.UUID,
    data: TeamMemberInput,
    today: date,
    *,
    exclude: uuid.UUID | None = None,
) -> TeamMemberInput:
    _live_client(session, client_id)
    _live_collaborator(session, data.collaborator_id)
    errors: dict[str, str] = {}
    role = data.team_role.strip()
    _check_text(errors, "team_role", role)
    start = data.start_date or today
    _check_date(errors, "start_date", start, today)
    if data.end_date is not None:
        _check_date(errors, "end_date", data.end_date, today, future=True)
        if "end_date" not in errors and data.end_date < start:
            errors["end_date"] = "is before the start date"
    if not errors:
        for other in session.scalars(
            select(TeamMember).where(
                TeamMember.client_id == client_id,
                TeamMember.collaborator_id == data.collaborator_id,
                TeamMember.deleted_at.is_(None),
            )
        ):
            if other.id == exclude:
                continue
            if other.start_date <= (data.end_date or LATEST) and start <= (
                other.end_date or LATEST
            ):
                errors["collaborator_id"] = (
                    "is already on this client's team for part of that period"
                )
    if errors:
        raise ValidationError(errors)
    return TeamMemberInput(data.collaborator_id, role, start, data.end_date, data.primary_contact)


def _one_primary(session: Session, member: TeamMember) -> None:
    if not member.primary_contact:
        return
    for other in session.scalars(
        select(TeamMember).where(
            TeamMember.client_id == member.client_id,
            TeamMember.primary_contact.is_(True),
            TeamMember.deleted_at.is_(None),
            TeamMember.id != member.id,
        )
    ):
        other.primary_contact = False


def add_team_member(
    session: Session, client_id: uuid.UUID, data: TeamMemberInput, *, today: date | None = None
) -> uuid.UUID:
    """Put a collaborator on a client's team; a new primary contact replaces the old one."""
    day = today or date.today()
    clean = _checked_member(session, client_id, data, day)
    assert clean.start_date is not None
    member = TeamMember(
        client_id=client_id,
        collaborator_id=clean.collaborator_id,
        team_role=clean.team_role,
        start_date=clean.start_date,
        end_date=clean.end_date,
        primary_contact=clean.primary_contact,
    )
    session.add(member)
    session.flush()
    _one_primary(session, member)
    session.flush()
    return member.id


def _live_member(session: Session, member_id: uuid.UUID) -> TeamMember:
    member = session.get(TeamMember, member_id)
    if member is None or member.deleted_at is not None:
        raise NotFoundError(f"No care-team member with id {member_id}.")
    return member


def update_team_member(
    session: Session, member_id: uuid.UUID, data: TeamMemberInput, *, today: date | None = None
) -> None:
    day = today or date.today()
    member = _live_member(session, member_id)
    if data.collaborator_id != member.collaborator_id:
        raise ValidationError({"collaborator_id": "cannot change: add the other person instead"})
    clean = _checked_member(session, member.client_id, data, day, exclude=member_id)
    assert clean.start_date is not None
    member.team_role, member.start_date = clean.team_role, clean.start_date
    member.end_date, member.primary_contact = clean.end_date, clean.primary_contact
    _one_primary(session, member)
    session.flush()


def end_team_membership(
    session: Session, member_id: uuid.UUID, on: date | None = None, *, today: date | None = None
) -> None:
    """Take a collaborator off a client's team from ``on`` (default today); kept as history."""
    day = today or date.today()
    member = _live_member(session, member_id)
    when = on or day
    errors: dict[str, str] = {}
    _check_date(errors, "end_date", when, day, future=True)
    if "end_date" not in errors and when < member.start_date:
        errors["end_date"] = "is before the start date"
    if errors:
        raise ValidationError(errors)
    member.end_date = when
    member.primary_contact = False
    session.flush()


def remove_team_member(session: Session, member_id: uuid.UUID) -> None:
    """Tombstone a membership entered by mistake (one that ended gets an end date instead)."""
    _live_member(session, member_id).deleted_at = utcnow()
    session.flush()


def _sharing_summary(
    releases: list[Release], day: date
) -> tuple[uuid.UUID | None, ReleaseStatus | None, tuple[Category, ...]]:
    """The release a collaborator's sharing would go under today, for the team list."""
    if not releases:
        return None, None, ()
    signed = [r for r in releases if r.signed_date <= day] or releases
    in_force = [r for r in signed if release_status(r, day).in_force]
    if in_force:
        best = max(
            in_force,
            key=lambda r: (
                len(categories_from_text(r.categories)),
                release_status(r, day) is ReleaseStatus.ACTIVE,
                r.signed_date,
            ),
        )
        return best.id, release_status(best, day), categories_from_text(best.categories)
    latest = max(signed, key=lambda r: (r.signed_date, r.id))
    return latest.id, release_status(latest, day), ()


def list_team(
    session: Session, client_id: uuid.UUID, *, today: date | None = None
) -> list[TeamMemberRow]:
    """A client's care team: current members first (the primary contact leading), then
    past ones, most recently ended first; each with what may be shared with them today."""
    day = today or date.today()
    _live_client(session, client_id)
    query = (
        select(TeamMember, Collaborator)
        .join(Collaborator, Collaborator.id == TeamMember.collaborator_id)
        .where(TeamMember.client_id == client_id, TeamMember.deleted_at.is_(None))
    )
    releases: dict[uuid.UUID, list[Release]] = {}
    for release in session.scalars(
        select(Release).where(Release.client_id == client_id, Release.deleted_at.is_(None))
    ):
        releases.setdefault(release.collaborator_id, []).append(release)
    rows = []
    for member, person in session.execute(query):
        release_id, status, may_share = _sharing_summary(releases.get(person.id, []), day)
        rows.append(
            TeamMemberRow(
                id=member.id,
                client_id=member.client_id,
                collaborator_id=person.id,
                name=person.name,
                credentials=person.credentials,
                role=CollaboratorRole(person.role),
                team_role=member.team_role,
                organisation=person.organisation,
                phone=person.phone,
                email=person.email,
                start_date=member.start_date,
                end_date=member.end_date,
                primary_contact=member.primary_contact,
                current=member.start_date <= day
                and (member.end_date is None or member.end_date >= day),
                release_id=release_id,
                release_status=status,
                may_share=may_share,
            )
        )

    def order(row: TeamMemberRow) -> tuple[Any, ...]:
        if row.current:
            return (0, not row.primary_contact, name_key(row.name), 0)
        return (1, -(row.end_date or row.start_date).toordinal(), name_key(row.name), 0)

    return sorted(rows, key=order)


# -- the coordination log -----------------------------------------------------------------
@dataclass(frozen=True)
class ContactInput:
    collaborator_id: uuid.UUID
    contact_date: date
    mode: ContactMode
    direction: Direction
    summary: str


@dataclass(frozen=True)
class ContactRow:
    id: uuid.UUID
    client_id: uuid.UUID
    collaborator_id: uuid.UUID
    collaborator_name: str
    contact_date: date
    mode: ContactMode
    direction: Direction
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "collaborator_id": str(self.collaborator_id),
            "collaborator_name": self.collaborator_name,
            "contact_date": self.contact_date.isoformat(),
            "mode": self.mode.value,
            "direction": self.direction.value,
            "summary": self.summary,
        }


def _checked_contact(
    session: Session, client_id: uuid.UUID, data: ContactInput, today: date
) -> ContactInput:
    _live_client(session, client_id)
    _live_collaborator(session, data.collaborator_id)
    errors: dict[str, str] = {}
    summary = data.summary.strip()
    _check_text(errors, "summary", summary, required=True, multiline=True)
    _check_date(errors, "contact_date", data.contact_date, today)
    mode = _enum(errors, "mode", ContactMode, data.mode)
    direction = _enum(errors, "direction", Direction, data.direction)
    if errors:
        raise ValidationError(errors)
    return ContactInput(data.collaborator_id, data.contact_date, mode, direction, summary)


def add_contact(
    session: Session, client_id: uuid.UUID, data: ContactInput, *, today: date | None = None
) -> uuid.UUID:
    """Log one exchange with a collaborator about a client; return its id."""
    clean = _checked_contact(session, client_id, data, today or date.today())
    contact = CoordinationContact(
        client_id=client_id,
        collaborator_id=clean.collaborator_id,
        contact_date=clean.contact_date,
        mode=clean.mode.value,
        direction=clean.direction.value,
        summary=clean.summary,
    )
    session.add(contact)
    session.flush()
    return contact.id


def _live_contact(session: Session, contact_id: uuid.UUID) -> CoordinationContact:
    contact = session.get(CoordinationContact, contact_id)
    if contact is None or contact.deleted_at is not None:
        raise NotFoundError(f"No coordination contact with id {contact_id}.")
    return contact


def update_contact(
    session: Session, contact_id: uuid.UUID, data: ContactInput, *, today: date | None = None
) -> None:
    contact = _live_contact(session, contact_id)
    clean = _checked_contact(session, contact.client_id, data, today or date.today())
    contact.collaborator_id, contact.contact_date = clean.collaborator_id, clean.contact_date
    contact.mode, contact.direction = clean.mode.value, clean.direction.value
    contact.summary = clean.summary
    session.flush()


def delete_contact(session: Session, contact_id: uuid.UUID) -> None:
    _live_contact(session, contact_id).deleted_at = utcnow()
    session.flush()


def list_contacts(session: Session, client_id: uuid.UUID) -> list[ContactRow]:
    """A client's coordination log, newest first (for the timeline)."""
    _live_client(session, client_id)
    query = (
        select(CoordinationContact, Collaborator)
        .join(Collaborator, Collaborator.id == CoordinationContact.collaborator_id)
        .where(
            CoordinationContact.client_id == client_id,
            CoordinationContact.deleted_at.is_(None),
        )
        .order_by(CoordinationContact.contact_date.desc(), CoordinationContact.created_at.desc())
    )
    return [
        ContactRow(
            id=c.id,
            client_id=c.client_id,
            collaborator_id=c.collaborator_id,
            collaborator_name=_display(person.name, person.credentials),
            contact_date=c.contact_date,
            mode=ContactMode(c.mode),
            direction=Direction(c.direction),
            summary=c.summary,
        )
        for c, person in session.execute(query)
    ]


# -- the sharing guard and the accounting of disclosures -----------------------------------
def _requested(categories: Iterable[Category | str]) -> tuple[Category, ...]:
    try:
        wanted = ordered(categories)
    except ValueError:
        raise ValidationError({"categories": "holds an unknown category"}) from None
    if not wanted:
        raise ValidationError({"categories": "name at least one category of information"})
    return wanted


def check_sharing(
    session: Session,
    client_id: uuid.UUID,
    collaborator_id: uuid.UUID,
    categories: Iterable[Category | str],
    *,
    today: date | None = None,
) -> uuid.UUID:
    """The id of the release under which ``categories`` of this client's information may go
    to this collaborator today; else SharingRefused naming what is missing (no release,
    expired, revoked, which categories are not covered). Writes nothing."""
    day = today or date.today()
    wanted = _requested(categories)
    _live_client(session, client_id)
    _live_collaborator(session, collaborator_id)
    decision = sharing_decision(_releases_for(session, client_id, collaborator_id), wanted, day)
    if isinstance(decision, Refusal):
        raise SharingRefused(decision)
    return decision.id


@dataclass(frozen=True)
class DisclosureRow:
    """One entry of a client's accounting of disclosures."""

    id: uuid.UUID
    client_id: uuid.UUID
    collaborator_id: uuid.UUID
    #: the recipient as they were on the day
    recipient_name: str
    recipient_organisation: str
    release_id: uuid.UUID
    #: the purpose the release states
    purpose: str
    disclosed_on: date
    categories: tuple[Category, ...]
    means: DisclosureMeans
    what: str
    #: when it was written down (UTC)
    recorded_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "collaborator_id": str(self.collaborator_id),
            "recipient_name": self.recipient_name,
            "recipient_organisation": self.recipient_organisation,
            "release_id": str(self.release_id),
            "purpose": self.purpose,
            "disclosed_on": self.disclosed_on.isoformat(),
            "categories": [c.value for c in self.categories],
            "means": self.means.value,
            "what": self.what,
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
        }


def record_disclosure(
    session: Session,
    client_id: uuid.UUID,
    collaborator_id: uuid.UUID,
    release_id: uuid.UUID,
    categories: Iterable[Category | str],
    means: DisclosureMeans | str,
    what: str,
    *,
    when: date | None = None,
) -> uuid.UUID:
    """Add an entry to the client's accounting of disclosures; return its id.

    The release must be this client's for this collaborator and cover ``categories`` on
    ``when`` (default today), else SharingRefused; ``what`` names what was sent (such as the
    report kind), never its content.
    """
    today = date.today()
    day = when or today
    wanted = _requested(categories)
    errors: dict[str, str] = {}
    text = what.strip()
    _check_text(errors, "what", text, required=True)
    _check_date(errors, "when", day, today)
    kind = _enum(errors, "means", DisclosureMeans, means)
    if errors:
        raise ValidationError(errors)
    _live_client(session, client_id)
    person = _live_collaborator(session, collaborator_id)
    release = _live_release(session, release_id)
    if release.client_id != client_id or release.collaborator_id != collaborator_id:
        raise ValidationError({"release_id": "is not this client's release for this collaborator"})
    decision = sharing_decision([release], wanted, day)
    if isinstance(decision, Refusal):
        raise SharingRefused(decision)
    disclosure = Disclosure(
        client_id=client_id,
        collaborator_id=collaborator_id,
        release_id=release_id,
        disclosed_on=day,
        categories=categories_to_text(wanted),
        means=kind.value,
        what=text,
        recipient_name=_display(person.name, person.credentials)[:300],
        recipient_organisation=person.organisation,
    )
    session.add(disclosure)
    session.flush()
    return disclosure.id


def list_disclosures(session: Session, client_id: uuid.UUID) -> list[DisclosureRow]:
    """A client's accounting of disclosures, newest first."""
    _live_client(session, client_id)
    query = (
        select(Disclosure, Release.purpose)
        .join(Release, Release.id == Disclosure.release_id)
        .where(Disclosure.client_id == client_id, Disclosure.deleted_at.is_(None))
        .order_by(Disclosure.disclosed_on.desc(), Disclosure.created_at.desc())
    )
    return [
        DisclosureRow(
            id=d.id,
            client_id=d.client_id,
            collaborator_id=d.collaborator_id,
            recipient_name=d.recipient_name,
            recipient_organisation=d.recipient_organisation,
            release_id=d.release_id,
            purpose=purpose,
            disclosed_on=d.disclosed_on,
            categories=categories_from_text(d.categories),
            means=DisclosureMeans(d.means),
            what=d.what,
            recorded_at=d.created_at,
        )
        for d, purpose in session.execute(query)
    ]
