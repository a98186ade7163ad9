"""The care team: a client's team and coordination log, the sharing guard and the
accounting of disclosures (and, re-exported, the directory and releases it builds on).

Anything produced for a collaborator goes through ``check_sharing`` first and is then
written down with ``record_disclosure`` in the same unit of work; a refusal raises
``SharingRefused`` and records nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import (
    Category,
    Collaborator,
    CollaboratorRole,
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
    name_key,
    ordered,
    release_status,
    sharing_decision,
)
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.services.care_fields import (
    LATEST,
    check_date,
    check_text,
    display_name,
    enum_value,
    live_client,
    live_collaborator,
)
from mhsw_desktop.services.collaborators import (
    CollaboratorInput,
    CollaboratorRow,
    add_collaborator,
    checked_collaborator,
    delete_collaborator,
    get_collaborator,
    likely_duplicate_collaborators,
    list_collaborators,
    update_collaborator,
)
from mhsw_desktop.services.releases import (
    ATTENTION_AFTER_EXPIRY_DAYS,
    ReleaseInput,
    ReleaseLocked,
    ReleaseRow,
    add_release,
    delete_release,
    get_release,
    list_releases,
    live_release,
    releases_for,
    releases_needing_attention,
    revoke_release,
    update_release,
)

__all__ = [
    "ATTENTION_AFTER_EXPIRY_DAYS",
    "CollaboratorInput",
    "CollaboratorRow",
    "ContactInput",
    "ContactRow",
    "DisclosureRow",
    "ReleaseInput",
    "ReleaseLocked",
    "ReleaseRow",
    "SharingRefused",
    "TeamMemberInput",
    "TeamMemberRow",
    "add_collaborator",
    "add_contact",
    "add_release",
    "add_team_member",
    "check_sharing",
    "checked_collaborator",
    "delete_collaborator",
    "delete_contact",
    "delete_release",
    "end_team_membership",
    "get_collaborator",
    "get_release",
    "likely_duplicate_collaborators",
    "list_collaborators",
    "list_contacts",
    "list_disclosures",
    "list_releases",
    "list_team",
    "record_disclosure",
    "releases_needing_attention",
    "remove_team_member",
    "revoke_release",
    "update_collaborator",
    "update_contact",
    "update_release",
    "update_team_member",
]


class SharingRefused(UserFacingError):
    """Sharing with a collaborator that the client's releases do not allow (exit code 1).

    The message names what is missing; ``reason`` and ``missing`` say it for code.
    """

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.reason = refusal.reason
        self.missing = refusal.missing


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
        return display_name(self.name, self.credentials)

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
    live_client(session, client_id)
    live_collaborator(session, data.collaborator_id)
    errors: dict[str, str] = {}
    role = data.team_role.strip()
    check_text(errors, "team_role", role)
    start = data.start_date or today
    check_date(errors, "start_date", start, today)
    if data.end_date is not None:
        check_date(errors, "end_date", data.end_date, today, future=True)
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
    check_date(errors, "end_date", when, day, future=True)
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
    live_client(session, client_id)
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
    live_client(session, client_id)
    live_collaborator(session, data.collaborator_id)
    errors: dict[str, str] = {}
    summary = data.summary.strip()
    check_text(errors, "summary", summary, required=True, multiline=True)
    check_date(errors, "contact_date", data.contact_date, today)
    mode = enum_value(errors, "mode", ContactMode, data.mode)
    direction = enum_value(errors, "direction", Direction, data.direction)
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
    live_client(session, client_id)
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
            collaborator_name=display_name(person.name, person.credentials),
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
    live_client(session, client_id)
    live_collaborator(session, collaborator_id)
    decision = sharing_decision(releases_for(session, client_id, collaborator_id), wanted, day)
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
    check_text(errors, "what", text, required=True)
    check_date(errors, "when", day, today)
    kind = enum_value(errors, "means", DisclosureMeans, means)
    if errors:
        raise ValidationError(errors)
    live_client(session, client_id)
    person = live_collaborator(session, collaborator_id)
    release = live_release(session, release_id)
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
        recipient_name=display_name(person.name, person.credentials)[:300],
        recipient_organisation=person.organisation,
    )
    session.add(disclosure)
    session.flush()
    return disclosure.id


def list_disclosures(session: Session, client_id: uuid.UUID) -> list[DisclosureRow]:
    """A client's accounting of disclosures, newest first."""
    live_client(session, client_id)
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
